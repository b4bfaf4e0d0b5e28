"""Every file of the site, planned before it is made: its path, and what makes it.

An Output names its maker and the maker's arguments as plain values (a slug, a year), so
that a plan can be kept and compared between builds. `make_output` runs the maker: a page
is rendered with its template, a download is made as bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from atlas.compute.graph import Graph
from atlas.compute.timeline import site_timeline
from atlas.site.analytics_data import (analytics_json, attrition_csv, boomerangs_csv, first_release_csv, flows_csv, founders_csv,
                                       retention_csv, retention_stays_csv)
from atlas.site.analytics_page import analytics_page
from atlas.site.data import atlas_json, moves_csv, sources_csv, stints_csv
from atlas.site.feeds import atom_feed, feed_entries, robots, sitemap
from atlas.site.company_lists import TITLES, list_context, list_pages, list_path
from atlas.site.indexes import index_pages
from atlas.site.pages import Page
from atlas.site.paging import YEAR_ROWS, page_count, paged_path
from atlas.site.search import SEARCHED, SearchEntry, Shard, search_entries, search_items, search_manifest, search_shard, shard_name, shards
from atlas.site.sitewide import (about_page, claims_page, home_page, index_page, moves_page, moves_year_page, moves_years,
                                 not_found_page, search_page, timeline_page, timeline_year_page, timeline_years)
from atlas.site.sections import kind_labels, site_sections
from atlas.site.urls import (ABOUT_PATH, ANALYTICS_PATH, CLAIMS_PATH, FEED_PATH, SEARCH_PATH, SITEMAP_PATH, data_path, moves_path, site_urls,
                             timeline_path)


@dataclass(frozen=True)
class Output:
    """One file of the site, before it is made."""

    path: str  # in the output folder: "people/ada/index.html"
    maker: str  # the name of what makes it: a kind ("person"), a page ("home"), a file ("atlas.json")
    args: tuple[Any, ...] = ()  # plain values: a slug, a year

    def __str__(self) -> str:
        return f"{self.maker}{'(' + ', '.join(map(str, self.args)) + ')' if self.args else ''}"


def plan_outputs(graph: Graph) -> list[Output]:
    """Every file of the site: the whole-site pages, each entity's page, the downloads,
    feed, sitemap and what hosting expects, in a fixed order. A section with nothing in
    it (sections.py) has no page."""
    urls = site_urls(graph)
    shown = {section.name for section in site_sections(graph)}
    pages = [Output("index.html", "home")]
    for kind in (kind.name for kind in graph.kinds.values() if kind.page and kind.name in shown):
        pages += [Output(paged_path(urls.index_path(kind), n), "index", (kind, n))
                  for n in range(1, index_pages(graph, kind) + 1)]
    if "timeline" in shown:
        pages.append(Output(timeline_path(), "timeline"))
        pages += [Output(paged_path(timeline_path(year), n), "timeline_year", (year, n))
                  for year, count in timeline_years(graph) for n in range(1, page_count(count, YEAR_ROWS) + 1)]
    if "moves" in shown:
        pages.append(Output(moves_path(), "moves"))
        pages += [Output(paged_path(moves_path(year), n), "moves_year", (year, n))
                  for year, count in moves_years(graph) for n in range(1, page_count(count, YEAR_ROWS) + 1)]
    if "claims" in shown:
        pages.append(Output(CLAIMS_PATH, "claims"))
    if "analytics" in shown:
        pages.append(Output(ANALYTICS_PATH, "analytics"))
    pages += [Output(ABOUT_PATH, "about"), Output(SEARCH_PATH, "search"), Output("404.html", "404")]
    for kind in graph.kinds.values():
        if kind.page:
            pages += [Output(urls.entity_path(kind.name, slug), kind.name, (slug,)) for slug in sorted(graph.table(kind.name))]
    pages += [Output(paged_path(list_path(graph, slug, name), n), "company_list", (slug, name, n))
              for slug in sorted(graph.companies) for name, n in list_pages(graph, slug)]
    files = [Output(data_path(name), name) for name in DOWNLOADS]
    files.append(Output(data_path(SEARCH_MANIFEST), "search_manifest"))
    files += [Output(data_path("search/" + shard_name(prefix)), "search_shard", (prefix,)) for prefix in search_prefixes(graph)]
    files += [Output(FEED_PATH, "feed"), Output(SITEMAP_PATH, "sitemap"), Output("robots.txt", "robots"),
              Output(".nojekyll", "nojekyll")]  # GitHub Pages: serve the files as they are, without Jekyll
    if graph.config.cname:
        files.append(Output("CNAME", "cname"))  # GitHub Pages: the custom domain
    return pages + files


DOWNLOADS = ("atlas.json", "stints.csv", "moves.csv", "sources.csv", "analytics.json", "flows.csv", "founders.csv",
             "boomerangs.csv", "attrition.csv", "first_release.csv", "retention.csv", "retention_stays.csv")
SEARCH_MANIFEST = "search/index.json"


def make_output(graph: Graph, output: Output, render: Callable[[Page], bytes]) -> bytes:
    """The bytes of one file: a page rendered by `render`, or a download made."""
    made = _maker(graph, output.maker)(graph, *output.args)
    return render(made) if isinstance(made, Page) else made


def _maker(graph: Graph, name: str) -> Callable[..., Page | bytes]:
    kind = graph.kinds.get(name)
    if kind is not None and kind.page is not None:
        return kind.page
    return MAKERS[name]


def _company_list(graph: Graph, slug: str, name: str, number: int) -> Page:
    """One page of a company's people, departures or arrivals."""
    context = list_context(graph, slug, name, number)
    count = len(context.pager.pages)
    title = f"{context.company.name}: {TITLES[name].lower()}" + (f", page {number} of {count}" if number > 1 else "")
    return Page(context.pager.pages[number - 1].path, "company_list.html", title, context)


