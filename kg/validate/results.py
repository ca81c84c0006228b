"""SHACL validation results as RDF terms: paths by structure, the W3C report graph, multisets.

A result's ``sh:resultPath`` may be a blank node with structure (``[ sh:inversePath ex:p ]``,
an RDF list for a sequence); two reports name those blank nodes differently, so a path is
kept here as a :data:`PathExpr`, a hashable value that two runs compare equal when the paths
are the same. Results are compared as a *multiset* (:func:`result_multiset`): two distinct
results that look alike are two results, as they are two nodes in a report graph.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Union

import rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier, Node
from rdflib.util import from_n3

from kg.errors import InputError
from kg.namespaces import SH

__all__ = ["LazyResults", "PathExpr", "RawResult", "as_written", "decode", "decode_path", "encode", "encode_path", "path_expr", "path_node", "path_sparql",
           "decode_all", "report_graph", "result_key", "result_multiset", "results_of_report"]

#: A SHACL path by structure: an IRI, or (kind, inner) with kind one of "inverse", "zeroOrMore",
#: "oneOrMore", "zeroOrOne", or ("sequence" | "alternative", (PathExpr, ...)).
PathExpr = Union[URIRef, tuple[str, object]]

_UNARY = {SH.inversePath: "inverse", SH.zeroOrMorePath: "zeroOrMore", SH.oneOrMorePath: "oneOrMore",
          SH.zeroOrOnePath: "zeroOrOne"}
_UNARY_KEY = {kind: key for key, kind in _UNARY.items()}
_SPARQL_UNARY = {"inverse": "^({})", "zeroOrMore": "({})*", "oneOrMore": "({})+", "zeroOrOne": "({})?"}


@contextmanager
def as_written() -> Iterator[None]:
    """Literals made inside keep their lexical form: rdflib otherwise rewrites
    ``"01"^^xsd:integer`` as ``"1"`` when it parses or unpickles one, which ``sh:pattern``,
    ``sh:in`` and ``sh:hasValue`` can see. (rdflib's documented global switch, restored after.)"""
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


@dataclass(frozen=True)
class RawResult:
    """One validation result (rdflib terms; ``None`` where the result has no such property)."""

    severity: Identifier
    source_shape: Identifier
    component: Identifier
    focus: Identifier
    path: PathExpr | None
    value: Identifier | None
    source_constraint: Identifier | None
    messages: tuple[Literal, ...]


def path_expr(graph: Graph, node: Node, _depth: int = 0) -> PathExpr:
    """The structure of the SHACL path ``node`` in ``graph``; InputError for a malformed path."""
    if _depth > 64:
        raise InputError(f"SHACL path {node} nests too deep (a cycle?)")
    if isinstance(node, URIRef):
        return node
    if not isinstance(node, BNode):
        raise InputError(f"SHACL path {node.n3()} is neither an IRI nor a blank node")
    if (node, RDF.first, None) in graph:
        members = tuple(path_expr(graph, m, _depth + 1) for m in Collection(graph, node))
        if len(members) < 2:
            raise InputError(f"SHACL sequence path {node} has fewer than two members")
        return ("sequence", members)
    for key, kind in _UNARY.items():
        inner = graph.value(node, key)
        if inner is not None:
            return (kind, path_expr(graph, inner, _depth + 1))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        members = tuple(path_expr(graph, m, _depth + 1) for m in Collection(graph, alternatives))
        return ("alternative", members)
    raise InputError(f"SHACL path {node} is not a well-formed path")


def path_node(graph: Graph, path: PathExpr) -> Node:
    """Write ``path`` into ``graph`` (fresh blank nodes) and return its node."""
    if isinstance(path, URIRef):
        return path
    kind, inner = path
    node = BNode()
    if kind == "sequence":
        Collection(graph, node, [path_node(graph, p) for p in inner])  # type: ignore[attr-defined]
        return node
    if kind == "alternative":
        members = BNode()
        Collection(graph, members, [path_node(graph, p) for p in inner])  # type: ignore[attr-defined]
        graph.add((node, SH.alternativePath, members))
        return node
    graph.add((node, _UNARY_KEY[kind], path_node(graph, inner)))  # type: ignore[arg-type]
    return node


def path_sparql(path: PathExpr) -> str:
    """The SPARQL property path of ``path``."""
    if isinstance(path, URIRef):
        return path.n3()
    kind, inner = path
    if kind == "sequence":
        return "/".join(f"({path_sparql(p)})" for p in inner)  # type: ignore[attr-defined]
    if kind == "alternative":
        return "|".join(f"({path_sparql(p)})" for p in inner)  # type: ignore[attr-defined]
    return _SPARQL_UNARY[kind].format(path_sparql(inner))  # type: ignore[arg-type]


def report_graph(results: list[RawResult]) -> Graph:
    """The W3C ``sh:ValidationReport`` of ``results``: ``sh:conforms`` is false with any result."""
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not results, datatype=XSD.boolean)))
    for result in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.resultSeverity, result.severity))
        graph.add((node, SH.sourceShape, result.source_shape))
        graph.add((node, SH.sourceConstraintComponent, result.component))
        if result.path is not None:
            graph.add((node, SH.resultPath, path_node(graph, result.path)))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if result.source_constraint is not None:
            graph.add((node, SH.sourceConstraint, result.source_constraint))
        for message in result.messages:
            graph.add((node, SH.resultMessage, message))
    return graph


