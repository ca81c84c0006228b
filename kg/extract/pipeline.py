"""Extraction: one article in, its :class:`kg.model.ArticleFacts` out.

The steps run in a fixed order, each a registered, named extractor that reads what the
earlier ones left in the facts and adds its own (rdflib-style plugin registry: the built-in
steps are registered exactly as a user's would be)::

    >>> from kg.extract.pipeline import EXTRACTORS
    >>> list(EXTRACTORS)[:3]
    ['entities', 'places', 'persons']

A user adds a step with :func:`register`; it runs after the built-in ones.
"""
from __future__ import annotations

from typing import Callable

from kg.extract.actors import actor_states
from kg.extract.entities import find_entities
from kg.extract.figures import find_figures
from kg.extract.meetings import find_meetings
from kg.extract.memberships import find_memberships
from kg.extract.partnerships import find_partnerships
from kg.extract.persons import find_person_mentions
from kg.extract.places import find_places
from kg.extract.resolve import resolve_persons
from kg.ingest.articles import article_from_text
from kg.ingest.reference import Reference
from kg.model import Article, ArticleFacts

Extractor = Callable[[ArticleFacts, Reference], None]
EXTRACTORS: dict[str, Extractor] = {}

__all__ = ["extract_article", "register", "warm_up", "EXTRACTORS", "Extractor"]

# A short article that takes every built-in step through its first-use set-up.
WARM_UP_TEXT = """Ministers meet in Osaka

HANOI, March 4, 2024 - Prime Minister Nguyen Van An held talks with his Japanese counterpart
Sato Kenji in Osaka on Monday. Bilateral trade rose 5.2 percent to 12 billion USD in 2023,
and 3,000 Vietnamese trainees work in Japan. The two sides signed a Memorandum of
Understanding on energy cooperation and upgraded ties to a Comprehensive Strategic Partnership.
"""


def register(name: str, extractor: Extractor, *, replace: bool = False) -> None:
    """Add ``extractor`` under ``name``; it receives the facts so far and the reference data."""
    if name in EXTRACTORS and not replace:
        raise ValueError(f"an extractor named {name!r} is already registered")
    EXTRACTORS[name] = extractor


def _entities(facts: ArticleFacts, reference: Reference) -> None:
    facts.mentions, facts.new_entities = find_entities(facts.article, reference)


def _places(facts: ArticleFacts, reference: Reference) -> None:
    """Cities and provinces outside the reference data, from maintained gazetteers."""
    found, places = find_places(facts.article, facts.mentions, reference)
    facts.mentions = sorted(facts.mentions + found, key=lambda m: (m.span.start, m.span.end, m.kind))
    facts.new_entities = facts.new_entities + places


def _persons(facts: ArticleFacts, reference: Reference) -> None:
    found = find_person_mentions(facts.article, facts.mentions, reference)
    resolved = resolve_persons(facts.article, found, facts.mentions, reference)
    facts.persons, facts.holdings = resolved.persons, resolved.holdings
    facts.mentions = sorted(facts.mentions + resolved.mentions, key=lambda m: (m.span.start, m.span.end, m.kind))


def _meetings(facts: ArticleFacts, reference: Reference) -> None:
    facts.meetings = find_meetings(facts.article, facts.mentions, facts.persons, reference,
                                   facts.article.dateline_place, facts.holdings,
                                   [e for e in facts.new_entities if e.kind == "place"])
    for meeting in facts.meetings:
        if meeting.date is not None and meeting.date.inferred:
            facts.warnings.append(f"meeting at {meeting.evidence.start}: date {meeting.date.iso} "
                                  f"inferred from {meeting.evidence.text!r} and the article's dates")


def _figures(facts: ArticleFacts, reference: Reference) -> None:
    facts.figures = find_figures(facts.article, facts.mentions, reference)


def _partnerships(facts: ArticleFacts, reference: Reference) -> None:
    facts.partnerships, facts.ties = find_partnerships(facts.article, facts.mentions, reference)


def _memberships(facts: ArticleFacts, reference: Reference) -> None:
    facts.memberships = find_memberships(facts.article, facts.mentions, reference)


def _actor_states(facts: ArticleFacts, reference: Reference) -> None:
    """States that act or are acted on — not every country named in passing as a place."""
    facts.actor_states = actor_states(facts, reference)


for _name, _step in (("entities", _entities), ("places", _places), ("persons", _persons), ("meetings", _meetings),
                     ("figures", _figures), ("partnerships", _partnerships),
                     ("memberships", _memberships), ("actor_states", _actor_states)):
    register(_name, _step)


def extract_article(article: Article, reference: Reference) -> ArticleFacts:
    """Run every registered extractor over ``article``, in registration order."""
    facts = ArticleFacts(article=article)
    if article.published is not None and article.published.inferred:
        facts.warnings.append("publication date taken from the manifest, not the text")
    for extractor in EXTRACTORS.values():
        extractor(facts, reference)
    return facts


def warm_up(reference: Reference) -> None:
    """Run the pipeline once on a short built-in article, so that every table and pattern
    the steps build on first use (the GeoNames table alone takes over a second) is built in
    this process: worker processes forked from it then start with them instead of each
    building its own."""
    extract_article(article_from_text("warm-up.txt", WARM_UP_TEXT), reference)
