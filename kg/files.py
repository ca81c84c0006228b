"""Where the project's data folders are, and how files are written (atomically, with the
user's umask), so that every module finds and writes them the same way.

An installed wheel carries ``ontology/``, ``shapes/`` and ``queries/`` inside the package as
``kg/data/*``; a source checkout (or an editable install) has them beside ``kg/``.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``shapes``, ``queries``) of the installed package,
    else of the source checkout."""
    installed = PACKAGE_DIR / "data" / name
    return installed if installed.is_dir() else CHECKOUT_DIR / name


ONTOLOGY_DIR = data_dir("ontology")
REFERENCE_DIR = ONTOLOGY_DIR / "reference"
SHAPES_DIR = data_dir("shapes")
QUERIES_DIR = data_dir("queries")
INTERNAL_QUERIES_DIR = QUERIES_DIR / "internal"
SEEDS_DIR = Path("seeds")  # the default input: seeds/ of the working directory

# Generated output lives under build/ of the working directory (git-ignored).
BUILD_DIR = Path("build")
DEFAULT_STORE = BUILD_DIR / "store"


def source_files() -> list[Path]:
    """The package's own Python files, in a fixed order (they fingerprint the pipeline)."""
    return sorted(PACKAGE_DIR.rglob("*.py"))


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> int:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so a reader (or a killed writer) sees the old file or the new one, never half of one.
    The temporary file's name carries the writer's pid; one left by a killed writer is
    removed by the next write of the same file. Returns the number of bytes written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(prefix=temporary_prefix(path.name), suffix=".tmp", dir=path.parent)
    written = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in ([data] if isinstance(data, bytes) else data):
                out.write(chunk)
                written += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def file_mode() -> int:
    """The mode a new file gets under the user's umask (``mkstemp`` alone gives 0600)."""
    return 0o666 & ~_umask()


def temporary_prefix(name: str) -> str:
    """How the temporary files of ``name`` begin: ``.NAME.PID.`` (then random, ``.tmp``)."""
    return f".{name}.{os.getpid()}."


def remove_stale_temporaries(folder: Path, name: str | None = None) -> int:
    """Remove the temporary files (of ``name``, else of any file) in ``folder`` whose writer
    is no longer running; return how many. Another live writer's are left alone."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue
        stem = entry.name[1:-len(".tmp")]
        base, _, rest = stem.rpartition(".")  # rest: the random part
        base, _, pid = base.rpartition(".")
        if (name is not None and base != name) or not pid.isdigit() or _running(int(pid)):
            continue
        try:
            os.unlink(entry.path)
            removed += 1
        except OSError:
            pass
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@lru_cache(maxsize=None)
def internal_query(name: str) -> str:
    """The text of ``queries/internal/NAME.rq``: SPARQL the library runs for itself."""
    return (INTERNAL_QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
