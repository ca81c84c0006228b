"""The facts an article yields, as plain data: the contract between extraction and RDF.

The extractor (``kg.extract``) produces one :class:`ArticleFacts` per article; the RDF
builder (``kg.graph.triples``) turns it into triples. Nothing here knows the ontology's IRIs or how
the text was parsed: these are small frozen dataclasses that both sides can test against.

Identity keys are plain strings:

* states: ISO 3166-1 alpha-2 code (``"VN"``, ``"JP"``);
* organisations, agreements, places, posts, indicators, meeting kinds, partnership levels:
  the local name of the reference concept (``"asean"``, ``"cptpp"``, ``"tokyo"``,
  ``"prime-minister"``, ``"fdi_registered_capital"``, ``"talks"``,
  ``"comprehensive-strategic-partnership"``) — see ``ontology/README.md``;
* persons: :func:`person_key` of the name, so that name order does not matter.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

MeetingStatus = Literal["held", "announced", "planned"]
EntityKind = Literal["state", "organization", "agreement", "place", "person"]


def without_accents(text: str) -> str:
    """``text`` with its diacritics dropped ("Đà Nẵng" -> "Da Nang"); case and punctuation kept."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def slug(text: str) -> str:
    """ASCII, lower-case, hyphen-separated: the readable part of an IRI."""
    text = without_accents(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def person_key(name: str) -> str:
    """The identity of a person's name, independent of the order of its parts.

    >>> person_key("Tanaka Hiroshi") == person_key("Hiroshi Tanaka")
    True
    >>> person_key("Nguyễn Văn Đức")
    'duc-nguyen-van'
    """
    return "-".join(sorted(slug(name).split("-")))


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of the original article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year: ``2024-07-09``, ``2024-07``, ``2024``.

    ``inferred`` is true when the date was worked out from context (a weekday, "last month",
    a publication date) rather than written out in full in the text.
    """

    iso: str
    inferred: bool = False

    @property
    def precision(self) -> Literal["day", "month", "year"]:
        precisions: dict[int, Literal["day", "month", "year"]] = {10: "day", 7: "month", 4: "year"}
        return precisions[len(self.iso)]


@dataclass(frozen=True)
class Sentence:
    """One sentence (or title line) of the cleaned article, with offsets into the original."""

    index: int
    span: Span


@dataclass(frozen=True)
class Article:
    """An article as read: the original text and what the reader found in it."""

    file_name: str
    text: str
    content_hash: str  # "sha256:<hex>" of the UTF-8 bytes
    sentences: tuple[Sentence, ...]
    title: Span | None = None
    outlet: str | None = None
    author: str | None = None
    published: PartialDate | None = None  # inferred=True when it came from the manifest
    noise: tuple[Span, ...] = ()  # navigation lists, captions, teasers removed by the reader
    dateline_place: str | None = None  # "Hanoi" of an opening dateline "Hanoi (VNA) –"

    @property
    def stem(self) -> str:
        return self.file_name.rsplit(".", 1)[0]


@dataclass(frozen=True)
class EntityMention:
    """A span of text that names a known or newly found entity."""

    kind: EntityKind
    key: str
    span: Span
    sentence: int  # index into Article.sentences


@dataclass(frozen=True)
class NewEntity:
    """An organisation or agreement found in the text but absent from the reference data,
    e.g. from "Long Name (ACRONYM)"."""

    kind: Literal["organization", "agreement", "place"]
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    place_type: Literal["city", "province", ""] = ""
    country: str | None = None  # state code of a place


@dataclass(frozen=True)
class Person:
    """A person found in the text. ``name`` is the fullest form written in the article."""

    key: str
    name: str
    variants: tuple[str, ...] = ()  # other ways the article names them ("PM Chinh", "Son")
    state: str | None = None  # the state the person serves or belongs to
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True)
class PostHolding:
    """A person holds a post, as attested by a mention (qualified by the article's date)."""

    person: str
    role_label: str  # the title as written: "Minister of Economy, Trade and Industry"
    role: str | None  # key of the post concept when recognised: "minister-of-foreign-affairs"
    state: str | None
    former: bool  # "former Prime Minister ..."
    evidence: Span


@dataclass(frozen=True)
class Meeting:
    """A meeting, visit, forum, call, ... reported or announced by the article."""

    kind: str  # meeting-kind key: talks, visit, forum, summit, conference, committee, ...
    participants: tuple[str, ...]  # person keys
    states: tuple[str, ...]  # participating states
    status: MeetingStatus
    evidence: Span
    date: PartialDate | None = None
    end_date: PartialDate | None = None
    place: str | None = None  # place key (city/province) or state code
    label: str | None = None  # its own name, when it has one: "12th meeting of the ... Committee"


@dataclass(frozen=True)
class Figure:
    """A number about the relationship: a Data Cube-style observation."""

    indicator: str  # code from the indicator scheme (SCHEMA.md)
    value: Decimal  # in base units: 74.4 billion -> 74400000000
    unit: str  # ISO 4217 code, or project / person / percent / rank
    evidence: Span
    from_state: str | None = None
    to_state: str | None = None
    as_of: PartialDate | None = None  # a stock "as of" a date
    period: PartialDate | None = None  # a flow "for" a period (year, month, ...)
    period_label: str | None = None  # as written: "the first 11 months of 2023"
    approximation: str | None = None  # "nearly", "over", "approximately", ... as written
    field: str | None = None  # for ranks: "labour cooperation"
    parties: tuple[str, ...] = ()  # states a figure without direction still concerns (a tariff's two sides)


@dataclass(frozen=True)
class Partnership:
    """The level of the relationship between two states, stated, upgraded or announced."""

    states: tuple[str, str]  # sorted state codes
    level: str | None  # partnership-level key when recognised
    level_label: str  # as written
    evidence: Span
    date: PartialDate | None = None


@dataclass(frozen=True)
class DiplomaticTies:
    """Diplomatic relations between two states established on a date."""

    states: tuple[str, str]
    evidence: Span
    date: PartialDate | None = None


@dataclass(frozen=True)
class AgreementMembership:
    """The text states that these states are parties to an agreement."""

    agreement: str
    states: tuple[str, ...]
    evidence: Span


@dataclass
class ArticleFacts:
    """Everything extracted from one article, ready for the RDF builder."""

    article: Article
    mentions: list[EntityMention] = field(default_factory=list)
    new_entities: list[NewEntity] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    holdings: list[PostHolding] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    ties: list[DiplomaticTies] = field(default_factory=list)
    memberships: list[AgreementMembership] = field(default_factory=list)
    actor_states: list[str] = field(default_factory=list)  # states that act or are acted on
    warnings: list[str] = field(default_factory=list)
