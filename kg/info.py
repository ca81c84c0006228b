"""What the built graph holds: triples, named graphs, articles, and instances per class.

Counted by SPARQL on the store (the union of all graphs is the default graph), so the
numbers are those every stored query sees.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from kg.store import Store
from kg.validate import compact

__all__ = ["GraphInfo", "graph_info", "render_json", "render_text"]

_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_ARTICLES = """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?a a <https://w3id.org/vjkg/ontology#Article> }"""
_CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"


@dataclass(frozen=True)
class GraphInfo:
    """Counts of a built graph; every list is sorted by name."""

    quads: int
    triples: int  # distinct triples of the union
    graphs: tuple[tuple[str, int], ...]
    articles: int
    classes: tuple[tuple[str, int], ...]


def _count(store: Store, query: str) -> int:
    rows = list(store.query(query))
    return int(rows[0]["n"].value) if rows else 0


def graph_info(store: Store) -> GraphInfo:
    """Count what ``store`` holds."""
    graphs = tuple((compact(row["g"]), int(row["n"].value)) for row in store.query(_GRAPHS))
    classes = sorted((compact(row["class"]), int(row["n"].value)) for row in store.query(_CLASSES))
    return GraphInfo(quads=len(store), triples=_count(store, _TRIPLES), graphs=graphs,
                     articles=_count(store, _ARTICLES), classes=tuple(classes))


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
