"""Partnership levels and diplomatic ties between two states, with their dates.

A level ("Strategic Partnership", "Comprehensive Strategic Partnership for Peace and
Prosperity in Asia and the World") is dated only when its sentence says it was set up or
raised ("upgraded", "established", "elevated"): the nearest date after the level in its
clause, else the nearest one before it ("In 2023, the two countries upgraded ..."). A level
merely restated ("the robust growth of the extensive strategic partnership") has no date,
and is dropped when the article also dates the same level: it is the same fact.

The two states are those of the sentence nearest the level; a sentence that says only "the
two countries" takes the article's two most mentioned states.
"""
from __future__ import annotations

import re
from collections import Counter

from kg.ingest.dates import DateMention, find_dates
from kg.model import Article, DiplomaticTies, EntityMention, Partnership, Sentence, Span
from kg.ingest.reference import Reference

LEVEL = re.compile(
    r"\b(?:(?:comprehensive|extensive|enhanced|special|global)\s+)?"
    r"(?:strategic\s+(?:and\s+global\s+)?(?:cooperative\s+)?|cooperative\s+|(?<=comprehensive\s))partnership"
    r"(?:\s+for\s+peace\s+and\s+prosperity\s+in\s+(?:Asia|the\s+region)(?:\s+and\s+(?:in\s+)?the\s+world)?)?",
    re.IGNORECASE)
CORE = re.compile(r"^(.*?partnership)", re.IGNORECASE)
CHANGE = re.compile(
    r"\b(?:upgrad\w*|elevat\w*|rais(?:e|ed|ing)|lift\w*|establish\w*|set\s+up|forg\w*|became|become|"
    r"formed|launch\w*)\b", re.IGNORECASE)
TIES = re.compile(
    r"\b(?:establish(?:ed|ing)?|establishment\s+of|set\s+up|forged|normali[sz](?:ed|ation\s+of))\s+"
    r"(?:their\s+|bilateral\s+|the\s+)?diplomatic\s+(?:ties|relations)\b", re.IGNORECASE)
MINOR_WORDS = {"for", "and", "in", "the", "of", "to"}


def title_case(text: str) -> str:
    """Capitalised words, minor words in lower case: a level's label written one way."""
    words = re.sub(r"\s+", " ", text.strip()).split(" ")
    return " ".join(w.lower() if i and w.lower() in MINOR_WORDS else w[:1].upper() + w[1:].lower()
                    for i, w in enumerate(words))


def level_key(label: str, reference: Reference) -> str | None:
    """The partnership-level concept a label names, trying the full label, then its core."""
    core = CORE.match(label)
    for candidate in (label, core.group(1) if core else label):
        wanted = candidate.casefold()
        for key in sorted(reference.partnership_levels):
            if wanted in (name.casefold() for name in reference.partnership_levels[key].names):
                return key
    return None


def _main_pair(mentions: list[EntityMention]) -> tuple[str, str] | None:
    counts = Counter(m.key for m in mentions if m.kind == "state")
    ranked = [s for s, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    return tuple(sorted(ranked[:2])) if len(ranked) >= 2 else None  # type: ignore[return-value]


def _pair(sentence: Sentence, near: int, mentions: list[EntityMention],
          main: tuple[str, str] | None) -> tuple[str, str] | None:
    """The two states a level in this sentence is between."""
    states = sorted((m for m in mentions if m.kind == "state" and m.sentence == sentence.index),
                    key=lambda m: abs(m.span.start - near))
    keys = list(dict.fromkeys(m.key for m in states))
    if len(keys) >= 2:
        return tuple(sorted(keys[:2]))  # type: ignore[return-value]
    if len(keys) == 1 and main and keys[0] in main:
        return main
    return main if not keys else None


def _date_for(start: int, end: int, limit: int, dates: list[DateMention], floor: int) -> DateMention | None:
    """The date after a level up to ``limit`` (the next level), else the last date before it
    (after ``floor``, the previous level)."""
    usable = [d for d in dates if d.role != "as_of"]
    after = [d for d in usable if end <= d.span.start < limit]
    if after:
        return after[0]
    before = [d for d in usable if floor <= d.span.end <= start]
    return before[-1] if before else None


def _organization_before(start: int, mentions: list[EntityMention], text: str) -> bool:
    """"ASEAN-Japan Comprehensive Strategic Partnership": a level of a group, not of two states."""
    return any(m.kind == "organization" and 0 <= start - m.span.end <= 12
               and re.fullmatch(r"[\s\w'’-]*", text[m.span.end:start]) for m in mentions)


def find_partnerships(article: Article, mentions: list[EntityMention], reference: Reference
                      ) -> tuple[list[Partnership], list[DiplomaticTies]]:
    """The partnership levels and diplomatic-ties statements of an article."""
    text = article.text
    main = _main_pair(mentions)
    partnerships: list[Partnership] = []
    ties: list[DiplomaticTies] = []
    for sentence in article.sentences:
        chunk = sentence.span.text
        offset = sentence.span.start
        dates = find_dates(text, sentence, article.published)
        levels = list(LEVEL.finditer(chunk))
        changed = bool(CHANGE.search(chunk))
        tie_matches = list(TIES.finditer(chunk))
        for i, match in enumerate(levels):
            start, end = offset + match.start(), offset + match.end()
            if _organization_before(start, mentions, text) or re.search(
                    r"\bagreement\b", text[end:end + 12], re.IGNORECASE):
                continue
            pair = _pair(sentence, start, mentions, main)
            if pair is None or pair[0] == pair[1]:
                continue
            when = None
            if changed:
                limit = offset + levels[i + 1].start() if i + 1 < len(levels) else sentence.span.end
                floor = max([offset + levels[i - 1].end() if i else offset]
                            + [offset + t.end() for t in tie_matches if t.end() <= match.start()])
                found = _date_for(start, end, limit, dates, floor)
                when = found.date if found else None
            label = title_case(match.group(0))
            partnerships.append(Partnership(pair, level_key(label, reference), label,
                                            Span(start, end, text[start:end]), when))
        for match in tie_matches:
            start, end = offset + match.start(), offset + match.end()
            pair = _pair(sentence, start, mentions, main)
            if pair is None or pair[0] == pair[1]:
                continue
            next_level = next((offset + m.start() for m in levels if m.start() >= match.end()), sentence.span.end)
            found = _date_for(start, end, next_level, dates, offset)
            ties.append(DiplomaticTies(pair, Span(start, end, text[start:end]), found.date if found else None))
    return _merge_levels(partnerships), _merge_ties(ties)


def _merge_levels(found: list[Partnership]) -> list[Partnership]:
    """One statement per (pair, level, date); an undated restatement of a level the article
    dates elsewhere is dropped, as is a repeat of an undated one."""
    dated = {(p.states, p.level or p.level_label.casefold()) for p in found if p.date}
    kept: list[Partnership] = []
    seen: set[tuple] = set()
    for p in found:
        level = p.level or p.level_label.casefold()
        if p.date is None and (p.states, level) in dated:
            continue
        key = (p.states, level, p.date.iso if p.date else None)
        if key in seen:
            continue
        seen.add(key)
        kept.append(p)
    return kept


def _merge_ties(found: list[DiplomaticTies]) -> list[DiplomaticTies]:
    dated = {t.states for t in found if t.date}
    kept, seen = [], set()
    for t in found:
        if (t.date is None and t.states in dated) or (t.states, t.date) in seen:
            continue
        seen.add((t.states, t.date))
        kept.append(t)
    return kept
