"""The benchmark's report: Markdown, the JSON behind it, growth ratios, verdicts and a plot.

``results`` is ``{size: {stage: StageRun-as-dict}}`` as :mod:`bench.run` collects it. A
stage that was skipped, timed out or failed is shown as such, never as a number: every
figure below is read through :func:`stage_seconds` or :func:`_finished`, which give ``None``
for a stage that did not finish.

The box this runs on is shared, so wall times swing; the report prints CPU time beside each
wall time, the load average, and ratios to references measured in the same run (a bulk load
of the build's own output, a full scan of the store, one plain pySHACL call).
"""
from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Results = dict[int, dict[str, dict[str, Any]]]
Run = dict[str, Any]

# The order stages run in: the references (bulk load, scan) right after what they measure.
STAGE_ORDER = ("build", "bulk-load", "scan", "queries", "export-nt", "export-nq", "export-ttl", "export-trig",
               "export-jsonld", "validate", "validate-changed", "facts", "reason", "rdflib-queries", "pyshacl")
EXPORT_STAGES = tuple(stage for stage in STAGE_ORDER if stage.startswith("export-"))
QUALITY_CATEGORIES = ("states", "persons", "person_state", "organizations", "agreements", "meetings",
                      "figures", "partnerships", "meeting_place", "figure_indicator", "published")

# The acceptance points of the scale issue.
ACCEPTANCE_SIZE = 10_000
BUILD_OVER_BULK_MAX = 4.0
BUILD_PEAK_MB_MAX = 2048.0
QUERY_MS_MAX = 100.0
QUIET_LOAD = 0.5
NT_TRIPLES_PER_S_MIN = 1_000_000.0
VALIDATE_CHANGED_S_MAX = 2.0
PYSHACL_SIZE = 100
PYSHACL_SPEEDUP_MIN = 10.0
NOISE_MS = 20.0  # growth of times below this is shown but not judged


# -- reading one run ---------------------------------------------------------------------

def stage_seconds(run: Run) -> float | None:
    """The stage's own wall time (sum of medians for the query stages), when it finished."""
    if run.get("status") != "ok":
        return None
    seconds = run["result"].get("seconds")
    return float(seconds) if seconds is not None else None


def stage_cpu(run: Run) -> float | None:
    """The CPU time of the stage's own work (threads and waited-for workers included) when it
    finished; else the whole process's."""
    if run.get("status") != "ok":
        return None
    cpu = run["result"].get("cpu_seconds", run.get("cpu_seconds"))
    return float(cpu) if cpu is not None else None


def _finished(runs: dict[str, Run], stage: str) -> dict[str, Any] | None:
    """The result of ``stage`` when it ran to its end, else None."""
    run = runs.get(stage, {})
    return run["result"] if run.get("status") == "ok" else None


def not_finished(run: Run | None) -> str:
    """Why a stage gave no figure: skipped, stopped by its timeout, failed, or not run."""
    if not run:
        return "not run"
    status = run.get("status")
    error = run.get("error") or ""
    if status == "timeout":
        return f"timed out ({error})" if error else "timed out"
    if status == "skipped":
        return error if error.startswith("skipped") else (f"skipped ({error})" if error else "skipped")
    return f"{status} ({error})" if error else str(status)


def _queries(runs: dict[str, Run]) -> dict[str, dict[str, Any]]:
    return runs.get("queries", {}).get("result", {}).get("queries", {})


def _query_errors(runs: dict[str, Run]) -> dict[str, str]:
    return runs.get("queries", {}).get("result", {}).get("errors", {})


def bulk_ratio(runs: dict[str, Run]) -> tuple[float, float | None] | None:
    """Build time over the time of a bulk load of its own output (wall, CPU), same run."""
    build, bulk = _finished(runs, "build"), _finished(runs, "bulk-load")
    if not build or not bulk or not bulk.get("seconds"):
        return None
    cpu = (build["cpu_seconds"] / bulk["cpu_seconds"]
           if build.get("cpu_seconds") is not None and bulk.get("cpu_seconds") else None)
    return build["seconds"] / bulk["seconds"], cpu


def scan_fractions(runs: dict[str, Run]) -> dict[str, float]:
    """Each query's evaluated median as a fraction of the full scan's median (same run)."""
    scan = _finished(runs, "scan")
    if not scan or not scan.get("seconds"):
        return {}
    return {name: q["median_ms"] / (scan["seconds"] * 1000) for name, q in _queries(runs).items()}


