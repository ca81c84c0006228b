"""The benchmark report on small synthetic results: ratios, growth, verdicts, and stages that
did not finish shown as such (never as numbers). No benchmark runs here."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import report
from bench.report import Results, growth, markdown, scan_fractions, verdicts

QUERIES = ("meetings", "stats")


def ok(seconds: float, cpu: float | None = None, peak: float = 100.0, load: float = 0.2,
       **result: Any) -> dict[str, Any]:
    """A finished stage as bench.run records it."""
    return {"stage": "", "status": "ok", "error": None, "wall_seconds": seconds + 1.0, "cpu_seconds": seconds + 2.0,
            "peak_rss_mb": peak, "load_before": load,
            "result": {"seconds": seconds, "cpu_seconds": seconds if cpu is None else cpu, **result}}


def stopped(after: float) -> dict[str, Any]:
    return {"stage": "", "status": "timeout", "error": f"stopped after {after:.0f} s", "wall_seconds": after,
            "cpu_seconds": after / 2, "peak_rss_mb": 300.0, "load_before": 1.0, "result": {"seconds": 7.777}}


def queries(medians: dict[str, float], load: float = 0.2, errors: dict[str, str] | None = None) -> dict[str, Any]:
    timed = {name: {"rows": 3, "median_ms": ms, "p95_ms": ms * 1.5, "cpu_median_ms": ms * 0.9,
                    "cached_median_ms": 0.5, "cached_cpu_median_ms": 0.4, "runs": 3}
             for name, ms in medians.items()}
    return {"stage": "queries", "status": "ok", "error": None, "wall_seconds": 9.0, "cpu_seconds": 8.0,
            "peak_rss_mb": 60.0, "load_before": load,
            "result": {"queries": timed, "errors": errors or {},
                       "seconds": sum(medians.values()) / 1000, "cpu_seconds": 0.0}}


def size_runs(size: int, *, build: float = 40.0, bulk: float = 10.0, query_ms: float = 50.0,
              nt_rate: float = 2e6, changed: float = 1.5, peak: float = 500.0) -> dict[str, dict[str, Any]]:
    """One size's runs, every figure scaled linearly with the size unless given."""
    triples = size * 800
    return {
        "build": ok(build, cpu=build * 1.8, peak=peak, articles=size, rate=size / build, rate_unit="articles/s",
                    cpu_ms_per_article=build * 1800 / size),
        "bulk-load": ok(bulk, cpu=bulk * 1.2, quads=triples, rate=triples / bulk, rate_unit="quads/s"),
        "scan": ok(size / 1000, query="SELECT (COUNT(*) AS ?n) ...", quads=triples),
        "queries": queries({name: query_ms for name in QUERIES}),
        "export-nt": ok(triples / nt_rate, triples=triples, rate=nt_rate, rate_unit="triples/s"),
        "validate": ok(size / 10, peak=900.0, triples=triples, rate=8000.0, rate_unit="triples/s"),
        "validate-changed": ok(changed, cpu=changed * 0.8, peak_rss_mb=400.0, rechecked=1, rebuild_seconds=0.7),
        "pyshacl": ok(size / 10 * 12),
    }


def linear() -> Results:
    return {size: size_runs(size, build=size / 25, bulk=size / 250, query_ms=size / 1000) for size in (10, 100, 1000)}


def by_point(results: Results) -> dict[str, report.Verdict]:
    return {verdict.point.split(" at ")[0].split(":")[-1].strip(): verdict for verdict in verdicts(results)}


def test_every_point_is_not_measured_without_its_size() -> None:
    found = verdicts({10: size_runs(10)})
    assert len(found) == 7
    assert all(v.status == "not measured" for v in found)
    assert all("not in this run" in v.figure for v in found)


def test_build_ratio_and_peak_at_ten_thousand() -> None:
    met = by_point({10_000: size_runs(10_000, build=40.0, bulk=10.0, peak=1500.0)})
    assert met["build ≤ 4× a bulk load of its own output"].status == "met"
    assert "4.00×" in met["build ≤ 4× a bulk load of its own output"].figure
    assert "CPU 6.00×" in met["build ≤ 4× a bulk load of its own output"].figure  # 72 s / 12 s
    assert met["build peak RSS < 2 GB"].status == "met"
    slow = by_point({10_000: size_runs(10_000, build=41.0, bulk=10.0, peak=2100.0)})
    assert slow["build ≤ 4× a bulk load of its own output"].status == "not met"
    assert slow["build peak RSS < 2 GB"].status == "not met"
    assert "2,100 MB" in slow["build peak RSS < 2 GB"].figure


