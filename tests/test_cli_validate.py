"""`kg validate` and `kg info` from the command line: exit codes, messages and report formats.

Exit codes of `kg validate`: 0 nothing at or above --fail-on (default violation), 1 such a
result, 2 a usage or input error, including shapes SHACL says must be refused.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from kg.cli.main import main
from kg.store.working import ontology_files
from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH, SH, article_graph
from kg.store.store import Store
from kg.validate.results import as_written

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "shapes" / "valid"
BAD = FIXTURES / "validate"


def data_args(*extra: Path) -> list[str]:
    args = []
    for path in (VALID / "article.ttl", VALID / "reference.ttl", *extra):
        args += ["--data", str(path)]
    return args


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_a_conforming_graph_exits_0() -> None:
    result = run("validate", *data_args())
    assert result.exit_code == 0, result.output
    assert result.output.startswith("kg validate: conforms: 0 violations, 0 warnings, 0 infos")


def test_violations_exit_1_and_name_the_shape_node_and_sentence() -> None:
    result = run("validate", *data_args(BAD / "second-status.ttl"))
    assert result.exit_code == 1
    assert "does not conform: 2 violations" in result.output
    assert "[Violation] vjsh:Meeting-status (vjsh:MeetingShape › status): 2 results" in result.output
    assert "vjr:meeting/007_demo/36  [MaxCount]  path vjo:status" in result.output
    assert "value vjo:Postponed" in result.output
    assert 'source: 007_demo.txt: "On July 8, Prime Minister Le Van Binh received' in result.output


def test_warnings_alone_do_not_fail_but_the_report_does_not_conform() -> None:
    result = run("validate", *data_args(BAD / "stock-and-flow.ttl"))
    assert result.exit_code == 0, result.output
    assert "does not conform: 0 violations, 1 warning, 0 infos" in result.output  # SHACL: any result
    assert "[Warning] vjsh:ObservationStockOrFlow" in result.output
    assert run("validate", "--fail-on", "warning", *data_args(BAD / "stock-and-flow.ttl")).exit_code == 1
    assert run("validate", "--fail-on", "info", *data_args(BAD / "stock-and-flow.ttl")).exit_code == 1


EX = "http://example.org/t#"
SHAPES_HEAD = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" \
              f"@prefix ex: <{EX}> .\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_data_is_validated_as_written(tmp_path: Path) -> None:
    """"01"^^xsd:integer and "5"^^xsd:int stay as written: a store would make them "1" and
    xsd:integer, and the pattern and datatype checks would see another value."""
    data = write(tmp_path / "data.ttl", f'@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <{EX}> .\n'
                                        'ex:a ex:code "01"^^xsd:integer ; ex:size "5"^^xsd:int .\n')
    shapes = write(tmp_path / "shapes.ttl", SHAPES_HEAD + """
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
  sh:property [ sh:path ex:code ; sh:pattern "^0" ] ;
  sh:property [ sh:path ex:size ; sh:datatype xsd:int ] ;
  sh:sparql [ sh:select "SELECT $this ?value WHERE { $this <http://example.org/t#code> ?value }" ] .
""")
    out = tmp_path / "report.ttl"
    result = run("validate", "--data", str(data), "--shapes", str(shapes), "--format", "turtle", "--out", str(out))
    assert result.exit_code == 1, result.output + result.stderr
    with as_written():  # rdflib would read "01"^^xsd:integer back as "1"
        report = Graph().parse(out, format="turtle")
    components = sorted(str(c).rsplit("#", 1)[1] for c in report.objects(None, SH.sourceConstraintComponent))
    assert components == ["SPARQLConstraintComponent"]  # only the SPARQL constraint reports, and the value as written:
    assert [str(v) for v in report.objects(None, SH.value)] == ["01"]


def test_warnings_only_report_in_turtle_does_not_conform(tmp_path: Path) -> None:
    data = write(tmp_path / "data.nt", f"<{EX}a> <{EX}p> \"x\" .\n")
    shapes = write(tmp_path / "shapes.ttl", SHAPES_HEAD + """
ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:severity sh:Warning ; sh:property ex:P .
ex:P sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ; sh:severity sh:Info .
ex:S2 a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxLength 0 ; sh:severity sh:Warning ] .
""")
    result = run("validate", "--data", str(data), "--shapes", str(shapes), "--format", "turtle")
    assert result.exit_code == 0, result.output + result.stderr
    report = Graph().parse(data=result.output, format="turtle")
    assert list(report.objects(None, SH.conforms)) == [Literal(False)]
    paths = [p for p in report.objects(None, SH.resultPath) if report.value(p, SH.inversePath) is not None]
    assert len(paths) == 1 and str(report.value(paths[0], SH.inversePath)) == EX + "p"
    assert run("validate", "--data", str(data), "--shapes", str(shapes), "--fail-on", "info").exit_code == 1


@pytest.mark.parametrize(("query", "construct"), [
    ("SELECT $this WHERE { $this ?p ?o . MINUS { $this ?p 1 } }", "MINUS"),
    ("SELECT $this WHERE { VALUES ?o { 1 } $this ?p ?o }", "VALUES"),
    ("SELECT $this WHERE { $this ?p ?o . SERVICE <http://example.org/s> { ?a ?b ?c } }", "SERVICE"),
    ("SELECT $this WHERE { $this ?p ?o . { SELECT ?o WHERE { ?s ?q ?o } } }", "a subquery that does not return"),
    ("SELECT $this WHERE { $this ?p ?o . FILTER ( }", "not valid SPARQL"),
])
def test_shapes_the_spec_refuses_exit_2_naming_shape_and_construct(tmp_path: Path, query: str, construct: str) -> None:
    data = write(tmp_path / "data.ttl", f"<{EX}a> <{EX}p> 1 .\n")
    shapes = write(tmp_path / "shapes.ttl", SHAPES_HEAD + f'ex:Bad a sh:NodeShape ; sh:targetNode ex:a ; '
                                                          f'sh:sparql [ sh:select """{query}""" ] .\n')
    result = run("validate", "--data", str(data), "--shapes", str(shapes))
    assert result.exit_code == 2
    assert "shape <http://example.org/t#Bad>" in result.stderr and construct in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_this_in_a_union_branch_filter_is_pre_bound(tmp_path: Path) -> None:
    """$this only in a FILTER of a nested group: a join would leave it unbound there."""
    data = write(tmp_path / "data.jsonld", '{"@id": "http://example.org/t#a", "http://example.org/t#p": 1}')
    shapes = write(tmp_path / "shapes.ttl", SHAPES_HEAD + """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
  sh:sparql [ sh:select "SELECT $this WHERE { { ?s ?p ?o FILTER (?s = $this) } UNION { ?x ?y ?z FILTER (false) } }" ] .
