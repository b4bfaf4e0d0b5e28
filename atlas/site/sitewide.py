"""Whole-site pages: home, indexes, timeline and moves by year, claims, about, search, 404."""
from __future__ import annotations

from dataclasses import dataclass

from atlas.compute import known
from atlas.compute.claims import ClaimResult, check_claim
from atlas.compute.graph import Graph
from atlas.compute.moves import Move, all_moves
from atlas.compute.summaries import Diaspora, Flow, diaspora, flows
from atlas.compute.timeline import Entry, site_timeline
from atlas.site.data import JSON_FIELDS, MOVE_COLUMNS, STINT_COLUMNS, Column, cited_sources
from atlas.site.figures import palette, site_flow_diagram
from atlas.site.indexes import index_context
from atlas.site.lists import (HOME_FLOWS, MOVES_FLOWS, SOURCE_HOSTS, MovesContext, MovesYearContext, TimelineContext,
                              TimelineYearContext, by_year, counts)
from atlas.site.meta import website_ld
from atlas.model.records import Claim
from atlas.site.pages import Page
from atlas.site.paging import YEAR_ROWS, paged_path, pager, rows_of
from atlas.site.sankey import Sankey
from atlas.site.urls import ABOUT_PATH, SEARCH_PATH, moves_path, site_urls, timeline_path

RECENT = 12  # entries in the home page's "recent" list


@dataclass(frozen=True)
class HomeContext:
    diasporas: tuple[Diaspora, ...]
    claims: tuple[ClaimResult, ...]
    later_claims: int  # claims made after the as-of date, listed on the claims page
    flows: tuple[Flow, ...]  # the largest HOME_FLOWS
    flow_count: int  # every pair of organisations
    recent: tuple[Entry, ...]
    counts: dict[str, int]
    diagram: Sankey | None


@dataclass(frozen=True)
class ClaimsContext:
    claims: tuple[ClaimResult, ...]
    later: tuple[Claim, ...]  # made (or speaking of a date) after the as-of date: not checked


@dataclass(frozen=True)
class AboutContext:
    """The 'About the data' page: what the downloads contain, and the websites cited most."""

    json_fields: tuple[tuple[str, str], ...]
    stint_columns: tuple[Column, ...]
    move_columns: tuple[Column, ...]
    hosts: tuple[tuple[str, int], ...]  # (website, sources cited there), most cited first
    host_count: int
    source_count: int


def home_page(graph: Graph) -> Page:
    urls = site_urls(graph)
    as_of = graph.as_of
    featured = []
    for slug in graph.config.featured:
        model = graph.models[slug]
        if model.authors and model.companies and known.released(model, as_of):
            featured.append(diaspora(graph, model, graph.family(model.companies[0])))
    timeline = site_timeline(graph)
    recent = tuple(e for e in reversed(timeline) if e.date.hi <= as_of)[:RECENT]  # surely by as_of
    moves = all_moves(graph)
    count = {"companies": sum(known.founded(c, as_of) for c in graph.companies.values()), "people": len(graph.people),
             "models": sum(known.released(m, as_of) for m in graph.models.values()),
             "moves": sum(m.certain for m in moves), "uncertain moves": sum(not m.certain for m in moves)}
    all_flows = flows(graph)
    top = all_flows[:HOME_FLOWS]
    diagram = site_flow_diagram(graph, top, urls, palette(graph)) if top else None
    context = HomeContext(tuple(featured), checked_claims(graph), len(later_claims(graph)), top, len(all_flows), recent,
                          count, diagram)
    return Page("index.html", "home.html", graph.config.title, context, jsonld=website_ld(graph.config, urls))


def checked_claims(graph: Graph) -> tuple[ClaimResult, ...]:
    """The claims made by the as-of date, each checked at the date it speaks of."""
    claims = graph.claims
    return tuple(check_claim(graph, slug) for slug in sorted(claims) if known.made(claims[slug], graph.as_of))


def later_claims(graph: Graph) -> tuple[Claim, ...]:
    """The claims made after the as-of date, or speaking of a later date: not checked here."""
    claims = graph.claims
    return tuple(claims[slug] for slug in sorted(claims) if not known.made(claims[slug], graph.as_of))


def index_page(graph: Graph, kind: str, number: int = 1) -> Page:
    """One page of the list of every entity of one kind."""
    context = index_context(graph, kind, number)
    return Page(paged_path(site_urls(graph).index_path(kind), number), "index.html",
                _numbered(graph.kinds[kind].plural, context.pager.number, len(context.pager.pages)), context)


def _numbered(title: str, number: int, count: int) -> str:
    """'People', or 'People, page 2 of 50' past the first page."""
    return title if number == 1 else f"{title}, page {number} of {count}"


