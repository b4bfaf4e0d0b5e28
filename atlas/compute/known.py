"""What is known at the as-of date: the facts a site built at that date counts and shows.

Every view reads careers, rounds, events, releases and claims through these functions, so
that one rule decides, for all of them, what a build at a date may say:

- **Bounds from the sequence.** A stint whose start is known only as "by X" (or "between W
  and X") began after its company (and the companies it is part of) was founded, when
  that is known; and after the stint before it at another organisation ended, or began
  if that one has no end or ended after X (the stint before it: one it cannot have
  preceded, as it is still going on or surely ended after that one began). A stint marked `concurrent` (held alongside
  the one before) is bounded by its company's founding only. An end known only as "by X"
  is no earlier than the stint's start, nor than the day a "by" start says the person was
  there. A stint that is a person's whole stay in a family, with a tenure a source
  reported, also ends no earlier than its start plus the shortest such tenure, and a
  "by" start is no later than its end less it.
- **As of.** A fact that surely happens after the as-of date is not known: a stint that
  begins after it is left out, and an end after it is not yet known (the stint is going
  on, and the tenure and note that describe its end are dropped with it). So are funding
  rounds and events dated after it. A model released, a company founded or a claim made
  after it still has its page, which says so, but counts nowhere and is listed nowhere.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from atlas.compute.graph import Graph
from atlas.model.dates import EARLIEST, PartialDate, add_months
from atlas.model.records import AIModel, Claim, Company, Event, FundingRound, Person, Stint, Tenure


def career(graph: Graph, slug: str, as_of: dt.date | None = None) -> tuple[Stint, ...]:
    """A person's stints as known at as_of (the graph's by default), bounded by the
    sequence, in the order of their file."""
    return graph.memo(_career, slug, as_of or graph.as_of)


def _career(graph: Graph, slug: str, as_of: dt.date) -> tuple[Stint, ...]:
    found = []
    for stint in bounded_career(graph, slug):
        if stint.start.lo > as_of:
            continue
        if stint.end is not None and stint.end.lo > as_of:
            stint = dataclasses.replace(stint, end=None, tenure=None, note="")
        found.append(stint)
    return tuple(found)


def bounded_career(graph: Graph, slug: str) -> tuple[Stint, ...]:
    """A person's stints with the bounds the sequence gives their 'by' dates, in file order."""
    return graph.memo(_bounded_career, slug)


def _bounded_career(graph: Graph, slug: str) -> tuple[Stint, ...]:
    stints = list(graph.people[slug].career)
    families = [_family(graph, s) for s in stints]
    order = sorted(range(len(stints)), key=lambda i: stints[i].start.sort_key())  # stable: file order on ties
    for position, i in enumerate(order):
        stint = stints[i]
        # A reported tenure is the length of a stay in the family; only a stint that is the
        # whole stay can be bounded by it.
        months = _shortest(stint.tenure) if families.count(families[i]) == 1 else None
        start, end = stint.start, stint.end
        if start.qualifier.bounded_above:
            before = [stints[j] for j in order[:position]]
            floor = max(_founded(graph, stint), _after_previous(graph, stint, before))
            # no later than the latest end less the shortest tenure
            start = start.bounded(floor, add_months(end.hi, -months) if end is not None and months is not None else None)
        if end is not None and end.qualifier.bounded_above:
            there = start.span()[0] if start.qualifier.bounded_above else start.lo  # a 'by' start: there then
            # no earlier than the earliest start plus the shortest tenure (a 'by' start with no
            # bound has no earliest day, and 'there' is later than it plus any tenure)
            end = end.bounded(max(start.lo, there, add_months(start.lo, months) if months is not None else EARLIEST))
        if start is not stint.start or end is not stint.end:
            stints[i] = dataclasses.replace(stint, start=start, end=end)
    return tuple(stints)


def _shortest(tenure: Tenure | None) -> int | None:
    """The shortest stay a reported tenure allows, in whole months ('about 7 years': 78)."""
    if tenure is None:
        return None
    return int(max(0.0, tenure.years - {"about": 0.5, "over": 0.0, "under": 0.5}[tenure.bound]) * 12)


