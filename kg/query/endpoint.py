"""Remote SPARQL 1.1 endpoints, through SPARQLWrapper, with a timeout and clear errors.

Parameters travel as a leading ``VALUES`` block (:mod:`kg.query.binding`), as on the embedded store.
"""
from __future__ import annotations

import re
import socket
import urllib.error
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.query.backend import QueryResult, Term, result_from_oxigraph
from kg.query.binding import with_values
from kg.errors import EndpointError

_STATUS = {  # SPARQLWrapper turns these HTTP answers into exceptions
    "EndPointNotFound": "HTTP 404: no SPARQL endpoint at this URL",
    "QueryBadFormed": "HTTP 400: the endpoint found the query malformed",
    "Unauthorized": "HTTP 401: the endpoint wants credentials",
    "EndPointInternalError": "HTTP 500: the endpoint failed",
    "URITooLong": "HTTP 414: the request was too long",
}
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
