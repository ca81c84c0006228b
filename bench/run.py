"""The scale benchmark: ``python -m bench.run --sizes 10,100,1000 [--out build/bench]``.

For each size the synthetic corpus is generated (or reused from ``OUT/corpus-N`` when its
manifest has the same seed, size and generator version), built into ``OUT/store-N``, and
then every stage runs in its own process (:mod:`bench.stages`): the references measured
back to back with what they judge (a bulk load of the build's own output, a full scan of
the store), every stored query, the exports in every format, full and incremental
validation, extraction quality, reasoning, and the plain baselines (rdflib's SPARQL engine,
one plain pyshacl call) on the same graph. Stages too slow for a size are skipped above a
flag's limit or stopped by a timeout, and the whole run by ``--budget``; all are reported
so, never as numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.generate import GENERATOR_VERSION, generate_corpus
from bench.measure import StageRun, load_average, run_stage
from bench.report import STAGE_ORDER, write
from bench.project import PROJECT_ROOT, SEEDS_DIR
from kg.query.stored import load_queries

SHARED_EVAL = PROJECT_ROOT.parent / "shared" / "eval"


def corpus(out: Path, articles: int, seed: int) -> Path:
    """The corpus of ``articles`` articles, generated unless a matching one is cached."""
    folder = out / f"corpus-{articles}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        known = json.loads(manifest.read_text())
        if (known.get("seed"), known.get("articles"), known.get("version")) == (seed, articles,
                                                                               GENERATOR_VERSION):
            return folder
    generate_corpus(articles, seed, folder)
    return folder


def _skip(reason: str) -> dict[str, Any]:
    return {"stage": "", "status": "skipped", "error": reason, "result": {}, "peak_rss_mb": 0.0,
            "wall_seconds": 0.0, "cpu_seconds": 0.0}


def _plan(size: int, options: argparse.Namespace) -> dict[str, tuple[list[str], float | None] | str]:
    """Stage -> (extra arguments, timeout), or the reason it is skipped at this size; in the
    order of :data:`STAGE_ORDER` (each reference right after what it is compared with)."""
    repeats = ["--repeats", str(options.repeats)]
    plan: dict[str, tuple[list[str], float | None] | str] = {
        "bulk-load": ([], options.timeout),
        "scan": (repeats, options.timeout),
        "queries": (repeats, options.timeout),
        **{stage: ([], options.timeout) for stage in STAGE_ORDER if stage.startswith("export-")},
        "validate": ([], options.timeout),
        "validate-changed": (["--articles", str(options.corpus / "articles"),
                              "--command-timeout", str(options.timeout)], options.timeout),
        "facts": (["--gold", str(options.corpus / "gold"), "--score", str(options.score)], options.timeout),
        "reason": ([], options.timeout) if size <= options.reason_max
        else f"skipped above {options.reason_max} articles (--reason-max)",
        "rdflib-queries": (["--repeats", str(options.baseline_repeats), "--budget", str(options.query_budget),
                            "--query-timeout", str(options.query_timeout)], options.baseline_timeout),
        "pyshacl": ([], options.baseline_timeout),
    }
    if size > options.baseline_max:
        for stage in ("rdflib-queries", "pyshacl"):
            plan[stage] = f"skipped above {options.baseline_max} articles (--baseline-max)"
    if size < options.baseline_min:
        for stage in ("rdflib-queries", "pyshacl"):
            plan[stage] = f"skipped below {options.baseline_min} articles (--baseline-min)"
    if "validate-changed" in options.stages and "validate" not in options.stages:
        plan["validate-changed"] = "needs the validate stage (its cache) in the same run"
    return {stage: plan[stage] for stage in STAGE_ORDER if stage in plan and stage in options.stages}


def _left(options: argparse.Namespace, timeout: float | None) -> float | None:
    """``timeout`` cut to what is left of the run's ``--budget`` (for this size)."""
    if options.deadline is None:
        return timeout
    left = options.deadline - time.monotonic()
    return left if timeout is None else min(timeout, left)


def _measured(options: argparse.Namespace, stage: str, args: list[str], result_file: Path,
              timeout: float | None) -> StageRun:
    """:func:`run_stage` with ``timeout`` cut to the budget; a stage stopped by the budget
    rather than by its own timeout says so."""
    limit = _left(options, timeout)
    run = run_stage(stage, args, result_file, limit, options.out / "bench.log")
    if run.status == "timeout" and limit is not None and (timeout is None or limit < timeout):
        run.error = f"{run.error}, by the run's --budget"
    return run


