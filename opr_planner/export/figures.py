"""Geometry of the report's pictures: the timeline per calendar year and the network.

Only numbers and plain text are computed here; the template turns them into inline
SVG elements, so every name passes jinja2's autoescaping. Nothing is drawn by script:
the report needs no JavaScript to show its pictures.
"""

from __future__ import annotations

import calendar as stdcal
import datetime as dt
from dataclasses import dataclass, field

import networkx as nx

from ..analysis.network import ORGANISATION, PARTNERSHIP, REGION, layout
from ..calendar import WorkCalendar
from ..scenario.models import Scenario
from .i18n import Language, long_date, short_date, short_month, word
from .labels import Item, bounds, place, wrap
from .view import ReviewView, review_title

YEAR_WIDTH, LABEL_WIDTH, HEADER, LANE = 1000.0, 230.0, 22.0, 36.0
BAND_OFFSET, BAND_HEIGHT = 13.0, 20.0  # the shaded band inside a lane; the visit date is written above it
NET_WIDTH, NET_HEIGHT, NET_MARGIN = 760.0, 480.0, 70.0
LABEL_CHARS = 34
_RADIUS = {PARTNERSHIP: 14.0, REGION: 7.0, ORGANISATION: 9.0}  # half the size of each node's shape
_FONT = {PARTNERSHIP: 12.0, REGION: 11.0, ORGANISATION: 11.0}


@dataclass(frozen=True)
class Band:
    """A shaded stretch of days in one lane (window, school holiday, closed period, public holiday)."""

    x: float
    width: float
    cls: str
    title: str


@dataclass(frozen=True)
class Mark:
    """One session on the timeline; the visit is drawn larger and labelled with its date."""

    x: float
    cls: str
    title: str
    label: str


@dataclass(frozen=True)
class Lane:
    y: float
    label: str
    title: str
    lines: tuple[str, ...] = ()  # the label on one or two lines
    bands: list[Band] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


@dataclass(frozen=True)
class YearTimeline:
    year: int
    width: float
    height: float
    plot_left: float
    months: list[tuple[float, str]]
    lanes: list[Lane]
    band_offset: float = BAND_OFFSET
    band_height: float = BAND_HEIGHT


def _lane_lines(text: str) -> tuple[str, ...]:
    """A lane's label on at most two lines (the full name is the lane's tooltip)."""
    lines = wrap(text, LABEL_CHARS)
    if len(lines) <= 2:
        return lines
    return (lines[0], _clip(" ".join(lines[1:])))