def results_of_report(report: Graph, node: Node | None = None) -> list[RawResult]:
    """The results of a report graph (pySHACL's or a written one): those of the report
    ``node`` if given, else every result that is not another's ``sh:detail``."""
    if node is not None:
        nodes = list(report.objects(node, SH.result))
    else:
        nodes = [n for n in report.subjects(RDF.type, SH.ValidationResult) if (None, SH.detail, n) not in report]
    results = []
    for node in nodes:
        path = report.value(node, SH.resultPath)
        results.append(RawResult(
            severity=report.value(node, SH.resultSeverity),  # type: ignore[arg-type]
            source_shape=report.value(node, SH.sourceShape),  # type: ignore[arg-type]
            component=report.value(node, SH.sourceConstraintComponent),  # type: ignore[arg-type]
            focus=report.value(node, SH.focusNode),  # type: ignore[arg-type]
            path=None if path is None else path_expr(report, path),
            value=report.value(node, SH.value),  # type: ignore[arg-type]
            source_constraint=report.value(node, SH.sourceConstraint),  # type: ignore[arg-type]
            messages=tuple(sorted((m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)),
                                  key=str))))
    return results


ResultKey = tuple[object, ...]


def result_key(result: RawResult) -> ResultKey:
    """What two engines' results are compared by: every property but the message, each
    blank node only as "a blank node" (two graphs name them differently), paths by structure."""
    def term(node: object) -> object:
        return "_:" if isinstance(node, BNode) else node
    return (term(result.severity), term(result.source_shape), term(result.component), term(result.focus),
            result.path, term(result.value), term(result.source_constraint))


def result_multiset(results: list[RawResult]) -> Counter[ResultKey]:
    """The results as a multiset of :func:`result_key`."""
    return Counter(result_key(r) for r in results)


def encode_path(path: PathExpr | None) -> object:
    if path is None or isinstance(path, URIRef):
        return None if path is None else path.n3()
    kind, inner = path
    if kind in ("sequence", "alternative"):
        return [kind, [encode_path(p) for p in inner]]  # type: ignore[attr-defined]
    return [kind, encode_path(inner)]  # type: ignore[arg-type]


def decode_path(data: object) -> PathExpr | None:
    if data is None:
        return None
    if isinstance(data, str):
        return URIRef(data[1:-1])
    assert isinstance(data, list) and len(data) == 2
    kind, inner = str(data[0]), data[1]
    if kind in ("sequence", "alternative"):
        assert isinstance(inner, list)
        return (kind, tuple(decode_path(p) for p in inner))
    return (kind, decode_path(inner))


def encode(result: RawResult) -> list[object]:
    """A result as JSON-ready N3 strings (for a cache file)."""
    def n3(term: Identifier | None) -> str | None:
        return None if term is None else term.n3()
    return [n3(result.severity), n3(result.source_shape), n3(result.component), n3(result.focus),
            encode_path(result.path), n3(result.value), n3(result.source_constraint),
            [m.n3() for m in result.messages]]


def decode(row: list[object]) -> RawResult:
    """A result back from :func:`encode`."""
    return decode_all([row])[0]


def decode_all(rows: Iterable[list[object]]) -> list[RawResult]:
    """:func:`decode` of many rows, each distinct N3 text parsed once: a cache's results name
    the same shapes, components, messages and nodes again and again (terms are immutable, so
    the results share them)."""
    memo: dict[object, Identifier | None] = {None: None}

    def term(text: object) -> Identifier | None:
        found = memo.get(text, _MISSING)
        if found is _MISSING:
            found = memo[text] = from_n3(str(text))  # type: ignore[assignment]
        return found  # type: ignore[return-value]
    with as_written():
        return [_decoded(row, term) for row in rows]


_MISSING = object()


class LazyResults(Sequence["RawResult"]):
    """Results, part of them still encoded (kept by a previous run), decoded when first read:
    the text report of ``kg validate --changed`` never reads them, and decoding the ~20,000
    kept results of a 10,000-article store took 0.2 s. ``parts``: (encoded rows, decoded
    results) pairs, in the order the results come in."""

    def __init__(self, parts: list[tuple[list[list[object]], list[RawResult]]]) -> None:
        self._parts = parts
        self._all: list[RawResult] | None = None

    def _results(self) -> list[RawResult]:
        if self._all is None:
            self._all = [r for encoded, decoded in self._parts for r in decode_all(encoded) + decoded]
        return self._all

    def __len__(self) -> int:
        return sum(len(encoded) + len(decoded) for encoded, decoded in self._parts)

    def __getitem__(self, index):  # int or slice, as for a list
        return self._results()[index]

    def __iter__(self) -> Iterator[RawResult]:
        return iter(self._results())


def _decoded(row: list[object], term: Callable[[object], Identifier | None]) -> RawResult:
    return RawResult(severity=term(row[0]), source_shape=term(row[1]), component=term(row[2]),  # type: ignore[arg-type]
                     focus=term(row[3]), path=decode_path(row[4]), value=term(row[5]),  # type: ignore[arg-type]
                     source_constraint=term(row[6]),
                     messages=tuple(m for m in map(term, row[7]) if isinstance(m, Literal)))  # type: ignore[call-overload]


def dumps(results: list[RawResult]) -> str:
    """Results as one JSON text, sorted (for a cache file)."""
    return json.dumps(sorted((encode(r) for r in results), key=json.dumps))
