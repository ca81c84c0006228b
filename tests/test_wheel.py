"""The built wheel, installed into a fresh virtual environment and run from an empty folder
outside the checkout, finds its ontology, shapes and queries: build, validate, query, reason."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from project import PROJECT_ROOT, SEEDS_DIR


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from this checkout installed; returns its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"  # a copy, so the build leaves nothing in the checkout
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", "build", ".git", "*.egg-info", "__pycache__", ".mypy_cache", ".ruff_cache", "dist"))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(root / "dist"),
         str(source)], cwd=root)
    wheels = sorted((root / "dist").glob("vjkg-*.whl"))
    assert len(wheels) == 1
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheels[0])], cwd=root)
    return env_dir / "bin"


def test_the_wheel_carries_the_data_folders(installed: Path) -> None:
    code = ("import kg.files as f; print(f.ONTOLOGY_DIR); print(f.SHAPES_DIR); print(f.QUERIES_DIR); "
            "print(len(list(f.QUERIES_DIR.glob('*.rq'))), len(list(f.SHAPES_DIR.glob('*.ttl'))))")
    lines = run([str(installed / "python"), "-c", code], cwd=installed).stdout.split("\n")
    for line in lines[:3]:
        assert "site-packages" in line and "/kg/data/" in line
    stored, shapes = map(int, lines[3].split())
    assert stored == len(list((PROJECT_ROOT / "queries").glob("*.rq"))) and stored > 0
    assert shapes == len(list((PROJECT_ROOT / "shapes").glob("*.ttl"))) and shapes > 0


def test_an_installed_kg_works_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "elsewhere"
    shutil.copytree(SEEDS_DIR, work / "seeds")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    kg = str(installed / "kg")
    run([kg, "build"], cwd=work, env=env)
    run([kg, "validate"], cwd=work, env=env)
    meetings = run([kg, "query", "meetings", "--format", "csv"], cwd=work, env=env).stdout
    assert len(meetings.strip().splitlines()) > 5
    run([kg, "reason"], cwd=work, env=env)
