"""SHACL-SPARQL's rules for pre-bound queries, read from rdflib's parse tree of each query.

SHACL (section 5.2.1) lets an engine pre-bind ``$this``, ``$currentShape``, ``$shapesGraph``
(and a component's parameters, and ``$value`` in an ASK validator) and calls a shapes graph
ill-formed when a query could see the difference between pre-binding and a join: it must
not use ``MINUS``, ``SERVICE``, ``VALUES``, nor ``AS ?v`` for a pre-bound ``?v``, and a
subquery must return every pre-bound variable but ``$currentShape`` and ``$shapesGraph``.
:func:`refusal` names the first such construct; :func:`top_level_only` says whether the
pre-bound variables occur only in the query's top-level group, where joining them in front
of the group gives the same solutions as pre-binding (so one query can serve every focus node).
"""
from __future__ import annotations

from collections.abc import Iterator

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

__all__ = ["ALWAYS_PREBOUND", "parse", "refusal", "top_level_only"]

ALWAYS_PREBOUND = ("this", "currentShape", "shapesGraph")
_OPTIONAL_IN_SUBQUERY = {"currentShape", "shapesGraph"}
_FORBIDDEN = {"MinusGraphPattern": "MINUS", "ServiceGraphPattern": "SERVICE", "InlineData": "VALUES"}
_TOP_LEVEL_PARTS = {"TriplesBlock", "Filter", "Bind"}


def _get(node: CompValue, key: str) -> object:
    """A part of a parse-tree node, or None (CompValue's own ``get`` answers a missing key with the key)."""
    return dict.get(node, key)


def parse(text: str) -> CompValue:
    """The parse tree of a SELECT or ASK query; SyntaxError naming the problem if it does not parse."""
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        raise SyntaxError(f"not valid SPARQL (line {exc.lineno}, column {exc.col}): {exc.msg}") from exc
    query = parsed[1]
    if query.name not in ("SelectQuery", "AskQuery"):
        raise SyntaxError(f"a {query.name} where SHACL wants a SELECT or ASK query")
    return query


def _children(node: object) -> Iterator[object]:
    if isinstance(node, CompValue):
        yield from node.values()
    elif isinstance(node, (list, tuple, ParseResults)):
        yield from node


def _walk(node: object) -> Iterator[object]:
    yield node
    for child in _children(node):
        yield from _walk(child)


def _variables(node: object) -> set[str]:
    return {str(n) for n in _walk(node) if isinstance(n, Variable)}


def _projected(select: CompValue) -> set[str] | None:
    """The variables a (sub)query returns; None for ``SELECT *``."""
    projection = _get(select, "projection")
    if not projection:
        return None
    return {str(_get(p, "var") or _get(p, "evar")) for p in projection}


def _in_scope(where: object) -> set[str]:
    """Variables a group binds (triple patterns, BIND, nested SELECT): what ``SELECT *`` returns."""
    found: set[str] = set()
    for node in _walk(where):
        if isinstance(node, CompValue) and node.name == "TriplesBlock":
            found |= _variables(node)
        elif isinstance(node, CompValue) and node.name == "Bind":
            found.add(str(node["var"]))
        elif isinstance(node, CompValue) and node.name == "SubSelect":
            found |= _projected(node) or _in_scope(_get(node, "where"))
    return found


def refusal(query: CompValue, prebound: tuple[str, ...]) -> str | None:
    """The construct that makes ``query`` ill-formed for pre-binding ``prebound``, or None."""
    if _get(query, "valuesClause"):
        return "VALUES"
    for node in _walk(query):
        if not isinstance(node, CompValue):
            continue
        if node.name in _FORBIDDEN:
            return _FORBIDDEN[node.name]
        if node.name == "Bind" and str(node["var"]) in prebound:
            return f"BIND (... AS ?{node['var']}) of a pre-bound variable"
        if node.name in ("SelectQuery", "SubSelect"):
            for item in _get(node, "projection") or ():
                if _get(item, "evar") is not None and str(item["evar"]) in prebound:
                    return f"(... AS ?{item['evar']}) of a pre-bound variable"
        if node.name == "SubSelect":
            returned = _projected(node)
            returned = _in_scope(_get(node, "where")) if returned is None else returned
            missing = [v for v in prebound if v not in _OPTIONAL_IN_SUBQUERY and v not in returned]
            if missing:
                return f"a subquery that does not return ${missing[0]}"
    return None


def top_level_only(query: CompValue, prebound: tuple[str, ...]) -> bool:
    """True when every pre-bound variable of ``query`` occurs only in triple patterns,
    FILTERs without EXISTS, and BINDs of the top-level group, the query returns ``?this``,
    and it has no solution modifier: then one query with the focus nodes joined in front of
    its group gives, row for row, what pre-binding each focus node would."""
    if query.name != "SelectQuery":
        return False
    if any(_get(query, key) for key in ("datasetClause", "groupby", "having", "orderby", "limitoffset")):
        return False
    projected = _projected(query)
    if projected is not None and ("this" not in projected or any(_get(p, "evar") for p in query["projection"])):
        return False
    for part in query["where"].get("part") or ():
        if set(prebound) & _variables(part):
            if part.name not in _TOP_LEVEL_PARTS:
                return False
            if any(isinstance(n, CompValue) and n.name.startswith("Builtin_") and "EXISTS" in n.name
                   for n in _walk(part)):
                return False
    return True
