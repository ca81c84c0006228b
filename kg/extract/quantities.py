"""Amounts of money, counts of things and people, percentages and ranks in a sentence.

A quantity is only a number with its unit and the approximation word written before it
("nearly US$30 billion" -> 30000000000 USD, "nearly"); what the number *measures* is the
figure recogniser's business (``kg.extract.figures``). Ranks are read only in a ranking
frame ("ranks first", "the second-largest partner", "third in investment"), so that "the
first time", "the 12th meeting" or "the 50th anniversary" never become numbers.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from kg.model import Sentence, Span

SCALES = {
    "thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6, "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9, "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12,
}
# Written before the number: symbols and codes. Longest first so "US$" wins over "$".
CURRENCY_PREFIXES = {
    "US$": "USD", "US $": "USD", "USD": "USD", "U$": "USD", "$": "USD", "A$": "AUD", "AU$": "AUD", "AUD": "AUD",
    "S$": "SGD", "SGD": "SGD", "NZ$": "NZD", "NZD": "NZD", "HK$": "HKD", "HKD": "HKD",
    "C$": "CAD", "CAD": "CAD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
    "¥": "JPY", "JPY": "JPY", "VND": "VND", "₫": "VND", "KRW": "KRW", "₩": "KRW",
    "INR": "INR", "₹": "INR", "Rs": "INR", "CNY": "CNY", "RMB": "CNY", "THB": "THB",
    "MYR": "MYR", "CHF": "CHF",
}
# Written after the number: codes and currency names.
CURRENCY_SUFFIXES = {
    "USD": "USD", "US dollars": "USD", "U.S. dollars": "USD", "dollars": "USD",
    "yen": "JPY", "JPY": "JPY", "VND": "VND", "dong": "VND", "euros": "EUR", "euro": "EUR",
    "EUR": "EUR", "won": "KRW", "KRW": "KRW", "yuan": "CNY", "CNY": "CNY", "RMB": "CNY",
    "rupees": "INR", "INR": "INR", "baht": "THB", "THB": "THB", "ringgit": "MYR",
    "AUD": "AUD", "Australian dollars": "AUD", "SGD": "SGD", "Singapore dollars": "SGD",
    "GBP": "GBP", "pounds sterling": "GBP", "CAD": "CAD", "NZD": "NZD", "HKD": "HKD", "CHF": "CHF",
}
# Count nouns and the unit they count in.
COUNT_NOUNS = {
    "project": "project", "projects": "project",
    "people": "person", "persons": "person", "person": "person", "citizens": "person",
    "nationals": "person", "residents": "person", "visitors": "person", "tourists": "person",
    "arrivals": "person", "trainees": "person", "interns": "person", "workers": "person",
    "labourers": "person", "laborers": "person", "students": "person", "individuals": "person",
    "countries": "country", "nations": "country", "economies": "country", "partners": "partner",
    "enterprises": "company", "companies": "company", "firms": "company", "businesses": "company",
}
APPROXIMATIONS = (
    "more than", "less than", "fewer than", "up to", "at least", "at most", "as many as",
    "as much as", "close to", "an estimated", "estimated at", "just over", "just under",
    "nearly", "almost", "about", "around", "approximately", "approx.", "roughly", "some",
    "over", "under", "above", "below", "exceeded", "exceeding", "surpassed", "topped",
)
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
    "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}
# "ranking 20th among foreign investors", "the 23rd largest": written ordinals up to 99th
ORDINALS.update({f"{n}{'th' if n % 100 in (11, 12, 13) else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}": n
                 for n in range(11, 100)})
RANK_HEADS = (
    "partner", "partners", "provider", "providers", "investor", "investors", "donor", "donors",
    "lender", "lenders", "source", "market", "destination", "creditor", "exporter", "importer",
    "supplier", "buyer", "sender", "population", "community", "workforce",
)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit. ``noun`` is what a count counts as written ("valid projects",
    "Japanese citizens"); for a rank it is the ranking frame after the ordinal
    ("partner in labour cooperation", "in investment and tourism cooperation")."""

    span: Span
    value: Decimal
    unit: str  # ISO 4217 code, or project / person / percent / rank / another count noun
    approximation: str | None = None
    noun: str = ""


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = rf"(?:\s*(?P<scale>{_alternation(w for w in SCALES if len(w) > 1)})\b|(?P<short>[mb]n?)\b)?"
_APPROX = rf"(?:(?P<approx>{_alternation(APPROXIMATIONS)})\s+)?"
_PREFIX_MONEY = re.compile(
    rf"{_APPROX}(?<![A-Za-z])(?P<cur>{_alternation(CURRENCY_PREFIXES)})\s?{_NUMBER}{_SCALE}")
