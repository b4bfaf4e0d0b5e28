"""Career charts: a pure layout of one bar per person over time, with partial dates shown honestly.

A stint is drawn solid where it certainly went on, and faded ("fuzzy") over the days its
start or end may fall on: '2023' fades over the whole year, '~2023-05' over three months.
A 'by' start (known only to have begun by then) fades in over the year before its bound.
Ongoing stints run to as_of.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from atlas.model.dates import EARLIEST, PartialDate
from atlas.site.sankey import _r as num, shorten


# The parts of a chart are NamedTuples, not frozen dataclasses: a 10,000-person site makes
# 400,000 of them (with the flow diagrams'), and a NamedTuple is made in a third of the time.
class Segment(NamedTuple):
    """One stint on a bar."""

    label: str  # its name in the legend; one legend entry per label
    tone: str
    start: PartialDate
    end: PartialDate | None  # None: still going on
    here: bool = False  # at the company the chart is about
    title: str = ""


class RowSpec(NamedTuple):
    label: str
    href: str
    segments: tuple[Segment, ...]


class Rect(NamedTuple):
    x: float
    y: float
    w: float
    h: float
    fuzzy: bool


class Bar(NamedTuple):
    """One stint: a solid part and faded ends."""

    title: str
    tone: str
    here: bool
    rects: tuple[Rect, ...]


class ChartRow(NamedTuple):
    label: str
    full_label: str
    href: str
    y: float  # baseline of the row label
    bars: tuple[Bar, ...]


class Tick(NamedTuple):
    x: float
    year: int
    labelled: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_w: float
    rows: tuple[ChartRow, ...]
    ticks: tuple[Tick, ...]
    axis_y: float
    grid: str  # SVG path data of the year lines
    legend: tuple[tuple[str, str], ...]  # (label, tone), in order of first appearance
    stacked: bool = False  # names above their bars, starting at the left edge


@dataclass(frozen=True)
class Frame:
    """Sizes in SVG user units."""

    width: int = 720
    label_w: float = 160.0
    row_h: float = 22.0
    bar_h: float = 14.0
    right: float = 12.0
    char_w: float = 7.0
    stacked: bool = False  # names above their bars, across the whole width (for narrow screens)


def career_chart(rows: Sequence[RowSpec], as_of: dt.date, frame: Frame = Frame()) -> Chart:
    """Lay out one bar per row on a shared time axis that ends at the close of as_of's year."""
    first = _first_year(rows, as_of)
    last = as_of.year + 1
    scale = _scale(first, last, frame.label_w, frame.width - frame.right, as_of)
    out = []
    label_room = (frame.width - frame.right if frame.stacked else frame.label_w) - 8
    for i, row in enumerate(rows):
        top = 4 + i * frame.row_h
        y = top + frame.row_h - frame.bar_h - 3 if frame.stacked else top + (frame.row_h - frame.bar_h) / 2
        bars = tuple(Bar(s.title, s.tone, s.here, tuple(_rects(s, scale, y, frame.bar_h)))
                     for s in row.segments if s.start.lo <= as_of)
        out.append(ChartRow(shorten(row.label, int(label_room / frame.char_w)), row.label, row.href,
                            num(top + 13 if frame.stacked else top + frame.row_h / 2 + 4), bars))
    axis_y = 4 + len(rows) * frame.row_h + 2
    ticks, grid = _axis(scale, first, last, axis_y)
    return Chart(frame.width, round(axis_y + 22), frame.label_w, tuple(out), ticks, num(axis_y), grid, _legend(rows),
                 frame.stacked)


class _Scale:
    def __init__(self, first: int, last: int, x0: float, x1: float, as_of: dt.date) -> None:
        self.start = dt.date(first, 1, 1)
        self.end = dt.date(last, 1, 1)
        self.x0, self.x1, self.as_of = x0, x1, as_of
        self._xs: dict[dt.date, float] = {}  # charts of one site meet the same days again and again
        # Days as ordinals: most days are met once per scale (a person's chart has its own
        # first year), and date arithmetic made x() a tenth of a person page.
        self._first, self._last = self.start.toordinal(), self.end.toordinal()
        self._days = max(self._last - self._first, 1)
        self._width = x1 - x0

    def x(self, day: dt.date) -> float:
        found = self._xs.get(day)
        if found is None:
            share = (min(max(day.toordinal(), self._first), self._last) - self._first) / self._days
            found = self._xs[day] = num(self.x0 + share * self._width)
        return found


@functools.lru_cache(maxsize=256)
def _scale(first: int, last: int, x0: float, x1: float, as_of: dt.date) -> _Scale:
    """One scale (and so one cache of positions) per distinct axis."""
    return _Scale(first, last, x0, x1, as_of)


def _first_year(rows: Sequence[RowSpec], as_of: dt.date) -> int:
    years = [_start_days(s.start)[0].year for r in rows for s in r.segments if s.start.lo <= as_of]
    return min(years, default=as_of.year - 1)


def _start_days(start: PartialDate) -> tuple[dt.date, dt.date]:
    """First and last day the start may fall on; a 'by' start fades in over the year before."""
    if start.lo == EARLIEST:
        return start.hi - dt.timedelta(days=365), start.hi
    return start.lo, start.hi


def _rects(seg: Segment, scale: _Scale, y: float, h: float) -> list[Rect]:
    s_lo, s_hi = _start_days(seg.start)
    if seg.end is None or seg.end.lo > scale.as_of:
        e_lo = e_hi = scale.as_of
    else:
        e_lo, e_hi = max(seg.end.lo, s_lo), min(seg.end.hi, scale.as_of)
    # x() never decreases with the day, so x(min(a, b)) == min(x(a), x(b)): four lookups do.
    xs_lo, xs_hi, xe_lo, xe_hi = scale.x(s_lo), scale.x(s_hi), scale.x(e_lo), scale.x(e_hi)
    spans = [(xs_lo, min(xs_hi, xe_lo), True), (xs_hi, xe_lo, False), (max(xe_lo, xs_hi), max(xe_hi, xs_hi), True)]
    top = num(y)
    found = [Rect(x0, top, num(x1 - x0), h, fuzzy) for x0, x1, fuzzy in spans if x1 - x0 >= 0.5]
    if not found:  # too short to see: show a sliver, so the stint is not lost
        found.append(Rect(xs_lo, top, 1.5, h, True))
    return found


@functools.lru_cache(maxsize=1024)
def _axis(scale: _Scale, first: int, last: int, axis_y: float) -> tuple[tuple[Tick, ...], str]:
    """The ticks and the grid's path data: charts of the same years and height share them."""
    ticks = _ticks(scale, first, last)
    return ticks, "".join(f"M{t.x} 0V{num(axis_y)}" for t in ticks)


def _ticks(scale: _Scale, first: int, last: int) -> tuple[Tick, ...]:
    per_year = (scale.x1 - scale.x0) / max(last - first, 1)
    step = next(s for s in (1, 2, 5, 10, 20, 50) if s * per_year >= 40)
    return tuple(Tick(scale.x(dt.date(y, 1, 1)), y, (y - first) % step == 0 and y < last) for y in range(first, last + 1))


def _legend(rows: Sequence[RowSpec]) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for row in rows:
        for seg in row.segments:
            seen.setdefault(seg.label, seg.tone)
    return tuple(sorted(seen.items(), key=lambda item: item[1] in ("tx", "tu")))
