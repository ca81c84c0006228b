"""Stored queries as an HTTP API: ``/queries``, ``/queries/{name}`` and ``/openapi.json``.

A stored query runs with its parameters bound as terms by the same code as `kg query`
(:func:`kg.query.stored.execute_stored`); the rows come back as an HTML table, or as JSON or
CSV by the path's extension (``.json``, ``.csv``) or the ``Accept`` header.
"""
from __future__ import annotations

import time
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kg.query.stored import StoredQuery, execute_stored, find_query
from kg.query.tables import format_rows
from kg.serve.memo import Answer
from kg.serve.negotiate import TABLE_TYPES, choose
from kg.serve.openapi import openapi_document
from kg.serve.runner import PoolBackend
from kg.serve.services import Services

EXTENSIONS = {".json": "json", ".csv": "csv", ".html": "html"}


def describe(query: StoredQuery) -> dict[str, Any]:
    """A stored query as the listing shows it."""
    return {"name": query.name, "summary": query.summary, "description": query.description,
            "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                            "description": p.description} for p in query.params],
            "columns": list(query.columns), "path": f"/queries/{query.name}"}


def _split_extension(name: str) -> tuple[str, str | None]:
    for extension, fmt in EXTENSIONS.items():
        if name.endswith(extension):
            return name[: -len(extension)], fmt
    return name, None


async def list_queries(request: Request) -> Response:
    services: Services = request.app.state.services
    listing = [describe(q) for q in services.queries.values()]
    wanted = "json" if request.url.path.endswith(".json") else choose(request.headers.get("accept"), TABLE_TYPES)
    if wanted == "json":
        return JSONResponse(listing)
    return services.templates.TemplateResponse(request, "queries.html", {"queries": listing})


async def run_query(request: Request) -> Response:
    services: Services = request.app.state.services
    since = time.monotonic()
    name, fmt = _split_extension(request.path_params["name"])
    query = find_query(name, services.queries)
    fmt = fmt or choose(request.headers.get("accept"), TABLE_TYPES) or "html"
    values = {key: value for key, value in request.query_params.items()}

    def answer(backend: PoolBackend) -> Answer:
        result = execute_stored(query, values, backend)
        if fmt == "json":
            return Answer("application/json", format_rows(result.columns, result.rows, "json").encode())
        if fmt == "csv":
            return Answer("text/csv; charset=utf-8", (format_rows(result.columns, result.rows, "csv") + "\n").encode())
        return services.render(request, "query.html", {
            "query": describe(query), "columns": result.columns, "rows": result.rows, "values": values,
            "lists": set(query.lists)})

    return await services.kept(request, fmt, lambda: services.call(answer, since=since))


async def openapi(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        release = version("vjkg")
    except PackageNotFoundError:
        release = "0"
    return JSONResponse(openapi_document(services.queries, release))


ROUTES = [
    Route("/queries", list_queries), Route("/queries.json", list_queries),
    Route("/queries/{name}", run_query), Route("/openapi.json", openapi),
]