def _founded(graph: Graph, stint: Stint) -> dt.date:
    """The earliest day the stint's company and the companies it is part of all existed."""
    slug, floor = stint.company, EARLIEST
    while slug is not None:  # the loader refuses an unknown parent and a parent cycle
        company = graph.companies[slug]
        if company.founded is not None:
            floor = max(floor, company.founded.lo)
        slug = company.parent
    return floor


def _after_previous(graph: Graph, stint: Stint, before: list[Stint]) -> dt.date:
    """The bound the stint before this one, at another organisation, gives its start."""
    if stint.concurrent:
        return EARLIEST
    family = _family(graph, stint)
    # A stint that may have ended before the other began may have come first: it says nothing.
    # (It went on at least until the first day its 'by' date names: the person was there then.)
    previous = next((s for s in reversed(before) if _family(graph, s) != family
                     and (stint.end is None or max(stint.end.lo, stint.start.span()[0]) > s.start.hi)), None)
    if previous is None:
        return EARLIEST
    if previous.end is None or previous.end.lo > stint.start.hi:  # going on, or known to overlap
        return previous.start.lo
    return previous.end.lo


def _family(graph: Graph, stint: Stint) -> str:
    return graph.family(stint.company) if stint.company else stint.org_key


def rounds(company: Company, as_of: dt.date) -> tuple[FundingRound, ...]:
    """A company's funding rounds not surely announced after as_of, in file order."""
    return tuple(r for r in company.funding if r.date.lo <= as_of)


def events(company: Company, as_of: dt.date) -> tuple[Event, ...]:
    """A company's events not surely after as_of, in file order."""
    return tuple(e for e in company.events if e.date.lo <= as_of)


def by(date: PartialDate | None, as_of: dt.date) -> bool:
    """Whether a dated beginning can have happened by as_of (an undated one is taken as known)."""
    return date is None or date.lo <= as_of


def released(model: AIModel, as_of: dt.date) -> bool:
    """Whether the model can have been released (or announced) by as_of."""
    return by(model.released, as_of)


def founded(company: Company, as_of: dt.date) -> bool:
    """Whether the company can have been founded by as_of."""
    return by(company.founded, as_of)


def made(claim: Claim, as_of: dt.date) -> bool:
    """Whether the claim was made, and speaks of a date, by as_of: only then is it checked."""
    return claim.date <= as_of and by(claim.source.date, as_of)


def person_at(graph: Graph, slug: str) -> Person:
    """The person as known at the graph's as-of date: their known career in place of all of it."""
    return _copy(Person, graph.people[slug], career=career(graph, slug))


def company_at(graph: Graph, slug: str) -> Company:
    """The company as known at the graph's as-of date: its known rounds and events, and its
    founders only once it was founded."""
    company = graph.companies[slug]
    as_of = graph.as_of
    return _copy(Company, company, funding=rounds(company, as_of), events=events(company, as_of),
                 founders=company.founders if founded(company, as_of) else ())


def _copy(record: type, entity: Any, **changes: Any) -> Any:
    """A plain record of the entity's fields with some changed (dataclasses.replace would make
    another of the graph's recording wrappers, which cannot be constructed)."""
    values = {f.name: getattr(entity, f.name) for f in dataclasses.fields(record)}
    return record(**{**values, **changes})


def later(graph: Graph, kind: str, slug: str) -> bool:
    """Whether the entity begins after the graph's as-of date: a model released, a company
    founded or a claim made after it."""
    entity, as_of = graph.table(kind)[slug], graph.as_of
    if kind == "model":
        return not released(entity, as_of)
    if kind == "company":
        return not founded(entity, as_of)
    if kind == "claim":
        return not made(entity, as_of)
    return False


def entity_at(graph: Graph, kind: str, slug: str) -> Any:
    """Any entity as known at the graph's as-of date (models and claims are as written)."""
    if kind == "person":
        return person_at(graph, slug)
    if kind == "company":
        return company_at(graph, slug)
    return graph.table(kind)[slug]
