"""A time limit on evaluating a query on the embedded store.

pyoxigraph has no query timeout, and its evaluation runs in Rust where Python cannot
interrupt it. So a limited evaluation runs in a forked child process, which shares the
parent's open store (a fork copies no data, only page tables: about a millisecond here) and
sends its answer back pickled through a pipe; at the limit the child is killed and
:class:`~kg.errors.QueryTimeoutError` raised. The child only reads and never writes: it
leaves with ``os._exit``, running no clean-up of the parent's objects.

Where ``fork`` does not exist the query runs in this process without a limit.

>>> run_limited(lambda: 6 * 7, 5.0)
42
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from kg.errors import QueryError, QueryTimeoutError, VjkgError

__all__ = ["run_limited", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 30.0
MEMORY_HEADROOM = 2 << 30  # bytes a child may allocate beyond what it inherits (a runaway SELECT * grows fast)
T = TypeVar("T")
_OK, _FAILED = b"0", b"1"
_TOO_BIG = (f"the query's evaluation stopped: it needed more than {MEMORY_HEADROOM >> 30} GB of memory "
            "(narrow it, or add a LIMIT)")


def run_limited(work: Callable[[], T], timeout: float | None) -> T:
    """``work()`` stopped after ``timeout`` seconds (no limit when ``None``).

    ``work``'s return value must pickle; a :class:`~kg.errors.VjkgError` it raises is raised
    here, any other error becomes a :class:`~kg.errors.QueryError` naming it.
    """
    if timeout is None or not hasattr(os, "fork"):
        return work()
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, answer, leave without running the parent's clean-up
        os.close(reader)
        _answer(writer, work)
    os.close(writer)
    try:
        data = _read_all(reader, time.monotonic() + timeout)
    finally:
        os.close(reader)
        _end(pid)
    if data == b"":
        raise QueryError(_TOO_BIG)
    if data is None:
        raise QueryTimeoutError(f"the query ran past its time limit of {timeout:g} s and was stopped "
                                "(give more with --timeout SECONDS)")
    return _result(data)


def _answer(writer: int, work: Callable[[], object]) -> None:
    code = 0
    _limit_memory()
    try:
        try:
            payload = _OK + pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        except VjkgError as exc:
            payload = _FAILED + pickle.dumps(exc)
        except MemoryError:
            payload = _FAILED + pickle.dumps(QueryError(_TOO_BIG))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as one line
            payload = _FAILED + pickle.dumps(QueryError(f"the query failed: {type(exc).__name__}: {exc}"))
        with os.fdopen(writer, "wb") as out:
            out.write(payload)
    except BaseException:  # noqa: BLE001 - the parent sees a short answer and reports it
        code = 1
    finally:
        os._exit(code)


def _limit_memory() -> None:
    """Cap the child's private memory at what it has plus :data:`MEMORY_HEADROOM`: past it an
    allocation fails and the child dies, instead of the machine swapping."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            data = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmData:"))
        limit = data + MEMORY_HEADROOM
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    except (OSError, ValueError, StopIteration):  # not Linux: no cap
        pass


def _read_all(reader: int, deadline: float) -> bytes | None:
    """Everything the child writes, or ``None`` when the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([reader], [], [], left)
        if not ready:
            return None
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _end(pid: int) -> None:
    """Kill the child if it still runs, and reap it (no zombie is left)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _result(data: bytes) -> Any:
    value = pickle.loads(data[1:])
    if data[:1] == _FAILED:
        raise value
    return value
