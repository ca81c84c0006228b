"""A pool of query workers (:mod:`kg.serve.worker`) with a time limit per query.

A request takes an idle worker, sends the query and waits for the answer at most the time
limit. Past it, the worker is killed by its process id and a fresh one takes its place in the
background, so the server goes on serving and a runaway query costs no CPU. The time spent
waiting for an idle worker does not count against the limit: the limit is for evaluation.

Under load, more queries wait than there are workers. An entity page asks a dozen queries one
after the other; served first come, first served, each of them would queue behind every
query that arrived meanwhile, so a page would wait a dozen times the queue. Idle workers
therefore go to the query of the *oldest request* waiting (the time its HTTP request
arrived): pages already under way are finished before new ones are started, which keeps the
slowest answers (p95, p99) close to the typical one. Answers are kept per store state and
computed once however many ask at once (:class:`kg.serve.memo.AnswerMemo`).

TEMPORARY in part: when kg.query's own time limit (:class:`kg.errors.QueryTimeoutError`
through ``run_sparql(timeout=...)``) lands, it can run inside the workers instead; the
server's callers see the same errors either way.
"""
from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import struct
import sys
import time

from kg.errors import QueryError, QueryTimeoutError, StoreError
from kg.namespaces import PREFIXES
from kg.serve.memo import Answer, AnswerMemo

_LENGTH = struct.Struct(">I")


class Worker:
    """One worker process and its pipes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> "Worker":
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kg.serve.worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        return cls(process)

    async def _read_frame(self) -> bytes:
        assert self.process.stdout is not None
        head = await self.process.stdout.readexactly(_LENGTH.size)
        return await self.process.stdout.readexactly(_LENGTH.unpack(head)[0])

    async def ask(self, request: dict[str, object]) -> tuple[dict[str, str], bytes]:
        assert self.process.stdin is not None
        data = json.dumps(request).encode()
        self.process.stdin.write(_LENGTH.pack(len(data)) + data)
        await self.process.stdin.drain()
        header = json.loads(await self._read_frame())
        return header, await self._read_frame()

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()  # this worker's own pid, started by this pool


class QueryPool:
    """``size`` workers answering queries on the store at ``location``."""

    def __init__(self, location: str, size: int = 2) -> None:
        self.location = location
        self.size = size
        self.memo = AnswerMemo()
        self._idle: list[Worker] = []
        # Requests waiting for a worker: (arrival time of their HTTP request, order, handover).
        self._waiting: list[tuple[float, int, asyncio.Future[Worker]]] = []
        self._order = itertools.count()
        self._all: set[Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._closing = False

    async def start(self) -> None:
        for _ in range(self.size):
            await self._add()

    async def _add(self) -> None:
        worker = await Worker.start()
        self._all.add(worker)
        self._give(worker)

    def _give(self, worker: Worker) -> None:
        """Hand an idle worker to the oldest request waiting, or keep it idle."""
        while self._waiting:
            _, _, handover = heapq.heappop(self._waiting)
            if not handover.done():  # a request abandoned while it waited is skipped
                handover.set_result(worker)
                return
        self._idle.append(worker)

    async def _take(self, since: float) -> Worker:
        """An idle worker, as soon as no older request is waiting for one."""
        if self._idle and not self._waiting:
            return self._idle.pop()
        handover: asyncio.Future[Worker] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (since, next(self._order), handover))
        try:
            return await handover
        except asyncio.CancelledError:
            if handover.done() and not handover.cancelled():
                self._give(handover.result())  # handed over just as this request was abandoned
            raise

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        if self._closing:
            return
        task = asyncio.get_running_loop().create_task(self._add())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def close(self) -> None:
        self._closing = True
        for task in list(self._starting):
            await task
        for worker in self._all:
            worker.kill()
            await worker.process.wait()
        self._all.clear()

    async def run(self, query: str, fmt: str, state: str, timeout: float, since: float | None = None) -> Answer:
        """The answer to ``query`` (already checked by :mod:`kg.serve.refuse`) in format ``fmt``;
        ``since`` is when the HTTP request asking it arrived (its place in the queue)."""
        arrived = time.monotonic() if since is None else since
        return await self.memo.get_or_make((state, query, fmt),
                                           lambda: self._evaluate(query, fmt, state, timeout, arrived))

    async def _evaluate(self, query: str, fmt: str, state: str, timeout: float, since: float) -> Answer:
        worker = await self._take(since)
        request: dict[str, object] = {"store": self.location, "state": state, "query": query, "format": fmt,
                                      "prefixes": PREFIXES}
        try:
            header, body = await asyncio.wait_for(worker.ask(request), timeout)
        except asyncio.TimeoutError:
            self._replace(worker)
            raise QueryTimeoutError(f"the query ran past its time limit of {timeout:g} s and was stopped") from None
        except BaseException:
            self._replace(worker)  # a broken pipe or the server stopping: start afresh
            raise
        self._give(worker)
        if "error" in header:
            if header["error"] == "store":
                raise StoreError(f"cannot read the store: {header['message']}")
            raise QueryError(header["message"])
        return Answer(header["media_type"], body)
