"""SHACL Core compiled to SPARQL (kg.validate.compiled) gives pySHACL's results, component by component.

Each case is a small shapes graph using one compiled component and data that breaks it (and
data that keeps it, so a component that flags everything fails too); the compiled run on an
Oxigraph copy of the data must equal one plain pySHACL call as a multiset, messages included.
"""
from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph

from kg.validate.compiled import compile_shapes, run_plan, store_select
from kg.validate.core import pyshacl_results
from kg.validate.rdfio import oxigraph_copy
from kg.validate.results import RawResult, as_written, result_key
from kg.validate.shacl import load_shapes
from kg.validate.sparql import core_shapes, sparql_checks

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
TARGET = 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .\n'


def prop(constraints: str, path: str = "ex:p", severity: str = "") -> str:
    return TARGET + f'ex:P sh:path {path} ; sh:message "broken"@en, "kaputt"@de ; {severity} {constraints} .\n'


DATA_NODES = """
ex:a a ex:C . ex:b a ex:C . ex:c a ex:D . ex:D rdfs:subClassOf ex:C . ex:d a ex:E .
"""

CASES: dict[str, tuple[str, str]] = {
    "minCount": (prop("sh:minCount 2"), "ex:a ex:p 1, 2 . ex:b ex:p 1 ."),
    "minCount-1": (prop("sh:minCount 1", severity="sh:severity sh:Warning ;"), "ex:a ex:p 1 ."),
    "maxCount": (prop("sh:maxCount 1"), 'ex:a ex:p 1, 2 . ex:b ex:p "x" . ex:c ex:p 1, "1" .'),
    "maxCount-0": (prop("sh:maxCount 0"), "ex:a ex:p 1 ."),
    "datatype-integer": (prop("sh:datatype xsd:integer"),
                         'ex:a ex:p 1, "x", "2"^^xsd:decimal, ex:a . ex:b ex:p "abc"^^xsd:integer . ex:c ex:p -5 .'),
    "datatype-string": (prop("sh:datatype xsd:string"), 'ex:a ex:p "x", "y"@en, 3 . ex:b ex:p "z"^^xsd:string .'),
    "datatype-langString": (prop("sh:datatype rdf:langString"), 'ex:a ex:p "x", "y"@en .'),
    "datatype-boolean": (prop("sh:datatype xsd:boolean"), 'ex:a ex:p true, "yes"^^xsd:boolean, "1" .'),
    "datatype-decimal": (prop("sh:datatype xsd:decimal"), 'ex:a ex:p 1.5, 2, "x"^^xsd:decimal .'),
    "datatype-date": (prop("sh:datatype xsd:date"), 'ex:a ex:p "2024-01-02"^^xsd:date, "2024-13-40"^^xsd:date .'),
    "class": (prop("sh:class ex:K"),
              "ex:a ex:p ex:k1, ex:k2, 3 . ex:k1 a ex:K . ex:k2 a ex:L . ex:L rdfs:subClassOf ex:K . "
              "ex:b ex:p ex:k3 . ex:k3 a ex:M ."),
    "nodeKind": (prop("sh:nodeKind sh:IRI"), 'ex:a ex:p ex:x, "x", [ ex:q 1 ] .'),
    "nodeKind-literal": (prop("sh:nodeKind sh:BlankNodeOrLiteral"), 'ex:a ex:p ex:x, "x", [ ex:q 1 ] .'),
    "pattern": (prop('sh:pattern "^[A-Z]{2}$"'), 'ex:a ex:p "VN", "vn", "JPN", ex:AB . ex:b ex:p 12 .'),
    "hasValue": (prop("sh:hasValue ex:v, ex:w"), "ex:a ex:p ex:v . ex:b ex:p ex:v, ex:w ."),
    "hasValue-type": (prop("sh:hasValue ex:Z", path="rdf:type"), "ex:z a ex:Z ."),
    "in": (prop("sh:in ( ex:v 1 \"s\" )"), 'ex:a ex:p ex:v, ex:w, 1, 2, "s", "s"@en .'),
    "minLength": (prop("sh:minLength 2"), 'ex:a ex:p "", "ab", "a"@en, 7, ex:x, [ ex:q 1 ] .'),
    "maxLength": (prop("sh:maxLength 2"), 'ex:a ex:p "", "abc", 123 .'),
    "minInclusive": (prop("sh:minInclusive 0"),
                     'ex:a ex:p -1, 0, 5, "x", "3"^^xsd:decimal, "-0.5"^^xsd:decimal, ex:x, "a"^^xsd:integer .'),
    "minExclusive": (prop("sh:minExclusive 1"), "ex:a ex:p 0, 1, 2 ."),
    "maxInclusive": (prop("sh:maxInclusive 10"), "ex:a ex:p 9, 10, 11, 10.5 ."),
    "maxExclusive": (prop('sh:maxExclusive "2024-01-01"^^xsd:date'),
                     'ex:a ex:p "2023-05-05"^^xsd:date, "2024-05-05"^^xsd:date, 3 .'),
    "uniqueLang": (prop("sh:uniqueLang true"),
                   'ex:a ex:p "a"@en, "b"@en, "c"@vi, "d"@vi, "e"@ja, "f" . ex:b ex:p "a"@en, "b"@EN .'),
    "languageIn": (prop('sh:languageIn ( "en" "vi" )'), 'ex:a ex:p "a"@en, "b"@en-GB, "c"@ja, "d" .'),
    "lessThan": (prop("sh:lessThan ex:q"),
                 'ex:a ex:p 1, 5 ; ex:q 3 . ex:b ex:p "a" ; ex:q "b", 2 . ex:c ex:p 2 ; ex:q 2 .'),
    "disjoint": (prop("sh:disjoint ex:q"), "ex:a ex:p ex:x, ex:y ; ex:q ex:y . ex:b ex:p 1 ; ex:q 1, 2 ."),
    "equals": (prop("sh:equals ex:q"), "ex:a ex:p ex:x, ex:y ; ex:q ex:y, ex:z . ex:b ex:p 1 ; ex:q 1 ."),
    "node": (prop("sh:node ex:N") + 'ex:N a sh:NodeShape ; sh:property [ sh:path ex:r ; sh:minCount 1 ] .',
             "ex:a ex:p ex:x, ex:y, 3 . ex:x ex:r 1 ."),
    "or": (prop("sh:or ( [ sh:class ex:K ] [ sh:datatype xsd:integer ] )"),
           'ex:a ex:p ex:k, ex:m, 1, "x" . ex:k a ex:K .'),
    "and": (prop("sh:and ( [ sh:nodeKind sh:Literal ] [ sh:datatype xsd:integer ] )"), 'ex:a ex:p 1, "x", ex:q .'),
    "not": (prop("sh:not [ sh:class ex:K ]"), "ex:a ex:p ex:k, ex:m . ex:k a ex:K ."),
    "qualifiedMinCount": (prop("sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMinCount 1"),
                          "ex:a ex:p ex:k . ex:k a ex:K . ex:b ex:p ex:m . ex:c ex:p ex:k, ex:m ."),
    "qualifiedMaxCount": (prop("sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMaxCount 1"),
                          "ex:a ex:p ex:k, ex:l . ex:k a ex:K . ex:l a ex:K . ex:b ex:p ex:k ."),
    "inverse-path": (prop("sh:minCount 1 ; sh:class ex:C", path="[ sh:inversePath ex:p ]"),
                     "ex:x ex:p ex:a . ex:z ex:p ex:b ."),
    "sequence-path": (prop("sh:datatype xsd:integer", path="( ex:p ex:q )"), 'ex:a ex:p ex:x . ex:x ex:q 1, "y" .'),
    "targetNode": ('ex:S a sh:NodeShape ; sh:targetNode ex:a, ex:nowhere ; sh:property ex:P .\n'
                   'ex:P sh:path ex:p ; sh:message "broken" ; sh:minCount 1 .', "ex:a ex:q 1 ."),
    "targetSubjectsOf": ('ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:property ex:P .\n'
                         'ex:P sh:path ex:p ; sh:message "broken" ; sh:minCount 1 .', "ex:x ex:q 1 . ex:y ex:q 2 ; ex:p 3 ."),
    "targetObjectsOf": ('ex:S a sh:NodeShape ; sh:targetObjectsOf ex:q ; sh:property ex:P .\n'
                        'ex:P sh:path ex:p ; sh:message "broken" ; sh:minCount 1 .', "ex:x ex:q ex:o, 5 ."),
    "node-shape-constraint": ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "not K" ; sh:class ex:K .',
                              "ex:k a ex:C, ex:K ."),
    "deactivated": (prop("sh:minCount 5 ; sh:deactivated true"), ""),
}


