"""The SPARQL 1.1 Protocol at ``/sparql``: queries by GET or POST, answers by content negotiation.

A query is checked by parsing alone (:mod:`kg.serve.refuse`) before any evaluation; updates,
``SERVICE`` and foreign ``FROM`` are refused with 400. It is then evaluated in a worker under
the time limit (503 past it).

rdflib's parser is pure Python and slow (tens of milliseconds for a short query), so it runs
in a thread, never on the event loop, and its verdict on a text is remembered: an editor or a
dashboard sends the same queries again and again.
"""
from __future__ import annotations

import time
from collections import OrderedDict

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from kg.errors import QueryError, QueryRefusedError
from kg.serve.negotiate import BOOLEAN_TYPES, GRAPH_TYPES, SOLUTION_TYPES, choose
from kg.serve.refuse import check_query
from kg.serve.services import Services

OFFERED = {"SELECT": SOLUTION_TYPES, "ASK": BOOLEAN_TYPES, "CONSTRUCT": GRAPH_TYPES, "DESCRIBE": GRAPH_TYPES}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
VERDICTS_KEPT = 4096  # query texts whose check is remembered
LONGEST_KEPT = 64 * 1024  # characters; a longer text is checked each time
_verdicts: OrderedDict[str, tuple[str, type[QueryError] | None]] = OrderedDict()


def _verdict(text: str) -> tuple[str, type[QueryError] | None]:
    """(the query's form, None), or (why it is refused, the error's type)."""
    try:
        return check_query(text), None
    except QueryError as exc:
        return str(exc), type(exc)


async def form_of(text: str) -> str:
    """:func:`kg.serve.refuse.check_query`, off the event loop and remembered by text."""
    verdict = _verdicts.get(text)
    if verdict is None:
        verdict = await run_in_threadpool(_verdict, text)
        if len(text) <= LONGEST_KEPT:
            _verdicts[text] = verdict
            while len(_verdicts) > VERDICTS_KEPT:
                _verdicts.popitem(last=False)
    else:
        _verdicts.move_to_end(text)
    outcome, error = verdict
    if error is not None:
        raise error(outcome)
    return outcome


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
    since = time.monotonic()  # the request's place in the workers' queue
    text = await _query_text(request)
    if text is None:
        if request.method == "GET":
            return RedirectResponse("/", status_code=303)  # a person who opened /sparql: the editor
        raise QueryError("no query given (send query=...)")
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in request.query_params:
            raise QueryError(f"{name} is not supported here: name graphs with FROM or GRAPH in the query")
    form = await form_of(text)
    offered = OFFERED[form]
    fmt = choose(request.headers.get("accept"), offered)
    if fmt is None:
        return PlainTextResponse(f"cannot answer a {form} query as {request.headers.get('accept')}; "
                                 f"offered: {', '.join(offered)}", status_code=406)
    answer = await services.pool.run(text, fmt, services.watch.state(), services.timeout, since)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


ROUTES = [Route("/sparql", sparql, methods=["GET", "POST"])]
