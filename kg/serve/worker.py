"""A query worker: a child process that evaluates queries on a read-only store snapshot.

The server keeps a few of these (:mod:`kg.serve.pool`) and never evaluates a query itself:
Oxigraph cannot stop a running query, but a process can be killed, so a query past its time
limit costs nothing once its worker is gone. Each worker answers one request at a time over
its stdin/stdout: a frame is a 4-byte big-endian length and that many bytes; a request is one
JSON frame, an answer a JSON header frame and a body frame (the serialised result).

Only pyoxigraph is imported here, so a replacement worker starts in a fraction of a second.
"""
from __future__ import annotations

import json
import struct
import sys
from typing import Any, BinaryIO

import pyoxigraph as ox

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
_LENGTH = struct.Struct(">I")


def read_frame(stream: BinaryIO) -> bytes | None:
    """One frame's bytes, or ``None`` at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    return stream.read(_LENGTH.unpack(head)[0])


def frame(data: bytes) -> bytes:
    return _LENGTH.pack(len(data)) + data


class Evaluator:
    """Holds the snapshot, reopened when the server says the store's state has changed."""

    def __init__(self) -> None:
        self.store: ox.Store | None = None
        self.opened: tuple[str, str] | None = None

    def snapshot(self, location: str, state: str) -> ox.Store:
        if self.store is None or self.opened != (location, state):
            self.store = ox.Store.read_only(location)
            self.opened = (location, state)
        return self.store

    def answer(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """The header and body answering one request (errors are answers too)."""
        try:
            store = self.snapshot(request["store"], request["state"])
            result = store.query(request["query"], use_default_graph_as_union=True)
        except SyntaxError as exc:
            return {"error": "syntax", "message": str(exc)}, b""
        except OSError as exc:
            return {"error": "store", "message": str(exc)}, b""
        name = request["format"]
        if isinstance(result, ox.QueryTriples):
            if name not in GRAPH_FORMATS:
                return {"error": "format", "message": f"a graph cannot be given as {name}"}, b""
            rdf_format = GRAPH_FORMATS[name]
            body = ox.serialize(result, format=rdf_format, prefixes=request.get("prefixes") or None) or b""
            return {"media_type": rdf_format.media_type}, body
        if name not in RESULT_FORMATS:
            return {"error": "format", "message": f"solutions cannot be given as {name}"}, b""
        results_format = RESULT_FORMATS[name]
        try:
            body = result.serialize(format=results_format) or b""
        except (ValueError, OSError) as exc:  # a boolean has no CSV or TSV form
            return {"error": "format", "message": f"this answer cannot be given as {name}: {exc}"}, b""
        return {"media_type": results_format.media_type}, body


def _die_with_the_server() -> None:
    """Ask Linux to kill this worker when the server that started it dies (even by SIGKILL),
    so no orphan goes on evaluating a query nobody waits for."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG
    try:
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def main() -> None:
    """Answer requests until the server closes the pipe (or kills this process)."""
    _die_with_the_server()
    evaluator = Evaluator()
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while (data := read_frame(source)) is not None:
        header, body = evaluator.answer(json.loads(data))
        sink.write(frame(json.dumps(header).encode()) + frame(body))
        sink.flush()


if __name__ == "__main__":
    main()
