"""Data and shapes read as written, for validation: rdflib graphs, never a rewriting store.

pyoxigraph's store rewrites literals to their canonical form ("01"^^xsd:integer becomes
"1", "5"^^xsd:int becomes "5"^^xsd:integer), which ``sh:datatype`` and ``sh:pattern`` can see;
a validator must check the data as its author wrote it. Files are parsed by rdflib by
extension, each with its own location as base IRI (as rdflib and pySHACL do). Bad input
becomes an :class:`~kg.errors.InputError` naming the file (and the line, where pyoxigraph's
parser can tell it).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from kg.errors import InputError
from kg.validate.results import as_written
from kg.validate.sparql import to_rdflib

__all__ = ["FORMATS", "as_rdflib", "oxigraph_copy", "read_graph", "turtle"]

#: file extension -> rdflib parser
FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".n3": "n3", ".jsonld": "json-ld",
           ".json": "json-ld", ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".trig": "trig", ".nq": "nquads"}
_QUADS = {"trig", "nquads"}


def _syntax_line(path: Path) -> str:
    """Where pyoxigraph's parser stops in a file rdflib refused (rdflib's messages rarely say)."""
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if rdf_format is None:
        return ""
    try:
        for _ in ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        return f", line {exc.lineno}" if exc.lineno else ""
    except (OSError, ValueError):
        return ""
    return ""


def _parse_into(graph: Graph, path: Path, rdf_format: str) -> None:
    if rdf_format in _QUADS:
        dataset = Dataset()
        dataset.parse(path, format=rdf_format)
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph.parse(path, format=rdf_format)


def read_graph(paths: Iterable[Path], *, allow_empty: bool = False) -> Graph:
    """Every file of ``paths`` in one rdflib graph (named graphs of TriG/N-Quads merged)."""
    graph = Graph()
    for path in map(Path, paths):
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        rdf_format = FORMATS.get(path.suffix.lower())
        if rdf_format is None:
            known = ", ".join(sorted(FORMATS))
            raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (use one of {known})")
        before = len(graph)
        try:
            with as_written():
                _parse_into(graph, path, rdf_format)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text: {exc.reason}") from exc
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc}") from exc
        except Exception as exc:  # rdflib raises many unrelated types for malformed input
            name = {"turtle": "Turtle", "nt": "N-Triples", "xml": "RDF/XML", "json-ld": "JSON-LD"}.get(
                rdf_format, rdf_format)
            detail = " ".join(str(exc).split())[:200]
            raise InputError(f"{path}{_syntax_line(path)}: not valid {name}: {detail}") from exc
        if len(graph) == before and not allow_empty:
            raise InputError(f"{path}: contains no triples")
    return graph


def as_rdflib(store: ox.Store) -> Graph:
    """The default graph of ``store`` as an rdflib graph (blank node labels kept)."""
    graph = Graph()
    cache: dict[object, Identifier] = {}

    def term(node: object) -> Identifier:
        found = cache.get(node)
        if found is None:
            found = cache[node] = to_rdflib(node)
        return found
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"not an RDF term: {term!r}")


def oxigraph_copy(graph: Graph) -> tuple[ox.Store | None, bool]:
    """An Oxigraph store with the triples of ``graph`` (None if it cannot hold them), and
    whether it keeps every literal as written (else a query there could report another
    value than the data's)."""
    store = ox.Store()
    literals: set[tuple[str, str | None, str | None]] = set()
    quads = []
    default = ox.DefaultGraph()
    try:
        for s, p, o in graph:
            quads.append(ox.Quad(_ox(s), _ox(p), _ox(o), default))  # type: ignore[arg-type]
            if isinstance(o, Literal):
                literals.add((str(o), o.language, str(o.datatype) if o.datatype else None))
    except (ValueError, TypeError):
        return None, False
    store.extend(quads)
    kept: set[tuple[str, str | None, str | None]] = set()
    for quad in store.quads_for_pattern(None, None, None, default):
        value = quad.object
        if isinstance(value, ox.Literal):
            datatype = None if value.language or value.datatype.value == str(XSD.string) else value.datatype.value
            kept.add((value.value, value.language, datatype))
    return store, kept == literals


def turtle(graph: Graph, prefixes: dict[str, str]) -> str:
    """``graph`` as Turtle with every literal quoted as written: one N-Triples line per triple
    (N-Triples is Turtle), sorted. Serializers that write ``"01"^^xsd:integer`` bare as
    ``01`` are read back by rdflib as ``"1"``, and rdflib writes an ill-typed
    ``"a"^^xsd:integer`` in a form no parser reads back; ``prefixes`` only name namespaces
    for a reader's convenience."""
    triples = [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in graph]  # type: ignore[arg-type]
    lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines()  # type: ignore[union-attr]
    header = [f"@prefix {name}: <{namespace}> ." for name, namespace in sorted(prefixes.items())]
    return "\n".join(header + [""] + sorted(lines)) + "\n"
