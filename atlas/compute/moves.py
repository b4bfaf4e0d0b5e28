"""Careers as runs and moves: who was where, when, and where they went next.

Definitions (also in docs/definitions.md):
- A partial date covers an interval: '2023-05' is any day in May 2023; '~' widens it by
  one unit of its precision on each side; 'by 2025-03' is any day up to 31 Mar 2025.
- A *run* is a person's stay at one company family (a company and its units), merging
  consecutive stints in the family separated by at most GRACE_DAYS.
- A *move* is the end of a run on or before as_of. Its destination is the person's
  stint outside the family that begins earliest on or after the run's start and no later
  than LOOKAHEAD_MONTHS after the end; without one, the destination is unknown.
"""
from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass

from atlas.model.dates import EARLIEST, LATEST, PartialDate, add_months, years_between
from atlas.model.records import Confidence, Person, Stint
from atlas.compute.graph import Graph
from atlas.compute.known import career

GRACE_DAYS = 31
LOOKAHEAD_MONTHS = 12


class Truth(enum.Enum):
    """Three-valued answer: partial dates can leave a question open."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


@dataclass(frozen=True, slots=True)
class Span:
    """A tenure as an interval of years, and whether it came from a source's words."""

    lo: float
    hi: float
    text: str
    reported: bool
    lo_open: bool = False  # 'over N years': strictly more than N

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    def over(self, years: float) -> Truth:
        if self.lo > years or (self.lo_open and self.lo >= years):
            return Truth.YES
        if self.hi <= years:
            return Truth.NO
        return Truth.MAYBE


@dataclass(frozen=True, slots=True)
class Run:
    person: Person
    family: str
    stints: tuple[Stint, ...]

    @property
    def start(self) -> PartialDate:
        return self.stints[0].start

    @property
    def last(self) -> Stint:
        return self.stints[-1]


@dataclass(frozen=True, slots=True)
class Move:
    """A person leaving a company family, with where they went first."""

    person: Person
    origin: Stint
    destination: Stint | None
    date: PartialDate
    tenure: Span | None  # of the whole stay in the family, which may span several of its units
    founded: bool  # the person is a founder of the destination company
    certain: bool  # the end is surely on or before as_of
    family: str = ""  # the company family left (its top company's slug), or the organisation's key

    @property
    def confidence(self) -> Confidence | None:
        """The weaker of the confidences given to the stint left and the one joined."""
        return weakest(self.origin.confidence, self.destination.confidence if self.destination else None)


_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def weakest(*found: Confidence | None) -> Confidence | None:
    """The lowest of some confidences, ignoring those not given."""
    given = [c for c in found if c is not None]
    return min(given, key=_RANK.__getitem__) if given else None


def stint_key(stint: Stint) -> tuple[dt.date, int]:
    return stint.start.sort_key()


def is_open(stint: Stint, as_of: dt.date) -> Truth:
    """Is the stint going on at as_of?"""
    if stint.start.lo > as_of:
        return Truth.NO
    started = stint.start.hi <= as_of
    if stint.end is None:
        return Truth.YES if started else Truth.MAYBE
    if stint.end.hi <= as_of:
        return Truth.NO
    return Truth.YES if started and stint.end.lo > as_of else Truth.MAYBE


def runs(graph: Graph, person: Person, as_of: dt.date) -> list[Run]:
    """Group a person's stints known at as_of into runs per company family, in start order."""
    known = sorted(career(graph, person.slug, as_of), key=stint_key)
    result: list[Run] = []
    for stint in known:
        family = graph.family(stint.company) if stint.company else stint.org_key
        match = next((r for r in reversed(result) if r.family == family), None)
        if match and _continues(match, stint):
            result[result.index(match)] = Run(person, family, match.stints + (stint,))
        else:
            result.append(Run(person, family, (stint,)))
    return result


def _continues(run: Run, stint: Stint) -> bool:
    ends = [s.end for s in run.stints]
    if any(e is None for e in ends):
        return True
    latest = max(e.hi for e in ends if e is not None)
    return stint.start.key <= latest + dt.timedelta(days=GRACE_DAYS)


def run_end(run: Run, as_of: dt.date) -> PartialDate | None:
    """The end of the run as seen at as_of, or None if it is still going on."""
    if any(s.end is None for s in run.stints):
        return None
    # The latest day any of its ends may be: a coarse end ('2000-03') may come after a precise
    # one ('2000-03-01') that sorts after it.
    end = max((s.end for s in run.stints if s.end is not None), key=lambda d: (d.hi, d.lo))
    return None if end.lo > as_of else end


def tenure(run: Run, as_of: dt.date) -> Span | None:
    """Time spent in the run: as a source reported it, when one did (in its words); else from
    its dates when both are bounded, worded at the precision the dates give."""
    reported = next((s.tenure for s in reversed(run.stints) if s.tenure), None)
    if reported is not None:
        n = reported.years
        lo, hi = {"about": (n - 0.5, n + 0.5), "over": (n, n + 1), "under": (n - 0.5, n)}[reported.bound]
        return Span(lo, hi, reported.text, True, reported.bound == "over")
    end = run_end(run, as_of)
    # The earliest any of its starts may be: a 'by' start sorts by its latest day, so the
    # stint that sorts first need not be the one that began first.
    start = min((s.start for s in run.stints), key=lambda d: (d.lo, d.hi))
    if end is None or start.lo == EARLIEST or end.hi == LATEST or end.lo == EARLIEST:
        return None
    lo = max(0.0, years_between(start.hi, end.lo))
    hi = years_between(start.lo, end.hi)
    return Span(round(lo, 2), round(hi, 2), years_text(lo, hi), False)