""")
    result = run("validate", "--data", str(data), "--shapes", str(shapes), "--format", "json")
    assert result.exit_code == 1, result.output + result.stderr
    assert [r["focus"] for r in json.loads(result.output)["results"]] == ["<http://example.org/t#a>"]


@pytest.mark.parametrize(("name", "expected"), [
    ("missing.ttl", "missing.ttl: no such file"),
    ("malformed.ttl", "malformed.ttl, line 5: not valid Turtle"),  # where the missing dot shows
    ("empty.ttl", "empty.ttl: contains no triples"),
])
def test_bad_input_exits_2_with_one_line(name: str, expected: str) -> None:
    result = run("validate", "--data", str(BAD / name))
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_store_exits_2(tmp_path: Path) -> None:
    result = run("validate", "--store", str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "no graph has been built here yet" in result.stderr


def test_json_report_parses() -> None:
    result = run("validate", "--format", "json", *data_args(BAD / "second-status.ttl"))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    assert report["counts"] == {"Violation": 2, "Warning": 0, "Info": 0}
    assert {r["check"] for r in report["results"]} == {"vjsh:Meeting-status"}
    assert {r["article"] for r in report["results"]} == {"007_demo.txt"}


def test_junit_report_written_atomically_is_xml_with_a_case_per_check(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "shacl-junit.xml"
    result = run("validate", "--format", "junit", "--out", str(out), *data_args(BAD / "second-status.ttl"))
    assert result.exit_code == 1
    assert result.output.startswith("kg validate: does not conform: 2 violations")
    assert str(out) in result.output
    assert [p.name for p in out.parent.iterdir()] == ["shacl-junit.xml"]  # no temporary left
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites"
    cases = root.findall("testsuite/testcase")
    assert len(cases) == int(root.get("tests")) > 90
    failing = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failing] == ["vjsh:Meeting-status (status)"]
    assert len(failing[0].findall("failure")) == 2
    assert root.get("failures") == "1"


def test_the_built_store_is_validated_and_counted(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    graphs = {ONTOLOGY_GRAPH: ontology_files(), REFERENCE_GRAPH: [VALID / "reference.ttl"],
              article_graph("007_demo"): [VALID / "article.ttl"]}
    for iri, files in graphs.items():
        graph = Graph()
        for path in files:
            graph.parse(path)
        store.replace_graph(str(iri), graph)
    store.flush()
    del store

    validated = run("validate", "--store", str(tmp_path / "store"))
    assert validated.exit_code == 0, validated.output + validated.stderr
    assert "conforms" in validated.output
    turtle = run("validate", "--store", str(tmp_path / "store"), "--format", "turtle")
    assert turtle.exit_code == 0
    assert list(Graph().parse(data=turtle.output, format="turtle").objects(None, SH.conforms)) == [Literal(True)]

    info = run("info", "--store", str(tmp_path / "store"))
    assert info.exit_code == 0, info.stderr
    assert "articles: 1" in info.output
    assert "  vjg:article/007_demo: " in info.output
    assert "  vjo:Meeting: 2" in info.output
    assert "  vjo:Person: 2" in info.output

    as_json = json.loads(run("info", "--format", "json", "--store", str(tmp_path / "store")).output)
    assert as_json["articles"] == 1
    assert sorted(as_json["graphs"]) == ["vjg:article/007_demo", "vjg:ontology", "vjg:reference"]
    assert as_json["classes"]["vjo:Observation"] == 1
    assert as_json["triples"] <= as_json["quads"]


def test_info_on_a_missing_store_exits_2(tmp_path: Path) -> None:
    result = run("info", "--store", str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "kg: error:" in result.stderr


def test_the_ci_workflow_runs_real_kg_commands() -> None:
    import shlex

    import yaml

    workflow = yaml.safe_load((Path(__file__).parent.parent / ".github" / "workflows" / "validate.yml").read_text())
    runs = [step["run"] for step in workflow["jobs"]["shacl"]["steps"] if str(step.get("run", "")).startswith("kg ")]
    assert any("validate --format junit --out build/shacl-junit.xml" in run for run in runs)
    for run_line in runs:
        name, *args = shlex.split(run_line)[1:]
        command = main.commands[name]
        command.make_context(name, args)  # raises on an unknown option or a bad value
