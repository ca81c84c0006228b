"""Stored-query parameters: text from the user to RDF terms, checked by type.

A value becomes a term (an IRI, a typed literal) and is bound to the query's variable by
the backend; it is never pasted into the query text, so ``"} ; DROP ALL #`` is at most an
odd string literal. Typed parameters (iri, date, integer, decimal, state, indicator) refuse
any value that is not of their type. States are found by name, alternative name or ISO code
("Japan", "JP", "Viet Nam"), indicators by code, entities by IRI or label — all by a query
on the backend that answers the stored query (the embedded store, or the remote endpoint,
whose URL an error then names), never by reading some other copy of the graph.

>>> str(to_term("date", "2024-07"))
'"2024-07"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
>>> str(to_term("iri", "vjr:state/JP"))
'<https://w3id.org/vjkg/id/state/JP>'
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError
from kg.files import internal_query
from kg.ingest.source import shorten
from kg.namespaces import PREFIXES
from kg.query.backend import Backend

PARAM_TYPES = ("iri", "string", "date", "integer", "decimal", "state", "indicator", "entity")
XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")
_PREFIXED = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):([^\s<>\"{}|^`\\]*)$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")

@dataclass(frozen=True)
class Param:
    """One parameter of a stored query; its name is the SPARQL variable it binds."""

    name: str
    type: str
    default: str | None = None
    required: bool = False
    description: str = ""


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _date(value: str) -> ox.Literal:
    match = _DATE.match(value)
    if not match:
        raise QueryError(f"{shorten(value)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise QueryError(f"{shorten(value)} is not a real date") from None
    return _typed(value, "date" if day else "gYearMonth" if month else "gYear")


def iri(value: str) -> ox.NamedNode:
    """An absolute IRI, or a prefixed name of the project's prefixes (``vjr:state/JP``)."""
    match = _PREFIXED.match(value)
    if match and match.group(1) in PREFIXES:
        value = PREFIXES[match.group(1)] + match.group(2)
    if not _ABSOLUTE_IRI.match(value):
        raise QueryError(f"{shorten(value)} is not an IRI (give an absolute IRI or a prefixed name like vjr:state/JP)")
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"{shorten(value)} is not an IRI: {exc}") from None


def looks_like_iri(value: str) -> bool:
    match = _PREFIXED.match(value)
    return bool(match and (match.group(1) in PREFIXES or match.group(2).startswith("//")))


def to_term(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    """The term of a value of a type that needs no lookup in the graph."""
    if kind == "iri":
        return iri(value)
    if kind == "string":
        return ox.Literal(value)
    if kind == "date":
        return _date(value)
    if kind == "integer":
        if not _INTEGER.match(value):
            raise QueryError(f"{shorten(value)} is not an integer")
        return _typed(value, "integer")
    if kind == "decimal":
        if not _DECIMAL.match(value):
            raise QueryError(f"{shorten(value)} is not a decimal number")
        return _typed(value, "decimal")
    raise QueryError(f"unknown parameter type {kind!r}")


def _labelled(backend: Backend, query: str) -> dict[str, tuple[str, set[str]]]:
    """Case-folded label -> (the label as written, its IRIs), from a query without user input."""
    found: dict[str, tuple[str, set[str]]] = {}
    for row in backend.execute(query, {}).rows:
        label = str(row["label"])
        found.setdefault(label.casefold(), (label, set()))[1].add(row[next(iter(row))])
    return found


def _where(backend: Backend) -> str:
    """Where a value was looked up, for messages: the endpoint's URL, or nothing locally."""
    url = getattr(backend, "url", None)
    return f" on {url}" if url else ""


def _by_label(value: str, labels: dict[str, tuple[str, set[str]]], what: str, where: str) -> ox.NamedNode:
    matches = labels.get(value.casefold(), ("", set()))[1]
    if len(matches) == 1:
        return ox.NamedNode(next(iter(matches)))
    if matches:
        raise QueryError(f"{what} {shorten(value)} is ambiguous{where}: {', '.join(sorted(matches))}")
    close = difflib.get_close_matches(value.casefold(), sorted(labels), n=1)
    hint = f" (did you mean {labels[close[0]][0]!r}?)" if close else ""
    if not labels:
        hint = (" (the server has none: was the reference graph loaded with `kg load --gsp`?)" if where
                else " (the graph has none: was the reference data built?)")
    raise QueryError(f"unknown {what} {shorten(value)}{where}{hint}")


def _known(term: ox.NamedNode, labels: dict[str, tuple[str, set[str]]], what: str, where: str = "") -> ox.NamedNode:
    """``term`` when it is a ``what`` of the graph (an IRI given for a state must name one)."""
    if any(term.value in iris for _label, iris in labels.values()):
        return term
    raise QueryError(f"{shorten(term.value)} is not a {what} of the graph{where}")


def resolve(kind: str, value: str, backend: Backend) -> ox.NamedNode | ox.Literal:
    """The term for ``value`` of type ``kind``, looking names up in the graph when needed."""
    if kind == "state":
        labels = _labelled(backend, internal_query("state-labels"))
        if looks_like_iri(value):
            return _known(iri(value), labels, "state", _where(backend))
        return _by_label(value, labels, "state", _where(backend))
    if kind == "indicator":
        if looks_like_iri(value):
            return _known(iri(value), _labelled(backend, internal_query("indicator-labels")), "indicator",
                          _where(backend))
        if not _CODE.match(value):
            raise QueryError(f"{shorten(value)} is not an indicator code (like fdi_registered_capital)")
        return _by_label(value, _labelled(backend, internal_query("indicator-labels")), "indicator",
                         _where(backend))
    if kind == "entity":
        if looks_like_iri(value) or "://" in value:
            return iri(value)
        rows = backend.execute(internal_query("entity-by-name"), {"wanted": ox.Literal(value)}).rows
        entities = sorted({row["entity"] for row in rows})
        if len(entities) == 1:
            return ox.NamedNode(entities[0])
        if entities:
            raise QueryError(f"entity {shorten(value)} is ambiguous{_where(backend)}: {', '.join(entities)} "
                             "(give the IRI)")
        raise QueryError(f"no entity is named {shorten(value)}{_where(backend)}")
    return to_term(kind, value)


def bind_params(params: Iterable[Param], values: Mapping[str, str | None], backend: Backend,
                query_name: str) -> dict[str, Any]:
    """Variable name -> term for every parameter given or defaulted; checks required ones."""
    bindings: dict[str, Any] = {}
    for param in params:
        value = values.get(param.name)
        if value is None or value == "":
            value = param.default
        if value is None:
            if param.required:
                raise QueryError(f"query {query_name!r} needs --param {param.name}=... ({param.type})")
            continue
        try:
            bindings[param.name] = resolve(param.type, value, backend)
        except QueryError as exc:
            raise QueryError(f"parameter {param.name!r} of {query_name!r}: {exc}") from None
    return bindings
