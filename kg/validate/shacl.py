"""SHACL validation of the graph against ``shapes/``, with results a person can act on.

The data graph is validated together with the ontology and the reference data (see
:func:`kg.store.working.working_graph`) so that ``sh:class`` follows ``rdfs:subClassOf`` (a
``vjo:State`` is an ``org:Organization``) and reference entities are checked too.

Inference is "none", on purpose: with RDFS inference the domains and ranges of the
ontology would type every value the way the shapes then check, so ``sh:class`` would pass
on anything. The shapes check what the builder asserted.

Speed: one plain pySHACL call spends nearly all its time running the SPARQL-based
constraints once per focus node. :func:`validate` gives pySHACL only the core constraints
(on rdflib copies of chunks of the graph, which it walks far faster than a pyoxigraph store,
in worker processes: :mod:`kg.validate.core`) and runs
each SPARQL-based constraint once over the whole graph in Oxigraph (:mod:`kg.validate.sparql`).
The result set is the same as the plain call's (:func:`plain_results`; see
tests/test_validate_equivalence.py). :mod:`kg.validate.incremental` adds ``kg validate --changed``.

A graph conforms when it has no ``sh:Violation``; warnings and infos are reported but do
not fail. Each result names its shape, the node, and (through ``prov:wasDerivedFrom``) the
article file and the sentence the node came from.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.errors import InputError
from kg.namespaces import SH, compact, compact_text
from kg.files import SHAPES_DIR
from kg.validate.core import core_results, pyshacl_results
from kg.validate.sparql import RawResult, core_shapes, run_checks, sparql_checks

__all__ = ["SEVERITIES", "RawResult", "ShapeCheck", "ShapeResult", "ValidationReport", "load_shapes", "plain_results",
           "report_of", "result_rows", "split_results", "validate"]

SEVERITIES = ("Violation", "Warning", "Info")
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


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


def _objects(data: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> list[object]:
    return [q.object for q in data.quads_for_pattern(subject, predicate, None, ox.DefaultGraph())]


def _mention_classes(data: ox.Store) -> set[object]:
    """vjo:Mention and its subclasses (rdfs:subClassOf*)."""
    found: set[object] = {ox.NamedNode(_VJO + "Mention")}
    frontier = list(found)
    while frontier:
        for quad in data.quads_for_pattern(None, _SUBCLASS_OF, frontier.pop(), ox.DefaultGraph()):
            if quad.subject not in found:
                found.add(quad.subject)
                frontier.append(quad.subject)
    return found


def _texts(data: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> list[str]:
    return [o.value for o in _objects(data, subject, predicate) if isinstance(o, ox.Literal)]


def _evidence(data: ox.Store, node: object, mention_classes: set[object] | None = None
              ) -> tuple[str | None, str | None]:
    """The article file and sentence a node was derived from (or that it is).

    The node itself or a node it was derived from that is a mention gives the file of its
    article and its sentence's text (or its own text); failing that, the file of the article
    that reports, attests or contains the node. Several candidates: those with a sentence
    first, then by file name and sentence, as a SPARQL ORDER BY would sort them.
    """
    if not isinstance(node, URIRef):
        return None, None
    mention_classes = _mention_classes(data) if mention_classes is None else mention_classes
    subject = ox.NamedNode(str(node))
    rows: list[tuple[str | None, str | None]] = []
    for mention in [subject, *_objects(data, subject, _DERIVED_FROM)]:
        if not isinstance(mention, ox.NamedNode):
            continue
        if not any(kind in mention_classes for kind in _objects(data, mention, _TYPE)):
            continue
        files = [f for article in _objects(data, mention, _IN_ARTICLE) if isinstance(article, ox.NamedNode)
                 for f in _texts(data, article, _FILE_NAME)] or [None]
        sentences = [t for sentence in _objects(data, mention, _IN_SENTENCE) if isinstance(sentence, ox.NamedNode)
                     for t in _texts(data, sentence, _EXACT)] or _texts(data, mention, _EXACT) or [None]
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


def _source(data: ox.Store, focus: object, value: object, cache: dict[object, tuple[str | None, str | None]],
            mention_classes: set[object]) -> tuple[str | None, str | None]:
    """Where the focus node came from; failing a sentence, where the value did (a value may
    itself be a mention, e.g. a sentence that does not contain its mention)."""
    for node in (focus, value):
        if node is not None and node not in cache:
            cache[node] = _evidence(data, node, mention_classes)
    article, sentence = cache[focus]
    if sentence is None and value is not None and cache[value][1] is not None:
        return cache[value]
    return article, sentence


def _severity(term: object) -> str:
    name = str(term).rsplit("#", 1)[-1]
    return name if name in SEVERITIES else "Violation"


def as_rdflib(data: ox.Store) -> Graph:
    """The default graph of ``data`` as an rdflib graph: pySHACL walks it many times faster
    than it walks a pyoxigraph store."""
    triples = (ox.Triple(q.subject, q.predicate, q.object)
               for q in data.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def plain_results(data: ox.Store | Graph, shapes: Graph) -> list[RawResult]:
    """All results from one plain pySHACL call: the reference the split run is tested against."""
    graph = data if isinstance(data, Graph) else as_rdflib(data)
    _conforms, results_graph, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, abort_on_first=False)
    return pyshacl_results(results_graph)


ResultRow = tuple[str | None, ...]


def result_rows(results: list[RawResult]) -> set[ResultRow]:
    """Results as comparable tuples (severity, source shape, constraint, focus, path, value,
    component), blank nodes made equal: how two validators' result sets are compared."""
    def term(node: object) -> str | None:
        if node is None:
            return None
        return "_:" if isinstance(node, BNode) else node.n3()  # type: ignore[attr-defined]
    return {tuple(term(part) for part in (r.severity, r.source_shape, r.source_constraint, r.focus, r.path,
                                           r.value, r.component)) for r in results}


