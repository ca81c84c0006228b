"""Reading an article: its bytes safely (:mod:`kg.ingest.source`), its text (UTF-8, or
UTF-16/32 by their byte-order mark; an HTML page reduced to its text by
:mod:`kg.ingest.html`), noise removal, metadata, sentences with offsets.

>>> from kg.ingest.articles import article_from_text
>>> a = article_from_text("x.txt", "Talks held\\n\\nPM Lam met Mr. Kishida. They agreed.\\n")
>>> [s.span.text for s in a.sentences]
['Talks held', 'PM Lam met Mr. Kishida.', 'They agreed.']
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.dates import parse_explicit_date
from kg.ingest.html import html_to_text, looks_like_html
from kg.ingest.manifest import MANIFEST_NAME, read_manifest
from kg.ingest.source import DEFAULT_MAX_BYTES, decode_article, read_source, shown
from kg.model import Article, PartialDate, Sentence, Span
from kg.ingest.noise import Noise, find_noise, split_lines
from kg.ingest.sentences import split_sentences

# Outlet tags as they appear in datelines and sign-offs, and the outlets they stand for.
OUTLET_TAGS = {
    "VNA": "Vietnam News Agency",
    "NDO": "Nhan Dan Online",
    "VGP": "Vietnam Government Portal",
    "VOV": "Voice of Vietnam",
    "SGGP": "Saigon Giai Phong",
    "VNS": "Viet Nam News",
}

__all__ = ["read_article", "load_manifest", "article_from_text", "article_from_bytes", "decode_article",
           "MANIFEST_NAME"]


def load_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """The usable entries of ``folder``'s manifest ``articles.toml`` keyed by file name ({} if
    none); the first problem found in it is raised as an :class:`InputError`
    (:func:`kg.ingest.manifest.read_manifest` gives them all, as the build reports them)."""
    manifest = read_manifest(folder)
    problems = manifest.problems + sorted(manifest.bad_entries.values())
    if problems:
        raise InputError(problems[0])
    return manifest.entries


def read_article(path: Path, manifest: dict | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one article file; ``manifest`` is :func:`load_manifest`'s mapping (or one entry).

    Files over ``max_bytes`` are refused before they are read (the message says how to raise it).
    """
    path = Path(path)
    data = read_source(path, max_bytes)
    return article_from_bytes(path.name, data, _manifest_entry(manifest, path.name), str(path))


def article_from_bytes(file_name: str, data: bytes, entry: dict | None = None, origin: str = "") -> Article:
    """The :class:`Article` of a file's raw ``data``: decoded, and reduced to text if HTML."""
    text = decode_article(data, origin or file_name)
    if looks_like_html(text):
        text = html_to_text(text)
        if not text.strip():
            raise InputError(f"{shown(origin or file_name)}: an HTML page with no text in it")
    return article_from_text(file_name, text, entry, content_hash=_hash(data))


def article_from_text(file_name: str, text: str, entry: dict | None = None,
                      content_hash: str | None = None) -> Article:
    """Build the :class:`Article` of ``text`` (already decoded)."""
    entry = entry or {}
    noise = find_noise(text)
    sentences = tuple(Sentence(i, span) for i, span in enumerate(_content_sentences(text, noise)))
    published = _published(noise, entry)
    outlet = (entry.get("outlet") or "").strip() or _outlet_name(noise.outlet_tag)
    title = noise.title or _find_title(text, entry.get("title") or "")
    return Article(
        file_name=file_name,
        text=text,
        content_hash=content_hash or _hash(text.encode("utf-8")),
        sentences=sentences,
        title=title,
        outlet=outlet,
        author=noise.author,
        published=published,
        noise=tuple(noise.spans),
        dateline_place=noise.dateline_place or None,
    )


def _manifest_entry(manifest: dict | None, name: str) -> dict:
    if not manifest:
        return {}
    if manifest.get("file") == name:
        return manifest
    entry = manifest.get(name)
    return entry if isinstance(entry, dict) else {}


def _hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _outlet_name(tag: str | None) -> str | None:
    if not tag:
        return None
    return OUTLET_TAGS.get(tag, tag)


def _published(noise: Noise, entry: dict) -> PartialDate | None:
    """The date the text gives, else the manifest's (marked inferred)."""
    if noise.dateline:
        date = parse_explicit_date(noise.dateline) or _numeric_date(noise.dateline)
        if date is not None:
            return PartialDate(date.iso, inferred=False)
    given = str(entry.get("published") or "").strip()
    if given:
        date = parse_explicit_date(given) if not _is_iso(given) else _iso_date(given)
        if date is not None:
            return PartialDate(date.iso, inferred=True)
    return None


def _iso_date(text: str) -> PartialDate | None:
    """``text`` (YYYY, YYYY-MM or YYYY-MM-DD) when it is a real date ("2024-13-45" is not)."""
    numbers = [int(part) for part in text.split("-")] + [1, 1]
    try:
        dt.date(numbers[0], numbers[1], numbers[2])
    except ValueError:
        return None
    return PartialDate(text)


def _numeric_date(text: str) -> PartialDate | None:
    """A date line written "27/10/2025": day first, as Vietnamese outlets write it, unless
    only month first makes sense ("10/27/2025").

    >>> _numeric_date("27/10/2025"), _numeric_date("10/27/2025"), _numeric_date("31/02/2025")
    (PartialDate(iso='2025-10-27', inferred=False), PartialDate(iso='2025-10-27', inferred=False), None)
    """
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text)
    if not match:
        return None
    first, second, year = (int(g) for g in match.groups())
    day, month = (second, first) if first <= 12 < second else (first, second)
    try:
        return PartialDate(dt.date(year, month, day).isoformat())
    except ValueError:
        return None


def _is_iso(text: str) -> bool:
    parts = text.split("-")
    return all(p.isdigit() for p in parts) and [len(p) for p in parts] in ([4], [4, 2], [4, 2, 2])


def _find_title(text: str, title: str) -> Span | None:
    title = title.strip()
    at = text.find(title) if title else -1
    return Span(at, at + len(title), title) if at >= 0 else None


def _content_sentences(text: str, noise: Noise) -> list[Span]:
    """Split every line into sentences, skipping the noise spans."""
    out: list[Span] = []
    cuts = sorted(noise.spans)
    for line in split_lines(text):
        pieces = [(line.start, line.end)]
        for cut in cuts:
            if cut.end <= line.start or cut.start >= line.end:
                continue
            pieces = [part for a, b in pieces for part in ((a, min(b, cut.start)), (max(a, cut.end), b))
                      if part[0] < part[1]]
        for a, b in pieces:
            out.extend(split_sentences(text, a, b))
    return out
