"""The metadata manifest ``articles.toml`` of an article folder, checked entry by entry.

A typo in a manifest must not pass silently: an unknown key (``publised``), a date that is
not one (``2024-13-45``, ``yesterday``), a value of the wrong type, two entries for one file,
or an entry for a file the folder does not have each give one line naming the manifest,
the entry and the value (shortened). A bad entry makes its article fail; the others build.

>>> check_entry({"file": "a.txt", "published": "2024-13-45"})
["published '2024-13-45' is not a real date (write YYYY-MM-DD, YYYY-MM or YYYY, or '' if unknown)"]
>>> check_entry({"file": "a.txt", "publised": "2024-01-02"})
["unknown key 'publised' (did you mean 'published'?)"]
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.ingest.dates import parse_explicit_date
from kg.ingest.source import shorten, shown

__all__ = ["MANIFEST_NAME", "ENTRY_KEYS", "Manifest", "read_manifest", "check_entry", "check_published"]

MANIFEST_NAME = "articles.toml"
ENTRY_KEYS = ("file", "title", "outlet", "published", "address")
@dataclass
class Manifest:
    """A folder's manifest: the usable entries by file name, and what is wrong with the rest
    (file name -> message for an entry's own file; ``problems`` for the manifest as a whole
    and entries that name no file of the folder)."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    bad_entries: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(choices)})"


def check_published(value: Any) -> str | None:
    """What is wrong with a ``published`` value, or ``None``: '' (unknown), an ISO date
    (YYYY, YYYY-MM, YYYY-MM-DD, a real one) or a date written out ("11 July 2024")."""
    if isinstance(value, dt.date):
        return None
    if not isinstance(value, str):
        return f"published {shorten(value)} is not text"
    text = value.strip()
    if not text:
        return None
    parts = text.split("-")
    if all(p.isdigit() for p in parts) and [len(p) for p in parts] in ([4], [4, 2], [4, 2, 2]):
        numbers = [int(p) for p in parts] + [1, 1]
        try:
            dt.date(numbers[0], numbers[1], numbers[2])
            return None
        except ValueError:
            pass
    elif parse_explicit_date(text) is not None:
        return None
    return (f"published {shorten(value)} is not a real date "
            "(write YYYY-MM-DD, YYYY-MM or YYYY, or '' if unknown)")


def check_entry(entry: dict[str, Any]) -> list[str]:
    """The problems of one ``[[article]]`` entry (its ``file`` already known to be text)."""
    problems = [f"unknown key {shorten(str(key))}{_did_you_mean(str(key), ENTRY_KEYS)}"
                for key in entry if key not in ENTRY_KEYS]
    for key in ("title", "outlet", "address"):
        if key in entry and not isinstance(entry[key], str):
            problems.append(f"{key} {shorten(entry[key])} is not text")
    if "published" in entry:
        wrong = check_published(entry["published"])
        if wrong:
            problems.append(wrong)
    return problems


def read_manifest(folder: Path) -> Manifest:
    """The checked manifest of ``folder`` (empty when it has none)."""
    path = Path(folder) / MANIFEST_NAME
    manifest = Manifest(path)
    if not path.exists():
        return manifest
    where = shown(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        manifest.problems.append(f"{where}: not a valid TOML manifest ({shorten(str(exc), 200)}); "
                                 "its articles are built without it")
        return manifest
    except OSError as exc:
        manifest.problems.append(f"{where}: cannot read ({exc.strerror}); its articles are built without it")
        return manifest
    for key in data:
        if key != "article":
            manifest.problems.append(f"{where}: unknown table {shorten(key)} (only [[article]] entries)")
    entries = data.get("article", [])
    if not isinstance(entries, list):
        manifest.problems.append(f"{where}: expected [[article]] tables")
        return manifest
    for number, entry in enumerate(entries, 1):
        _add_entry(manifest, folder, where, number, entry)
    return manifest


def _add_entry(manifest: Manifest, folder: Path, where: str, number: int, entry: Any) -> None:
    name = entry.get("file") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not name:
        manifest.problems.append(f"{where}: [[article]] number {number} has no `file` name")
        return
    label = f"{where}: [[article]] file = {shorten(name)}"
    if name in manifest.entries or name in manifest.bad_entries:
        manifest.bad_entries[name] = f"{label}: a second entry for the same file"
        manifest.entries.pop(name, None)
        return
    if os.sep in name or name in (".", "..") or not os.path.lexists(Path(folder) / name):
        manifest.problems.append(f"{label}: no such file in {shown(folder)}")
        return
    problems = check_entry(entry)
    if problems:
        manifest.bad_entries[name] = f"{label}: {'; '.join(problems)}"
    else:
        manifest.entries[name] = {key: (value.isoformat() if isinstance(value, dt.date) else value)
                                  for key, value in entry.items()}
