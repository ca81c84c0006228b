"""The benchmark's stages, each run as ``python -m bench.stages STAGE ...`` in its own process.

Every stage times only its own work (imports and interpreter start-up are outside the
clock, the parent sees them in its wall time) and writes its figures as JSON to
``--result``; stages with many parts rewrite that file after each part so that a stage
stopped by a timeout still reports what it finished.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


Result = dict[str, Any]

# Values for the parameters a stored query requires; the rest keep their defaults.
SAMPLE_PARAMS: dict[str, dict[str, str]] = {
    "articles-mentioning": {"entity": "vjr:state/JP"},
    "entity-profile": {"entity": "vjr:state/JP"},
    "figure-series": {"indicator": "fdi_registered_capital"},
    "shared-agreements": {"a": "Vietnam", "b": "Japan"},
}
# A fact to trace for `provenance`: the first meeting of the graph, found at run time.
_FIRST_MEETING = ("PREFIX vjo: <https://w3id.org/vjkg/ontology#> "
                  "SELECT ?m WHERE { ?m a vjo:Meeting } ORDER BY ?m LIMIT 1")


def _write(path: Path, result: Result) -> None:
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _timings(samples: list[float]) -> Result:
    return {"median_ms": statistics.median(samples) * 1000, "p95_ms": _percentile(samples, 0.95) * 1000,
            "first_ms": samples[0] * 1000, "runs": len(samples)}


def query_params(store: Any) -> dict[str, dict[str, str]]:
    """The sample parameters, with `provenance` pointed at a meeting of this graph."""
    params = {name: dict(values) for name, values in SAMPLE_PARAMS.items()}
    rows = list(store.query(_FIRST_MEETING))
    if rows:
        params["provenance"] = {"fact": rows[0]["m"].value}
    return params


def stage_build(args: argparse.Namespace, result: Result) -> None:
    from kg.graph.build import build
    from kg.store.store import Store

    shutil.rmtree(args.store, ignore_errors=True)
    started = time.perf_counter()
    summary = build([args.articles], Store(args.store), workers=args.workers, force=True)
    seconds = time.perf_counter() - started
    result.update(seconds=seconds, articles=len(summary.built), failed=len(summary.failed),
                  triples=summary.triples, rate=len(summary.built) / seconds, rate_unit="articles/s")


def _record_results(args: argparse.Namespace, result: Result, raw: list[Any]) -> None:
    """Save the result set beside the stage's JSON (``*.results.txt``, one sorted row per
    line) with its size and digest, so the report can tell whether two validators agree."""
    from kg.validate.shacl import result_rows

    lines = sorted("\t".join(part or "-" for part in row) for row in result_rows(raw))
    text = "".join(line + "\n" for line in lines)
    args.result.with_suffix(".results.txt").write_text(text, encoding="utf-8")
    result.update(results=len(lines), results_sha256=hashlib.sha256(text.encode()).hexdigest())


def stage_validate(args: argparse.Namespace, result: Result) -> None:
    """``kg validate``'s work: the split validation, then the readable report."""
    from kg.store.working import working_graph
    from kg.validate.shacl import load_shapes, report_of, split_results

    started = time.perf_counter()
    data, shapes = working_graph(store_dir=args.store), load_shapes()
    raw = split_results(data, shapes)
    report = report_of(data, shapes, raw)
    seconds = time.perf_counter() - started
    result.update(seconds=seconds, triples=report.triples, conforms=report.conforms,
                  counts=report.counts(), rate=report.triples / seconds, rate_unit="triples/s")
    _record_results(args, result, raw)


def stage_reason(args: argparse.Namespace, result: Result) -> None:
    from kg.store.working import working_graph
    from kg.validate.reason import reason

    started = time.perf_counter()
    report = reason(working_graph(store_dir=args.store))
    seconds = time.perf_counter() - started
    result.update(seconds=seconds, triples=report.triples, consistent=report.consistent,
                  inferred={i.cls: len(i.individuals) for i in report.inferred},
                  rate=report.triples / seconds, rate_unit="triples/s")


