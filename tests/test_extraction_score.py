"""End to end: the seeds' graph, exported by `kg facts`, scored against the hand-written gold.

This is the acceptance bar of extraction: headline F1 >= 0.90 and precision >= 0.90 in every
main category, measured by the evaluation's own scorer on what the graph says.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from scoring import EVAL_DIR, load_scorer
from kg.paths import SEEDS_DIR




@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("score")
    runner = CliRunner()
    store = str(tmp / "store")
    built = runner.invoke(main, ["build", str(SEEDS_DIR), "--store", store, "-q"])
    assert built.exit_code == 0, built.output
    facts = runner.invoke(main, ["facts", "--json", "--store", store])
    assert facts.exit_code == 0, facts.output
    (tmp / "facts.json").write_text(facts.stdout, encoding="utf-8")
    scorer = load_scorer()
    gold = scorer.load(EVAL_DIR / "gold", ".gold.json")
    pred = scorer.load(tmp / "facts.json", ".json")
    tallies = {c: scorer.Tally() for c in scorer.MAIN + scorer.EXTRA}
    for name, article in gold.items():
        scorer.score_article(article, pred.get(name, {}), tallies, False)
    result = {c: tallies[c].prf() for c in tallies}
    result["missing"] = sorted(set(gold) - set(pred))
    return result


def test_every_gold_article_has_facts(scores: dict) -> None:
    assert scores["missing"] == []


def test_headline_f1_reaches_the_bar(scores: dict) -> None:
    main_categories = load_scorer().MAIN
    headline = sum(scores[c][2] for c in main_categories) / len(main_categories)
    assert headline >= 0.90, {c: round(scores[c][2], 3) for c in main_categories}


@pytest.mark.parametrize("category", ["states", "persons", "person_state", "organizations",
                                      "agreements", "meetings", "figures"])
def test_precision_in_every_main_category(scores: dict, category: str) -> None:
    assert scores[category][0] >= 0.90, scores[category]
