"""The embedded, persistent Oxigraph store that holds the built graph.

Each article lives in its own named graph (``vjg:article/{stem}``), the ontology and the
reference data in theirs, so one article can be rebuilt or dropped alone. Queries see the
union of all graphs as their default graph.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import StoreError


class Store:
    """A small interface over a persistent pyoxigraph store in a folder."""

    def __init__(self, location: Path, *, must_exist: bool = False) -> None:
        self.location = Path(location)
        if must_exist and not self.location.exists():
            raise StoreError(f"{self.location}: no graph has been built here yet (run `kg build`)")
        self.location.mkdir(parents=True, exist_ok=True)
        try:
            self._store = ox.Store(str(self.location))
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot open the store: {exc}") from exc

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for the modules that need its full API."""
        return self._store

    def replace_graph(self, graph_iri: str, graph: Graph) -> int:
        """Replace the named graph ``graph_iri`` by the triples of ``graph``; return their count."""
        name = ox.NamedNode(graph_iri)
        data = graph.serialize(format="nt", encoding="utf-8")
        if self._store.contains_named_graph(name):
            self._store.remove_graph(name)
        self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        return len(graph)

    def replace_graph_ntriples(self, graph_iri: str, data: bytes) -> None:
        """Replace the named graph ``graph_iri`` by N-Triples ``data`` (the build's fast path)."""
        name = ox.NamedNode(graph_iri)
        if self._store.contains_named_graph(name):
            self._store.remove_graph(name)
        self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=name)

    def drop_graph(self, graph_iri: str) -> None:
        name = ox.NamedNode(graph_iri)
        if self._store.contains_named_graph(name):
            self._store.remove_graph(name)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        self._store.flush()
