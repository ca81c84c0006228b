"""What every figure of one sentence is read against: the states named around it.

A state mention knows whether it is a demonym ("Japanese investors") and whether it is a
possessive ("Vietnam's exports"); the subject of a sentence is its first non-possessive
state, and the other side of a figure the named state nearest after the number.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kg.ingest.dates import DateMention
from kg.ingest.reference import Reference
from kg.model import EntityMention, Figure, PartialDate, Sentence


@dataclass(frozen=True)
class StateMention:
    start: int
    end: int
    state: str
    demonym: bool
    possessive: bool


def states_of(sentence: Sentence, text: str, mentions: list[EntityMention], reference: Reference
              ) -> list[StateMention]:
    found = []
    for mention in mentions:
        if mention.kind != "state" or mention.sentence != sentence.index:
            continue
        named = reference.states.get(mention.key)
        demonyms = {d.casefold() for d in (named.demonyms if named else ())}
        words = mention.span.text.casefold()
        is_demonym = words in demonyms or any(words.endswith(" " + d) for d in demonyms)
        possessive = text[mention.span.end:mention.span.end + 2] in ("'s", "’s")
        found.append(StateMention(mention.span.start, mention.span.end, mention.key, is_demonym, possessive))
    return sorted(found, key=lambda m: m.start)



@dataclass(frozen=True)
class FigureContext:
    """What every figure of one sentence is read against."""

    text: str
    sentence: Sentence
    states: list[StateMention]
    dates: list[DateMention]
    main_states: list[str]  # the article's states, most mentioned first
    published: PartialDate | None
    demonym_states: dict[str, str]  # "Japanese", "Koreans" -> state code
    list_items: frozenset[int] = frozenset()  # starts of states heading an amount of their own in a list
    frame_target: str | None = None  # where the article's figures before this sentence went
    frame: Figure | None = None  # the article's last figure before this sentence


def subject(ctx: FigureContext, before: int | None = None) -> str | None:
    """The sentence's first state that is not a possessive ("Vietnam's"), else its first state."""
    candidates = [m for m in ctx.states if before is None or m.start < before] or ctx.states
    plain = [m for m in candidates if not m.possessive]
    chosen = plain or candidates
    return chosen[0].state if chosen else None


def other_state(ctx: FigureContext, source: str | None, near: int) -> str | None:
    """The state a figure goes to: a named state nearest after the number, else before it,
    else the article's main state other than the source."""
    others = [m for m in ctx.states if m.state != source and not m.demonym and m.start not in ctx.list_items]
    after = [m for m in others if m.start >= near]
    before = [m for m in others if m.start < near]
    if after:
        return after[0].state
    if before:
        return before[-1].state
    # a demonym of a third state ("followed by Chinese at 21.2 percent") is a source, not a target
    others_any = [m.state for m in ctx.states if m.state != source and not m.demonym
                  and m.start not in ctx.list_items]
    if others_any:
        return others_any[0]
    if ctx.frame_target is not None and ctx.frame_target != source:
        return ctx.frame_target
    return next((s for s in ctx.main_states if s != source), None)


def demonym_forms(reference: Reference) -> dict[str, str]:
    """Every demonym and its plural ("Korean", "Koreans"; "Japanese") -> state code."""
    forms: dict[str, str] = {}
    for key in sorted(reference.states):
        for demonym in reference.states[key].demonyms:
            plural = demonym if demonym.endswith(("ese", "sh", "ch", "ss")) else demonym + "s"
            forms.setdefault(demonym, key)
            forms.setdefault(plural, key)
    return forms


def main_states(mentions: list[EntityMention]) -> list[str]:
    """The article's states, most mentioned first; of two as often mentioned, the earlier."""
    counts = Counter(m.key for m in mentions if m.kind == "state")
    first: dict[str, int] = {}
    for mention in mentions:
        if mention.kind == "state":
            first.setdefault(mention.key, mention.span.start)
    return sorted(counts, key=lambda state: (-counts[state], first[state]))


def in_clause(ctx: FigureContext, lo: int, hi: int) -> list[StateMention]:
    """The state mentions between ``lo`` and ``hi`` (absolute offsets)."""
    return [m for m in ctx.states if lo <= m.start and m.end <= hi]


__all__ = ["FigureContext", "StateMention", "states_of", "subject", "other_state", "demonym_forms",
           "main_states", "in_clause"]
