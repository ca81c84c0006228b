"""What the built graph holds: triples, named graphs, articles, and instances per class.

The totals and class counts are the stored query ``stats`` (the numbers every stored query
sees), which reads the summary graph a build writes at its end; a store written otherwise
(no summary graph) is counted directly, with the query the build uses
(:func:`kg.graph.summary.count_store`). The named graphs come from
``queries/internal/named-graphs.rq``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import URIRef

from kg.files import internal_query
from kg.graph.summary import count_store
from kg.namespaces import compact
from kg.query.backend import EmbeddedBackend
from kg.query.stored import execute_stored, find_query, load_queries
from kg.store.store import Store

__all__ = ["GraphInfo", "graph_info", "render_json", "render_text"]


@dataclass(frozen=True)
class GraphInfo:
    """Counts of a built graph; every list is sorted by name."""

    quads: int
    triples: int  # distinct triples of the union
    graphs: tuple[tuple[str, int], ...]
    articles: int
    classes: tuple[tuple[str, int], ...]


def graph_info(store: Store) -> GraphInfo:
    """Count what ``store`` holds."""
    stats = execute_stored(find_query("stats", load_queries()), {}, EmbeddedBackend(store, None)).rows
    if stats:
        totals = {row["item"]: int(row["count"]) for row in stats if row["kind"] == "total"}
        counts = {row["item"]: int(row["count"]) for row in stats if row["kind"] == "class"}
    else:
        totals, counts = count_store(store)
    classes = sorted((compact(URIRef(item)), count) for item, count in counts.items())
    graphs = tuple((compact(row["g"]), int(row["n"].value)) for row in store.select(internal_query("named-graphs")))
    return GraphInfo(quads=totals.get("quads", len(store)), triples=totals.get("triples", 0), graphs=graphs,
                     articles=totals.get("articles", 0), classes=tuple(classes))


def render_text(info: GraphInfo) -> str:
    lines = [f"triples: {info.triples} ({info.quads} quads in {len(info.graphs)} named graphs)",
             f"articles: {info.articles}", "named graphs:"]
    lines += [f"  {name}: {count}" for name, count in info.graphs]
    lines.append("instances per class:")
    lines += [f"  {name}: {count}" for name, count in info.classes]
    return "\n".join(lines) + "\n"


def render_json(info: GraphInfo) -> str:
    document = {"triples": info.triples, "quads": info.quads, "articles": info.articles,
                "graphs": dict(info.graphs), "classes": dict(info.classes)}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
