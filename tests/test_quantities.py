"""Quantities: money, counts, percentages and ranks, with approximation words."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.quantities import find_quantities
from kg.model import Sentence, Span

DEMONYMS = ("Vietnamese", "Japanese", "Korean", "Indian")


def quantities(text: str):
    found = find_quantities("» " + text, Sentence(0, Span(2, 2 + len(text), text)), person_words=DEMONYMS)
    for q in found:
        assert q.span.text == ("» " + text)[q.span.start:q.span.end]
    return [(q.value, q.unit, q.approximation) for q in found]


@pytest.mark.parametrize("text, value, unit, approx", [
    ("a total registered investment capital of US$74.4 billion", "74.4e9", "USD", None),
    ("more than 71.5 billion USD in registered capital", "71.5e9", "USD", "more than"),
    ("with nearly US$30 billion worth of lending", "30e9", "USD", "nearly"),
    ("a capital of 20.5 million USD", "20.5e6", "USD", None),
    ("Bilateral trade exceeded 40 billion USD", "40e9", "USD", "exceeded"),
    ("disbursed VND 1.2 trillion", "1.2e12", "VND", None),
    ("a grant of €5 million", "5e6", "EUR", None),
    ("about 3 trillion won", "3e12", "KRW", "about"),
    ("around A$2.5bn", "2.5e9", "AUD", "around"),
    ("some 450 billion rupees", "450e9", "INR", "some"),
    ("up to $12m in loans", "12e6", "USD", "up to"),
    ("up 15.2 percent compared to the previous year", "15.2", "percent", None),
    ("an increase of 7% year-on-year", "7", "percent", None),
    ("over 5,200 projects", "5200", "project", "over"),
    ("with 5,304 valid projects", "5304", "project", None),
    ("as many as 131 newly-registered projects", "131", "project", "as many as"),
    ("in 4,748 FDI projects in Viet Nam", "4748", "project", None),
    ("nearly 450,000 people", "450000", "person", "nearly"),
    ("with 951,962 visitors", "951962", "person", None),
    ("more than 580,000 Vietnamese people in Japan", "580000", "person", "more than"),
    ("approximately 20,000 Japanese citizens are living in Viet Nam", "20000", "person", "approximately"),
    ("about 1.2 million Korean tourists", "1.2e6", "person", "about"),
])
def test_one_quantity(text, value, unit, approx):
    assert quantities(text) == [(Decimal(value), unit, approx)]


def test_both_currencies_of_a_restated_amount():
    assert quantities("with JPY 2,578 billion (or US$23.76 billion).") == [
        (Decimal("2578e9"), "JPY", None), (Decimal("23.76e9"), "USD", None)]
    assert quantities("exceeded 100 billion yen (approximately $685.5 million), marking") == [
        (Decimal("100e9"), "JPY", "exceeded"), (Decimal("685.5e6"), "USD", "approximately")]


def test_values_are_plain_decimals():
    [(value, _, _)] = quantities("US$63.85 billion")
    assert str(value) == "63850000000"


@pytest.mark.parametrize("text, ranks", [
    # "leading" alone ranks nothing (R4); the ordinals after it do
    ("Japan is Vietnam's leading economic partner, ranking second in labour cooperation, third in "
     "investment and tourism cooperation, and fourth in trade cooperation.", [2, 3, 4]),
    ("Japan has signed the largest number of free trade agreements with Vietnam", [1]),
    ("People from Vietnam became the second-largest foreign population in Japan", [2]),
    ("Vietnamese nationals topped the list accounting for 25.4 percent", [1]),
    ("the highest among Southeast Asian countries", [1]),
    ("Japan is Vietnam's largest ODA provider, second investor and fourth trade partner", [1, 2, 4]),
    ("Vietnam is the 4th leading source market of Japan", [4]),
    ("the first partner in providing ODA loans, the second in terms of labor", [1, 2]),
    ("being the largest provider of ODA, the second-largest partner in labour cooperation, "
     "the third-largest in investment and tourism, and the fourth-largest in trade.", [1, 2, 3, 4]),
    ("Viet Nam ranks first in the number of foreign trainees in Japan", [1]),
    ("India ranked fifth among 140 investors", [5]),
    ("marking Korea as the fourth largest trade partner of Viet Nam", [4]),
    ("Japan is currently the largest official development assistance (ODA) provider for Viet Nam", [1]),
    ("being the second-largest partner in trade, the largest in investment and the third largest in tourism",
     [2, 1, 3]),
])
def test_ranks(text, ranks):
    assert [int(v) for v, unit, _ in quantities(text) if unit == "rank"] == ranks


@pytest.mark.parametrize("text", [
    "the 12th meeting of the Vietnam-Japan Cooperation Committee",
    "marking the first time this threshold has been surpassed since 2017",
    "to mark the 50th founding anniversary of diplomatic ties",
    "becoming the first foreign leader the Japanese PM will host",
    "the second of its kind this year",
    "Vietnam is Japan's leading partner in ODA",
    "the highest monthly figure recorded so far",
    "Vietnam is in the top 10 largest tourist markets of Japan",
    "Japan remains one of the largest partners of Vietnam",
    "the fourth Partnering for Green Growth and the Global Goals 2030 Summit",
    "who died on July 19 at the age of 80",
    "a four-day visit after a five-year hiatus",
    "In 2019, the number rose",
])
def test_not_quantities(text):
    assert [q for q in quantities(text) if q[1] in ("rank", "USD", "person", "project", "percent")] == []
