"""Whole-graph SPARQL checks rewritten for hash joins (kg.validate.hashjoin) give the same rows.

Each query is run on a small multi-graph store (the union of its named graphs, as the built
store is read) in its own form and in the rewritten one; the rows must be equal as a
multiset. Queries the rewriter cannot read are returned unchanged.
"""
from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from kg.validate.hashjoin import hash_joined
from kg.validate.shacl import load_shapes
from kg.validate.sparql import sparql_checks

PREFIX = "PREFIX ex: <http://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
FOCUS = "{ SELECT DISTINCT ?this WHERE { ?this a ex:C } }"
DATA = """
<http://example.org/g1> {
  ex:a a ex:C ; ex:p 1, 2 ; ex:q ex:x ; ex:r "a", "b"@en .
  ex:b a ex:C ; ex:p 3 ; ex:q ex:y .
  ex:x ex:s 5 ; ex:t ex:y .
  ex:y ex:s 7 .
}
<http://example.org/g2> {
  ex:a a ex:C ; ex:p 1 ; ex:q ex:y .
  ex:c a ex:C .
  ex:y ex:t ex:x .
}
"""
QUERIES = {
    "chain": "SELECT $this ?v ?s WHERE { FOCUS $this ex:p ?v ; ex:q ?o . ?o ex:s ?s . FILTER (?s > ?v) }",
    "object list": "SELECT $this ?v WHERE { FOCUS $this ex:p ?v, ?w ; ex:r ?r . }",
    "paths": "SELECT $this ?o WHERE { FOCUS $this ex:q/ex:t|ex:q ?o . ?o ^ex:t ?back }",
    "a and literals": "SELECT $this WHERE { FOCUS $this a ex:C ; ex:p 1 . }",
    "optional": "SELECT $this ?o ?s WHERE { FOCUS $this ex:q ?o . OPTIONAL { ?o ex:s ?s } OPTIONAL { ?o ex:t ?t . FILTER (?t != ?o) } }",
    "bind between": "SELECT $this ?n ?o WHERE { FOCUS $this ex:p ?v BIND (?v + 4 AS ?n) ?o ex:s ?n }",
    "exists": "SELECT $this ?v WHERE { FOCUS $this ex:p ?v FILTER NOT EXISTS { $this ex:q ex:x } }",
    "union and values": "SELECT $this ?v WHERE { FOCUS VALUES ?k { 1 } $this ex:p ?v { ?v ?any ?k } UNION { BIND (1 AS ?z) } }",
    "comment and strings": 'SELECT $this ?r WHERE { FOCUS # a comment with { and }\n $this ex:r ?r . FILTER (?r != "}{") }',
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    found = ox.Store()
    found.load(PREFIX.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + DATA, format=ox.RdfFormat.TRIG)
    return found


def rows(store: ox.Store, query: str) -> Counter[tuple[str, ...]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return Counter(tuple(str(s[n]) for n in names) for s in solutions)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_rewritten_query_gives_the_same_rows(store: ox.Store, name: str) -> None:
    query = PREFIX + QUERIES[name].replace("FOCUS", FOCUS)
    rewritten = hash_joined(query)
    assert rewritten != query and "{ SELECT * WHERE {" in rewritten
    assert rows(store, rewritten) == rows(store, query)
    assert sum(rows(store, query).values())  # the case says something


def test_each_top_level_pattern_gets_its_own_subquery_in_its_place() -> None:
    query = PREFIX + "SELECT $this WHERE { $this ex:p ?v ; ex:q ?o . FILTER (?v > 1) OPTIONAL { ?o ex:s ?s } ?o ex:t ?t }"
    assert hash_joined(query) == PREFIX + (
        "SELECT $this WHERE { { SELECT * WHERE { $this ex:p ?v } } { SELECT * WHERE { $this ex:q ?o } } "
        "FILTER (?v > 1) OPTIONAL { ?o ex:s ?s } { SELECT * WHERE { ?o ex:t ?t } } }")


@pytest.mark.parametrize("body", [
    "$this ex:p [ ex:q ?o ]",  # a blank node shared by two patterns
    "$this ex:p _:b . _:b ex:q ?o",
    "$this ex:p* ?o",  # a path modifier
    "$this ex:p ( 1 2 )",  # a collection
    "GRAPH ?g { $this ex:p ?o }",  # nothing at the top level to rewrite
])
def test_queries_it_cannot_read_are_unchanged(body: str) -> None:
    query = PREFIX + "SELECT $this WHERE { " + body + " }"
    assert hash_joined(query) == query


def test_the_project_checks_are_all_rewritten() -> None:
    checks = [c for c in sparql_checks(load_shapes()) if not c.focus]
    assert checks and all(hash_joined(c.query) != c.query for c in checks)