def search_data(graph: Graph) -> tuple[list[SearchEntry], tuple[Shard, ...]]:
    """Every entity as a search entry, and the shards they are split into."""
    return graph.memo(_search_data)


def _search_data(graph: Graph) -> tuple[list[SearchEntry], tuple[Shard, ...]]:
    entries = search_entries(graph, site_urls(graph))
    return entries, shards(entries)


def search_prefixes(graph: Graph) -> tuple[str, ...]:
    """The prefixes that have a shard."""
    # A view of its own: planning asks it on every build, and a few hundred strings are
    # cheaper to keep and compare than every entry of the search data.
    return graph.memo(_search_prefixes)


def _search_prefixes(graph: Graph) -> tuple[str, ...]:
    return tuple(s.prefix for s in search_data(graph)[1])


def _search_manifest(graph: Graph) -> bytes:
    labels = kind_labels(graph.kinds, graph.config)
    return search_manifest(search_data(graph)[1], {kind: labels[kind].singular for kind in SEARCHED})


def _search_shard(graph: Graph, prefix: str) -> bytes:
    return search_shard(graph.memo(_search_items), graph.memo(_shards_by_prefix)[prefix])


def _search_items(graph: Graph) -> tuple[str, ...]:
    return search_items(search_data(graph)[0])


def _shards_by_prefix(graph: Graph) -> dict[str, Shard]:
    return {s.prefix: s for s in search_data(graph)[1]}


def _feed(graph: Graph) -> bytes:
    return atom_feed(graph.config, feed_entries(site_timeline(graph), graph.as_of), site_urls(graph)).encode("utf-8")


def _sitemap(graph: Graph) -> bytes:
    return sitemap([output.path for output in plan_outputs(graph)], site_urls(graph)).encode("utf-8")


MAKERS: dict[str, Callable[..., Page | bytes]] = {
    "home": home_page, "index": index_page, "timeline": timeline_page, "timeline_year": timeline_year_page,
    "moves": moves_page, "moves_year": moves_year_page, "claims": claims_page, "about": about_page,
    "search": search_page, "404": not_found_page, "company_list": _company_list, "analytics": analytics_page,
    "search_manifest": _search_manifest, "search_shard": _search_shard,
    "atlas.json": atlas_json, "stints.csv": stints_csv, "moves.csv": moves_csv,
    "sources.csv": sources_csv, "feed": _feed, "sitemap": _sitemap,
    "analytics.json": analytics_json, "flows.csv": flows_csv, "founders.csv": founders_csv,
    "boomerangs.csv": boomerangs_csv, "attrition.csv": attrition_csv, "first_release.csv": first_release_csv,
    "retention.csv": retention_csv, "retention_stays.csv": retention_stays_csv,
    "robots": lambda graph: robots(site_urls(graph)).encode("utf-8"),
    "nojekyll": lambda graph: b"",
    "cname": lambda graph: f"{graph.config.cname}\n".encode("ascii"),
}
