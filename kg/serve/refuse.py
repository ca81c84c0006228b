"""Refusing what a public endpoint must never run, by parsing alone (nothing is evaluated).

The rule is the library's own (:func:`kg.query.guard.refuse_unsafe`, the one ``kg sparql``
and ``kg query`` apply), so the web and the command line refuse the same queries. The server
then parses the text with rdflib's SPARQL grammar, which parses without evaluating (Oxigraph
parses only while evaluating), for the query's form and, as a second line of defence, for
updates, ``SERVICE`` and foreign ``FROM`` in the parsed algebra.

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
'SELECT'
>>> check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
Traceback (most recent call last):
...
kg.errors.QueryRefusedError: refused: query: is a SPARQL update (INSERT); kg only runs read-only queries
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg.errors import QueryError, QueryRefusedError
from kg.query.guard import refuse_unsafe

FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK", "DescribeQuery": "DESCRIBE"}
LOCAL_GRAPHS = "https://w3id.org/vjkg/"  # FROM may name the store's own graphs, nothing else
_UPDATE_NAMES = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
                 "Modify": "DELETE/INSERT", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP",
                 "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY"}


def _nodes(node: Any) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _nodes(value)


def _update_kind(text: str) -> str | None:
    try:
        parsed = parseUpdate(text)
    except ParseException:
        return None
    names = [n.name for n in _nodes(parsed) if n.name in _UPDATE_NAMES]
    return _UPDATE_NAMES[names[0]] if names else "update"


def check_query(text: str) -> str:
    """The query's form (SELECT, CONSTRUCT, ASK, DESCRIBE), or a typed error saying why not.

    Refused: updates (``LOAD`` among them), ``SERVICE``, and ``FROM``/``FROM NAMED`` of a
    graph that is not the store's own.
    """
    if not text.strip():
        raise QueryError("no query given")
    try:
        refuse_unsafe(text, "query")
    except QueryRefusedError as exc:
        raise QueryRefusedError(f"refused: {exc}") from None
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        kind = _update_kind(text)
        if kind:
            raise QueryRefusedError(f"this endpoint is read-only: a SPARQL update ({kind}) is refused") from None
        raise QueryError(f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    nodes = list(_nodes(parsed))
    if any(n.name == "ServiceGraphPattern" for n in nodes):
        raise QueryRefusedError("SERVICE is refused: this endpoint never reaches other servers")
    for clause in (n for n in nodes if n.name == "DatasetClause"):
        graph = str(clause.get("default") or clause.get("named") or "")
        if not graph.startswith(LOCAL_GRAPHS):
            raise QueryRefusedError(f"FROM <{graph}> is refused: only the store's own graphs can be named")
    form = next((FORMS[n.name] for n in nodes if n.name in FORMS), None)
    if form is None:
        raise QueryError("not a SELECT, CONSTRUCT, ASK or DESCRIBE query")
    return form
