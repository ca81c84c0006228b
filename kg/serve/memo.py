"""Answers kept in memory per store state, each computed once even when asked many times at once.

The store does not change under a state (:mod:`kg.serve.snapshot`), so an answer given once
holds until `kg build` runs: the pool keeps query answers by (state, query, format), the routes
keep whole responses by (state, route, what was asked). Under load many clients ask for the
same thing at the same moment (a popular page, the same query from several editors): the
first request computes it and the others wait for that one computation instead of queueing
copies of it for the workers ("single flight").
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from functools import partial


@dataclass(frozen=True)
class Answer:
    """A serialised result and its media type."""

    media_type: str
    body: bytes


class AnswerMemo:
    """The latest answers, up to ``budget`` bytes (least recently used dropped first)."""

    def __init__(self, budget: int = 64 * 2**20) -> None:
        self.budget = budget
        self.used = 0
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._making: dict[Hashable, asyncio.Task[Answer]] = {}

    def get(self, key: Hashable) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: Hashable, answer: Answer) -> None:
        if len(answer.body) > self.budget // 8 or key in self._answers:
            return
        self._answers[key] = answer
        self.used += len(answer.body)
        while self.used > self.budget:
            _, dropped = self._answers.popitem(last=False)
            self.used -= len(dropped.body)

    async def get_or_make(self, key: Hashable, make: Callable[[], Awaitable[Answer]]) -> Answer:
        """The kept answer, or the one ``make()`` gives, shared by every request asking for
        ``key`` while it is computed. The computation is not abandoned when one of them is
        (its client went away): it is bounded by the query time limit and the answer is kept."""
        if (kept := self.get(key)) is not None:
            return kept
        task = self._making.get(key)
        if task is None:
            task = asyncio.ensure_future(make())
            self._making[key] = task
            task.add_done_callback(partial(self._made, key))
        return await asyncio.shield(task)

    def _made(self, key: Hashable, task: asyncio.Task[Answer]) -> None:
        self._making.pop(key, None)
        if not task.cancelled() and task.exception() is None:  # errors are not kept (nor left unretrieved)
            self.put(key, task.result())
