"""Retention (S7): of the people who joined a company, the share still there 12 and 24
months later, as a Kaplan–Meier survival curve.

Each person counts once, from their first arrival at the company (or a unit) to the end of
that stay in its family (a run: compute/moves.py). A stay still going on at the as-of date
is *censored*: it counts as at risk until then, and no further. Partial dates make each
stay an interval of lengths, so the curve is computed twice: from the shortest stays (the
latest start, the earliest end: the low curve) and from the longest (the earliest start,
the latest end; an end that may fall after the as-of date is then a censoring). The true
curve lies between the two. A start known only as 'by X' has no longest stay: it is then
taken as longer than any horizon.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from atlas.compute.graph import Graph
from atlas.compute.moves import run_end, runs_of
from atlas.compute.summaries import arrivals
from atlas.model.dates import EARLIEST, PartialDate
from atlas.model.records import Company, Person, Stint

MIN_ARRIVALS = 5  # people who joined, below which no retention is given
HORIZONS = (12, 24)  # months
DAYS_PER_MONTH = 365.25 / 12
FOREVER = float("inf")


# The derived values are plain functions that the classes make properties of, not
# methods under @property: mutation testing leaves decorated functions alone
# (bench/mutation.md).

def _stay_imprecise(stay: Stay) -> bool:
    """Whether the dates allow more than one length, or both an end and none by as_of."""
    return stay.shortest != stay.longest or stay.shortest_left != stay.longest_left


@dataclass(frozen=True)
class Stay:
    """One person's first stay after joining: its shortest and longest possible length, in
    days, and whether it ended (an event) or was still going on (censored) at as_of."""

    person: Person
    joined: Stint  # the first stint at the company or a unit
    end: PartialDate | None  # the end of the stay in the family; None: going on at as_of
    shortest: float
    shortest_left: bool  # the shortest reading ends with a departure
    longest: float  # FOREVER when the start is unbounded
    longest_left: bool

    imprecise = property(_stay_imprecise)


@dataclass(frozen=True)
class CurveStep:
    """The survival from `days` on, with who was at risk then and what happened at that time."""

    days: float
    survival: float
    at_risk: int
    left: tuple[Person, ...]
    censored: tuple[Person, ...]


@dataclass(frozen=True)
class Rate:
    """Retention at one horizon: between `low` and `high` (None: not enough follow-up)."""

    months: int
    low: float | None
    high: float | None
    at_risk_low: int  # people still followed at the horizon, on the low curve
    at_risk_high: int


def _enough(found: Retention) -> bool:
    """Whether at least the minimum number of people joined: only then is retention given."""
    return len(found.stays) >= found.minimum


def _censored(found: Retention) -> tuple[Stay, ...]:
    """The people still there at as_of (on the low reading)."""
    return tuple(s for s in found.stays if not s.shortest_left)


def _imprecise(found: Retention) -> bool:
    """Whether any stay's dates allow more than one reading."""
    return any(s.imprecise for s in found.stays)


@dataclass(frozen=True)
class Retention:
    company: Company
    family: Company  # the family a stay is in: moving between its units is staying
    stays: tuple[Stay, ...]  # by the date joined
    low: tuple[CurveStep, ...]  # from the shortest stays
    high: tuple[CurveStep, ...]  # from the longest stays
    rates: tuple[Rate, ...]  # at each of HORIZONS
    minimum: int  # MIN_ARRIVALS

    enough = property(_enough)
    censored = property(_censored)
    imprecise = property(_imprecise)


def retention(graph: Graph, company: str) -> Retention | None:
    """Retention at a company (with its units), or None when nobody joined it."""
    return graph.memo(_retention, company)


def _retention(graph: Graph, slug: str) -> Retention | None:
    stays = _stays(graph, slug)
    if not stays:
        return None
    low = kaplan_meier([(s.shortest, s.shortest_left, s.person) for s in stays])
    high = kaplan_meier([(s.longest, s.longest_left, s.person) for s in stays])
    rates = tuple(Rate(h, _at(low, h)[0], _at(high, h)[0], _at(low, h)[1], _at(high, h)[1]) for h in HORIZONS)
    return Retention(graph.companies[slug], graph.companies[graph.family(slug)], tuple(stays), low, high, rates, MIN_ARRIVALS)


def _stays(graph: Graph, slug: str) -> list[Stay]:
    as_of = graph.as_of
    first: dict[str, Stay] = {}
    for arrival in arrivals(graph, slug):
        person = arrival.person.slug
        if person in first:
            continue  # the first arrival only: a return is not a new hire
        run = next(r for r in runs_of(graph, person) if arrival.stint in r.stints)
        first[person] = _stay(arrival.person, arrival.stint, run_end(run, as_of), as_of)
    return sorted(first.values(), key=lambda s: (s.joined.start.sort_key(), s.person.slug))


def _stay(person: Person, joined: Stint, end: PartialDate | None, as_of: dt.date) -> Stay:
    start = joined.start
    latest_start = min(start.hi, as_of)
    if end is None:
        shortest, shortest_left = (as_of - latest_start).days, False
        longest, longest_left = _from(start, as_of), False
    else:
        shortest, shortest_left = max(0, (end.lo - latest_start).days), True
        left_surely = end.hi <= as_of  # else the longest reading is still there at as_of
        longest, longest_left = _from(start, min(end.hi, as_of)), left_surely
    return Stay(person, joined, end, float(shortest), shortest_left, longest, longest_left)


def _from(start: PartialDate, day: dt.date) -> float:
    return FOREVER if start.lo == EARLIEST else float(max(0, (day - start.lo).days))


def kaplan_meier(stays: Sequence[tuple[float, bool, Person]]) -> tuple[CurveStep, ...]:
    """The product-limit estimate from (length, ended, person): at each time with a
    departure, survival falls by the share of those at risk who left; people censored at
    that time count as at risk. A step is kept for every time with a departure or a censoring."""
    by_time: dict[float, list[tuple[bool, Person]]] = {}
    for length, ended, person in stays:
        if length != FOREVER:
            by_time.setdefault(length, []).append((ended, person))
    survival, at_risk = 1.0, len(stays)
    steps = [CurveStep(0.0, 1.0, at_risk, (), ())]
    for t in sorted(by_time):
        left = tuple(p for ended, p in by_time[t] if ended)
        censored = tuple(p for ended, p in by_time[t] if not ended)
        if left:
            survival *= 1 - len(left) / at_risk
        steps.append(CurveStep(t, survival, at_risk, left, censored))
        at_risk -= len(by_time[t])
    return tuple(steps)


def _at(curve: tuple[CurveStep, ...], months: int) -> tuple[float | None, int]:
    """The survival just after `months`, and how many were still followed then; None when
    nobody was (the curve ends before it) and it had not reached zero."""
    day = months * DAYS_PER_MONTH
    last = [s for s in curve if s.days <= day][-1]  # steps are in time order; a departure at 0 follows the start
    followed = _followed(curve, day)
    if followed == 0 and last.survival > 0:
        return None, 0
    return last.survival, followed


def _followed(curve: tuple[CurveStep, ...], day: float) -> int:
    """People whose stay lasted longer than `day` (still at risk after it)."""
    later = [s for s in curve if s.days > day]
    if later:
        return later[0].at_risk
    return curve[0].at_risk - sum(len(s.left) + len(s.censored) for s in curve)