def _graph(text: str) -> Graph:
    """Parsed as ``kg validate --data`` reads files: literals as written."""
    graph = Graph()
    with as_written():
        graph.parse(data=PREFIXES + text, format="turtle")
    return graph


def _multiset(results: list[RawResult]) -> Counter[tuple[object, ...]]:
    return Counter(result_key(r) + (tuple(sorted(map(str, r.messages))),) for r in results)


@pytest.mark.parametrize("name", sorted(CASES))
def test_compiled_component_equals_pyshacl(name: str) -> None:
    shapes_text, data_text = CASES[name]
    shapes, data = _graph(shapes_text), _graph(DATA_NODES + data_text)
    core = core_shapes(shapes, sparql_checks(shapes))
    plan = compile_shapes(core)
    assert plan is not None, f"{name}: the shapes should compile"
    store, faithful = oxigraph_copy(data)
    assert store is not None
    compiled = _multiset(run_plan(plan, store_select(store, union=False)))
    plain = _multiset(pyshacl_results(data, shapes))
    assert compiled == plain, f"{name}:\nonly compiled: {compiled - plain}\nonly pySHACL: {plain - compiled}"
    if name != "deactivated":
        assert plain, f"{name}: the data should break the constraint"


@pytest.mark.parametrize("shapes_text", [
    TARGET + "ex:P sh:path ex:p ; sh:minCount 1 .",  # no message: pySHACL writes its own
    prop("sh:closed true"),
    prop("sh:xone ( [ sh:class ex:K ] )"),
    prop("sh:sparql [ sh:select \"SELECT $this WHERE { $this ?p ?o }\" ]"),
    prop('sh:pattern "a" ; sh:flags "i"'),
    prop("sh:minCount 1, 2"),
    prop("sh:hasValue 1"),
    prop("sh:node ex:Loop") + "ex:Loop sh:node ex:Loop .",
])
def test_what_is_not_compiled_falls_back(shapes_text: str) -> None:
    shapes = _graph(shapes_text)
    assert compile_shapes(core_shapes(shapes, sparql_checks(shapes))) is None


def test_the_project_shapes_compile() -> None:
    """Every core constraint of the project's shapes is compiled (the SPARQL ones run apart)."""
    shapes = load_shapes()
    plan = compile_shapes(core_shapes(shapes, sparql_checks(shapes)))
    assert plan is not None and len(plan.roots) > 10
