"""Remote SPARQL 1.1 endpoints, through SPARQLWrapper, with a timeout and clear errors.

A remote endpoint cannot take Oxigraph's ``substitutions``, so parameters travel as a
``VALUES`` block placed first in the query's WHERE group, built from the terms' own
N-Triples serialisation (which escapes quotes, braces and newlines). Stored queries use their
parameters in that top-level group only, where a leading ``VALUES`` and a substitution give
the same answers; the server tests check this for every stored query.

>>> print(with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal('"} ; DROP ALL #')}))
SELECT ?s WHERE { VALUES (?o) { ("\\"} ; DROP ALL #") }
 ?s ?p ?o }
"""
from __future__ import annotations

import re
import socket
import urllib.error
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.backend import QueryResult, Term, result_from_oxigraph
from kg.errors import EndpointError, QueryError

_STATUS = {  # SPARQLWrapper turns these HTTP answers into exceptions
    "EndPointNotFound": "HTTP 404: no SPARQL endpoint at this URL",
    "QueryBadFormed": "HTTP 400: the endpoint found the query malformed",
    "Unauthorized": "HTTP 401: the endpoint wants credentials",
    "EndPointInternalError": "HTTP 500: the endpoint failed",
    "URITooLong": "HTTP 414: the request was too long",
}
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WHERE = re.compile(r"WHERE\b", re.I)


def _group_start(sparql: str) -> int:
    """Offset of the ``{`` opening the query's WHERE group (skipping strings, IRIs, comments).

    The first brace at depth 0 opens it, except in a CONSTRUCT with a template, where the
    group follows the keyword WHERE.
    """
    text = _blank_out(sparql)
    start = 0
    if re.search(r"\bCONSTRUCT\b", text, re.I):
        match = _WHERE.search(text)
        if match:
            start = match.end()
    brace = text.find("{", start)
    if brace < 0:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return brace


def _blank_out(sparql: str) -> str:
    """The query with comments, strings and IRIs replaced by spaces (same length)."""
    out = list(sparql)
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            end = n if end < 0 else end
        elif c in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            end = min(n, j + len(quote))
        elif c == "<" and (match := _IRIREF.match(sparql, i)):
            end = match.end()
        else:
            i += 1
            continue
        out[i:end] = " " * (end - i)
        i = end
    return "".join(out)


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with ``bindings`` as a VALUES block leading its WHERE group."""
    if not bindings:
        return sparql
    names = sorted(bindings)
    head = " ".join(f"?{name}" for name in names)
    row = " ".join(str(bindings[name]) for name in names)
    brace = _group_start(sparql) + 1
    return f"{sparql[:brace]} VALUES ({head}) {{ ({row}) }}\n{sparql[brace:]}"


class EndpointBackend:
    """A SPARQL 1.1 query endpoint (e.g. ``http://127.0.0.1:7878/query``)."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        if not re.match(r"^https?://", url):
            raise EndpointError(f"{url}: an endpoint is an http:// or https:// URL")
        self.url = url
        self.timeout = timeout

    def execute(self, sparql: str, bindings: Mapping[str, Term], *, lists: Iterable[str] = (),
                columns: tuple[str, ...] = ()) -> QueryResult:
        text = with_values(sparql, bindings)
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(int(max(1, self.timeout)))
        client.setQuery(text)
        graph_result = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(TURTLE if graph_result else JSON)
        body = self._fetch(client)
        try:
            if graph_result:
                triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)]
                return result_from_oxigraph(iter(triples), columns, lists)
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise EndpointError(f"{self.url}: the endpoint's answer is not valid: {exc}") from None
        return result_from_oxigraph(parsed, columns, lists)

    def _fetch(self, client: SPARQLWrapper) -> bytes:
        try:
            response = client.query()
            return response.response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            reason = detail[0][:200] if detail else exc.reason
            raise EndpointError(f"{self.url}: HTTP {exc.code}: {reason}") from None
        except SPARQLWrapperException as exc:
            status = _STATUS.get(type(exc).__name__, "the endpoint refused the query")
            detail = str(exc).strip().splitlines()
            message = detail[-1].strip()[:200] if len(detail) > 1 else ""
            raise EndpointError(f"{self.url}: {status}" + (f": {message}" if message else "")) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise EndpointError(f"{self.url}: no answer within {self.timeout:g} s") from None
            raise EndpointError(f"{self.url}: cannot reach the endpoint: {exc.reason}") from None
        except (TimeoutError, socket.timeout):
            raise EndpointError(f"{self.url}: no answer within {self.timeout:g} s") from None
        except (ConnectionError, OSError) as exc:
            raise EndpointError(f"{self.url}: cannot reach the endpoint: {exc}") from None
