"""Reading an article: strict UTF-8, noise removal, metadata, sentences with offsets.

>>> from kg.ingest.articles import article_from_text
>>> a = article_from_text("x.txt", "Talks held\\n\\nPM Lam met Mr. Kishida. They agreed.\\n")
>>> [s.span.text for s in a.sentences]
['Talks held', 'PM Lam met Mr. Kishida.', 'They agreed.']
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.dates import parse_explicit_date
from kg.model import Article, PartialDate, Sentence, Span
from kg.ingest.noise import Noise, find_noise, split_lines
from kg.ingest.sentences import split_sentences

MANIFEST_NAME = "articles.toml"
# Outlet tags as they appear in datelines and sign-offs, and the outlets they stand for.
OUTLET_TAGS = {
    "VNA": "Vietnam News Agency",
    "NDO": "Nhan Dan Online",
    "VGP": "Vietnam Government Portal",
    "VOV": "Voice of Vietnam",
    "SGGP": "Saigon Giai Phong",
    "VNS": "Viet Nam News",
}

__all__ = ["read_article", "load_manifest", "article_from_text", "decode_article"]


def decode_article(data: bytes, name: str) -> str:
    """The text of an article file, or an :class:`InputError` saying what is wrong with it."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file (NUL bytes), not article text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise InputError(f"{name}: not UTF-8 (byte 0x{byte:02x} at offset {exc.start}); "
                         "save it as UTF-8") from None


def load_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """The metadata manifest ``articles.toml`` of ``folder`` keyed by file name ({} if none)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid TOML manifest ({exc})") from None
    entries = data.get("article", [])
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected [[article]] tables")
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("file"):
            raise InputError(f"{path}: every [[article]] needs a `file`")
        out[str(entry["file"])] = entry
    return out


def read_article(path: Path, manifest: dict | None = None) -> Article:
    """Read one article file; ``manifest`` is :func:`load_manifest`'s mapping (or one entry)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = decode_article(data, str(path))
    entry = _manifest_entry(manifest, path.name)
    return article_from_text(path.name, text, entry, content_hash=_hash(data))


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
        date = parse_explicit_date(given) if not _is_iso(given) else PartialDate(given)
        if date is not None:
            return PartialDate(date.iso, inferred=True)
    return None


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
