"""Which state of the store the server answers from, noticed when `kg build` changes it.

The workers hold read-only snapshots (Oxigraph's secondary read-only mode); they reopen
theirs when the state digest handed to them with a query differs from the one they opened.
The digest (:func:`kg.store.result_cache.store_state`) lists the store folder's files, so it
is recomputed at most once per ``recheck`` seconds, not for every query.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from kg.errors import StoreError
from kg.store.result_cache import store_state


class StoreWatch:
    """The store folder and its current state digest."""

    def __init__(self, location: Path, recheck: float = 1.0) -> None:
        self.location = Path(location).resolve()
        if not self.location.is_dir() or not any(self.location.iterdir()):
            raise StoreError(f"{location}: no graph has been built here yet (run `kg build`)")
        self.recheck = recheck
        self._lock = threading.Lock()
        self._state = self._read()
        self._checked = time.monotonic()

    def _read(self) -> str:
        state = store_state(self.location)
        if state is None:
            raise StoreError(f"{self.location}: cannot list the store folder")
        return state

    def state(self) -> str:
        """The digest of the store as it is now (at most ``recheck`` seconds old)."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= self.recheck:
                self._state = self._read()
                self._checked = now
            return self._state
