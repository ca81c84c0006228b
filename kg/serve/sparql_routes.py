"""The SPARQL 1.1 Protocol at ``/sparql``: queries by GET or POST, answers by content negotiation.

A query is checked by parsing alone (:mod:`kg.serve.refuse`) before any evaluation; updates,
``SERVICE`` and foreign ``FROM`` are refused with 400. It is then evaluated in a worker under
the time limit (503 past it).
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from kg.errors import QueryError, QueryRefusedError
from kg.serve.negotiate import BOOLEAN_TYPES, GRAPH_TYPES, SOLUTION_TYPES, choose
from kg.serve.refuse import check_query
from kg.serve.services import Services

OFFERED = {"SELECT": SOLUTION_TYPES, "ASK": BOOLEAN_TYPES, "CONSTRUCT": GRAPH_TYPES, "DESCRIBE": GRAPH_TYPES}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def _query_text(request: Request) -> str | None:
    """The query of a protocol request (GET parameter, form field or direct POST body)."""
    if request.method == "GET":
        if "update" in request.query_params:
            raise QueryRefusedError("this endpoint is read-only: SPARQL updates are refused")
        return request.query_params.get("query")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        raise QueryRefusedError("this endpoint is read-only: SPARQL updates are refused")
    if content_type == "application/sparql-query":
        return (await request.body()).decode("utf-8", errors="replace")
    if content_type in FORM_TYPES:
        form = await request.form()
        if "update" in form:
            raise QueryRefusedError("this endpoint is read-only: SPARQL updates are refused")
        value = form.get("query")
        return value if isinstance(value, str) else None
    raise QueryError(f"a POST must be a form (query=...) or application/sparql-query, not {content_type or 'untyped'}")


async def sparql(request: Request) -> Response:
    services: Services = request.app.state.services
    text = await _query_text(request)
    if text is None:
        if request.method == "GET":
            return RedirectResponse("/", status_code=303)  # a person who opened /sparql: the editor
        raise QueryError("no query given (send query=...)")
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in request.query_params:
            raise QueryError(f"{name} is not supported here: name graphs with FROM or GRAPH in the query")
    form = check_query(text)
    offered = OFFERED[form]
    fmt = choose(request.headers.get("accept"), offered)
    if fmt is None:
        return PlainTextResponse(f"cannot answer a {form} query as {request.headers.get('accept')}; "
                                 f"offered: {', '.join(offered)}", status_code=406)
    answer = await services.pool.run(text, fmt, services.watch.state(), services.timeout)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


ROUTES = [Route("/sparql", sparql, methods=["GET", "POST"])]
