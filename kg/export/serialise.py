"""Exports of the built graph, byte-identical across rebuilds and input orders.

The merged graph (Turtle, N-Triples, JSON-LD) is the union of the selected named graphs; the
per-article graphs are kept in N-Quads and TriG. Every output is joined from per-graph
pieces (:mod:`kg.store.pieces`): each graph's canonical N-Triples lines, sorted, turned
into each format. ``kg build`` stores the pieces of every article graph next to the store,
so an export reads files instead of decoding the whole store; a graph without valid stored
pieces gets them computed from the store, with the same function and the same bytes.

Triples that several articles repeat (a person, an organisation) are deduplicated and sorted
once, after every article's own triples. Blank nodes (the ontology's OWL restrictions and
lists) are named with W3C RDF Dataset Canonicalization (RDFC-1.0) instead of the store's
random labels.

By default only the article graphs are exported: the ontology and the reference data are
already Turtle in git (``ontology/``). ``include=("reference", "ontology")`` adds them.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.errors import InputError
from kg.files import internal_query
from kg.store.pieces import (ARTICLE_PREFIX, GraphPieces, graph_pieces, jsonld_nodes, pieces_whole,
                              read_pieces, turtle_body)
from kg.namespaces import ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH
from kg.store.store import Store

FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = ("nq", "trig")
EXTRA_GRAPHS = {"reference": str(REFERENCE_GRAPH), "ontology": str(ONTOLOGY_GRAPH)}
PREFIX_HEADER = b"".join(sorted(f"@prefix {name}: <{iri}> .\n".encode() for name, iri in PREFIXES.items()))
PIECES_NEEDED = {"nq": ("nquads",), "trig": ("turtle",), "nt": ("local_ntriples", "shared_ntriples"),
                 "ttl": ("local_turtle", "shared_ntriples"), "jsonld": ("local_jsonld", "shared_ntriples")}


def selected_graphs(store: Store, include: Iterable[str] = ()) -> list[str]:
    """The article graphs, plus the named extra graphs (``reference``, ``ontology``), sorted."""
    include = set(include)
    unknown = sorted(include - set(EXTRA_GRAPHS))
    if unknown:
        raise InputError(f"cannot include {', '.join(unknown)} (choose from {', '.join(EXTRA_GRAPHS)})")
    names = store.graph_names()
    wanted = {EXTRA_GRAPHS[name] for name in include}
    return [g for g in names if g.startswith(ARTICLE_PREFIX) or g in wanted]


def _lines(data: bytes) -> list[bytes]:
    return [line for line in data.split(b"\n") if line]


def _canonical_lines(store: Store, graphs: list[str]) -> dict[str, list[bytes]]:
    """Graph IRI -> its sorted N-Triples lines, blank nodes named by RDFC-1.0."""
    dumps = {g: store.dump_graph(g) for g in graphs}
    lines = {g: _lines(data) for g, data in dumps.items()}
    with_blanks = [g for g in graphs if b"_:" in dumps[g]]  # a literal with "_:" only costs time
    if with_blanks:
        dataset = ox.Dataset(q for g in with_blanks for q in store.quads(g))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        for g in with_blanks:
            name = ox.NamedNode(g)
            triples = (q.triple for q in dataset if q.graph_name == name)
            lines[g] = _lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    return {g: sorted(set(graph_lines)) for g, graph_lines in lines.items()}


def _stored_fingerprints(store: Store) -> dict[str, str]:
    return {row["g"].value: row["f"].value for row in store.select(internal_query("build-fingerprints"))}


def iter_pieces(store: Store, graphs: list[str], fmt: str) -> Iterator[GraphPieces]:
    """The pieces of ``graphs``, in order, one graph at a time (the whole set of an archive
    would not fit in memory): stored ones when valid, else computed from the store (only
    those ``fmt`` needs)."""
    fingerprints = _stored_fingerprints(store)
    needed = PIECES_NEEDED[fmt]
    # Graphs without whole stored pieces are computed together, as one dataset: that is how
    # their blank nodes get canonical labels (the ontology's, in practice).
    missing = [g for g in graphs if not pieces_whole(store.export_cache, g, fingerprints.get(g), needed)]
    computed = {g: graph_pieces(g, lines, only=needed) for g, lines in _canonical_lines(store, missing).items()}
    for g in graphs:
        found = computed.pop(g, None) or read_pieces(store.export_cache, g, fingerprints.get(g), needed)
        if found is None:  # the file changed since it was checked: compute it alone
            found = graph_pieces(g, _canonical_lines(store, [g])[g], only=needed)
        yield found


def export_chunks(store: Store, fmt: str, include: Iterable[str] = ()) -> Iterator[bytes]:
    """The selected graphs of ``store`` serialised in ``fmt`` (a key of :data:`FORMATS`), as a
    stream of byte chunks: one graph's piece at a time, then the shared triples."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    graphs = selected_graphs(store, include)
    pieces = iter_pieces(store, graphs, fmt)
    if fmt == "nq":
        yield from (p.nquads for p in pieces)
        return
    if fmt == "trig":
        yield PREFIX_HEADER + b"\n"
        for index, (g, p) in enumerate(zip(graphs, pieces)):
            yield (b"\n" if index else b"") + b"<" + g.encode() + b"> {\n" + p.turtle + b"}\n"
        return
    shared: set[bytes] = set()
    if fmt == "ttl":
        yield PREFIX_HEADER + b"\n"
    if fmt == "jsonld":
        yield b"["
    written = False
    for p in pieces:
        shared.update(line for line in p.shared_ntriples.split(b"\n") if line)
        local = {"nt": p.local_ntriples, "ttl": p.local_turtle, "jsonld": p.local_jsonld}[fmt]
        if local:
            yield (b"," if fmt == "jsonld" and written else b"") + local
            written = True
    ordered = sorted(shared)
    if fmt == "nt":
        yield b"".join(line + b"\n" for line in ordered)
    elif fmt == "ttl":
        yield turtle_body(ordered)
    else:
        nodes = jsonld_nodes(ordered)
        yield (b"," if written and nodes else b"") + nodes + b"]"


def export_bytes(store: Store, fmt: str, include: Iterable[str] = ()) -> bytes:
    """The whole export in memory (tests, small graphs); :func:`export_chunks` streams it."""
    return b"".join(export_chunks(store, fmt, include))
