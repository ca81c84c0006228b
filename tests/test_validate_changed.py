"""``kg validate --changed`` gives exactly a full run's results after one article graph is
changed, added or removed, including a node of another article whose result changes.

The changes are written into the built store the way a rebuild writes them (one article
graph replaced, with a new build fingerprint), so that the test controls what changes: a
person of one article gets a nationality in another article, which gives a post holding of
the first article (unchanged) a result of ``vjsh:PostHoldingServesOwnState``.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import main as generate
from kg.graph.build import build
from kg.store.store import Store
from kg.validate.incremental import StoreValidation, validate_store
from kg.validate.reach import query_reach

_HOLDING = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX vjo: <https://w3id.org/vjkg/ontology#>
SELECT ?g ?h ?p ?state WHERE { GRAPH ?g { ?h org:member ?p ; org:organization ?state } ?state a vjo:State }
ORDER BY ?h LIMIT 1"""
_FOREIGN = "https://w3id.org/vjkg/id/state/FR"
_CHECK = "vjsh:PostHoldingServesOwnState"


def _store(tmp_path: Path) -> Path:
    assert generate(["--articles", "6", "--seed", "3", "--out", str(tmp_path / "corpus")]) == 0
    store_dir = tmp_path / "store"
    build([tmp_path / "corpus" / "articles"], Store(store_dir), workers=1)
    return store_dir


def _same_as_full(store_dir: Path) -> StoreValidation:
    incremental = validate_store(store_dir, changed=True)
    full = validate_store(store_dir)
    assert Counter(incremental.report.results) == Counter(full.report.results)
    assert Counter(incremental.report.raw) == Counter(full.report.raw)  # kept results decoded when read
    assert len(incremental.report.raw) == len(full.report.raw)
    assert incremental.report.triples == full.report.triples
    return incremental


def _rewrite(store_dir: Path, graph: str, extra: str = "") -> None:
    """Replace ``graph`` with its own triples plus ``extra``, under a new build fingerprint."""
    store = Store(store_dir)
    try:
        lines = store.dump_graph(graph).decode().splitlines()
        marked = [line.replace('buildFingerprint> "', 'buildFingerprint> "edited-') for line in lines]
        store.replace_graphs({graph: ("\n".join(marked) + "\n" + extra).encode()})
    finally:
        store.close()


