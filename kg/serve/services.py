"""What every route needs, made once per server: the worker pool, the store watch, the
stored queries, the templates, and a way to run the synchronous library off the event loop."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.templating import Jinja2Templates

from kg.query.stored import StoredQuery
from kg.query.tables import compact
from kg.serve.pool import QueryPool
from kg.serve.runner import PoolBackend
from kg.serve.snapshot import StoreWatch

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
YASGUI_DIR = STATIC_DIR / "vendor" / "yasgui"
T = TypeVar("T")


@dataclass
class Services:
    """The server's shared parts (one per application)."""

    watch: StoreWatch
    pool: QueryPool
    queries: dict[str, StoredQuery]
    timeout: float
    templates: Jinja2Templates

    def backend(self) -> PoolBackend:
        """A backend for library code running in a thread of this server's event loop."""
        return PoolBackend(self.pool, self.watch, asyncio.get_running_loop(), self.timeout)

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """``function(backend, *args)`` in a thread, its queries evaluated by the pool."""
        backend = self.backend()
        return await run_in_threadpool(function, backend, *args)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.filters["compact"] = compact
    templates.env.globals["yasgui_vendored"] = (YASGUI_DIR / "yasgui.min.js").is_file()
    return templates
