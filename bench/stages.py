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
import re
import resource
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
# The article whose facts the `facts-*` queries give, found at run time: the 501st by file
# name, so the same article (000500_...) at 1,000 and 10,000, or the middle one of fewer. `kg facts` runs them unbound,
# over every article; its time is the `facts` stage.
_MIDDLE_ARTICLE = ("PREFIX vjo: <https://w3id.org/vjkg/ontology#> "
                   "SELECT ?a WHERE { ?s a vjo:Article ; vjo:fileName ?a } ORDER BY ?a")
FACT_QUERIES = ("facts-articles", "facts-states", "facts-persons", "facts-organizations",
                "facts-agreements", "facts-partnerships", "facts-meetings", "facts-figures")


# The full scan every query is compared with: every quad of every named graph, counted by
# the same SPARQL engine that evaluates the stored queries.
FULL_SCAN = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _cpu_now() -> float:
    """User + system time of this process (all its threads) and of the children it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """``work()``'s value, its wall time and its CPU time (threads and waited-for workers included)."""
    wall, cpu = time.perf_counter(), _cpu_now()
    value = work()
    return value, time.perf_counter() - wall, _cpu_now() - cpu


def peak_rss_mb() -> float:
    """The peak RSS of this process and of the children it waited for, in MB.

    ``ru_maxrss`` of a process starts from its parent's size at the fork (Linux keeps the
    high-water mark through ``exec``), so measured from the harness every stage would weigh
    at least as much as the harness; ``VmHWM`` is this process's own, counted from its exec.
    """
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(_vm_hwm_mb(Path("/proc/self/status")), children)


def _vm_hwm_mb(status: Path) -> float:
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# `kg validate` as the validate-changed stage runs it: the command itself, then its own peak
# RSS (see peak_rss_mb) on the last line of stderr.
_KG_WITH_PEAK = ("import atexit, sys\n"
                 "from bench.stages import peak_rss_mb\n"
                 "atexit.register(lambda: print(f'peak_rss_mb={peak_rss_mb():.1f}', file=sys.stderr))\n"
                 "from kg.cli import main\n"
                 "main()\n")


def _write(path: Path, result: Result) -> None:
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _timings(samples: list[float], cpu: list[float]) -> Result:
    return {"median_ms": statistics.median(samples) * 1000, "p95_ms": _percentile(samples, 0.95) * 1000,
            "first_ms": samples[0] * 1000, "runs": len(samples), "cpu_median_ms": statistics.median(cpu) * 1000}