def test_one_changed_article_gives_the_full_runs_results_shared_entity_included(tmp_path: Path) -> None:
    store_dir = _store(tmp_path)
    first = validate_store(store_dir, changed=True)  # no cache yet: a full run
    assert first.nodes_validated is None
    reader = ox.Store.read_only(str(store_dir))
    holding = next(iter(reader.query(_HOLDING, use_default_graph_as_union=True)))  # type: ignore[arg-type]
    graphs = sorted(g.value for g in reader.named_graphs() if "/graph/article/" in g.value)
    other = next(g for g in graphs if g != holding["g"].value)
    assert str(holding["state"]) != f"<{_FOREIGN}>"
    del reader
    assert not any(r.check == _CHECK and r.focus.endswith(holding["h"].value.rsplit("/", 1)[-1])
                   for r in first.report.results)

    # another article says the holder is French: the first article's holding gets a warning
    _rewrite(store_dir, other, f"{holding['p']} <https://w3id.org/vjkg/ontology#nationality> <{_FOREIGN}> .\n")
    changed = _same_as_full(store_dir)
    assert changed.articles_validated == 1
    assert changed.nodes_validated is not None and 0 < changed.nodes_validated
    flagged = [r for r in changed.report.results if r.check == _CHECK]
    assert len(flagged) == 1 and "state/FR" in flagged[0].message
    assert flagged[0].focus.endswith(holding["h"].value.rsplit("/", 1)[-1])

    # the article removed, then added back as it was built
    store = Store(store_dir)
    saved = store.dump_graph(other)
    store.replace_graphs({}, [other])
    store.close()
    removed = _same_as_full(store_dir)
    assert removed.articles_validated == 1 and not any(r.check == _CHECK for r in removed.report.results)
    store = Store(store_dir)
    store.replace_graphs({other: saved})
    store.close()
    added = _same_as_full(store_dir)
    assert added.articles_validated == 1 and any(r.check == _CHECK for r in added.report.results)
    unchanged = validate_store(store_dir, changed=True)
    assert (unchanged.articles_validated, unchanged.nodes_validated) == (0, 0)
    assert unchanged.report.results == added.report.results


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT $this WHERE { $this <p> ?x }", 1),
    ("SELECT $this WHERE { $this <p> ?x . ?x <q> ?y }", 2),
    ("SELECT $this WHERE { $this <p>/<q> ?x . ?x <r> ?y }", 3),
    ("SELECT $this WHERE { $this <p> ?x FILTER NOT EXISTS { ?x <q>|<r>/<s> ?y } }", 3),
    ("SELECT $this WHERE { $this <p> ?x OPTIONAL { ?x <q> ?y } }", 2),
    ("SELECT $this WHERE { { $this <p> ?x } UNION { $this <q> ?x . ?x <r> ?y } }", 2),
    ("SELECT $this WHERE { ?x <p> $this }", None),  # inverse: what points at the node
    ("SELECT $this WHERE { $this <p>* ?x }", None),
    ("SELECT $this WHERE { $this <p> ?x . <a> <q> ?y }", None),  # a constant subject
    ("SELECT $this WHERE { { $this <p> ?x } UNION { ?x <q> ?y } }", None),  # ?x not reached in one branch
    ("SELECT $this WHERE { $this <p> ?x OPTIONAL { ?x <q> ?y } ?y <r> ?z }", None),  # ?y may be unbound
    ("SELECT $this WHERE { $this <p> ?x { SELECT ?x WHERE { ?x <q> ?y } } }", None),
    ("SELECT $this WHERE { $this <p> ?x } LIMIT 1", None),
    ("SELECT $this WHERE { $this <p> ?x MINUS { ?x <q> ?y } }", None),
    ("SELECT $this WHERE { $this <p> ?x BIND (?x AS ?y) ?y <q> ?z }", None),
])
def test_the_reach_of_a_sparql_constraint(query: str, expected: int | None) -> None:
    assert query_reach(query) == expected


def test_the_kept_checks_read_back_as_they_were_made(tmp_path: Path) -> None:
    from kg.validate import checks_cache
    from kg.validate.shacl import load_shapes
    from kg.validate.sparql import sparql_checks
    checks = sparql_checks(load_shapes())
    reaches = [query_reach(c.own) for c in checks]
    checks_cache.save(tmp_path / "checks.json", "key", (checks, reaches))
    assert checks_cache.load(tmp_path / "checks.json", "key") == (checks, reaches)
    assert checks_cache.load(tmp_path / "checks.json", "another key") is None


