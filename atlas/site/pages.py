"""Page contexts: one documented dataclass per page kind, built from the computed views.

Templates receive exactly these fields (plus `site`, `urls`, `page` and the filters
set up in render.py) and only format them.
"""
from __future__ import annotations

from dataclasses import dataclass
import functools
from typing import Any, Callable, Sequence

from atlas.site.charts import Chart
from atlas.compute.claims import ClaimResult, check_claim
from atlas.site.data import JSON_FIELDS, MOVE_COLUMNS, STINT_COLUMNS, Column, cited_sources
from atlas.site.figures import Palette, company_chart, company_flow_diagram, palette, person_chart, site_flow_diagram
from atlas.site.indexes import index_context
from atlas.site.lists import HOME_FLOWS, MOVES_FLOWS, SOURCE_HOSTS, moves_contexts, timeline_contexts
from atlas.site.meta import JsonLd, company_ld, model_ld, person_ld, website_ld
from atlas.model.records import AIModel, Company, FundingRound, Person, Stint
from atlas.compute.moves import Move, Truth, current_stints, is_open
from atlas.model.graph import Graph
from atlas.compute.summaries import (Arrival, Diaspora, Flow, FundingTotal, Group, Moves, TenureSummary,
                        arrivals, departures, diaspora, flows, funding_total, group_moves, tenure_summary)
