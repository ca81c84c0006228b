"""Renderings of a :class:`~kg.validate.shacl.ValidationReport`: text for people, JSON for
programs, JUnit XML for CI dashboards (one test case per shape check, one failure per
violation), and Turtle: the W3C ``sh:ValidationReport`` other SHACL tools read."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from itertools import groupby

from rdflib.namespace import RDF, XSD

from kg.namespaces import SH
from kg.validate.rdfio import turtle
from kg.validate.results import report_graph
from kg.validate.shacl import ShapeResult, ValidationReport

__all__ = ["FORMATS", "render", "render_json", "render_junit", "render_text", "render_turtle", "summary"]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: ValidationReport) -> str:
    """One line: does the graph conform, and how many results of each severity."""
    counts = report.counts()
    verdict = "conforms" if report.conforms else "does not conform"
    return (f"{verdict}: {_plural(counts['Violation'], 'violation')}, "
            f"{_plural(counts['Warning'], 'warning')}, {_plural(counts['Info'], 'info')} "
            f"({report.triples} triples, {len(report.checks)} checks)")


def _constraint(result: ShapeResult) -> str:
    """``sh:MinCountConstraintComponent`` -> ``MinCount``: which rule of the check failed."""
    name = result.component.split(":", 1)[-1]
    return name.removesuffix("ConstraintComponent") or name


def _where(result: ShapeResult) -> str:
    parts = [result.focus, f"[{_constraint(result)}]"]
    if result.path:
        parts.append(f"path {result.path}")
    if result.value is not None:
        parts.append(f"value {result.value}")
    return "  ".join(parts)


def _source(result: ShapeResult) -> str | None:
    if result.article is None and result.sentence is None:
        return None
    article = result.article or "(article unknown)"
    return f'{article}: "{result.sentence}"' if result.sentence else article


def render_text(report: ValidationReport) -> str:
    """Results grouped by check, most severe first, each with the node, value and source text."""
    lines = [f"kg validate: {summary(report)}"]
    for (severity, check), group in groupby(report.results, key=lambda r: (r.severity, r.check)):
        results = list(group)
        first = results[0]
        lines += ["", f"[{severity}] {check} ({first.node_shape} › {first.name}): {_plural(len(results), 'result')}"]
        for result in results:
            lines.append(f"  - {_where(result)}")
            lines.append(f"    {result.message}")
            source = _source(result)
            if source:
                lines.append(f"    source: {source}")
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport) -> str:
    """The whole report as a JSON object (keys sorted, so runs diff cleanly)."""
    document = {
        "conforms": report.conforms,
        "counts": report.counts(),
        "triples": report.triples,
        "checks": len(report.checks),
        "results": [
            {"severity": r.severity, "check": r.check, "nodeShape": r.node_shape, "name": r.name,
             "component": r.component, "focus": r.focus, "path": r.path, "value": r.value,
             "message": r.message, "article": r.article, "sentence": r.sentence}
            for r in report.results
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_junit(report: ValidationReport) -> str:
    """JUnit XML: a test suite per node shape, a test case per check, a failure per violation.

    Warnings and infos go to the test case's ``system-out``: visible, but not failing.
    """
    by_check: dict[str, list[ShapeResult]] = {}
    for result in report.results:
        by_check.setdefault(result.check, []).append(result)
    cases: dict[str, dict[str, str]] = {}
    for check in report.checks:
        cases.setdefault(check.node_shape, {})[check.check] = check.name
    for result in report.results:  # checks outside the catalogue (e.g. untargeted shapes)
        cases.setdefault(result.node_shape, {}).setdefault(result.check, result.name)

    root = ET.Element("testsuites", name="vjkg SHACL validation")
    total_tests = total_failures = 0
    for node_shape in sorted(cases):
        suite = ET.SubElement(root, "testsuite", name=node_shape)
        failing = 0
        for check_name in sorted(cases[node_shape]):
            case = ET.SubElement(suite, "testcase", classname=node_shape,
                                 name=f"{check_name} ({cases[node_shape][check_name]})")
            results = by_check.get(check_name, [])
            violations = [r for r in results if r.severity == "Violation"]
            for result in violations:
                failure = ET.SubElement(case, "failure", type="sh:Violation", message=result.message)
                failure.text = "\n".join(filter(None, [_where(result), _source(result)]))
            notes = [r for r in results if r.severity != "Violation"]
            if notes:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"[{r.severity}] {_where(r)}: {r.message}" for r in notes)
            failing += bool(violations)
        suite.set("tests", str(len(cases[node_shape])))
        suite.set("failures", str(failing))
        suite.set("errors", "0")
        total_tests += len(cases[node_shape])
        total_failures += failing
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The standard SHACL validation report graph, in Turtle."""
    return turtle(report_graph(list(report.raw)), {"sh": str(SH), "xsd": str(XSD), "rdf": str(RDF)})


FORMATS = {"text": render_text, "json": render_json, "junit": render_junit, "turtle": render_turtle}


def render(report: ValidationReport, output_format: str) -> str:
    """The report in ``output_format`` (one of :data:`FORMATS`)."""
    return FORMATS[output_format](report)

