"""The figures as SVG markup: flow diagrams and career charts, written in Python.

These replace Jinja macros that were called for every company and person page; the output
is the same, byte for byte. Text from content (names, titles, labels) and every URL go
through markupsafe's escape once; numbers are formatted by str().
"""
from __future__ import annotations

from markupsafe import Markup, escape

from atlas.site.charts import Chart
from atlas.site.sankey import Sankey, _r

_FUZZY = ' class="fuzzy"'
_LIST_CAPTION = "Each row is one flow of people, the largest first, with a bar as long as their number; each links to who they are."
_FADED = ('<li><span class="swatch fuzzy-key"></span>faded: the date is only known to a month, '
          'a year or a bound</li>')


def sankey(d: Sankey, label: str, caption: str) -> Markup:
    """A flow diagram: on wide screens an SVG whose bands and boxes link to where they
    point; on narrow ones (CSS) the same flows as a ranked list with bars, full names wrapped."""
    out = ['<figure class="figure">\n',
           f'<svg class="sankey wide" viewBox="0 0 {d.width} {d.height}" width="{d.width}" height="{d.height}" '
           f'role="group" aria-label="{escape(label)}">\n<g class="bands">\n']
    for b in d.bands:
        out.append(f'<a href="{escape(b.href)}" class="band {escape(b.tone)}"><title>{escape(b.title)}</title>'
                   f'<path d="{escape(b.path)}"/></a>\n')
    out.append('</g>\n<g class="nodes">\n')
    for n in d.nodes:
        tone = escape(n.tone)
        out.append(f'<a href="{escape(n.href)}" class="node {tone}">' if n.href else f'<g class="node {tone}">')
        out.append(f'<title>{escape(n.full_label)}</title><rect x="{n.x}" y="{n.y}" width="{n.w}" height="{n.h}"/>'
                   f'<text x="{n.label_x}" y="{n.label_y}" text-anchor="{escape(n.anchor)}" dominant-baseline="central">'
                   f'{escape(n.label)}</text>{"</a>" if n.href else "</g>"}\n')
    out.append('</g>\n</svg>\n')
    out.append(flow_list(d, label))
    out.append(f'<figcaption><span class="wide">{escape(caption)}</span><span class="narrow">{_LIST_CAPTION}</span>'
               '</figcaption>\n</figure>')
    return Markup("".join(out))


def flow_list(d: Sankey, label: str) -> str:
    """The bands of a flow diagram as a list, largest first: 'From → To', the number of
    people, and a bar as long as that number; each links where its band does."""
    names = {n.key: n.name for n in d.nodes}
    most = max((b.value for b in d.bands), default=1)
    out = [f'<ol class="flow-list narrow" aria-label="{escape(label)}">\n']
    for b in sorted(d.bands, key=lambda b: -b.value):
        share = _r(100 * b.value / most)
        out.append(f'<li><a href="{escape(b.href)}">{escape(names[b.source])} → {escape(names[b.target])}</a> '
                   f'<span class="n">{b.value}</span>'
                   f'<svg class="flow-bar {escape(b.tone)}" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">'
                   f'<rect width="{share}" height="6"/></svg></li>\n')
    out.append("</ol>\n")
    return "".join(out)


def career_chart(c: Chart, label: str, linked: bool = True, narrow: Chart | None = None) -> Markup:
    """One bar per row over a time axis; with `linked`, row labels link to the people. With
    `narrow`, that layout of the same rows replaces it on narrow screens (CSS)."""
    out = ['<figure class="figure">\n', _chart_svg(c, label, linked, " wide" if narrow else "")]
    if narrow:
        out.append(_chart_svg(narrow, label, linked, " narrow"))
    out.append('<figcaption><ul class="legend">')
    out += [f'<li><span class="swatch {escape(tone)}"></span>{escape(name)}</li>' for name, tone in c.legend]
    out.append(f"{_FADED}</ul></figcaption>\n</figure>")
    return Markup("".join(out))


def _chart_svg(c: Chart, label: str, linked: bool, classes: str) -> str:
    role = "group" if linked else "img"
    out = [f'<svg class="chart{"" if linked else " small"}{" stacked" if c.stacked else ""}{classes}" '
           f'viewBox="0 0 {c.width} {c.height}" width="{c.width}" height="{c.height}" role="{role}" aria-label="{escape(label)}">\n',
           f'<g class="ticks"><path d="{escape(c.grid)}"/>']
    tick_y = c.axis_y + 15
    out += [f'<text x="{t.x}" y="{tick_y}">{t.year}</text>' for t in c.ticks if t.labelled]
    out.append("</g>\n")
    name_x = 4 if c.stacked else c.label_w - 8
    for r in c.rows:
        if r.href:
            out.append(f'<a href="{escape(r.href)}"><text class="name" x="{name_x}" y="{r.y}">{escape(r.label)}</text></a>')
        for b in r.bars:  # phones show no tooltips: the narrow layout leaves the bars' titles out
            title = "" if c.stacked else f"<title>{escape(b.title)}</title>"
            out.append(f'<g class="bar {escape(b.tone)}{" here" if b.here else ""}">{title}')
            out += [f'<rect x="{x.x}" y="{x.y}" width="{x.w}" height="{x.h}"{_FUZZY if x.fuzzy else ""}/>'
                    for x in b.rects]
            out.append("</g>")
    out.append("</svg>\n")
    return "".join(out)