def _clip(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _runs(days: list[dt.date], names: dict[dt.date, str]) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive days with the same name merged into (first, last, name)."""
    runs: list[tuple[dt.date, dt.date, str]] = []
    for day in sorted(days):
        name = names.get(day, "")
        if runs and runs[-1][2] == name and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day, name)
        else:
            runs.append((day, day, name))
    return runs


def timelines(scenario: Scenario, views: list[ReviewView], lang: Language) -> list[YearTimeline]:
    """One timeline per calendar year from the calendar's start to its deadline (and any session outside)."""
    cal = WorkCalendar(scenario)
    session_years = [s.date.year for v in views for s in v.sessions]
    first = min([scenario.calendar.start.year, *session_years])
    last = max([scenario.calendar.deadline.year, *session_years])
    years = list(range(first, last + 1))
    out = []
    for year in years:
        ndays = 366 if stdcal.isleap(year) else 365
        plot = YEAR_WIDTH - LABEL_WIDTH - 10

        def x(day: dt.date, ndays: int = ndays, plot: float = plot) -> float:
            return round(LABEL_WIDTH + (day.timetuple().tm_yday - 1) / ndays * plot, 2)

        day_width = plot / ndays
        jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
        months = [(x(dt.date(year, m, 1)), short_month(m, lang)) for m in range(1, 13)]
        lanes = []
        for i, view in enumerate(views):
            lane = Lane(
                y=HEADER + i * LANE,
                label=review_title(scenario, view),
                lines=_lane_lines(review_title(scenario, view)),
                title=f"{review_title(scenario, view)} ({view.id})",
            )
            fixed = view.review.fixed_date
            if fixed is not None:  # a pinned date is no window: one marked day
                if fixed.year == year:
                    title = word(lang, "fixed_on", date=long_date(fixed, lang))
                    lane.bands.append(Band(x(fixed), round(max(day_width, 3.0), 2), "fixed", title))
            else:
                lo, hi = scenario.window_of(view.review)
                if lo <= dec31 and hi >= jan1:
                    a, b = max(lo, jan1), min(hi, dec31)
                    title = word(lang, "window_range", start=long_date(lo, lang), end=long_date(hi, lang))
                    lane.bands.append(
                        Band(x(a), round((b - a).days * day_width + day_width, 2), "window", title)
                    )
            region = cal.holiday_region(view.review)
            school = [d for d in cal.school(region) if d.year == year]
            for start, end, name in _runs(school, cal.school(region)):
                title = f"{word(lang, 'school_holiday')}: {name} ({short_date(start, lang)} – {short_date(end, lang)})"
                lane.bands.append(
                    Band(x(start), round(((end - start).days + 1) * day_width, 2), "school", title)
                )
            for period in scenario.calendar.closed:
                if period.holiday_region not in (None, region) or period.from_ > dec31 or period.to < jan1:
                    continue
                a, b = max(period.from_, jan1), min(period.to, dec31)
                title = f"{word(lang, 'closed')}: {period.name}"
                lane.bands.append(Band(x(a), round(((b - a).days + 1) * day_width, 2), "closed", title))
            for day in sorted(d for d in cal.public if d.year == year):
                name = cal.public[day]
                title = f"{word(lang, 'public_holiday')}: {name} ({long_date(day, lang)})"
                lane.bands.append(Band(x(day), round(max(day_width, 1.5), 2), "public", title))
            for s in view.sessions:
                if s.date.year != year:
                    continue
                title = f"{s.name}: {long_date(s.date, lang)}, {s.start}–{s.end}" + (
                    f" ({s.location})" if s.location else ""
                )
                centre = round(x(s.date) + day_width / 2, 2)
                lane.marks.append(
                    Mark(
                        centre,
                        "visit" if s.is_visit else "session",
                        title,
                        short_date(s.date, lang) if s.is_visit else "",
                    )
                )
            lanes.append(lane)
        height = HEADER + max(len(views), 1) * LANE + 6
        out.append(YearTimeline(year, YEAR_WIDTH, height, LABEL_WIDTH, months, lanes))
    return out


@dataclass(frozen=True)
class NetNode:
    x: float
    y: float
    kind: str
    label: str  # the whole (short) name, never cut
    title: str
    lines: tuple[str, ...] = ()  # the label wrapped, drawn from (label_x, label_y) on
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass(frozen=True)
class NetEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str
    width: float
    title: str


@dataclass(frozen=True)
class NetworkPicture:
    width: float
    height: float
    nodes: list[NetNode]
    edges: list[NetEdge]
    left: float = 0.0  # the view box: grown to hold every label
    top: float = 0.0


def _without_common_prefix(labels: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Labels without the words all of them start with ("Onderwijsregio Eemland" -> "Eemland").

    The full name stays in the node's tooltip; short labels keep the picture readable.
    """
    if len(labels) < 2:
        return dict(labels)
    split = [label.split(" ") for label in labels.values()]
    common = 0
    while all(len(words) > common + 1 for words in split) and len({words[common] for words in split}) == 1:
        common += 1
    return {node: " ".join(label.split(" ")[common:]) for node, label in labels.items()}


def network_picture(graph: nx.Graph, *, seed: int = 0) -> NetworkPicture:
    """Positions (networkx spring layout, fixed seed) scaled into the picture, edges under nodes."""
    pos = layout(graph, seed=seed)

    def at(node: tuple[str, str]) -> tuple[float, float]:
        px, py = pos[node]
        return (
            round(NET_MARGIN + px * (NET_WIDTH - 2 * NET_MARGIN), 1),
            round(NET_MARGIN / 2 + (1 - py) * (NET_HEIGHT - 1.2 * NET_MARGIN), 1),
        )

    order = {"in": 0, "regions": 1, "meets": 2}
    edges = []
    for a, b, data in sorted(
        graph.edges(data=True), key=lambda e: (order[e[2]["kind"]], min(e[0], e[1]), max(e[0], e[1]))
    ):
        (x1, y1), (x2, y2) = at(a), at(b)
        names = f"{graph.nodes[a]['label']} – {graph.nodes[b]['label']}"
        reviews = ", ".join(sorted(data["reviews"]))
        title = f"{names}: {reviews}" if reviews else names
        width = 1.0 if data["kind"] != "meets" else 1.5 + len(data["reviews"])
        edges.append(NetEdge(x1, y1, x2, y2, data["kind"], width, title))
    short = {}
    for kind in (PARTNERSHIP, REGION):
        group = [n for n in graph.nodes if n[0] == kind]
        short.update(_without_common_prefix({n: graph.nodes[n]["label"] for n in group}))
    order_of = {PARTNERSHIP: 0, REGION: 1, ORGANISATION: 2}  # labels: the most important first
    ordered = sorted(graph.nodes, key=lambda n: (order_of[n[0]], n))
    items = [
        Item(*at(node), _RADIUS[node[0]], short.get(node, graph.nodes[node]["label"]), _FONT[node[0]])
        for node in ordered
    ]
    labels = dict(zip(ordered, place(items)))
    view = bounds(list(labels.values()), items, NET_WIDTH, NET_HEIGHT)
    nodes = []
    for node in sorted(graph.nodes, key=lambda n: ({REGION: 0, ORGANISATION: 1, PARTNERSHIP: 2}[n[0]], n)):
        x, y = at(node)
        lab = labels[node]
        full = graph.nodes[node]["label"]
        nodes.append(NetNode(x, y, node[0], " ".join(lab.lines), full, lab.lines, lab.x, lab.y))
    return NetworkPicture(view.w, view.h, nodes, edges, view.x, view.y)
