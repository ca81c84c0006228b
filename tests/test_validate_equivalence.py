"""The fast validation finds exactly what one plain pySHACL call finds, as a multiset.

``kg.validate.shacl`` runs each SPARQL constraint whose pre-bound variables stay at the top
level as one query over the whole graph, and pySHACL on parts of the graph where the shapes'
reach is bounded. These tests compare its results with those of a single, plain pySHACL call
on the same graph (every shape, every target), as multisets: on the seed articles, on
generated articles with violations injected (some only visible in the union of several
article graphs), on the shapes fixtures with every rule broken at once, and on generated
graphs forced to split (sequence paths, blank-node focus nodes) or to fall back to one call
(inverse paths).
"""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from bench.equivalence import _ParsedOnce, queries_parsed_once
from bench.generate import main as generate
from kg.graph.build import build
from kg.namespaces import SH
from kg.store.store import Store
from kg.store.working import add_files, ontology_files, working_graph
from kg.validate.core import core_results
from kg.validate.rdfio import as_rdflib
from kg.validate.reach import reach
from kg.validate.results import ResultKey, result_multiset
from kg.validate.shacl import RawResult, load_shapes, plain_results, report_of, split_results, validate, validate_graph
from kg.validate.sparql import core_shapes, sparql_checks
from project import SEEDS_DIR

SHAPES_FIXTURES = Path(__file__).parent / "fixtures" / "shapes"

# Each update breaks the generated graph in a way the shapes must notice; the ones marked
# "union" are only wrong once two article graphs are seen together.
INJECTIONS = (
    # a required triple deleted: the first person loses its schema:name
    """PREFIX schema: <https://schema.org/> PREFIX vjo: <https://w3id.org/vjkg/ontology#>
       DELETE { ?p schema:name ?n } WHERE {
         { SELECT ?p WHERE { ?p a vjo:Person } ORDER BY ?p LIMIT 1 } ?p schema:name ?n }""",
    # a wrong datatype: a mention's start offset written as a string
    """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX vjo: <https://w3id.org/vjkg/ontology#>
       DELETE { ?m oa:start ?s } INSERT { ?m oa:start ?text } WHERE {
         { SELECT ?m WHERE { ?m a vjo:Mention ; vjo:inSentence ?x } ORDER BY ?m LIMIT 1 }
         ?m oa:start ?s BIND (STR(?s) AS ?text) }""",
    # a date that is not a date (the SPARQL-based vjsh:partialDate component)
    """PREFIX vjo: <https://w3id.org/vjkg/ontology#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
       DELETE { ?m vjo:date ?d } INSERT { ?m vjo:date "2024-13"^^xsd:gYearMonth } WHERE {
         { SELECT ?m WHERE { ?m a vjo:Meeting ; vjo:date ?any } ORDER BY DESC(?m) LIMIT 1 } ?m vjo:date ?d }""",
    # a held meeting dated after its article (an sh:sparql constraint)
    """PREFIX vjo: <https://w3id.org/vjkg/ontology#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
       DELETE { ?m vjo:date ?d ; vjo:status ?s } INSERT { ?m vjo:date "2999-01-01"^^xsd:date ; vjo:status vjo:Held }
       WHERE { { SELECT ?m WHERE { ?m a vjo:Meeting } ORDER BY ?m LIMIT 1 }
               OPTIONAL { ?m vjo:date ?d } OPTIONAL { ?m vjo:status ?s } }""",
    # union: a fact of one article derived from a mention of another
    """PREFIX vjo: <https://w3id.org/vjkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
       INSERT { ?fact prov:wasDerivedFrom ?mention } WHERE {
         { SELECT ?fact ?article WHERE { ?fact a vjo:Observation ; vjo:reportedBy ?article }
           ORDER BY ?fact LIMIT 1 }
         { SELECT ?mention ?other WHERE { ?mention a vjo:Mention ; vjo:inArticle ?other } ORDER BY DESC(?mention) LIMIT 1 }
         FILTER (?other != ?article) }""",
    # union: a second name and a second nationality for a person, as another article would add
    """PREFIX schema: <https://schema.org/> PREFIX vjo: <https://w3id.org/vjkg/ontology#>
       INSERT { ?p schema:name "Another Name" ; vjo:nationality <https://w3id.org/vjkg/id/state/FR> } WHERE {
         { SELECT ?p WHERE { ?h a vjo:PostHolding ; <http://www.w3.org/ns/org#member> ?p ;
                              <http://www.w3.org/ns/org#organization> ?state . ?state a vjo:State }
           ORDER BY DESC(?p) LIMIT 1 } }""",
)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def built_graph(articles: Path, store_dir: Path) -> ox.Store:
    build([articles], Store(store_dir), workers=1)
    return working_graph(store_dir=store_dir)


