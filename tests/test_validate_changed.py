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
