"""What every route needs, made once per server: the worker pool, the store watch, the
stored queries, the templates, and a way to run the synchronous library off the event loop."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.templating import Jinja2Templates

from kg.query.stored import StoredQuery
from kg.serve.entities import disputed_figures
from kg.query.tables import compact
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
    _disputed: dict[str, set[str]] = field(default_factory=dict)
    _disputed_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def backend(self) -> PoolBackend:
        """A backend for library code running in a thread of this server's event loop."""
        return PoolBackend(self.pool, self.watch, asyncio.get_running_loop(), self.timeout)

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """``function(backend, *args)`` in a thread, its queries evaluated by the pool."""
        backend = self.backend()
        return await run_in_threadpool(function, backend, *args)


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
