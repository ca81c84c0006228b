"""Which states an article is about: facts, foreground and acting lists — not context."""
from __future__ import annotations

import pycountry

from kg.extract.pipeline import extract_article
from kg.ingest.articles import article_from_text
from kg.ingest.reference import load_reference


def states_of(text: str) -> set[str]:
    article = article_from_text("t.txt", text + "\n")
    return set(extract_article(article, load_reference()).actor_states)


def test_foreground_states_count_and_a_passing_mention_does_not():
    found = states_of(
        "Chilean exporters see strong demand in Thailand\n\n"
        "Chilean fruit exporters reported record sales to Thai retailers this season.\n"
        "Growers said the trend would continue. Freight costs rose, traders in Chile said.\n"
        "Prices were also watched closely in Peru, one trader noted.")
    assert {"CL", "TH"} <= found
    assert "PE" not in found


def test_a_list_of_states_that_acts_counts_and_a_background_list_does_not():
    acting = states_of("Trade rules were reviewed.\n\nThe rules need work.\nOfficials from "
                       "Kenya, Morocco, Egypt and Nigeria attended the virtual session on Friday.")
    assert {"KE", "MA", "EG", "NG"} <= acting
    background = states_of("Trade rules were reviewed.\n\nThe rules need work.\nThe bloc "
                           "covers a large market spanning Kenya, Morocco, Egypt and Nigeria.")
    assert not {"KE", "MA", "EG", "NG"} & background


def test_every_curated_state_has_an_iso_code():
    reference = load_reference()
    for key in reference.states:
        assert pycountry.countries.get(alpha_2=key) is not None, key
