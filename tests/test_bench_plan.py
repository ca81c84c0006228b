"""What bench.run plans for a size (order, skips, the run's budget) and how the
validate-changed stage changes an article; no stage runs here."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pytest

from bench import run
from bench.measure import StageRun
from bench.report import STAGE_ORDER
from bench.stages import _modify


def options(*extra: str) -> argparse.Namespace:
    parsed = run.parse_args(["--sizes", "10,100,10000", *extra])
    parsed.corpus = Path("corpus")
    parsed.end = None if parsed.budget is None else time.monotonic() + parsed.budget
    parsed.deadline = parsed.end
    return parsed


def test_references_run_right_after_what_they_judge() -> None:
    plan = run._plan(10, options())
    stages = list(plan)
    assert stages == [stage for stage in STAGE_ORDER if stage != "build"]
    assert stages[:3] == ["bulk-load", "scan", "queries"]
    assert stages.index("validate") < stages.index("validate-changed")
    assert "export-nt" in plan


def test_slow_baselines_and_orphan_stages_are_skipped_with_a_reason() -> None:
    plan = run._plan(1000, options("--baseline-max", "100", "--reason-max", "10"))
    assert plan["pyshacl"] == plan["rdflib-queries"] == "skipped above 100 articles (--baseline-max)"
    assert plan["reason"] == "skipped above 10 articles (--reason-max)"
    small = run._plan(10, options("--baseline-min", "100", "--skip", "reason,rdflib-queries"))
    assert small["pyshacl"] == "skipped below 100 articles (--baseline-min)"
    assert "reason" not in small and "rdflib-queries" not in small
    assert run._plan(100, options("--baseline-min", "100"))["pyshacl"] == ([], 600.0)
    alone = run._plan(10, options("--stages", "validate-changed"))
    assert isinstance(alone["validate-changed"], str) and "validate stage" in alone["validate-changed"]


def test_smaller_sizes_leave_the_reserve_to_the_largest() -> None:
    opts = options("--budget", "100", "--reserve", "60")
    run._set_deadline(100, opts)
    assert run._left(opts, 1000.0) == pytest.approx(40.0, abs=1.0)
    assert run._left(opts, 10.0) == 10.0
    assert "--reserve" in run._budget_note(opts)
    run._set_deadline(10000, opts)
    assert run._left(opts, 1000.0) == pytest.approx(100.0, abs=1.0)
    assert not run._spent(opts)
    opts.end = time.monotonic() - 1
    run._set_deadline(10000, opts)
    assert run._spent(opts) and "--reserve" not in run._budget_note(opts)
    unbounded = options()
    run._set_deadline(100, unbounded)
    assert run._left(unbounded, 5.0) == 5.0 and not run._spent(unbounded)


def test_one_figure_of_the_article_changes(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Hanoi, 3 May. Trade reached 1,250 million USD in 2023.\n", encoding="utf-8")
    assert _modify(article) == "250 -> 251"  # the first number of two or more digits
    assert article.read_text(encoding="utf-8") == "Hanoi, 3 May. Trade reached 1,251 million USD in 2023.\n"
    plain = tmp_path / "b.txt"
    plain.write_text("No figures here.\n", encoding="utf-8")
    assert _modify(plain) == "appended a sentence"
    assert plain.read_text(encoding="utf-8").startswith("No figures here.\n") and len(plain.read_text()) > 20


def test_a_stage_stopped_by_the_budget_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[float | None] = []

    def stopped(stage: str, args: list[str], result_file: Path, timeout: float | None = None,
                log_file: Path | None = None) -> StageRun:
        seen.append(timeout)
        return StageRun(stage, timeout or 0.0, 50.0, 1.0, "timeout", {}, f"stopped after {timeout:.0f} s")

    monkeypatch.setattr(run, "run_stage", stopped)
    opts = options("--budget", "30", "--out", str(tmp_path))
    cut = run._measured(opts, "validate", [], tmp_path / "v.json", 600.0)
    assert seen[-1] is not None and seen[-1] <= 30.0
    assert cut.error is not None and cut.error.endswith("by the run's --budget")
    own = run._measured(opts, "validate", [], tmp_path / "v.json", 5.0)
    assert seen[-1] == 5.0 and own.error == "stopped after 5 s"