_SUFFIX_MONEY = re.compile(
    rf"{_APPROX}(?<![\w$.,]){_NUMBER}(?:\s*(?P<scale>{_alternation(w for w in SCALES if len(w) > 1)}))?"
    rf"\s+(?P<cur>{_alternation(CURRENCY_SUFFIXES)})\b")
_PERCENT = re.compile(rf"{_APPROX}(?<![\w$.,]){_NUMBER}\s*(?P<pct>%|percent\b|per cent\b|pct\b)(?!age)")
# "up 5.3 points", "down 2 percentage points": a change of a share, in percent
_CHANGE_WORDS = ("up", "down", "by", "rose", "fell", "gained", "lost")
_AFTER_CHANGE = "|".join(f"(?<=\\b{word} )" for word in _CHANGE_WORDS)
_POINTS = re.compile(rf"(?:{_AFTER_CHANGE}){_APPROX}{_NUMBER}\s+"
                     r"(?P<pct>(?:percentage\s+)?points?)\b", re.IGNORECASE)
_STOP = {"of", "in", "the", "to", "and", "with", "at", "for", "by", "from", "on", "a", "an", "or"}
_ORDINAL_WORDS = _alternation(ORDINALS)
# "leading" and "top" alone rank nothing (R4: "Vietnam's leading partner in ODA"); after an
# ordinal they do ("the 4th leading source market")
_ORDINAL = rf"(?P<ord>{_ORDINAL_WORDS}|largest|biggest)"


def _count_pattern(person_words: Iterable[str]) -> re.Pattern[str]:
    return _compiled_count_pattern(tuple(person_words))


@lru_cache(maxsize=64)
def _compiled_count_pattern(person_words: tuple[str, ...]) -> re.Pattern[str]:
    """Built once per set of person words (it was rebuilt for every sentence)."""
    nouns = _alternation([*COUNT_NOUNS, *person_words])
    # a modifier is never a function word: "350,000 people of Vietnamese origin" counts "people"
    modifier = rf"(?!(?i:{'|'.join(sorted(_STOP))})\b)[A-Za-z][\w-]*"
    return re.compile(
        rf"{_APPROX}(?<![\w$.,]){_NUMBER}(?:\s+(?P<scale>thousand|million|billion))?"
        rf"(?P<noun>(?:\s+{modifier}){{0,2}}\s+(?:{nouns}))\b")


def _value(match: re.Match[str]) -> Decimal:
    number = Decimal(match.group("num").replace(",", ""))
    scale = (match.groupdict().get("scale") or match.groupdict().get("short") or "").lower()
    value = number * SCALES.get(scale, Decimal(1))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _looks_like_year(match: re.Match[str]) -> bool:
    raw = match.group("num")
    return bool(re.fullmatch(r"(?:19|20)\d\d", raw)) and not match.groupdict().get("scale")


def _rank_frame(chunk: str, end: int) -> str:
    """The words after an ordinal up to the end of its clause."""
    rest = chunk[end:]
    stop = re.search(rf"[,;.:()]|\s(?:and|while|with|but)\s+(?:the\s+)?(?:{_ORDINAL_WORDS}|largest|biggest)\b"
                     r"|\s(?:with|while|but|whereas)\s", rest)
    return rest[:stop.start() if stop else len(rest)].strip()


_RANK_PATTERNS = [
    # "ranks first", "ranking second among 140 nations", "ranked third"
    re.compile(rf"\brank(?:s|ed|ing)?\s+(?:(?:the|No\.)\s*)?(?P<ord>{_alternation(ORDINALS)})\b", re.IGNORECASE),
    # "the second-largest partner", "Vietnam's leading economic partner", "its third largest investor",
    # "the largest official development assistance (ODA) provider"
    re.compile(rf"(?:\bthe|\bits|['’]s?)\s+(?:world['’]s\s+)?{_ORDINAL}(?:[-\s](?:largest|biggest|leading|top))?\b"
               r"(?!\s+(?:number|share|amount|volume|proportion|time)\b)"
               rf"(?=(?:\s+[\w()-]+){{0,5}}?\s+(?:{'|'.join(RANK_HEADS)})\b)", re.IGNORECASE),
    # "third in investment", "the fourth-largest in trade", "the second in terms of labor"
    re.compile(rf"\b(?P<ord>{_alternation(ORDINALS)})(?:[-\s](?:largest|biggest))?(?=\s+(?:in|among)\s)",
               re.IGNORECASE),
    # "the largest in investment" (first), "the highest among Southeast Asian countries",
    # "the highest growth rate among source markets"
    re.compile(r"\bthe\s+(?P<ord>largest|biggest|highest)(?:\s+[a-z]+){0,2}?(?=\s+(?:in|among)\s)"),
    # "the largest number of labourers", "the highest number of FTAs"
    re.compile(r"\bthe\s+(?:(?P<ord>largest|biggest|highest|greatest)|(?P<ord2>\w+)[-\s](?:largest|biggest|highest))"
               r"\s+number\s+of\b", re.IGNORECASE),
    # "topped the list", "tops the ranking"
    re.compile(r"\b(?P<ord>top(?:s|ped)?)\s+the\s+(?:list|ranking|table)\b", re.IGNORECASE),
]
# "Japan is Vietnam's largest ODA provider, second investor and fourth trade partner":
# the later ordinals of a list of ranks, each with its own head
_LISTED_RANK = re.compile(rf"(?:,|\band)\s+(?:the\s+|its\s+)?(?P<ord>{_ORDINAL_WORDS})(?:[-\s](?:largest|biggest))?"
                          rf"(?=(?:\s+[\w()-]+){{0,3}}?\s+(?:{'|'.join(RANK_HEADS)})\b)", re.IGNORECASE)


