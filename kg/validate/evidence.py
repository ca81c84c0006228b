"""Where a node of the project's graph came from: its article file and sentence.

A result is easier to act on with the sentence that produced the offending node. The
project's graph links nodes to mentions (``prov:wasDerivedFrom``), mentions to articles and
sentences; data without those links simply has no evidence.
"""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

__all__ = ["Evidence", "UnionOfGraphs", "mention_classes", "source_of"]

Evidence = tuple[str | None, str | None]

_VJO = "https://w3id.org/vjkg/ontology#"
_DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
_IN_ARTICLE = ox.NamedNode(_VJO + "inArticle")
_IN_SENTENCE = ox.NamedNode(_VJO + "inSentence")
_FILE_NAME = ox.NamedNode(_VJO + "fileName")
_EXACT = ox.NamedNode("http://www.w3.org/ns/oa#exact")
_SOURCE_LINKS = tuple(ox.NamedNode(_VJO + name) for name in ("reportedBy", "attestedBy", "inArticle")) + (
    ox.NamedNode("http://www.w3.org/ns/prov#used"),)


class UnionOfGraphs:
    """A store read as the union of its named graphs (the built store: one graph per article)
    where this module reads a default graph; duplicate triples of several graphs count once."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def quads_for_pattern(self, subject: object, predicate: object, value: object, _graph: object = None
                          ) -> list[ox.Quad]:
        found: dict[ox.Triple, ox.Quad] = {}
        for quad in self.store.quads_for_pattern(subject, predicate, value, None):  # type: ignore[arg-type]
            found.setdefault(quad.triple, quad)
        return list(found.values())


def _objects(data: "ox.Store | UnionOfGraphs", subject: ox.NamedNode, predicate: ox.NamedNode) -> list[object]:
    return [q.object for q in data.quads_for_pattern(subject, predicate, None, ox.DefaultGraph())]


def mention_classes(data: "ox.Store | UnionOfGraphs") -> set[object]:
    """vjo:Mention and its subclasses (rdfs:subClassOf*)."""
    found: set[object] = {ox.NamedNode(_VJO + "Mention")}
    frontier: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(_VJO + "Mention")]
    while frontier:
        for quad in data.quads_for_pattern(None, _SUBCLASS_OF, frontier.pop(), ox.DefaultGraph()):
            if quad.subject not in found and not isinstance(quad.subject, ox.Triple):
                found.add(quad.subject)
                frontier.append(quad.subject)
    return found


def _texts(data: "ox.Store | UnionOfGraphs", subject: ox.NamedNode, predicate: ox.NamedNode) -> list[str]:
    return [o.value for o in _objects(data, subject, predicate) if isinstance(o, ox.Literal)]


def _evidence(data: "ox.Store | UnionOfGraphs", node: object, classes: set[object] | None = None
              ) -> tuple[str | None, str | None]:
    """The article file and sentence a node was derived from (or that it is).

    The node itself or a node it was derived from that is a mention gives the file of its
    article and its sentence's text (or its own text); failing that, the file of the article
    that reports, attests or contains the node. Several candidates: those with a sentence
    first, then by file name and sentence, as a SPARQL ORDER BY would sort them.
    """
    if not isinstance(node, URIRef):
        return None, None
    classes = mention_classes(data) if classes is None else classes
    subject = ox.NamedNode(str(node))
    rows: list[tuple[str | None, str | None]] = []
    for mention in [subject, *_objects(data, subject, _DERIVED_FROM)]:
        if not isinstance(mention, ox.NamedNode):
            continue
        if not any(kind in classes for kind in _objects(data, mention, _TYPE)):
            continue
        files: list[str | None] = [f for article in _objects(data, mention, _IN_ARTICLE) if isinstance(article, ox.NamedNode)
                 for f in _texts(data, article, _FILE_NAME)] or [None]
        found: list[str] = [t for sentence in _objects(data, mention, _IN_SENTENCE)
                            if isinstance(sentence, ox.NamedNode) for t in _texts(data, sentence, _EXACT)]
        sentences: list[str | None] = list(found or _texts(data, mention, _EXACT)) or [None]
        rows += [(f, t) for f in files for t in sentences]
    for holder in [subject] + [o for link in _SOURCE_LINKS for o in _objects(data, subject, link)]:
        if isinstance(holder, ox.NamedNode):
            rows += [(f, None) for f in _texts(data, holder, _FILE_NAME)]
    if not rows:
        return None, None

    def order(row: tuple[str | None, str | None]) -> tuple[object, ...]:
        file_name, sentence = row
        return (sentence is None, file_name is not None, file_name or "", sentence is not None, sentence or "")
    return min(rows, key=order)


def source_of(data: "ox.Store | UnionOfGraphs", focus: object, value: object, cache: dict[object, Evidence],
              classes: set[object]) -> Evidence:
    """Where the focus node came from; failing a sentence, where the value did (a value may
    itself be a mention, e.g. a sentence that does not contain its mention)."""
    for node in (focus, value):
        if node is not None and node not in cache:
            cache[node] = _evidence(data, node, classes)
    article, sentence = cache[focus]
    if sentence is None and value is not None and cache[value][1] is not None:
        return cache[value]
    return article, sentence


