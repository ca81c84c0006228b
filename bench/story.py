"""One generated article's cast and setting: the two states, the people, the dates.

A :class:`Story` is drawn from a seeded ``random.Random``; the templates write sentences
about it and plant what they write into its :class:`~bench.facts.PlantedFacts`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.facts import PlantedFacts
from bench.phrasing import day_text
from bench.pools import PARTNERS, PartnerState, PersonName, vietnamese_name

FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2026, 12, 31)

SHORT_TITLES = {
    "Prime Minister": ("PM", "Prime Minister"),
    "President": ("President",),
    "Party General Secretary": ("General Secretary", "Party chief"),
    "Chairman of the National Assembly": ("NA Chairman", "Chairman"),
    "Deputy Prime Minister": ("Deputy PM", "Deputy Prime Minister"),
    "Minister of Foreign Affairs": ("FM", "Minister"),
    "Secretary of State": ("Secretary",),
    "Secretary of Commerce": ("Secretary",),
    "Chief Cabinet Secretary": ("Chief Cabinet Secretary",),
    "Ambassador": ("Ambassador",),
}


@dataclass
class Actor:
    """A named person of the story, with the post the article gives them."""

    name: PersonName
    state: str
    adjective: str
    role: str

    @property
    def full(self) -> str:
        return self.name.full

    @property
    def titled(self) -> str:
        """'Prime Minister Tran Van An'."""
        return f"{self.role} {self.name.full}"

    @property
    def he(self) -> str:
        return self.name.pronoun

    @property
    def his(self) -> str:
        return self.name.possessive

    def short(self, rng: random.Random) -> str:
        """'PM An', 'Minister Tanaka': how the article names them after the first time."""
        titles = SHORT_TITLES.get(self.role)
        if titles is None:
            titles = ("Minister",) if "Minister" in self.role else (
                "Ms." if self.name.female else "Mr.",)
        return f"{rng.choice(titles)} {self.name.short}"


def the(state: str) -> str:
    """State names as they stand in a sentence ('the United States', 'Japan')."""
    return f"the {state}" if state == "United States" else state


def possessive(state: str) -> str:
    named = the(state)
    return f"{named}'" if named.endswith("s") else f"{named}'s"


def capital_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Story:
    """The setting of one article and the facts planted in it so far."""

    rng: random.Random
    partner: PartnerState
    vn: str  # 'Vietnam' or 'Viet Nam', as the outlet spells it
    published: date | None
    event_day: date  # the day of the article's main event
    facts: PlantedFacts = field(default_factory=PlantedFacts)
    actors: list[Actor] = field(default_factory=list)
    ties_year: int = 1973  # diplomatic relations established; drawn per story

    @classmethod
    def draw(cls, rng: random.Random) -> Story:
        weights = [p.weight for p in PARTNERS]
        partner = rng.choices(PARTNERS, weights=weights)[0]
        vn = "Viet Nam" if rng.random() < 0.25 else "Vietnam"
        span = (LAST_DAY - FIRST_DAY).days
        if rng.random() < 0.55:
            published = FIRST_DAY + timedelta(days=rng.randint(40, span - 40))
            event_day = published - timedelta(days=rng.randint(0, 5))
        else:
            published = None
            event_day = FIRST_DAY + timedelta(days=rng.randint(40, span - 40))
        story = cls(rng, partner, vn, published, event_day, ties_year=rng.randint(1950, 1995))
        story.facts.published = published.isoformat() if published else None
        story.facts.state("Vietnam")
        story.facts.state(partner.name)
        return story

    # --- the cast -----------------------------------------------------------------------
    def vietnamese(self, role: str) -> Actor:
        return self._cast(vietnamese_name, "Vietnam", "Vietnamese", role)

    def foreign(self, role: str) -> Actor:
        return self._cast(self.partner.make_name, self.partner.name, self.partner.adjective, role)

    def _cast(self, make, state: str, adjective: str, role: str) -> Actor:
        """A new person whose full and short names clash with no one already in the story."""
        taken = {a.name.short for a in self.actors} | {a.full for a in self.actors}
        while True:
            name = make(self.rng)
            if name.short not in taken and name.full not in taken:
                break
        actor = Actor(name, state, adjective, role)
        self.actors.append(actor)
        return actor

    def plant_person(self, actor: Actor, role: str | None = None) -> None:
        self.facts.person(actor.full, actor.state, role if role is not None else actor.role)

    # --- the setting --------------------------------------------------------------------
    @property
    def p(self) -> str:
        """The partner state as it stands mid-sentence."""
        return the(self.partner.name)

    @property
    def p_poss(self) -> str:
        return possessive(self.partner.name)

    @property
    def vn_poss(self) -> str:
        return f"{self.vn}'s"

    @property
    def pair(self) -> str:
        """'Vietnam-Japan', the compound the outlets put in front of relations and bodies."""
        name = "US" if self.partner.name == "United States" else self.partner.name
        return f"{self.vn}-{name}"

    @property
    def ref_year(self) -> int:
        """The year the article speaks from: its publication's, else its main event's."""
        return (self.published or self.event_day).year

    @property
    def direction_in(self) -> str:
        return f"{self.partner.name}->Vietnam"

    @property
    def direction_out(self) -> str:
        return f"Vietnam->{self.partner.name}"

    def on(self, day: date) -> str:
        """'on July 9' when the publication date fixes the year, else 'on July 9, 2024'."""
        same_year = self.published is not None and day.year == self.published.year
        return f"on {day_text(day, not same_year)}"

    def needs_year(self, day: date) -> bool:
        return self.published is None or day.year != self.published.year

    def pick(self, *options):
        return self.rng.choice(options)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability
