"""A pool of query workers (:mod:`kg.serve.worker`) with a time limit per query.

A request takes an idle worker, sends the query and waits for the answer at most the time
limit. Past it (or if the request is abandoned half-way), the worker is killed by its process
id and a fresh one takes its place in the background, so the server goes on serving and a
runaway query costs no CPU. Answers are kept per store state (:class:`AnswerMemo`), so a
query asked again before the store changes is not evaluated again. The time spent waiting for an idle worker does not count against
the limit: the limit is for evaluation.

TEMPORARY in part: when kg.query's own time limit (:class:`kg.errors.QueryTimeoutError`
through ``run_sparql(timeout=...)``) lands, it can run inside the workers instead; the
server's callers see the same errors either way.
"""
from __future__ import annotations

import asyncio
import json
import struct
import sys
from collections import OrderedDict
from dataclasses import dataclass

from kg.errors import QueryError, QueryTimeoutError, StoreError
from kg.namespaces import PREFIXES

_LENGTH = struct.Struct(">I")


@dataclass(frozen=True)
class Answer:
    """A serialised result and its media type."""

    media_type: str
    body: bytes


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


class AnswerMemo:
    """The latest answers, by store state, query and format, up to ``budget`` bytes: the store
    does not change under a state, so an answer given once holds until `kg build` runs."""

    def __init__(self, budget: int = 64 * 2**20) -> None:
        self.budget = budget
        self.used = 0
        self._answers: OrderedDict[tuple[str, str, str], Answer] = OrderedDict()

    def get(self, key: tuple[str, str, str]) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple[str, str, str], answer: Answer) -> None:
        if len(answer.body) > self.budget // 8 or key in self._answers:
            return
        self._answers[key] = answer
        self.used += len(answer.body)
        while self.used > self.budget:
            _, dropped = self._answers.popitem(last=False)
            self.used -= len(dropped.body)


class QueryPool:
    """``size`` workers answering queries on the store at ``location``."""

    def __init__(self, location: str, size: int = 2) -> None:
        self.location = location
        self.size = size
        self.memo = AnswerMemo()
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._closing = False

    async def start(self) -> None:
        for _ in range(self.size):
            await self._add()

    async def _add(self) -> None:
        worker = await Worker.start()
        self._all.add(worker)
        self._idle.put_nowait(worker)

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

    async def run(self, query: str, fmt: str, state: str, timeout: float) -> Answer:
        """The answer to ``query`` (already checked by :mod:`kg.serve.refuse`) in format ``fmt``."""
        key = (state, query, fmt)
        if (kept := self.memo.get(key)) is not None:
            return kept
        worker = await self._idle.get()
        request: dict[str, object] = {"store": self.location, "state": state, "query": query, "format": fmt,
                                      "prefixes": PREFIXES}
        try:
            header, body = await asyncio.wait_for(worker.ask(request), timeout)
        except asyncio.TimeoutError:
            self._replace(worker)
            raise QueryTimeoutError(f"the query ran past its time limit of {timeout:g} s and was stopped") from None
        except BaseException:
            self._replace(worker)  # a broken pipe or an abandoned request: start afresh
            raise
        self._idle.put_nowait(worker)
        if "error" in header:
            if header["error"] == "store":
                raise StoreError(f"cannot read the store: {header['message']}")
            raise QueryError(header["message"])
        answer = Answer(header["media_type"], body)
        self.memo.put(key, answer)
        return answer
