"""End to end on articles the rules were not written from: the held-out fixtures.

Eight short articles in the outlets' style (tests/fixtures/heldout/, gold beside them in
gold/, annotated by the conventions of ../shared/eval/gold): other leaders and titles, phone
calls, receptions, announced visits, Vietnam with South Korea and Australia, figures in other
phrasings and currencies, and sentences that must give no fact (targets, plans, counts of
documents, countries named only as places). The bars are the level measured when they were
set, less a small margin: a rule that overfits the seeds and breaks here fails this test.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from scoring import build_and_score, load_scorer

HELDOUT = Path(__file__).parent / "fixtures" / "heldout"
HEADLINE_BAR = 0.97  # measured 0.964 when set, 0.998 now
PRECISION_BAR = 0.95  # measured 1.000 in every main category


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_and_score(HELDOUT, HELDOUT / "gold", tmp_path_factory.mktemp("heldout"))


def test_every_heldout_article_has_gold_and_facts(scores: dict) -> None:
    assert scores["articles"] == len(list(HELDOUT.glob("*.txt")))
    assert scores["missing"] == []


def test_heldout_headline_f1_reaches_the_measured_level(scores: dict) -> None:
    main_categories = load_scorer().MAIN
    headline = sum(scores[c][2] for c in main_categories) / len(main_categories)
    assert headline >= HEADLINE_BAR, {c: round(scores[c][2], 3) for c in main_categories}


@pytest.mark.parametrize("category", ["states", "persons", "person_state", "organizations",
                                      "agreements", "meetings", "figures"])
def test_heldout_precision_stays_high(scores: dict, category: str) -> None:
    assert scores[category][0] >= PRECISION_BAR, scores[category]


def test_heldout_publication_dates_are_read(scores: dict) -> None:
    assert scores["published"][2] == 1.0, scores["published"]
