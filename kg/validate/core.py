"""pySHACL on the whole graph, or on parts in parallel where that is provably the same.

When the shapes have a bounded reach ``k`` (:mod:`kg.validate.reach`), the graph is cut
into chunks of subjects; each chunk is validated with the triples of every node within
``k - 1`` forward hops of its subjects (and every ``rdfs:subClassOf`` triple), in a worker
process, and only results whose focus node is one of the chunk's subjects are kept. Every
focus node of such shapes is the subject of a triple (its ``rdf:type`` or the predicate of
its ``sh:targetSubjectsOf``), so each belongs to exactly one chunk and the multiset of
results is that of one call on the whole graph. Otherwise, one call on the whole graph.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

import pyshacl
import rdflib
from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError, ValidationFailure
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from kg.validate.reach import reach
from kg.validate.results import RawResult, as_written, results_of_report
from kg.validate.sparql import ShapesRefused

__all__ = ["CHUNK_SUBJECTS", "core_results", "neighbourhood", "pyshacl_results"]

CHUNK_SUBJECTS = 4_000  # subjects per chunk: a few hundred MB per worker, enough to amortise pySHACL's setup
Triple = tuple[Node, Node, Node]


def pyshacl_results(data: Graph, shapes: Graph) -> list[RawResult]:
    """The results of one plain pySHACL call (no inference); a shapes graph pySHACL refuses
    becomes ShapesRefused."""
    try:
        with as_written():
            _conforms, report, _text = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", advanced=True, abort_on_first=False)
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError, ValidationFailure) as exc:
        text = " ".join(str(getattr(exc, "message", exc)).split())
        raise ShapesRefused(f"the shapes are refused: {text}") from exc
    except Exception as exc:  # pySHACL meets some shapes it cannot run with a plain Python error
        text = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        raise ShapesRefused(f"the shapes cannot be run (pySHACL: {text})") from exc
    return results_of_report(report)


def neighbourhood(data: Graph, nodes: Iterable[Node], reach_bound: int) -> list[Triple]:
    """The triples of every node within ``reach_bound - 1`` forward hops of ``nodes``, and every
    ``rdfs:subClassOf`` triple."""
    found: set[Triple] = set()
    frontier = set(nodes)
    seen = set(frontier)
    for level in range(reach_bound):
        following: set[Node] = set()
        for node in frontier:
            for predicate, value in data.predicate_objects(node):
                found.add((node, predicate, value))
                if level + 1 < reach_bound and isinstance(value, (URIRef, BNode)) and value not in seen:
                    seen.add(value)
                    following.add(value)
        frontier = following
    found.update(data.triples((None, RDFS.subClassOf, None)))
    return list(found)


def _keep_literals_as_written() -> None:
    """Worker start: literals unpickled from the parent keep their lexical form."""
    rdflib.NORMALIZE_LITERALS = False


def _validate_chunk(job: tuple[list[Triple], list[Triple], frozenset[Node] | None]) -> list[RawResult]:
    """Worker: validate one part and keep the results of its own focus nodes."""
    shapes_triples, data_triples, focus = job
    shapes, data = Graph(), Graph()
    for triple in shapes_triples:
        shapes.add(triple)
    for triple in data_triples:
        data.add(triple)
    return [r for r in pyshacl_results(data, shapes) if focus is None or r.focus in focus]


def core_results(data: Graph, shapes: Graph, *, nodes: Iterable[Node] | None = None,
                 chunk_subjects: int = CHUNK_SUBJECTS, workers: int | None = None) -> list[RawResult]:
    """pySHACL's results for ``shapes`` on ``data``: those of the focus nodes among ``nodes``
    when given (only with a bounded reach), else all of them."""
    bound = reach(shapes)
    if bound is None:
        if nodes is not None:
            raise ValueError("results of some nodes only need shapes of bounded reach")
        return pyshacl_results(data, shapes)
    subjects = sorted(set(data.subjects()) if nodes is None else set(nodes), key=lambda n: n.n3())
    if nodes is None and len(subjects) <= chunk_subjects:
        return pyshacl_results(data, shapes)
    chunks = [subjects[i:i + chunk_subjects] for i in range(0, len(subjects), chunk_subjects)]
    shapes_triples = list(shapes)
    jobs = ((shapes_triples, neighbourhood(data, chunk, bound), frozenset(chunk)) for chunk in chunks)
    if len(chunks) == 1:
        return _validate_chunk(next(jobs))
    return _in_parallel(jobs, min(len(chunks), workers or os.cpu_count() or 1))


def _in_parallel(jobs: Iterator[tuple[list[Triple], list[Triple], frozenset[Node] | None]],
                 workers: int) -> list[RawResult]:
    """Run the jobs in ``workers`` processes, preparing the next ones only as workers free up
    (so at most a few chunks are in memory at once)."""
    results: list[RawResult] = []
    # fresh interpreters, not forks: a fork would carry (and slowly copy) the parent's whole graph
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_keep_literals_as_written) as pool:
        running: set[Future[list[RawResult]]] = set()
        for job in jobs:
            running.add(pool.submit(_validate_chunk, job))
            if len(running) >= workers + 1:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                results += [r for future in done for r in future.result()]
        for future in running:
            results += future.result()
    return results
