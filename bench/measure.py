"""Run one benchmark stage in a fresh Python process and measure it from outside.

A stage runs alone in its own interpreter so that its peak memory is its own: the parent
waits for the child with ``os.wait4``, whose resource usage covers that child (and the
worker processes it waited for) and nothing else the harness did before.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def load_average() -> float:
    """The machine's 1-minute load average (what else competes for the 2 cores right now)."""
    return round(os.getloadavg()[0], 2)


@dataclass
class CommandRun:
    """One command measured from outside: wall time, CPU time, peak RSS and how it ended."""

    wall_seconds: float
    cpu_seconds: float  # user + system time of the command and the workers it waited for
    peak_rss_mb: float
    status: str  # "ok", "timeout" or "failed"
    exit_code: int | None
    load_before: float
    error: str | None = None


@dataclass
class StageRun:
    """What the parent saw of one stage: wall time, peak RSS, exit, and the stage's own JSON."""

    stage: str
    wall_seconds: float
    peak_rss_mb: float
    cpu_seconds: float  # user + system time of the stage and the workers it waited for
    status: str  # "ok", "timeout" or "failed"
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    load_before: float | None = None  # 1-minute load average when the stage started


def _wait(process: subprocess.Popen[bytes], timeout: float | None) -> tuple[int | None, Any]:
    """Wait for ``process`` (killing its process group after ``timeout`` seconds)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, usage
        if deadline is not None and time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            _pid, _status, usage = os.wait4(process.pid, 0)
            process.returncode = -9
            return None, usage
        time.sleep(0.05)


def run_command(command: list[str], timeout: float | None = None, log_file: Path | None = None) -> CommandRun:
    """Run ``command`` in a new process group, stopped (with its workers) after ``timeout`` s."""
    log = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
    load = load_average()
    started = time.perf_counter()
    try:
        process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        code, usage = _wait(process, timeout)
    finally:
        if log_file:
            log.close()  # type: ignore[union-attr]
    wall = time.perf_counter() - started
    status = "timeout" if code is None else ("ok" if code == 0 else "failed")
    error = {"timeout": f"stopped after {timeout or 0:.0f} s", "failed": f"exit code {code}"}.get(status)
    return CommandRun(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, status, code, load, error)


def run_stage(stage: str, args: list[str], result_file: Path, timeout: float | None = None,
              log_file: Path | None = None) -> StageRun:
    """Run ``python -m bench.stages STAGE ARGS --result RESULT_FILE`` and collect what it wrote.

    The stage writes its JSON as it goes, so a stage killed by the timeout still reports
    what it finished (e.g. the queries it had timed).
    """
    result_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.stages", stage, *args, "--result", str(result_file)]
    run = run_command(command, timeout, log_file)
    result = json.loads(result_file.read_text()) if result_file.exists() else {}
    error = run.error
    if run.status == "failed":
        error = result.get("error") or f"{run.error} (see {log_file})"
    # The stage's own figure when it finished (see bench.stages.peak_rss_mb: the one seen from
    # here counts the harness's own size too); else the outside one, an upper bound.
    peak = result.get("stage_peak_rss_mb", run.peak_rss_mb)
    return StageRun(stage, run.wall_seconds, peak, run.cpu_seconds, run.status, result, error, run.load_before)
