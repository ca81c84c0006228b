"""SHACL-SPARQL's rules for pre-bound queries, read from rdflib's parse tree of each query.

SHACL (section 5.2.1) lets an engine pre-bind ``$this``, ``$currentShape``, ``$shapesGraph``
(and a component's parameters, and ``$value`` in an ASK validator) and calls a shapes graph
ill-formed when a query could see the difference between pre-binding and a join: it must
not use ``MINUS``, ``SERVICE``, ``VALUES``, nor ``AS ?v`` for a pre-bound ``?v``, and a
subquery must return every pre-bound variable but ``$currentShape`` and ``$shapesGraph``.
:func:`refusal` names the first such construct; :func:`top_level_only` says whether joining
the focus nodes in front of the query's group gives the same solutions as pre-binding (so
one query can serve every focus node).
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

__all__ = ["ALWAYS_PREBOUND", "parse", "refusal", "top_level_only"]

ALWAYS_PREBOUND = ("this", "currentShape", "shapesGraph")
_OPTIONAL_IN_SUBQUERY = {"currentShape", "shapesGraph"}
_FORBIDDEN = {"MinusGraphPattern": "MINUS", "ServiceGraphPattern": "SERVICE", "InlineData": "VALUES"}


def _get(node: CompValue, key: str) -> Any:
    """A part of a parse-tree node, or None (CompValue's own ``get`` answers a missing key with the key)."""
    return dict.get(node, key)


def parse(text: str) -> CompValue:
    """The parse tree of a SELECT or ASK query; SyntaxError naming the problem if it does not
    parse. Parsed once per text (pyparsing takes tens of ms a query, and a shapes graph's
    queries are read three times): callers read the tree, never change it."""
    parsed = parsed_query(text)
    query = parsed[1]
    if query.name not in ("SelectQuery", "AskQuery"):
        raise SyntaxError(f"a {query.name} where SHACL wants a SELECT or ASK query")
    return query


@lru_cache(maxsize=256)
def parsed_query(text: str) -> Any:
    """rdflib's whole parse of ``text`` (prologue and query), once per text; SyntaxError
    naming the problem if it does not parse."""
    try:
        return parseQuery(text)
    except ParseException as exc:
        raise SyntaxError(f"not valid SPARQL (line {exc.lineno}, column {exc.col}): {exc.msg}") from exc


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


def _expression_variables(node: object) -> tuple[set[str], list[CompValue]]:
    """The variables of an expression outside its EXISTS patterns, and those patterns."""
    found: set[str] = set()
    groups: list[CompValue] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Variable):
            found.add(str(item))
        elif isinstance(item, CompValue) and item.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            groups.append(item["graph"])
        else:
            stack.extend(_children(item))
    return found, groups


def _group_is_safe(group: CompValue, prebound: set[str], top: bool) -> bool:
    """True when joining the pre-bound variables in front of the query equals pre-binding them,
    for this group: a FILTER or BIND names one only where it is bound (in the top-level group,
    where the focus nodes are joined first; in a nested group, by a triple pattern of that
    group), and no nested SELECT sees one."""
    parts = list(_get(group, "part") or ())
    if group.name != "GroupGraphPatternSub":
        return not (prebound & _variables(group))  # a SubSelect or anything unexpected
    bound_here = set().union(*(_variables(p) for p in parts if p.name == "TriplesBlock")) if not top else prebound
    for part in parts:
        if part.name == "TriplesBlock":
            continue
        if part.name in ("Filter", "Bind"):
            names, groups = _expression_variables(part["expr"])
            if (prebound & names) - bound_here or (part.name == "Bind" and not top and prebound & names):
                return False
            if not all(_group_is_safe(g, prebound, False) for g in groups):
                return False
        elif part.name in ("OptionalGraphPattern", "GraphGraphPattern"):
            if not _group_is_safe(part["graph"], prebound, False):
                return False
        elif part.name == "GroupOrUnionGraphPattern":
            if not all(_group_is_safe(g, prebound, False) for g in part["graph"]):
                return False
        elif prebound & _variables(part):
            return False
    return True


def top_level_only(query: CompValue, prebound: tuple[str, ...]) -> bool:
    """True when one query with the focus nodes (and parameter values) joined in front of its
    WHERE group gives, row for row, what pre-binding each focus node would: the query returns
    ``?this``, has no solution modifier, uses no nested SELECT that sees a pre-bound variable,
    and names a pre-bound variable in a FILTER or BIND only where a join has bound it
    (:func:`_group_is_safe`). EXISTS and OPTIONAL patterns that bind ``$this`` by their own
    triple patterns qualify: evaluating them with ``?this`` bound from outside is substitution."""
    if query.name != "SelectQuery":
        return False
    if any(_get(query, key) for key in ("datasetClause", "groupby", "having", "orderby", "limitoffset")):
        return False
    projected = _projected(query)
    if projected is not None and ("this" not in projected or any(_get(p, "evar") for p in query["projection"])):
        return False
    if any(isinstance(n, CompValue) and n.name == "SubSelect" for n in _walk(query["where"])):
        return False
    return _group_is_safe(query["where"], set(prebound), True)
