"""Dates in news text, explicit ("July 11, 2024") and relative ("last month", "on Wednesday").

Relative expressions are resolved against an *anchor*: the publication date when the article
gives one, otherwise the latest full date written in the article itself (a caption's or a
dateline's date), otherwise the latest year the article names ("the first 11 months of 2023").
Every date worked out from an anchor is marked ``inferred``. When no anchor exists, relative
expressions and month-day dates without a year are skipped: a :class:`PartialDate` always
carries a year, and guessing one would be worse than saying nothing.

Written with plain regular expressions rather than ``dateutil``/``dateparser``: those fill a
missing year or day from *today*, which is wrong for archived news, and they do not report
spans, ranges ("November 22-25") or the as-of / period role that figures need.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from kg.model import PartialDate, Sentence, Span

DateRole = Literal["point", "as_of", "period"]

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
# Letters a case-insensitive pattern matches as ASCII ("Frıday", "Auguſt"): folded before a
# name is looked up, so that whatever the patterns accept has its entry.
_ASCII_FOLD = str.maketrans({"\u0131": "i", "\u0130": "i", "\u017f": "s", "\u212a": "k"})


def name_key(name: str) -> str:
    """The key of a month or weekday name in MONTHS or WEEKDAYS."""
    return name.translate(_ASCII_FOLD).lower()


NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

# Month names count only when capitalised ("May 5", not "may"), whatever the pattern's flags.
_MONTH = r"(?-i:(?=[A-Z]))(?P<{name}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"


def _m(name: str) -> str:
    return _MONTH.format(name=name)


def _y(name: str) -> str:
    return _YEAR.format(name=name)


def _d(name: str) -> str:
    return _DAY.format(name=name)


_MDY = rf"{_m('month')}\s+{_d('day')},?\s+{_y('year')}"
_DMY = rf"{_d('day2')}\s+{_m('month2')},?\s+{_y('year2')}"
_ISO = r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"
FULL_DATE = re.compile(rf"\b(?:{_MDY}|{_DMY}|{_ISO})\b", re.IGNORECASE)

_FUTURE = re.compile(
    r"\b(?:will|shall|to be held|(?:is|are) (?:scheduled|set|expected|due|slated) to|"
    r"plans? to|upcoming|forthcoming|next)\b", re.IGNORECASE)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("as_of_full", re.compile(rf"\bas of\s+(?:{_MDY}|{_DMY})\b", re.IGNORECASE)),
    ("as_of_month", re.compile(
        rf"\bas of\s+(?:the end of\s+)?{_m('month')}(?:\s+{_y('year')})?\b", re.IGNORECASE)),
    ("range", re.compile(
        rf"\b(?:(?:from|between)\s+)?{_m('month')}\s+{_d('day')}\s*(?:-|–|to|and)\s*{_d('end')}(?:,?\s+{_y('year')})?\b",
        re.IGNORECASE)),
    ("full", FULL_DATE),
    ("first_months", re.compile(
        rf"\b(?:(?:over|in|during|for)\s+)?the first\s+(?P<n>\d{{1,2}}|{'|'.join(NUMBER_WORDS)})"
        rf"\s+months\s+of\s+(?:the\s+year\s+)?{_y('year')}\b", re.IGNORECASE)),
    ("fiscal", re.compile(
        rf"\b(?:(?:in|for|during)\s+)?(?:fiscal year|fiscal|FY)\s*{_y('year')}\b", re.IGNORECASE)),
    ("month_year", re.compile(
        rf"\b(?:(?P<prep>in|during|since|until|by|from|throughout)\s+)?{_m('month')},?\s+{_y('year')}\b",
        re.IGNORECASE)),
    ("month_day", re.compile(rf"\b(?:(?:on|from|since|by)\s+)?{_m('month')}\s+{_d('day')}\b(?![,\s]*\d)",
                             re.IGNORECASE)),
    # "in December", "in late September", "mid-December": a month of the anchor's year (R17)
    ("month", re.compile(
        rf"\b(?P<prep>in|during|until|by|from|throughout|since|early|late|mid)[\s-]+(?:(?:early|late|mid)[\s-]+)?"
        rf"{_m('month')}\b(?![,\s]*\d)", re.IGNORECASE)),
    ("year", re.compile(
        rf"\b(?P<prep>in|during|since|until|by|from|throughout|before|after|of)\s+(?:the\s+year\s+)?"
        rf"{_y('year')}\b(?![-–/]\d)", re.IGNORECASE)),
    ("weekday", re.compile(
        r"\b(?:(?P<prep>on|last|this|next)\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b",
        re.IGNORECASE)),
    ("relative", re.compile(
        r"\b(?P<rel>(?:earlier|later) this (?:month|year)|this (?:month|year)|"
        r"(?:last|next) (?:month|year))\b", re.IGNORECASE)),
]


@dataclass(frozen=True)
class DateMention:
    """A date written in a sentence. ``date`` is the first (or only) day, month or year;
    ``end_date`` closes a range; ``role`` says whether it dates an event (``point``), a
    stock (``as_of``) or a span of time a flow covers (``period``)."""

    span: Span
    date: PartialDate
    end_date: PartialDate | None = None
    role: DateRole = "point"
    label: str = ""

# What a sentence must hold for each pattern to have a chance: a digit, and one of some
# words (lower case, as substrings). Most sentences hold no date: testing these with ``in``
# is far cheaper than running a dozen case-insensitive patterns over them.
_MONTH_WORDS = tuple(MONTHS)
_NEEDS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "as_of_full": (True, ("as of",)),
    "as_of_month": (False, ("as of",)),
    "range": (True, _MONTH_WORDS),
    "full": (True, ()),
    "first_months": (True, ("the first",)),
    "fiscal": (True, ("fiscal", "fy")),
    "month_year": (True, _MONTH_WORDS),
    "month_day": (True, _MONTH_WORDS),
    "month": (False, _MONTH_WORDS),
    "year": (True, ()),
    "weekday": (False, tuple(WEEKDAYS)),
    "relative": (False, ("month", "year")),
}
# The only non-ASCII letters a case-insensitive pattern takes for ASCII ones (İ, ı for i,
# K for k, ſ for s): a sentence holding one is scanned by every pattern.
_CASE_ODD = ("\u0130", "\u0131", "\u212a", "\u017f")


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO text of a (partial) date, or None when the parts are not a real date."""
    try:
        if day is not None and month is not None:
            return date(year, month, day).isoformat()
    except ValueError:
        return None
    if month is not None:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    return f"{year:04d}"


