"""Entity pages: one documented context dataclass per kind, built from the computed views.

Templates receive exactly these fields (plus `page`, `urls`, `config`, `as_of` and the
helpers set up in render.py) and only format them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from atlas.compute.graph import Graph
from atlas.compute import known
from atlas.compute.moves import Move, Truth, current_stints, is_open, moves_of
from atlas.compute.summaries import (Arrival, Diaspora, FundingTotal, Group, TenureSummary, diaspora, funding_total, group_moves,
                                     tenure_summary)
from atlas.compute.timeline import Entry, company_timeline, event_entry, person_timeline
from atlas.model.records import AIModel, Company, FundingRound, Person, Stint
from atlas.site.analytics import (CompanyAnalytics, ModelAnalytics, PersonAnalytics, company_analytics, model_analytics,
                                  person_analytics)
from atlas.site.charts import Chart
from atlas.site.company_lists import (CompanyLists, StaffRow, company_arrivals, company_departures, company_lists, company_staff,
                                      in_history, shown, shown_groups)
from atlas.site.figures import NARROW, company_chart, company_flow_diagram, palette, person_chart
from atlas.site.meta import JsonLd, company_ld, model_ld, person_ld
from atlas.site.sankey import Sankey
from atlas.site.urls import site_urls

CHART_ROWS = 30  # people in a company's career chart: those who joined last; the lists below have everyone
OVERLAPS_SHOWN = 5  # papers whose cards count differently: those with most authors among the departures


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, which template renders it, with what."""

    out_path: str
    template: str
    title: str
    context: Any
    description: str = ""  # for <meta name="description"> and link previews; the site's by default
    jsonld: JsonLd | None = None  # schema.org structured data
    src_path: str = ""  # the content file the page shows ("people/ada.yaml"), for edit and report links


@dataclass(frozen=True)
class PaperOverlap:
    """How a company's departures relate to the count on one of its papers' cards, which
    counts only the paper's authors (and each once)."""

    model: AIModel
    card_left: int  # authors the paper's card counts as having left
    card_uncertain: int  # authors the card cannot place
    authors: tuple[Person, ...]  # the people of the departures who are the paper's authors
    others: tuple[Person, ...]  # the people of the departures who are not


@dataclass(frozen=True)
class CompanyContext:
    company: Company
    later: bool  # founded after the as-of date: nothing about it counts yet
    parent: Company | None
    units: tuple[Company, ...]
    founders: tuple[Person, ...]
    current: tuple[StaffRow, ...]  # all, or the latest when lists.people is split off
    former: tuple[StaffRow, ...]
    departures: tuple[Move, ...]
    leavers: int  # the people behind the departures (one may leave twice)
    overlaps: tuple[PaperOverlap, ...]  # papers whose cards count leavers differently (OVERLAPS_SHOWN)
    more_overlaps: int  # the other such papers, only counted
    by_destination: tuple[Group, ...]
    arrivals: tuple[Arrival, ...]
    by_origin: tuple[Group, ...]
    tenure: TenureSummary
    models: tuple[AIModel, ...]
    rounds: tuple[FundingRound, ...]  # those announced by the as-of date (or that may have been)
    funding: FundingTotal
    investors: tuple[tuple[Company, tuple[FundingRound, ...]], ...]
    portfolio: tuple[tuple[Company, FundingRound, bool], ...]
    timeline: tuple[Entry, ...]
    diagram: Sankey | None  # origins -> company -> destinations
    chart: Chart | None  # one bar per person who worked there, the CHART_ROWS latest to join
    chart_narrow: Chart | None  # the same, names above bars, for phones
    people: int  # everyone who worked there, charted or not
    lists: CompanyLists  # which lists are long enough for pages of their own
    analytics: CompanyAnalytics  # alumni-founded companies, founders' origins, boomerangs, flows, retention


@dataclass(frozen=True)
class PersonContext:
    person: Person
    career: tuple[tuple[Stint, Truth], ...]
    moves: tuple[Move, ...]
    now: tuple[tuple[Stint, Truth], ...]  # the stints going on at as_of (MAYBE: the dates cannot tell)
    models: tuple[AIModel, ...]
    founded: tuple[Company, ...]
    timeline: tuple[Entry, ...]
    chart: Chart | None
    analytics: PersonAnalytics  # the families the person came back to


@dataclass(frozen=True)
class ModelContext:
    model: AIModel
    later: bool  # released after the as-of date: its authors are not counted here
    companies: tuple[Company, ...]
    diaspora: Diaspora | None
    events: tuple[Entry, ...]
    analytics: ModelAnalytics  # the attrition curve of its paper's authors


