"""SHACL validation of the graph against ``shapes/``, with results a person can act on.

The data graph is validated together with the ontology and the reference data (see
:func:`kg.inputs.working_graph`) so that ``sh:class`` follows ``rdfs:subClassOf`` (a
``vjo:State`` is an ``org:Organization``) and reference entities are checked too.

Inference is "none", on purpose: with RDFS inference the domains and ranges of the
ontology would type every value the way the shapes then check, so ``sh:class`` would pass
on anything. The shapes check what the builder asserted.

A graph conforms when it has no ``sh:Violation``; warnings and infos are reported but do
not fail. Each result names its shape, the node, and (through ``prov:wasDerivedFrom``) the
article file and the sentence the node came from.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.errors import InputError
from kg.namespaces import PREFIXES, SH
from kg.paths import SHAPES_DIR

__all__ = ["SEVERITIES", "ShapeCheck", "ShapeResult", "ValidationReport", "load_shapes", "validate"]

VJSH = "https://w3id.org/vjkg/shapes#"
SEVERITIES = ("Violation", "Warning", "Info")
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_IRI_IN_TEXT = re.compile(r"https?://[^\s,;()<>\"]+")
_DISPLAY_PREFIXES = sorted({**PREFIXES, "vjsh": VJSH}.items(), key=lambda item: -len(item[1]))


@dataclass(frozen=True, order=True)
class ShapeCheck:
    """One check of the shapes graph: a property shape or a SPARQL constraint of a node shape."""

    node_shape: str
    check: str
    name: str


@dataclass(frozen=True, order=True)
class ShapeResult:
    """One SHACL result, with the source text of the offending node when the graph has it."""

    severity: str  # "Violation", "Warning" or "Info"
    check: str  # the property shape or SPARQL constraint that failed (compact IRI)
    focus: str
    path: str | None
    value: str | None
    message: str
    node_shape: str
    name: str
    component: str  # the SHACL constraint component, e.g. "sh:MinCountConstraintComponent"
    article: str | None = None  # file name of the article the node was derived from
    sentence: str | None = None  # the sentence (or span) it was derived from


@dataclass(frozen=True)
class ValidationReport:
    """What a validation run found, sorted: most severe first, then by check and node."""

    results: tuple[ShapeResult, ...]
    checks: tuple[ShapeCheck, ...]
    triples: int

    @property
    def conforms(self) -> bool:
        """True when nothing is a violation (warnings and infos do not fail)."""
        return not any(r.severity == "Violation" for r in self.results)

    def counts(self) -> dict[str, int]:
        found = Counter(r.severity for r in self.results)
        return {severity: found.get(severity, 0) for severity in SEVERITIES}


def compact(term: object) -> str:
    """A short, readable form of an rdflib or pyoxigraph term: ``vjr:meeting/x/1``,
    ``"2024"^^xsd:gYear``.

    >>> compact(ox.NamedNode("https://w3id.org/vjkg/id/state/VN"))
    'vjr:state/VN'
    """
    if isinstance(term, ox.NamedNode):
        term = URIRef(term.value)
    elif isinstance(term, (ox.Literal, ox.BlankNode)):
        return str(term)
    if isinstance(term, Literal):
        text = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^{compact(URIRef(term.datatype))}"
        return text
    if isinstance(term, BNode):
        return "[]"
    iri = str(term)
    for prefix, namespace in _DISPLAY_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def compact_text(text: str) -> str:
    """``text`` with the full IRIs a SPARQL message filled in written in their compact form."""
    def shorten(match: re.Match[str]) -> str:
        iri = match.group(0).rstrip(".")
        return compact(URIRef(iri)).strip("<>") + match.group(0)[len(iri):]
    return _IRI_IN_TEXT.sub(shorten, text)


def load_shapes(directory: Path = SHAPES_DIR) -> Graph:
    """Every shapes file of ``directory``, in name order, in one graph."""
    graph = Graph()
    for path in sorted(directory.glob("*.ttl")):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise InputError(f"{path}: not valid Turtle: {exc}") from exc
    return graph


def _catalogue(shapes: Graph) -> tuple[tuple[ShapeCheck, ...], dict[object, object]]:
    """The checks of every targeted node shape, and the node shape that owns each check."""
    owner: dict[object, object] = {}
    checks: list[ShapeCheck] = []
    for node_shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        owner[node_shape] = node_shape
        parts = list(shapes.objects(node_shape, SH.property)) + list(shapes.objects(node_shape, SH.sparql))
        for part in parts:
            owner[part] = node_shape
        if not any(shapes.value(node_shape, target) is not None for target in _TARGETS):
            continue
        for part in parts:
            name = shapes.value(part, SH.name) or shapes.value(part, RDFS.label) or compact(part)
            checks.append(ShapeCheck(compact(node_shape), compact(part), str(name)))
    return tuple(sorted(checks)), owner


def _message(shapes: Graph, check: object, messages: list[str], declared: set[str]) -> str:
    """The most specific message: one a SPARQL query filled in, else the check's own."""
    specific = sorted(m for m in messages if m not in declared)
    if specific:
        return compact_text(" ".join(specific))
    own = shapes.value(check, SH.message)
    if own is not None and str(own) in messages:
        return str(own)
    return " ".join(sorted(messages)) or "(no message)"


