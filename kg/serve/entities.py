"""What an entity page shows, gathered with the internal and stored queries.

Everything here works on any :class:`kg.query.backend.Backend`; the server passes one that
evaluates in its worker pool. Values are shown by their labels, never as bare IRIs, and each
fact keeps the article (and sentence) it came from.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError
from kg.export.plot import disputed_observations, readable_unit
from kg.files import internal_query
from kg.query.backend import Backend
from kg.query.stored import StoredQuery, execute_stored, find_query
from kg.query.tables import compact

ID_BASE = "https://w3id.org/vjkg/id/"
GRAPH_BASE = "https://w3id.org/vjkg/graph/"
LIST_SEPARATOR = "|"
DENOTES = "https://w3id.org/vjkg/ontology#denotes"


def entity_iri(path: str) -> str:
    """The IRI of the resource served at ``/id/<path>``."""
    return ID_BASE + path


def local_link(iri: str) -> str | None:
    """The server path showing ``iri``, if it is one of the graph's own resources."""
    return "/id/" + iri[len(ID_BASE):] if iri.startswith(ID_BASE) and len(iri) > len(ID_BASE) else None


def source_name(graph: str) -> str:
    """A statement's graph as a reader names it: the article's file, or "reference data"."""
    if graph.startswith(GRAPH_BASE + "article/"):
        return graph[len(GRAPH_BASE + "article/"):] + ".txt"
    if graph.startswith(GRAPH_BASE):
        return graph[len(GRAPH_BASE):] + " data"
    return compact(graph)


@dataclass
class Figure:
    """One indicator's figures involving a state, ready to show and to plot."""

    code: str
    label: str
    unit_label: str
    divisor: float
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class EntityPage:
    """What the page of one entity shows."""

    iri: str
    label: str
    types: list[str]
    aliases: list[str]
    statements_out: list[dict[str, Any]]
    statements_in: list[dict[str, Any]]
    incoming: dict[str, int]  # property label -> how many things point at it so
    mentions: int
    sources: list[dict[str, Any]]
    meetings: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    figures: list[Figure]


def _rows(backend: Backend, name: str, iri: str) -> list[dict[str, Any]]:
    return backend.execute(internal_query(name), {"entity": ox.NamedNode(iri)}).rows


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """A statement's row with what the page shows: labels, links, sources."""
    value = row["value"]
    row["link"] = local_link(value) if isinstance(value, str) else None
    row["shown"] = row["value_label"] or (compact(value) if isinstance(value, str) and "://" in value else value)
    row["property_shown"] = row["property_label"] or compact(row["property"])
    return row


def _statements_out(backend: Backend, iri: str) -> list[dict[str, Any]]:
    rows = _rows(backend, "entity-out", iri)
    for row in rows:
        _shown(row)["sources"] = sorted(source_name(g) for g in (row["graphs"] or "").split(LIST_SEPARATOR) if g)
    return rows


