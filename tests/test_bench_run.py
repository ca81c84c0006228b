"""The benchmark harness end to end on a tiny corpus: every stage runs and is reported.

No timing is asserted; only that each stage ran in its own process, finished, and appears
in the Markdown, the JSON and the plot.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run
from bench.report import STAGE_ORDER, markdown, slopes


@pytest.fixture(scope="module")
def bench_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    code = run.main(["--sizes", "2", "--out", str(out), "--repeats", "2", "--baseline-repeats", "1"])
    assert code == 0
    return out


def test_report_files_exist(bench_out: Path) -> None:
    for name in ("report.md", "report.json", "scaling.png"):
        assert (bench_out / name).stat().st_size > 0, name
    assert (bench_out / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_stage_ran_and_is_reported(bench_out: Path) -> None:
    document = json.loads((bench_out / "report.json").read_text())
    runs = document["sizes"]["2"]
    assert set(runs) == set(STAGE_ORDER)
    for stage in STAGE_ORDER:
        assert runs[stage]["status"] == "ok", (stage, runs[stage].get("error"))
        assert runs[stage]["peak_rss_mb"] > 0, stage
    markdown = (bench_out / "report.md").read_text()
    for stage in STAGE_ORDER:
        assert f"| {stage} |" in markdown, stage


def test_queries_and_quality_are_measured(bench_out: Path) -> None:
    document = json.loads((bench_out / "report.json").read_text())
    runs = document["sizes"]["2"]
    queries = runs["queries"]["result"]["queries"]
    stored = sorted(path.stem for path in (run.PROJECT_ROOT / "queries").glob("*.rq"))
    assert sorted(queries) == stored
    assert all(q["runs"] == 2 and q["median_ms"] <= q["p95_ms"] for q in queries.values())
    assert all(q["cached_runs"] == 2 and q["cached_median_ms"] <= q["cached_p95_ms"] for q in queries.values())
    assert not list(bench_out.glob("*.results")), "the stage leaves no result cache behind"
    assert runs["build"]["result"]["articles"] == 2
    facts = runs["facts"]["result"]
    assert facts["articles"] == 2 and 0.0 < facts["headline_f1"] <= 1.0
    assert "person_state" in facts["scores"]


def test_corpus_is_cached(bench_out: Path) -> None:
    manifest = bench_out / "corpus-2" / "manifest.json"
    stamp = manifest.stat().st_mtime_ns
    assert run.corpus(bench_out, 2, 0) == bench_out / "corpus-2"
    assert manifest.stat().st_mtime_ns == stamp
    assert run.corpus(bench_out, 2, 1) == bench_out / "corpus-2"
    assert json.loads(manifest.read_text())["seed"] == 1


def test_slopes_fit_a_power_law() -> None:
    results = {size: {"build": {"status": "ok", "result": {"seconds": 0.01 * size ** 1.5}}}
               for size in (10, 100, 1000)}
    assert slopes(results)["build"] == pytest.approx(1.5)


def test_a_merged_report_says_its_settings_are_the_latest_runs() -> None:
    merged = markdown({}, {"seed": 0, "reason_max": 10, "merge": True})
    assert "Settings: reason_max=10, seed=0\n" in merged and "kept (`--merge`)" in merged
    assert "kept (`--merge`)" not in markdown({}, {"seed": 0, "merge": False})
