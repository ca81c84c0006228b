"""The benchmark's report: a Markdown table, the JSON behind it, slopes and a log-log plot.

``results`` is ``{size: {stage: StageRun-as-dict}}`` as :mod:`bench.run` collects it. A
stage that was skipped, timed out or failed is shown as such, never as a number.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

Results = dict[int, dict[str, dict[str, Any]]]

STAGE_ORDER = ("build", "validate", "reason", "queries", "export-ttl", "export-nq", "facts",
               "rdflib-queries", "pyshacl")
QUALITY_CATEGORIES = ("states", "persons", "person_state", "organizations", "agreements", "meetings",
                      "figures", "partnerships", "meeting_place", "figure_indicator", "published")


def stage_seconds(run: dict[str, Any]) -> float | None:
    """The stage's own time (sum of medians for the query stages), when it finished."""
    if run.get("status") != "ok":
        return None
    return run["result"].get("seconds")


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


def _cell(run: dict[str, Any]) -> tuple[str, str, str, str]:
    status = run.get("status")
    if status == "skipped":
        return "skipped", "", "", run.get("error") or ""
    seconds = stage_seconds(run)
    peak, cpu = f"{run['peak_rss_mb']:.0f}", f"{run['cpu_seconds']:.1f}"
    if seconds is None:
        return status or "?", cpu, peak, run.get("error") or ""
    result = run["result"]
    rate = f"{result['rate']:,.0f} {result['rate_unit']}" if "rate" in result else ""
    note = "; ".join(part for part in (rate, run.get("error") or "") if part)
    return f"{seconds:.3f}", cpu, peak, note


def _stage_table(size: int, runs: dict[str, dict[str, Any]]) -> list[str]:
    lines = [f"### {size:,} articles", "",
             "| stage | time (s) | process CPU (s) | peak RSS (MB) | rate / note |",
             "|---|---:|---:|---:|---|"]
    for stage in STAGE_ORDER:
        if stage in runs:
            seconds, cpu, peak, note = _cell(runs[stage])
            lines.append(f"| {stage} | {seconds} | {cpu} | {peak} | {note} |")
    return lines


def ratios(runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    """ours / baseline: validation time, total of query medians (below 1: ours is faster)."""
    found = {}
    ours, plain = stage_seconds(runs.get("validate", {})), stage_seconds(runs.get("pyshacl", {}))
    if ours and plain:
        found["validate / pyshacl"] = ours / plain
    ours_q, plain_q = runs.get("queries", {}), runs.get("rdflib-queries", {})
    ours_rows = ours_q.get("result", {}).get("queries", {})
    plain_rows = plain_q.get("result", {}).get("queries", {})
    common = sorted(set(ours_rows) & set(plain_rows))
    if common:
        found["queries / rdflib (sum of medians, queries both finished)"] = (
            sum(ours_rows[q]["median_ms"] for q in common) / sum(plain_rows[q]["median_ms"] for q in common))
    return found


def validation_check(runs: dict[str, dict[str, Any]]) -> str | None:
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


def _query_table(runs: dict[str, dict[str, Any]]) -> list[str]:
    ours = runs.get("queries", {}).get("result", {}).get("queries", {})
    our_errors = runs.get("queries", {}).get("result", {}).get("errors", {})
    plain = runs.get("rdflib-queries", {}).get("result", {}).get("queries", {})
    plain_errors = runs.get("rdflib-queries", {}).get("result", {}).get("errors", {})
    if not ours and not our_errors:
        return []
    lines = ["", "Median and p95: every run evaluated; cached: answered from the result cache "
                 "(`kg.store.result_cache`) after one run filled it.",
             "", "| query | rows | median (ms) | p95 (ms) | cached median (ms) | rdflib median (ms) "
                 "| rdflib rows | ours / rdflib |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in sorted(our_errors):
        lines.append(f"| {name} | | {our_errors[name]} | | | | | |")
    for name in sorted(ours):
        mine, theirs = ours[name], plain.get(name)
        failure = plain_errors.get(name, "not run").split(":")[0]
        base = f"{theirs['median_ms']:.1f} | {theirs['rows']}" if theirs else f"{failure} | "
        ratio = f"{mine['median_ms'] / theirs['median_ms']:.3f}" if theirs and theirs["median_ms"] else ""
        cached = f"{mine['cached_median_ms']:.1f}" if "cached_median_ms" in mine else ""
        lines.append(f"| {name} | {mine['rows']} | {mine['median_ms']:.1f} | {mine['p95_ms']:.1f} | "
                     f"{cached} | {base} | {ratio} |")
    return lines


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


def markdown(results: Results, settings: dict[str, Any], seeds: dict[str, Any] | None = None) -> str:
    lines = ["# vjkg scale benchmark", "",
             "Each stage ran in a fresh process; time is the stage's own work (queries: the sum of "
             "the medians); process CPU is user + system time of the whole stage process (start-up "
             "and workers included), which the other jobs of a shared machine disturb less than "
             "wall time; peak RSS is the largest process of the stage (os.wait4).", "",
             "Settings: " + ", ".join(f"{k}={v}" for k, v in sorted(settings.items()) if k != "merge"), ""]
    if settings.get("merge"):
        lines += ["These are the settings of the latest run, which kept (`--merge`) the stages of earlier "
                  "runs it did not repeat; a skipped stage's note names the setting it was skipped by.", ""]
    for size, runs in sorted(results.items()):
        lines += _stage_table(size, runs)
        for name, value in ratios(runs).items():
            lines.append(f"\nratio {name}: **{value:.3f}**")
        check = validation_check(runs)
        if check:
            lines.append(f"\n{check}")
        lines += _query_table(runs) + [""]
    fitted = slopes(results)
    if fitted:
        lines += ["## Slopes (log time vs log articles)", "", "| stage | slope |", "|---|---:|"]
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


def write(results: Results, settings: dict[str, Any], out: Path, seeds: dict[str, Any] | None) -> str:
    """Write report.md, report.json and scaling.png into ``out``; return the Markdown."""
    text = markdown(results, settings, seeds) + serve_load_section(out)
    (out / "report.md").write_text(text, encoding="utf-8")
    document = {"settings": settings, "sizes": {str(k): v for k, v in sorted(results.items())},
                "slopes": slopes(results), "ratios": {str(k): ratios(v) for k, v in sorted(results.items())},
                "seeds_quality": seeds}
    (out / "report.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    plot(results, out / "scaling.png")
    return text
