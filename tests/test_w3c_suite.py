"""The W3C SHACL test suite (``../shared/w3c-shacl/tests``), one test per ``sht:Validate`` case,
each run through ``kg validate --data D --shapes S --format turtle --out R``.

Compared by the suite's rule: a case expecting ``sht:Failure`` must be refused (exit 2);
otherwise ``sh:conforms`` must agree and the results must be equal as a multiset of
(focus node, path by structure, value, source shape, constraint component, severity, source
constraint), literals exactly as written, messages aside and blank nodes matched as blank nodes (the report is a new
graph, so it cannot name the data's or the shapes' blank nodes).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD, Namespace

from kg.cli.main import main
from kg.namespaces import SH
from kg.validate.results import as_written, result_multiset, results_of_report

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c-shacl" / "tests"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

# Cases kg fails that plain pySHACL 0.40.1 fails too, and why (none today).
EXPECTED_FAILURES: dict[str, str] = {}


def _file(iri: object) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


def _cases() -> list[tuple[str, Graph, Path, Path, object]]:
    """(name, the case's graph, data file, shapes file, expected report node or sht:Failure)."""
    cases = []
    manifests = [SUITE / "manifest.ttl"]
    while manifests:
        path = manifests.pop(0)
        with as_written():  # values compared exactly as the suite writes them
            graph = Graph().parse(path, format="turtle")
        manifests += [_file(m) for m in graph.objects(None, MF.include)]
        for case in graph.subjects(RDF.type, SHT.Validate):
            action = graph.value(case, MF.action)
            data, shapes = graph.value(action, SHT.dataGraph), graph.value(action, SHT.shapesGraph)
            name = str(_file(case).relative_to(SUITE).with_suffix("")) + "/" + str(case).rsplit("/", 1)[-1]
            cases.append((name.rsplit("/", 1)[0], graph, _file(data), _file(shapes), graph.value(case, MF.result)))
    return sorted(cases, key=lambda c: c[0])


CASES = _cases() if SUITE.is_dir() else []


def test_the_suite_is_there() -> None:
    assert len(CASES) == 120, f"expected the 120 sht:Validate cases under {SUITE}"


def _params() -> list[object]:
    params = []
    for case in CASES:
        marks = [pytest.mark.xfail(reason=EXPECTED_FAILURES[case[0]], strict=True)] if case[0] in EXPECTED_FAILURES \
            else []
        params.append(pytest.param(case, id=case[0], marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_w3c_case(case: tuple[str, Graph, Path, Path, object], tmp_path: Path) -> None:
    name, expected_graph, data, shapes, expected = case
    out = tmp_path / "report.ttl"
    result = CliRunner().invoke(main, ["validate", "--data", str(data), "--shapes", str(shapes),
                                       "--format", "turtle", "--out", str(out)])
    if expected == SHT.Failure:
        assert result.exit_code == 2, f"{name}: the shapes must be refused\n{result.output}"
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
        return
    assert result.exit_code in (0, 1), f"{name}: exit {result.exit_code}\n{result.output}\n{result.exception!r}"
    with as_written():
        report = Graph().parse(out, format="turtle")
    report_node = report.value(None, RDF.type, SH.ValidationReport, any=False)
    conforms = expected_graph.value(expected, SH.conforms)  # type: ignore[arg-type]
    assert report.value(report_node, SH.conforms) == Literal(conforms.toPython(), datatype=XSD.boolean)
    got = result_multiset(results_of_report(report, report_node))
    want = result_multiset(results_of_report(expected_graph, expected))  # type: ignore[arg-type]
    assert got == want, f"{name}: missing {want - got}, unexpected {got - want}"


def test_a_report_is_a_standard_graph(tmp_path: Path) -> None:
    """A blank-node path keeps its structure in the written report."""
    case = SUITE / "core" / "path" / "path-inverse-001.ttl"
    out = tmp_path / "report.ttl"
    result = CliRunner().invoke(main, ["validate", "--data", str(case), "--shapes", str(case),
                                       "--format", "turtle", "--out", str(out)])
    assert result.exit_code == 1, result.output
    report = Graph().parse(out, format="turtle")
    paths = list(report.objects(None, SH.resultPath))
    assert paths and all(report.value(p, SH.inversePath) == URIRef(
        "http://datashapes.org/sh/tests/core/path/path-inverse-001.test#child") for p in paths)
