"""A time limit on evaluating a query on the embedded store.

pyoxigraph has no query timeout, and its evaluation runs in Rust where Python cannot
interrupt it. So a limited evaluation runs in a forked child process, which shares the
parent's open store (a fork copies no data, only page tables: about a millisecond here) and
sends its answer back pickled through a pipe; at the limit the child is killed and
:class:`~kg.errors.QueryTimeoutError` raised. The child only reads and never writes: it
leaves with ``os._exit``, running no clean-up of the parent's objects.

A fork copies only the calling thread. When another thread (one of RocksDB's background
threads, say) holds a lock at that moment, the child waits on it forever. Such a child is
asleep and uses no CPU, which a child evaluating a query never is for long: one found that way
for :data:`STUCK_AFTER` seconds, before it has answered anything, is killed and the query forked
again (at most :data:`ATTEMPTS` times), so that a rare unlucky fork is not reported as a slow query.

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
ATTEMPTS = 3  # forks tried when each child is found stuck on an inherited lock
STUCK_AFTER = 2.0  # seconds asleep with no CPU used that mark a child as stuck
_POLL = 0.25
_STUCK = b"stuck"  # compared by identity: never a child's answer
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
    deadline = time.monotonic() + timeout
    for _ in range(ATTEMPTS):
        data = _evaluate_in_child(work, deadline)
        if data is not _STUCK:
            break
    else:
        raise QueryError(f"the query's evaluation could not start: {ATTEMPTS} forked evaluators in a row "
                         "waited on a lock held by another thread of this process")
    if data == b"":
        raise QueryError(_TOO_BIG)
    if data is None:
        raise QueryTimeoutError(f"the query ran past its time limit of {timeout:g} s and was stopped "
                                "(give more with --timeout SECONDS)")
    return _result(data)


def _evaluate_in_child(work: Callable[[], object], deadline: float) -> bytes | None:
    """What a forked child evaluating ``work`` answers: its bytes, ``None`` past the deadline,
    or :data:`_STUCK` for a child that slept without answering (see the module's docstring)."""
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, answer, leave without running the parent's clean-up
        os.close(reader)
        _answer(writer, work)
    os.close(writer)
    try:
        return _read_all(reader, deadline, pid)
    finally:
        os.close(reader)
        _end(pid)


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


def _read_all(reader: int, deadline: float, pid: int) -> bytes | None:
    """Everything child ``pid`` writes, ``None`` when the deadline passes first, or
    :data:`_STUCK` when it sleeps :data:`STUCK_AFTER` seconds with no CPU used, before any answer."""
    chunks: list[bytes] = []
    idle_since, last_cpu = time.monotonic(), _cpu_ticks(pid)
    while True:
        now = time.monotonic()
        left = deadline - now
        if left <= 0:
            return None
        ready, _, _ = select.select([reader], [], [], min(left, _POLL))
        if not ready:
            cpu = _cpu_ticks(pid)
            if cpu is None or cpu != last_cpu:
                idle_since, last_cpu = time.monotonic(), cpu
            elif not chunks and time.monotonic() - idle_since >= STUCK_AFTER:
                return _STUCK
            continue
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _cpu_ticks(pid: int) -> int | None:
    """CPU ticks child ``pid`` has used while asleep (state ``S``); ``None`` when it is running,
    waiting on the disk, or unknown (not Linux)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] != "S":
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime


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
