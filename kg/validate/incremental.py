"""Validation of a built store that remembers its last run: ``kg validate --changed``.

Every validation of a store (``kg validate`` without ``--data``) leaves beside the store
folder (``<store>.validation/``) ``last-run.bin`` (:mod:`kg.validate.last_run`): the schema
key (a hash of the shapes files, the ontology and reference files, and the store's
``vjg:ontology`` and ``vjg:reference`` graphs), the ``vjo:buildFingerprint`` of each article
graph (a hash of its triples when it has none), the graphs holding ``rdfs:subClassOf``
triples, and every result (core and SPARQL, per constraint) with the row the report prints
for it (its source article and sentence included); ``subjects.sqlite``: the subjects of each article graph under its fingerprint; and
``checks.json``: the shapes' SPARQL checks and their reach (:mod:`kg.validate.checks_cache`).
A cache that cannot be written is skipped silently.

With ``changed=True`` and a cache of the same schema key, only what can have changed is
checked again. The *changed subjects* are those of the article graphs whose fingerprint
changed, before (from ``subjects.sqlite``) and after (from the store); added and removed
graphs count as changed. Of a changed graph whose shared part (the triples of subjects not
minted from its stem: persons, the bilateral relationship...) has the digest the cache keeps,
only the local subjects count (:mod:`kg.validate.shared_part`): the shared ones have the same
triples there as before, and a hub pointed at by hundreds of nodes is not re-checked with them.
A result of a focus node reads only triples whose subject lies within ``reach - 1`` forward
hops of it: the core shapes' reach (:func:`kg.validate.reach.reach`), each SPARQL constraint's (:func:`kg.validate.reach.query_reach`), and 3 for the evidence a
result quotes. Every triple added or removed has a changed subject, and the first changed
triple on any path from a node is reached from it through unchanged triples; so a node
farther than ``reach - 1`` backward hops (in the new graph) from every changed subject keeps
its results, and only the nodes within reach are re-checked, by queries that start from them.
A SPARQL constraint whose reach cannot be shown, or whose targets are not read from the focus
node's own triples, runs in full. Everything else comes from the cache: a kept result keeps
its printed row too, unless its value lies within reach (the row may quote the value's
sentence), when the row is made again from the store.

The run is a full one without a usable cache (first run, shapes or schema changed, damaged
file, a cache the other validation path wrote), when the changed graphs hold more than half
(:data:`MOST`) of the article triples (a full run is quicker then), when the core shapes'
reach is unbounded, when a changed graph (old or new) holds ``rdfs:subClassOf`` triples
(class membership then reaches beyond any bound), or when a changed subject or an affected node is a blank node (a query cannot name it). Either way
the report covers the whole graph and is the same as a full run's. Graphs other than the
article graphs, the ontology and the reference data (the build's summary, derived from them
and read by no shape) are not tracked.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from kg.files import SHAPES_DIR
from kg.store.folders import validation_dir
from kg.store.store import Store
from kg.store.working import add_files, ontology_files, schema_files, working_graph
from kg.validate import checks_cache, last_run
from kg.validate.compiled import NotCompiled, compile_shapes, run_plan, store_select
from kg.validate.core import core_results
from kg.validate.evidence import UnionOfGraphs
from kg.validate.hashjoin import hash_joined
from kg.validate.last_run import Entry, LastRun, focus_of, value_of
from kg.validate.rdfio import as_rdflib
from kg.validate.reach import query_reach, reach
from kg.validate.results import LazyResults, RawResult, decode_all, encode
from kg.validate.shared_part import local_subjects, shared_digests
from kg.validate.shacl import ShapeResult, ValidationReport, assemble, load_shapes, readable
from kg.validate.sparql import (SparqlCheck, check_queries, core_shapes, oxigraph_rows, restricted, run_checks,
                                run_per_node, sparql_checks)

__all__ = ["StoreValidation", "cache_file", "validate_store"]

CACHE_VERSION = 6
EVIDENCE_REACH = 3  # evidence reads a node's mentions (1 hop) and their articles and sentences (2)
_GRAPH = "https://w3id.org/vjkg/graph/"
_ARTICLES = _GRAPH + "article/"
_FINGERPRINT = ox.NamedNode("https://w3id.org/vjkg/ontology#buildFingerprint")
_SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_BLOCK = 2000  # terms per VALUES block
MOST = 0.5  # a change to graphs holding more than this share of the article triples runs in full (quicker then)


@dataclass(frozen=True)
class StoreValidation:
    """A store's validation report and how much of it had to be checked again."""

    report: ValidationReport
    articles_validated: int  # article graphs whose nodes were re-checked (all of them on a full run)
    nodes_validated: int | None  # nodes re-checked on an incremental run; None on a full run