# "Australia is Vietnam's seventh largest trading partner, while Vietnam is Australia's tenth
# largest.": a rank whose noun is left out at the end of a clause takes the frame of the rank before.
_ELLIPTIC_RANK = re.compile(rf"['’]s\s+(?P<ord>{_ORDINAL_WORDS})[-\s](?:largest|biggest)(?=\s*(?:[.;]|$))",
                            re.IGNORECASE)


# a sentence without any of these words has no rank: its rank patterns are not run
_RANK_WORD = re.compile(rf"\b(?:{_ORDINAL_WORDS}|largest|biggest|highest|greatest|top(?:s|ped)?|rank\w*)\b",
                        re.IGNORECASE)


def _ranks(chunk: str) -> list[tuple[int, int, int, str]]:
    """(start, end, rank, frame) of each ordinal read in a ranking frame."""
    found = _framed_ranks(chunk)
    for match in _LISTED_RANK.finditer(chunk):
        start, end = match.span("ord")
        if any(e <= start for _, e, _, _ in found) and not any(s < match.end() and start < e for s, e, _, _ in found):
            found.append((start, match.end(), ORDINALS[match.group("ord").lower()], _rank_frame(chunk, match.end())))
    for match in _ELLIPTIC_RANK.finditer(chunk):
        before = [r for r in found if r[1] <= match.start()]
        if before and not any(s < match.end() and match.start() < e for s, e, _, _ in found):
            frame = max(before)[3]
            found.append((match.start("ord"), match.end(), ORDINALS.get(match.group("ord").lower(), 1), frame))
    return found


def _framed_ranks(chunk: str) -> list[tuple[int, int, int, str]]:
    """(start, end, rank, frame) of each ordinal followed by what it ranks."""
    found: list[tuple[int, int, int, str]] = []
    for pattern in _RANK_PATTERNS:
        for match in pattern.finditer(chunk):
            group = "ord" if match.group("ord") else "ord2"
            if group == "ord2" and match.group("ord2").lower() not in ORDINALS:
                continue
            start, end = match.span(group)
            end = match.end()
            if any(start < e and s < end for s, e, _, _ in found):
                continue
            if re.search(r"\bone of\s+(?:the\s+|its\s+|their\s+)?(?:\w+['’]s\s+)?(?:world['’]s\s+)?$",
                         chunk[:match.start(group)]):
                continue  # "one of the largest partners" is no rank
            if re.match(r"\s+time\b", chunk[end:]):
                continue
            word = match.group(group).lower()
            rank = ORDINALS.get(word, 1)
            found.append((start, end, rank, _rank_frame(chunk, end)))
    return found


# A number written without its noun, which an earlier phrase of the sentence gives: "China
# topped the list with 778,112 people, followed by Vietnam with 448,053", "the number of
# Vietnamese visitors ... reached a new record of 573,900", "workers (80,000), followed by
# Taiwan (58,600)". Only grouped or four-digit numbers; only counts of people and projects.
_BARE = re.compile(rf"{_APPROX}(?<![\w$.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d{{4,}})(?![\w%$]|[.,]\d)"
                   r"(?!\s*(?:%|percent|per cent|pct|thousand|million|billion|trillion|[A-Z]{3}\b|yen|dollars|won|dong)"
                   r"|\s+(?!(?:in|on|at|by|to|as|and|or|from|for|during|last|this|compared|while|with|against)\b)[a-z])")
_BORROW_CUE = re.compile(r"(?:\bwith|\(|\bor|\breached|\bstood\s+at|\btotall?ed|\bhit|\bat)\s*"
                         r"(?:a\s+(?:new\s+)?record(?:\s+high)?\s+of\s+)?$", re.IGNORECASE)
