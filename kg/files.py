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
    Returns the number of bytes written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    written = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in ([data] if isinstance(data, bytes) else data):
                out.write(chunk)
                written += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@lru_cache(maxsize=None)
def internal_query(name: str) -> str:
    """The text of ``queries/internal/NAME.rq``: SPARQL the library runs for itself."""
    return (INTERNAL_QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
