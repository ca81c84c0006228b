"""The graph a check works on: the built store or data files, plus the schema, in one place.

Validation and reasoning both need "the data and the T-box together" in one graph. It is
gathered into an in-memory pyoxigraph store (the default graph is the union), because
pyoxigraph parses an order of magnitude faster than rdflib and pySHACL can validate it
directly. Bad input becomes an :class:`~kg.errors.InputError` naming the file and the line.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.files import ONTOLOGY_DIR, REFERENCE_DIR
from kg.store.store import Store

__all__ = ["ontology_files", "reference_files", "schema_files", "working_graph", "add_files", "add_store_union"]


def ontology_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """The T-box files (``ontology/*.ttl``), in name order."""
    return sorted(directory.glob("*.ttl"))


def reference_files(directory: Path = REFERENCE_DIR) -> list[Path]:
    """The curated reference data (``ontology/reference/*.ttl``), in name order."""
    return sorted(directory.glob("*.ttl"))


def schema_files(*, with_reference: bool = True) -> list[Path]:
    """The T-box and, unless told otherwise, the curated reference data, in name order."""
    return ontology_files() + (reference_files() if with_reference else [])


def _format_of(path: Path) -> ox.RdfFormat:
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower() or "ttl")
    if rdf_format is None:
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (use .ttl, .nt, .nq, .trig or .rdf)")
    return rdf_format


def _into_default_graph(statements: Iterable[ox.Triple | ox.Quad]) -> Iterable[ox.Quad]:
    default = ox.DefaultGraph()
    return (ox.Quad(s.subject, s.predicate, s.object, default) for s in statements)


def add_files(target: ox.Store, paths: Iterable[Path], *, allow_empty: bool = False) -> None:
    """Parse each RDF file into the default graph of ``target`` (named graphs are merged).

    Raises InputError for a missing, unreadable, malformed or (unless ``allow_empty``) empty file.
    """
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        rdf_format = _format_of(path)
        try:
            quads = list(ox.parse(path=str(path), format=rdf_format, rename_blank_nodes=True))
        except SyntaxError as exc:
            where = f", line {exc.lineno}" if exc.lineno else ""
            raise InputError(f"{path}{where}: not valid {rdf_format.name}: {exc.msg}") from exc
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: cannot read: {exc}") from exc
        if not quads and not allow_empty:
            raise InputError(f"{path}: contains no triples")
        target.extend(_into_default_graph(quads))


def add_store_union(target: ox.Store, store_dir: Path) -> int:
    """Copy every quad of the built store into the default graph of ``target``; return the count."""
    store = Store(store_dir, read_only=True)
    quads = list(store.quads())
    target.extend(_into_default_graph(quads))
    return len(quads)


def working_graph(*, store_dir: Path | None = None, data_files: Sequence[Path] = (),
                  with_reference: bool = False) -> ox.Store:
    """One in-memory store holding the data (``data_files`` if given, else the union of the
    store in ``store_dir``), the ontology, and the curated reference data if asked for.

    The built store already holds the reference data (graph ``vjg:reference``); a data file
    holds it only if it was exported with it, hence ``with_reference``.
    """
    target = ox.Store()
    if data_files:
        add_files(target, data_files)
    elif store_dir is not None:
        add_store_union(target, store_dir)
    add_files(target, schema_files(with_reference=with_reference), allow_empty=True)
    return target
