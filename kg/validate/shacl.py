"""SHACL validation for anyone's data and shapes, with results a person can act on.

:func:`validate_graph` gives the results of a conforming engine on one whole graph, as a
multiset, found faster where that is provably the same (see tests/test_w3c_suite.py and
tests/test_validate_equivalence.py):

* the shapes are refused first where SHACL says so (:func:`kg.validate.sparql.check_queries`);
* each SPARQL constraint whose pre-bound variables stay in the query's top-level group runs
  as one query over the whole graph (:mod:`kg.validate.sparql`): in Oxigraph when the
  store keeps every literal of the data as written, else in rdflib;
* pySHACL checks the rest, on parts of the graph in parallel when the shapes' reach is
  bounded (:mod:`kg.validate.reach`, :mod:`kg.validate.core`), else on the whole graph.

Data is validated as written (rdflib graphs, :mod:`kg.validate.rdfio`). For the project's
own shapes the data goes with the ontology (and reference data), so that ``sh:class``
follows ``rdfs:subClassOf``. Inference is "none", on purpose: with RDFS inference the
domains and ranges of the ontology would type every value the way the shapes then check.

A report conforms, as the spec says, when it has no result at all; whether a run *fails*
is a policy of its own (:meth:`ValidationReport.fails`, ``kg validate --fail-on``). Each
result names its shape, the node, and (through ``prov:wasDerivedFrom``) the article file
and the sentence the node came from, where the data has them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Identifier

from kg.files import SHAPES_DIR
from kg.store.working import schema_files
from kg.namespaces import SH, compact, compact_text
from kg.validate.compiled import NotCompiled, compile_shapes, run_plan, store_select
from kg.validate.core import core_results, pyshacl_results
from kg.validate.evidence import Evidence, UnionOfGraphs, mention_classes, source_of
from kg.validate.rdfio import as_rdflib, oxigraph_copy, read_graph
from kg.validate.results import LazyResults, PathExpr, RawResult
from kg.validate.sparql import (Rows, check_queries, core_shapes, oxigraph_rows, rdflib_rows, run_checks,
                                run_per_node, sparql_checks)

__all__ = ["SEVERITIES", "RawResult", "ShapeCheck", "ShapeResult", "ValidationReport", "as_rdflib", "assemble",
           "compiled_results", "load_shapes", "plain_results", "readable", "report_of", "report_order", "result_rows",
           "split_results", "validate", "validate_files", "validate_graph"]

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
    """What a validation run found (a multiset), sorted: most severe first, then by check and node."""

    results: tuple[ShapeResult, ...]
    checks: tuple[ShapeCheck, ...]
    triples: int
    raw: Sequence[RawResult] = ()  # the same results as terms, for the W3C report (a tuple, or LazyResults)

    @property
    def conforms(self) -> bool:
        """As SHACL defines it: true when there is no result at all, of any severity."""
        return not self.results

    def fails(self, level: str = "Violation") -> bool:
        """True when a result is at ``level`` or more severe (``kg validate --fail-on``)."""
        rank = SEVERITIES.index(level)
        return any(SEVERITIES.index(r.severity) <= rank for r in self.results)

    def counts(self) -> dict[str, int]:
        found = Counter(r.severity for r in self.results)
        return {severity: found.get(severity, 0) for severity in SEVERITIES}


def load_shapes(directory: Path = SHAPES_DIR, files: list[Path] | None = None) -> Graph:
    """The shapes of ``files`` (any RDF syntax), or of every ``*.ttl`` of ``directory``, in one graph."""
    return read_graph(sorted(directory.glob("*.ttl")) if files is None else files, allow_empty=files is None)


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


def _message(shapes: Graph, check: Identifier, messages: list[str], declared: set[str]) -> str:
    """The most specific message: one a SPARQL query filled in, else the check's own."""
    specific = sorted(m for m in messages if m not in declared)
    if specific:
        return compact_text(" ".join(specific))
    own = shapes.value(check, SH.message)
    if own is not None and str(own) in messages:
        return str(own)
    return " ".join(sorted(messages)) or "(no message)"


def _severity(term: object) -> str:
    name = str(term).rsplit("#", 1)[-1]
    return name if name in SEVERITIES else "Violation"


def _rows(data: Graph, store: ox.Store | None) -> Rows:
    """How SPARQL constraints query ``data``: Oxigraph when ``store`` holds it (or can, with
    every literal as written), else rdflib."""
    if store is None:
        copy, faithful = oxigraph_copy(data)
        store = copy if faithful else None
    return rdflib_rows(data) if store is None else oxigraph_rows(store)


def validate_graph(data: Graph, shapes: Graph, *, store: ox.Store | None = None,
                   chunk_subjects: int | None = None) -> list[RawResult]:
    """The results of ``shapes`` on ``data``, as one whole-graph run of a conforming engine
    gives them (a multiset). ``store``: an Oxigraph store with exactly the triples of ``data``
    (as written), if the caller has one. ShapesRefused for shapes SHACL says to refuse."""
    check_queries(shapes)
    checks = sparql_checks(shapes)
    options = {} if chunk_subjects is None else {"chunk_subjects": chunk_subjects}
    core_graph = core_shapes(shapes, checks)
    core = compiled_results(core_graph, store) if chunk_subjects is None else None
    if core is None:
        core = core_results(data, core_graph, **options)  # type: ignore[arg-type]
    whole_graph = [c for c in checks if not c.focus]
    return core + (run_checks(_rows(data, store), whole_graph) if whole_graph else []) + \
        run_per_node(data, shapes, [c for c in checks if c.focus])