def split_results(data: ox.Store, shapes: Graph) -> list[RawResult]:
    """The same results as :func:`plain_results`, found faster: pySHACL checks the core
    constraints (in chunks, in parallel: :mod:`kg.validate.core`), and each SPARQL-based
    constraint runs once over the whole graph in Oxigraph (:mod:`kg.validate.sparql`)."""
    checks = sparql_checks(shapes)
    return core_results(data, core_shapes(shapes, checks)) + run_checks(data, checks)


def report_of(data: ox.Store, shapes: Graph, raw: list[RawResult]) -> ValidationReport:
    """Readable, sorted results (with their source text) from raw SHACL results."""
    checks, owner = _catalogue(shapes)
    declared = {str(m) for m in shapes.objects(None, SH.message)}
    evidence: dict[object, tuple[str | None, str | None]] = {}
    mention_classes = _mention_classes(data)
    results = set()
    for result in raw:
        source = result.source_constraint or result.source_shape
        focus, path, value = result.focus, result.path, result.value
        article, sentence = _source(data, focus, value, evidence, mention_classes)
        name = shapes.value(source, SH.name)
        results.add(ShapeResult(
            severity=_severity(result.severity),
            check=compact(source),
            focus=compact(focus),
            path=compact(path) if isinstance(path, URIRef) else ("(path)" if path is not None else None),
            value=compact(value) if value is not None else None,
            message=_message(shapes, source, list(result.messages), declared),
            node_shape=compact(owner.get(source, source)),
            name=str(name) if name is not None else compact(source),
            component=compact(result.component),
            article=article,
            sentence=sentence,
        ))
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    ordered = sorted(results, key=lambda r: (rank[r.severity], r.check, r.focus, r.path or "", r.value or "",
                                             r.message, r.component))
    return ValidationReport(results=tuple(ordered), checks=checks, triples=len(data))


def validate(data: ox.Store, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (data, ontology and reference in its default graph) against the shapes."""
    shapes = load_shapes() if shapes is None else shapes
    return report_of(data, shapes, split_results(data, shapes))
