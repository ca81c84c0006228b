"""The last validation of a store, kept beside it for ``kg validate --changed``.

:mod:`kg.validate.incremental` keeps, per result, the result as N3 text
(:func:`kg.validate.results.encode`) and the row the report prints for it (the fields of a
:class:`~kg.validate.shacl.ShapeResult`), so that a run which re-checks one article reads back
the other ~20,000 results of a 10,000-article store as they were, without parsing a term or
looking up a source sentence again.

The file is ``marshal`` data of plain values (strings, numbers, lists, tuples, dicts) behind a
SHA-256 digest of it: marshal reads these in tens of milliseconds where JSON took 1.4 s, and
it is our own file, written atomically; the digest is checked before marshal reads a byte, so
a damaged or truncated file is never decoded, only refused (the caller then validates in
full). The version, the schema key and the engine that wrote it must match too.
"""
from __future__ import annotations

import hashlib
import marshal
from dataclasses import dataclass, field
from pathlib import Path

from kg.files import write_atomic

__all__ = ["Entry", "LastRun", "load", "save"]

FORMAT = 2  # changes whenever the layout of the file or of an entry changes
_DIGEST = hashlib.sha256().digest_size

#: one result: its terms as N3 text (kg.validate.results.encode), and its report row (the
#: fields of a ShapeResult, in order)
Entry = tuple[list[object], tuple[str | None, ...]]


@dataclass
class LastRun:
    """What a run left for the next one (see :mod:`kg.validate.incremental`)."""

    schema: str  # the schema key: shapes, ontology and reference data
    engine: str  # which validation path wrote the results ("compiled" or "pyshacl")
    prints: dict[str, str]  # each article graph's build fingerprint
    subclass_graphs: set[str]  # the article graphs holding rdfs:subClassOf triples
    core: list[Entry]
    sparql: list[list[Entry]]  # per SPARQL check, in the order of sparql_checks
    sizes: dict[str, int] = field(default_factory=dict)  # triples per article graph
    shared: dict[str, str] = field(default_factory=dict)  # digest of each article graph's shared part


def focus_of(entry: Entry) -> object:
    """The N3 text of the focus node of a kept result."""
    return entry[0][3]


def value_of(entry: Entry) -> object:
    """The N3 text of the value of a kept result (None when it has none)."""
    return entry[0][5]


def load(path: Path, schema: str, engine: str) -> LastRun | None:
    """The run kept in ``path`` for ``schema`` and ``engine``; None when there is none, it is
    of another version, schema or engine, or the file does not match its digest."""
    try:
        data = path.read_bytes()
        digest, body = data[:_DIGEST], data[_DIGEST:]
        if len(digest) != _DIGEST or hashlib.sha256(body).digest() != digest:
            return None
        kept = marshal.loads(body)
        if not isinstance(kept, dict) or kept.get("format") != FORMAT:
            return None
        if kept["schema"] != schema or kept["engine"] != engine:
            return None
        return LastRun(schema=kept["schema"], engine=kept["engine"], prints=kept["prints"],
                       subclass_graphs=set(kept["subclass_graphs"]), core=kept["core"], sparql=kept["sparql"],
                       sizes=kept["sizes"], shared=kept["shared"])
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None


def save(path: Path, run: LastRun) -> None:
    """Write ``run`` to ``path`` atomically (OSError when the folder cannot be written)."""
    body = marshal.dumps({"format": FORMAT, "schema": run.schema, "engine": run.engine, "prints": run.prints,
                          "subclass_graphs": sorted(run.subclass_graphs), "core": run.core, "sparql": run.sparql,
                          "sizes": run.sizes, "shared": run.shared})
    write_atomic(path, [hashlib.sha256(body).digest(), body])
