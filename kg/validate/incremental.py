"""Validation of a built store that remembers its last run: ``kg validate --changed``.

Every validation of a store (``kg validate`` without ``--data``) writes
``<store>.validation/cache.json`` next to the store folder: the schema key (a hash of the
shapes files, the ontology and reference files, and the store's ``vjg:ontology`` and
``vjg:reference`` graphs), the ``vjo:buildFingerprint`` of each article graph (a hash of its
triples when it has none), the subjects each article graph describes, and the results of the
core (pySHACL) constraints. A cache that cannot be written is skipped silently.

With ``changed=True`` and a cache of the same schema key, pySHACL re-checks only the nodes
whose results can have changed: the subjects of the article graphs whose fingerprint changed
(before and after; added and removed graphs count as changed) and the nodes within
``reach - 1`` backward hops of them. That is exact because the shapes' core constraints read
no triple farther than ``reach - 1`` forward hops from a focus node (:mod:`kg.validate.reach`),
so a node none of whose read triples changed keeps its results; shapes without such a bound
always get a full run. The whole-graph SPARQL constraints are cheap and always run in full.
Without a usable cache (first run, shapes or schema changed, damaged file) the run is a full
one. Either way the report covers the whole graph and is the same as a full run's.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from kg.files import SHAPES_DIR
from kg.store.folders import validation_dir
from kg.store.store import Store
from kg.store.working import add_files, ontology_files, schema_files, working_graph
from kg.validate.core import core_results
from kg.validate.rdfio import as_rdflib
from kg.validate.reach import reach
from kg.validate.results import RawResult, decode, encode
from kg.validate.evidence import UnionOfGraphs
from kg.validate.compiled import NotCompiled, compile_shapes, run_plan, store_select
from kg.validate.shacl import ValidationReport, load_shapes, report_of
from kg.validate.sparql import (SparqlCheck, check_queries, core_shapes, oxigraph_rows, run_checks, run_per_node,
                                sparql_checks)

__all__ = ["StoreValidation", "cache_file", "validate_store"]

CACHE_VERSION = 2
_GRAPH = "https://w3id.org/vjkg/graph/"
_FINGERPRINT = ox.NamedNode("https://w3id.org/vjkg/ontology#buildFingerprint")


@dataclass(frozen=True)
class StoreValidation:
    """A store's validation report and how much of it pySHACL had to check again."""

    report: ValidationReport
    articles_validated: int  # article graphs whose nodes were re-checked (all of them on a full run)
    nodes_validated: int | None  # nodes re-checked on an incremental run; None on a full run


def cache_file(store_dir: Path) -> Path:
    """Where the last run of ``store_dir`` is remembered: next to the store, not inside it."""
    return validation_dir(store_dir) / "cache.json"


def _schema_key(store: Store, shapes_dir: Path) -> str:
    digest = hashlib.sha256(f"vjkg-validation-{CACHE_VERSION}".encode())
    for path in sorted(shapes_dir.glob("*.ttl")) + schema_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for graph in ("ontology", "reference"):
        name = ox.NamedNode(_GRAPH + graph)
        lines = sorted(" ".join("_:" if isinstance(t, ox.BlankNode) else str(t) for t in q.triple)
                       for q in store.oxigraph.quads_for_pattern(None, None, None, name))
        digest.update("\n".join(lines).encode())
    return digest.hexdigest()


def _articles(store: Store) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each article graph's build fingerprint (or content hash) and the subjects it describes."""
    fingerprints: dict[str, str] = {}
    subjects: dict[str, set[str]] = {}
    for graph in store.graph_names():
        if not graph.startswith(_GRAPH + "article/"):
            continue
        name = ox.NamedNode(graph)
        quads = list(store.oxigraph.quads_for_pattern(None, None, None, name))
        subjects[graph] = {str(q.subject) for q in quads}
        marks = sorted(str(q.object) for q in quads if q.predicate == _FINGERPRINT)
        if len(marks) == 1:
            fingerprints[graph] = marks[0]
        else:
            fingerprints[graph] = hashlib.sha256("\n".join(sorted(str(q.triple) for q in quads)).encode()).hexdigest()
    return fingerprints, subjects


