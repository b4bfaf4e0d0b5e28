"""Sankey layout: a pure function from nodes and flows to the geometry of boxes and bands.

Nodes sit in columns (0 = left). A node is as tall as the larger of what flows in and
what flows out, at `unit` pixels per person, so a one-person node always fits its label.
Bands leave a node in the order of their targets and enter in the order of their
sources, so no two bands cross inside a node. Templates draw the result as SVG.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple, Sequence


# NamedTuples, not frozen dataclasses: made in a third of the time (as the parts of charts.py).
class NodeSpec(NamedTuple):
    """A node to place: `column` counts from the left; `href` may be empty."""

    key: str
    label: str
    column: int
    href: str = ""
    tone: str = "tx"


class LinkSpec(NamedTuple):
    """A flow of `value` people from one node to another, drawn as one band."""

    source: str
    target: str
    value: int
    href: str
    title: str
    tone: str = "tx"


class NodeBox(NamedTuple):
    key: str
    label: str  # shown, possibly shortened
    full_label: str
    href: str
    tone: str
    value: int
    x: float
    y: float
    w: float
    h: float
    label_x: float
    label_y: float
    anchor: str  # start, middle or end
    name: str = ""  # the label in full, without the count


class Band(NamedTuple):
    source: str
    target: str
    value: int
    href: str
    title: str
    tone: str
    path: str  # SVG path data of the filled ribbon


@dataclass(frozen=True)
class Sankey:
    width: int
    height: int
    nodes: tuple[NodeBox, ...]
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Geometry:
    """Sizes in SVG user units."""

    width: int = 720
    unit: float = 18.0  # height of one person
    gap: float = 10.0  # between nodes of a column
    node_w: float = 12.0
    label_w: float = 200.0  # room for labels on each side
    top: float = 24.0  # room above, for the labels of middle columns
    char_w: float = 8.3  # average width of a bold label character, generously


def sankey_layout(nodes: Sequence[NodeSpec], links: Sequence[LinkSpec], geo: Geometry = Geometry()) -> Sankey:
    """Place nodes (in the given order within each column) and route bands between them."""
    value = _node_values(nodes, links)
    columns = sorted({n.column for n in nodes})
    heights = {c: _column_height([n for n in nodes if n.column == c], value, geo) for c in columns}
    height = max(heights.values(), default=0.0)
    boxes: dict[str, NodeBox] = {}
    for c in columns:
        y = geo.top + (height - heights[c]) / 2
        for spec in (n for n in nodes if n.column == c):
            box = _box(spec, value[spec.key], _column_x(c, columns, geo), y, len(columns), columns.index(c), geo)
            boxes[spec.key] = box
            y += box.h + geo.gap
    bands = _route(links, boxes, geo)
    return Sankey(geo.width, round(height + geo.top + 8), tuple(boxes[n.key] for n in nodes), tuple(bands))


def _node_values(nodes: Sequence[NodeSpec], links: Sequence[LinkSpec]) -> dict[str, int]:
    into: dict[str, int] = defaultdict(int)
    out: dict[str, int] = defaultdict(int)
    for link in links:
        out[link.source] += link.value
        into[link.target] += link.value
    return {n.key: max(into[n.key], out[n.key], 1) for n in nodes}


def _column_height(specs: list[NodeSpec], value: dict[str, int], geo: Geometry) -> float:
    return sum(value[s.key] * geo.unit for s in specs) + geo.gap * max(len(specs) - 1, 0)


def _column_x(column: int, columns: list[int], geo: Geometry) -> float:
    if len(columns) == 1:
        return (geo.width - geo.node_w) / 2
    inner = geo.width - 2 * geo.label_w - geo.node_w
    return geo.label_w + columns.index(column) * inner / (len(columns) - 1)


def _box(spec: NodeSpec, value: int, x: float, y: float, ncols: int, index: int, geo: Geometry) -> NodeBox:
    h = value * geo.unit
    text = f"{spec.label} ({value})"
    if index == 0 and ncols > 1:
        lx, ly, anchor, room = x - 6, y + h / 2, "end", geo.label_w - 10
    elif index == ncols - 1 and ncols > 1:
        lx, ly, anchor, room = x + geo.node_w + 6, y + h / 2, "start", geo.label_w - 10
    else:
        lx, ly, anchor, room = x + geo.node_w / 2, y - 8, "middle", 2 * geo.label_w
    count = f" ({value})"
    shown = shorten(spec.label, int(room / geo.char_w) - len(count)) + count
    return NodeBox(spec.key, shown, text, spec.href, spec.tone, value,
                   _r(x), _r(y), geo.node_w, _r(h), _r(lx), _r(ly), anchor, spec.label)


def shorten(text: str, limit: int) -> str:
    """Cut text to `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _route(links: Sequence[LinkSpec], boxes: dict[str, NodeBox], geo: Geometry) -> list[Band]:
    order = {key: (box.x, box.y) for key, box in boxes.items()}
    out_offset = _offsets(links, boxes, order, "source", "target", geo)
    in_offset = _offsets(links, boxes, order, "target", "source", geo)
    bands = []
    for i, link in enumerate(links):
        src, dst = boxes[link.source], boxes[link.target]
        t = link.value * geo.unit
        x0, x1 = src.x + src.w, dst.x
        y0, y1 = out_offset[i], in_offset[i]
        xm, ax, ay, bx, by = _r((x0 + x1) / 2), _r(x0), _r(y0), _r(x1), _r(y1)
        ay2, by2 = _r(y0 + t), _r(y1 + t)
        path = f"M{ax},{ay}C{xm},{ay} {xm},{by} {bx},{by}V{by2}C{xm},{by2} {xm},{ay2} {ax},{ay2}Z"
        bands.append(Band(link.source, link.target, link.value, link.href, link.title, link.tone, path))
    return bands


def _offsets(links: Sequence[LinkSpec], boxes: dict[str, NodeBox], order: dict[str, tuple[float, float]],
             end: str, other: str, geo: Geometry) -> dict[int, float]:
    """Top y of each band where it meets its `end` node, stacked in the order of the other ends."""
    by_node: dict[str, list[int]] = defaultdict(list)
    for i, link in enumerate(links):
        by_node[getattr(link, end)].append(i)
    result = {}
    for key, indexes in by_node.items():
        box = boxes[key]
        used = sum(links[i].value for i in indexes) * geo.unit
        y = box.y + (box.h - used) / 2
        for i in sorted(indexes, key=lambda i: order[getattr(links[i], other)]):
            result[i] = y
            y += links[i].value * geo.unit
    return result


def _r(value: float) -> float:
    """Round to one decimal (whole numbers as int), so the SVG stays small and output is stable."""
    value = round(value, 1) + 0.0
    return int(value) if value.is_integer() else value