_EVIDENCE = """
PREFIX vjo: <https://w3id.org/vjkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?node ?file ?sentence WHERE {
  {
    ?node prov:wasDerivedFrom? ?mention .
    ?mention a/rdfs:subClassOf* vjo:Mention .
    OPTIONAL { ?mention vjo:inArticle/vjo:fileName ?file }
    OPTIONAL { ?mention vjo:inSentence/oa:exact ?inSentence }
    OPTIONAL { ?mention oa:exact ?ownText }
    BIND (COALESCE(?inSentence, ?ownText) AS ?sentence)
  }
  UNION
  { ?node (vjo:reportedBy|vjo:attestedBy|vjo:inArticle|prov:used)?/vjo:fileName ?file . }
} ORDER BY DESC(BOUND(?sentence)) ?file ?sentence LIMIT 1
"""


def _evidence(data: ox.Store, node: object) -> tuple[str | None, str | None]:
    """The article file and sentence a node was derived from (or that it is)."""
    if not isinstance(node, URIRef):
        return None, None
    rows = list(data.query(_EVIDENCE, substitutions={ox.Variable("node"): ox.NamedNode(str(node))}))
    if not rows:
        return None, None
    file_name, sentence = rows[0]["file"], rows[0]["sentence"]
    return (file_name.value if file_name is not None else None,
            sentence.value if sentence is not None else None)


def _source(data: ox.Store, focus: object, value: object,
            cache: dict[object, tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    """Where the focus node came from; failing a sentence, where the value did (a value may
    itself be a mention, e.g. a sentence that does not contain its mention)."""
    for node in (focus, value):
        if node is not None and node not in cache:
            cache[node] = _evidence(data, node)
    article, sentence = cache[focus]
    if sentence is None and value is not None and cache[value][1] is not None:
        return cache[value]
    return article, sentence


def _severity(term: object) -> str:
    name = str(term).rsplit("#", 1)[-1]
    return name if name in SEVERITIES else "Violation"


def validate(data: ox.Store, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (data, ontology and reference in its default graph) against the shapes."""
    shapes = load_shapes() if shapes is None else shapes
    _conforms, results_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, abort_on_first=False)
    checks, owner = _catalogue(shapes)
    declared = {str(m) for m in shapes.objects(None, SH.message)}
    evidence: dict[object, tuple[str | None, str | None]] = {}
    results = []
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, result) in results_graph:
            continue  # nested details are summarised by their parent result
        source = results_graph.value(result, SH.sourceConstraint) or results_graph.value(result, SH.sourceShape)
        focus = results_graph.value(result, SH.focusNode)
        path = results_graph.value(result, SH.resultPath)
        value = results_graph.value(result, SH.value)
        messages = [str(m) for m in results_graph.objects(result, SH.resultMessage)]
        article, sentence = _source(data, focus, value, evidence)
        name = shapes.value(source, SH.name)
        results.append(ShapeResult(
            severity=_severity(results_graph.value(result, SH.resultSeverity)),
            check=compact(source),
            focus=compact(focus),
            path=compact(path) if isinstance(path, URIRef) else ("(path)" if path is not None else None),
            value=compact(value) if value is not None else None,
            message=_message(shapes, source, messages, declared),
            node_shape=compact(owner.get(source, source)),
            name=str(name) if name is not None else compact(source),
            component=compact(results_graph.value(result, SH.sourceConstraintComponent)),
            article=article,
            sentence=sentence,
        ))
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    ordered = sorted(results, key=lambda r: (rank[r.severity], r.check, r.focus, r.path or "", r.value or "",
                                             r.message))
    return ValidationReport(results=tuple(ordered), checks=checks, triples=len(data))