def cache_file(store_dir: Path) -> Path:
    """Where the last run of ``store_dir`` is remembered: next to the store, not inside it."""
    return validation_dir(store_dir) / "last-run.bin"


def _subjects_file(store_dir: Path) -> Path:
    return validation_dir(store_dir) / "subjects.sqlite"


def _checks_file(store_dir: Path) -> Path:
    return validation_dir(store_dir) / "checks.json"


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


def _fingerprints(store: Store) -> dict[str, str]:
    """Each article graph's build fingerprint, read from those triples alone; a graph without
    exactly one gets a hash of its triples."""
    marks: dict[str, list[str]] = {}
    rows = store.oxigraph.query(f"SELECT ?g ?f WHERE {{ GRAPH ?g {{ ?s {_FINGERPRINT} ?f }} }}")  # 40 % less than quads_for_pattern
    for row in rows:  # type: ignore[union-attr]
        marks.setdefault(row["g"].value, []).append(str(row["f"]))
    prints: dict[str, str] = {}
    for graph in store.graph_names():
        if not graph.startswith(_ARTICLES):
            continue
        found = marks.get(graph, [])
        if len(found) == 1:
            prints[graph] = found[0]
        else:
            quads = store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            prints[graph] = hashlib.sha256("\n".join(sorted(str(q.triple) for q in quads)).encode()).hexdigest()
    return prints


@dataclass
class _Graphs:
    """The subjects (N-Triples form) of article graphs, and how many triples each has."""

    subjects: dict[str, set[str]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)  # digest of each graph's shared part (kg.validate.shared_part)


def _subjects(store: Store, graphs: Iterable[str] | None, prints: dict[str, str]) -> _Graphs:
    """The subjects, sizes and shared-part digests of the article graphs ``graphs`` (None:
    all); subjects by queries: Oxigraph finds them without making a Python object per triple."""
    found = _Graphs()
    if graphs is None:  # one query per graph: 3 times less CPU than one DISTINCT over every graph
        graphs = [g for g in store.graph_names() if g.startswith(_ARTICLES)]
    graphs = list(graphs)
    for graph in graphs:
        rows = store.oxigraph.query(f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} GROUP BY ?s")
        subjects, size = set(), 0
        for row in rows:  # type: ignore[union-attr]
            subjects.add(str(row["s"]))
            size += int(row["n"].value)
        found.subjects[graph], found.sizes[graph] = subjects, size
    # a fingerprint is kept as N-Triples text: the pieces record the literal's own text
    found.shared = shared_digests(store, graphs, {g: p[1:-1] for g, p in prints.items() if p[:1] == p[-1:] == '"'})
    return found


def _other_triples(store: ox.Store) -> int:
    """The triples of the graphs other than the article graphs (ontology, reference, summary,
    the default graph), counted by Oxigraph; with the article graphs' sizes, the triples of the
    union as Oxigraph counts them (each graph's own: a triple in two graphs counts twice)."""
    total = 0
    for graph in store.named_graphs():
        if not (isinstance(graph, ox.NamedNode) and graph.value.startswith(_ARTICLES)):
            rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
            total += int(next(iter(rows))["n"].value)  # type: ignore[arg-type]
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return total + int(next(iter(rows))["n"].value)  # type: ignore[arg-type]


def _subclass_graphs(store: ox.Store, graphs: Iterable[str] | None) -> set[str]:
    """The article graphs (of ``graphs``; None: all) with an ``rdfs:subClassOf`` triple."""
    if graphs is None:
        return {q.graph_name.value for q in store.quads_for_pattern(None, _SUBCLASS_OF, None, None)
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(_ARTICLES)}
    return {g for g in graphs if any(True for _ in store.quads_for_pattern(None, _SUBCLASS_OF, None, ox.NamedNode(g)))}


