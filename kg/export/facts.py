"""`kg facts`: each article's facts in the JSON shape of the evaluation (eval/SCHEMA.md).

Everything comes from the ``facts-*`` stored queries over the graph, never from the
pipeline's Python objects, so the export says exactly what the graph says. This module only
groups the queries' rows per article and shapes them; the order inside an article follows
the text (character offsets), the articles are sorted by file name.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from kg.query.backend import Backend
from kg.query.stored import StoredQuery, execute_stored, find_query, load_queries

FACT_QUERIES = ("facts-articles", "facts-states", "facts-persons", "facts-organizations",
                "facts-agreements", "facts-partnerships", "facts-meetings", "facts-figures")
Rows = list[dict[str, Any]]


def _by_article(rows: Rows) -> dict[str, Rows]:
    grouped: dict[str, Rows] = defaultdict(list)
    for row in rows:
        grouped[row["article"]].append(row)
    return grouped


def _grouped(rows: Rows, key: str) -> list[Rows]:
    """Rows sharing ``key``, in the order the key first appears."""
    groups: dict[Any, Rows] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return list(groups.values())


def _persons(rows: Rows) -> list[dict[str, Any]]:
    persons = []
    for group in _grouped(rows, "person"):
        held = sorted((r for r in group if r["role"] is not None),
                      key=lambda r: (r["start"] is None, r["start"] or 0, r["role"]))
        roles = list(dict.fromkeys(("former " if r["former"] else "") + r["role"] for r in held))
        nationality = min((r["nationality"] for r in group if r["nationality"]), default=None)
        serving = next((r["holding_state"] for r in held if r["holding_state"]), None)
        persons.append({"name": min(r["name"] for r in group), "state": nationality or serving,
                        "roles": roles})
    return sorted(persons, key=lambda p: p["name"])


def _named(rows: Rows) -> list[dict[str, Any]]:
    entities = []
    for group in _grouped(rows, "entity"):
        name = min(r["name"] for r in group)
        aliases = sorted({r["alias"] for r in group if r["alias"] and r["alias"] != name})
        entities.append({"name": name, "aliases": aliases})
    return sorted(entities, key=lambda e: (e["name"].casefold(), e["name"]))


def _partnerships(rows: Rows) -> list[dict[str, Any]]:
    return [{"states": sorted({r["state"] for r in group}), "level": group[0]["level"],
             "date": group[0]["date"]} for group in _grouped(rows, "statement")]


def _meetings(rows: Rows) -> list[dict[str, Any]]:
    meetings = []
    for group in _grouped(rows, "meeting"):
        first = group[0]
        meetings.append({"kind": first["kind"], "date": first["date"], "place": first["place"],
                         "participants": sorted({r["participant"] for r in group if r["participant"]})})
    return meetings


def _direction(row: Mapping[str, Any]) -> str | None:
    if row["from_state"] and row["to_state"]:
        return f"{row['from_state']}->{row['to_state']}"
    return None


def _figures(rows: Rows) -> list[dict[str, Any]]:
    return [{"indicator": r["indicator"], "value": float(r["value"]), "unit": r["unit"],
             "direction": _direction(r)} for r in rows]


def article_facts(backend: Backend, queries: Mapping[str, StoredQuery] | None = None,
                  article: str | None = None) -> list[dict[str, Any]]:
    """One SCHEMA.md object per article of the graph, sorted by article file name; with
    ``article`` (a file name), only that one's (each query then reads one article, not all)."""
    queries = queries if queries is not None else load_queries()
    values = {} if article is None else {"article": article}
    rows = {name: _by_article(execute_stored(find_query(name, queries), values, backend).rows)
            for name in FACT_QUERIES}
    articles = []
    for article in sorted(rows["facts-articles"]):
        def part(name: str) -> Rows:
            return rows[name].get(article, [])

        articles.append({
            "article": article,
            "published": part("facts-articles")[0]["published"],
            "states": [r["state"] for r in part("facts-states")],
            "persons": _persons(part("facts-persons")),
            "organizations": _named(part("facts-organizations")),
            "agreements": _named(part("facts-agreements")),
            "partnerships": _partnerships(part("facts-partnerships")),
            "meetings": _meetings(part("facts-meetings")),
            "figures": _figures(part("facts-figures")),
        })
    return articles
