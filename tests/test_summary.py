"""The summary graph's counts (kg/graph/summary.py) equal a direct count of the store."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.graph.summary import distinct_triples
from kg.store.store import Store


def test_distinct_triples_counts_a_triple_held_in_two_graphs_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.load_dataset(b"""
<http://e/s> <http://e/p> "x" <http://e/g1> .
<http://e/s> <http://e/p> "x" <http://e/g2> .
<http://e/s> <http://e/p> "y" <http://e/g2> .
<http://e/s> <http://e/q> "x" <http://e/g1> .
<http://e/t> <http://e/p> "x" <http://e/g1> .
_:b <http://e/q> <http://e/s> <http://e/g2> .
""", ox.RdfFormat.N_QUADS)
    direct = next(iter(store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")))
    assert distinct_triples(store) == int(direct["n"].value) == 5
