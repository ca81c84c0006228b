"""Where queries run: the embedded store or a remote SPARQL endpoint, behind one interface.

Both hand back a :class:`QueryResult` whose rows hold plain Python values converted the
same way (:func:`python_value`), so a stored query gives the same rows on either.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox

from kg.query.binding import Term, with_values
from kg.query.limit import DEFAULT_TIMEOUT, run_limited
from kg.store.result_cache import ResultCache, query_key

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                    "positiveInteger", "nonPositiveInteger", "negativeInteger",
                                    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}
LIST_SEPARATOR = "|"


def python_value(term: Any) -> Any:
    """An RDF term as a plain value: IRIs as text, numbers and booleans as such, the rest lexical.

    >>> python_value(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")))
    3
    >>> python_value(ox.Literal("74400000000", datatype=ox.NamedNode(XSD + "decimal")))
    74400000000.0
    >>> python_value(ox.NamedNode("https://w3id.org/vjkg/id/state/JP"))
    'https://w3id.org/vjkg/id/state/JP'
    """
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return term.value


@dataclass
class QueryResult:
    """What a query gave: rows for SELECT, a boolean for ASK, triples for CONSTRUCT."""

    form: str
    columns: tuple[str, ...] = ()
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


def result_from_oxigraph(result: Any, columns: tuple[str, ...], lists: Iterable[str]) -> QueryResult:
    """Turn Oxigraph's solutions, boolean or triples into a :class:`QueryResult`."""
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", ("result",), [{"result": bool(result)}], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = columns or tuple(v.value for v in result.variables)
        list_columns = set(lists)
        rows = []
        for solution in result:
            row = {}
            for name in names:
                value = python_value(solution[name])
                if name in list_columns:
                    value = sorted(set(value.split(LIST_SEPARATOR))) if value else []
                row[name] = value
            rows.append(row)
        return QueryResult("SELECT", names, rows)
    triples = list(result)
    rows = [{"subject": python_value(t.subject), "predicate": python_value(t.predicate),
             "object": python_value(t.object)} for t in triples]
    return QueryResult("CONSTRUCT", ("subject", "predicate", "object"), rows, triples=triples)


class Backend(Protocol):
    """Runs a read-only query with variables bound to terms, within ``timeout`` seconds."""

    @property
    def timeout(self) -> float | None: ...

    def execute(self, sparql: str, bindings: Mapping[str, Term], *, lists: Iterable[str] = (),
                columns: tuple[str, ...] = ()) -> QueryResult: ...


def with_timeout(backend: Backend, timeout: float | None) -> Backend:
    """A copy of ``backend`` whose queries stop after ``timeout`` seconds (the same one when
    ``timeout`` is ``None``); the store, cache and connection settings are shared."""
    if timeout is None:
        return backend
    limited = copy.copy(backend)
    setattr(limited, "timeout", timeout)  # noqa: B010 - the protocol shows it read-only
    return limited


class EmbeddedBackend:
    """The embedded store; bindings go in as a leading ``VALUES`` block (:mod:`kg.query.binding`).

    With a ``cache``, a SELECT or ASK answer already computed on this state of the store is
    read back instead of evaluated again (:mod:`kg.store.result_cache`). An evaluation is
    stopped after ``timeout`` seconds (:mod:`kg.query.limit`; ``None``: no limit).
    """

    def __init__(self, store: Any, cache: ResultCache | None = None,
                 timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.store = store
        self.cache = cache
        self.timeout = timeout

    def execute(self, sparql: str, bindings: Mapping[str, Term], *, lists: Iterable[str] = (),
                columns: tuple[str, ...] = ()) -> QueryResult:
        bound = with_values(sparql, bindings)
        lists = tuple(lists)
        key = query_key(bound, columns, lists) if self.cache else ""
        if self.cache and (entry := self.cache.get(key)):
            return QueryResult(entry["form"], tuple(entry["columns"]), entry["rows"], entry["boolean"])
        result = run_limited(lambda: result_from_oxigraph(self.store.query(bound), columns, lists),
                             self.timeout)
        if self.cache and result.form != "CONSTRUCT":
            self.cache.put(key, {"form": result.form, "columns": list(result.columns),
                                 "rows": result.rows, "boolean": result.boolean})
        return result
