"""`kg facts`: the SCHEMA.md JSON of every article, from the facts-*.rq queries alone."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.query.backend import EmbeddedBackend
from kg.cli.main import main
from kg.export.facts import article_facts
from fixtures.queries.mini import open_mini_store
from kg.store.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
EXPECTED_BETA = {
    "article": "101_beta.txt",
    "published": "2024-03-05",
    "states": ["Japan", "Vietnam"],
    "persons": [
        {"name": "Hiroshi Tanaka", "state": "Japan", "roles": ["Foreign Minister"]},
        {"name": "Kenji Sato", "state": "Japan", "roles": ["former Minister of Finance"]},
        {"name": "Le Thi Hoa", "state": "Vietnam", "roles": ["Deputy Prime Minister"]},
        {"name": "Tran Van An", "state": "Vietnam", "roles": ["PM"]},
    ],
    "organizations": [
        {"name": "ASEAN", "aliases": ["Association of Southeast Asian Nations"]},
        {"name": "Vietnam-Japan Friendship Association", "aliases": ["VJFA"]},
    ],
    "agreements": [
        {"name": "AZEC", "aliases": ["Asia Zero Emission Community"]},
        {"name": "RCEP", "aliases": ["Regional Comprehensive Economic Partnership"]},
    ],
    "partnerships": [],
    "meetings": [
        {"kind": "reception", "date": "2024-03-04", "place": "Hanoi",
         "participants": ["Hiroshi Tanaka", "Le Thi Hoa"]},
        {"kind": "call", "date": "2024-03", "place": None, "participants": ["Kenji Sato", "Tran Van An"]},
    ],
    "figures": [
        {"indicator": "diaspora", "value": 570000.0, "unit": "person", "direction": "Vietnam->Japan"},
        {"indicator": "trade_turnover", "value": 45000000000.0, "unit": "USD", "direction": None},
    ],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_mini_store(tmp_path_factory.mktemp("mini") / "store")


def test_one_article_in_full(store: Store) -> None:
    articles = article_facts(EmbeddedBackend(store))
    assert [a["article"] for a in articles] == ["100_alpha.txt", "101_beta.txt", "102_gamma.txt"]
    assert articles[1] == EXPECTED_BETA


def test_undated_article_and_its_facts(store: Store) -> None:
    gamma = article_facts(EmbeddedBackend(store))[2]
    assert gamma["published"] is None
    assert gamma["persons"] == [{"name": "Hiroshi Tanaka", "state": "Japan", "roles": ["Minister"]}]
    assert gamma["partnerships"] == [{"states": ["Japan", "Vietnam"], "level": "Strategic Partnership",
                                      "date": "2009"}]
    assert gamma["meetings"] == [{"kind": "visit", "date": None, "place": "Hanoi",
                                  "participants": ["Hiroshi Tanaka"]}]
    assert [f["value"] for f in gamma["figures"]] == [74.4e9, 49e9]


def test_alpha_partnership_and_agreement_aliases(store: Store) -> None:
    alpha = article_facts(EmbeddedBackend(store))[0]
    assert alpha["partnerships"] == [{"states": ["Japan", "Vietnam"],
                                      "level": "Comprehensive Strategic Partnership", "date": "2023"}]
    assert alpha["agreements"] == [{"name": "CPTPP", "aliases": [
        "Comprehensive and Progressive Agreement for Trans-Pacific Partnership"]}]
    assert alpha["organizations"] == [{"name": "Japan International Cooperation Agency", "aliases": ["JICA"]}]


def test_cli_facts_json_is_deterministic(store: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["facts", "--json", "--store", str(store.location)])
    second = runner.invoke(main, ["facts", "--json", "--store", str(store.location)])
    assert first.exit_code == 0 and first.output == second.output
    assert json.loads(first.output)[1] == EXPECTED_BETA
    out = tmp_path / "facts.json"
    written = runner.invoke(main, ["facts", "--out", str(out), "--store", str(store.location)])
    assert written.exit_code == 0 and out.read_text() == first.output
    summary = runner.invoke(main, ["facts", "--store", str(store.location)])
    assert "102_gamma.txt (undated): 2 states, 1 persons" in summary.output



def test_one_article_only(store: Store) -> None:
    """`--article` gives that article's facts, the same as in the whole listing."""
    assert article_facts(EmbeddedBackend(store), article="101_beta.txt") == [EXPECTED_BETA]
    assert article_facts(EmbeddedBackend(store), article="999_absent.txt") == []
    runner = CliRunner()
    result = runner.invoke(main, ["facts", "--json", "--article", "101_beta.txt", "--store", str(store.location)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [EXPECTED_BETA]