def _load(path: Path) -> dict[str, object] | None:
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no cache, or a damaged one: validate everything
    return cached if isinstance(cached, dict) and cached.get("version") == CACHE_VERSION else None


def _save(path: Path, document: dict[str, object]) -> None:
    """Write the cache atomically; a folder that cannot be written only costs the next run time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass


def _affected(data: Graph, changed: set[str], bound: int) -> set[Node]:
    """The nodes whose core results may differ: the changed subjects and the nodes within
    ``bound - 1`` backward hops of them."""
    affected: set[Node] = {s for s in set(data.subjects()) if _key(s) in changed}
    frontier = set(affected)
    for _ in range(bound - 1):
        following: set[Node] = set()
        for node in frontier:
            following.update(s for s in data.subjects(None, node) if s not in affected)
        affected |= following
        frontier = following
    return affected


def _key(node: Node) -> str:
    """The form the cache keeps a node in: N3, as pyoxigraph's ``str`` writes it."""
    return str(node.n3())


def _focus_key(result: RawResult) -> str:
    return _key(result.focus)


def _subjects_of(graphs: Iterable[str], *sources: Mapping[str, Iterable[str]]) -> set[str]:
    return {subject for graph in graphs for source in sources for subject in source.get(graph, ())}


def _holds_ontology(store: Store) -> bool:
    """Whether the store's ontology graph has every triple (blank nodes aside) of the ontology
    files, so that the union of its graphs is the data plus the T-box, as
    :func:`kg.store.working.working_graph` gathers it (else the slower path does that)."""
    files = ox.Store()
    add_files(files, ontology_files(), allow_empty=True)
    graph = ox.NamedNode(_GRAPH + "ontology")

    def plain(quads: Iterable[ox.Quad]) -> set[ox.Triple]:
        return {q.triple for q in quads if not any(isinstance(t, ox.BlankNode) for t in q.triple)}
    wanted = plain(files.quads_for_pattern(None, None, None, None))
    return wanted <= plain(store.oxigraph.quads_for_pattern(None, None, None, graph))


def _triples(store: ox.Store) -> int:
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    return int(next(iter(rows))["n"].value)


CoreRun = tuple[list[RawResult], tuple[int, int | None]]


def _core_run(store: Store, store_dir: Path, shapes_dir: Path, changed: bool, bound: int | None,
              full: Callable[[], list[RawResult]], some: Callable[[set[str]], list[RawResult]],
              affected: Callable[[set[str], int], set[str] | None]) -> CoreRun:
    """The core results, from the cache where it is still right (see the module's
    documentation), and the cache written for the next run. ``affected``: the keys of the
    nodes whose results may differ (None: re-check everything)."""
    schema = _schema_key(store, shapes_dir)
    fingerprints, subjects = _articles(store)
    cached = _load(cache_file(store_dir)) if changed and bound is not None else None
    core_raw: list[RawResult] | None = None
    if cached is not None and cached.get("schema") == schema and bound is not None:
        old_prints: dict[str, str] = cached["fingerprints"]  # type: ignore[assignment]
        old_subjects: dict[str, list[str]] = cached["subjects"]  # type: ignore[assignment]
        graphs = {g for g in set(fingerprints) | set(old_prints) if fingerprints.get(g) != old_prints.get(g)}
        nodes = _subjects_of(graphs, subjects, old_subjects)
        found = affected(nodes, bound) if nodes else set()
        if found is not None:
            keys = found | nodes  # removed nodes lose their results too
            rows: list[list[object]] = cached["core"]  # type: ignore[assignment]
            kept = [r for r in map(decode, rows) if _focus_key(r) not in keys]
            core_raw = kept + (some(found) if found else [])
            run: tuple[int, int | None] = (len(graphs), len(found))
    if core_raw is None:
        core_raw, run = full(), (len(fingerprints), None)
    _save(cache_file(store_dir), {
        "version": CACHE_VERSION, "schema": schema, "fingerprints": fingerprints,
        "subjects": {g: sorted(s) for g, s in sorted(subjects.items())},
        "core": sorted((encode(r) for r in core_raw), key=json.dumps)})
    return core_raw, run


