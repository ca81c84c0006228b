"""End to end: the seeds' graph, exported by `kg facts`, scored against the hand-written gold.

This is the acceptance bar of extraction: headline F1 >= 0.90 and precision >= 0.90 in every
main category, measured by the evaluation's own scorer on what the graph says.
"""
from __future__ import annotations


import pytest

from scoring import EVAL_DIR, build_and_score, load_scorer
from project import SEEDS_DIR


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_and_score(SEEDS_DIR, EVAL_DIR / "gold", tmp_path_factory.mktemp("score"))


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