from atlas.site.sankey import Sankey
from atlas.compute.timeline import Entry, company_timeline, event_entry, person_timeline, site_timeline
from atlas.site.urls import ABOUT_PATH, SEARCH_PATH, Urls, entity_path, index_path, moves_path, timeline_path


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template renders it, with what."""

    out_path: str
    template: str
    title: str
    context: Any
    owner: str  # what produced it, to name both sides of a path collision
    description: str = ""  # for <meta name="description"> and link previews; the site's by default
    jsonld: JsonLd | None = None  # schema.org structured data

    def page(self) -> "Page":
        return self


@dataclass(frozen=True)
class Planned:
    """A page whose context is computed only when it is rendered: entity pages, which are
    most of the site, are then computed by the rendering workers and dropped once written."""

    out_path: str
    template: str
    owner: str
    make: Callable[[], Page]

    def page(self) -> Page:
        return self.make()


@dataclass(frozen=True)
class HomeContext:
    diasporas: tuple[Diaspora, ...]
    claims: tuple[ClaimResult, ...]
    flows: tuple[Flow, ...]  # the largest HOME_FLOWS
    flow_count: int  # every pair of organisations
    recent: tuple[Entry, ...]
    counts: dict[str, int]
    diagram: Sankey | None


@dataclass(frozen=True)
class StaffRow:
    person: Person
    stint: Stint
    current: Truth


@dataclass(frozen=True)
class CompanyContext:
    company: Company
    parent: Company | None
    units: tuple[Company, ...]
    founders: tuple[Person, ...]
    current: tuple[StaffRow, ...]
    former: tuple[StaffRow, ...]
    departures: tuple[Move, ...]
    by_destination: tuple[Group, ...]
    arrivals: tuple[Arrival, ...]
    by_origin: tuple[Group, ...]
    tenure: TenureSummary
    models: tuple[AIModel, ...]
    funding: FundingTotal
    investors: tuple[tuple[Company, tuple[FundingRound, ...]], ...]
    portfolio: tuple[tuple[Company, FundingRound, bool], ...]
    timeline: tuple[Entry, ...]
    diagram: Sankey | None  # origins -> company -> destinations
    chart: Chart | None  # one bar per person who worked there, the CHART_ROWS latest to join
    people: int  # everyone who worked there, charted or not


@dataclass(frozen=True)
class PersonContext:
    person: Person
    career: tuple[tuple[Stint, Truth], ...]
    moves: tuple[Move, ...]
    now: tuple[Stint, ...]
    models: tuple[AIModel, ...]
    founded: tuple[Company, ...]
    timeline: tuple[Entry, ...]
    chart: Chart | None


@dataclass(frozen=True)
class ModelContext:
    model: AIModel
    companies: tuple[Company, ...]
    diaspora: Diaspora | None
    events: tuple[Entry, ...]


@dataclass(frozen=True)
class ClaimsContext:
    claims: tuple[ClaimResult, ...]


@dataclass(frozen=True)
class AboutContext:
    """The 'About the data' page: what the downloads contain, and the websites cited most."""

    json_fields: tuple[tuple[str, str], ...]
    stint_columns: tuple[Column, ...]
    move_columns: tuple[Column, ...]
    hosts: tuple[tuple[str, int], ...]  # (website, sources cited there), most cited first
    host_count: int
    source_count: int


@dataclass(frozen=True)
class Views:
    """What every page builder shares."""

    graph: Graph
    moves: Moves
    urls: Urls
    palette: Palette


class SiteViews:
    """What only the whole-site pages and files read (the site timeline, claims, flows and
    those pages' contexts), computed on first use: a build that keeps every such file
    from the last build never computes them."""

    def __init__(self, views: Views, sources: Sequence[tuple[str, tuple[str, ...]]] | None = None,
                 timeline: Sequence[Entry] | None = None):
        self.views = views
        if sources is not None:
            self.sources = tuple(sources)
        if timeline is not None:
            self.timeline = tuple(timeline)

    @functools.cached_property
    def sources(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple(cited_sources(self.views.graph.site))

    @functools.cached_property
    def timeline(self) -> tuple[Entry, ...]:
        return tuple(site_timeline(self.views.graph, self.views.moves))

    @functools.cached_property
    def pages(self) -> dict[str, Page]:
        """Every whole-site page by its path, in the site's order."""
        views = self.views
        graph, site = views.graph, views.graph.site
        claims = tuple(check_claim(graph, site.claims[s], views.moves) for s in sorted(site.claims))
        all_flows = tuple(flows(graph, views.moves))
        pages = [Page("index.html", "home.html", site.config.title, _home(views, claims, all_flows, self.timeline), "home page",
                      jsonld=website_ld(site.config, views.urls))]
        pages += [Page(index_path(kind), "index.html", _INDEX_TITLES[kind], index_context(graph, kind), f"{kind} index")
                  for kind in ("company", "person", "model")]
        pages += _list_pages(views, all_flows, self.timeline)
        pages.append(Page("claims/index.html", "claims.html", "Claims checked", ClaimsContext(claims), "claims"))
        pages.append(Page(ABOUT_PATH, "about.html", "About the data", _about(self.sources), "about page"))
        pages.append(Page(SEARCH_PATH, "search.html", "Search", None, "search page"))
        pages.append(Page("404.html", "404.html", "Page not found", None, "404 page"))
        return {page.out_path: page for page in pages}

    def page(self, out_path: str) -> Page:
        return self.pages[out_path]


def plan_pages(graph: Graph, moves: Moves, shared: SiteViews | None = None,
               site_paths: Sequence[str] | None = None) -> list[Page | Planned]:
    """Every page of the site: the whole-site pages, then each entity's, in a fixed order.

    `site_paths`, when given, are the whole-site pages' paths, known from the last build
    with the same inputs: those pages are then planned without computing their contexts."""
    shared = shared or SiteViews(Views(graph, moves, Urls(graph.site.config.base_url), palette(graph)))
    views = shared.views
    site = graph.site
    if site_paths is None:
        pages: list[Page | Planned] = list(shared.pages.values())
    else:
        pages = [Planned(path, "", "a whole-site page", functools.partial(shared.page, path)) for path in site_paths]
    for kind, table, build in (("company", site.companies, _company), ("person", site.people, _person),
                               ("model", site.models, _model)):
        for slug in sorted(table):
            entity = table[slug]
            pages.append(Planned(entity_path(kind, slug), f"{kind}.html", entity.src_path, functools.partial(build, views, entity)))
    return pages


CHART_ROWS = 40  # people in a company's career chart: those who joined last; the lists below have everyone
_INDEX_TITLES = {"company": "Companies", "person": "People", "model": "Models"}


def _list_pages(views: Views, all_flows: tuple[Flow, ...], entries: tuple[Entry, ...]) -> list[Page]:
    """The timeline and the moves, each as an index of years and a page per year."""
    top = all_flows[:MOVES_FLOWS]
    diagram = site_flow_diagram(views.graph, top, views.urls, views.palette) if top else None
    moves_index, moves_years = moves_contexts(views.moves.all, all_flows, diagram)
    timeline_index, timeline_years = timeline_contexts(entries)
    pages = [Page(timeline_path(), "timeline.html", "Timeline", timeline_index, "timeline")]
    pages += [Page(timeline_path(c.year), "timeline_year.html", f"Timeline: {c.year}", c, "timeline") for c in timeline_years]
    pages.append(Page(moves_path(), "moves.html", "Moves", moves_index, "moves"))
    pages += [Page(moves_path(c.year), "moves_year.html", f"Moves in {c.year}", c, "moves") for c in moves_years]
    return pages


def _home(views: Views, claims: tuple[ClaimResult, ...], all_flows: tuple[Flow, ...],
          timeline: tuple[Entry, ...]) -> HomeContext:
    graph, moves = views.graph, views.moves
    site = graph.site
    featured = []
    for slug in site.config.featured:
        model = site.models[slug]
        if model.authors and model.companies:
            featured.append(diaspora(graph, moves, model, graph.family(model.companies[0])))
    recent = tuple(e for e in reversed(timeline) if e.date.lo <= moves.as_of)[:12]
    counts = {"companies": len(site.companies), "people": len(site.people), "models": len(site.models),
              "moves": len(moves.all)}
    top = all_flows[:HOME_FLOWS]
    diagram = site_flow_diagram(graph, top, views.urls, views.palette) if top else None
    return HomeContext(tuple(featured), claims, top, len(all_flows), recent, counts, diagram)


def _company(views: Views, company: Company) -> Page:
    graph, moves, urls = views.graph, views.moves, views.urls
    site = graph.site
    units = graph.subtree(company.slug)
    staff = [StaffRow(p, s, is_open(s, moves.as_of)) for u in sorted(units) for p, s in graph.stints_at.get(u, ())
             if s.start.lo <= moves.as_of]
    staff.sort(key=lambda r: (r.stint.start.sort_key(), r.person.name))
    left = departures(graph, moves, company.slug)
    came = arrivals(graph, moves, company.slug)
    by_destination = tuple(group_moves(graph, left, "destination"))
    by_origin = tuple(group_moves(graph, [a.origin for a in came if a.origin], "origin"))
    people = list({r.person.slug: r.person for r in staff}.values())
    current = tuple(r for r in staff if r.current is not Truth.NO)
    context = CompanyContext(
        company=company,
        parent=site.companies.get(company.parent) if company.parent else None,
        units=tuple(site.companies[u] for u in sorted(graph.children.get(company.slug, ()))),
        founders=tuple(site.people[p] for p in company.founders),
        current=current,
        former=tuple(r for r in staff if r.current is Truth.NO),
        departures=tuple(left),
        by_destination=by_destination,
        arrivals=tuple(came),
        by_origin=by_origin,
        tenure=tenure_summary(left),
        models=_models_of(graph, units),
        funding=funding_total(company, moves.as_of),
        investors=_investors(graph, company),
        portfolio=tuple(sorted(graph.investments.get(company.slug, ()), key=lambda i: (i[0].name.lower(), i[1].date.sort_key()))),
        timeline=tuple(company_timeline(graph, moves, company, joins=False, left=left)),  # joins: see People
        diagram=company_flow_diagram(graph, company, by_origin, by_destination, urls, views.palette),
        chart=company_chart(graph, moves, company, people[-CHART_ROWS:], urls, views.palette),
        people=len(people),
    )
    staff_now = list({r.person.slug: r.person for r in current}.values())
    return Page(entity_path("company", company.slug), "company.html", company.name, context, company.src_path,
                company.summary or company.name, company_ld(graph, company, staff_now, urls))


def _models_of(graph: Graph, units: set[str]) -> tuple[AIModel, ...]:
    models = {m.slug: m for u in units for m in graph.models_of.get(u, ())}.values()
    return tuple(sorted(models, key=lambda m: (m.released.sort_key() if m.released else (m.name,), m.slug)))  # type: ignore[arg-type, return-value]


def _investors(graph: Graph, company: Company) -> tuple[tuple[Company, tuple[FundingRound, ...]], ...]:
    investors: dict[str, list[FundingRound]] = {}
    for rnd in company.funding:
        for slug in (*rnd.lead, *rnd.investors):
            investors.setdefault(slug, []).append(rnd)
    companies = graph.site.companies
    return tuple((companies[s], tuple(r)) for s, r in sorted(investors.items(), key=lambda i: companies[i[0]].name.lower()))


def _person(views: Views, person: Person) -> Page:
    graph, moves = views.graph, views.moves
    career = sorted(((s, is_open(s, moves.as_of)) for s in person.career), key=lambda p: p[0].start.sort_key())
    context = PersonContext(
        person=person,
        career=tuple(career),
        moves=tuple(moves.by_person.get(person.slug, ())),
        now=tuple(s for s, _ in current_stints(person, moves.as_of)),
        models=tuple(graph.models_by.get(person.slug, ())),
        founded=tuple(graph.founded.get(person.slug, ())),
        timeline=tuple(person_timeline(graph, moves, person)),
        chart=person_chart(graph, moves, person, views.palette),
    )
    return Page(entity_path("person", person.slug), "person.html", person.name, context, person.src_path,
                person.summary or person.name, person_ld(graph, person, views.urls))


def _model(views: Views, model: AIModel) -> Page:
    graph, moves = views.graph, views.moves
    companies = tuple(graph.site.companies[c] for c in model.companies)
    found = diaspora(graph, moves, model, graph.family(model.companies[0])) if model.authors else None
    entries = tuple(sorted((event_entry(c, e) for c, e in graph.events_about.get(model.slug, ())),
                           key=lambda e: e.date.sort_key()))
    return Page(entity_path("model", model.slug), "model.html", model.name, ModelContext(model, companies, found, entries),
                model.src_path, model.summary or model.name, model_ld(graph, model, views.urls))


def _about(sources: Sequence[tuple[str, tuple[str, ...]]]) -> AboutContext:
    hosts = sorted(((host, len(urls)) for host, urls in sources), key=lambda h: (-h[1], h[0]))
    return AboutContext(JSON_FIELDS, STINT_COLUMNS, MOVE_COLUMNS, tuple(hosts[:SOURCE_HOSTS]), len(hosts),
                        sum(len(u) for _, u in sources))
