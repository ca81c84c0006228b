"""Running the library's stored and internal queries through the worker pool.

:class:`PoolBackend` is a :class:`kg.query.backend.Backend`, so the stored-query runner
(:func:`kg.query.stored.execute_stored`, with its parameter binding) works unchanged: the
server binds parameters exactly as `kg query` does, and every evaluation happens in a worker
under the time limit. The backend is called from a thread (the library is synchronous) and
hands each query to the event loop that owns the pool, with the arrival time of the HTTP
request it serves, so the pool finishes older requests' queries first.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg.errors import QueryError
from kg.query.backend import QueryResult, result_from_oxigraph
from kg.query.binding import Term, with_values
from kg.serve.memo import Answer
from kg.serve.pool import QueryPool
from kg.serve.snapshot import StoreWatch


class PoolBackend:
    """Evaluates in the pool's workers; to be used from a worker thread, not the event loop."""

    def __init__(self, pool: QueryPool, watch: StoreWatch, loop: asyncio.AbstractEventLoop,
                 timeout: float, since: float | None = None) -> None:
        self.pool = pool
        self.watch = watch
        self.loop = loop
        self.timeout = timeout
        self.since = time.monotonic() if since is None else since  # when the request arrived

    def raw(self, sparql: str, bindings: Mapping[str, Term], fmt: str) -> Answer:
        """The serialised answer of ``sparql`` with ``bindings`` in format ``fmt``."""
        bound = with_values(sparql, bindings)
        future = asyncio.run_coroutine_threadsafe(
            self.pool.run(bound, fmt, self.watch.state(), self.timeout, self.since), self.loop)
        return future.result()

    def execute(self, sparql: str, bindings: Mapping[str, Term], *, lists: Iterable[str] = (),
                columns: tuple[str, ...] = ()) -> QueryResult:
        answer = self.raw(sparql, bindings, "json")
        try:
            parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise QueryError(f"a worker gave an unreadable answer: {exc}") from exc
        return result_from_oxigraph(parsed, columns, lists)
