"""What every route needs, made once per server: the worker pool, the store watch, the
stored queries, the templates, a way to run the synchronous library off the event loop, and
the answers already given.

Nothing slow runs on the event loop: assembling a page (parsing query results, Jinja
rendering, JSON encoding) happens in a thread, so the loop stays free to accept connections,
read requests and write answers however busy the pages are. A whole answer (page, table,
description, plot) is kept per store state and route (:class:`kg.serve.memo.AnswerMemo`): a
page asked again before `kg build` changes the store costs no query and no rendering."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from kg.query.stored import StoredQuery
from kg.query.tables import compact
from kg.serve.entities import disputed_figures
from kg.serve.memo import Answer, AnswerMemo
from kg.serve.pool import QueryPool
from kg.serve.runner import PoolBackend
from kg.serve.snapshot import StoreWatch

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
YASGUI_DIR = STATIC_DIR / "vendor" / "yasgui"
T = TypeVar("T")
WHOLE_GRAPH_TIMEOUT = 300.0  # the library's own whole-graph answers, computed once per store state


@dataclass
class Services:
    """The server's shared parts (one per application)."""

    watch: StoreWatch
    pool: QueryPool
    queries: dict[str, StoredQuery]
    timeout: float
    templates: Jinja2Templates
    responses: AnswerMemo = field(default_factory=AnswerMemo)
    _disputed: dict[str, set[str]] = field(default_factory=dict)
    _disputed_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def backend(self, since: float | None = None) -> PoolBackend:
        """A backend for library code running in a thread of this server's event loop, for a
        request that arrived at ``since`` (``time.monotonic()``; now if not given)."""
        return PoolBackend(self.pool, self.watch, asyncio.get_running_loop(), self.timeout, since)

    async def call(self, function: Callable[..., T], *args: Any, since: float | None = None) -> T:
        """``function(backend, *args)`` in a thread, its queries evaluated by the pool."""
        backend = self.backend(since)
        return await run_in_threadpool(function, backend, *args)

    def render(self, request: Request, name: str, context: dict[str, Any]) -> Answer:
        """A template rendered (call it from a thread: rendering a long page takes a while)."""
        page = self.templates.TemplateResponse(request, name, context)
        return Answer("text/html; charset=utf-8", bytes(page.body))

    async def kept(self, request: Request, fmt: str, make: Callable[[], Awaitable[Answer]]) -> Response:
        """The answer to ``request`` in ``fmt``: kept from before under the store's current
        state, or made by ``make()`` once however many ask for it at the same time."""
        key = (self.watch.state(), request.url.path, request.url.query, fmt)
        answer = await self.responses.get_or_make(key, make)
        return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})

    async def disputed(self) -> set[str]:
        """The observations of disagreeing figures (every indicator), for the store's current
        state: computed once per state (concurrent requests wait for the one computation),
        as it reads every figure of the graph."""
        state = self.watch.state()
        async with self._disputed_lock:
            if state not in self._disputed:
                backend = PoolBackend(self.pool, self.watch, asyncio.get_running_loop(),
                                      max(self.timeout, WHOLE_GRAPH_TIMEOUT))
                self._disputed = {state: await run_in_threadpool(disputed_figures, backend, self.queries)}
            return self._disputed[state]

def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.filters["compact"] = compact
    templates.env.globals["yasgui_vendored"] = (YASGUI_DIR / "yasgui.min.js").is_file()
    return templates
