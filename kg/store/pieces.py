"""Each graph's share of every export format, computed once when the graph is written.

Reading a graph back from the on-disk store costs a lookup per IRI and literal (Oxigraph
decodes strings from RocksDB), about 150,000 quads a second whatever the output format. So
``kg build`` writes, next to the store, each article graph's *pieces*: its sorted N-Quads
lines, its Turtle body, and (for the merged graph) the part of its triples that no other
graph can hold, in N-Triples, Turtle and JSON-LD. An export then only joins files.

The pieces are a cache, never the source of truth: a file is used only when it records the
build fingerprint the store holds for its graph and has its full length; otherwise the
pieces are computed from the store, with the same function, so the bytes are the same.

Local triples are those whose subject IRI is minted from the article's stem
(``vjr:meeting/{stem}/…``, ``vjr:article/{stem}``): two articles can never both hold one.
The others (persons, organisations, places, the bilateral relationship) repeat across
articles and are deduplicated when the merged graph is assembled.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, fields
from pathlib import Path

import pyoxigraph as ox

from kg.files import temporary_prefix
from kg.namespaces import PREFIXES, VJG

ARTICLE_PREFIX = f"{VJG}article/"
MAGIC = b"vjkg-export-pieces 1"
FINGERPRINT_PREDICATE = b"<https://w3id.org/vjkg/ontology#buildFingerprint>"


@dataclass(frozen=True)
class GraphPieces:
    """One graph's bytes in every export format; each is fixed by the graph's triples."""

    nquads: bytes  # sorted N-Quads lines
    turtle: bytes  # Turtle body without @prefix lines (one TriG block)
    local_ntriples: bytes  # sorted N-Triples of the triples only this graph can hold
    local_turtle: bytes
    local_jsonld: bytes  # JSON-LD node objects, comma-separated, without the brackets
    shared_ntriples: bytes  # sorted N-Triples of the triples other graphs may repeat


def in_graph(ntriples: bytes, graph_iri: str) -> bytes:
    """The N-Triples ``ntriples`` as N-Quads of the graph ``graph_iri``."""
    # N-Triples escapes line breaks inside literals, so " .\n" only ever ends a line.
    return ntriples.replace(b" .\n", b" <" + graph_iri.encode() + b"> .\n")


def _joined(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n" if lines else b""


def _triples(lines: list[bytes]) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(_joined(lines), format=ox.RdfFormat.N_TRIPLES)]


def turtle_body(lines: list[bytes], triples: list[ox.Triple] | None = None) -> bytes:
    """Turtle of the N-Triples ``lines`` with the project's prefixes, minus the @prefix lines.
    ``triples``, when given, are those of ``lines`` in the same order (spares parsing them)."""
    if not lines:
        return b""
    data = ox.serialize(_triples(lines) if triples is None else triples, format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES) or b""
    body = data.split(b"\n")
    start = next((i for i, line in enumerate(body) if not line.startswith(b"@prefix ")), len(body))
    return b"\n".join(body[start:]).strip(b"\n") + b"\n"


def jsonld_nodes(lines: list[bytes], triples: list[ox.Triple] | None = None) -> bytes:
    """JSON-LD node objects of the N-Triples ``lines``, without the enclosing array brackets
    (``triples`` as for :func:`turtle_body`)."""
    if not lines:
        return b""
    data = ox.serialize(_triples(lines) if triples is None else triples, format=ox.RdfFormat.JSON_LD) or b""
    return data.strip()[1:-1]


def _marks(graph_iri: str) -> tuple[bytes, bytes] | None:
    """What a local subject of the article graph ``graph_iri`` holds (None: not an article graph)."""
    if not graph_iri.startswith(ARTICLE_PREFIX):
        return None
    stem = graph_iri[len(ARTICLE_PREFIX):].encode()
    return b"/" + stem + b"/", b"/" + stem + b">"


def _is_local(line: bytes, marks: tuple[bytes, bytes] | None) -> bool:
    if marks is None:
        return False
    subject = line.split(b" ", 1)[0]
    return marks[0] in subject or subject.endswith(marks[1])


def is_local_subject(graph_iri: str, subject: str) -> bool:
    """Whether ``subject`` (N-Triples form, ``<iri>``) is minted from the article graph
    ``graph_iri``'s stem, so that no other graph can hold its triples."""
    return _is_local(subject.encode(), _marks(graph_iri))


def graph_pieces(graph_iri: str, lines: list[bytes], only: Collection[str] | None = None,
                 triples: list[ox.Triple] | None = None) -> GraphPieces:
    """The pieces of the graph ``graph_iri`` from its sorted, distinct N-Triples ``lines``.

    ``only`` names the fields one export needs (the others stay empty), to spare the work.
    ``triples`` are those of ``lines`` in the same order, when the caller has them (the
    build does): parsing the lines back costs more than writing every format from them.
    """
    marks = _marks(graph_iri)
    if triples is None and (only is None or {"turtle", "local_turtle", "local_jsonld"} & set(only)):
        triples = _triples(lines)
    local: list[bytes] = []
    shared: list[bytes] = []
    local_triples: list[ox.Triple] = []
    subject: bytes | None = None
    is_local = False
    for index, line in enumerate(lines):
        if subject is None or not line.startswith(subject):  # sorted: a subject's lines come together
            subject = line[:line.find(b" ") + 1]
            is_local = _is_local(line, marks)
        if is_local:
            local.append(line)
            if triples is not None:
                local_triples.append(triples[index])
        else:
            shared.append(line)
    makers: dict[str, Callable[[], bytes]] = {
        "nquads": lambda: in_graph(_joined(lines), graph_iri),
        "turtle": lambda: turtle_body(lines, triples),
        "local_ntriples": lambda: _joined(local),
        "local_turtle": lambda: turtle_body(local, local_triples),
        "local_jsonld": lambda: jsonld_nodes(local, local_triples),
        "shared_ntriples": lambda: _joined(shared),
    }
    return GraphPieces(**{name: make() if only is None or name in only else b""
                          for name, make in makers.items()})


