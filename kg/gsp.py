"""Pushing the built graph to a remote store through the SPARQL 1.1 Graph Store Protocol.

Each named graph (every article, the ontology, the reference data) is sent with one HTTP
``PUT URL?graph=IRI`` carrying N-Triples, which replaces that graph on the server: loading
twice leaves the server as loading once. Graphs the server holds but the store does not are
left alone (the protocol has no "replace everything" in one request).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import requests

from kg.errors import EndpointError
from kg.store import Store

NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class LoadSummary:
    """What a Graph Store load sent."""

    graphs: int
    triples: int


def load_graph_store(store: Store, url: str, *, timeout: float = 60.0,
                     on_graph: Callable[[str], None] | None = None) -> LoadSummary:
    """PUT every named graph of ``store`` to the Graph Store at ``url`` (e.g. ``.../store``)."""
    if not url.startswith(("http://", "https://")):
        raise EndpointError(f"{url}: a Graph Store is an http:// or https:// URL")
    graphs = store.graph_names()
    triples = 0
    with requests.Session() as session:
        for graph in graphs:
            body = store.dump_graph(graph)
            _put(session, url, graph, body, timeout)
            triples += body.count(b"\n")
            if on_graph:
                on_graph(graph)
    return LoadSummary(len(graphs), triples)


def _put(session: requests.Session, url: str, graph: str, body: bytes, timeout: float) -> None:
    try:
        response = session.put(url, params={"graph": graph}, data=body,
                               headers={"Content-Type": NTRIPLES}, timeout=timeout)
    except requests.Timeout:
        raise EndpointError(f"{url}: no answer within {timeout:g} s while loading {graph}") from None
    except requests.ConnectionError as exc:
        reason = str(exc.args[0]) if exc.args else str(exc)
        raise EndpointError(f"{url}: cannot reach the Graph Store ({reason[:200]})") from None
    except requests.RequestException as exc:
        raise EndpointError(f"{url}: the request failed: {exc}") from None
    if response.status_code >= 300:
        detail = response.text.strip().splitlines()
        reason = detail[0][:200] if detail else response.reason
        raise EndpointError(f"{url}: HTTP {response.status_code} while loading {graph}: {reason}")
