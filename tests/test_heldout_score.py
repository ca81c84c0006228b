"""End to end on articles the rules were not written from: two held-out sets.

``heldout``: eight short articles in the outlets' style (gold beside them in gold/,
annotated by the conventions of ../shared/eval/gold): other leaders and titles, phone calls,
receptions, announced visits, Vietnam with South Korea and Australia, figures in other
phrasings and currencies, and sentences that must give no fact (targets, plans, counts of
documents, countries named only as places). Measured 0.964 when set.

``heldout2``: five articles written, with their gold, by a helper who had not read the rules:
Japan, the Republic of Korea, France in Vietnam News style (diacritics, "HÀ NỘI —"),
Australia, and an ASEAN summit with side meetings, in four formats of date line. Measured
0.863 on arrival.

``heldout3``: twelve real news pages (VietnamPlus, Viet Nam News, VOV, Jiji, The Statesman,
FJJ, VGP, AP, SGGP, ...) chosen and annotated by R1-R22 of ../shared/eval/dev/NOTES.md by a
helper who never saw the extractor's code or output (its NOTES.md gives the choices). Scored
0.784 by the extractor before the generalisation work of issue 22, and only measured since,
never used to write a rule.

The first two sets have since shaped rules (each written for a sentence shape, never for a name), so
they now guard against regressions rather than measure generalisation. The bars are the
level measured, less a margin: a rule that overfits the seeds and breaks here fails.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from scoring import build_and_score, load_scorer

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class HeldOut:
    folder: str
    articles: int
    headline_bar: float
    precision_bar: float


SETS = [
    HeldOut("heldout", 8, headline_bar=0.97, precision_bar=0.95),  # measured 0.998, precision 1.000
    HeldOut("heldout2", 5, headline_bar=0.92, precision_bar=0.90),  # measured 0.947, precision 0.933 to 1.000
    HeldOut("heldout3", 12, headline_bar=0.83, precision_bar=0.70),  # measured 0.784 before issue 22, 0.851 after
]


@pytest.fixture(scope="module", params=SETS, ids=lambda s: s.folder)
def scored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[HeldOut, dict]:
    held: HeldOut = request.param
    folder = FIXTURES / held.folder
    return held, build_and_score(folder, folder / "gold", tmp_path_factory.mktemp(held.folder))


def test_every_heldout_article_has_gold_and_facts(scored: tuple[HeldOut, dict]) -> None:
    held, scores = scored
    assert scores["articles"] == len(list((FIXTURES / held.folder).glob("*.txt"))) == held.articles
    assert scores["missing"] == []


def test_heldout_headline_f1_reaches_the_measured_level(scored: tuple[HeldOut, dict]) -> None:
    held, scores = scored
    main_categories = load_scorer().MAIN
    headline = sum(scores[c][2] for c in main_categories) / len(main_categories)
    assert headline >= held.headline_bar, {c: round(scores[c][2], 3) for c in main_categories}


@pytest.mark.parametrize("category", ["states", "persons", "person_state", "organizations",
                                      "agreements", "meetings", "figures"])
def test_heldout_precision_stays_high(scored: tuple[HeldOut, dict], category: str) -> None:
    held, scores = scored
    assert scores[category][0] >= held.precision_bar, scores[category]


def test_heldout_publication_dates_are_read(scored: tuple[HeldOut, dict]) -> None:
    _, scores = scored
    assert scores["published"][2] == 1.0, scores["published"]
