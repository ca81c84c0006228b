"""One writer per store, and readers that know when a build is running.

RocksDB lets one process open a store for writing and answers a second with a raw "lock
hold by current process" message. Before opening a store for writing, vjkg takes an
exclusive ``flock`` on a file beside it (``<store>.lock``) holding the writer's pid and
what it is doing; a second writer is told plainly who holds the store. The kernel releases
the lock when its holder dies, even by ``kill -9``, so a stale lock never blocks anyone.
A reader asks :func:`writer_of` and can say that a build is running while it reads the
store's last committed state.
"""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import IO

from kg.errors import StoreError
from kg.store.folders import lock_file

__all__ = ["StoreLock", "writer_of"]


class StoreLock:
    """The exclusive write lock of one store folder, held until :meth:`release` or exit."""

    def __init__(self, store_dir: Path, doing: str = "kg build", *, wait: float = 0.0) -> None:
        """Take the lock; wait up to ``wait`` seconds for another writer to finish, then
        raise :class:`StoreError` naming it."""
        self.path = lock_file(store_dir)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] | None = open(self.path, "a+", encoding="utf-8")
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(self.path)
                    self.release()
                    raise StoreError(f"another {holder[1] or 'kg build'} holds this store "
                                     f"(pid {holder[0] or '?'}); wait for it to finish "
                                     f"({Path(store_dir)})") from None
                time.sleep(0.2)
        self._file.seek(0)
        self._file.truncate()
        self._file.write(f"{os.getpid()}\n{doing}\n")
        self._file.flush()

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases the flock
            self._file = None


def _holder(path: Path) -> tuple[int | None, str]:
    """The pid and doing written by the lock's holder (None, '' when unreadable)."""
    try:
        pid, _, doing = path.read_text(encoding="utf-8").partition("\n")
        return int(pid), doing.strip()
    except (OSError, ValueError):
        return None, ""


def writer_of(store_dir: Path) -> tuple[int | None, str] | None:
    """``(pid, doing)`` of the process writing ``store_dir`` now, or ``None`` when none is."""
    path = lock_file(store_dir)
    try:
        handle = open(path, encoding="utf-8")
    except OSError:
        return None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(path)
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return None