def compiled_results(core: Graph, store: ox.Store | None, *, union: bool = False) -> list[RawResult] | None:
    """The core shapes' results by :mod:`kg.validate.compiled` on ``store`` (its default graph,
    or the union of its named graphs), or None when the plan does not cover these shapes or
    this data (the caller then runs pySHACL)."""
    if store is None:
        return None
    plan = compile_shapes(core)
    if plan is None:
        return None
    try:
        return run_plan(plan, store_select(store, union=union))
    except NotCompiled:
        return None


def plain_results(data: ox.Store | Graph, shapes: Graph) -> list[RawResult]:
    """All results from one plain pySHACL call: the reference the fast run is tested against."""
    return pyshacl_results(data if isinstance(data, Graph) else as_rdflib(data), shapes)


ResultRow = tuple[str, ...]


def result_rows(results: list[RawResult]) -> list[ResultRow]:
    """Results as comparable text rows (severity, source shape, constraint, focus, path, value,
    component; blank nodes as "_:", paths by structure), sorted, duplicates kept."""
    def text(part: object) -> str:
        if part is None:
            return "-"
        if isinstance(part, BNode) or part == "_:":
            return "_:"
        return part.n3() if isinstance(part, Identifier) else repr(part)
    rows = []
    for r in results:
        parts = (r.severity, r.source_shape, r.source_constraint, r.focus, r.path, r.value, r.component)
        rows.append(tuple(text(p) for p in parts))
    return sorted(rows)


def split_results(data: ox.Store, shapes: Graph) -> list[RawResult]:
    """:func:`validate_graph` on the default graph of a store the project built (its literals
    are the store's own, so the store serves the SPARQL constraints as it is)."""
    return validate_graph(as_rdflib(data), shapes, store=data)


def _path_text(path: PathExpr | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return compact(path)
    kind, inner = path
    if kind in ("sequence", "alternative"):
        joiner = "/" if kind == "sequence" else "|"
        return "(" + joiner.join(_path_text(p) or "" for p in inner) + ")"  # type: ignore[attr-defined]
    pattern = {"inverse": "^{}", "zeroOrMore": "{}*", "oneOrMore": "{}+", "zeroOrOne": "{}?"}[kind]
    return pattern.format(_path_text(inner))  # type: ignore[arg-type]


def readable(data: ox.Store | UnionOfGraphs | None, shapes: Graph, raw: Sequence[RawResult], *,
             evidence: dict[object, Evidence] | None = None) -> list[ShapeResult]:
    """Each raw result made readable, in the order given, with its source text where ``data``
    has it. ``evidence``: the (article, sentence) of nodes already known; filled in with the others."""
    _checks, owner = _catalogue(shapes)
    declared = {str(m) for m in shapes.objects(None, SH.message)}
    evidence = {} if evidence is None else evidence
    classes = mention_classes(data) if data is not None else set()
    results = []
    for result in raw:
        source = result.source_constraint or result.source_shape
        focus, value = result.focus, result.value
        article, sentence = source_of(data, focus, value, evidence, classes) if data is not None else (None, None)
        name = shapes.value(source, SH.name)
        results.append(ShapeResult(
            severity=_severity(result.severity),
            check=compact(source),
            focus=compact(focus),
            path=_path_text(result.path),
            value=compact(value) if value is not None else None,
            message=_message(shapes, source, [str(m) for m in result.messages], declared),
            node_shape=compact(owner.get(source, source)),
            name=str(name) if name is not None else compact(source),
            component=compact(result.component),
            article=article,
            sentence=sentence,
        ))
    return results


_RANK = {severity: index for index, severity in enumerate(SEVERITIES)}


def report_order(result: ShapeResult) -> tuple[object, ...]:
    """Where a result stands in a report: most severe first, then by check, node, path, value."""
    return (_RANK[result.severity], result.check, result.focus, result.path or "", result.value or "",
            result.message, result.component)


def assemble(shapes: Graph, results: Iterable[ShapeResult], raw: Sequence[RawResult], triples: int) -> ValidationReport:
    """The report of readable ``results`` (sorted here) and the same results as terms, ``raw``."""
    checks, _owner = _catalogue(shapes)
    return ValidationReport(results=tuple(sorted(results, key=report_order)), checks=checks, triples=triples,
                            raw=raw if isinstance(raw, LazyResults) else tuple(raw))


def report_of(data: ox.Store | UnionOfGraphs | None, shapes: Graph, raw: list[RawResult], *, triples: int | None = None,
              evidence: dict[object, Evidence] | None = None) -> ValidationReport:
    """Readable, sorted results (with their source text where ``data`` has it) from raw results.
    ``evidence``: the (article, sentence) of nodes already known; filled in with the others."""
    size = triples if triples is not None else (len(data) if isinstance(data, ox.Store) else 0)
    return assemble(shapes, readable(data, shapes, raw, evidence=evidence), raw, size)


def validate_files(data_files: Sequence[Path], shape_files: Sequence[Path] = (), *,
                   with_reference: bool = False) -> ValidationReport:
    """Validate RDF files as written against shape files (default: the project's shapes, with
    the ontology, and the reference data if asked, added to the data)."""
    shapes = load_shapes(files=list(shape_files)) if shape_files else load_shapes()
    data = read_graph(data_files)
    if not shape_files:
        for triple in read_graph(schema_files(with_reference=with_reference), allow_empty=True):
            data.add(triple)
    copy, faithful = oxigraph_copy(data)
    raw = validate_graph(data, shapes, store=copy if faithful else None)
    return report_of(copy, shapes, raw, triples=len(data))


def validate(data: ox.Store | Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (for the project's shapes: data, ontology and reference together)
    against ``shapes`` (default: the project's)."""
    shapes = load_shapes() if shapes is None else shapes
    if isinstance(data, Graph):
        return report_of(None, shapes, validate_graph(data, shapes), triples=len(data))
    return report_of(data, shapes, split_results(data, shapes))