def _spent(options: argparse.Namespace) -> bool:
    return options.deadline is not None and options.deadline - time.monotonic() < 1.0


def _budget_note(options: argparse.Namespace) -> str:
    if options.deadline is not None and options.deadline < options.end:
        return (f"the run's --budget of {options.budget:.0f} s was spent, but for the {options.reserve:.0f} s "
                "kept for the largest size (--reserve)")
    return f"the run's --budget of {options.budget:.0f} s was spent"


def _set_deadline(size: int, options: argparse.Namespace) -> None:
    """The smaller sizes must leave ``--reserve`` seconds of the budget to the largest one,
    which the acceptance figures are read at."""
    if options.end is None:
        options.deadline = None
    elif size < max(options.sizes):
        options.deadline = options.end - options.reserve
    else:
        options.deadline = options.end


def run_size(size: int, options: argparse.Namespace) -> dict[str, dict[str, Any]]:
    options.corpus = corpus(options.out, size, options.seed)
    store = options.out / f"store-{size}"
    common = ["--store", str(store)]
    workers = ["--workers", str(options.workers)] if options.workers else []
    runs: dict[str, dict[str, Any]] = {}
    _set_deadline(size, options)
    if _spent(options):
        return {"build": _skip(_budget_note(options))}
    built = _measured(options, "build", common + ["--articles", str(options.corpus / "articles")] + workers,
                      options.out / f"build-{size}.json", options.timeout)
    runs["build"] = asdict(built)
    _progress(size, built.stage, runs["build"])
    for stage, plan in _plan(size, options).items():
        if built.status != "ok":
            runs[stage] = _skip("the build did not finish")
        elif isinstance(plan, str):
            runs[stage] = _skip(plan)
        elif _spent(options):
            runs[stage] = _skip(_budget_note(options))
        elif stage == "queries":
            runs[stage] = run_queries(size, common + plan[0], options)
        else:
            extra, timeout = plan
            runs[stage] = asdict(_measured(options, stage, common + extra, options.out / f"{stage}-{size}.json",
                                           timeout))
        _progress(size, stage, runs[stage])
    return runs


def run_queries(size: int, args: list[str], options: argparse.Namespace) -> dict[str, Any]:
    """Every stored query in its own process, so that one slow query can time out alone."""
    merged: dict[str, Any] = {"stage": "queries", "status": "ok", "error": None, "wall_seconds": 0.0,
                              "cpu_seconds": 0.0, "peak_rss_mb": 0.0, "load_before": load_average(),
                              "result": {"queries": {}, "errors": {}}}
    for name in sorted(load_queries()):
        if _spent(options):
            merged["result"]["errors"][name] = "not run: " + _budget_note(options)
            continue
        run = _measured(options, "queries", args + ["--only", name, "--budget", str(options.query_budget)],
                        options.out / f"queries-{size}-{name}.json", options.query_timeout)
        merged["wall_seconds"] += run.wall_seconds
        merged["cpu_seconds"] += run.cpu_seconds
        merged["peak_rss_mb"] = max(merged["peak_rss_mb"], run.peak_rss_mb)
        if run.status == "ok":
            merged["result"]["queries"].update(run.result["queries"])
        else:
            merged["result"]["errors"][name] = run.error
    timed = merged["result"]["queries"]
    merged["result"]["seconds"] = sum(q["median_ms"] for q in timed.values()) / 1000
    merged["result"]["cpu_seconds"] = sum(q.get("cpu_median_ms", 0.0) for q in timed.values()) / 1000
    if merged["result"]["errors"]:
        merged["error"] = "not finished: " + ", ".join(
            f"{name} ({why})" for name, why in sorted(merged["result"]["errors"].items()))
    return merged


def _progress(size: int, stage: str, run: dict[str, Any]) -> None:
    seconds = run["result"].get("seconds")
    shown = f"{seconds:.3f} s" if seconds is not None and run["status"] == "ok" else run["status"]
    print(f"[{size}] {stage}: {shown} (wall {run['wall_seconds']:.1f} s, cpu {run['cpu_seconds']:.1f} s, peak {run['peak_rss_mb']:.0f} MB)"
          + (f" - {run['error']}" if run.get("error") else ""), file=sys.stderr, flush=True)


