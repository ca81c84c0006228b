"""Places outside the reference data: GeoNames cities and ISO 3166-2 provinces, in a place's slot."""
from __future__ import annotations

from kg.extract.pipeline import extract_article
from kg.extract.places import find_places, fold, gazetteer
from kg.extract.entities import find_entities
from kg.ingest.articles import article_from_text
from kg.ingest.reference import load_reference


def places(text: str):
    reference = load_reference()
    article = article_from_text("t.txt", text + "\n", {"published": "2025-07-08"})
    mentions, _ = find_entities(article, reference)
    found, entities = find_places(article, mentions, reference)
    return [m.span.text for m in found], {e.key: (e.label, e.country, e.place_type) for e in entities}


def test_a_city_and_a_prefecture_after_in_are_places_of_their_states():
    found, entities = places("Ambassador Le Van Hai spoke at a session in Kolkata on Monday. "
                             "The association held its first event in Ibaraki Prefecture.")
    assert found == ["Kolkata", "Ibaraki"]
    assert entities["kolkata"] == ("Kolkata", "IN", "city")
    assert entities["ibaraki"][1] == "JP"


def test_a_name_that_runs_on_or_stands_outside_a_places_slot_is_no_place():
    found, _ = places("Officials of Melbourne Water met in Hanoi. Chennai Super Kings won. "
                      "The firm Kobe Steel expanded in Vietnam.")
    assert found == []  # Hanoi and Vietnam are the reference data's, the rest no places


def test_accents_fold_and_reference_places_stay_the_reference_datas():
    assert fold("Hưng Yên") == fold("Hung Yen") == "hung yen"
    reference = load_reference()
    names = gazetteer(frozenset(reference.states), frozenset({"hanoi"}))
    assert "hanoi" not in names and names["siem reap"].country == "KH"


def test_a_meeting_in_a_gazetteer_city_is_placed_there():
    facts = extract_article(article_from_text(
        "t.txt", "Prime Minister Pham Van Tuan held talks with Australian Prime Minister John Carter "
        "in Melbourne on Monday.\n", {"published": "2024-03-05"}), load_reference())
    assert [(m.kind, m.place) for m in facts.meetings] == [("talks", "melbourne")]
    assert [(e.key, e.country) for e in facts.new_entities if e.kind == "place"] == [("melbourne", "AU")]
