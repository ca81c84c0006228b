"""The SHACL shapes: each rule is shown a graph that breaks it, and a graph that does not.

The conforming graph is ``fixtures/shapes/valid/`` (one invented article in the data model of
ontology/README.md, plus a slice of reference data). Each ``fixtures/shapes/violations/*.ru``
is a SPARQL Update that breaks one rule of it; its header names the check(s) that must report
it (``#+ expect:``) and the most severe severity (``#+ severity:``), and nothing else may be
reported.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.store.working import add_files, ontology_files, reference_files
from kg.namespaces import SH
from kg.validate.shacl import compact, load_shapes, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
CASES = sorted((FIXTURES / "violations").glob("*.ru"))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def base_graph() -> ox.Store:
    store = ox.Store()
    add_files(store, VALID + ontology_files())
    return store


def expectation(case: Path) -> tuple[set[str], str]:
    header = dict(line[3:].split(":", 1) for line in case.read_text().splitlines() if line.startswith("#+ "))
    return set(header["expect"].split()), header["severity"].strip()


def test_the_valid_article_conforms_with_no_result_at_all(shapes: Graph) -> None:
    report = validate(base_graph(), shapes)
    assert report.conforms
    assert report.results == ()
    assert report.counts() == {"Violation": 0, "Warning": 0, "Info": 0}


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_each_broken_rule_is_reported_by_its_own_check(case: Path, shapes: Graph) -> None:
    expected, severity = expectation(case)
    graph = base_graph()
    graph.update(case.read_text())
    report = validate(graph, shapes)
    assert {r.check for r in report.results} == expected
    severities = {r.severity for r in report.results}
    most_severe = next(s for s in ("Violation", "Warning", "Info") if s in severities)
    assert most_severe == severity
    assert report.conforms is False  # SHACL: any result, of any severity
    assert report.fails("Violation") is (severity == "Violation")


def test_every_node_shape_and_sparql_constraint_has_a_breaking_case(shapes: Graph) -> None:
    covered = set().union(*(expectation(case)[0] for case in CASES))
    checks = validate(base_graph(), shapes).checks
    owners = {check.check: check.node_shape for check in checks}
    node_shapes = {check.node_shape for check in checks}
    assert node_shapes <= {owners[c] for c in covered if c in owners}
    sparql = {compact(c) for c in shapes.objects(None, SH.sparql)}
    assert sparql and sparql <= covered
    assert len(CASES) >= len(node_shapes) + len(sparql)


def test_a_result_points_to_the_article_and_sentence_it_came_from(shapes: Graph) -> None:
    graph = base_graph()
    graph.update((FIXTURES / "violations" / "meeting-held-after-article.ru").read_text())
    (result,) = validate(graph, shapes).results
    assert result.focus == "vjr:meeting/007_demo/36"
    assert result.value == '"2025-07-15"^^xsd:date'
    assert result.node_shape == "vjsh:MeetingShape"
    assert result.article == "007_demo.txt"
    assert result.sentence is not None and result.sentence.startswith("On July 8, Prime Minister Le Van Binh")
    assert "2025-07-10" in result.message and "vjr:meeting/007_demo/36" in result.message


def test_a_broken_mention_is_its_own_evidence(shapes: Graph) -> None:
    graph = base_graph()
    graph.update((FIXTURES / "violations" / "mention-exact-length.ru").read_text())
    (result,) = validate(graph, shapes).results
    assert result.focus == "vjr:article/007_demo/mention/126-131"
    assert result.article == "007_demo.txt"
    assert result.sentence is not None and result.sentence.endswith("Sato Kenji in Hanoi.")


def test_the_shapes_graph_passes_shacl_shacl(shapes: Graph) -> None:
    conforms, _graph, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_shacl_shacl_would_catch_a_malformed_shape(shapes: Graph) -> None:
    broken = Graph()
    broken += shapes
    broken.add((URIRef("https://w3id.org/vjkg/shapes#Meeting-status"), SH.minCount, Literal("one")))
    with pytest.raises(pyshacl.errors.ReportableRuntimeError):
        pyshacl.validate(Graph(), shacl_graph=broken, meta_shacl=True, advanced=True)


def test_every_shape_and_constraint_is_named_explained_and_documented(shapes: Graph) -> None:
    kinds = (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint)
    documented = [s for kind in kinds for s in shapes.subjects(RDF.type, kind)]
    assert len(documented) > 100
    for shape in documented:
        for prop in (SH.name, SH.message, RDFS.comment):
            assert shapes.value(shape, prop) is not None, f"{compact(shape)} lacks {compact(prop)}"


def test_the_curated_reference_data_conforms(shapes: Graph) -> None:
    store = ox.Store()
    add_files(store, ontology_files() + reference_files())
    report = validate(store, shapes)
    assert [r for r in report.results if r.severity == "Violation"] == []