def seeds_quality(options: argparse.Namespace) -> dict[str, Any] | None:
    """The same extraction score on the hand-annotated seed articles, for comparison."""
    gold = SHARED_EVAL / "gold"
    if options.no_seeds or not gold.is_dir():
        return None
    store = options.out / "store-seeds"
    log = options.out / "bench.log"
    built = run_stage("build", ["--store", str(store), "--articles", str(SEEDS_DIR)],
                      options.out / "build-seeds.json", _left(options, options.timeout), log)
    if built.status != "ok":
        return None
    scored = run_stage("facts", ["--store", str(store), "--gold", str(gold), "--score", str(options.score)],
                       options.out / "facts-seeds.json", _left(options, options.timeout), log)
    return scored.result if scored.status == "ok" else None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated corpus sizes")
    parser.add_argument("--out", type=Path, default=Path("build/bench"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None, help="build worker processes (default: CPUs)")
    parser.add_argument("--repeats", type=int, default=20, help="runs of each stored query")
    parser.add_argument("--query-budget", type=float, default=30.0,
                        help="stop repeating a query once its runs took this many seconds")
    parser.add_argument("--query-timeout", type=float, default=300.0,
                        help="give up a stored query (ours or rdflib's) after this many seconds")
    parser.add_argument("--baseline-repeats", type=int, default=5, help="runs of each query on rdflib")
    parser.add_argument("--reason-max", type=int, default=1000, help="skip reasoning above this size")
    parser.add_argument("--baseline-max", type=int, default=1000, help="skip the plain baselines above this size")
    parser.add_argument("--baseline-min", type=int, default=0, help="skip the plain baselines below this size")
    parser.add_argument("--baseline-timeout", type=float, default=600.0, help="seconds per baseline stage")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per stage of ours")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds for the whole run: each stage's timeout is cut to what is left, "
                             "and stages after it are reported as skipped")
    parser.add_argument("--reserve", type=float, default=0.0,
                        help="seconds of --budget the sizes below the largest must leave to it")
    parser.add_argument("--stages", default=",".join(STAGE_ORDER[1:]),
                        help="stages to run after the build (default: all)")
    parser.add_argument("--skip", default="", help="stages not to run (comma-separated)")
    parser.add_argument("--score", type=Path, default=SHARED_EVAL / "score.py", help="the scorer")
    parser.add_argument("--no-seeds", action="store_true", help="do not score the seed articles")
    parser.add_argument("--merge", action="store_true",
                        help="keep what an earlier OUT/report.json holds (other sizes, other stages) in the report")
    options = parser.parse_args(argv)
    options.sizes = sorted({int(s) for s in options.sizes.split(",") if s.strip()})
    options.stages = {s.strip() for s in options.stages.split(",") if s.strip()}
    skipped = {s.strip() for s in options.skip.split(",") if s.strip()}
    unknown = (options.stages | skipped) - set(STAGE_ORDER)
    options.stages -= skipped
    if unknown or not options.sizes or min(options.sizes) < 1:
        parser.error(f"unknown stages {sorted(unknown)}" if unknown else "--sizes needs positive numbers")
    if not options.score.is_file():
        parser.error(f"{options.score}: no scorer there (give --score)")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    options.end = None if options.budget is None else time.monotonic() + options.budget
    options.deadline = options.end
    options.out.mkdir(parents=True, exist_ok=True)
    info = {"started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_start": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count(),
            "sizes": ", ".join(map(str, options.sizes))}
    results: dict[int, dict[str, dict[str, Any]]] = {}
    if options.merge and (options.out / "report.json").exists():
        earlier = json.loads((options.out / "report.json").read_text())
        results = {int(size): runs for size, runs in earlier["sizes"].items()}
    seeds = seeds_quality(options)
    settings = {"seed": options.seed, "repeats": options.repeats, "baseline_repeats": options.baseline_repeats,
                "reason_max": options.reason_max, "baseline_max": options.baseline_max,
                "baseline_min": options.baseline_min, "skip": options.skip,
                "query_budget": options.query_budget, "query_timeout": options.query_timeout,
                "baseline_timeout": options.baseline_timeout, "workers": options.workers or "cpus",
                "timeout": options.timeout, "budget": options.budget, "reserve": options.reserve,
                "merge": options.merge}
    for size in options.sizes:
        results.setdefault(size, {}).update(run_size(size, options))
        text = write(results, settings, options.out, seeds, info)  # after each size: a partial run still reports
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