def pyshacl_speedup(runs: dict[str, Run]) -> tuple[float, bool] | None:
    """One plain pySHACL call's time over kg's full validation; ``True`` when pySHACL was
    stopped by its timeout, so the figure is a lower bound."""
    ours, plain = runs.get("validate", {}), runs.get("pyshacl", {})
    mine = stage_seconds(ours)
    if not mine:
        return None
    if plain.get("status") == "timeout":
        return plain["wall_seconds"] / mine, True
    theirs = stage_seconds(plain)
    return (theirs / mine, False) if theirs else None


def ratios(runs: dict[str, Run]) -> dict[str, float]:
    """The same-run ratios of one size, by name (for the JSON)."""
    found: dict[str, float] = {}
    bulk = bulk_ratio(runs)
    if bulk:
        found["build / bulk load (wall)"] = bulk[0]
        if bulk[1] is not None:
            found["build / bulk load (CPU)"] = bulk[1]
    speedup = pyshacl_speedup(runs)
    if speedup:
        found["pyshacl / validate" + (" (lower bound)" if speedup[1] else "")] = speedup[0]
    ours_rows, plain_rows = _queries(runs), runs.get("rdflib-queries", {}).get("result", {}).get("queries", {})
    common = sorted(set(ours_rows) & set(plain_rows))
    if common:
        found["queries / rdflib (sum of medians, queries both finished)"] = (
            sum(ours_rows[q]["median_ms"] for q in common) / sum(plain_rows[q]["median_ms"] for q in common))
    return found


# -- figures, growth and slopes -----------------------------------------------------------

def figures(runs: dict[str, Run]) -> dict[str, float | None]:
    """Every figure of one size whose growth with size is worth watching, by name; ``None``
    when its stage did not finish (so growth is never computed from a stopped stage)."""
    found: dict[str, float | None] = {}
    for stage in STAGE_ORDER:
        if stage in runs and stage not in ("queries", "rdflib-queries"):
            run = runs[stage]
            found[f"{stage}: wall s"] = stage_seconds(run)
            found[f"{stage}: CPU s"] = stage_cpu(run)
            peak = run.get("result", {}).get("peak_rss_mb", run.get("peak_rss_mb"))
            found[f"{stage}: peak RSS MB"] = peak if run.get("status") == "ok" else None
    failed = set(_query_errors(runs))
    for name, query in sorted(_queries(runs).items()):
        found[f"query {name}: evaluated median ms"] = None if name in failed else query["median_ms"]
        found[f"query {name}: cached median ms"] = query.get("cached_median_ms")
    for name in sorted(failed - set(_queries(runs))):
        found[f"query {name}: evaluated median ms"] = None
    return found


@dataclass(frozen=True)
class Growth:
    """One figure's ratio between two consecutive sizes."""

    figure: str
    small: int
    large: int
    ratio: float | None  # None: the figure is missing at one of the two sizes
    small_value: float | None = None  # the figure at the smaller size
    large_value: float | None = None  # the figure at the larger size

    @property
    def noise(self) -> bool:
        """A time under :data:`NOISE_MS` at either size: its ratio says little (a busy
        machine's scheduling alone moves a few milliseconds 5×)."""
        if self.small_value is None or self.large_value is None or not self.figure.endswith((" s", " ms")):
            return False
        scale = 1000 if self.figure.endswith(" s") else 1
        return min(self.small_value, self.large_value) * scale < NOISE_MS

    @property
    def worse_than_linear(self) -> bool:
        return self.ratio is not None and self.ratio > self.large / self.small and not self.noise


def growth(results: Results) -> list[Growth]:
    """For each figure, its ratio between each pair of consecutive sizes."""
    sizes = sorted(results)
    per_size = {size: figures(results[size]) for size in sizes}
    names = sorted({name for found in per_size.values() for name in found})
    rows = []
    for name in names:
        for small, large in zip(sizes, sizes[1:]):
            a, b = per_size[small].get(name), per_size[large].get(name)
            rows.append(Growth(name, small, large, b / a if a and b is not None else None, a, b))
    return rows


def slopes(results: Results) -> dict[str, float]:
    """Least-squares slope of log(time) against log(articles) per stage (1 = linear)."""
    fitted = {}
    for stage in STAGE_ORDER:
        points = [(math.log(size), math.log(seconds)) for size, runs in sorted(results.items())
                  if stage in runs and (seconds := stage_seconds(runs[stage])) and seconds > 0]
        if len(points) < 2:
            continue
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        if spread:
            fitted[stage] = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return fitted


