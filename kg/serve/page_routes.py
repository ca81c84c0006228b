"""The pages a person reads: the query editor at ``/``, entity pages at ``/id/<path>``, the
search, and the figure plots the entity pages embed."""
from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kg.errors import InputError, QueryError
from kg.export.plot import render
from kg.files import internal_query
from kg.serve.entities import entity_iri, entity_page, indicator_series, search
from kg.serve.memo import Answer
from kg.serve.negotiate import choose
from kg.serve.runner import PoolBackend
from kg.serve.services import Services

ENTITY_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "turtle",
                "application/ld+json": "jsonld", "application/n-triples": "ntriples",
                "application/rdf+xml": "rdfxml"}
PLOT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
ROWS_SHOWN = 100  # rows of one table on an entity page; the stored queries give them all


class NotFound(QueryError):
    """Nothing in the graph is known by the path asked for (a 404, not a 400)."""


async def index(request: Request) -> Response:
    services: Services = request.app.state.services
    examples = [{"name": q.name, "summary": q.summary, "sparql": q.sparql} for q in services.queries.values()]
    return services.templates.TemplateResponse(request, "index.html", {"examples": examples})


def _description(backend: PoolBackend, iri: str, fmt: str) -> Answer:
    import pyoxigraph as ox

    answer = backend.raw(internal_query("entity-description"), {"entity": ox.NamedNode(iri)}, fmt)
    if not answer.body.strip() or answer.body.strip() == b"[]":
        raise NotFound(f"the graph says nothing about {iri}")
    return answer


async def entity(request: Request) -> Response:
    services: Services = request.app.state.services
    since = time.monotonic()
    path = request.path_params["path"]
    iri = entity_iri(path)
    fmt = choose(request.headers.get("accept"), ENTITY_TYPES) or "html"
    if fmt != "html":
        return await services.kept(request, fmt, lambda: services.call(_description, iri, fmt, since=since))

    def assemble(backend: PoolBackend, disputed: set[str]) -> Answer:
        page = entity_page(backend, iri, services.queries, disputed)
        if page is None:
            raise NotFound(f"the graph says nothing about {iri}")
        return services.render(request, "entity.html", {"page": page, "path": path, "shown": ROWS_SHOWN})

    async def make() -> Answer:
        return await services.call(assemble, await services.disputed(), since=since)

    return await services.kept(request, "html", make)


async def find(request: Request) -> Response:
    services: Services = request.app.state.services
    since = time.monotonic()
    text = request.query_params.get("q", "")
    fmt = "json" if request.query_params.get("format") == "json" else "html"

    def assemble(backend: PoolBackend) -> Answer:
        hits = search(backend, text)
        if fmt == "json":
            return Answer("application/json", bytes(JSONResponse(hits).body))
        return services.render(request, "search.html", {"q": text, "hits": hits})

    return await services.kept(request, fmt, lambda: services.call(assemble, since=since))


async def plot(request: Request) -> Response:
    services: Services = request.app.state.services
    since = time.monotonic()
    path = request.query_params.get("entity", "")
    code = request.query_params.get("indicator", "")
    fmt = request.query_params.get("format", "svg")
    if fmt not in PLOT_TYPES:
        raise InputError(f"format {fmt!r}: a plot is svg or png")
    if not path or not code:
        raise InputError("a plot needs entity=<path> and indicator=<code>")

    def draw(backend: PoolBackend, everywhere: set[str]) -> Answer:
        points, disputed, title = indicator_series(backend, entity_iri(path), code, services.queries, everywhere)
        return Answer(PLOT_TYPES[fmt], render(points, disputed, title, fmt))

    async def make() -> Answer:
        return await services.call(draw, await services.disputed(), since=since)

    return await services.kept(request, fmt, make)


ROUTES = [
    Route("/", index), Route("/id/{path:path}", entity), Route("/search", find), Route("/plot", plot),
]
