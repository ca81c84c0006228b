"""Pushing the built graph to a remote store through the SPARQL 1.1 Graph Store Protocol.

Each named graph (every article, the ontology, the reference data) is sent with one HTTP
``PUT URL?graph=IRI`` carrying N-Triples, which replaces that graph on the server: loading
twice leaves the server as loading once. The protocol cannot list the server's graphs, so
graphs the server holds but the store does not stay, unless ``prune_endpoint`` names the
server's SPARQL query endpoint: then the article graphs (``vjg:article/...``) it lists that
the store no longer has are removed with ``DELETE URL?graph=IRI``, and nothing else is.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import requests

from kg.errors import EndpointError
from kg.files import internal_query
from kg.query.endpoint import EndpointBackend
from kg.store.pieces import ARTICLE_PREFIX
from kg.store.store import Store

NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class LoadSummary:
    """What a Graph Store load sent."""

    graphs: int
    triples: int
    removed: tuple[str, ...] = ()  # stale article graphs deleted from the server


def load_graph_store(store: Store, url: str, *, timeout: float = 60.0,
                     on_graph: Callable[[str], None] | None = None,
                     prune_endpoint: str | None = None) -> LoadSummary:
    """PUT every named graph of ``store`` to the Graph Store at ``url`` (e.g. ``.../store``);
    with ``prune_endpoint`` (e.g. ``.../query``), then DELETE the stale article graphs."""
    if not url.startswith(("http://", "https://")):
        raise EndpointError(f"{url}: a Graph Store is an http:// or https:// URL")
    graphs = store.graph_names()
    triples = 0
    with requests.Session() as session:
        for graph in graphs:
            body = store.dump_graph(graph)
            _send(session, "PUT", url, graph, timeout, body)
            triples += body.count(b"\n")
            if on_graph:
                on_graph(graph)
        stale = _stale_article_graphs(prune_endpoint, set(graphs), timeout) if prune_endpoint else []
        for graph in stale:
            _send(session, "DELETE", url, graph, timeout)
    return LoadSummary(len(graphs), triples, tuple(stale))


def _stale_article_graphs(endpoint: str, kept: set[str], timeout: float) -> list[str]:
    """The article graphs the server at ``endpoint`` holds that are not in ``kept``."""
    rows = EndpointBackend(endpoint, timeout=timeout, dataset=False).execute(internal_query("server-graphs"), {}).rows
    return sorted(row["g"] for row in rows
                  if isinstance(row["g"], str) and row["g"].startswith(ARTICLE_PREFIX) and row["g"] not in kept)


def _send(session: requests.Session, method: str, url: str, graph: str, timeout: float,
          body: bytes | None = None) -> None:
    action = "loading" if method == "PUT" else "removing"
    headers = {"Content-Type": NTRIPLES} if body is not None else {}
    try:
        response = session.request(method, url, params={"graph": graph}, data=body, headers=headers,
                                    timeout=timeout)
    except requests.Timeout:
        raise EndpointError(f"{url}: no answer within {timeout:g} s while {action} {graph}") from None
    except requests.ConnectionError as exc:
        reason = str(exc.args[0]) if exc.args else str(exc)
        raise EndpointError(f"{url}: cannot reach the Graph Store ({reason[:200]})") from None
    except requests.RequestException as exc:
        raise EndpointError(f"{url}: the request failed: {exc}") from None
    if response.status_code >= 300:
        detail = response.text.strip().splitlines()
        reason = detail[0][:200] if detail else response.reason
        raise EndpointError(f"{url}: HTTP {response.status_code} while {action} {graph}: {reason}")