def _statements_in(backend: Backend, iri: str) -> list[dict[str, Any]]:
    """At most a few hundred statements pointing at ``iri``, one per subject and property
    with every graph stating it, sorted by property and label."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _rows(backend, "entity-in", iri):
        key = (row["property"], str(row["value"]))
        kept = merged.setdefault(key, {**row, "sources": set()})
        kept["value_label"] = min(filter(None, (kept["value_label"], row["value_label"])), default=None)
        kept["sources"].add(source_name(row["graph"]))
    rows = [_shown(row) for row in merged.values()]
    for row in rows:
        row["sources"] = sorted(row["sources"])
    rows.sort(key=lambda r: (str(r["property_shown"]), str(r["shown"]), str(r["value"])))
    return rows


def _posts(backend: Backend, iri: str) -> list[dict[str, Any]]:
    rows = _rows(backend, "entity-posts", iri)
    for row in rows:
        row["first"] = None if row["first"] == "~" else row["first"]
        row["last"] = row["last"] or None
        row["articles"] = sorted((row["articles"] or "").split(LIST_SEPARATOR))
        row["person_link"] = local_link(row["person"])
        row["post_link"] = local_link(row["post"])
    rows.sort(key=lambda r: (r["first"] or "~", r["name"] or "", r["post_label"] or ""))
    return rows


def figure_rows(backend: Backend, iri: str, code: str, queries: Mapping[str, StoredQuery],
                disputed: set[str]) -> list[dict[str, Any]]:
    """Every figure of indicator ``code`` flowing from or to the state ``iri``, each marked
    ``conflict`` when it is in ``disputed`` (an end of a group of figures that disagree)."""
    series = find_query("figure-series", queries)
    seen: dict[str, dict[str, Any]] = {}
    for side in ("from_state", "to_state"):
        for row in execute_stored(series, {"indicator": code, side: iri}, backend).rows:
            seen.setdefault(row["observation"], row)
    rows = list(seen.values())
    for row in rows:
        row["conflict"] = row["observation"] in disputed
    rows.sort(key=lambda r: (r["when"] is None, str(r["when"] or ""), r["observation"]))
    return rows


def _figures(backend: Backend, iri: str, queries: Mapping[str, StoredQuery], disputed: set[str]) -> list[Figure]:
    figures = []
    for indicator in _rows(backend, "entity-indicators", iri):
        rows = figure_rows(backend, iri, indicator["code"], queries, disputed)
        if not rows:
            continue
        unit = str(rows[0]["unit"])
        divisor, unit_label = readable_unit(unit, [float(r["value"]) for r in rows if r["unit"] == unit])
        for row in rows:  # each value in its own readable scale: 20.5 USD m beside 74.4 USD bn
            own_divisor, row["shown_unit"] = readable_unit(str(row["unit"]), [float(row["value"])])
            scaled = row["value"] / own_divisor
            row["shown"] = f"{scaled:,.4g}" if own_divisor != 1.0 else f"{scaled:,}"
        figures.append(Figure(indicator["code"], indicator["label"] or indicator["code"], unit_label, divisor, rows))
    return figures


def disputed_figures(backend: Backend, queries: Mapping[str, StoredQuery]) -> set[str]:
    """Every observation at an end of a group of disagreeing figures, of every indicator: one
    run of conflicting-figures for the whole graph (the server keeps it per store state)."""
    return disputed_observations(backend, None, queries)


def entity_page(backend: Backend, iri: str, queries: Mapping[str, StoredQuery],
                disputed: set[str]) -> EntityPage | None:
    """The page of ``iri``, or ``None`` when the graph says nothing about it; ``disputed`` as
    :func:`disputed_figures` gives it."""
    head = _rows(backend, "entity-head", iri)
    counts = _rows(backend, "entity-in-counts", iri)
    statements_out = _statements_out(backend, iri)
    if not head and not counts and not statements_out:
        return None
    by_kind: dict[str, list[str]] = {}
    for row in head:
        by_kind.setdefault(row["kind"], []).append(row["text"])
    names = by_kind.get("pref", []) + by_kind.get("name", []) + by_kind.get("label", [])
    label = names[0] if names else compact(iri)
    aliases = sorted(set(names[1:] + by_kind.get("alt", [])) - {label})
    sources = sorted(_rows(backend, "entity-sources", iri), key=lambda r: (r["article"], r["start"], r["end"]))
    meetings = _rows(backend, "entity-meetings", iri)
    for meeting in meetings:
        named = dict(sorted(p.partition(" ")[::2] for p in (meeting["participants"] or "").split(LIST_SEPARATOR) if p))
        meeting["participants"] = sorted(({"name": name, "link": local_link(iri)} for iri, name in named.items()),
                                         key=lambda p: str(p["name"]))
        meeting["link"] = local_link(meeting["meeting"])
    return EntityPage(
        iri=iri, label=label, types=sorted(set(by_kind.get("type", []))), aliases=aliases,
        statements_out=statements_out, statements_in=_statements_in(backend, iri),
        incoming={r["property_label"] or compact(r["property"]): r["count"] for r in counts
                  if r["property"] != DENOTES},
        mentions=max(len(sources), sum(r["count"] for r in counts if r["property"] == DENOTES)),
        sources=sources,
        meetings=meetings, posts=_posts(backend, iri), figures=_figures(backend, iri, queries, disputed))


def search(backend: Backend, text: str) -> list[dict[str, Any]]:
    """Entities whose name or alias contains ``text``, best first, each with its page's path."""
    if not text.strip():
        return []
    rows = backend.execute(internal_query("entity-search"), {"wanted": ox.Literal(text.strip())}).rows
    for row in rows:
        row["link"] = local_link(row["entity"])
    return rows


def indicator_series(backend: Backend, iri: str, code: str, queries: Mapping[str, StoredQuery],
                     disputed: set[str]) -> tuple[list[dict[str, Any]], set[str], str]:
    """The points of one indicator for one state, the disputed ones, and a title."""
    rows = figure_rows(backend, iri, code, queries, disputed)
    if not rows:
        raise QueryError(f"no figures of {code!r} involve {compact(iri)}")
    disputed = {r["observation"] for r in rows if r["conflict"]}
    names = [r["text"] for r in _rows(backend, "entity-head", iri) if r["kind"] == "pref"]
    return rows, disputed, f"{code}: {names[0] if names else compact(iri)}"
