"""Remote SPARQL 1.1 endpoints: the vjkg dataset named in every query, one clear line per failure.

A server's default graph is its own affair: Oxigraph's is a graph of its own (empty after a
Graph Store load), Virtuoso's the union of every graph it holds, its system graphs included.
So kg never reads it. Before the first query it asks the server which of its graphs hold vjkg
data (``queries/internal/dataset-graphs.rq``: the article graphs, the reference graph, the
ontology graph) and sends every query with those graphs as ``FROM`` (its default graph, the
union the embedded store queries) and ``FROM NAMED`` (for ``GRAPH ?g``): the same dataset on
any conforming server, whatever its default-graph policy. A query that names its own dataset
is sent as written. Parameters travel as a leading ``VALUES`` block (:mod:`kg.query.binding`),
as on the embedded store.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
import requests

from kg.errors import EndpointError
from kg.files import internal_query
from kg.query.backend import QueryResult, Term, result_from_oxigraph
from kg.query.binding import has_dataset, with_dataset, with_values

ACCEPT = ("application/sparql-results+json, text/turtle;q=0.9, application/n-triples;q=0.8, "
          "*/*;q=0.1")
ONTOLOGY = "https://w3id.org/vjkg/ontology"
_GRAPH_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
                  "application/x-turtle": ox.RdfFormat.TURTLE, "text/plain": ox.RdfFormat.N_TRIPLES}
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class ServerDataset:
    """The graphs of vjkg data a server holds, and the version of the ontology it holds."""

    graphs: tuple[str, ...]
    articles: int
    version: str


class EndpointBackend:
    """A SPARQL 1.1 query endpoint (e.g. ``http://127.0.0.1:7878/query``).

    ``dataset=False`` sends queries as written, on the server's own default graph (for
    questions about the server itself, such as which graphs it holds).
    """

    def __init__(self, url: str, *, timeout: float = 30.0, dataset: bool = True) -> None:
        if not re.match(r"^https?://", url):
            raise EndpointError(f"{url}: an endpoint is an http:// or https:// URL")
        self.url = url
        self.timeout = timeout
        self.use_dataset = dataset
        self._dataset: ServerDataset | None = None

    def execute(self, sparql: str, bindings: Mapping[str, Term], *, lists: Iterable[str] = (),
                columns: tuple[str, ...] = ()) -> QueryResult:
        text = with_values(sparql, bindings)
        if self.use_dataset and not has_dataset(sparql):
            graphs = list(self.dataset().graphs)
            text = with_dataset(text, graphs, graphs)
        return self._run(text, lists, columns)

    def dataset(self) -> ServerDataset:
        """The server's vjkg graphs (asked once); an error when it holds no vjkg data."""
        if self._dataset is None:
            rows = self._run(internal_query("dataset-graphs"), (), ()).rows
            graphs = sorted({str(row["g"]) for row in rows})
            articles = sum(1 for row in rows if row.get("kind") == "article")
            versions = sorted({str(row["version"]) for row in rows if row.get("version") is not None})
            if not articles:
                raise EndpointError(f"{self.url}: the server holds no vjkg article graphs "
                                    "(push the built graph with `kg load --gsp GRAPH_STORE_URL`)")
            if not versions:
                raise EndpointError(f"{self.url}: the server holds no vjkg ontology (the triple "
                                    f"<{ONTOLOGY}> owl:versionInfo is missing; `kg load --gsp` sends it)")
            self._dataset = ServerDataset(tuple(graphs), articles, versions[-1])
        return self._dataset

    def _run(self, text: str, lists: Iterable[str], columns: tuple[str, ...]) -> QueryResult:
        response = self._post(text)
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            if kind in ("application/sparql-results+json", "application/json"):
                parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
                return result_from_oxigraph(parsed, columns, lists)
            if kind in _GRAPH_FORMATS:
                triples = [q.triple for q in ox.parse(response.content, format=_GRAPH_FORMATS[kind])]
                return result_from_oxigraph(iter(triples), columns, lists)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.url}: the endpoint's answer is not valid {kind}: {exc}") from None
        if "html" in kind:
            raise EndpointError(f"{self.url}: answered with a web page, not SPARQL results "
                                "(is this the server's query endpoint?)")
        raise EndpointError(f"{self.url}: answered with {kind or 'no content type'}, not SPARQL results")

    def _post(self, text: str) -> requests.Response:
        try:
            response = requests.post(self.url, data={"query": text}, timeout=self.timeout,
                                     headers={"Accept": ACCEPT})
        except requests.Timeout:
            raise EndpointError(f"{self.url}: no answer within {self.timeout:g} s "
                                "(a slow server: try a larger --timeout)") from None
        except requests.ConnectionError as exc:
            raise EndpointError(f"{self.url}: cannot reach the endpoint: {_reason(exc)}") from None
        except requests.RequestException as exc:
            raise EndpointError(f"{self.url}: the request failed: {exc}") from None
        if response.status_code >= 300:
            detail = first_error_line(response.text) or response.reason
            raise EndpointError(f"{self.url}: HTTP {response.status_code}: {detail}")
        return response


def first_error_line(body: str) -> str:
    """The server's own first line of an error answer, tags removed (HTML error pages)."""
    for line in _TAG.sub(" ", body).splitlines():
        line = " ".join(line.split())
        if line:
            return line[:200]
    return ""


def _reason(exc: requests.ConnectionError) -> str:
    text = str(exc.args[0]) if exc.args else str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^')]*)", text)
    return match.group(1) if match else text[:200]