def _old_subjects(store_dir: Path, prints: dict[str, str]) -> dict[str, set[str]] | None:
    """The subjects the cache keeps of each graph at the given fingerprint; None if one is missing."""
    try:
        with sqlite3.connect(_subjects_file(store_dir)) as db:
            found: dict[str, set[str]] = {}
            for graph, mark in prints.items():
                rows = db.execute("SELECT subject FROM subjects JOIN graphs ON graphs.id = subjects.graph_id "
                                  "WHERE graph = ? AND fingerprint = ?", (graph, mark))
                found[graph] = {row[0] for row in rows}
                if not found[graph]:
                    return None
            return found
    except sqlite3.Error:
        return None


def _save_subjects(store_dir: Path, prints: dict[str, str], subjects: dict[str, set[str]], full: bool) -> None:
    """Record the subjects of the graphs (re)read this run under their fingerprints; a full
    run starts the file afresh. Written before the last run's file, whose fingerprints select the rows."""
    path = _subjects_file(store_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    if full:
        path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        # Each (graph, fingerprint) once, its subjects under a number: the IRIs repeated on
        # every row made the file 426 MB at 10,000 articles.
        db.execute("CREATE TABLE IF NOT EXISTS graphs (id INTEGER PRIMARY KEY, graph TEXT, fingerprint TEXT, "
                   "UNIQUE (graph, fingerprint))")
        db.execute("CREATE TABLE IF NOT EXISTS subjects (graph_id INTEGER, subject TEXT)")
        db.execute("CREATE INDEX IF NOT EXISTS by_graph ON subjects (graph_id)")
        for graph, found in subjects.items():
            if graph in prints:
                _delete_graph(db, graph, prints[graph])
                graph_id = db.execute("INSERT INTO graphs (graph, fingerprint) VALUES (?, ?)",
                                      (graph, prints[graph])).lastrowid
                db.executemany("INSERT INTO subjects VALUES (?, ?)", ((graph_id, s) for s in sorted(found)))


def _delete_graph(db: sqlite3.Connection, graph: str, fingerprint: str) -> None:
    """Forget the subjects kept of ``graph`` at ``fingerprint``."""
    for (graph_id,) in db.execute("SELECT id FROM graphs WHERE graph = ? AND fingerprint = ?",
                                  (graph, fingerprint)).fetchall():
        db.execute("DELETE FROM subjects WHERE graph_id = ?", (graph_id,))
        db.execute("DELETE FROM graphs WHERE id = ?", (graph_id,))


def _prune_subjects(store_dir: Path, stale: dict[str, str]) -> None:
    """Drop the rows of the (graph, fingerprint) pairs the cache no longer names (after
    the last run's file is written)."""
    with sqlite3.connect(_subjects_file(store_dir)) as db:
        for graph, fingerprint in stale.items():
            _delete_graph(db, graph, fingerprint)


def _save(store_dir: Path, run: LastRun, subjects: dict[str, set[str]], stale: dict[str, str] | None) -> None:
    """Write the cache (subjects first, then the last run's file atomically), then drop the
    ``stale`` subjects (None: a full run, which writes them afresh); a folder that cannot be
    written only costs the next run time."""
    try:
        _save_subjects(store_dir, run.prints, subjects, stale is None)
        last_run.save(cache_file(store_dir), run)
        if stale:
            _prune_subjects(store_dir, stale)
    except (OSError, sqlite3.Error):
        pass


def _key(node: Node) -> str:
    """The form the cache keeps a node in: N3, as pyoxigraph's ``str`` writes it."""
    return str(node.n3())


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


def _blocks(terms: Iterable[str]) -> Iterator[str]:
    ordered = sorted(terms)
    for start in range(0, len(ordered), _BLOCK):
        yield " ".join(ordered[start:start + _BLOCK])


def _affected_in_store(store: ox.Store, nodes: set[str], bound: int) -> set[str] | None:
    """The changed subjects ``nodes`` and every node within ``bound - 1`` backward hops of
    them, by SPARQL on the union of the store's graphs (None with a blank node, which a
    query cannot name)."""
    if any(not t.startswith("<") for t in nodes):
        return None
    affected, frontier = set(nodes), set(nodes)
    for _ in range(bound - 1):
        following: set[str] = set()
        for block in _blocks(frontier):
            query = f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {block} }} ?s ?p ?o }}"
            following.update(str(row["s"]) for row in store.query(query, use_default_graph_as_union=True))  # type: ignore[union-attr]
        frontier = following - affected
        if any(not t.startswith("<") for t in frontier):
            return None
        affected |= frontier
        if not frontier:
            break
    return affected