def test_a_stopped_build_is_not_met_and_never_a_number() -> None:
    runs = size_runs(10_000)
    runs["build"] = stopped(1800)
    results: Results = {10_000: runs}
    verdict = by_point(results)["build ≤ 4× a bulk load of its own output"]
    assert verdict.status == "not met" and "timed out" in verdict.figure and "1800" in verdict.figure
    assert report.bulk_ratio(runs) is None
    text = markdown(results, {})
    assert "| build | timeout |" in text
    assert "7.777" not in text and "7.78" not in text  # the partial "seconds" a stopped stage wrote
    assert all(row.ratio is None for row in growth({1000: size_runs(1000), 10_000: runs})
               if row.figure.startswith("build: wall"))


def test_query_verdict_names_the_slow_ones_and_the_load() -> None:
    fast = {10_000: size_runs(10_000, query_ms=40.0)}
    assert by_point(fast)["every stored query's evaluated median < 100 ms"].status == "met"
    runs = size_runs(10_000)
    runs["queries"] = queries({"meetings": 20.0, "stats": 180.0}, load=2.5)
    verdict = by_point({10_000: runs})["every stored query's evaluated median < 100 ms"]
    assert verdict.status == "not met"
    assert "stats 180 ms" in verdict.figure and "meetings" not in verdict.figure
    assert "not a quiet box" in verdict.figure
    runs["queries"] = queries({"meetings": 20.0}, errors={"stats": "stopped after 60 s"})
    verdict = by_point({10_000: runs})["every stored query's evaluated median < 100 ms"]
    assert verdict.status == "not met" and "stats stopped after 60 s" in verdict.figure


def test_query_growth_from_one_to_ten_thousand() -> None:
    results: Results = {1000: size_runs(1000, query_ms=10.0), 10_000: size_runs(10_000, query_ms=90.0)}
    point = "no stored query's evaluated median grows more than 10× from 1,000 to 10,000"
    assert by_point(results)[point].status == "met"
    results[10_000]["queries"] = queries({"meetings": 90.0, "stats": 120.0})
    verdict = by_point(results)[point]
    assert verdict.status == "not met" and verdict.figure == "stats 12.0×"


def test_export_and_validation_goals() -> None:
    found = by_point({10_000: size_runs(10_000, nt_rate=1.2e6, changed=1.5), 100: size_runs(100)})
    assert found["N-Triples export ≥ 1M triples/s"].status == "met"
    assert found["`kg validate --changed` after one article changed ≤ 2 s"].status == "met"
    plain = found["one plain pySHACL call ≥ 10× kg's validation"]
    assert plain.status == "met" and plain.figure == "12.0×"
    found = by_point({10_000: size_runs(10_000, nt_rate=9e5, changed=3.0)})
    assert found["N-Triples export ≥ 1M triples/s"].status == "not met"
    assert "900,000 triples/s" in found["N-Triples export ≥ 1M triples/s"].figure
    assert found["`kg validate --changed` after one article changed ≤ 2 s"].status == "not met"


def test_a_stopped_pyshacl_gives_a_lower_bound() -> None:
    runs = size_runs(100)
    runs["pyshacl"] = stopped(200)  # validate took 10 s: at least 20x
    assert report.pyshacl_speedup(runs) == (20.0, True)
    verdict = by_point({100: runs})["one plain pySHACL call ≥ 10× kg's validation"]
    assert verdict.status == "met" and verdict.figure.startswith("at least 20.0×")
    runs["pyshacl"] = stopped(50)
    assert by_point({100: runs})["one plain pySHACL call ≥ 10× kg's validation"].status == "not measured"