# -- verdicts ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """One acceptance point: "met", "not met" or "not measured", with the figure behind it."""

    point: str
    status: str
    figure: str


def _at(results: Results, size: int) -> dict[str, Run] | None:
    return results.get(size)


def _missing_size(point: str, size: int) -> Verdict:
    return Verdict(point, "not measured", f"{size:,} articles not in this run")


def _verdict_build(results: Results) -> list[Verdict]:
    point_ratio = f"build ≤ {BUILD_OVER_BULK_MAX:g}× a bulk load of its own output at {ACCEPTANCE_SIZE:,}"
    point_peak = f"build peak RSS < {BUILD_PEAK_MB_MAX / 1024:g} GB at {ACCEPTANCE_SIZE:,}"
    runs = _at(results, ACCEPTANCE_SIZE)
    if runs is None:
        return [_missing_size(point_ratio, ACCEPTANCE_SIZE), _missing_size(point_peak, ACCEPTANCE_SIZE)]
    verdicts = []
    found = bulk_ratio(runs)
    if found is None:
        why = ("build " + not_finished(runs.get("build")) if not _finished(runs, "build")
               else "bulk load " + not_finished(runs.get("bulk-load")))
        # A build that did not finish is not within any bound; a missing reference is unmeasured.
        verdicts.append(Verdict(point_ratio, "not met" if runs.get("build", {}).get("status") == "timeout"
                                else "not measured", why))
    else:
        wall, cpu = found
        cpu_text = f", CPU {cpu:.2f}×" if cpu is not None else ""
        verdicts.append(Verdict(point_ratio, "met" if wall <= BUILD_OVER_BULK_MAX else "not met",
                                f"{wall:.2f}× (wall{cpu_text})"))
    build = runs.get("build", {})
    if build.get("status") == "ok":
        peak = build["peak_rss_mb"]
        verdicts.append(Verdict(point_peak, "met" if peak < BUILD_PEAK_MB_MAX else "not met", f"{peak:,.0f} MB"))
    else:
        verdicts.append(Verdict(point_peak, "not measured", "build " + not_finished(build)))
    return verdicts


def _verdict_queries(results: Results) -> list[Verdict]:
    point = (f"every stored query's evaluated median < {QUERY_MS_MAX:g} ms at {ACCEPTANCE_SIZE:,} "
             f"(quiet box: load < {QUIET_LOAD:g})")
    runs = _at(results, ACCEPTANCE_SIZE)
    if runs is None:
        return [_missing_size(point, ACCEPTANCE_SIZE)]
    stage = runs.get("queries", {})
    if stage.get("status") == "skipped" or not stage:
        return [Verdict(point, "not measured", "queries " + not_finished(stage))]
    timed, errors = _queries(runs), _query_errors(runs)
    slow = {name: q["median_ms"] for name, q in timed.items() if q["median_ms"] >= QUERY_MS_MAX}
    load = stage.get("load_before")
    quiet = "" if load is None else (f"; load {load:g} at the start" +
                                     (": not a quiet box" if load >= QUIET_LOAD else ""))
    if errors:
        listed = ", ".join(f"{name} {why}" for name, why in sorted(errors.items()))
        return [Verdict(point, "not met", f"not finished: {listed}; {len(slow)} slow{quiet}")]
    if slow:
        listed = ", ".join(f"{name} {ms:,.0f} ms" for name, ms in sorted(slow.items(), key=lambda kv: -kv[1]))
        return [Verdict(point, "not met", f"{len(slow)} of {len(timed)} at or over: {listed}{quiet}")]
    top = max(timed.items(), key=lambda kv: kv[1]["median_ms"]) if timed else None
    figure = f"slowest {top[0]} {top[1]['median_ms']:.1f} ms" if top else "no query"
    return [Verdict(point, "met" if timed else "not measured", figure + quiet)]


def _verdict_query_growth(results: Results) -> list[Verdict]:
    small, large = ACCEPTANCE_SIZE // 10, ACCEPTANCE_SIZE
    point = f"no stored query's evaluated median grows more than 10× from {small:,} to {large:,}"
    if small not in results or large not in results:
        return [_missing_size(point, small if small not in results else large)]
    before, after = _queries(results[small]), _queries(results[large])
    errors = set(_query_errors(results[large])) | set(_query_errors(results[small]))
    grown = {name: after[name]["median_ms"] / before[name]["median_ms"]
             for name in sorted(set(before) & set(after)) if before[name]["median_ms"] and name not in errors}
    if not grown and not errors:
        return [Verdict(point, "not measured", "no query finished at both sizes")]
    worst = sorted(((name, r) for name, r in grown.items() if r > 10), key=lambda kv: -kv[1])
    unfinished = f"; not finished: {', '.join(sorted(errors))}" if errors else ""
    if worst or errors:
        listed = ", ".join(f"{name} {r:.1f}×" for name, r in worst)
        return [Verdict(point, "not met", (listed or "none over 10× of those finished") + unfinished)]
    name, ratio = max(grown.items(), key=lambda kv: kv[1])
    return [Verdict(point, "met", f"largest {name} {ratio:.1f}×")]


