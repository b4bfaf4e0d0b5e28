"""Step charts drawn at build time: a count (or a share) over time, as a low line, a high
line and the band between them where imprecise dates leave the value open.

The layout is a pure function of the steps; `step_chart_svg` writes it as SVG markup
(escaped once, as in svg.py). Colours are CSS classes, so light and dark schemes both work.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Sequence

from markupsafe import Markup, escape

from atlas.site.sankey import _r as num


class StepPoint(NamedTuple):
    """From x on (until the next point), the value lies between low and high."""

    x: float
    low: float
    high: float


class AxisTick(NamedTuple):
    at: float  # position in user units
    label: str


@dataclass(frozen=True)
class StepChart:
    width: int
    height: int
    band: str  # SVG path data of the band between high and low ('' when there is none)
    low: str  # path data of the low line
    high: str  # path data of the high line ('' when it is the low line everywhere)
    x_ticks: tuple[AxisTick, ...]
    y_ticks: tuple[AxisTick, ...]
    plot: tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class StepFrame:
    width: int = 480
    height: int = 220
    left: float = 52.0
    right: float = 24.0
    top: float = 10.0
    bottom: float = 26.0


def step_chart(points: Sequence[StepPoint], x_end: float, y_max: float, x_ticks: Sequence[tuple[float, str]],
               y_ticks: Sequence[tuple[float, str]], frame: StepFrame = StepFrame()) -> StepChart:
    """Lay out a step function from points[0].x to x_end, values from 0 to y_max."""
    x0, x1 = frame.left, frame.width - frame.right
    y0, y1 = frame.height - frame.bottom, frame.top
    first = points[0].x
    span = max(x_end - first, 1e-9)

    def x(v: float) -> float:
        return num(x0 + (min(max(v, first), x_end) - first) / span * (x1 - x0))

    def y(v: float) -> float:
        return num(y0 - (v / y_max if y_max else 0) * (y0 - y1))

    lows = _corners([(x(p.x), y(p.low)) for p in points], x(x_end))
    highs = _corners([(x(p.x), y(p.high)) for p in points], x(x_end))
    same = all(p.low == p.high for p in points)
    band = "" if same else _path(highs + lows[::-1]) + "Z"
    return StepChart(frame.width, frame.height, band, _path(lows), "" if same else _path(highs),
                     tuple(AxisTick(x(v), label) for v, label in x_ticks),
                     tuple(AxisTick(y(v), label) for v, label in y_ticks), (x0, y1, x1, y0))


def _corners(points: list[tuple[float, float]], end: float) -> list[tuple[float, float]]:
    """The corners of a step line through the points, held level to `end`."""
    out: list[tuple[float, float]] = []
    for i, (px, py) in enumerate(points):
        if out:
            out.append((px, out[-1][1]))
        out.append((px, py))
        if i == len(points) - 1:
            out.append((end, py))
    return out


def _path(points: list[tuple[float, float]]) -> str:
    """SVG path data through the points, each corner once."""
    kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    return "M" + "L".join(f"{px} {py}" for px, py in kept)


def step_chart_svg(c: StepChart, label: str, caption: str) -> Markup:
    """The chart in a figure: role img with a label; the table beside it gives every value."""
    left, top, right, bottom = c.plot
    out = ['<figure class="figure step">\n',
           f'<svg class="step" viewBox="0 0 {c.width} {c.height}" width="{c.width}" height="{c.height}" role="img" '
           f'aria-label="{escape(label)}">\n<g class="ticks">']
    out += [f'<path d="M{left} {t.at}H{right}"/><text x="{left - 6}" y="{t.at}" class="y">{escape(t.label)}</text>'
            for t in c.y_ticks]
    out += [f'<path d="M{t.at} {top}V{bottom}"/><text x="{t.at}" y="{num(bottom + 16)}">{escape(t.label)}</text>'
            for t in c.x_ticks]
    out.append("</g>\n")
    if c.band:
        out.append(f'<path class="band-open" d="{c.band}"/>\n')
    if c.high:
        out.append(f'<path class="line-high" d="{c.high}"/>\n')
    out.append(f'<path class="line-low" d="{c.low}"/>\n</svg>\n')
    out.append(f'<figcaption>{escape(caption)}</figcaption>\n</figure>')
    return Markup("".join(out))