def _samples(run: Callable[[], int], args: argparse.Namespace) -> tuple[int, list[float]]:
    """Times of repeated runs (at least one, at most ``--repeats``, stopping after ``--budget`` s)."""
    samples, rows = [], 0
    while len(samples) < args.repeats and (not samples or sum(samples) < args.budget):
        started = time.perf_counter()
        rows = run()
        samples.append(time.perf_counter() - started)
    return rows, samples


def stage_queries(args: argparse.Namespace, result: Result) -> None:
    """Each stored query evaluated every time (the medians), then answered from the result
    cache: one run that fills it, then read-backs (the ``cached_*`` figures)."""
    from kg.query.backend import EmbeddedBackend
    from kg.query.stored import execute_stored, load_queries
    from kg.store.result_cache import cache_dir
    from kg.store.store import Store

    store = Store(args.store, read_only=True)
    evaluating = EmbeddedBackend(store)
    caching = EmbeddedBackend(store, store.result_cache())
    params = query_params(store)
    result["queries"] = {}
    for name, query in sorted(load_queries().items()):
        if args.only and name != args.only:
            continue
        values = params.get(name, {})
        rows, samples = _samples(lambda: len(execute_stored(query, values, evaluating).rows), args)
        figures = {"rows": rows, "params": values, **_timings(samples)}
        result["queries"][name] = figures
        _write(args.result, result)
        shutil.rmtree(cache_dir(args.store), ignore_errors=True)
        execute_stored(query, values, caching)
        _rows, cached = _samples(lambda: len(execute_stored(query, values, caching).rows), args)
        figures.update({f"cached_{key}": value for key, value in _timings(cached).items()})
        result["seconds"] = sum(q["median_ms"] for q in result["queries"].values()) / 1000
        _write(args.result, result)
    shutil.rmtree(cache_dir(args.store), ignore_errors=True)


def _rdflib_term(term: Any) -> Any:
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _store_nquads(store_dir: Path) -> bytes:
    import pyoxigraph as ox

    from kg.store.store import Store

    return Store(store_dir, read_only=True).oxigraph.dump(format=ox.RdfFormat.N_QUADS)


def _repeat(dataset: Any, sparql: str, bindings: dict[Any, Any], args: argparse.Namespace
            ) -> tuple[int, list[float]]:
    return _samples(lambda: len(list(dataset.query(sparql, initBindings=bindings))), args)