@dataclass(frozen=True)
class _Change:
    """What changed since the cached run: the graphs, and the nodes whose results may differ."""

    graphs: set[str]
    affected: set[str]  # N3 keys


Affected = Callable[[set[str], int], "set[str] | None"]


def _change(store: Store, store_dir: Path, cache: LastRun | None, prints: dict[str, str],
            bound: int | None, affected_by: Affected) -> tuple[_Change | None, _Graphs]:
    """The change since ``cache`` (None: a full run is needed), and the subjects of the graphs
    read for it (all of them for a full run)."""
    if cache is None or bound is None:
        return None, _subjects(store, None, prints)
    graphs = {g for g in set(prints) | set(cache.prints) if prints.get(g) != cache.prints.get(g)}
    if sum(cache.sizes.get(g, 0) for g in graphs) > MOST * sum(cache.sizes.values()):
        return None, _subjects(store, None, prints)
    now = _subjects(store, graphs & set(prints), prints)
    before = _old_subjects(store_dir, {g: cache.prints[g] for g in graphs & set(cache.prints)})
    if before is None or graphs & cache.subclass_graphs or _subclass_graphs(store.oxigraph, graphs & set(prints)):
        return None, _subjects(store, None, prints)
    nodes = _changed_subjects(graphs, now, before, cache.shared)
    affected = affected_by(nodes, bound) if nodes else set()
    if affected is None:
        return None, _subjects(store, None, prints)
    unchanged = [g for g in prints if g not in graphs]
    now.sizes = {**{g: cache.sizes[g] for g in unchanged if g in cache.sizes}, **now.sizes}
    now.shared = {**{g: cache.shared[g] for g in unchanged if g in cache.shared}, **now.shared}
    return _Change(graphs=graphs, affected=affected), now


def _changed_subjects(graphs: set[str], now: _Graphs, before: dict[str, set[str]], shared: dict[str, str]) -> set[str]:
    """The subjects of the changed ``graphs``, before and after; of a graph whose shared part
    has the digest it had (``shared``), only the local ones (:mod:`kg.validate.shared_part`)."""
    nodes: set[str] = set()
    for graph in graphs:
        found = now.subjects.get(graph, set()) | before.get(graph, set())
        if graph in now.shared and now.shared[graph] == shared.get(graph):
            found = local_subjects(graph, found)
        nodes |= found
    return nodes


def _stale(cache: LastRun | None, change: _Change | None) -> dict[str, str] | None:
    """The (graph, old fingerprint) pairs a run replaced (None: a full run)."""
    if cache is None or change is None:
        return None
    return {g: cache.prints[g] for g in change.graphs if g in cache.prints}


def _kept(entries: Iterable[Entry], affected: set[str]) -> list[Entry]:
    """The cached results whose focus node lies outside the change's reach."""
    return [e for e in entries if focus_of(e) not in affected]


@dataclass
class _Part:
    """The results of one part of the shapes (the core, or one SPARQL check): those kept from
    the cache, as they were kept, and those found in this run."""

    kept: list[Entry]
    found: list[RawResult]


def _checks_run(store: ox.Store, checks: list[SparqlCheck], reaches: list[int | None], change: _Change | None,
                cache: LastRun | None, workers: int) -> list[_Part]:
    """The results of each whole-graph SPARQL check: in full, or (with a change) for the
    affected focus nodes only where the check's reach is known, the rest from the cache."""
    rows = oxigraph_rows(store, union=True)

    def one(index: int) -> _Part:
        check = checks[index]
        if check.focus:
            return _Part([], [])
        if change is None or cache is None or reaches[index] is None:  # over every focus node: hash joins
            return _Part([], run_checks(rows, [_with_query(check, hash_joined(check.query))]))
        found = []
        for block in _blocks(change.affected):
            found += run_checks(rows, [_with_query(check, restricted(check, block.split()))])
        return _Part(_kept(cache.sparql[index], change.affected), found)
    with ThreadPoolExecutor(max_workers=workers) as pool:  # Oxigraph runs queries without Python's lock
        return list(pool.map(one, range(len(checks))))


def _with_query(check: SparqlCheck, query: str) -> SparqlCheck:
    return replace(check, query=query)


