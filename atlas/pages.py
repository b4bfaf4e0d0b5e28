"""Page contexts: one documented dataclass per page kind, built from the computed views.

Templates receive exactly these fields (plus `site`, `urls`, `page` and the filters
set up in render.py) and only format them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .claims import ClaimResult, check_claim
from .model import AIModel, Company, FundingRound, Person, Stint
from .moves import Move, Truth, current_stints, is_open
from .relate import Graph
from .summaries import (Arrival, Diaspora, Flow, FundingTotal, Group, Moves, TenureSummary,
                        arrivals, departures, diaspora, flows, funding_total, group_moves, tenure_summary)
from .timeline import Entry, company_timeline, event_entry, person_timeline, site_timeline
from .urls import entity_path, index_path


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template renders it, with what."""

    out_path: str
    template: str
    title: str
    context: Any
    owner: str  # what produced it, to name both sides of a path collision


@dataclass(frozen=True)
class HomeContext:
    diasporas: tuple[Diaspora, ...]
    claims: tuple[ClaimResult, ...]
    flows: tuple[Flow, ...]
    recent: tuple[Entry, ...]
    counts: dict[str, int]


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


@dataclass(frozen=True)
class PersonContext:
    person: Person
    career: tuple[tuple[Stint, Truth], ...]
    moves: tuple[Move, ...]
    now: tuple[Stint, ...]
    models: tuple[AIModel, ...]
    founded: tuple[Company, ...]
    timeline: tuple[Entry, ...]


@dataclass(frozen=True)
class ModelContext:
    model: AIModel
    companies: tuple[Company, ...]
    diaspora: Diaspora | None
    events: tuple[Entry, ...]


@dataclass(frozen=True)
class IndexContext:
    kind: str
    items: tuple[Any, ...]


@dataclass(frozen=True)
class TimelineContext:
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class MovesContext:
    moves: tuple[Move, ...]
    flows: tuple[Flow, ...]


@dataclass(frozen=True)
class ClaimsContext:
    claims: tuple[ClaimResult, ...]


def plan_pages(graph: Graph, moves: Moves) -> list[Page]:
    """Every page of the site, in a fixed order."""
    site = graph.site
    claims = tuple(check_claim(graph, site.claims[s], moves) for s in sorted(site.claims))
    all_flows = tuple(flows(graph, moves))
    timeline = tuple(site_timeline(graph, moves))
    pages = [Page("index.html", "home.html", site.config.title, _home(graph, moves, claims, all_flows, timeline), "home page")]
    for kind, table, build in (("company", site.companies, _company), ("person", site.people, _person),
                               ("model", site.models, _model)):
        items = tuple(table[s] for s in sorted(table, key=lambda s: (table[s].name.lower(), s)))
        pages.append(Page(index_path(kind), "index.html", _INDEX_TITLES[kind], IndexContext(kind, items), f"{kind} index"))
        for slug in sorted(table):
            entity = table[slug]
            pages.append(Page(entity_path(kind, slug), f"{kind}.html", entity.name, build(graph, moves, entity), entity.src_path))
    pages.append(Page("timeline/index.html", "timeline.html", "Timeline", TimelineContext(timeline), "timeline"))
    pages.append(Page("moves/index.html", "moves.html", "Moves", MovesContext(moves.all[::-1], all_flows), "moves"))
    pages.append(Page("claims/index.html", "claims.html", "Claims checked", ClaimsContext(claims), "claims"))
    pages.append(Page("404.html", "404.html", "Page not found", None, "404 page"))
    return pages


_INDEX_TITLES = {"company": "Companies", "person": "People", "model": "Models"}


def _home(graph: Graph, moves: Moves, claims: tuple[ClaimResult, ...], all_flows: tuple[Flow, ...],
          timeline: tuple[Entry, ...]) -> HomeContext:
    site = graph.site
    featured = []
    for slug in site.config.featured:
        model = site.models[slug]
        if model.authors and model.companies:
            featured.append(diaspora(graph, moves, model, graph.family(model.companies[0])))
    recent = tuple(e for e in reversed(timeline) if e.date.lo <= moves.as_of)[:12]
    counts = {"companies": len(site.companies), "people": len(site.people), "models": len(site.models),
              "moves": len(moves.all)}
    return HomeContext(tuple(featured), claims, all_flows[:10], recent, counts)


def _company(graph: Graph, moves: Moves, company: Company) -> CompanyContext:
    site = graph.site
    units = graph.subtree(company.slug)
    staff = [StaffRow(p, s, is_open(s, moves.as_of)) for u in sorted(units) for p, s in graph.stints_at.get(u, ())
             if s.start.lo <= moves.as_of]
    staff.sort(key=lambda r: (r.stint.start.sort_key(), r.person.name))
    left = departures(graph, moves, company.slug)
    came = arrivals(graph, moves, company.slug)
    investors: dict[str, list[FundingRound]] = {}
    for rnd in company.funding:
        for slug in (*rnd.lead, *rnd.investors):
            investors.setdefault(slug, []).append(rnd)
    models = sorted({m.slug: m for u in units for m in graph.models_of.get(u, ())}.values(),
                    key=lambda m: (m.released.sort_key() if m.released else (m.name,), m.slug))  # type: ignore[arg-type, return-value]
    return CompanyContext(
        company=company,
        parent=site.companies.get(company.parent) if company.parent else None,
        units=tuple(site.companies[u] for u in sorted(graph.children.get(company.slug, ()))),
        founders=tuple(site.people[p] for p in company.founders),
        current=tuple(r for r in staff if r.current is not Truth.NO),
        former=tuple(r for r in staff if r.current is Truth.NO),
        departures=tuple(left),
        by_destination=tuple(group_moves(graph, left, "destination")),
        arrivals=tuple(came),
        by_origin=tuple(group_moves(graph, [a.origin for a in came if a.origin], "origin")),
        tenure=tenure_summary(left),
        models=tuple(models),
        funding=funding_total(company, moves.as_of),
        investors=tuple((site.companies[s], tuple(r)) for s, r in sorted(investors.items(), key=lambda i: site.companies[i[0]].name.lower())),
        portfolio=tuple(sorted(graph.investments.get(company.slug, ()), key=lambda i: (i[0].name.lower(), i[1].date.sort_key()))),
        timeline=tuple(company_timeline(graph, moves, company)),
    )


def _person(graph: Graph, moves: Moves, person: Person) -> PersonContext:
    career = sorted(((s, is_open(s, moves.as_of)) for s in person.career), key=lambda p: p[0].start.sort_key())
    return PersonContext(
        person=person,
        career=tuple(career),
        moves=tuple(moves.by_person.get(person.slug, ())),
        now=tuple(s for s, _ in current_stints(person, moves.as_of)),
        models=tuple(graph.models_by.get(person.slug, ())),
        founded=tuple(graph.founded.get(person.slug, ())),
        timeline=tuple(person_timeline(graph, moves, person)),
    )


def _model(graph: Graph, moves: Moves, model: AIModel) -> ModelContext:
    companies = tuple(graph.site.companies[c] for c in model.companies)
    found = diaspora(graph, moves, model, graph.family(model.companies[0])) if model.authors else None
    entries = tuple(event_entry(c, e) for c, e in graph.events_about.get(model.slug, ()))
    return ModelContext(model, companies, found, entries)
