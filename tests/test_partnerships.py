"""Partnership levels and diplomatic ties, with their dates."""
from __future__ import annotations

from kg.ingest.articles import article_from_text
from kg.extract.entities import find_entities
from kg.extract.partnerships import find_partnerships, level_key, title_case
from kg.model import PartialDate
from kg.ingest.reference import load_reference


def read(text: str, published: str = ""):
    reference = load_reference()
    article = article_from_text("t.txt", text + "\n", {"published": published})
    mentions, _ = find_entities(article, reference)
    return find_partnerships(article, mentions, reference)


def levels(text: str, published: str = ""):
    partnerships, _ = read(text, published)
    return [(p.states, p.level, p.level_label, p.date.iso if p.date else None) for p in partnerships]


def test_upgrades_with_their_years_and_the_ties():
    text = ("Viet Nam and Japan established diplomatic ties on September 21, 1973, upgrading bilateral ties to "
            "Strategic Partnership in 2009, and to Extensive Strategic Partnership for Peace and Prosperity in "
            "Asia in 2014. The two PMs were pleased at the growth of the Viet Nam-Japan extensive strategic "
            "partnership for peace and prosperity in Asia.")
    partnerships, ties = read(text, "2021-11-21")
    assert [(p.states, p.level, p.level_label, p.date) for p in partnerships] == [
        (("JP", "VN"), "strategic-partnership", "Strategic Partnership", PartialDate("2009")),
        (("JP", "VN"), "extensive-strategic-partnership",
         "Extensive Strategic Partnership for Peace and Prosperity in Asia", PartialDate("2014")),
    ]
    assert [(t.states, t.date) for t in ties] == [(("JP", "VN"), PartialDate("1973-09-21"))]


def test_the_two_countries_take_the_articles_states():
    text = ("Prime Minister Pham Minh Chinh met Japan's minister in Hanoi. Vietnam and Japan have strong ties. "
            "In 2023, the two countries upgraded their relationship to a comprehensive strategic partnership, "
            "and celebrated the 50th anniversary of diplomatic relations.")
    assert levels(text, "2024-07-11") == [
        (("JP", "VN"), "comprehensive-strategic-partnership", "Comprehensive Strategic Partnership", "2023")]


def test_established_last_year_needs_an_anchor():
    text = ("Vietnam and Japan held talks. The ministers discussed their countries' Comprehensive Strategic "
            "Partnership for Peace and Prosperity in Asia and the World, established last year.")
    assert levels(text, "2024-08-08")[0][3] == "2023"
    assert levels(text)[0][3] is None


def test_a_restated_level_has_no_date():
    text = ("PM Chinh hoped Japanese firms would contribute to the \"Vietnam – Japan Comprehensive Strategic "
            "Partnership for Peace and Prosperity in Asia and the world\" in 2025.")
    assert levels(text, "2024-08-14") == [
        (("JP", "VN"), "comprehensive-strategic-partnership",
         "Comprehensive Strategic Partnership for Peace and Prosperity in Asia and the World", None)]


def test_other_states_and_levels():
    text = "In September 2023, Vietnam and the United States elevated their ties to a Comprehensive Strategic Partnership."
    assert levels(text) == [(("US", "VN"), "comprehensive-strategic-partnership",
                             "Comprehensive Strategic Partnership", "2023-09")]
    text = "Vietnam and India set up a Strategic Partnership in 2007 and upgraded it to a Comprehensive Strategic Partnership in 2016."
    assert levels(text) == [(("IN", "VN"), "strategic-partnership", "Strategic Partnership", "2007"),
                            (("IN", "VN"), "comprehensive-strategic-partnership",
                             "Comprehensive Strategic Partnership", "2016")]


def test_agreements_are_not_partnership_levels():
    text = ("Vietnam and Japan are members of the Regional Comprehensive Economic Partnership (RCEP) and the "
            "Comprehensive and Progressive Agreement for Trans-Pacific Partnership.")
    assert levels(text) == []


def test_level_keys_and_labels():
    reference = load_reference()
    assert title_case("extensive strategic partnership for peace and prosperity in Asia") == \
        "Extensive Strategic Partnership for Peace and Prosperity in Asia"
    assert level_key("Comprehensive Strategic Partnership for Peace and Prosperity in Asia and the World",
                     reference) == "comprehensive-strategic-partnership"
    assert level_key("Strategic Partnership", reference) == "strategic-partnership"
    assert level_key("Special Partnership", reference) is None


def test_a_cooperative_partnership_and_the_ties_before_it():
    text = ("The two countries set up diplomatic relations on December 22, 1992, and upgraded them to a Strategic "
            "Cooperative Partnership in 2009. Vietnam and South Korea are close partners.")
    partnerships, ties = read(text)
    assert [(p.states, p.level, p.level_label, p.date) for p in partnerships] == [
        (("KR", "VN"), "strategic-cooperative-partnership", "Strategic Cooperative Partnership", PartialDate("2009"))]
    assert [t.date for t in ties] == [PartialDate("1992-12-22")]
