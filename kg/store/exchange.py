"""Two folders swapped in one step, for a store replaced whole (:mod:`kg.store.staging`).

Linux's ``renameat2(RENAME_EXCHANGE)`` exchanges two paths atomically: there is no moment
at which either name is missing, whatever kills the process. Elsewhere (or on a file system
that refuses it) :func:`can_exchange` says no and the caller keeps its transactional path.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

__all__ = ["exchange", "can_exchange"]

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # renameat2(2): swap the two paths in one step


def _renameat2() -> Callable[..., int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not glibc 2.28+ on Linux
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> None:
    """Swap the two existing paths atomically; raise :class:`OSError` where that cannot be done."""
    function = _renameat2()
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first))


def can_exchange(folder: Path) -> bool:
    """Whether two folders inside ``folder`` can be exchanged atomically (tried on two empty ones)."""
    probe = folder / "probe"
    try:
        (probe / "a").mkdir(parents=True)
        (probe / "b").mkdir()
        exchange(probe / "a", probe / "b")
        return True
    except OSError:
        return False
    finally:
        shutil.rmtree(probe, ignore_errors=True)
