"""Exports of the built graph, byte-identical across rebuilds and input orders.

The merged graph (Turtle, N-Triples, JSON-LD) is the union of the selected named graphs; the
per-article graphs are kept in N-Quads and TriG. Determinism comes from sorting canonical
N-Triples lines (one triple per line, Oxigraph's canonical escaping) before Oxigraph
serialises them with the project's prefixes, and from naming blank nodes with W3C RDF
Dataset Canonicalization (RDFC-1.0) instead of the store's random labels.

By default only the article graphs are exported: the ontology and the reference data are
already Turtle in git (``ontology/``). ``include=("reference", "ontology")`` adds them; their
blank nodes (OWL restrictions, lists) then get RDFC-1.0 labels.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH, VJG
from kg.store import Store

FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = ("nq", "trig")
EXTRA_GRAPHS = {"reference": str(REFERENCE_GRAPH), "ontology": str(ONTOLOGY_GRAPH)}
ARTICLE_PREFIX = f"{VJG}article/"


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
            lines[g] = _lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    return {g: sorted(set(graph_lines)) for g, graph_lines in lines.items()}


def export_bytes(store: Store, fmt: str, include: Iterable[str] = ()) -> bytes:
    """The selected graphs of ``store`` serialised in ``fmt`` (a key of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    graphs = selected_graphs(store, include)
    lines = _canonical_lines(store, graphs)
    if fmt in DATASET_FORMATS:
        quads = b"".join(line[:-1] + b"<" + g.encode() + b"> .\n"
                         for g in graphs for line in lines[g])
        if fmt == "nq":
            return quads
        parsed = ox.parse(quads, format=ox.RdfFormat.N_QUADS)
        return _sorted_prefixes(ox.serialize(parsed, format=FORMATS[fmt], prefixes=PREFIXES))
    merged = b"".join(line + b"\n" for line in sorted({l for g in graphs for l in lines[g]}))
    if fmt == "nt":
        return merged
    triples = (q.triple for q in ox.parse(merged, format=ox.RdfFormat.N_TRIPLES))
    if fmt == "ttl":
        return _sorted_prefixes(ox.serialize(triples, format=FORMATS[fmt], prefixes=PREFIXES))
    return ox.serialize(triples, format=FORMATS[fmt])


def _sorted_prefixes(data: bytes) -> bytes:
    """The serialiser's ``@prefix`` lines in a fixed (alphabetical) order.

    Oxigraph writes them in the order of an internal map, which no version promises to keep.
    """
    lines = data.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")), len(lines))
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A reader never sees half a file, and a failed export leaves the old file in place.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