def timeline_years(graph: Graph) -> tuple[tuple[int, int], ...]:
    """(year, entries) for every year of the site timeline, oldest first."""
    return graph.memo(_timeline_years)


def _timeline_years(graph: Graph) -> tuple[tuple[int, int], ...]:
    return counts(graph.memo(_timeline_by_year))


def _timeline_by_year(graph: Graph) -> dict[int, tuple[Entry, ...]]:
    # One grouping that each year's page takes its share of: a year's page is made again
    # only when its own share changed, without every year scanning the whole timeline.
    # Entries known only by an upper bound ('by May 2025') belong to no year.
    return by_year((e for e in site_timeline(graph) if not e.date.qualifier.bounded_above), lambda e: e.date.year)


def timeline_in(graph: Graph, year: int) -> tuple[Entry, ...]:
    """One year's entries of the site timeline, oldest first."""
    return graph.memo(_timeline_in, year)


def _timeline_in(graph: Graph, year: int) -> tuple[Entry, ...]:
    return graph.memo(_timeline_by_year).get(year, ())


def timeline_page(graph: Graph) -> Page:
    years = timeline_years(graph)
    by_bound = tuple(e for e in site_timeline(graph) if e.date.qualifier.bounded_above)
    return Page(timeline_path(), "timeline.html", "Timeline", TimelineContext(years, sum(n for _, n in years), by_bound))


def timeline_year_page(graph: Graph, year: int, number: int = 1) -> Page:
    entries = timeline_in(graph, year)
    page = pager(timeline_path(year), len(entries), number, YEAR_ROWS)
    context = TimelineYearContext(year, rows_of(entries, page), timeline_years(graph), page)
    return Page(page.pages[number - 1].path, "timeline_year.html", _numbered(f"Timeline: {year}", number, len(page.pages)),
                context)


def moves_years(graph: Graph) -> tuple[tuple[int, int], ...]:
    """(year, moves) for every year with a move, newest first."""
    return graph.memo(_moves_years)


def _moves_years(graph: Graph) -> tuple[tuple[int, int], ...]:
    return counts(graph.memo(_moves_by_year), newest_first=True)


def _moves_by_year(graph: Graph) -> dict[int, tuple[Move, ...]]:
    # Moves known only by an upper bound ('by May 2025') belong to no year.
    return by_year((m for m in all_moves(graph) if not m.date.qualifier.bounded_above), lambda m: m.date.year)


def bounded_moves(graph: Graph) -> tuple[Move, ...]:
    """The moves known only to have happened by some date, latest bound first."""
    return tuple(m for m in all_moves(graph) if m.date.qualifier.bounded_above)[::-1]


def moves_in(graph: Graph, year: int) -> tuple[Move, ...]:
    """One year's moves, newest first."""
    return graph.memo(_moves_in, year)


def _moves_in(graph: Graph, year: int) -> tuple[Move, ...]:
    return graph.memo(_moves_by_year).get(year, ())[::-1]


def moves_page(graph: Graph) -> Page:
    urls = site_urls(graph)
    all_flows = flows(graph)
    top = all_flows[:MOVES_FLOWS]
    diagram = site_flow_diagram(graph, top, urls, palette(graph)) if top else None
    moves = all_moves(graph)
    context = MovesContext(sum(m.certain for m in moves), top, len(all_flows), diagram, moves_years(graph),
                           bounded_moves(graph), sum(not m.certain for m in moves))
    return Page(moves_path(), "moves.html", "Moves", context)


def moves_year_page(graph: Graph, year: int, number: int = 1) -> Page:
    moves = moves_in(graph, year)
    page = pager(moves_path(year), len(moves), number, YEAR_ROWS)
    context = MovesYearContext(year, rows_of(moves, page), moves_years(graph), page)
    return Page(page.pages[number - 1].path, "moves_year.html", _numbered(f"Moves in {year}", number, len(page.pages)),
                context)


def claims_page(graph: Graph) -> Page:
    return Page("claims/index.html", "claims.html", "Claims checked", ClaimsContext(checked_claims(graph), later_claims(graph)))


def about_page(graph: Graph) -> Page:
    sources = cited_sources(graph)
    hosts = sorted(((host, len(found)) for host, found in sources), key=lambda h: (-h[1], h[0]))
    context = AboutContext(JSON_FIELDS, STINT_COLUMNS, MOVE_COLUMNS, tuple(hosts[:SOURCE_HOSTS]), len(hosts),
                           sum(len(found) for _, found in sources))
    return Page(ABOUT_PATH, "about.html", "About the data", context)


def search_page(graph: Graph) -> Page:
    return Page(SEARCH_PATH, "search.html", "Search", None)


def not_found_page(graph: Graph) -> Page:
    return Page("404.html", "404.html", "Page not found", None)
