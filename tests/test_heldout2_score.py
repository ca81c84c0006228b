"""End to end on five articles written, with their gold, by someone who had not read the
rules (tests/fixtures/heldout2/): Japan, the Republic of Korea, France with a Vietnam News
style (diacritics, "HÀ NỘI —"), Australia, and an ASEAN summit with side meetings, in date
lines of four formats.

Measured 0.863 when they arrived; the rules added since were each written for a sentence
shape, never for a name. These articles have now shaped rules, so they guard against
regressions; they no longer measure generalisation. The bars are the level measured, less a
margin.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from scoring import build_and_score, load_scorer

HELDOUT2 = Path(__file__).parent / "fixtures" / "heldout2"
HEADLINE_BAR = 0.92  # measured 0.945
PRECISION_BAR = 0.90  # measured 0.933 (agreements) to 1.000


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_and_score(HELDOUT2, HELDOUT2 / "gold", tmp_path_factory.mktemp("heldout2"))


def test_every_article_has_gold_and_facts(scores: dict) -> None:
    assert scores["articles"] == len(list(HELDOUT2.glob("*.txt"))) == 5
    assert scores["missing"] == []


def test_headline_f1_reaches_the_measured_level(scores: dict) -> None:
    main_categories = load_scorer().MAIN
    headline = sum(scores[c][2] for c in main_categories) / len(main_categories)
    assert headline >= HEADLINE_BAR, {c: round(scores[c][2], 3) for c in main_categories}


@pytest.mark.parametrize("category", ["states", "persons", "person_state", "organizations",
                                      "agreements", "meetings", "figures"])
def test_precision_stays_high(scores: dict, category: str) -> None:
    assert scores[category][0] >= PRECISION_BAR, scores[category]


def test_every_date_line_is_read(scores: dict) -> None:
    assert scores["published"][2] == 1.0, scores["published"]
