"""What every figure of one sentence is read against: the states named around it.

A state mention knows whether it is a demonym ("Japanese investors") and whether it is a
possessive ("Vietnam's exports"); the subject of a sentence is its first non-possessive
state, and the other side of a figure the named state nearest after the number.
"""
from __future__ import annotations

import re
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


# "provide Vietnam with", "to Vietnam", "in Japan": a state named as recipient or place
RECIPIENT = re.compile(r"\b(?:to|in|into|for|provid(?:e|es|ed|ing)|giv(?:e|es|en|ing)|gave|grant(?:s|ed|ing)?|"
                       r"lend(?:s|ing)?|lent|help(?:s|ed|ing)?|support(?:s|ed|ing)?)\s+(?:the\s+)?$", re.IGNORECASE)


def is_recipient(ctx: FigureContext, mention: StateMention) -> bool:
    """Is the state named as a recipient or a place ("provide Vietnam with", "in Japan")?"""
    return bool(RECIPIENT.search(ctx.text[max(0, mention.start - 14):mention.start]))


def subject(ctx: FigureContext, before: int | None = None) -> str | None:
    """The sentence's first state that is neither a possessive ("Vietnam's") nor a recipient
    or place ("provide Vietnam with", "in Japan"); else its first non-possessive state, else
    its first state."""
    candidates = [m for m in ctx.states if before is None or m.start < before] or ctx.states
    actors = [m for m in candidates if not m.possessive and not is_recipient(ctx, m)]
    if actors:
        return actors[0].state
    recipients = [m for m in candidates if not m.possessive]
    if recipients and is_recipient(ctx, recipients[0]):
        # only a recipient is named: the source is the article's other main state
        return next((s for s in ctx.main_states if s != recipients[0].state), recipients[0].state)
    chosen = recipients or candidates
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


# Indicators of flows, dated by the period their clause names; the others are stocks, dated "as of".
FLOWS = {"oda_annual", "fdi_new_capital", "fdi_new_projects", "trade_turnover", "imports",
         "tourists", "growth_rate", "other"}


def time_of(ctx: FigureContext, indicator: str, lo: int, hi: int
            ) -> tuple[PartialDate | None, PartialDate | None, str | None]:
    """(as_of, period, period label) of a figure."""
    as_of = next((d for d in ctx.dates if d.role == "as_of"), None)
    periods = [d for d in ctx.dates if d.role == "period" and lo <= d.span.start and d.span.end <= hi]
    periods = periods or [d for d in ctx.dates if d.role == "period"]
    if indicator in FLOWS:
        if periods:
            chosen = periods[0]
            period = chosen.date if chosen.end_date is None else PartialDate(chosen.date.iso[:4], chosen.date.inferred)
            return None, period, chosen.label
        return (as_of.date if as_of else None), None, None
    if as_of:
        return as_of.date, None, None
    if ctx.published is not None:
        return PartialDate(ctx.published.iso, True), None, None
    return None, None, None


__all__ = ["FigureContext", "StateMention", "states_of", "subject", "other_state", "demonym_forms",
           "main_states", "in_clause", "time_of", "FLOWS"]