def _reaches(checks: list[SparqlCheck]) -> list[int | None]:
    """Each whole-graph check's reach where its targets are read from the focus node's own
    triples, else None (such a check always runs in full)."""
    return [query_reach(c.own) if c.local and not c.focus else None for c in checks]


def _bound(core: Graph, reaches: list[int | None]) -> int | None:
    """How far from a focus node anything a result depends on lies (see the module's documentation)."""
    core_reach = reach(core)
    if core_reach is None:
        return None
    return max([core_reach, EVIDENCE_REACH] + [r for r in reaches if r is not None])


def _row(result: ShapeResult) -> tuple[str | None, ...]:
    return (result.severity, result.check, result.focus, result.path, result.value, result.message,
            result.node_shape, result.name, result.component, result.article, result.sentence)


def _report(data: ox.Store | UnionOfGraphs, shapes: Graph, parts: list[_Part], affected: set[str], triples: int
            ) -> tuple[ValidationReport, list[list[Entry]]]:
    """The report of every part's results, and each part's entries for the next run. A kept
    result keeps its row unless its value is within the change's reach (``affected``): the
    row may quote the value's sentence, so it is made again, like the rows of the new results."""
    entries: list[list[Entry]] = []
    raw: list[tuple[list[list[object]], list[RawResult]]] = []  # kept ones decoded only if read
    rows: list[ShapeResult] = []
    for part in parts:
        same = [e for e in part.kept if value_of(e) not in affected]
        redo = [e for e in part.kept if value_of(e) in affected]
        results = decode_all(e[0] for e in redo) + part.found
        made = readable(data, shapes, results)
        texts = [e[0] for e in redo] + [encode(r) for r in part.found]
        entries.append(same + [(text, _row(row)) for text, row in zip(texts, made)])
        raw.append(([e[0] for e in same], results))
        rows += [ShapeResult(*row) for _, row in same] + made  # type: ignore[arg-type]
    return assemble(shapes, rows, LazyResults(raw), triples), entries


def _validate_compiled(store: Store, store_dir: Path, schema: str, changed: bool, shapes: Graph,
                       core: Graph, checks: list[SparqlCheck], reaches: list[int | None]) -> StoreValidation | None:
    """The store validated with the compiled core (:mod:`kg.validate.compiled`) on the union of
    its graphs; None when the plan does not cover the shapes or the data."""
    plan = compile_shapes(core)
    if plan is None:
        return None
    select = store_select(store.oxigraph, union=True)
    workers = os.cpu_count() or 1
    prints = _fingerprints(store)
    cache = last_run.load(cache_file(store_dir), schema, "compiled") if changed else None
    bound = _bound(core, reaches)
    # beside the core (both cores busy): the SPARQL checks, and on a full run the graphs' subjects
    with ThreadPoolExecutor(max_workers=2) as side:
        others = side.submit(_other_triples, store.oxigraph)  # Oxigraph counts without Python's lock
        listing = None
        if cache is None:  # a full run: the subjects kept for the next run read meanwhile
            change, listing = None, side.submit(_subjects, store, None, prints)
        else:
            change, subjects = _change(store, store_dir, cache, prints, bound,
                                       lambda nodes, hops: _affected_in_store(store.oxigraph, nodes, hops))
        # on a full run one check at a time: two hash-joined mention checks at once beside the core
        # passed 2 GB at 10,000 articles; restricted to a change's nodes, two at a time
        pending = side.submit(_checks_run, store.oxigraph, checks, reaches, change, cache, 1 if change is None else 2)
        try:
            if change is None or cache is None:
                core_part = _Part([], run_plan(plan, select, workers=workers))
            else:
                core_part = _Part(_kept(cache.core, change.affected), [])
                for block in _blocks(change.affected):
                    core_part.found += run_plan(plan, select, only="VALUES ?this { " + block + " }", workers=workers)
        except NotCompiled:
            return None
        sparql = pending.result()
        if listing is not None:
            subjects = listing.result()
    report, entries = _report(UnionOfGraphs(store.oxigraph), shapes, [core_part, *sparql],
                              change.affected if change else set(), others.result() + sum(subjects.sizes.values()))
    _save(store_dir, LastRun(schema=schema, engine="compiled", prints=prints,
                             subclass_graphs=_subclass_graphs_now(store, cache, change), core=entries[0],
                             sparql=entries[1:], sizes=subjects.sizes, shared=subjects.shared),
          subjects.subjects, _stale(cache, change))
    return _outcome(report, prints, change)


