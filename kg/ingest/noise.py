"""Finding the scraped boilerplate in an article: what a reader must not take for content.

News pages copied as plain text carry navigation lists, photo credits, captions repeated
for the image and its alt text, related-article teasers, bylines, outlet tags and social
links. :func:`find_noise` marks them as spans of the original text; everything else is
content. Only the layout and wording of such lines are used, never the article's topic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.model import Span

BULLET = re.compile(r"^\s*[•·▪●◦*\-–]\s+(?P<item>\S.*?)\s*$")
SOCIAL = re.compile(r"\b(like us on facebook|follow us on (twitter|facebook|x)|phiên bản di động"
                    r"|mobile version|share this article|subscribe to our newsletter)\b", re.I)
PHOTO_CREDIT = re.compile(r"\s*(\(\s*Photos?\s*:[^)]*\)|\bPhotos?\s*:\s*[^.]*?)\s*\|?\s*$")
MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
DATELINE = re.compile(
    rf"^\s*(?:(?:Published|Updated|Last\s+updated|Posted)\s*(?:on|at)?\s*:?\s*)?"
    rf"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?P<date>{MONTHS}\s+\d{{1,2}},\s*\d{{4}}|\d{{1,2}}\s+{MONTHS},?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})"
    rf"(?:\s*[|,-]?\s*\d{{1,2}}:\d{{2}}(?:\s*[AP]M)?(?:\s*(?:GMT|UTC|ICT)\s*[+-]?\d{{0,2}})?)?\s*$")
# "Hanoi (VNA) – ", "VGP - ", "NDO – ": an outlet tag opening the first paragraph.
LEAD_TAG = re.compile(r"^(?P<tag>(?:(?P<place>[A-Z][\w ]{1,30}?)\s*\((?P<outlet>[A-Z]{2,6})\))"
                      r"|(?P<bare>[A-Z]{2,6}))\s*[–—-]\s+")
OUTLET_LINE = re.compile(r"^\s*(?P<outlet>[A-Z]{2,6})\s*$")
BYLINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s*$")
LONE_NAME = re.compile(r"^\s*(?P<name>[A-Z][a-zà-ỹ'’-]+(?:\s+[A-Z][a-zà-ỹ'’-]+){1,3})\s*$")
JUNK = re.compile(r"[\U00013000-\U0001343F\uFFFD\u200B]+\s*")
END_MARK = re.compile(r"(?<=\.)/\.\s*$")
SMALL_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by",
               "from", "as", "vs", "into", "over", "amid", "after", "before", "&", "–", "-"}


@dataclass
class Noise:
    """What the noise finder learnt: the spans to drop and the metadata they carried."""

    spans: list[Span] = field(default_factory=list)
    dateline: str | None = None  # the publication date as written ("July 11, 2024 | 17:07")
    dateline_place: str | None = None  # "Hanoi" of "Hanoi (VNA) –"
    outlet_tag: str | None = None  # "VNA", "NDO", "VGP"
    author: str | None = None
    title: Span | None = None


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` with its offsets, the newline excluded."""
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return lines


def is_headline_like(text: str) -> bool:
    """A short line in title case without final punctuation: a heading or a teaser title."""
    text = text.strip()
    if not text or text[-1] in ".!?:;\"”'’)" or len(text) > 160:
        return False
    words = [w for w in re.split(r"\s+", text) if w]
    if len(words) > 18:
        return False
    content = [w for w in words if w.lower().strip(",") not in SMALL_WORDS]
    capitalised = [w for w in content if w[:1].isupper() or w[:1].isdigit()]
    return bool(content) and len(capitalised) >= 0.8 * len(content)


def _is_title(text: str) -> bool:
    """A title has no final full stop and is short."""
    return bool(text) and text[-1] not in ".!?" and len(text.split()) <= 30


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _trimmed(text: str, line: Line) -> Span:
    """The line without its surrounding blanks."""
    lead = len(line.text) - len(line.text.lstrip())
    trail = len(line.text) - len(line.text.rstrip())
    return _span(text, line.start + lead, line.end - trail)