def test_a_restricted_check_tests_only_the_given_nodes_and_finds_their_rows(tmp_path: Path) -> None:
    """Each project check restricted to some nodes gives exactly the whole-graph query's rows of
    those nodes, and the nodes sit inside the subquery of the targets, so that Oxigraph does not
    list every target of the graph first."""
    from kg.validate.shacl import load_shapes
    from kg.validate.sparql import oxigraph_rows, restricted, sparql_checks
    store_dir = _store(tmp_path)
    reader = ox.Store.read_only(str(store_dir))
    holding = next(iter(reader.query(_HOLDING, use_default_graph_as_union=True)))  # type: ignore[arg-type]
    nodes = sorted({str(r["s"]) for r in reader.query(  # type: ignore[union-attr]
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER (isIRI(?s)) } ORDER BY ?s", use_default_graph_as_union=True)})
    del reader
    _rewrite(store_dir, holding["g"].value, f"{holding['p']} <https://w3id.org/vjkg/ontology#nationality> <{_FOREIGN}> .\n")
    rows = oxigraph_rows(ox.Store.read_only(str(store_dir)), union=True)
    chosen = sorted(set(nodes[::3]) | {str(holding["h"])})
    compared = 0
    for check in sparql_checks(load_shapes()):
        if check.focus:
            continue
        query = restricted(check, chosen)
        head = query[query.index("SELECT $this"):]
        assert "{ SELECT DISTINCT ?this WHERE { VALUES ?this" in head, check.source_constraint
        expected = Counter(tuple(sorted(r.items())) for r in rows(check.query) if r["this"].n3() in chosen)
        assert Counter(tuple(sorted(r.items())) for r in rows(query)) == expected, check.source_constraint
        compared += sum(expected.values())
    assert compared > 0


def test_a_brace_in_a_target_literal_does_not_end_the_targets_early() -> None:
    from rdflib import Graph
    from kg.validate.sparql import restricted, sparql_checks
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode "a } b" , ex:n ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this <http://example.org/p> ?x }" ] .""")
    check = sparql_checks(shapes)[0]
    query = restricted(check, ["<http://example.org/n>"])
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/n"), ox.NamedNode("http://example.org/p"), ox.Literal("1")))
    assert [str(r["this"]) for r in store.query(query)] == ["<http://example.org/n>"]  # type: ignore[union-attr]
    assert 'FILTER EXISTS { { VALUES ?this { "a } b" } }' in query


def _cache_damaged(store_dir: Path, damage: str) -> None:
    from kg.validate.incremental import cache_file
    path = cache_file(store_dir)
    data = bytearray(path.read_bytes())
    if damage == "flipped byte":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncated":
        del data[len(data) // 2:]
    else:
        data = bytearray(b"")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "empty"])
def test_a_damaged_cache_leads_to_a_full_check_with_the_full_report(tmp_path: Path, damage: str) -> None:
    store_dir = _store(tmp_path)
    validate_store(store_dir)
    reader = ox.Store.read_only(str(store_dir))
    graph = sorted(g.value for g in reader.named_graphs() if "/graph/article/" in g.value)[0]
    del reader
    _rewrite(store_dir, graph)
    _cache_damaged(store_dir, damage)
    again = validate_store(store_dir, changed=True)
    assert again.nodes_validated is None  # not trusted: everything checked again
    assert validate_store(store_dir, changed=True).nodes_validated == 0  # and the cache is whole again
    assert Counter(again.report.results) == Counter(validate_store(store_dir).report.results)


def test_the_kept_run_is_read_only_for_its_own_schema_and_engine(tmp_path: Path) -> None:
    from kg.validate import last_run
    run = last_run.LastRun(schema="key", engine="compiled", prints={"g": "f"}, subclass_graphs=set(),
                           core=[(["<s>", "<sh>", "<c>", "<f>", None, None, None, []], ("Violation",) + ("x",) * 10)],
                           sparql=[[]], sizes={"g": 3})
    path = tmp_path / "last-run.bin"
    last_run.save(path, run)
    assert last_run.load(path, "key", "compiled") == run
    assert last_run.load(path, "another key", "compiled") is None
    assert last_run.load(path, "key", "pyshacl") is None  # the other path keeps no SPARQL results


def test_a_kept_result_whose_value_is_within_reach_gets_its_row_made_again() -> None:
    """The printed row of a kept result may quote its value's sentence: when the value lies
    within the change's reach, the row is made from the store, not read from the cache."""
    from kg.validate.incremental import _Part, _report
    from kg.validate.last_run import Entry
    from kg.validate.shacl import load_shapes
    store = ox.Store()
    vjo, oa = "https://w3id.org/vjkg/ontology#", "http://www.w3.org/ns/oa#"
    value = ox.NamedNode("https://w3id.org/vjkg/id/article/a/mention/0-5")
    store.add(ox.Quad(value, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(vjo + "Mention")))
    store.add(ox.Quad(value, ox.NamedNode(oa + "exact"), ox.Literal("the new words")))
    text = ["<http://www.w3.org/ns/shacl#Warning>", "<https://w3id.org/vjkg/shapes#X>",
            "<http://www.w3.org/ns/shacl#SPARQLConstraintComponent>", "<https://w3id.org/vjkg/id/person/p>", None,
            str(value), None, ['"a message"']]
    stale = ("Warning", "vjsh:X", "vjr:person/p", None, "vjr:article/a/mention/0-5", "a message", "vjsh:X", "vjsh:X",
             "sh:SPARQLConstraint", None, "the old words")
    entries: list[Entry] = [(text, stale)]
    kept, _ = _report(store, load_shapes(), [_Part(entries, [])], set(), 1)
    again, renewed = _report(store, load_shapes(), [_Part(entries, [])], {str(value)}, 1)
    assert kept.results[0].sentence == "the old words"
    assert again.results[0].sentence == "the new words" and renewed[0][0][1][-1] == "the new words"


_COMMENT = "<http://www.w3.org/2000/01/rdf-schema#comment>"
_MOST_LINKED_SHARED = """SELECT ?s (COUNT(DISTINCT ?in) AS ?n) WHERE {
  GRAPH <%s> { ?s ?p ?o } FILTER (isIRI(?s) && !CONTAINS(STR(?s), "%s"))
  GRAPH ?other { ?in ?q ?s } FILTER (?other != <%s>) } GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 1"""


def test_an_edit_that_leaves_the_shared_part_alone_does_not_recheck_what_points_at_its_hubs(tmp_path: Path) -> None:
    store_dir = _store(tmp_path)
    validate_store(store_dir)
    reader = ox.Store.read_only(str(store_dir))
    graph = sorted(g.value for g in reader.named_graphs() if "/graph/article/" in g.value)[0]
    stem = graph.rsplit("/", 1)[-1]
    hub = next(iter(reader.query(_MOST_LINKED_SHARED % (graph, stem, graph), use_default_graph_as_union=True)))  # type: ignore[arg-type]
    article = next(str(row["s"]) for row in reader.query(  # type: ignore[union-attr]
        f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s a <https://w3id.org/vjkg/ontology#Article> }} }}"))
    del reader
    assert int(hub["n"].value) > 0, "the store should have a shared node that other articles point at"

    _rewrite(store_dir, graph, f'{article} {_COMMENT} "a local edit" .\n')  # only a local subject gains a triple
    local = _same_as_full(store_dir)
    _rewrite(store_dir, graph, f'{hub["s"]} {_COMMENT} "a shared edit" .\n')  # a hub gains one
    shared = _same_as_full(store_dir)
    assert local.articles_validated == shared.articles_validated == 1
    assert local.nodes_validated is not None and shared.nodes_validated is not None
    # the hub and the nodes of other articles that point at it are re-checked only after the shared edit
    assert local.nodes_validated + int(hub["n"].value) <= shared.nodes_validated


def test_a_shared_part_digest_is_the_same_from_the_pieces_and_from_the_store(tmp_path: Path) -> None:
    from kg.store.pieces import drop_pieces
    from kg.validate.shared_part import shared_digests

    store_dir = _store(tmp_path)
    store = Store(store_dir)
    try:
        graphs = [g for g in store.graph_names() if "/graph/article/" in g]
        fingerprint = ox.NamedNode("https://w3id.org/vjkg/ontology#buildFingerprint")
        prints = {q.graph_name.value: q.object.value for q in store.oxigraph.quads_for_pattern(None, fingerprint, None, None)
                  if isinstance(q.graph_name, ox.NamedNode)}
        from_pieces = shared_digests(store, graphs, prints)
        assert shared_digests(store, graphs, {}) == from_pieces  # without fingerprints: made from the store
        drop_pieces(store.export_cache)
        assert shared_digests(store, graphs, prints) == from_pieces
        assert sorted(from_pieces) == sorted(graphs)  # no blank nodes in the built article graphs
    finally:
        store.close()


def test_a_change_to_most_of_the_articles_runs_in_full(tmp_path: Path) -> None:
    store_dir = _store(tmp_path)
    validate_store(store_dir)
    reader = ox.Store.read_only(str(store_dir))
    graphs = sorted(g.value for g in reader.named_graphs() if "/graph/article/" in g.value)
    del reader
    for graph in graphs[:len(graphs) // 2 + 2]:
        _rewrite(store_dir, graph)
    changed = _same_as_full(store_dir)
    assert (changed.articles_validated, changed.nodes_validated) == (len(graphs), None)