def fingerprint_of(data: bytes) -> str | None:
    """The build fingerprint recorded in the N-Triples lines ``data``, if any (one search of
    the bytes, not one per line)."""
    at = data.find(FINGERPRINT_PREDICATE)
    if at < 0:
        return None
    start = data.rfind(b"\n", 0, at) + 1
    return data[start:data.find(b"\n", at)].split(b'"')[1].decode()


def save_pieces(folder: Path, graph_iri: str, lines: list[bytes],
                triples: list[ox.Triple] | None = None) -> GraphPieces:
    """The pieces of an article graph from its sorted, distinct N-Triples ``lines`` (and their
    ``triples``, see :func:`graph_pieces`), stored in ``folder`` when they can be trusted
    later: the lines record the build fingerprint and hold no blank-node labels (those the
    store assigns vary)."""
    pieces = graph_pieces(graph_iri, lines, triples=triples)
    # Every line is in the local or the shared piece: their bytes are searched, not each line.
    fingerprint = fingerprint_of(pieces.local_ntriples) or fingerprint_of(pieces.shared_ntriples)
    if fingerprint is not None and b"_:" not in pieces.local_ntriples and b"_:" not in pieces.shared_ntriples:
        write_pieces(folder, graph_iri, fingerprint, pieces)
    return pieces


def _header_start(fingerprint: str) -> bytes:
    """How every piece file made from ``fingerprint`` begins; its body's length follows."""
    return b"%s %s " % (MAGIC, fingerprint.encode())


LONGEST_NAME = 160  # bytes of a piece file's stem; longer (percent-encoded) names are hashed


def pieces_file(folder: Path, graph_iri: str, piece: str) -> Path:
    stem = graph_iri[len(ARTICLE_PREFIX):]
    if len(stem.encode("utf-8")) > LONGEST_NAME:
        stem = "sha256-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()
    return folder / f"{stem}.{piece}"


def piece_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(GraphPieces))


def write_pieces(folder: Path, graph_iri: str, fingerprint: str, pieces: GraphPieces) -> None:
    """Store ``pieces`` for an article graph, one file each, so an export reads only its own.

    Each file starts with a line naming the fingerprint and the body's length, and is written
    to a temporary file then renamed: a reader never takes half a file for a whole one. The
    temporary file is named by the writing process (one file at a time per process), and
    created with mode 0666 for the kernel to apply the user's umask: six files an article,
    so the build spares ``mkstemp``'s random names and a ``chmod`` each.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for piece in piece_names():
        body = getattr(pieces, piece)
        target = pieces_file(folder, graph_iri, piece)
        temporary = folder / f"{temporary_prefix(target.name)}w.tmp"
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
            try:
                _write_all(handle, _header_start(fingerprint) + b"%d\n" % len(body) + body)
            finally:
                os.close(handle)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


def read_pieces(folder: Path, graph_iri: str, fingerprint: str | None,
                wanted: Collection[str]) -> GraphPieces | None:
    """The ``wanted`` stored pieces of ``graph_iri`` (others empty) if all were made from
    ``fingerprint`` and are whole; else ``None``."""
    if fingerprint is None:
        return None
    parts = dict.fromkeys(piece_names(), b"")
    expected = _header_start(fingerprint)
    for piece in wanted:
        try:
            data = pieces_file(folder, graph_iri, piece).read_bytes()
        except OSError:
            return None
        header, _, body = data.partition(b"\n")
        if not header.startswith(expected) or header[len(expected):] != str(len(body)).encode():
            return None
        parts[piece] = body
    return GraphPieces(**parts)


def pieces_whole(folder: Path, graph_iri: str, fingerprint: str | None, wanted: Collection[str]) -> bool:
    """Whether :func:`read_pieces` would find the ``wanted`` pieces, judged from each file's
    header and size without reading its body."""
    if fingerprint is None:
        return False
    expected = _header_start(fingerprint)
    for piece in wanted:
        path = pieces_file(folder, graph_iri, piece)
        try:
            with path.open("rb") as handle:
                header = handle.readline(len(expected) + 32)
            size = path.stat().st_size
        except OSError:
            return False
        declared = header[len(expected):].rstrip(b"\n")
        if not header.startswith(expected) or not declared.isdigit() or size != len(header) + int(declared):
            return False
    return True


def drop_pieces(folder: Path, graph_iri: str | None = None) -> None:
    """Forget the pieces of ``graph_iri`` (of every graph when ``None``)."""
    if not folder.is_dir():
        return
    if graph_iri is None:
        for path in folder.iterdir():
            path.unlink(missing_ok=True)
    elif graph_iri.startswith(ARTICLE_PREFIX):
        for piece in piece_names():
            pieces_file(folder, graph_iri, piece).unlink(missing_ok=True)
