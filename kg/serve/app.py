"""The ASGI application of `kg serve`: routes, error pages and the worker pool's lifetime.

Read-only by construction: no route writes, the store is opened only by the workers and only
read-only, and every query is checked before it runs. Errors of the library become status
codes here: a refused or malformed query or a bad parameter 400, an unknown entity 404, a
query past its time limit 503.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from kg.errors import QueryTimeoutError, StoreError, VjkgError
from kg.query.stored import load_queries
from kg.serve import api_routes, page_routes, sparql_routes
from kg.serve.page_routes import NotFound
from kg.serve.pool import QueryPool
from kg.serve.services import STATIC_DIR, Services, make_templates
from kg.serve.snapshot import StoreWatch

DEFAULT_TIMEOUT = 10.0


def status_of(error: VjkgError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, (QueryTimeoutError, StoreError)):
        return 503
    return 400


def _wants_html(request: Request) -> bool:
    machine = request.url.path.startswith(("/sparql", "/openapi")) or request.url.path.endswith((".json", ".csv"))
    return not machine and "text/html" in request.headers.get("accept", "")


def create_app(store_dir: Path, *, timeout: float = DEFAULT_TIMEOUT, workers: int | None = None) -> Starlette:
    """The application serving the store in ``store_dir`` (which must hold a built graph)."""
    watch = StoreWatch(store_dir)
    pool = QueryPool(str(watch.location), workers or max(2, os.cpu_count() or 2))
    services = Services(watch=watch, pool=pool, queries=load_queries(), timeout=timeout,
                        templates=make_templates())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        # The disagreeing figures read the whole graph: worked out before the first page asks.
        warming = asyncio.get_running_loop().create_task(services.disputed())
        try:
            yield
        finally:
            warming.cancel()
            await pool.close()

    async def on_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, VjkgError)
        status = status_of(exc)
        if _wants_html(request):
            return services.templates.TemplateResponse(request, "error.html", {"message": str(exc), "status": status},
                                                       status_code=status)
        return PlainTextResponse(str(exc) + "\n", status_code=status)

    routes = [*sparql_routes.ROUTES, *api_routes.ROUTES, *page_routes.ROUTES,
              Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={VjkgError: on_error})
    app.state.services = services
    return app