def find_noise(text: str) -> Noise:
    """Mark boilerplate lines and parts of lines of ``text``; see the module docstring."""
    noise = Noise()
    lines = [line for line in split_lines(text) if line.stripped]
    dropped: set[int] = set()

    def drop(i: int) -> None:
        dropped.add(i)

    # navigation: runs of three or more short bullet items
    run: list[int] = []
    for i, line in enumerate(lines + [Line(0, 0, "x")]):
        match = BULLET.match(line.text)
        if match and len(match.group("item").split()) <= 5:
            run.append(i)
            continue
        if len(run) >= 3:
            dropped.update(run)
        run = []

    for i, line in enumerate(lines):
        s = line.stripped
        if i in dropped:
            continue
        if SOCIAL.search(s) and len(s) < 200:
            drop(i)
        elif dateline := DATELINE.match(s):
            noise.dateline = noise.dateline or dateline.group("date")
            drop(i)
        elif outlet := OUTLET_LINE.match(s):
            noise.outlet_tag = noise.outlet_tag or outlet.group("outlet")
            drop(i)
        elif byline := BYLINE.match(s):
            noise.author = byline.group("name")
            drop(i)

    title_index = _first_content(lines, dropped)
    if title_index is not None and not _is_title(lines[title_index].stripped):
        title_index = None
    seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if i in dropped:
            continue
        key = PHOTO_CREDIT.sub("", line.stripped)
        if key in seen:
            drop(i)
            if is_headline_like(key) and seen[key] != title_index:
                drop(seen[key])  # a teaser title shown twice: both copies go
                _drop_teaser_paragraph(lines, i, dropped)
        seen.setdefault(key, i)
    if title_index is not None:
        noise.title = _trimmed(text, lines[title_index])

    _find_lone_author(lines, dropped, noise)
    candidates = [i for i, line in enumerate(lines)
                  if i not in dropped and i != title_index and is_headline_like(line.stripped)]
    for i in candidates:
        nxt = next((j for j in range(i + 1, len(lines)) if j not in dropped), None)
        if nxt is None or nxt in candidates or lines[nxt].stripped.endswith(("...", "…")):
            drop(i)  # teasers come in runs, or before a "..." blurb, or close the page
            _drop_teaser_paragraph(lines, i, dropped)
            if nxt in candidates:
                drop(nxt)

    content = [i for i in range(len(lines)) if i not in dropped and i != title_index]
    for i, line in enumerate(lines):
        if i in dropped:
            noise.spans.append(_trimmed(text, line))
            continue
        noise.spans.extend(_partial_noise(text, line, noise, lead=i in content[:3]))
    noise.spans.sort()
    return noise


def _first_content(lines: list[Line], dropped: set[int]) -> int | None:
    return next((i for i in range(len(lines)) if i not in dropped), None)


def _drop_teaser_paragraph(lines: list[Line], i: int, dropped: set[int]) -> None:
    """The blurb that follows a teaser title ('... businesses ...') goes with it."""
    nxt = next((j for j in range(i + 1, len(lines)) if j not in dropped), None)
    if nxt is None:
        return
    following = lines[nxt].stripped
    if lines[nxt].stripped == lines[i].stripped:
        return
    if following.endswith(("...", "…")) or _teaser_block_follows(lines, nxt, dropped):
        dropped.add(nxt)


def _teaser_block_follows(lines: list[Line], j: int, dropped: set[int]) -> bool:
    """True when line ``j`` is followed only by teasers and end matter (a related-news block)."""
    rest = [k for k in range(j + 1, len(lines)) if k not in dropped]
    return all(is_headline_like(lines[k].stripped) or LONE_NAME.match(lines[k].text) for k in rest)


def _find_lone_author(lines: list[Line], dropped: set[int], noise: Noise) -> None:
    """A name alone on the last content line is the byline."""
    last = next((j for j in range(len(lines) - 1, -1, -1) if j not in dropped), None)
    if last is None or noise.author:
        return
    match = LONE_NAME.match(lines[last].text)
    if match and len(lines[last].stripped.split()) <= 4:
        noise.author = match.group("name")
        dropped.add(last)


def _partial_noise(text: str, line: Line, noise: Noise, lead: bool) -> list[Span]:
    """Noise inside a content line: credits, junk characters, lead tags, end marks."""
    spans = []
    credit = PHOTO_CREDIT.search(line.text)
    if credit:
        spans.append(_span(text, line.start + credit.start(), line.end))
    for junk in JUNK.finditer(line.text):
        spans.append(_span(text, line.start + junk.start(), line.start + junk.end()))
    end = END_MARK.search(line.text)
    if end:
        spans.append(_span(text, line.start + end.start(), line.end))
    tag = LEAD_TAG.match(line.text) if lead and noise.dateline_place is None else None
    if tag:
        spans.append(_span(text, line.start + tag.start(), line.start + tag.end()))
        noise.outlet_tag = noise.outlet_tag or tag.group("outlet") or tag.group("bare")
        noise.dateline_place = tag.group("place") or ""
    return spans