def _verdict_export(results: Results) -> list[Verdict]:
    point = f"N-Triples export ≥ {NT_TRIPLES_PER_S_MIN / 1e6:g}M triples/s at {ACCEPTANCE_SIZE:,}"
    runs = _at(results, ACCEPTANCE_SIZE)
    if runs is None:
        return [_missing_size(point, ACCEPTANCE_SIZE)]
    export = _finished(runs, "export-nt")
    if export is None:
        run = runs.get("export-nt")
        return [Verdict(point, "not met" if run and run.get("status") == "timeout" else "not measured",
                        "export-nt " + not_finished(run))]
    rate = export["rate"]
    cpu = export.get("cpu_seconds")
    cpu_text = f", {export['triples'] / cpu:,.0f} per CPU second" if cpu else ""
    return [Verdict(point, "met" if rate >= NT_TRIPLES_PER_S_MIN else "not met",
                    f"{rate:,.0f} triples/s (wall{cpu_text})")]


def _verdict_validation(results: Results) -> list[Verdict]:
    point_changed = (f"goal: `kg validate --changed` after one article changed ≤ {VALIDATE_CHANGED_S_MAX:g} s "
                     f"at {ACCEPTANCE_SIZE:,}")
    point_plain = f"goal: one plain pySHACL call ≥ {PYSHACL_SPEEDUP_MIN:g}× kg's validation at {PYSHACL_SIZE:,}"
    verdicts = []
    runs = _at(results, ACCEPTANCE_SIZE)
    if runs is None:
        verdicts.append(_missing_size(point_changed, ACCEPTANCE_SIZE))
    else:
        changed = _finished(runs, "validate-changed")
        run = runs.get("validate-changed")
        if changed is None:
            verdicts.append(Verdict(point_changed, "not met" if run and run.get("status") == "timeout"
                                    else "not measured", "validate-changed " + not_finished(run)))
        else:
            seconds = changed["seconds"]
            verdicts.append(Verdict(point_changed, "met" if seconds <= VALIDATE_CHANGED_S_MAX else "not met",
                                    f"{seconds:.2f} s wall, {changed['cpu_seconds']:.2f} s CPU"))
    runs = _at(results, PYSHACL_SIZE)
    if runs is None:
        verdicts.append(_missing_size(point_plain, PYSHACL_SIZE))
    else:
        speedup = pyshacl_speedup(runs)
        if speedup is None:
            why = ("validate " + not_finished(runs.get("validate")) if not stage_seconds(runs.get("validate", {}))
                   else "pyshacl " + not_finished(runs.get("pyshacl")))
            verdicts.append(Verdict(point_plain, "not measured", why))
        elif speedup[1]:
            verdicts.append(Verdict(point_plain, "met" if speedup[0] >= PYSHACL_SPEEDUP_MIN else "not measured",
                                    f"at least {speedup[0]:.1f}× (pySHACL stopped by its timeout)"))
        else:
            verdicts.append(Verdict(point_plain, "met" if speedup[0] >= PYSHACL_SPEEDUP_MIN else "not met",
                                    f"{speedup[0]:.1f}×"))
    return verdicts


VERDICTS: tuple[Callable[[Results], list[Verdict]], ...] = (
    _verdict_build, _verdict_queries, _verdict_query_growth, _verdict_export, _verdict_validation)


def verdicts(results: Results) -> list[Verdict]:
    """The acceptance points of the scale issue, each judged on this run's figures."""
    return [verdict for judge in VERDICTS for verdict in judge(results)]


# -- Markdown ------------------------------------------------------------------------------

