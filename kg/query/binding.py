"""Parameters bound as a ``VALUES`` block leading the query's WHERE group.

Both backends bind this way. The block is built from the terms' own N-Triples serialisation
(which escapes quotes, braces and newlines), so a value can never change the query's
structure. Oxigraph's ``substitutions`` would be the other safe way on the embedded store, but
Oxigraph evaluates the whole pattern and filters afterwards (tracing one fact took 3.3 s on
1,000 articles, against a few milliseconds with ``VALUES``, which joins first). Stored queries
use their parameters in that top-level group only, where a leading ``VALUES`` and a
substitution give the same answers; tests/test_queries_loading.py checks this for every
stored query.

>>> print(with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal('"} ; DROP ALL #')}))
SELECT ?s WHERE { VALUES (?o) { ("\\"} ; DROP ALL #") }
 ?s ?p ?o }
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kg.errors import QueryError

Term = ox.NamedNode | ox.BlankNode | ox.Literal
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WHERE = re.compile(r"WHERE\b", re.I)


def _group_start(sparql: str) -> int:
    """Offset of the ``{`` opening the query's WHERE group (skipping strings, IRIs, comments).

    The first brace at depth 0 opens it, except in a CONSTRUCT with a template, where the
    group follows the keyword WHERE.
    """
    text = _blank_out(sparql)
    start = 0
    if re.search(r"\bCONSTRUCT\b", text, re.I):
        match = _WHERE.search(text)
        if match:
            start = match.end()
    brace = text.find("{", start)
    if brace < 0:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return brace


def _blank_out(sparql: str) -> str:
    """The query with comments, strings and IRIs replaced by spaces (same length)."""
    out = list(sparql)
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            end = n if end < 0 else end
        elif c in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            end = min(n, j + len(quote))
        elif c == "<" and (match := _IRIREF.match(sparql, i)):
            end = match.end()
        else:
            i += 1
            continue
        out[i:end] = " " * (end - i)
        i = end
    return "".join(out)


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with ``bindings`` as a VALUES block leading its WHERE group."""
    if not bindings:
        return sparql
    names = sorted(bindings)
    head = " ".join(f"?{name}" for name in names)
    row = " ".join(str(bindings[name]) for name in names)
    brace = _group_start(sparql) + 1
    return f"{sparql[:brace]} VALUES ({head}) {{ ({row}) }}\n{sparql[brace:]}"


_DATASET = re.compile(r"(?<![?$\w])FROM\b", re.I)


def has_dataset(sparql: str) -> bool:
    """Whether ``sparql`` names its own dataset (a ``FROM`` or ``FROM NAMED`` clause)."""
    text = _blank_out(sparql)
    return bool(_DATASET.search(text[:_group_start(sparql)]))


def with_dataset(sparql: str, default: list[str], named: list[str]) -> str:
    """``sparql`` with ``FROM <g>`` for each of ``default`` and ``FROM NAMED <g>`` for each of
    ``named``, placed where the grammar wants them: before the ``WHERE`` group.

    >>> print(with_dataset("SELECT * WHERE { ?s ?p ?o }", ["http://g/a"], ["http://g/a"]))
    SELECT * FROM <http://g/a>
    FROM NAMED <http://g/a>
    WHERE { ?s ?p ?o }
    """
    text = _blank_out(sparql)
    at = _group_start(sparql)
    keyword = re.search(r"WHERE\s*$", text[:at], re.I)
    if keyword:
        at = keyword.start()
    clauses = [f"FROM {ox.NamedNode(g)}" for g in default] + [f"FROM NAMED {ox.NamedNode(g)}" for g in named]
    return f"{sparql[:at]}{chr(10).join(clauses)}\n{sparql[at:]}"
