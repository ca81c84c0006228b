"""`kg plot` and the entity pages' pictures: one indicator's figures over time.

The points come from the figure-series stored query; each is labelled with its source
article. One series (colour, legend entry) per direction ("Japan->Vietnam"), so flows the
two ways are never joined into one line. Values are shown in a readable unit ("USD bn",
"thousand persons") chosen from the largest value. Figures without any date are kept off
the time axis, in a narrow "undated" panel at the right sharing the value axis, so a
disagreeing undated figure stays visible without pretending to a date. The two ends of
every group of figures the conflicting-figures query finds disagreeing are ringed in red.

Drawing uses matplotlib's object API (no pyplot state), so pictures can be drawn from
several threads at once, as the web server does.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kg.errors import InputError
from kg.files import write_atomic
from kg.query.backend import Backend
from kg.query.stored import StoredQuery, execute_stored, find_query, load_queries

matplotlib.use("Agg")

PLOT_SUFFIXES = (".png", ".svg")
NO_DIRECTION = "no direction"
_SCALES = ((1e12, "tn", "trillion"), (1e9, "bn", "billion"), (1e6, "m", "million"), (1e3, "k", "thousand"))
_CURRENCY_LENGTH = 3  # ISO 4217 codes: USD, JPY, VND
_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:olive", "tab:cyan")


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


def readable_unit(unit: str, values: Sequence[float]) -> tuple[float, str]:
    """The divisor and axis label that make ``values`` of ``unit`` short to read.

    >>> readable_unit("USD", [74.4e9, 45e9])
    (1000000000.0, 'USD bn')
    >>> readable_unit("person", [580000.0])
    (1000.0, 'thousand persons')
    >>> readable_unit("rank", [2, 4])
    (1.0, 'rank')
    """
    largest = max((abs(v) for v in values), default=0.0)
    currency = len(unit) == _CURRENCY_LENGTH and unit.isupper()
    if unit in ("rank", "percent"):
        return 1.0, "%" if unit == "percent" else unit
    for divisor, short, long in _SCALES:
        if largest >= divisor:
            return divisor, f"{unit} {short}" if currency else f"{long} {unit}s"
    return 1.0, unit if currency else f"{unit}s"


def series(backend: Backend, indicator: str, direction: str | None = None,
           queries: Mapping[str, StoredQuery] | None = None) -> tuple[list[dict[str, Any]], set[str]]:
    """The figure-series rows and the observations some conflicting-figures row names as an end."""
    queries = queries if queries is not None else load_queries()
    params = {"indicator": indicator, **split_direction(direction)}
    points = execute_stored(find_query("figure-series", queries), params, backend).rows
    return points, disputed_observations(backend, indicator, queries)


def disputed_observations(backend: Backend, indicator: str | None, queries: Mapping[str, StoredQuery]) -> set[str]:
    """The observations at either end of a group of disagreeing figures of ``indicator``
    (of every indicator when ``None``)."""
    params = {"indicator": indicator} if indicator else {}
    conflicts = execute_stored(find_query("conflicting-figures", queries), params, backend).rows
    return {r["observation_a"] for r in conflicts} | {r["observation_b"] for r in conflicts}


def _label(point: Mapping[str, Any], divisor: float) -> str:
    approximation = f"{point['approximation']} " if point.get("approximation") else ""
    shown = point["value"] / divisor
    number = f"{shown:,.0f}" if divisor == 1.0 and float(shown).is_integer() else f"{shown:,.3g}"
    return f"{approximation}{number}\n{point['article']}"


def _draw_points(axes: Axes, points: Sequence[Mapping[str, Any]], xs: Sequence[Any], disputed: set[str],
                 divisor: float, colour: str, name: str | None, rightmost: Any = None) -> None:
    """One series' points with their labels; the labels of the ``rightmost`` points go to their
    left, so they stay inside the picture."""
    ys = [p["value"] / divisor for p in points]
    if len(points) > 1 and name is not None:
        axes.plot(xs, ys, color=colour, linewidth=1, alpha=0.5, zorder=2)
    axes.scatter(xs, ys, s=40, zorder=3, color=colour, label=name)
    for point, x, y in zip(points, xs, ys):
        conflict = point["observation"] in disputed
        if conflict:
            axes.scatter([x], [y], s=160, facecolors="none", edgecolors="red", linewidths=1.5, zorder=4)
        left = rightmost is not None and x == rightmost
        axes.annotate(_label(point, divisor), (x, y), textcoords="offset points", xytext=(-6 if left else 6, 6),
                      ha="right" if left else "left", fontsize=7, color="red" if conflict else "black")


def render(points: Sequence[Mapping[str, Any]], disputed: set[str], title: str, fmt: str = "svg") -> bytes:
    """The picture of ``points`` as PNG or SVG bytes (deterministic: no dates in metadata)."""
    if fmt not in ("png", "svg"):
        raise InputError(f"a picture is png or svg, not {fmt!r}")
    if not points:
        raise InputError(f"no figures to plot for {title}")
    units = sorted({str(p["unit"]) for p in points})
    unit = units[0]
    points = [p for p in points if p["unit"] == unit]  # one value axis: the first unit only
    divisor, unit_label = readable_unit(unit, [float(p["value"]) for p in points])
    dated = [p for p in points if point_date(p.get("when"))]
    undated = [p for p in points if not point_date(p.get("when"))]
    figure = Figure(figsize=(9, 5))
    if undated:
        grid = figure.add_gridspec(1, 2, width_ratios=(6, 1), wspace=0.05)
        axes = figure.add_subplot(grid[0])
        side: Axes | None = figure.add_subplot(grid[1], sharey=axes)
    else:
        axes, side = figure.add_subplot(), None
    directions = sorted({p.get("direction") or NO_DIRECTION for p in points})
    latest = max((d for p in dated if (d := point_date(p["when"])) is not None), default=None)
    for index, direction in enumerate(directions):
        colour = _COLOURS[index % len(_COLOURS)]
        ours = [p for p in dated if (p.get("direction") or NO_DIRECTION) == direction]
        ours.sort(key=lambda p: point_date(p["when"]) or dt.date.min)
        _draw_points(axes, ours, [point_date(p["when"]) for p in ours], disputed, divisor, colour, direction, latest)
        if side is not None:
            loose = [p for p in undated if (p.get("direction") or NO_DIRECTION) == direction]
            _draw_points(side, loose, [0.0] * len(loose), disputed, divisor, colour, None)
    if side is not None:
        side.set_title("undated", fontsize=9, color="grey", pad=14)
        side.margins(x=0.6)
        side.set_xticks([])
        side.tick_params(labelleft=False)
        side.grid(True, axis="y", alpha=0.3)
    axes.margins(x=0.12, y=0.12)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    axes.set_ylabel(unit_label)
    axes.set_title(title + ("  (red rings: sources disagree)" if disputed & {p["observation"] for p in points} else ""))
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8, loc="best")
    for tick in axes.get_xticklabels():
        tick.set_rotation(30)
        tick.set_horizontalalignment("right")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "vjkg"}):  # the same ids in every SVG: files diff cleanly
        figure.savefig(buffer, format=fmt, bbox_inches="tight",
                       metadata={"Software": None} if fmt == "png" else {"Date": None})
    return buffer.getvalue()


def draw(points: Sequence[Mapping[str, Any]], disputed: set[str], title: str, out: Path) -> None:
    """Draw the points and write the picture atomically (PNG or SVG by ``out``'s suffix)."""
    suffix = out.suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        raise InputError(f"{out}: the picture must be a .png or .svg file")
    write_atomic(out, render(points, disputed, title, suffix.lstrip(".")))


def plot_indicator(backend: Backend, indicator: str, out: Path, direction: str | None = None) -> int:
    """Plot one indicator's series into ``out``; return the number of points drawn."""
    points, disputed = series(backend, indicator, direction)
    title = indicator + (f" ({direction})" if direction else "")
    draw(points, disputed, title, Path(out))
    return len(points)