def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _cell(run: Run) -> tuple[str, str, str, str, str, str]:
    """time, own CPU, process CPU, peak RSS, load at start, note: never a number for a stage
    that did not finish."""
    load = _num(run.get("load_before"), 2)
    status = run.get("status")
    if status == "skipped":
        return "skipped", "", "", "", "", run.get("error") or ""
    seconds = stage_seconds(run)
    peak, process_cpu = f"{run['peak_rss_mb']:.0f}", f"{run['cpu_seconds']:.1f}"
    if seconds is None:
        return status or "?", "", process_cpu, peak, load, run.get("error") or ""
    result = run["result"]
    rate = f"{result['rate']:,.0f} {result['rate_unit']}" if "rate" in result else ""
    note = "; ".join(part for part in (rate, run.get("error") or "") if part)
    return f"{seconds:.3f}", _num(stage_cpu(run)), process_cpu, peak, load, note


def _stage_table(size: int, runs: dict[str, Run]) -> list[str]:
    lines = [f"### {size:,} articles: stages", "",
             "| stage | wall (s) | CPU (s) | process CPU (s) | peak RSS (MB) | load at start | rate / note |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for stage in STAGE_ORDER:
        if stage in runs:
            lines.append("| " + " | ".join((stage, *_cell(runs[stage]))) + " |")
    return lines


def _summary_rows(runs: dict[str, Run]) -> dict[str, str]:
    """One size's headline figures, each with wall and CPU time; a stage that did not finish
    shows why."""
    rows: dict[str, str] = {}
    build = _finished(runs, "build")
    build_run = runs.get("build")
    rows["load average at the build's start"] = _num((build_run or {}).get("load_before"), 2)
    if build:
        rows["build: articles/s (wall)"] = f"{build['rate']:,.1f}"
        rows["build: wall / CPU (s)"] = f"{build['seconds']:.2f} / {_num(build.get('cpu_seconds'), 2)}"
        rows["build: CPU ms per article"] = _num(build.get("cpu_ms_per_article"), 1)
        parts = build.get("peak_rss_mb_parts")
        rows["build: peak RSS (MB)"] = f"{build_run['peak_rss_mb']:,.0f}" + (  # type: ignore[index]
            f" (main process {parts['self']:,.0f}, largest worker {parts['largest_child']:,.0f})" if parts else "")
    else:
        rows["build: articles/s (wall)"] = not_finished(build_run)
    bulk = _finished(runs, "bulk-load")
    rows["bulk load of its output: wall / CPU (s)"] = (
        f"{bulk['seconds']:.2f} / {_num(bulk.get('cpu_seconds'), 2)} ({bulk['quads']:,} quads)" if bulk
        else not_finished(runs.get("bulk-load")))
    ratio = bulk_ratio(runs)
    rows["build / bulk load: wall (CPU)"] = (f"**{ratio[0]:.2f}×** ({_num(ratio[1], 2)}×)" if ratio else "")
    scan = _finished(runs, "scan")
    rows["full scan (SPARQL COUNT of all quads): wall / CPU (ms)"] = (
        f"{scan['seconds'] * 1000:,.1f} / {scan['cpu_seconds'] * 1000:,.1f}" if scan
        else not_finished(runs.get("scan")))
    timed = _queries(runs)
    if timed or _query_errors(runs):
        slowest = max(timed.items(), key=lambda kv: kv[1]["median_ms"]) if timed else None
        over = sum(q["median_ms"] >= QUERY_MS_MAX for q in timed.values())
        rows["queries: slowest evaluated median (ms)"] = (
            f"{slowest[0]} {slowest[1]['median_ms']:,.1f}" if slowest else "")
        rows[f"queries: evaluated medians ≥ {QUERY_MS_MAX:g} ms / not finished"] = (
            f"{over} / {len(_query_errors(runs))} of {len(timed) + len(set(_query_errors(runs)) - set(timed))}")
    for stage in EXPORT_STAGES:
        if stage in runs:
            export = _finished(runs, stage)
            rows[f"{stage}: triples/s (wall; s wall / s CPU)"] = (
                f"{export['rate']:,.0f} ({export['seconds']:.3f} / {_num(export.get('cpu_seconds'), 3)})"
                if export else not_finished(runs[stage]))
    validate = _finished(runs, "validate")
    if "validate" in runs:
        rows["validation (full): wall / CPU (s), peak RSS (MB)"] = (
            f"{validate['seconds']:.2f} / {_num(validate.get('cpu_seconds'), 2)}, "
            f"{runs['validate']['peak_rss_mb']:,.0f}" if validate else not_finished(runs["validate"]))
    if "validate-changed" in runs:
        changed = _finished(runs, "validate-changed")
        rows["`kg validate --changed` after one article changed: wall / CPU (s), peak RSS (MB)"] = (
            f"{changed['seconds']:.2f} / {changed['cpu_seconds']:.2f}, {changed['peak_rss_mb']:,.0f} "
            f"({changed.get('rechecked')} article(s) re-checked; the command's whole process, start-up "
            f"included; incremental rebuild before it {changed['rebuild_seconds']:.2f} s)"
            if changed else not_finished(runs["validate-changed"]))
    speedup = pyshacl_speedup(runs)
    if "pyshacl" in runs:
        rows["one plain pySHACL call / kg validation (same run)"] = (
            (f"{'≥ ' if speedup[1] else ''}{speedup[0]:.1f}×") if speedup else not_finished(runs["pyshacl"]))
    return rows


def _summary_table(results: Results) -> list[str]:
    per_size = {size: _summary_rows(runs) for size, runs in sorted(results.items())}
    names = list(dict.fromkeys(name for rows in per_size.values() for name in rows))
    lines = ["## Figures per size", "",
             "| figure | " + " | ".join(f"{size:,}" for size in per_size) + " |",
             "|---|" + "---:|" * len(per_size)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(rows.get(name, "") for rows in per_size.values()) + " |")
    return lines + [""]


def validation_check(runs: dict[str, Run]) -> str | None:
    """How our validation compares with the plain pyshacl call: speed-up (a lower bound when
    pyshacl was stopped) and whether the two result sets are the same set."""
    ours, plain = runs.get("validate", {}), runs.get("pyshacl", {})
    if ours.get("status") != "ok" or plain.get("status") not in ("ok", "timeout"):
        return None
    mine = ours["result"]
    if plain["status"] == "timeout":
        return (f"validation: plain pyshacl stopped after {plain['wall_seconds']:.0f} s unfinished, so ours "
                f"({mine['seconds']:.1f} s) is at least {plain['wall_seconds'] / mine['seconds']:.0f}x faster; "
                "result sets not compared at this size")
    theirs = plain["result"]
    same = mine.get("results_sha256") is not None and mine.get("results_sha256") == theirs.get("results_sha256")
    verdict = (f"**identical result sets** ({mine.get('results')} results)" if same else
               f"**result sets differ** (ours {mine.get('results')}, pyshacl {theirs.get('results')})")
    return (f"validation: {theirs['seconds'] / mine['seconds']:.1f}x faster than one plain pyshacl call "
            f"({mine['seconds']:.1f} s against {theirs['seconds']:.1f} s); {verdict}")


def _query_table(runs: dict[str, Run]) -> list[str]:
    ours, our_errors = _queries(runs), _query_errors(runs)
    plain = runs.get("rdflib-queries", {}).get("result", {}).get("queries", {})
    plain_errors = runs.get("rdflib-queries", {}).get("result", {}).get("errors", {})
    if not ours and not our_errors:
        return []
    fractions = scan_fractions(runs)
    scan = _finished(runs, "scan")
    yardstick = (f"the full scan (`{scan['query']}`, {scan['quads']:,} quads, median {scan['seconds'] * 1000:,.1f} ms "
                 "in this run)" if scan else "the full scan (" + not_finished(runs.get("scan")) + ")")
    lines = ["", "Evaluated: every run evaluated with the result cache off (median, its CPU time, p95); "
                 "cached: answered from the result cache (`kg.store.result_cache`) after one run filled it; "
                 f"of scan: the evaluated median as a fraction of {yardstick}.",
             "", "| query | rows | evaluated median (ms) | CPU median (ms) | p95 (ms) | cached median (ms) "
                 "| cached CPU (ms) | of scan | rdflib median (ms) | rdflib rows | ours / rdflib |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in sorted(our_errors):
        lines.append(f"| {name} | | {our_errors[name]} | | | | | | | | |")
    for name in sorted(set(ours) - set(our_errors)):
        mine, theirs = ours[name], plain.get(name)
        failure = plain_errors.get(name, "not run").split(":")[0]
        base = f"{theirs['median_ms']:.1f} | {theirs['rows']}" if theirs else f"{failure} | "
        ratio = f"{mine['median_ms'] / theirs['median_ms']:.3f}" if theirs and theirs["median_ms"] else ""
        fraction = f"{fractions[name]:.3f}" if name in fractions else ""
        lines.append(f"| {name} | {mine['rows']} | {mine['median_ms']:.1f} | {_num(mine.get('cpu_median_ms'), 1)} | "
                     f"{mine['p95_ms']:.1f} | {_num(mine.get('cached_median_ms'), 1)} | "
                     f"{_num(mine.get('cached_cpu_median_ms'), 1)} | {fraction} | {base} | {ratio} |")
    return lines


def _growth_table(results: Results) -> list[str]:
    rows = growth(results)
    sizes = sorted(results)
    if len(sizes) < 2:
        return []
    pairs = list(zip(sizes, sizes[1:]))
    by_figure: dict[str, dict[tuple[int, int], Growth]] = {}
    for row in rows:
        by_figure.setdefault(row.figure, {})[(row.small, row.large)] = row
    lines = ["## Growth with size", "",
             "Each figure's ratio between consecutive sizes; a ratio above the ratio of the sizes "
             "(worse than linear) is marked **⚠**; in brackets and not judged where the time is "
             f"under {NOISE_MS:g} ms at either size (noise); empty where the figure is missing at "
             "either size (stage skipped, stopped or failed).", "",
             "| figure | " + " | ".join(f"{a:,}→{b:,}" for a, b in pairs) + " |",
             "|---|" + "---:|" * len(pairs)]
    for name, cells in by_figure.items():
        if all(cell.ratio is None for cell in cells.values()):
            continue  # never measured at two sizes (e.g. a stage skipped above the smallest)
        shown = []
        for pair in pairs:
            found = cells.get(pair)
            if found is None or found.ratio is None:
                shown.append("")
            else:
                shown.append(f"**⚠ {found.ratio:.1f}×**" if found.worse_than_linear else
                             f"({found.ratio:.1f}×)" if found.noise else f"{found.ratio:.1f}×")
        lines.append(f"| {name} | " + " | ".join(shown) + " |")
    flagged = sorted({row.figure for row in rows if row.worse_than_linear})
    lines += ["", f"Worse than linear: {', '.join(flagged) if flagged else 'none'}.", ""]
    return lines


def _verdict_list(results: Results) -> list[str]:
    lines = ["## Acceptance (issue 21)", ""]
    for verdict in verdicts(results):
        lines.append(f"- **{verdict.status}**: {verdict.point}: {verdict.figure}")
    return lines + [""]


def _quality_table(results: Results, seeds: dict[str, Any] | None) -> list[str]:
    columns = [(f"{size:,}", runs["facts"]["result"]) for size, runs in sorted(results.items())
               if runs.get("facts", {}).get("status") == "ok"]
    if seeds:
        columns.append(("seeds", seeds))
    if not columns:
        return []
    lines = ["## Extraction quality (`kg facts` scored by score.py; P / R / F1)", "",
             "| category | " + " | ".join(name for name, _ in columns) + " |",
             "|---|" + "---|" * len(columns)]
    lines.append("| **headline F1** | " + " | ".join(f"**{c['headline_f1']:.3f}**" for _, c in columns) + " |")
    for category in QUALITY_CATEGORIES:
        cells = []
        for _, scored in columns:
            s = scored["scores"][category]
            cells.append(f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}")
        lines.append(f"| {category} | " + " | ".join(cells) + " |")
    return lines


def _load_text(load: Any) -> str:
    return " / ".join(f"{value:.2f}" for value in load) if load else "unknown"


def markdown(results: Results, settings: dict[str, Any], seeds: dict[str, Any] | None = None,
             info: dict[str, Any] | None = None) -> str:
    info = info or {}
    lines = ["# vjkg scale benchmark", ""]
    for run in info.get("joined", [info] if info else []):
        lines += [f"Run started {run.get('started', '?')} (sizes {run.get('sizes', '?')}); load average "
                  f"(1 / 5 / 15 min) at the start **{_load_text(run.get('load_start'))}**, at the end "
                  f"**{_load_text(run.get('load_end'))}** ({run.get('cpus', '?')} CPUs).", ""]
    lines += ["Each stage ran in a fresh process. Wall is the stage's own work (queries: the sums of the "
              "medians and of their CPU times); CPU is user + system time of that work (its threads and the "
              "workers it waited for); process CPU is the whole stage process (start-up included); peak RSS is "
              "the stage process's own high-water mark (VmHWM) or its largest worker's, whichever is larger; load is the 1-minute load average when the stage started. "
              "Stopped, skipped and failed stages are named, never given a number.", "",
              "Settings: " + ", ".join(f"{k}={v}" for k, v in sorted(settings.items()) if k != "merge"), ""]
    if settings.get("merge"):
        lines += ["These are the settings of the latest run, which kept (`--merge`) the stages of earlier "
                  "runs it did not repeat; a skipped stage's note names the setting it was skipped by.", ""]
    lines += _verdict_list(results)
    if results:
        lines += _summary_table(results)
    for size, runs in sorted(results.items()):
        lines += _stage_table(size, runs)
        for name, value in ratios(runs).items():
            lines.append(f"\nratio {name}: **{value:.3f}**")
        check = validation_check(runs)
        if check:
            lines.append(f"\n{check}")
        lines += _query_table(runs) + [""]
    lines += _growth_table(results)
    fitted = slopes(results)
    if fitted:
        lines += ["## Slopes (log wall time vs log articles)", "", "| stage | slope |", "|---|---:|"]
        lines += [f"| {stage} | {slope:.2f} |" for stage, slope in fitted.items()] + [""]
    lines += _quality_table(results, seeds)
    return "\n".join(lines).rstrip() + "\n"


def plot(results: Results, path: Path) -> None:
    """Time against articles per stage, both axes logarithmic."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5.5))
    for stage in STAGE_ORDER:
        points = [(size, s) for size, runs in sorted(results.items())
                  if stage in runs and (s := stage_seconds(runs[stage]))]
        if points:
            axes.plot(*zip(*points), marker="o", label=stage)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("articles")
    axes.set_ylabel("seconds (queries: sum of medians)")
    axes.set_title("vjkg: time per stage")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def serve_load_section(out: Path) -> str:
    """The `kg serve` load runs (``serve-load-N.json`` of :mod:`bench.serve_load`) as a table."""
    runs = [json.loads(path.read_text()) for path in sorted(out.glob("serve-load-*.json"))]
    if not runs:
        return ""
    lines = ["", "## kg serve under load (bench.serve_load)", "",
             "| articles | clients | seconds | requests | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | errors |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in sorted(runs, key=lambda r: r["articles"]):
        kinds = ", ".join(f"{k}: {v}" for k, v in run["error_kinds"].items())
        lines.append(f"| {run['articles']:,} | {run['clients']} | {run['seconds']} | {run['requests']:,} | "
                     f"{run['requests_per_second']} | {run['p50_ms']} | {run['p95_ms']} | {run['p99_ms']} | "
                     f"{run['errors']}{' (' + kinds + ')' if kinds else ''} |")
    return "\n".join(lines) + "\n"


def write(results: Results, settings: dict[str, Any], out: Path, seeds: dict[str, Any] | None,
          info: dict[str, Any] | None = None) -> str:
    """Write report.md, report.json and scaling.png into ``out``; return the Markdown.

    ``info`` (start time, load average at the start) gets the load average at the end: the
    report is rewritten after each size, so "the end" is the moment of the latest write."""
    info = {"load_end": [round(x, 2) for x in os.getloadavg()], **(info or {})}
    text = markdown(results, settings, seeds, info) + serve_load_section(out)
    (out / "report.md").write_text(text, encoding="utf-8")
    document = {"settings": settings, "run": info, "sizes": {str(k): v for k, v in sorted(results.items())},
                "slopes": slopes(results), "ratios": {str(k): ratios(v) for k, v in sorted(results.items())},
                "scan_fractions": {str(k): scan_fractions(v) for k, v in sorted(results.items())},
                "growth": [{"figure": g.figure, "from": g.small, "to": g.large, "ratio": g.ratio,
                            "worse_than_linear": g.worse_than_linear, "noise": g.noise} for g in growth(results)],
                "verdicts": [{"point": v.point, "status": v.status, "figure": v.figure} for v in verdicts(results)],
                "seeds_quality": seeds}
    (out / "report.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    plot(results, out / "scaling.png")
    return text


def rewrite(sources: list[Path], out: Path) -> str:
    """The report written again from the ``report.json`` of earlier runs (after the report's
    code changed, or to join runs of different sizes: a later source's size replaces an
    earlier one's); the settings shown are the first source's."""
    results: Results = {}
    runs: list[dict[str, Any]] = []
    settings: dict[str, Any] = {}
    seeds = None
    for source in sources:
        document = json.loads((source / "report.json").read_text(encoding="utf-8"))
        results.update({int(size): sized for size, sized in document["sizes"].items()})
        runs.append({**document.get("run", {}), "sizes": ", ".join(document["sizes"])})
        settings = settings or document["settings"]
        seeds = seeds or document.get("seeds_quality")
    out.mkdir(parents=True, exist_ok=True)
    return write(results, settings, out, seeds, {"joined": runs} if len(runs) > 1 else runs[0])


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.report", description=rewrite.__doc__)
    parser.add_argument("sources", type=Path, nargs="+", help="folders holding a report.json")
    parser.add_argument("--out", type=Path, required=True, help="where to write the report")
    options = parser.parse_args(argv)
    print(rewrite(options.sources, options.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