def years_text(lo: float, hi: float) -> str:
    """An interval of years in words, no more precise than it is: '2.8 years' when the
    dates pin it down, 'about 3 years' within a year or so, else a range."""
    if hi - lo <= 0.25:
        return f"{(lo + hi) / 2:.1f} years"
    if hi <= 1:
        return "under a year"
    if hi - lo <= 1.5:
        n = int((lo + hi) / 2 + 0.5)
        return f"about {n} year{'s' if n != 1 else ''}"
    first, last = int(lo), math.ceil(hi)
    return f"up to {last} years" if first == 0 else f"{first} to {last} years"


def person_moves(graph: Graph, person: Person, as_of: dt.date, person_runs: list[Run] | None = None) -> list[Move]:
    """Every departure of one person from a company family, in date order; `person_runs`
    is runs(graph, person, as_of) when the caller already has it."""
    moves = []
    for run in runs(graph, person, as_of) if person_runs is None else person_runs:
        end = run_end(run, as_of)
        if end is None:
            continue
        destination = _destination(run, end, person, graph, as_of)
        founded = bool(destination and destination.company and
                       any(c.slug == destination.company for c in graph.founded(person.slug)))
        moves.append(Move(person, run.last, destination, end, tenure(run, as_of), founded, end.hi <= as_of, run.family))
    return moves


def _destination(run: Run, end: PartialDate, person: Person, graph: Graph, as_of: dt.date) -> Stint | None:
    limit = add_months(min(end.hi, as_of), LOOKAHEAD_MONTHS)
    candidates = []
    for index, stint in enumerate(career(graph, person.slug, as_of)):
        family = graph.family(stint.company) if stint.company else stint.org_key
        if family == run.family or stint.start.key > as_of:
            continue  # a destination must be known to have begun by as_of
        if stint.start.key < run.start.key or stint.start.lo > limit:
            continue
        if stint.end is not None and stint.end.hi < end.lo:
            continue
        candidates.append((stint.start.sort_key(), index, stint))
    return min(candidates)[2] if candidates else None  # the earliest start, then file order (no two indexes tie)


def moves_of(graph: Graph, slug: str, as_of: dt.date | None = None) -> tuple[Move, ...]:
    """A person's departures from company families, by date (moves on one date in the
    order of their runs)."""
    return graph.memo(_moves_of, slug, as_of or graph.as_of)


def _moves_of(graph: Graph, slug: str, as_of: dt.date) -> tuple[Move, ...]:
    found = person_moves(graph, graph.people[slug], as_of, list(runs_of(graph, slug, as_of)))
    return tuple(sorted(found, key=lambda m: m.date.sort_key()))


def runs_of(graph: Graph, slug: str, as_of: dt.date | None = None) -> tuple[Run, ...]:
    """A person's runs (stays at one company family), in start order."""
    return graph.memo(_runs_of, slug, as_of or graph.as_of)


def _runs_of(graph: Graph, slug: str, as_of: dt.date) -> tuple[Run, ...]:
    return tuple(runs(graph, graph.people[slug], as_of))


def all_moves(graph: Graph, as_of: dt.date | None = None) -> tuple[Move, ...]:
    """Every move of every person, by date, then by person."""
    return graph.memo(_all_moves, as_of or graph.as_of)


def _all_moves(graph: Graph, as_of: dt.date) -> tuple[Move, ...]:
    found = [move for slug in sorted(graph.people) for move in moves_of(graph, slug, as_of)]
    return tuple(sorted(found, key=lambda m: m.date.sort_key()))  # stable: people stay in slug order


def current_stints(stints: tuple[Stint, ...], as_of: dt.date) -> list[tuple[Stint, Truth]]:
    """Those of a person's stints (career()) that are (or may be) going on at as_of, latest start first."""
    found = [(s, is_open(s, as_of)) for s in stints]
    return sorted(((s, t) for s, t in found if t is not Truth.NO), key=lambda p: p[0].start.sort_key(), reverse=True)


def at(graph: Graph, person: Person, company: str, as_of: dt.date) -> Truth:
    """Is the person at the company (or one of its units) at as_of?"""
    units = graph.subtree(company)
    answers = {is_open(s, as_of) for s in career(graph, person.slug, as_of) if s.company in units}
    if Truth.YES in answers:
        return Truth.YES
    return Truth.MAYBE if Truth.MAYBE in answers else Truth.NO


def within(date: PartialDate, first: dt.date, last: dt.date) -> Truth:
    """Does the date fall in [first, last]?"""
    if date.lo >= first and date.hi <= last:
        return Truth.YES
    if date.hi < first or date.lo > last:
        return Truth.NO
    return Truth.MAYBE