def _affected_in_store(store: ox.Store, nodes: set[str], bound: int) -> set[str] | None:
    """:func:`_affected` by SPARQL on the union of the store's graphs (None with a blank node,
    which a query cannot name)."""
    def subjects(query: str, terms: set[str]) -> set[str] | None:
        if any(not t.startswith("<") for t in terms):
            return None
        found: set[str] = set()
        ordered = sorted(terms)
        for start in range(0, len(ordered), 2000):
            block = " ".join(ordered[start:start + 2000])
            for row in store.query(query.replace("$TERMS", block), use_default_graph_as_union=True):  # type: ignore[union-attr]
                found.add(str(row["s"]))
        return found
    affected = subjects("SELECT DISTINCT ?s WHERE { VALUES ?s { $TERMS } ?s ?p ?o }", nodes)
    frontier = affected
    for _ in range(bound - 1):
        if affected is None or frontier is None:
            return None
        following = subjects("SELECT DISTINCT ?s WHERE { VALUES ?o { $TERMS } ?s ?p ?o }", frontier)
        if following is None:
            return None
        frontier = following - affected
        affected |= frontier
    return affected if affected is None or all(t.startswith("<") for t in affected) else None


def _validate_compiled(store: Store, store_dir: Path, shapes_dir: Path, changed: bool, shapes: Graph,
                       core: Graph, checks: list[SparqlCheck]) -> StoreValidation | None:
    """The store validated with the compiled core (:mod:`kg.validate.compiled`) on the union of
    its graphs; None when the plan does not cover the shapes or the data."""
    plan = compile_shapes(core)
    if plan is None:
        return None
    select = store_select(store.oxigraph, union=True)
    workers = os.cpu_count() or 1

    def some(keys: set[str]) -> list[RawResult]:
        return run_plan(plan, select, only="VALUES ?this { " + " ".join(sorted(keys)) + " }", workers=workers)
    try:
        core_raw, run = _core_run(store, store_dir, shapes_dir, changed, reach(core),
                                  lambda: run_plan(plan, select, workers=workers), some,
                                  lambda nodes, bound: _affected_in_store(store.oxigraph, nodes, bound))
    except NotCompiled:
        return None
    rows = oxigraph_rows(store.oxigraph, union=True)
    with ThreadPoolExecutor(max_workers=workers) as pool:  # Oxigraph runs queries without Python's lock
        parts = list(pool.map(lambda check: run_checks(rows, [check]), checks))
    sparql_raw = [result for part in parts for result in part]
    report = report_of(UnionOfGraphs(store.oxigraph), shapes, core_raw + sparql_raw, triples=_triples(store.oxigraph))
    return StoreValidation(report=report, articles_validated=run[0], nodes_validated=run[1])


def validate_store(store_dir: Path, *, changed: bool = False, shapes_dir: Path = SHAPES_DIR) -> StoreValidation:
    """Validate the built store in ``store_dir``; with ``changed``, re-check only what changed
    since the last run (see the module's documentation) and reuse the rest."""
    store = Store(store_dir, read_only=True)
    shapes = load_shapes(shapes_dir)
    check_queries(shapes)
    checks = sparql_checks(shapes)
    core = core_shapes(shapes, checks)
    if not any(check.focus for check in checks) and _holds_ontology(store):
        compiled = _validate_compiled(store, store_dir, shapes_dir, changed, shapes, core, checks)
        if compiled is not None:
            return compiled
    bound = reach(core)
    data = working_graph(store_dir=store_dir)
    graph = as_rdflib(data)
    by_key: dict[str, Node] = {}

    def affected(nodes: set[str], bound: int) -> set[str]:
        found = _affected(graph, nodes, bound)
        by_key.update((_key(n), n) for n in found)
        return set(by_key)

    def some(keys: set[str]) -> list[RawResult]:
        return core_results(graph, core, nodes={by_key[k] for k in keys})
    core_raw, run = _core_run(store, store_dir, shapes_dir, changed, bound, lambda: core_results(graph, core),
                              some, affected)
    sparql_raw = run_checks(oxigraph_rows(data), checks) + run_per_node(graph, shapes, checks)
    report = report_of(data, shapes, core_raw + sparql_raw)
    return StoreValidation(report=report, articles_validated=run[0], nodes_validated=run[1])
