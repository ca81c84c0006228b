"""The facts a generated article plants, collected while its sentences are written.

Every template that writes a fact into the text records it here in the same breath, so
the gold file can only say what the article says. The JSON shape is the one of
``../shared/eval/SCHEMA.md``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.pools import Named


def plain_number(value: int | float) -> int | float:
    """Integers stay integers in JSON; other values keep a short, stable float form."""
    if isinstance(value, int):
        return value
    return int(value) if float(value).is_integer() else round(value, 6)


@dataclass
class PlantedPerson:
    name: str
    state: str | None
    roles: list[str] = field(default_factory=list)


@dataclass
class PlantedFacts:
    """Accumulates the planted facts of one article, in the order they were written."""

    article: str = ""
    published: str | None = None
    states: list[str] = field(default_factory=list)
    persons: list[PlantedPerson] = field(default_factory=list)
    organizations: list[Named] = field(default_factory=list)
    agreements: list[Named] = field(default_factory=list)
    partnerships: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)

    def state(self, name: str) -> None:
        if name not in self.states:
            self.states.append(name)

    def person(self, name: str, state: str | None, role: str | None) -> None:
        for known in self.persons:
            if known.name == name:
                if role and role not in known.roles:
                    known.roles.append(role)
                return
        self.persons.append(PlantedPerson(name, state, [role] if role else []))

    def organization(self, named: Named) -> None:
        if named.key not in {o.key for o in self.organizations}:
            self.organizations.append(named)

    def agreement(self, named: Named) -> None:
        if named.key not in {a.key for a in self.agreements}:
            self.agreements.append(named)

    def partnership(self, states: tuple[str, str], level: str, date: str | None) -> None:
        self.partnerships.append({"states": list(states), "level": level, "date": date})

    def meeting(self, kind: str, date: str | None, place: str | None,
                participants: list[str]) -> None:
        self.meetings.append({"kind": kind, "date": date, "place": place,
                              "participants": list(participants)})

    def figure(self, indicator: str, value: int | float, unit: str,
               direction: str | None) -> None:
        self.figures.append({"indicator": indicator, "value": plain_number(value),
                             "unit": unit, "direction": direction})

    def to_json(self) -> dict[str, Any]:
        """The gold object, keys in the order SCHEMA.md shows them."""
        return {
            "article": self.article,
            "published": self.published,
            "states": list(self.states),
            "persons": [{"name": p.name, "state": p.state, "roles": list(p.roles)}
                        for p in self.persons],
            "organizations": [_named_json(o) for o in self.organizations],
            "agreements": [_named_json(a) for a in self.agreements],
            "partnerships": [dict(p) for p in self.partnerships],
            "meetings": [dict(m) for m in self.meetings],
            "figures": [dict(f) for f in self.figures],
        }

    def counts(self) -> dict[str, int]:
        return {"states": len(self.states), "persons": len(self.persons),
                "organizations": len(self.organizations), "agreements": len(self.agreements),
                "partnerships": len(self.partnerships), "meetings": len(self.meetings),
                "figures": len(self.figures), "published": int(self.published is not None)}


def _named_json(named: Named) -> str | dict[str, Any]:
    names = [n for n in (named.acronym, named.full) if n]
    aliases = names[1:] + list(named.extra_aliases)
    if not aliases:
        return names[0]
    return {"name": names[0], "aliases": aliases}