@pytest.fixture(scope="module")
def generated_graph(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """Generated articles with the violations above injected. Eight keep the suite fast (one
    plain pySHACL call on 100 articles takes minutes); `python -m bench.equivalence --sizes
    100,1000` runs the same comparison at scale."""
    folder = tmp_path_factory.mktemp("corpus")
    assert generate(["--articles", "8", "--seed", "5", "--out", str(folder)]) == 0
    graph = built_graph(folder / "articles", folder / "store")
    for update in INJECTIONS:
        before = len(graph)
        graph.update(update)
        assert len(graph) != before or "DELETE" in update  # each injection changed something
    return graph


@pytest.fixture(scope="module")
def generated_plain(generated_graph: ox.Store, shapes: Graph) -> list[RawResult]:
    """One plain pySHACL call on the generated graph, shared by the tests (it is slow)."""
    return plain_results(generated_graph, shapes)


def assert_same_results(graph: ox.Store, shapes: Graph, plain_raw: list[RawResult] | None = None
                        ) -> Counter[ResultKey]:
    fast = result_multiset(split_results(graph, shapes))
    plain = result_multiset(plain_results(graph, shapes) if plain_raw is None else plain_raw)
    assert fast == plain, (sorted((fast - plain).items(), key=str), sorted((plain - fast).items(), key=str))
    return fast


def test_pyshacl_with_each_query_parsed_once_finds_what_the_unmodified_call_finds(
        shapes: Graph, generated_graph: ox.Store, generated_plain: list[RawResult]) -> None:
    """`bench.equivalence --parse-once` (the reference at 1,000 articles) keeps rdflib's
    parsed queries; the focus node's bindings still change every evaluation."""
    with queries_parsed_once():
        parsed_once = plain_results(generated_graph, shapes)
        texts = len(_ParsedOnce.parsed)
    assert 0 < texts < 40  # each constraint's text parsed once, not once per focus node
    assert not _ParsedOnce.parsed  # and forgotten on the way out
    assert result_multiset(parsed_once) == result_multiset(generated_plain)
    assert any(r.source_constraint is not None for r in parsed_once)  # SPARQL constraints fired


def test_the_seed_graph_gives_the_same_results(shapes: Graph, tmp_path: Path) -> None:
    found = assert_same_results(built_graph(SEEDS_DIR, tmp_path / "store"), shapes)
    assert found  # the seeds carry warnings (inferred dates, one-sided meetings)


def test_generated_articles_with_injected_violations_give_the_same_results(
        shapes: Graph, generated_graph: ox.Store, generated_plain: list[RawResult]) -> None:
    found = assert_same_results(generated_graph, shapes, generated_plain)
    components = {key[2] for key in found if key[0] == SH.Violation}
    assert {SH.MinCountConstraintComponent, SH.DatatypeConstraintComponent,
            SH.MaxCountConstraintComponent, SH.SPARQLConstraintComponent,
            URIRef("https://w3id.org/vjkg/shapes#PartialDateConstraintComponent")} <= components
    checks = {key[6] for key in found}
    assert URIRef("https://w3id.org/vjkg/shapes#EvidenceInReportingArticle") in checks  # needs two articles


def test_every_rule_broken_at_once_gives_the_same_results(shapes: Graph) -> None:
    graph = ox.Store()
    add_files(graph, sorted((SHAPES_FIXTURES / "valid").glob("*.ttl")) + ontology_files())
    for case in sorted((SHAPES_FIXTURES / "violations").glob("*.ru")):
        graph.update(case.read_text())
    found = assert_same_results(graph, shapes)
    assert len({key[6] or key[1] for key in found}) > 40


def test_the_split_moves_every_sparql_constraint_out_of_pyshacl(shapes: Graph) -> None:
    checks = sparql_checks(shapes)
    core = core_shapes(shapes, checks)
    assert len({c.source_constraint for c in checks if c.source_constraint is not None}) == \
        len(set(shapes.objects(None, SH.sparql)))
    assert not set(core.objects(None, SH.sparql))
    assert len(core) < len(shapes)


def test_the_project_shapes_can_be_split(shapes: Graph) -> None:
    """Without the whole-graph SPARQL constraints, the project's shapes read at most a few hops."""
    bound = reach(core_shapes(shapes, sparql_checks(shapes)))
    assert bound is not None and bound <= 3


def test_the_report_reads_the_same_as_from_the_plain_results(
        shapes: Graph, generated_graph: ox.Store, generated_plain: list[RawResult]) -> None:
    fast = validate(generated_graph, shapes)
    plain = report_of(generated_graph, shapes, generated_plain)

    def strip(results: tuple[object, ...]) -> Counter[tuple[object, ...]]:
        return Counter((r.severity, r.check, r.focus, r.path, r.value, r.component, r.article, r.sentence)
                       for r in results)  # type: ignore[attr-defined]
    assert strip(fast.results) == strip(plain.results)
    assert fast.conforms is plain.conforms is False


def test_validate_changed_rechecks_only_the_changed_article(tmp_path: Path) -> None:
    from kg.validate.incremental import cache_file, validate_store
    assert generate(["--articles", "4", "--seed", "11", "--out", str(tmp_path / "corpus")]) == 0
    articles = tmp_path / "corpus" / "articles"
    store_dir = tmp_path / "store"
    build([articles], Store(store_dir), workers=1)

    first = validate_store(store_dir, changed=True)  # no cache yet: a full run
    assert (first.articles_validated, first.nodes_validated) == (4, None)
    assert cache_file(store_dir).is_file()

    again = validate_store(store_dir, changed=True)
    assert (again.articles_validated, again.nodes_validated) == (0, 0)
    assert again.report.results == first.report.results

    edited = sorted(articles.glob("*.txt"))[1]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text[: len(text) // 2].rsplit(".", 1)[0] + ".\n", encoding="utf-8")
    build([articles], Store(store_dir), workers=1)
    incremental = validate_store(store_dir, changed=True)
    assert incremental.articles_validated == 1
    assert incremental.nodes_validated is not None and incremental.nodes_validated > 0
    full = validate_store(store_dir)
    assert full.articles_validated == 4
    assert incremental.report.results == full.report.results
    assert incremental.report.triples < first.report.triples  # the edit did change the graph


def test_kg_validate_changed_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import main as kg
    store_dir = tmp_path / "store"
    build([SEEDS_DIR], Store(store_dir), workers=1)
    full = CliRunner().invoke(kg, ["validate", "--store", str(store_dir), "--format", "json"])
    assert full.exit_code in (0, 1), full.output
    again = CliRunner().invoke(kg, ["validate", "--store", str(store_dir), "--format", "json", "--changed"])
    assert again.exit_code == full.exit_code
    assert "re-checked 0 changed article graph(s)" in again.output
    assert again.output.replace("kg validate: re-checked 0 changed article graph(s)\n", "") == full.output
    refused = CliRunner().invoke(kg, ["validate", "--changed", "--data", str(SHAPES_FIXTURES / "valid" / "article.ttl")])
    assert refused.exit_code == 2 and "--changed" in refused.output


def test_small_chunks_in_worker_processes_give_the_same_results(
        shapes: Graph, generated_graph: ox.Store, generated_plain: list[RawResult]) -> None:
    from kg.validate.sparql import oxigraph_rows, run_checks
    checks = sparql_checks(shapes)
    chunked = core_results(as_rdflib(generated_graph), core_shapes(shapes, checks), chunk_subjects=1500, workers=2)
    assert result_multiset(chunked + run_checks(oxigraph_rows(generated_graph), checks)) == \
        result_multiset(generated_plain)


EX = Namespace("http://example.org/split#")


def _random_graph(seed: int, size: int) -> Graph:
    """Persons (IRIs and blank nodes) who know, employ and point to each other, some typed
    only through a subclass, with names, ages and sometimes an age written as a string."""
    rng = random.Random(seed)
    graph = Graph()
    graph.add((EX.Employee, RDFS.subClassOf, EX.Person))
    nodes = [EX[f"p{i}"] if i % 3 else BNode(f"b{seed}x{i}") for i in range(size)]
    for index, node in enumerate(nodes):
        graph.add((node, RDF.type, EX.Employee if index % 5 == 0 else EX.Person))
        for _ in range(rng.randrange(0, 3)):
            graph.add((node, EX.name, Literal(rng.choice(["Ann", "Bo", "Cy"]), lang=rng.choice(["en", "fr"]))))
        age = rng.randrange(-3, 90)
        graph.add((node, EX.age, Literal(str(age)) if age % 17 == 0 else Literal(age)))
        for _ in range(rng.randrange(0, 3)):
            graph.add((node, EX.knows, rng.choice(nodes)))
        if rng.random() < 0.4:
            graph.add((node, EX.employer, rng.choice(nodes)))
        if rng.random() < 0.1:
            graph.add((node, EX.knows, Literal("not a node")))
    return graph


SPLIT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/split#> .
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:uniqueLang true ] ;
  sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:minInclusive 0 ] ;
  sh:property [ sh:path ex:knows ; sh:class ex:Person ; sh:nodeKind sh:BlankNodeOrIRI ] ;
  sh:property [ sh:path ( ex:knows ex:employer ) ; sh:class ex:Employee ; sh:maxCount 2 ] ;
  sh:property [ sh:path ( ex:employer ex:knows ex:name ) ; sh:maxCount 3 ] ;
  sh:property [ sh:path [ sh:alternativePath ( ex:knows ex:employer ) ] ; sh:node ex:NamedShape ] .
ex:NamedShape a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:EmployerShape a sh:NodeShape ; sh:targetSubjectsOf ex:employer ;
  sh:property [ sh:path [ sh:zeroOrOnePath ex:employer ] ; sh:minCount 2 ] .
"""
INVERSE_SHAPES = SPLIT_SHAPES + """
ex:KnownShape a sh:NodeShape ; sh:targetClass ex:Employee ;
  sh:property [ sh:path [ sh:inversePath ex:knows ] ; sh:minCount 1 ; sh:class ex:Person ] ;
  sh:property [ sh:path ( [ sh:inversePath ex:employer ] ex:knows ) ; sh:maxCount 1 ] .
"""


@pytest.mark.parametrize(("shapes_text", "splits"), [(SPLIT_SHAPES, True), (INVERSE_SHAPES, False)],
                         ids=["sequence-paths-split", "inverse-paths-whole-graph"])
def test_a_graph_forced_to_split_gives_the_same_results(shapes_text: str, splits: bool) -> None:
    shapes = Graph().parse(data=shapes_text, format="turtle")
    data = _random_graph(seed=7, size=900)
    assert (reach(shapes) is not None) is splits
    fast = validate_graph(data, shapes, chunk_subjects=200)
    plain = plain_results(data, shapes)
    assert result_multiset(fast) == result_multiset(plain)
    assert any(isinstance(r.focus, BNode) for r in plain)  # blank-node focus nodes are there
    assert any(r.path is not None and not isinstance(r.path, URIRef) for r in plain)  # and paths with structure
    assert any(r.component == SH.DatatypeConstraintComponent for r in plain)  # ages written as strings
    assert max(result_multiset(plain).values()) > 1  # results that look alike, counted as many as they are


SPARQL_MESSAGES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "Review {$this}." ;
  sh:sparql [ sh:message "{$this} points to {?value}." ;
              sh:select "SELECT $this ?value WHERE { $this <http://example.org/p> ?value }" ] .
ex:T a sh:NodeShape ; sh:targetClass ex:C ;
  sh:sparql [ sh:message "Only the constraint's: {?value}." ;
              sh:select "SELECT $this ?value WHERE { $this <http://example.org/q> ?value }" ] .
"""


def test_sparql_constraint_messages_are_the_shapes_and_the_constraints():
    """A SPARQL constraint's results carry its shape's sh:message and its own, as one plain
    pySHACL call gives them (found at 100 generated articles, where the messages differed)."""
    data = Graph().parse(data="@prefix ex: <http://example.org/> . ex:a a ex:C ; ex:p ex:x ; ex:q ex:y .",
                         format="turtle")
    shapes = Graph().parse(data=SPARQL_MESSAGES, format="turtle")
    ours = Counter((r.focus, r.value, tuple(sorted(map(str, r.messages)))) for r in validate_graph(data, shapes))
    plain = Counter((r.focus, r.value, tuple(sorted(map(str, r.messages)))) for r in plain_results(data, shapes))
    assert sum(plain.values()) == 2
    assert ours == plain
