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
from collections.abc import Iterable, Mapping


from kg.store.pieces import graph_pieces, is_local_subject, read_pieces
from kg.store.store import Store

__all__ = ["shared_digests", "local_subjects"]

_SHARED = ("shared_ntriples",)


def _shared_part(store: Store, graph: str, fingerprint: str | None) -> bytes | None:
    pieces = read_pieces(store.export_cache, graph, fingerprint, _SHARED)
    if pieces is not None:
        return pieces.shared_ntriples
    lines = store.graph_lines(graph)
    if any(b"_:" in line for line in lines):
        return None
    return graph_pieces(graph, lines, only=_SHARED).shared_ntriples


def shared_digests(store: Store, graphs: Iterable[str], fingerprints: Mapping[str, str]) -> dict[str, str]:
    """The SHA-256 of the shared part of each article graph of ``graphs`` that has one
    (none for a graph with blank nodes); ``fingerprints``: the graphs' build fingerprints, as
    the pieces record them (a piece made from another is not used)."""
    digests: dict[str, str] = {}
    for graph in sorted(set(graphs)):
        part = _shared_part(store, graph, fingerprints.get(graph))
        if part is not None:
            digests[graph] = hashlib.sha256(part).hexdigest()
    return digests


def local_subjects(graph: str, subjects: Iterable[str]) -> set[str]:
    """The ``subjects`` (N-Triples form) minted from the article graph ``graph``'s stem."""
    return {s for s in subjects if is_local_subject(graph, s)}
