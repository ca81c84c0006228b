"""Ranks: the partner a superlative or an ordinal ranks, the field it ranks in, and who ranks whom.

The quantity grammar (``kg.extract.quantities``) reads an ordinal only in a ranking frame
(R4: "largest", "second biggest", "ranks fourth", "the highest among"; never "leading",
"one of", "in the top 10"). Here the frame gives the field ("in investment and tourism" ->
two ranks), the linked state is the ranked one ("Japan is Vietnam's third largest ..."), and
the other side comes from a possessive, a state in the frame ("working in Japan") or the
figures before it; a community's rank is its members' ("the largest Korean community").
"""
from __future__ import annotations

import re

from kg.extract.figure_context import FigureContext, other_state, subject, time_of
from kg.extract.quantities import Quantity
from kg.model import Figure, Span

# "Japan is currently the", "making Korea the", "marking Japan as the": the ranked state.
LINK = re.compile(r"\s+(?:(?:is|are|was|were|remains?|remained|became|becomes?|has become|have become|"
                  r"continues to be|as)\s+)?"
                  r"(?:currently\s+|now\s+|still\s+)?(?:as\s+)?(?:the|[\w ]+['’]s)\s+(?:world['’]s\s+)?",
                  re.IGNORECASE)
# Fields of ranks, read from the ranking frame or the clause.
FIELDS: list[tuple[str, re.Pattern[str]]] = [
    ("ODA", re.compile(r"\bODA\b|official development assistance|\bloans?\b|\baid\b", re.IGNORECASE)),
    ("labour", re.compile(r"\blabou?r\b|\bworkers\b|\btrainees?\b|\binterns?\b|human resources", re.IGNORECASE)),
    ("investment", re.compile(r"\binvest\w*|\bcapital\b|\bFDI\b|\binvestors?\b", re.IGNORECASE)),
    ("tourism", re.compile(r"\btouris\w*|\bvisitors?\b|\barrivals?\b", re.IGNORECASE)),
    # "free trade agreements" are agreements, not a field of trade
    ("trade", re.compile(r"(?<!free )\btrad\w*\b(?!\s+(?:agreements?|deals?|pacts?)\b)|\bexport\w*|\bimport\w*",
                         re.IGNORECASE)),
    ("economy", re.compile(r"\beconom\w*", re.IGNORECASE)),
]
RANK_HEAD = re.compile(r"^(?P<mods>(?:[\w()'-]+\s+){0,5}?)(?:partners?|providers?|investors?|donors?|lenders?|"
                       r"sources?|markets?|destinations?|creditors?|exporters?|importers?|suppliers?|"
                       r"buyers?|senders?|population|communit(?:y|ies)|workforce)\b(?P<rest>.*)$", re.IGNORECASE)


def _field_of(text: str) -> str | None:
    for name, pattern in FIELDS:
        if pattern.search(text):
            return name
    return None


def _rank_fields(frame: str, clause: str) -> tuple[list[str], bool]:
    """The fields a rank is in ("in investment and tourism cooperation" -> investment,
    tourism) and whether the frame itself says it is a rank of partners."""
    head = RANK_HEAD.match(frame)
    if head:
        rest = head.group("rest").strip()
        topic = re.match(r"(?:in|of)\s+(?:terms of\s+)?(.*?)(?:\s+(?:to|for|of|with)\s+.*)?$", rest)
        text = " ".join(filter(None, [head.group("mods").strip(), topic.group(1) if topic else ""]))
        field = _field_of(text) or _field_of(clause)
        return [field or text.strip()] if (field or text.strip()) else [""], True
    topic = re.match(r"in\s+(?:terms of\s+)?(?:the\s+number\s+of\s+)?(.*)$", frame)
    if topic:
        parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", topic.group(1)) if p.strip()]
        fields = [f for f in (_field_of(p) for p in parts) if f]
        return list(dict.fromkeys(fields)), False
    field = _field_of(frame) or _field_of(clause)
    return ([field] if field else []), False


def rank_figures(ctx: FigureContext, q: Quantity) -> list[Figure]:
    chunk_start = ctx.sentence.span.start
    clause = ctx.text[chunk_start:ctx.sentence.span.end]
    fields, partner_frame = _rank_fields(q.noun, clause)
    verb_frame = bool(re.search(r"\brank(?:s|ed|ing)?\s*$", ctx.text[max(chunk_start, q.span.start - 12):q.span.start],
                                re.IGNORECASE)) or bool(re.search(r"\bnumber of$|^top", q.span.text, re.IGNORECASE))
    if not fields and not (partner_frame or verb_frame):
        return []
    linked = [m for m in ctx.states if m.end <= q.span.start and LINK.fullmatch(ctx.text[m.end:q.span.start])]
    source = linked[-1].state if linked else subject(ctx, before=q.span.start)
    frame_end = q.span.end + len(q.noun) + 2
    members = [m for m in ctx.states if m.demonym and q.span.end <= m.start and m.end <= frame_end]
    if members and COMMUNITY.search(q.noun) and members[0].state != source:
        # "Vietnam has the largest Korean community": the Koreans' rank as a community in Vietnam
        return _ranks_of(ctx, q, fields, members[0].state, source)
    owner = [m for m in ctx.states if m.possessive and m.state != source and m.end <= q.span.start
             and (not linked or m.start >= linked[-1].end)]
    in_frame = [m for m in ctx.states if q.span.end <= m.start and m.end <= frame_end and m.state != source
                and not m.demonym]
    target: str | None
    if owner and linked:  # "Vietnam is South Korea's third-largest trading partner"
        target = owner[-1].state
    elif in_frame:  # "the highest number of labourers working in Japan"
        target = in_frame[0].state
    elif ctx.frame_target is not None and ctx.frame_target != source:
        target = ctx.frame_target  # the rank continues the frame of the figures before it
    else:
        target = other_state(ctx, source, q.span.end)
    return _ranks_of(ctx, q, fields, source, target)


COMMUNITY = re.compile(r"\b(?:communit(?:y|ies)|population|diaspora|workforce)\b", re.IGNORECASE)


def _ranks_of(ctx: FigureContext, q: Quantity, fields: list[str], source: str | None, target: str | None
              ) -> list[Figure]:
    """One rank figure per field of the ranking frame."""
    as_of, period, label = time_of(ctx, "partner_rank", ctx.sentence.span.start, ctx.sentence.span.end)
    figures = []
    for number, field in enumerate(fields or [""]):
        end = q.span.end
        if number:  # the second field of "third in investment and tourism": its own evidence
            found = ctx.text.find(field, q.span.end, ctx.sentence.span.end)
            end = found + len(field) if found >= 0 else q.span.end + number
        evidence = Span(q.span.start, end, ctx.text[q.span.start:end])
        figures.append(Figure("partner_rank", q.value, "rank", evidence, source, target, as_of, period, label,
                              None, field or None))
    return figures


__all__ = ["rank_figures"]
