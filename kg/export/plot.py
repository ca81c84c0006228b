"""`kg plot`: one indicator's figures over time, from the figure-series stored query.

Each point is labelled with its source article; the two ends (lowest and highest) of every
group of figures that the conflicting-figures query finds disagreeing are ringed in red.
Figures without any date are drawn in an "undated" column at the right, so a disagreeing
undated figure stays visible.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.query.backend import Backend
from kg.errors import InputError
from kg.files import write_atomic
from kg.query.stored import StoredQuery, execute_stored, find_query, load_queries

PLOT_SUFFIXES = (".png", ".svg")


def split_direction(direction: str | None) -> dict[str, str]:
    """``"Japan->Vietnam"`` as the figure-series parameters ``from_state`` and ``to_state``.

    >>> split_direction("Japan->Vietnam")
    {'from_state': 'Japan', 'to_state': 'Vietnam'}
    """
    if not direction:
        return {}
    parts = [p.strip() for p in direction.split("->")]
    if len(parts) != 2 or not all(parts):
        raise InputError(f"{direction!r} is not a direction (write FROM->TO, e.g. Japan->Vietnam)")
    return {"from_state": parts[0], "to_state": parts[1]}


def point_date(when: str | None) -> dt.date | None:
    """The middle of a partial date's span: 2023 -> 2023-07-01, 2023-05 -> 2023-05-15."""
    if not when:
        return None
    parts = [int(p) for p in when[:10].split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 7, 1)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(parts[0], parts[1], parts[2])


def series(backend: Backend, indicator: str, direction: str | None = None,
           queries: Mapping[str, StoredQuery] | None = None) -> tuple[list[dict[str, Any]], set[str]]:
    """The figure-series rows and the observations some conflicting-figures row names as an end."""
    queries = queries if queries is not None else load_queries()
    params = {"indicator": indicator, **split_direction(direction)}
    points = execute_stored(find_query("figure-series", queries), params, backend).rows
    conflicts = execute_stored(find_query("conflicting-figures", queries),
                               {"indicator": indicator}, backend).rows
    disputed = {r["observation_a"] for r in conflicts} | {r["observation_b"] for r in conflicts}
    return points, disputed


def draw(points: list[dict[str, Any]], disputed: set[str], title: str, out: Path) -> None:
    """Draw the points and write the picture atomically (PNG or SVG by ``out``'s suffix)."""
    if out.suffix.lower() not in PLOT_SUFFIXES:
        raise InputError(f"{out}: the picture must be a .png or .svg file")
    if not points:
        raise InputError(f"no figures to plot for {title}")
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt

    dated = [point_date(p["when"]) for p in points]
    known = [d for d in dated if d is not None]
    undated_x = (max(known) if known else dt.date.today()) + dt.timedelta(days=365)
    figure, axes = plt.subplots(figsize=(9, 5))
    for point, day in zip(points, dated):
        x = day or undated_x
        conflict = point["observation"] in disputed
        axes.scatter([x], [point["value"]], s=40, zorder=3,
                     facecolors="tab:blue" if day else "none", edgecolors="tab:blue")
        if conflict:
            axes.scatter([x], [point["value"]], s=160, facecolors="none", edgecolors="red",
                         linewidths=1.5, zorder=4)
        approximation = f"{point['approximation']} " if point.get("approximation") else ""
        axes.annotate(f"{approximation}{point['value']:,.0f}\n{point['article']}", (x, point["value"]),
                      textcoords="offset points", xytext=(6, 6), fontsize=7,
                      color="red" if conflict else "black")
    if any(d is None for d in dated):
        axes.axvline(undated_x - dt.timedelta(days=120), color="grey", linestyle=":", linewidth=1)
        axes.text(undated_x, axes.get_ylim()[0], "undated", ha="center", va="bottom", fontsize=8,
                  color="grey")
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    unit = points[0]["unit"]
    axes.set_ylabel(unit)
    axes.set_title(title + ("  (red rings: sources disagree)" if disputed else ""))
    axes.grid(True, alpha=0.3)
    figure.autofmt_xdate()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=out.suffix.lower().lstrip("."), bbox_inches="tight",
                   metadata={"Software": None} if out.suffix.lower() == ".png" else {"Date": None})
    plt.close(figure)
    write_atomic(out, buffer.getvalue())


def plot_indicator(backend: Backend, indicator: str, out: Path, direction: str | None = None) -> int:
    """Plot one indicator's series into ``out``; return the number of points drawn."""
    points, disputed = series(backend, indicator, direction)
    title = indicator + (f" ({direction})" if direction else "")
    draw(points, disputed, title, Path(out))
    return len(points)
