"""Which figures an article's graph keeps (R19): the subject pair's and Vietnam's.

A figure between two other states ("Chinese students in Japan" in an article on Vietnamese
students) and a total over all partners ("2.89 million foreign nationals", "foreign
investors committed 29.3 billion USD", "workers sent abroad") is dropped; a partner's
share of such a total ("Vietnam accounted for 25 percent of foreign workers") is kept. A
count of people with no state on either side says nothing about a relationship.
"""
from __future__ import annotations

import re

from kg.extract.figure_context import FigureContext
from kg.extract.quantities import Quantity
from kg.model import Figure

# The state every figure may have on one side (the project's subject).
HOME_STATE = "VN"
# A whole over all partners: "foreign workers", "international students", "foreigners",
# "all projects", "the total amount", "to work abroad", "in 40 countries and territories".
TOTAL = re.compile(
    r"\b(?:foreign|international|overseas)\s+(?:[\w-]+\s+){0,2}?(?:nationals?|workers?|workforce|students?|residents?|"
    r"population|investors?|visitors?|tourists?|arrivals?|trainees?|people|holders?|labou?rers?|firms?|enterprises?)\b|"
    r"\bforeigners\b|\ball\s+(?:the\s+)?(?:foreign\s+)?(?:countries|partners|projects|investors|sources|markets)\b|"
    r"\bthe\s+total\s+(?:amount|number|value|figure|capital)\b|\babroad\b|"
    r"\bin\s+\d+\s+(?:countries|nations|economies|markets)\b",
    re.IGNORECASE)
# the rest of a number's clause: "650,000 workers are working in 40 countries", not "..., higher than ... all"
TAIL_END = re.compile(r"[,;(]|\s(?:while|but|than|whereas)\s", re.IGNORECASE)
# a partner's place in a total: what precedes "foreign workers" when the number is one partner's
PART = re.compile(r"\b(?:rank\w*|first|second|third|largest|highest|biggest|most|topped|account(?:ed|ing|s)?\s+for|"
                  r"share\s+of)\b", re.IGNORECASE)
# "25 percent of the total", "11.3 percent of foreign workers": a partner's share of a total
SHARE = re.compile(r"^\s*(?:of|in)\s+(?:the|all|its|total)?\b", re.IGNORECASE)


def focus_states(ctx: FigureContext) -> set[str]:
    """The subject pair: Vietnam and the article's two most mentioned states."""
    return {HOME_STATE, *ctx.main_states[:2]}


def is_total(ctx: FigureContext, q: Quantity, indicator: str, lo: int) -> bool:
    """Does the number measure a whole over all partners rather than one partner's part?"""
    if indicator == "partner_rank":
        return False
    if q.unit == "percent" and indicator != "growth_rate":
        return False  # a share is kept; whose share it is, the direction says
    tail = ctx.text[q.span.end:ctx.sentence.span.end]
    stop = TAIL_END.search(tail)
    tail = tail[:stop.start()] if stop is not None else tail
    window = ctx.text[max(ctx.sentence.span.start, lo):q.span.end] + tail
    in_window = TOTAL.search(window)
    if in_window is not None:
        # "Vietnam ranks first in the number of foreign trainees in Japan with 220,000": a part
        return not PART.search(window[:in_window.start()])
    return TOTAL.search(q.noun) is not None


def in_scope(ctx: FigureContext, figure: Figure) -> bool:
    """Keep a figure with Vietnam on one side, or whose named sides are all of the subject pair."""
    sides = {s for s in (figure.from_state, figure.to_state) if s}
    if figure.unit == "person" and len(sides) < 2:
        return False  # a count of people is of one state's nationals in another
    if HOME_STATE in sides or not sides:
        return True
    return sides <= focus_states(ctx)


__all__ = ["focus_states", "in_scope", "is_total", "HOME_STATE", "SHARE"]
