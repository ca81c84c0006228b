"""Query rows as text: an aligned table, CSV, TSV, JSON or Markdown.

Tables and Markdown are for reading, so IRIs are shortened with the project's prefixes
(``vjr:state/JP``); CSV, TSV and JSON keep full IRIs, for programs.

>>> rows = [{"state": "https://w3id.org/vjkg/id/state/JP", "n": 2}]
>>> print(format_rows(("state", "n"), rows, "table"))
state         n
------------  -
vjr:state/JP  2
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from kg.errors import QueryError
from kg.namespaces import PREFIXES

FORMATS = ("table", "csv", "tsv", "json", "markdown")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(value: str) -> str:
    """An IRI shortened with the longest matching prefix, or unchanged."""
    for prefix, namespace in _BY_LENGTH:
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{prefix}:{value[len(namespace):]}"
    return value


def _text(value: Any, *, short: bool, joiner: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return joiner.join(_text(v, short=short, joiner=joiner) for v in value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value)) if short else repr(value)
    text = str(value)
    return compact(text) if short else text


def _single_line(text: str) -> str:
    return " ".join(text.split())


def format_rows(columns: Sequence[str], rows: Iterable[dict[str, Any]], fmt: str) -> str:
    """``rows`` in format ``fmt`` (one of :data:`FORMATS`), ending without a newline."""
    rows = list(rows)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            cells = [_text(row.get(c), short=False, joiner="; ") for c in columns]
            writer.writerow(cells if fmt == "csv" else [_single_line(c) for c in cells])
        return buffer.getvalue().rstrip("\n")
    if fmt == "markdown":
        lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        for row in rows:
            cells = [_single_line(_text(row.get(c), short=True, joiner=", ")).replace("|", "\\|")
                     for c in columns]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
    if fmt == "table":
        grid = [[_single_line(_text(row.get(c), short=True, joiner=", ")) for c in columns] for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in grid]) for i, c in enumerate(columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in grid]
        return "\n".join(lines)
    raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