_COUNTED_HEADS = tuple(noun for noun, unit in COUNT_NOUNS.items() if unit in ("person", "project"))


@lru_cache(maxsize=64)
def _counted_noun_phrase(person_words: tuple[str, ...]) -> re.Pattern[str]:
    """A noun that counts people or projects, with one modifier ("Vietnamese workers"); built once."""
    heads = _alternation([*_COUNTED_HEADS, *person_words, "nationals", "labourers", "holders"])
    return re.compile(rf"(?:\b(?P<mod>[A-Z][a-z]+|foreign)\s+)?\b(?P<head>{heads})\b(?!-)")


def _borrowed_counts(chunk: str, raw: list[tuple[int, int, Decimal, str, str | None, str]],
                     person_words: tuple[str, ...]) -> list[tuple[int, int, Decimal, str, str | None]]:
    """(start, end, value, noun, approximation) of each number whose noun an earlier phrase gives."""
    noun_phrase = _counted_noun_phrase(person_words)
    found: list[tuple[int, int, Decimal, str, str | None]] = []
    for match in _BARE.finditer(chunk):
        start, end = match.span()
        if any(start < e and s < end for s, e, *_ in raw) or _looks_like_year(match):
            continue
        if not _BORROW_CUE.search(chunk[max(0, start - 40):start]):
            continue
        phrases = list(noun_phrase.finditer(chunk, 0, start))
        if not phrases:
            continue
        last = phrases[-1]
        head = last.group("head")
        if head.lower() not in COUNT_NOUNS and head not in person_words and head not in (
                "nationals", "labourers", "holders"):
            continue
        modifier = last.group("mod") or ""
        # a demonym before the noun gives way to a demonym heading a later row: "Vietnamese nationals
        # ..., followed by Chinese at 21.2 percent or 385,848"
        if modifier and modifier in person_words and any(
                re.search(rf"\b{re.escape(word)}\b", chunk[last.end():start]) for word in person_words):
            modifier = ""
        noun = f"{modifier} {head}".strip()
        found.append((start, end, _value(match), noun, match.group("approx")))
    return found


def find_quantities(text: str, sentence: Sentence, *, person_words: Iterable[str] = ()) -> list[Quantity]:
    """Every quantity of one sentence, with absolute spans, in text order.

    ``person_words`` are extra nouns that count people, such as demonyms ("580,000
    Vietnamese"); the figure recogniser passes those of the reference states.
    """
    offset = sentence.span.start
    chunk = text[offset:sentence.span.end]
    raw: list[tuple[int, int, Decimal, str, str | None, str]] = []

    def add(match: re.Match[str], unit: str, noun: str = "") -> None:
        start, end = match.span()
        if any(start < e and s < end for s, e, *_ in raw):
            return
        raw.append((start, end, _value(match), unit, match.group("approx"), noun.strip()))

    has_digits = any(map(str.isdigit, chunk))  # most sentences have no number at all: skip their scans
    for match in _PREFIX_MONEY.finditer(chunk) if has_digits else ():
        add(match, CURRENCY_PREFIXES[match.group("cur")])
    for match in _SUFFIX_MONEY.finditer(chunk) if has_digits else ():
        add(match, CURRENCY_SUFFIXES[match.group("cur")])
    for match in _PERCENT.finditer(chunk) if has_digits else ():
        add(match, "percent")
    for match in _POINTS.finditer(chunk) if has_digits else ():
        add(match, "percent", "points")
    for match in _count_pattern(person_words).finditer(chunk) if has_digits else ():
        if _looks_like_year(match):
            continue
        modifiers = match.group("noun").split()
        if any(word.lower() in _STOP for word in modifiers[:-1]):
            continue
        head = modifiers[-1]
        add(match, COUNT_NOUNS.get(head.lower(), "person"), match.group("noun"))
    if has_digits:
        for start, end, value, noun, approx in _borrowed_counts(chunk, raw, tuple(person_words)):
            raw.append((start, end, value, COUNT_NOUNS.get(noun.split()[-1].lower(), "person"), approx, noun))
    for start, end, rank, frame in (_ranks(chunk) if _RANK_WORD.search(chunk) else []):
        if not any(start < e and s < end for s, e, *_ in raw):
            raw.append((start, end, Decimal(rank), "rank", None, frame))
    quantities = [
        Quantity(Span(offset + s, offset + e, text[offset + s:offset + e]), value, unit, approx, noun)
        for s, e, value, unit, approx, noun in raw
    ]
    return sorted(quantities, key=lambda q: (q.span.start, q.span.end))
