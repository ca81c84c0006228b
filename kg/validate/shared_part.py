"""Whether an edit to an article left its shared triples alone: a digest of each graph's shared part.

An article graph holds local triples, whose subjects are minted from its stem, and shared
ones: persons, organisations, the bilateral relationship, which other graphs repeat
(:mod:`kg.store.pieces`). A shared subject is often a hub: at 10,000 articles hundreds of nodes
point at the relationship of two states. ``kg validate --changed`` counts every subject of a
changed graph as changed, and re-checks what points at it; when the graph's shared part is
byte for byte what it was, its shared subjects have the same triples in that graph as before,
so only its local subjects changed. The digest is of the ``shared_ntriples`` piece the build
wrote (sorted, distinct N-Triples), read from the piece file when it matches the graph's
build fingerprint, else made from the store the same way. A graph with blank nodes gets no
digest: its labels are not stable, and it counts as changed in full.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

from kg.store.pieces import graph_pieces, is_local_subject, read_pieces
from kg.store.store import Store

__all__ = ["shared_digests", "local_subjects"]

_FINGERPRINT = ox.NamedNode("https://w3id.org/vjkg/ontology#buildFingerprint")
_SHARED = ("shared_ntriples",)


def _build_fingerprints(store: Store, graphs: set[str]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for quad in store.oxigraph.quads_for_pattern(None, _FINGERPRINT, None, None):
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value in graphs and isinstance(quad.object, ox.Literal):
            found.setdefault(graph.value, []).append(quad.object.value)
    return {g: marks[0] for g, marks in found.items() if len(marks) == 1}


def _shared_part(store: Store, graph: str, fingerprint: str | None) -> bytes | None:
    pieces = read_pieces(store.export_cache, graph, fingerprint, _SHARED)
    if pieces is not None:
        return pieces.shared_ntriples
    data = store.dump_graph(graph)
    if b"_:" in data:
        return None
    lines = sorted({line for line in data.split(b"\n") if line})
    return graph_pieces(graph, lines, only=_SHARED).shared_ntriples


def shared_digests(store: Store, graphs: Iterable[str]) -> dict[str, str]:
    """The SHA-256 of the shared part of each article graph of ``graphs`` that has one
    (none for a graph with blank nodes)."""
    wanted = set(graphs)
    fingerprints = _build_fingerprints(store, wanted)
    digests: dict[str, str] = {}
    for graph in sorted(wanted):
        part = _shared_part(store, graph, fingerprints.get(graph))
        if part is not None:
            digests[graph] = hashlib.sha256(part).hexdigest()
    return digests


def local_subjects(graph: str, subjects: Iterable[str]) -> set[str]:
    """The ``subjects`` (N-Triples form) minted from the article graph ``graph``'s stem."""
    return {s for s in subjects if is_local_subject(graph, s)}
