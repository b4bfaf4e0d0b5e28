"""The figures as SVG markup: flow diagrams and career charts, written in Python.

These replace Jinja macros that were called for every company and person page; the output
is the same, byte for byte. Text from content (names, titles, labels) and every URL go
through markupsafe's escape once; numbers are formatted by str().
"""
from __future__ import annotations

from markupsafe import Markup, escape

from atlas.site.charts import Chart
from atlas.site.sankey import Sankey

_FUZZY = ' class="fuzzy"'
_FADED = ('<li><span class="swatch fuzzy-key"></span>faded: the date is only known to a month, '
          'a year or a bound</li>')


def sankey(d: Sankey, label: str, caption: str) -> Markup:
    """A flow diagram in a scrollable figure; bands and boxes link to where they point."""
    out = ['<figure class="figure">\n<div class="scroll">\n',
           f'<svg class="sankey" viewBox="0 0 {d.width} {d.height}" width="{d.width}" height="{d.height}" '
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
    out.append(f'</g>\n</svg>\n</div>\n<figcaption>{escape(caption)} <span class="hint">Scroll sideways to see all of it.'
               '</span></figcaption>\n</figure>')
    return Markup("".join(out))


def career_chart(c: Chart, label: str, linked: bool = True) -> Markup:
    """One bar per row over a time axis; with `linked`, row labels link to the people."""
    role = "group" if linked else "img"
    out = ['<figure class="figure">\n<div class="scroll">\n',
           f'<svg class="chart{"" if linked else " small"}" viewBox="0 0 {c.width} {c.height}" width="{c.width}" '
           f'height="{c.height}" role="{role}" aria-label="{escape(label)}">\n',
           f'<g class="ticks"><path d="{escape(c.grid)}"/>']
    tick_y = c.axis_y + 15
    out += [f'<text x="{t.x}" y="{tick_y}">{t.year}</text>' for t in c.ticks if t.labelled]
    out.append("</g>\n")
    name_x = c.label_w - 8
    for r in c.rows:
        if r.href:
            out.append(f'<a href="{escape(r.href)}"><text class="name" x="{name_x}" y="{r.y}">{escape(r.label)}</text></a>')
        for b in r.bars:
            out.append(f'<g class="bar {escape(b.tone)}{" here" if b.here else ""}"><title>{escape(b.title)}</title>')
            out += [f'<rect x="{x.x}" y="{x.y}" width="{x.w}" height="{x.h}"{_FUZZY if x.fuzzy else ""}/>'
                    for x in b.rects]
            out.append("</g>")
    out.append('</svg>\n</div>\n<figcaption><ul class="legend">')
    out += [f'<li><span class="swatch {escape(tone)}"></span>{escape(name)}</li>' for name, tone in c.legend]
    out.append(f"{_FADED}</ul></figcaption>\n</figure>")
    return Markup("".join(out))
