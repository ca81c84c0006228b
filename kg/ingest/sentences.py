"""Sentence splitting that keeps exact character offsets into the original text.

A line of scraped text is a paragraph; inside it a sentence ends at ``.``, ``!`` or ``?``
followed by a space and a capital, a digit or a quote — unless the full stop belongs to an
abbreviation ("U.S.", "Mr.", "No."), an initial, or a number ("74.4", "US$").
"""
from __future__ import annotations

import re

from kg.model import Span

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "no", "nos", "st", "jr", "sr", "gen", "col", "lt", "gov",
    "sen", "lieut", "maj", "adm", "brig", "capt", "rep", "rev", "vs", "etc", "inc", "co", "ltd", "corp", "dept", "est", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "u.s", "u.k", "u.n", "d.c", "a.m", "p.m", "fig", "vol", "art",
}
BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9À-Ỹ])")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Does the full stop at ``dot`` close an abbreviation or an initial?"""
    if text[dot] != ".":
        return False
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and text[start].isupper()  # an initial: "H. Kishida", "U.S."


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """The sentences of ``text[start:end]`` as spans of ``text``, blanks trimmed."""
    spans, begin = [], start
    for match in BOUNDARY.finditer(text, start, end):
        if _is_abbreviation(text, match.start()):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b and any(c.isalnum() for c in text[a:b]):
            out.append(Span(a, b, text[a:b]))
    return out