def company_page(graph: Graph, slug: str) -> Page:
    """A company (with its units): its people, who left for where, who came from where,
    tenure, models, funding and timeline."""
    urls = site_urls(graph)
    company = graph.companies[slug]
    as_of = graph.as_of
    units = graph.subtree(slug)
    staff = company_staff(graph, slug)
    left = list(company_departures(graph, slug))
    came = list(company_arrivals(graph, slug))
    lists = company_lists(graph, slug)
    by_destination = tuple(group_moves(graph, left, "destination"))
    by_origin = tuple(group_moves(graph, [a.origin for a in came if a.origin], "origin"))
    people = list({r.person.slug: r.person for r in staff}.values())
    current = tuple(r for r in staff if r.current is not Truth.NO)
    colours = palette(graph)
    known_rounds = known.rounds(company, as_of)
    later = not known.founded(company, as_of)
    overlaps = _overlaps(graph, slug, units, left)
    context = CompanyContext(
        company=company,
        later=later,
        parent=graph.companies[company.parent] if company.parent else None,
        units=tuple(u for u in (graph.companies[u] for u in sorted(graph.children(slug))) if known.founded(u, as_of)),
        founders=() if later else tuple(graph.people[p] for p in company.founders),
        current=shown(current, lists.people),
        former=shown(tuple(r for r in staff if r.current is Truth.NO), lists.people),
        departures=tuple(left),
        leavers=len({m.person.slug for m in left}),
        overlaps=overlaps[:OVERLAPS_SHOWN],
        more_overlaps=len(overlaps[OVERLAPS_SHOWN:]),
        by_destination=shown_groups(by_destination, lists.departures),
        arrivals=tuple(came),
        by_origin=shown_groups(by_origin, lists.arrivals),
        tenure=tenure_summary(left),
        models=_models_of(graph, units),
        rounds=known_rounds,
        funding=funding_total(company, as_of),
        investors=_investors(graph, known_rounds),
        portfolio=tuple(sorted((i for i in graph.investments(slug) if i[1].date.lo <= as_of),
                               key=lambda i: (i[0].name.lower(), i[1].date.sort_key()))),
        timeline=in_history(company_timeline(graph, company, joins=False, left=left)),  # joins: see People
        diagram=company_flow_diagram(graph, company, by_origin, by_destination, urls, colours),
        chart=company_chart(graph, company, people[-CHART_ROWS:], urls, colours),
        chart_narrow=company_chart(graph, company, people[-CHART_ROWS:], urls, colours, NARROW),
        people=len(people),
        lists=lists,
        analytics=company_analytics(graph, slug, later, [a.origin for a in came if a.origin], left),
    )
    staff_now = list({r.person.slug: r.person for r in context.current}.values())  # those the page lists
    return Page(urls.entity_path("company", slug), "company.html", company.name, context,
                company.summary or company.name, company_ld(graph, company, staff_now, urls), company.src_path)


def _overlaps(graph: Graph, slug: str, units: set[str], left: list[Move]) -> tuple[PaperOverlap, ...]:
    """For each paper of the company whose card counts leavers differently from its list of
    departures: who among the departures are the paper's authors, and who are not."""
    people = list({m.person.slug: m.person for m in left}.values())
    found = []
    for model in _models_of(graph, units):
        if not model.authors or graph.family(model.companies[0]) != graph.family(slug):
            continue
        card = diaspora(graph, model, graph.family(model.companies[0]))
        authors = tuple(p for p in people if p.slug in model.authors)
        if len(card.left) != len(left) or len(authors) != len(left):
            others = tuple(p for p in people if p.slug not in model.authors)
            found.append(PaperOverlap(model, len(card.left), len(card.uncertain), authors, others))
    # A lab with hundreds of papers would list each: those with most authors among the
    # departures first, in the company's order of models otherwise (a stable sort).
    return tuple(sorted(found, key=lambda o: -len(o.authors)))


def _models_of(graph: Graph, units: set[str]) -> tuple[AIModel, ...]:
    """The models of a company and its units released by the as-of date: those with a date
    by date, then the others by name."""
    models = {m.slug: m for u in units for m in graph.models_of(u) if known.released(m, graph.as_of)}.values()
    return tuple(sorted(models, key=lambda m: (0, m.released.sort_key(), m.slug) if m.released else (1, m.name, m.slug)))


def _investors(graph: Graph, rounds: tuple[FundingRound, ...]) -> tuple[tuple[Company, tuple[FundingRound, ...]], ...]:
    investors: dict[str, list[FundingRound]] = {}
    for rnd in rounds:
        for slug in (*rnd.lead, *rnd.investors):
            investors.setdefault(slug, []).append(rnd)
    companies = graph.companies
    return tuple((companies[s], tuple(r)) for s, r in sorted(investors.items(), key=lambda i: companies[i[0]].name.lower()))


def person_page(graph: Graph, slug: str) -> Page:
    """A person: career, moves, where they are now, models, founded companies, timeline."""
    urls = site_urls(graph)
    person = graph.people[slug]
    as_of = graph.as_of
    stints = known.career(graph, slug)
    context = PersonContext(
        person=person,
        career=tuple(sorted(((s, is_open(s, as_of)) for s in stints), key=lambda p: p[0].start.sort_key())),
        moves=moves_of(graph, slug),
        now=tuple(current_stints(stints, as_of)),
        models=tuple(m for m in graph.models_by(slug) if known.released(m, as_of)),
        founded=tuple(c for c in graph.founded(slug) if known.founded(c, as_of)),
        timeline=tuple(person_timeline(graph, person)),
        chart=person_chart(graph, person, palette(graph)),
        analytics=person_analytics(graph, slug),
    )
    return Page(urls.entity_path("person", slug), "person.html", person.name, context,
                person.summary or person.name, person_ld(graph, person, urls), person.src_path)


def model_page(graph: Graph, slug: str) -> Page:
    """A model: its makers, where its paper's authors are now, and its events."""
    urls = site_urls(graph)
    model = graph.models[slug]
    as_of = graph.as_of
    companies = tuple(graph.companies[c] for c in model.companies)
    later = not known.released(model, as_of)
    found = diaspora(graph, model, graph.family(model.companies[0])) if model.authors and not later else None
    entries = tuple(sorted((event_entry(c, e) for c, e in graph.events_about("model", slug) if e.date.lo <= as_of),
                           key=lambda e: e.date.sort_key()))
    context = ModelContext(model, later, companies, found, entries, model_analytics(graph, slug))
    return Page(urls.entity_path("model", slug), "model.html", model.name, context,
                model.summary or model.name, model_ld(graph, model, urls), model.src_path)