def query_params(store: Any) -> dict[str, dict[str, str]]:
    """The sample parameters, with `provenance` pointed at a meeting of this graph."""
    params = {name: dict(values) for name, values in SAMPLE_PARAMS.items()}
    rows = list(store.query(_FIRST_MEETING))
    if rows:
        params["provenance"] = {"fact": rows[0]["m"].value}
    articles = [row["a"].value for row in store.query(_MIDDLE_ARTICLE)]
    if articles:
        article = articles[min(500, len(articles) // 2)]
        params.update({name: {"article": article} for name in FACT_QUERIES})
    return params


def stage_build(args: argparse.Namespace, result: Result) -> None:
    from kg.graph.build import build
    from kg.store.store import Store

    shutil.rmtree(args.store, ignore_errors=True)
    summary, seconds, cpu = _timed(lambda: build([args.articles], Store(args.store), workers=args.workers,
                                                 force=True))
    built = len(summary.built)
    result.update(seconds=seconds, cpu_seconds=cpu, articles=built, failed=len(summary.failed),
                  triples=summary.triples, rate=built / seconds, rate_unit="articles/s",
                  cpu_ms_per_article=cpu * 1000 / built if built else None)


def stage_bulk_load(args: argparse.Namespace, result: Result) -> None:
    """The floor of any build: the built store's N-Quads bulk-loaded into a fresh on-disk store.

    The dump is written outside the clock; only ``bulk_load`` is timed (Oxigraph's own
    threads count in the CPU time)."""
    import pyoxigraph as ox

    dump = args.result.with_suffix(".nq")
    fresh = args.result.with_suffix(".store")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        with dump.open("wb") as output:
            _open(args.store).dump(output, format=ox.RdfFormat.N_QUADS)
        quads, seconds, cpu = _timed(lambda: _bulk_load(fresh, dump))
        result.update(seconds=seconds, cpu_seconds=cpu, quads=quads, bytes=dump.stat().st_size,
                      rate=quads / seconds, rate_unit="quads/s")
    finally:
        dump.unlink(missing_ok=True)
        shutil.rmtree(fresh, ignore_errors=True)


def _bulk_load(folder: Path, dump: Path) -> int:
    """Bulk-load the N-Quads file ``dump`` into a new store in ``folder``; its number of quads."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    return len(store)


def _open(store_dir: Path) -> Any:
    from kg.store.store import Store

    return Store(store_dir, read_only=True).oxigraph


def stage_scan(args: argparse.Namespace, result: Result) -> None:
    """A full scan of the store, the yardstick of each query: :data:`FULL_SCAN` evaluated by
    the engine that evaluates the stored queries (median of ``--repeats``, at most 5). (A
    Python loop over ``quads_for_pattern`` measures the binding's object creation instead: 24
    times slower on 10 articles.)"""
    store = _open(args.store)
    runs = [_timed(lambda: int(next(iter(store.query(FULL_SCAN)))["n"].value)) for _ in range(min(args.repeats, 5))]
    quads = runs[0][0]
    seconds = statistics.median(run[1] for run in runs)
    result.update(query=FULL_SCAN, quads=quads, seconds=seconds,
                  cpu_seconds=statistics.median(run[2] for run in runs), runs=len(runs),
                  rate=quads / seconds, rate_unit="quads/s")


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
    from kg.validate.incremental import validate_store

    run, seconds, cpu = _timed(lambda: validate_store(args.store))
    report = run.report
    result.update(seconds=seconds, cpu_seconds=cpu, triples=report.triples, conforms=report.conforms,
                  counts=report.counts(), rate=report.triples / seconds, rate_unit="triples/s")
    _record_results(args, result, list(report.raw))


def _modify(article: Path) -> str:
    """Change one figure of ``article`` (its first number of two or more digits, plus one) in
    place, as an editor correcting a figure would; returns what changed."""
    text = article.read_text(encoding="utf-8")
    found = re.search(r"\d{2,}", text)
    if found is None:
        article.write_text(text + "\nThe two sides agreed to meet again next year.\n", encoding="utf-8")
        return "appended a sentence"
    number = found.group()
    article.write_text(text[:found.start()] + str(int(number) + 1) + text[found.end():], encoding="utf-8")
    return f"{number} -> {int(number) + 1}"


def stage_validate_changed(args: argparse.Namespace, result: Result) -> None:
    """``kg validate --changed`` after one article changed: copy the store (with the cache the
    validate stage left beside it) and the articles, change one article, rebuild (only it is
    rebuilt), then run the real command in its own process, measured from outside."""
    from kg.graph.build import build
    from kg.store.folders import validation_dir
    from kg.store.store import Store
    from kg.validate.incremental import cache_file
    from bench.measure import run_command

    if not cache_file(args.store).is_file():
        raise RuntimeError("no validation cache beside the store: run the validate stage first")
    work = args.result.with_suffix(".work")
    shutil.rmtree(work, ignore_errors=True)
    store, articles = work / "store", work / "articles"
    try:
        work.mkdir(parents=True)
        _, copy_seconds, _ = _timed(lambda: (shutil.copytree(args.store, store),
                                             shutil.copytree(validation_dir(args.store), validation_dir(store)),
                                             shutil.copytree(args.articles, articles)))
        article = sorted(articles.glob("*.txt"))[0]
        result.update(article=article.name, change=_modify(article), copy_seconds=copy_seconds)
        summary, build_seconds, build_cpu = _timed(lambda: build([articles], Store(store), workers=1))
        result.update(rebuilt=len(summary.built), unchanged=len(summary.unchanged),
                      rebuild_seconds=build_seconds, rebuild_cpu_seconds=build_cpu)
        _write(args.result, result)
        command = [sys.executable, "-c", _KG_WITH_PEAK, "validate", "--changed",
                   "--store", str(store), "--out", str(work / "report.txt")]
        run = run_command(command, args.command_timeout, work / "validate.log")
        log = (work / "validate.log").read_text(encoding="utf-8", errors="replace")
        rechecked = re.search(r"re-checked (\d+) changed", log)
        peak = re.findall(r"peak_rss_mb=([\d.]+)", log)
        if run.status != "ok" and not (run.status == "failed" and run.exit_code == 1):  # 1: violations found
            raise RuntimeError(f"kg validate --changed: {run.error}: {log[-500:]}")
        result.update(seconds=run.wall_seconds, cpu_seconds=run.cpu_seconds, peak_rss_mb=float(peak[-1]) if peak else run.peak_rss_mb,
                      exit_code=run.exit_code, rechecked=int(rechecked.group(1)) if rechecked else None)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stage_reason(args: argparse.Namespace, result: Result) -> None:
    from kg.store.working import working_graph
    from kg.validate.reason import reason

    report, seconds, cpu = _timed(lambda: reason(working_graph(store_dir=args.store)))
    result.update(seconds=seconds, cpu_seconds=cpu, triples=report.triples, consistent=report.consistent,
                  inferred={i.cls: len(i.individuals) for i in report.inferred},
                  rate=report.triples / seconds, rate_unit="triples/s")


def _samples(run: Callable[[], int], args: argparse.Namespace) -> tuple[int, list[float], list[float]]:
    """Wall and CPU times of repeated runs (at least one, at most ``--repeats``, stopping
    after ``--budget`` s)."""
    samples: list[float] = []
    cpu: list[float] = []
    rows = 0
    while len(samples) < args.repeats and (not samples or sum(samples) < args.budget):
        rows, wall, used = _timed(run)
        samples.append(wall)
        cpu.append(used)
    return rows, samples, cpu


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
        rows, samples, cpu = _samples(lambda: len(execute_stored(query, values, evaluating).rows), args)
        figures = {"rows": rows, "params": values, **_timings(samples, cpu)}
        result["queries"][name] = figures
        _write(args.result, result)
        shutil.rmtree(cache_dir(args.store), ignore_errors=True)
        execute_stored(query, values, caching)
        _rows, cached, cached_cpu = _samples(lambda: len(execute_stored(query, values, caching).rows), args)
        figures.update({f"cached_{key}": value for key, value in _timings(cached, cached_cpu).items()})
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
            ) -> tuple[int, list[float], list[float]]:
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
        rows, samples, cpu = outcome
        result["queries"][name] = {"rows": rows, **_timings(samples, cpu)}
        result["seconds"] = sum(q["median_ms"] for q in result["queries"].values()) / 1000
        result["cpu_seconds"] = sum(q["cpu_median_ms"] for q in result["queries"].values()) / 1000
        _write(args.result, result)


def stage_pyshacl(args: argparse.Namespace, result: Result) -> None:
    """The plain baseline: one pyshacl.validate call on the same working graph (data,
    ontology and reference) with every shape. The copy into rdflib is outside the clock."""
    from kg.store.working import working_graph
    from kg.validate.shacl import as_rdflib, load_shapes, plain_results

    data, shapes = as_rdflib(working_graph(store_dir=args.store)), load_shapes()
    result["triples"] = len(data)
    _write(args.result, result)
    raw, seconds, cpu = _timed(lambda: plain_results(data, shapes))
    result.update(seconds=seconds, cpu_seconds=cpu, rate=len(data) / seconds, rate_unit="triples/s")
    _record_results(args, result, raw)


def _export(fmt: str) -> Callable[[argparse.Namespace, Result], None]:
    def stage(args: argparse.Namespace, result: Result) -> None:
        from kg.export.serialise import export_chunks, selected_graphs
        from kg.store.store import Store

        store = Store(args.store, read_only=True)
        # streamed, as `kg export --out` writes
        size, seconds, cpu = _timed(lambda: sum(len(chunk) for chunk in export_chunks(store, fmt)))
        # Counted as the store minus the graphs the export leaves out (ontology, reference: small),
        # not by reading every exported quad again (minutes at 10,000 articles).
        selected = set(selected_graphs(store))
        triples = len(store) - sum(1 for g in store.graph_names() if g not in selected for _ in store.quads(g))
        result.update(seconds=seconds, cpu_seconds=cpu, bytes=size, triples=triples, rate=triples / seconds,
                      rate_unit="triples/s")
    return stage


def stage_facts(args: argparse.Namespace, result: Result) -> None:
    """`kg facts` on the built graph, scored by score.py against the planted gold."""
    from kg.query.backend import EmbeddedBackend
    from kg.export.facts import article_facts
    from kg.store.store import Store

    articles, seconds, cpu = _timed(lambda: article_facts(EmbeddedBackend(Store(args.store, read_only=True))))
    predictions = args.result.with_suffix(".facts.json")
    predictions.write_text(json.dumps(articles, ensure_ascii=False) + "\n", encoding="utf-8")
    scored = subprocess.run([sys.executable, str(args.score), str(args.gold), str(predictions), "--json"],
                            capture_output=True, text=True, check=True)
    score = json.loads(scored.stdout)
    result.update(seconds=seconds, cpu_seconds=cpu, articles=len(articles), rate=len(articles) / seconds,
                  rate_unit="articles/s", headline_f1=score["headline_f1"], scores=score["scores"],
                  missing=len(score["missing"]))


STAGES: dict[str, Callable[[argparse.Namespace, Result], None]] = {
    "build": stage_build,
    "bulk-load": stage_bulk_load,
    "scan": stage_scan,
    "validate": stage_validate,
    "validate-changed": stage_validate_changed,
    "reason": stage_reason,
    "queries": stage_queries,
    "export-ttl": _export("ttl"),
    "export-nt": _export("nt"),
    "export-nq": _export("nq"),
    "export-trig": _export("trig"),
    "export-jsonld": _export("jsonld"),
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
    parser.add_argument("--command-timeout", type=float, default=600.0,
                        help="validate-changed: give up `kg validate --changed` after this many seconds")
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    result: Result = {"stage": args.stage}
    try:
        STAGES[args.stage](args, result)
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        _write(args.result, result)
        raise
    result["stage_peak_rss_mb"] = peak_rss_mb()
    result["peak_rss_mb_parts"] = {  # which process it was: this one, or its largest waited-for child
        "self": _vm_hwm_mb(Path("/proc/self/status")),
        "largest_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    _write(args.result, result)
    sys.stdout.flush()
    os._exit(0)  # do not wait for abandoned baseline queries


if __name__ == "__main__":
    main()
