"""Answers of read-only queries kept per state of the store: a repeated query is a file read.

The store changes only when something writes to it (``kg build``, a restore, an Oxigraph
server on the same folder). Its *state* is a digest of the names, inodes, sizes and change
times of the store folder's files: RocksDB never rewrites a file in place (the write-ahead
log only grows; flushes and compactions make new files), so any write changes the state,
whoever made it. The informational ``LOG`` files and the ``LOCK`` are left out.

A cached answer is filed under the state the reader's snapshot was opened at, and only
written when the store still has that state after the query ran, so an answer is never
filed under a state it was not computed on. Entries of other states are removed when a new
one is written. The cache is an optimisation: an entry that cannot be read or written is
ignored, and the query runs as if there were none. ``kg query --no-cache`` skips it.

Only SELECT and ASK answers are kept (rows of plain values, as JSON); CONSTRUCT answers
carry RDF triples and always run.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.store.folders import results_dir

CACHE_VERSION = 1
ANSWER_FIELDS = ("form", "columns", "rows", "boolean")
_VOLATILE = ("LOG", "LOCK")  # RocksDB's info log (and its rotations) and lock: not data


def store_state(store_dir: Path) -> str | None:
    """A digest of the store folder's data files; ``None`` when it cannot be listed."""
    digest = hashlib.sha256(f"vjkg-store-state-{CACHE_VERSION}".encode())
    try:
        with os.scandir(store_dir) as entries:
            files = sorted((entry.name, entry.stat()) for entry in entries
                           if entry.is_file() and not entry.name.startswith(_VOLATILE))
    except OSError:
        return None
    for name, stat in files:
        digest.update(f"{name}\0{stat.st_ino}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\n"
                      .encode())
    return digest.hexdigest()


def cache_dir(store_dir: Path) -> Path:
    """Where the answers are kept: next to the store folder, never inside Oxigraph's files."""
    return results_dir(store_dir)


def query_key(sparql: str, columns: Iterable[str], lists: Iterable[str]) -> str:
    """The cache key of a query as run: its text (parameters already bound) and its shape."""
    text = json.dumps([CACHE_VERSION, sparql, list(columns), sorted(lists)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResultCache:
    """The answers computed on one state of one store folder."""

    def __init__(self, store_dir: Path, state: str) -> None:
        self.store_dir = Path(store_dir)
        self.state = state
        self.folder = cache_dir(store_dir) / state

    def get(self, key: str) -> dict[str, Any] | None:
        """The answer filed under ``key``, or ``None`` (absent or unreadable)."""
        try:
            entry = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not (isinstance(entry, dict) and entry.get("key") == key
                and all(name in entry for name in ANSWER_FIELDS)
                and isinstance(entry["rows"], list) and isinstance(entry["columns"], list)):
            return None
        return entry

    def put(self, key: str, answer: dict[str, Any]) -> bool:
        """File ``answer`` under ``key`` if the store still has this state; True when written."""
        if store_state(self.store_dir) != self.state:
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._drop_other_states()
            target = self.folder / f"{key}.json"
            temporary = target.with_name(f".{key}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"key": key, **answer}, ensure_ascii=False),
                                 encoding="utf-8")
            os.replace(temporary, target)
        except (OSError, ValueError):
            return False
        return True

    def _drop_other_states(self) -> None:
        for other in self.folder.parent.iterdir():
            if other.name != self.state and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
