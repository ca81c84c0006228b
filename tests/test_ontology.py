"""The T-box: it parses, it implements the data model of ontology/README.md, every term is
labelled and defined, and it is self-contained for OWL tools. (Its consistency under HermiT is
checked in test_reason.py.)"""
from __future__ import annotations

import re

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.store.working import ontology_files
from kg.namespaces import ORG, VJO
from kg.files import ONTOLOGY_DIR

VJO_NS = str(VJO)
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                OWL.NamedIndividual, RDFS.Datatype)


@pytest.fixture(scope="module")
def tbox() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def declared(graph: Graph) -> set[URIRef]:
    return {s for kind in DECLARATIONS for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def own_terms(graph: Graph) -> set[URIRef]:
    return {term for term in declared(graph) if str(term).startswith(VJO_NS)}


def test_the_ontology_header_says_what_it_is(tbox: Graph) -> None:
    (ontology,) = tbox.subjects(RDF.type, OWL.Ontology)
    assert str(ontology) == "https://w3id.org/vjkg/ontology"
    for prop in (OWL.versionIRI, DCTERMS.title, DCTERMS.license, RDFS.comment):
        assert tbox.value(ontology, prop) is not None, prop


def test_every_vjo_term_of_the_data_model_contract_is_declared(tbox: Graph) -> None:
    readme = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")
    used = {VJO[name] for name in re.findall(r"\bvjo:([A-Za-z]+)", readme)}
    assert len(used) > 50
    assert sorted(used - own_terms(tbox)) == []


def test_every_own_term_has_a_label_and_a_definition(tbox: Graph) -> None:
    for term in own_terms(tbox):
        assert tbox.value(term, RDFS.label) is not None, term
        assert (tbox.value(term, SKOS.definition) or tbox.value(term, RDFS.comment)) is not None, term


def test_every_external_term_is_declared_with_a_label(tbox: Graph) -> None:
    linking = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.onProperty,
               OWL.someValuesFrom, OWL.onClass, OWL.inverseOf)
    used = {o for p in linking for o in tbox.objects(None, p) if isinstance(o, URIRef)}
    used |= {p for _, p, _ in tbox if not str(p).startswith((str(RDF), str(RDFS), str(OWL)))}
    builtin = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
    external = {t for t in used if not str(t).startswith((VJO_NS, *builtin))}
    assert external, "the ontology should reuse standard vocabularies"
    undeclared = sorted(str(t) for t in external - declared(tbox))
    assert undeclared == []
    for term in external:
        assert tbox.value(term, RDFS.label) is not None, term


def test_object_and_datatype_properties_have_domains_and_ranges(tbox: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in tbox.subjects(RDF.type, kind):
            if str(prop).startswith(VJO_NS):
                assert tbox.value(prop, RDFS.domain) is not None, prop
                assert tbox.value(prop, RDFS.range) is not None, prop


def test_unique_values_are_functional(tbox: Graph) -> None:
    functional = set(tbox.subjects(RDF.type, OWL.FunctionalProperty))
    for name in ("value", "unit", "indicator", "date", "endDate", "status", "meetingKind", "inArticle",
                 "charCount", "contentHash", "fileName", "isoCode", "former", "asOf", "period"):
        assert VJO[name] in functional, name
    for iri in ("http://www.w3.org/ns/oa#start", "http://www.w3.org/ns/oa#end", str(ORG.member)):
        assert URIRef(iri) in functional, iri


def test_official_is_a_person_with_a_post_holding(tbox: Graph) -> None:
    (definition,) = tbox.objects(VJO.Official, OWL.equivalentClass)
    parts = list(Collection(tbox, tbox.value(definition, OWL.intersectionOf)))
    assert VJO.Person in parts
    (restriction,) = [p for p in parts if isinstance(p, BNode)]
    assert tbox.value(restriction, OWL.onProperty) == ORG.hasMembership
    assert tbox.value(restriction, OWL.someValuesFrom) == VJO.PostHolding
    assert tbox.value(ORG.hasMembership, OWL.inverseOf) == ORG.member


def test_top_classes_are_pairwise_disjoint_and_a_state_is_a_place(tbox: Graph) -> None:
    groups = [set(Collection(tbox, tbox.value(node, OWL.members)))
              for node in tbox.subjects(RDF.type, OWL.AllDisjointClasses)]
    top = {VJO[name] for name in ("Person", "Organization", "Agreement", "Meeting", "Place", "Observation",
                                  "Article", "Mention", "PostHolding", "PartnershipStatement",
                                  "BilateralRelationship", "DiplomaticTiesStatement", "AgreementMembership")}
    assert any(top <= group for group in groups)
    assert {VJO.Place, URIRef("https://schema.org/Country"), ORG.FormalOrganization} <= set(
        tbox.objects(VJO.State, RDFS.subClassOf))


def test_meeting_statuses_are_the_three_individuals(tbox: Graph) -> None:
    statuses = {s for s in tbox.subjects(RDF.type, VJO.MeetingStatus)}
    assert statuses == {VJO.Held, VJO.Announced, VJO.Planned}
