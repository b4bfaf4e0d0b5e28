"""The pictures of the site, as pure views: flow diagrams and career charts built from the graph.

Colours are CSS classes ('t0'..'t7' for the organisations with the most stints, 'tx' for
the rest, 'tu' for unknown), so light and dark schemes both work and one organisation has
one colour on every page.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from atlas.site.charts import Chart, Frame, RowSpec, Segment, career_chart
from atlas.model.records import Company, Person, Stint
from atlas.compute.graph import Graph
from atlas.compute.known import career
from atlas.site.sankey import LinkSpec, NodeSpec, Sankey, sankey_layout
from atlas.compute.summaries import Flow, Group
from atlas.site.urls import Urls

TONES = 8
DIAGRAM_GROUPS = 15  # origins and destinations in a company's diagram, largest first; its lists have all
Palette = dict[str, str]


def palette(graph: Graph) -> Palette:
    """A tone per company family, the families with the most stints first."""
    return graph.memo(_palette)


def _palette(graph: Graph) -> Palette:
    counts: Counter[str] = Counter()
    for slug in graph.companies:
        stints = graph.stints_at(slug)
        if stints:
            counts[graph.family(slug)] += len(stints)
    ranked = sorted(counts, key=lambda f: (-counts[f], f))
    return {family: f"t{i}" for i, family in enumerate(ranked[:TONES])}


def tone(graph: Graph, pal: Palette, company: Company | None, key: str = "") -> str:
    """The tone of an organisation: its family's, 'tx' without a page, 'tu' when unknown."""
    if company is not None:
        return pal.get(graph.family(company.slug), "tx")
    return "tx" if key else "tu"


def _names(moves: Sequence[object]) -> str:
    return ", ".join(m.person.name for m in moves)  # type: ignore[attr-defined]


def site_flow_diagram(graph: Graph, flows: Sequence[Flow], urls: Urls, pal: Palette) -> Sankey:
    """Every flow between two organisations, origins on the left; bands link to the moves page."""
    nodes: dict[str, NodeSpec] = {}
    totals: Counter[str] = Counter()
    links = []
    moves_page = urls.page("moves/index.html")
    for i, flow in enumerate(flows):
        a, b = f"from:{flow.origin[0]}", f"to:{flow.destination[0]}"
        for key, (org, company, label), column in ((a, flow.origin, 0), (b, flow.destination, 1)):
            nodes[key] = NodeSpec(key, label, column, urls.entity("company", company.slug) if company else "",
                                  tone(graph, pal, company, org))
            totals[key] += flow.count
        title = f"{flow.count} from {flow.origin[2]} to {flow.destination[2]}: {_names(flow.moves)}"
        links.append(LinkSpec(a, b, flow.count, f"{moves_page}#flow-{i + 1}", title, nodes[b].tone))
    order = sorted(nodes.values(), key=lambda n: (n.column, -totals[n.key], n.label.lower()))
    return sankey_layout(order, links)


def company_flow_diagram(graph: Graph, company: Company, by_origin: Sequence[Group], by_destination: Sequence[Group],
                         urls: Urls, pal: Palette) -> Sankey | None:
    """Where people came from (left), the company (middle) and where they went (right)."""
    if not by_origin and not by_destination:
        return None
    here = NodeSpec("here", company.name, 1, urls.entity("company", company.slug), tone(graph, pal, company))
    nodes, links = [], []
    for side, groups in (("in", by_origin), ("out", by_destination)):
        for i, g in enumerate(groups[:DIAGRAM_GROUPS], 1):
            key = f"{side}:{g.key}"
            node = NodeSpec(key, g.label, 0 if side == "in" else 2,
                            urls.entity("company", g.company.slug) if g.company else "", tone(graph, pal, g.company, g.key))
            nodes.append(node)
            words = f"{g.count} from {g.label}" if side == "in" else f"{g.count} left for {g.label}"
            ends = (key, "here") if side == "in" else ("here", key)
            links.append(LinkSpec(*ends, g.count, f"#flow-{side}-{i}", f"{words}: {_names(g.moves)}", node.tone))
    left = [n for n in nodes if n.column == 0]
    return sankey_layout([*left, here, *(n for n in nodes if n.column == 2)], links)


def _segment(graph: Graph, pal: Palette, stint: Stint, units: set[str]) -> Segment:
    company = graph.companies[stint.company] if stint.company else None
    name = company.name if company else (stint.organization or "?")
    end = stint.end.display() if stint.end else "present"
    title = f"{name}{', ' + stint.role if stint.role else ''}: {stint.start.display()} – {end}"
    shade = tone(graph, pal, company, stint.org_key)
    legend = graph.companies[graph.family(company.slug)].name if company and shade != "tx" else "other organisations"
    # Drawn as written: a bound from the sequence (a company's founding, say) would stretch
    # the faded part of a 'by' date across decades.
    return Segment(legend, shade, stint.start.as_written(), stint.end.as_written() if stint.end else None,
                   stint.company in units, title)


NARROW = Frame(width=360, label_w=18, row_h=36, bar_h=14, right=14, stacked=True)  # for phones: names above bars


def company_chart(graph: Graph, company: Company, people: Sequence[Person], urls: Urls, pal: Palette,
                  frame: Frame = Frame()) -> Chart | None:
    """One bar per person who worked at the company (or a unit), showing where else they were."""
    if not people:
        return None
    units = graph.subtree(company.slug)
    rows = [RowSpec(p.name, urls.entity("person", p.slug),
                    tuple(_segment(graph, pal, s, units) for s in _known(graph, p))) for p in people]
    return career_chart(rows, graph.as_of, frame)


def person_chart(graph: Graph, person: Person, pal: Palette) -> Chart | None:
    """A single bar of one person's career."""
    stints = _known(graph, person)
    if not stints:
        return None
    row = RowSpec("", "", tuple(_segment(graph, pal, s, set()) for s in stints))
    return career_chart([row], graph.as_of, Frame(width=480, label_w=16, row_h=26, bar_h=20, right=16))


def _known(graph: Graph, person: Person) -> list[Stint]:
    return sorted(career(graph, person.slug), key=lambda s: s.start.sort_key())