def test_growth_flags_what_grows_faster_than_the_size() -> None:
    results = linear()
    results[1000]["validate"] = ok(100.0 * 15, peak=900.0)  # 10 s at 100, 1,500 s at 1,000
    rows = {(row.figure, row.small): row for row in growth(results)}
    assert rows[("validate: wall s", 10)].ratio == pytest.approx(10.0)
    assert not rows[("validate: wall s", 10)].worse_than_linear
    assert rows[("validate: wall s", 100)].ratio == pytest.approx(150.0)
    assert rows[("validate: wall s", 100)].worse_than_linear
    assert rows[("query stats: evaluated median ms", 100)].ratio == pytest.approx(10.0)
    results[100]["export-nt"] = ok(0.001, triples=80_000, rate=8e7, rate_unit="triples/s")
    results[1000]["export-nt"] = ok(0.015, triples=800_000, rate=5.3e7, rate_unit="triples/s")
    noisy = {(row.figure, row.small): row for row in growth(results)}[("export-nt: wall s", 100)]
    assert noisy.ratio == pytest.approx(15.0) and noisy.noise and not noisy.worse_than_linear
    results[10]["export-nt"] = ok(0.005, triples=8_000, rate=1.6e6, rate_unit="triples/s")
    results[100]["export-nt"] = ok(0.2, triples=80_000, rate=4e5, rate_unit="triples/s")  # 40x, from 5 ms
    assert {(row.figure, row.small): row for row in growth(results)}[("export-nt: wall s", 10)].noise
    text = markdown(results, {})
    assert "| validate: wall s | 10.0× | **⚠ 150.0×** |" in text
    line = next(line for line in text.splitlines() if line.startswith("| export-nt: wall s |"))
    assert line.endswith("| (40.0×) | (0.1×) |") and "⚠" not in line
    assert "Worse than linear: validate: CPU s, validate: wall s." in text


def test_scan_fraction_is_the_median_over_the_scan() -> None:
    runs = size_runs(1000, query_ms=50.0)  # the scan takes 1 s at 1,000
    assert scan_fractions(runs) == {"meetings": pytest.approx(0.05), "stats": pytest.approx(0.05)}
    runs["scan"] = stopped(60)
    assert scan_fractions(runs) == {}


def test_figures_per_size_give_wall_and_cpu() -> None:
    text = markdown({1000: size_runs(1000, build=40.0, bulk=10.0)}, {"seed": 0})
    assert "| build: wall / CPU (s) | 40.00 / 72.00 |" in text
    assert "| build / bulk load: wall (CPU) | **4.00×** (6.00×) |" in text
    assert "| build: CPU ms per article | 72.0 |" in text
    runs = size_runs(1000)
    runs["build"]["result"]["peak_rss_mb_parts"] = {"self": 420.0, "largest_child": 180.0}
    assert "| build: peak RSS (MB) | 500 (main process 420, largest worker 180) |" in markdown({1000: runs}, {})
    assert "| validation (full): wall / CPU (s), peak RSS (MB) | 100.00 / 100.00, 900 |" in text


def test_write_keeps_verdicts_growth_and_load(tmp_path: Path) -> None:
    info = {"started": "2026-12-07 18:00 UTC", "load_start": [0.31, 0.2, 0.1], "cpus": 2}
    report.write(linear(), {"seed": 0}, tmp_path, None, info)
    document = json.loads((tmp_path / "report.json").read_text())
    assert document["run"]["load_start"] == [0.31, 0.2, 0.1] and len(document["run"]["load_end"]) == 3
    assert len(document["verdicts"]) == 7
    assert {row["figure"] for row in document["growth"]} >= {"build: wall s", "query meetings: cached median ms"}
    assert document["scan_fractions"]["100"]["meetings"] == pytest.approx(0.001)  # 0.1 ms of 100 ms
    text = (tmp_path / "report.md").read_text()
    assert "at the start **0.31 / 0.20 / 0.10**" in text


def test_rewrite_joins_runs_of_different_sizes(tmp_path: Path) -> None:
    small, large = tmp_path / "small", tmp_path / "large"
    for folder, sizes, load in ((small, (10, 100), 0.4), (large, (1000,), 3.0)):
        folder.mkdir()
        results = {size: size_runs(size, build=size / 25, bulk=size / 250) for size in sizes}
        report.write(results, {"seed": 0}, folder, None, {"started": "then", "load_start": [load] * 3,
                                                          "load_end": [load] * 3, "cpus": 2})
    text = report.rewrite([small, large], tmp_path / "joined")
    assert "at the start **0.40 / 0.40 / 0.40**" in text and "at the start **3.00 / 3.00 / 3.00**" in text
    document = json.loads((tmp_path / "joined" / "report.json").read_text())
    assert sorted(document["sizes"], key=int) == ["10", "100", "1000"]
    assert {(row["from"], row["to"]) for row in document["growth"]} == {(10, 100), (100, 1000)}
