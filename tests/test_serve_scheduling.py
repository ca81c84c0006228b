"""How `kg serve` shares its query workers under load, without processes or a store: an idle
worker goes to the oldest request waiting (not to whichever query came last), a request
abandoned while it waits gives up its place, and an answer asked by many at once is computed
once and kept, errors not kept."""
from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from kg.errors import QueryError
from kg.serve.memo import Answer, AnswerMemo
from kg.serve.pool import QueryPool, Worker


def a_worker(name: str) -> Worker:
    """A stand-in worker: the scheduling only hands workers around, it never runs them."""
    return cast(Worker, name)


def test_an_idle_worker_goes_to_the_oldest_request_waiting() -> None:
    async def scenario() -> list[float]:
        pool = QueryPool("unused", size=1)
        served: list[float] = []

        async def ask(since: float) -> None:
            worker = await pool._take(since)
            served.append(since)
            await asyncio.sleep(0)
            pool._give(worker)

        # Requests arrive out of their age order while the only worker is busy.
        waiting = [asyncio.ensure_future(ask(since)) for since in (30.0, 10.0, 20.0, 5.0)]
        await asyncio.sleep(0)
        pool._give(a_worker("w"))
        await asyncio.gather(*waiting)
        return served

    assert asyncio.run(scenario()) == [5.0, 10.0, 20.0, 30.0]


def test_a_request_abandoned_while_it_waits_gives_up_its_place() -> None:
    async def scenario() -> tuple[object, list[str]]:
        pool = QueryPool("unused", size=1)
        abandoned = asyncio.ensure_future(pool._take(1.0))
        kept = asyncio.ensure_future(pool._take(2.0))
        await asyncio.sleep(0)
        abandoned.cancel()
        await asyncio.sleep(0)
        pool._give(a_worker("w"))
        return await kept, cast(list[str], pool._idle)

    worker, idle = asyncio.run(scenario())
    assert worker == "w" and idle == []


def test_a_worker_free_with_nobody_waiting_stays_idle_for_the_next() -> None:
    async def scenario() -> object:
        pool = QueryPool("unused", size=1)
        pool._give(a_worker("w"))
        return await pool._take(99.0)

    assert asyncio.run(scenario()) == "w"


def test_an_answer_asked_by_many_at_once_is_made_once_and_kept() -> None:
    made: list[str] = []

    async def make() -> Answer:
        made.append("x")
        await asyncio.sleep(0.01)
        return Answer("text/plain", b"the answer")

    async def scenario() -> list[Answer]:
        memo = AnswerMemo()
        together = await asyncio.gather(*(memo.get_or_make("key", make) for _ in range(20)))
        later = await memo.get_or_make("key", make)
        return [*together, later]

    answers = asyncio.run(scenario())
    assert made == ["x"]
    assert {a.body for a in answers} == {b"the answer"}


def test_an_error_reaches_everyone_waiting_and_is_not_kept() -> None:
    calls: list[int] = []

    async def failing() -> Answer:
        calls.append(1)
        await asyncio.sleep(0.01)
        raise QueryError("no such thing")

    async def scenario() -> list[Any]:
        memo = AnswerMemo()
        first = await asyncio.gather(*(memo.get_or_make("key", failing) for _ in range(3)), return_exceptions=True)
        with pytest.raises(QueryError):
            await memo.get_or_make("key", failing)
        return first

    outcomes = asyncio.run(scenario())
    assert all(isinstance(o, QueryError) for o in outcomes)
    assert calls == [1, 1]  # once for the three at once, once more afterwards: not kept


def test_one_client_going_away_does_not_cancel_the_answer_others_wait_for() -> None:
    async def make() -> Answer:
        await asyncio.sleep(0.02)
        return Answer("text/plain", b"done")

    async def scenario() -> tuple[Answer, Answer | None]:
        memo = AnswerMemo()
        impatient = asyncio.ensure_future(memo.get_or_make("key", make))
        patient = asyncio.ensure_future(memo.get_or_make("key", make))
        await asyncio.sleep(0.005)
        impatient.cancel()
        return await patient, memo.get("key")

    answer, kept = asyncio.run(scenario())
    assert answer.body == b"done" and kept == answer