def _month_iso(year: int, month: int) -> str:
    """ISO text of a month known to be 1-12."""
    return f"{year:04d}-{month:02d}"


def _full_date(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("iso"):
        parts = [int(p) for p in groups["iso"].split("-")]
        return _iso(*parts)
    if groups.get("month"):
        return _iso(int(groups["year"]), MONTHS[name_key(groups["month"])], int(groups["day"]))
    return _iso(int(groups["year2"]), MONTHS[name_key(groups["month2"])], int(groups["day2"]))


def parse_explicit_date(text: str) -> PartialDate | None:
    """The first full written date in ``text`` ("July 11, 2024", "21 September 1973",
    "November 21, 2021 3:06 PM GMT+7", "2024-07-11"), at day precision; else None.

    >>> parse_explicit_date("November 21, 2021 3:06 PM GMT+7")
    PartialDate(iso='2021-11-21', inferred=False)
    >>> parse_explicit_date("on July 9") is None
    True
    """
    for match in FULL_DATE.finditer(text):
        iso = _full_date(match)
        if iso:
            return PartialDate(iso)
    return None


def _as_date(partial: PartialDate) -> date:
    """The first day a partial date covers."""
    parts = [int(p) for p in partial.iso.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


@lru_cache(maxsize=64)
def _anchor_from_text(text: str) -> PartialDate | None:
    """The latest full date the text writes, else the latest year it names in a past or
    present context ("of 2023", "in 2023"): the best stand-in for a missing publication date."""
    days = [iso for iso in (_full_date(m) for m in FULL_DATE.finditer(text)) if iso]
    if days:
        return PartialDate(max(days), inferred=True)
    years = []
    for match in re.finditer(rf"\b(?:in|of|during)\s+(?:fiscal year\s+)?{_y('year')}\b", text, re.IGNORECASE):
        clause = text[max(0, match.start() - 120):match.start()]
        if not _FUTURE.search(clause.rsplit(".", 1)[-1]):
            years.append(match.group("year"))
    return PartialDate(max(years), inferred=True) if years else None


def anchor_date(text: str, published: PartialDate | None) -> PartialDate | None:
    """The date relative expressions of ``text`` are read against (see the module doc)."""
    return published if published is not None else _anchor_from_text(text)


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_day(month: int, day: int, anchor: PartialDate | None, future: bool, explicit_year: int | None = None) -> str | None:
    """A month-day date placed in the anchor's year, or the year before when a reported
    (not announced) event would otherwise fall after the anchor."""
    if explicit_year is not None:
        return _iso(explicit_year, month, day)
    if anchor is None:
        return None
    year = int(anchor.iso[:4])
    iso = _iso(year, month, day)
    if iso is None:
        return None
    if not future and anchor.precision != "year" and iso[:len(anchor.iso)] > anchor.iso:
        iso = _iso(year - 1, month, day)
    return iso


def _resolve(kind: str, match: re.Match[str], anchor: PartialDate | None, future: bool
             ) -> tuple[PartialDate, PartialDate | None, DateRole] | None:
    """Turn one match into (date, end date, role), or None when it cannot be dated."""
    g: dict[str, Any] = match.groupdict()
    if kind in ("full", "as_of_full"):
        iso = _full_date(match)
        return (PartialDate(iso), None, "as_of" if kind == "as_of_full" else "point") if iso else None
    if kind == "first_months":
        n = g["n"].lower()
        months = int(n) if n.isdigit() else NUMBER_WORDS[n]
        year = int(g["year"])
        if not 1 <= months <= 12:
            return None
        return PartialDate(_month_iso(year, 1)), PartialDate(_month_iso(year, months)), "period"
    if kind == "fiscal":
        return PartialDate(g["year"]), None, "period"
    if kind == "month_year":
        iso = _month_iso(int(g["year"]), MONTHS[name_key(g["month"])])
        role: DateRole = "period" if (g.get("prep") or "").lower() in ("in", "during", "throughout") else "point"
        return PartialDate(iso), None, role
    if kind == "year":
        prep = g["prep"].lower()
        role = "period" if prep in ("in", "during", "throughout", "of") else "point"
        return PartialDate(g["year"]), None, role
    explicit_year = int(g["year"]) if g.get("year") else None
    if kind == "range":
        if anchor is None and explicit_year is None:
            return None
        month = MONTHS[name_key(g["month"])]
        start = _month_day(month, int(g["day"]), anchor, future, explicit_year)
        if start is None or int(g["end"]) <= int(g["day"]):
            return None
        end = _iso(int(start[:4]), month, int(g["end"]))
        inferred = explicit_year is None
        return PartialDate(start, inferred), (PartialDate(end, inferred) if end else None), "point"
    if kind == "as_of_month":
        month = MONTHS[name_key(g["month"])]
        if explicit_year is not None:
            return PartialDate(_month_iso(explicit_year, month)), None, "as_of"
        if anchor is None or anchor.precision == "year":
            return None
        year = int(anchor.iso[:4])
        if month > int(anchor.iso[5:7]):
            year -= 1
        return PartialDate(_month_iso(year, month), True), None, "as_of"
    if anchor is None:
        return None
    if kind == "month_day":
        iso = _month_day(MONTHS[name_key(g["month"])], int(g["day"]), anchor, future)
        return (PartialDate(iso, True), None, "point") if iso else None
    if kind == "month":
        found = _month(MONTHS[name_key(g["month"])], anchor, future)
        if found and g["prep"].lower() in ("in", "during", "throughout"):
            return found[0], None, "period"
        return found
    if kind == "weekday":
        return _weekday(g, anchor, future)
    if kind == "relative":
        return _relative(g["rel"].lower(), anchor)
    return None


def _month(month: int, anchor: PartialDate, future: bool) -> tuple[PartialDate, None, DateRole] | None:
    """"in December": that month of the anchor's year; of the year before when a reported
    event would otherwise fall after the anchor (dc03's "in December" in an August article)."""
    if anchor.precision == "year":
        return None
    year = int(anchor.iso[:4])
    if not future and month > int(anchor.iso[5:7]):
        year -= 1
    return PartialDate(_month_iso(year, month), True), None, "point"


def _weekday(g: dict[str, str], anchor: PartialDate, future: bool
             ) -> tuple[PartialDate, None, DateRole] | None:
    """"on Wednesday": the weekday on or before the anchor (on or after it for an
    announced event); needs an anchor known to the day."""
    if anchor.precision != "day":
        return None
    prep = (g.get("prep") or "").lower()
    if not prep:
        return None
    base = _as_date(anchor)
    target = WEEKDAYS[name_key(g["weekday"])]
    if prep == "next" or (future and prep != "last"):
        delta = (target - base.weekday()) % 7
        day = base + timedelta(days=delta or (7 if prep == "next" else 0))
    else:
        delta = (base.weekday() - target) % 7
        day = base - timedelta(days=delta or (7 if prep == "last" else 0))
    return PartialDate(day.isoformat(), True), None, "point"


def _relative(rel: str, anchor: PartialDate) -> tuple[PartialDate, None, DateRole] | None:
    year = int(anchor.iso[:4])
    if rel.endswith("year"):
        delta = -1 if rel.startswith("last") else 1 if rel.startswith("next") else 0
        return PartialDate(f"{year + delta:04d}", True), None, "period"
    if anchor.precision == "year":
        return None
    month = int(anchor.iso[5:7])
    delta = -1 if rel.startswith("last") else 1 if rel.startswith("next") else 0
    y, m = _shift_month(year, month, delta)
    return PartialDate(f"{y:04d}-{m:02d}", True), None, "period"


def find_dates(text: str, sentence: Sentence, published: PartialDate | None) -> list[DateMention]:
    """Every date mention of one sentence of ``text``, with absolute spans, in text order.

    Longer, more specific patterns win over shorter ones they overlap ("as of September 20,
    2021" over "September 20, 2021").
    """
    return list(_sentence_dates(text, sentence.span.start, sentence.span.end, published))


@lru_cache(maxsize=512)
def _sentence_dates(text: str, start: int, end: int, published: PartialDate | None) -> tuple[DateMention, ...]:
    """:func:`find_dates`, kept: the figure, meeting and partnership recognisers each ask
    for the dates of every sentence (about 50 scans of an article instead of 20)."""
    chunk = text[start:end]
    anchor = anchor_date(text, published)
    future = bool(_FUTURE.search(chunk))
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    low = chunk.lower()
    digits = any(map(str.isdigit, chunk))  # a superset of the patterns' \d
    words_tell = not any(map(chunk.__contains__, _CASE_ODD))
    for kind, pattern in _PATTERNS:
        need_digits, words = _NEEDS[kind]
        if (need_digits and not digits) or (words_tell and words and not any(map(low.__contains__, words))):
            continue  # the pattern cannot match this sentence
        for match in pattern.finditer(chunk):
            a, b = match.span()
            if any(a < y and x < b for x, y in taken):
                continue
            resolved = _resolve(kind, match, anchor, future)
            if resolved is None:
                continue
            taken.append((a, b))
            when, until, role = resolved
            span = Span(start + a, start + b, text[start + a:start + b])
            found.append(DateMention(span, when, until, role, span.text))
    return tuple(sorted(found, key=lambda m: (m.span.start, m.span.end)))
