"""OWL reasoning with HermiT: consistency, unsatisfiable classes, inferred officials.

Each HermiT run takes about a second, so the runs are few and each checks several things.
"""
from __future__ import annotations

import json
from pathlib import Path

import owlready2
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.errors import ReasonerError
from kg.store.working import add_files, ontology_files
from kg.validate.reason import reason

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted((FIXTURES / "shapes" / "valid").glob("*.ttl"))
BAD = FIXTURES / "validate"


def test_the_ontology_with_the_curated_reference_data_is_consistent() -> None:
    result = CliRunner().invoke(main, ["reason", "--schema-only"])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.output.startswith("kg reason: consistent (HermiT")
    assert "unsatisfiable classes: none" in result.output


def test_a_person_holding_a_post_is_inferred_an_official() -> None:
    args = ["reason", "--format", "json"] + [arg for path in VALID for arg in ("--data", str(path))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output + result.stderr
    report = json.loads(result.output)
    assert report["consistent"] is True
    assert report["unsatisfiable"] == []
    assert report["inferred"]["vjo:Official"] == ["vjr:person/binh-le-van", "vjr:person/kenji-sato"]
    assert report["leftOut"] > 0  # labels and quotes are not given to the reasoner


def test_a_node_both_state_and_person_is_inconsistent() -> None:
    result = CliRunner().invoke(main, ["reason", "--data", str(BAD / "state-and-person.ttl")])
    assert result.exit_code == 1
    assert result.output.startswith("kg reason: INCONSISTENT")
    assert "vjr:person/vietnam is both vjo:Person and vjo:Place, which are disjoint" in result.output


def test_a_literal_outside_its_range_is_inconsistent_and_explained() -> None:
    data = ox.Store()
    add_files(data, VALID)
    data.update("""
        PREFIX vjo: <https://w3id.org/vjkg/ontology#>
        DELETE { ?s vjo:levelLabel ?label } INSERT { ?s vjo:levelLabel "Comprehensive Strategic Partnership"@en }
        WHERE { ?s vjo:levelLabel ?label }""")
    report = reason(data)
    assert not report.consistent and not report.ok
    assert report.explanation is not None
    assert "vjr:partnership/007_demo/320 has vjo:levelLabel" in report.explanation
    assert "outside its range xsd:string" in report.explanation


def test_an_unsatisfiable_class_is_reported() -> None:
    report = reason(None, tbox_files=ontology_files() + [BAD / "unsatisfiable-class.ttl"])
    assert report.consistent
    assert report.unsatisfiable == ("<https://example.org/test#PersonState>",)
    assert not report.ok


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-for-vjkg")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ReasonerError, match="needs Java"):
        reason(None)
    result = CliRunner().invoke(main, ["reason", "--schema-only"])
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: error: the OWL reasoner (HermiT) needs Java")
