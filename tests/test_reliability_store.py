"""Killed builds and exports lose nothing, one writer at a time, files follow the umask,
and a build does not depend on the order of its files.

The kills are real: ``kg build`` runs in its own process, with worker processes, and gets
``SIGKILL`` while it writes.
"""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from bench.generate import compose
from kg.cli.main import main
from kg.errors import StoreError
from kg.export.serialise import export_bytes
from kg.graph.build import build
from kg.store.folders import staging_dir
from kg.store.store import Store
from project import PROJECT_ROOT, SEEDS_DIR

ARTICLES = 40  # enough for worker processes (`make fuzz` kills builds of many more, 50 times)


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli.main", *args]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for index in range(ARTICLES):
        article = compose(17, index)
        (folder / article.file_name).write_text(article.text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Each article graph of a build that was not interrupted: graph IRI -> its N-Triples lines."""
    store_dir = tmp_path_factory.mktemp("ref") / "store"
    build([corpus], Store(store_dir), workers=2)
    return graph_lines(store_dir)


def graph_lines(store_dir: Path) -> dict[str, set[str]]:
    store = Store(store_dir, read_only=True)
    out: dict[str, set[str]] = {}
    for quad in store.quads():
        if isinstance(quad.graph_name, ox.NamedNode) and "/article/" in quad.graph_name.value:
            out.setdefault(quad.graph_name.value, set()).add(str(quad.triple))
    return out


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("after", [3.0])
def test_a_killed_build_leaves_whole_articles_and_no_workers(after: float, corpus: Path, tmp_path: Path,
                                                             reference: dict[str, set[str]]) -> None:
    store_dir = tmp_path / "store"
    # A first complete build of half the corpus: a kill must never lose those articles.
    half = tmp_path / "half"
    half.mkdir()
    for path in sorted(corpus.iterdir())[:ARTICLES // 2]:
        shutil.copy(path, half / path.name)
    build([half], Store(store_dir), workers=1)
    before = graph_lines(store_dir)
    process = subprocess.Popen(kg_command("build", "-q", "-j", "2", "--force", str(corpus), "--store", str(store_dir)),
                               cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(0.5)
    assert processes_mentioning(str(store_dir)) == []  # the workers died with the build
    after_kill = graph_lines(store_dir)
    assert set(before) <= set(after_kill)  # no article lost
    for graph, lines in after_kill.items():  # each one whole: as built before, or as built anew
        assert lines == reference[graph] or lines == before.get(graph), graph
    # The next build completes the store.
    assert build([corpus], Store(store_dir), workers=1).failed == {}
    assert graph_lines(store_dir) == reference


def test_a_second_writer_is_told_who_holds_the_store(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from kg.store.store import Store; s = Store(sys.argv[1]); "
        "print('ready', flush=True); time.sleep(60)"), str(store_dir)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match=f"another kg build holds this store \\(pid {holder.pid}\\)"):
            Store(store_dir)
        result = CliRunner().invoke(main, ["build", str(SEEDS_DIR), "--store", str(store_dir)])
        assert result.exit_code == 2
        assert result.stderr.startswith(f"kg: error: another kg build holds this store (pid {holder.pid})")
        query = CliRunner().invoke(main, ["query", "meetings", "--store", str(store_dir)])
        assert query.exit_code == 0, query.output
        assert f"kg build (pid {holder.pid}) is writing this store" in query.stderr
    finally:
        holder.kill()
        holder.wait()
    Store(store_dir).close()  # the kernel released the dead holder's lock


def test_a_second_writer_can_wait(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from kg.store.store import Store; s = Store(sys.argv[1]); "
        "print('ready', flush=True); time.sleep(1.5)"), str(store_dir)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    Store(store_dir, wait=30).close()
    holder.wait()


def test_a_killed_export_leaves_no_temporary_file_behind(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    build([SEEDS_DIR], Store(store_dir))
    out = tmp_path / "out" / "graph.nt"
    out.parent.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = out.parent / f".graph.nt.{dead.pid}.abc123.tmp"  # as a killed export leaves it
    stale.write_bytes(b"half")
    live = out.parent / f".graph.nt.{os.getpid()}.def456.tmp"  # a live writer's: kept
    live.write_bytes(b"busy")
    result = CliRunner().invoke(main, ["export", "--format", "nt", "--out", str(out), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(["graph.nt", live.name])


def test_a_kill_9_of_export_keeps_the_old_file_and_the_next_export_cleans_up(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    build([SEEDS_DIR], Store(store_dir))
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old")
    script = ("import sys, os, signal; from kg.files import write_atomic\n"
              "def chunks():\n    yield b'new part'\n    os.kill(os.getpid(), signal.SIGKILL)\n"
              "write_atomic(sys.argv[1], chunks())\n")
    subprocess.run([sys.executable, "-c", script, str(out)], cwd=PROJECT_ROOT)
    assert out.read_bytes() == b"old"
    assert len(list(tmp_path.glob(".graph.ttl.*.tmp"))) == 1
    result = CliRunner().invoke(main, ["export", "--out", str(out), "--store", str(store_dir)])
    assert result.exit_code == 0
    assert list(tmp_path.glob(".graph.ttl.*.tmp")) == []


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_are_written_with_the_users_umask(umask: int, mode: int, tmp_path: Path) -> None:
    old = os.umask(umask)
    try:
        store_dir = tmp_path / "store"
        build([SEEDS_DIR], Store(store_dir), workers=1)
        out = tmp_path / "graph.ttl"
        assert CliRunner().invoke(main, ["export", "--out", str(out), "--store", str(store_dir)]).exit_code == 0
        CliRunner().invoke(main, ["query", "meetings", "--store", str(store_dir)])  # fills the result cache
        written = [out, *(tmp_path / "store.export").iterdir(), *(tmp_path / "store.results").rglob("*.json"),
                   tmp_path / "store.lock"]
        assert len(written) > 10
        for path in written:
            assert stat.S_IMODE(path.stat().st_mode) == mode, path
    finally:
        os.umask(old)


def test_two_builds_in_any_file_order_are_byte_identical(corpus: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in corpus.iterdir())[:20]
    exports = []
    for number, order in enumerate((names, names[::-1])):
        folder = tmp_path / f"order{number}"
        folder.mkdir()
        for name in order:  # files created in a different order: a different directory order
            shutil.copy(corpus / name, folder / name)
        store = Store(tmp_path / f"store{number}")
        build([folder], store, workers=1 + number)
        exports.append({fmt: export_bytes(store, fmt) for fmt in ("nq", "ttl")})
    assert exports[0] == exports[1]


def test_a_killed_build_of_other_articles_keeps_the_ones_the_store_held(corpus: Path, tmp_path: Path) -> None:
    """The issue's row: a store holding 5 articles held 0 after a killed build of 300 others."""
    store_dir = tmp_path / "store"
    build([SEEDS_DIR], Store(store_dir), workers=1)
    seeds = graph_lines(store_dir)
    assert len(seeds) == 5
    process = subprocess.Popen(kg_command("build", "-q", "-j", "2", str(corpus), "--store", str(store_dir)),
                               cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Killed once it is filling the staging store (a fixed sleep let a fast build finish first).
    deadline = time.monotonic() + 120
    while not staging_dir(store_dir).exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the build ended before it could be killed while staging"
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = graph_lines(store_dir)
    assert all(after.get(graph) == lines for graph, lines in seeds.items())
    assert not set(after) - set(seeds)
    assert build([corpus], Store(store_dir), workers=1).removed == sorted(Path(g).name for g in seeds)
    assert not set(seeds) & set(graph_lines(store_dir))
