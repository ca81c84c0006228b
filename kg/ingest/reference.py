"""The curated reference data (``ontology/reference/*.ttl``) as plain Python lookups.

The recognisers match names against these labels; they never see RDF. Loaded once per
process (the Turtle is small) and cached.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node
from rdflib.namespace import RDF, SKOS

from kg.namespaces import VJO, VJR
from kg.files import REFERENCE_DIR


# The state whose officials an article leaves unmarked ("the Prime Minister said"):
# the archive is about Vietnam's relations, so a titled official named without a state is
# taken to be Vietnamese unless the context says otherwise (see kg.extract.resolve).
HOME_STATE = "VN"


@dataclass(frozen=True)
class Named:
    """A reference entity or concept: its key, preferred label and every other name."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # local names of its vjo: classes, e.g. ("FreeTradeAgreement",)
    state: str | None = None  # a place's or an organisation's state code (vjo:inState / vjo:basedIn)
    demonyms: tuple[str, ...] = ()  # states only
    rank: int | None = None  # partnership levels only: higher is closer

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True, eq=False)
class Reference:
    """Everything curated, keyed as in ``kg.model``. Compared and hashed by identity, so that
    the patterns built from it can be cached per reference (``functools.lru_cache``)."""

    states: dict[str, Named] = field(default_factory=dict)
    organizations: dict[str, Named] = field(default_factory=dict)
    agreements: dict[str, Named] = field(default_factory=dict)
    places: dict[str, Named] = field(default_factory=dict)
    posts: dict[str, Named] = field(default_factory=dict)
    indicators: dict[str, Named] = field(default_factory=dict)
    meeting_kinds: dict[str, Named] = field(default_factory=dict)
    partnership_levels: dict[str, Named] = field(default_factory=dict)


_SECTIONS = {
    "state/": "states",
    "org/": "organizations",
    "agreement/": "agreements",
    "place/": "places",
    "post/": "posts",
    "indicator/": "indicators",
    "meeting-kind/": "meeting_kinds",
    "partnership-level/": "partnership_levels",
}


def _texts(graph: Graph, node: Node, prop: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(node, prop))


def _local(iri: Node, base: str) -> str:
    return str(iri)[len(base):]


def reference_from_graph(graph: Graph) -> Reference:
    """Collect the reference entities of ``graph`` by the section of their IRI."""
    sections: dict[str, dict[str, Named]] = {name: {} for name in _SECTIONS.values()}
    for subject in sorted(set(graph.subjects(SKOS.prefLabel, None)), key=str):
        iri = str(subject)
        if not iri.startswith(str(VJR)):
            continue
        rest = iri[len(str(VJR)):]
        section = next((s for prefix, s in _SECTIONS.items() if rest.startswith(prefix)), None)
        if section is None:
            continue
        key = rest.split("/", 1)[1]
        labels = _texts(graph, subject, SKOS.prefLabel)
        aliases = _texts(graph, subject, SKOS.altLabel) + _texts(graph, subject, VJO.fullName)
        kinds = tuple(sorted(_local(t, str(VJO)) for t in graph.objects(subject, RDF.type)
                             if str(t).startswith(str(VJO))))
        state_node = graph.value(subject, VJO.inState) or graph.value(subject, VJO.basedIn)
        rank = graph.value(subject, VJO.rank)
        sections[section][key] = Named(
            key=key,
            label=labels[0],
            aliases=tuple(dict.fromkeys(a for a in aliases if a != labels[0])),
            kinds=kinds,
            state=_local(state_node, str(VJR["state/"])) if state_node else None,
            demonyms=tuple(_texts(graph, subject, VJO.demonym)),
            rank=int(str(rank)) if rank is not None else None,
        )
    return Reference(**sections)


def reference_graph(directory: Path = REFERENCE_DIR) -> Graph:
    """All reference Turtle files of ``directory`` in one rdflib graph, read in name order."""
    graph = Graph()
    for path in sorted(directory.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=4)
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """The project's reference data, parsed once per process."""
    return reference_from_graph(reference_graph(directory))