def _subclass_graphs_now(store: Store, cache: LastRun | None, change: _Change | None) -> set[str]:
    """The article graphs holding ``rdfs:subClassOf`` triples after this run: the cached set on
    an incremental run (which happens only when no changed graph holds one), else read anew."""
    if change is None or cache is None:
        return _subclass_graphs(store.oxigraph, None)
    return cache.subclass_graphs


def _outcome(report: ValidationReport, prints: dict[str, str], change: _Change | None) -> StoreValidation:
    if change is None:
        return StoreValidation(report=report, articles_validated=len(prints), nodes_validated=None)
    return StoreValidation(report=report, articles_validated=len(change.graphs), nodes_validated=len(change.affected))


def validate_store(store_dir: Path, *, changed: bool = False, shapes_dir: Path = SHAPES_DIR) -> StoreValidation:
    """Validate the built store in ``store_dir``; with ``changed``, re-check only what changed
    since the last run (see the module's documentation) and reuse the rest."""
    store = Store(store_dir, read_only=True)
    shapes = load_shapes(shapes_dir)
    schema = _schema_key(store, shapes_dir)
    kept = checks_cache.load(_checks_file(store_dir), schema) if changed else None
    if kept is None:
        check_queries(shapes)
        checks = sparql_checks(shapes)
        kept = checks, _reaches(checks)
        checks_cache.save(_checks_file(store_dir), schema, kept)
    checks, reaches = kept
    core = core_shapes(shapes, checks)
    if not any(check.focus for check in checks) and _holds_ontology(store):
        compiled = _validate_compiled(store, store_dir, schema, changed, shapes, core, checks, reaches)
        if compiled is not None:
            return compiled
    return _validate_pyshacl(store, store_dir, schema, changed, shapes, core, checks)


def _affected(data: Graph, changed: set[str], bound: int) -> set[Node]:
    """:func:`_affected_in_store` on an rdflib graph (blank nodes included)."""
    affected: set[Node] = {s for s in set(data.subjects()) if _key(s) in changed}
    frontier = set(affected)
    for _ in range(bound - 1):
        following: set[Node] = set()
        for node in frontier:
            following.update(s for s in data.subjects(None, node) if s not in affected)
        affected |= following
        frontier = following
    return affected


def _validate_pyshacl(store: Store, store_dir: Path, schema: str, changed: bool, shapes: Graph, core: Graph,
                      checks: list[SparqlCheck]) -> StoreValidation:
    """The store validated by pySHACL on its working graph (shapes the compiled plan does not
    cover); with ``changed``, pySHACL re-checks only the affected nodes' core results, and the
    SPARQL constraints and the printed rows are made in full."""
    data = working_graph(store_dir=store_dir)
    graph = as_rdflib(data)
    by_key: dict[str, Node] = {}

    def affected(nodes: set[str], bound: int) -> set[str]:
        found = _affected(graph, nodes, bound)
        by_key.update((_key(n), n) for n in found)
        return {_key(n) for n in found} | nodes  # removed nodes lose their results too
    prints = _fingerprints(store)
    cache = last_run.load(cache_file(store_dir), schema, "pyshacl") if changed else None
    change, subjects = _change(store, store_dir, cache, prints, reach(core), affected)
    if change is None or cache is None:
        core_raw = core_results(graph, core)
    else:
        nodes = {by_key[k] for k in change.affected if k in by_key}
        core_raw = decode_all(e[0] for e in _kept(cache.core, change.affected))
        core_raw += core_results(graph, core, nodes=nodes) if nodes else []
    sparql_raw = run_checks(oxigraph_rows(data), checks) + run_per_node(graph, shapes, checks)
    rows = readable(data, shapes, core_raw + sparql_raw)
    report = assemble(shapes, rows, core_raw + sparql_raw, len(data))
    _save(store_dir, LastRun(schema=schema, engine="pyshacl", prints=prints,
                             subclass_graphs=_subclass_graphs_now(store, cache, change),
                             core=[(encode(r), _row(row)) for r, row in zip(core_raw, rows)],
                             sparql=[[] for _ in checks], sizes=subjects.sizes, shared=subjects.shared),
          subjects.subjects, _stale(cache, change))
    return _outcome(report, prints, change)
