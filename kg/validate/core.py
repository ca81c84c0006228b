"""The core SHACL constraints, checked by pySHACL in chunks of focus nodes, in parallel.

A core constraint of the vjkg shapes reads a focus node's own triples and those of its
values (``sh:class`` reads a value's types, ``sh:node`` a value's scheme) and no further;
``sh:class`` also follows ``rdfs:subClassOf``. So the results of a set of focus nodes are
the same on their *neighbourhood* (the triples of the nodes, the triples of the nodes they
point to, every ``rdfs:subClassOf`` triple) as on the whole graph. The graph is cut into
chunks of subjects, each chunk's neighbourhood is validated in a worker process, and only
the results whose focus node is in the chunk are kept: bounded memory, all cores busy, and
(tests/test_validate_equivalence.py) the same result set as one call on the whole graph.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

import pyoxigraph as ox
import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.util import from_n3

from kg.namespaces import SH
from kg.validate.sparql import RawResult

__all__ = ["CHUNK_SUBJECTS", "core_results", "neighbourhood", "pyshacl_results"]

CHUNK_SUBJECTS = 4_000  # subjects per chunk: a few hundred MB per worker, enough to amortise pySHACL's setup
_SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_ONLY_CLASS_TARGETS = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
Node = ox.NamedNode | ox.BlankNode


def pyshacl_results(results_graph: Graph) -> list[RawResult]:
    """The top-level results of a pySHACL results graph (nested details are summarised by
    their parent result)."""
    results = []
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, result) in results_graph:
            continue
        results.append(RawResult(
            severity=results_graph.value(result, SH.resultSeverity),
            source_shape=results_graph.value(result, SH.sourceShape),
            component=results_graph.value(result, SH.sourceConstraintComponent),
            focus=results_graph.value(result, SH.focusNode),
            path=results_graph.value(result, SH.resultPath),
            value=results_graph.value(result, SH.value),
            source_constraint=results_graph.value(result, SH.sourceConstraint),
            messages=tuple(str(m) for m in results_graph.objects(result, SH.resultMessage))))
    return results


def _triples(data: ox.Store, subject: Node) -> Iterable[ox.Triple]:
    for quad in data.quads_for_pattern(subject, None, None, ox.DefaultGraph()):
        yield ox.Triple(quad.subject, quad.predicate, quad.object)


def neighbourhood(data: ox.Store, nodes: Iterable[Node]) -> set[ox.Triple]:
    """The triples of ``nodes``, of the nodes they point to, and every ``rdfs:subClassOf``."""
    found: set[ox.Triple] = set()
    reached: set[Node] = set()
    for node in nodes:
        for triple in _triples(data, node):
            found.add(triple)
            if isinstance(triple.object, (ox.NamedNode, ox.BlankNode)):
                reached.add(triple.object)
    for node in reached:
        found.update(_triples(data, node))
    found.update(ox.Triple(q.subject, q.predicate, q.object)
                 for q in data.quads_for_pattern(None, _SUBCLASS_OF, None, ox.DefaultGraph()))
    return found


def _encode(result: RawResult) -> tuple[object, ...]:
    def n3(term: object) -> str | None:
        return None if term is None else term.n3()  # type: ignore[attr-defined]
    return (n3(result.severity), n3(result.source_shape), n3(result.component), n3(result.focus),
            n3(result.path), n3(result.value), n3(result.source_constraint), result.messages)


def decode(row: Sequence[object]) -> RawResult:
    """A result back from its N3 form (for results that crossed a process or a cache file)."""
    terms = [None if part is None else from_n3(str(part)) for part in row[:7]]
    return RawResult(severity=terms[0], source_shape=terms[1], component=terms[2], focus=terms[3],  # type: ignore[arg-type]
                     path=terms[4], value=terms[5], source_constraint=terms[6], messages=tuple(row[7]))  # type: ignore[arg-type]


def encode(result: RawResult) -> tuple[object, ...]:
    """A result as N3 strings, for another process or a cache file."""
    return _encode(result)


def _validate_chunk(job: tuple[bytes, bytes, frozenset[str] | None]) -> list[tuple[object, ...]]:
    """Worker: validate one neighbourhood (N-Triples) and keep the results of its own nodes."""
    shapes_ttl, triples_nt, focus = job
    shapes = Graph().parse(data=shapes_ttl, format="turtle")
    data = Graph().parse(data=triples_nt, format="nt")
    _conforms, results_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, abort_on_first=False)
    rows = [_encode(r) for r in pyshacl_results(results_graph)]
    return [row for row in rows if focus is None or row[3] in focus]


def _subjects(data: ox.Store) -> list[Node]:
    seen: set[Node] = set()
    for quad in data.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        seen.add(quad.subject)  # type: ignore[arg-type]
    return sorted(seen, key=str)


def core_results(data: ox.Store, core: Graph, *, nodes: Iterable[Node] | None = None,
                 chunk_subjects: int = CHUNK_SUBJECTS, workers: int | None = None) -> list[RawResult]:
    """The core results of the focus nodes among ``nodes`` (default: every node of ``data``)."""
    shapes_ttl = core.serialize(format="turtle", encoding="utf-8")
    targeted_otherwise = any(True for key in _ONLY_CLASS_TARGETS for _ in core.subject_objects(key))
    subjects = _subjects(data) if nodes is None else sorted(set(nodes), key=str)
    if targeted_otherwise and nodes is None:
        chunks = [None]  # targets that need no triple of the node: one chunk, the whole graph
    else:
        chunks = [subjects[i:i + chunk_subjects] for i in range(0, len(subjects), chunk_subjects)]
    jobs = (_job(data, shapes_ttl, chunk) for chunk in chunks)
    if len(chunks) == 1:
        rows = _validate_chunk(next(jobs))
    else:
        rows = _in_parallel(jobs, min(len(chunks), workers or os.cpu_count() or 1))
    return [decode(row) for row in dict.fromkeys(rows)]


def _job(data: ox.Store, shapes_ttl: bytes, chunk: list[Node] | None) -> tuple[bytes, bytes, frozenset[str] | None]:
    if chunk is None:
        triples: Iterable[ox.Triple] = (ox.Triple(q.subject, q.predicate, q.object)
                                        for q in data.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return shapes_ttl, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), None
    focus = frozenset(str(node) for node in chunk)
    return shapes_ttl, ox.serialize(neighbourhood(data, chunk), format=ox.RdfFormat.N_TRIPLES), focus


def _in_parallel(jobs: Iterator[tuple[bytes, bytes, frozenset[str] | None]], workers: int) -> list[tuple[object, ...]]:
    """Run the jobs in ``workers`` processes, preparing the next ones only as workers free up
    (so at most a few chunks are in memory at once)."""
    rows: list[tuple[object, ...]] = []
    # fresh interpreters, not forks: a fork would carry (and slowly copy) the parent's whole graph
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        running: set[Future[list[tuple[object, ...]]]] = set()
        for job in jobs:
            running.add(pool.submit(_validate_chunk, job))
            if len(running) >= workers + 1:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                rows += [row for future in done for row in future.result()]
        for future in running:
            rows += future.result()
    return rows