def _in_thread(work: Callable[[], Any], timeout: float) -> Any:
    """``work()``'s value, or an error text: its exception, or "timeout" after ``timeout`` s.

    rdflib can not be interrupted; a query past its time is left running in a daemon thread
    (the stage reports how many were abandoned, as they slow the queries after them).
    """
    box: list[Any] = []

    def target() -> None:
        try:
            box.append(work())
        except Exception as exc:  # rdflib's engine rejects some valid SPARQL; report, go on
            box.append(f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    return box[0] if box else f"timeout after {timeout:.0f} s"


def stage_rdflib_queries(args: argparse.Namespace, result: Result) -> None:
    """The plain baseline: the same SPARQL on rdflib's in-memory dataset, default graph = union."""
    from rdflib import Dataset, Variable

    from kg.query.backend import EmbeddedBackend
    from kg.query.params import bind_params
    from kg.query.stored import load_queries
    from kg.store.store import Store

    store = Store(args.store, read_only=True)
    params = query_params(store)
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(data=_store_nquads(args.store), format="nquads")
    result.update(load_seconds=time.perf_counter() - started, queries={})
    for name, query in sorted(load_queries().items()):
        if args.only and name != args.only:
            continue
        bound = bind_params(query.params, params.get(name, {}), EmbeddedBackend(store), name)
        bindings = {Variable(k): _rdflib_term(v) for k, v in bound.items()}
        outcome = _in_thread(lambda: _repeat(dataset, query.sparql, bindings, args), args.query_timeout)
        if isinstance(outcome, str):
            result.setdefault("errors", {})[name] = outcome
            result["abandoned"] = result.get("abandoned", 0) + outcome.startswith("timeout")
            _write(args.result, result)
            continue
        rows, samples = outcome
        result["queries"][name] = {"rows": rows, **_timings(samples)}
        result["seconds"] = sum(q["median_ms"] for q in result["queries"].values()) / 1000
        _write(args.result, result)


def stage_pyshacl(args: argparse.Namespace, result: Result) -> None:
    """The plain baseline: one pyshacl.validate call on the same working graph (data,
    ontology and reference) with every shape. The copy into rdflib is outside the clock."""
    from kg.store.working import working_graph
    from kg.validate.shacl import as_rdflib, load_shapes, plain_results

    data, shapes = as_rdflib(working_graph(store_dir=args.store)), load_shapes()
    result["triples"] = len(data)
    _write(args.result, result)
    started = time.perf_counter()
    raw = plain_results(data, shapes)
    seconds = time.perf_counter() - started
    result.update(seconds=seconds, rate=len(data) / seconds, rate_unit="triples/s")
    _record_results(args, result, raw)


def _export(fmt: str) -> Callable[[argparse.Namespace, Result], None]:
    def stage(args: argparse.Namespace, result: Result) -> None:
        from kg.export.serialise import export_chunks, selected_graphs
        from kg.store.store import Store

        store = Store(args.store, read_only=True)
        started = time.perf_counter()
        size = sum(len(chunk) for chunk in export_chunks(store, fmt))  # streamed, as `kg export --out` writes
        seconds = time.perf_counter() - started
        triples = sum(1 for g in selected_graphs(store) for _ in store.quads(g))
        result.update(seconds=seconds, bytes=size, triples=triples, rate=triples / seconds,
                      rate_unit="triples/s")
    return stage


def stage_facts(args: argparse.Namespace, result: Result) -> None:
    """`kg facts` on the built graph, scored by score.py against the planted gold."""
    from kg.query.backend import EmbeddedBackend
    from kg.export.facts import article_facts
    from kg.store.store import Store

    started = time.perf_counter()
    articles = article_facts(EmbeddedBackend(Store(args.store, read_only=True)))
    seconds = time.perf_counter() - started
    predictions = args.result.with_suffix(".facts.json")
    predictions.write_text(json.dumps(articles, ensure_ascii=False) + "\n", encoding="utf-8")
    scored = subprocess.run([sys.executable, str(args.score), str(args.gold), str(predictions), "--json"],
                            capture_output=True, text=True, check=True)
    score = json.loads(scored.stdout)
    result.update(seconds=seconds, articles=len(articles), rate=len(articles) / seconds,
                  rate_unit="articles/s", headline_f1=score["headline_f1"], scores=score["scores"],
                  missing=len(score["missing"]))


STAGES: dict[str, Callable[[argparse.Namespace, Result], None]] = {
    "build": stage_build,
    "validate": stage_validate,
    "reason": stage_reason,
    "queries": stage_queries,
    "export-ttl": _export("ttl"),
    "export-nq": _export("nq"),
    "facts": stage_facts,
    "rdflib-queries": stage_rdflib_queries,
    "pyshacl": stage_pyshacl,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run one benchmark stage (used by bench.run).")
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--articles", type=Path, help="the folder of articles to build")
    parser.add_argument("--gold", type=Path)
    parser.add_argument("--score", type=Path)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--only", default=None, help="time only this stored query")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="stop repeating a query once its runs took this many seconds")
    parser.add_argument("--query-timeout", type=float, default=120.0,
                        help="rdflib baseline: give up a query after this many seconds")
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    result: Result = {"stage": args.stage}
    try:
        STAGES[args.stage](args, result)
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        _write(args.result, result)
        raise
    _write(args.result, result)
    sys.stdout.flush()
    os._exit(0)  # do not wait for abandoned baseline queries


if __name__ == "__main__":
    main()
