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
import sys
from dataclasses import dataclass
from typing import Iterable

from atlas.model.dates import EARLIEST, LATEST, PartialDate, add_months, years_between
from atlas.model.records import Person, Stint, quick_pickling
from atlas.model.graph import Graph

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

    @property
    def end(self) -> PartialDate | None:
        return self.last.end


@dataclass(frozen=True, slots=True)
class Move:
    """A person leaving a company family, with where they went first."""

    person: Person
    origin: Stint
    destination: Stint | None
    date: PartialDate
    tenure: Span | None
    founded: bool  # the person is a founder of the destination company
    certain: bool  # the end is surely on or before as_of


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
    """Group a person's stints into runs per company family, in start order."""
    known = sorted((s for s in person.career if s.start.lo <= as_of), key=stint_key)
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
    end = max((s.end for s in run.stints if s.end is not None), key=lambda d: d.sort_key())
    return None if end.lo > as_of else end


def tenure(run: Run, as_of: dt.date) -> Span | None:
    """Time spent in the run: from its dates when both are bounded, else as reported."""
    end = run_end(run, as_of)
    start = run.start
    if end is not None and start.lo != EARLIEST and end.hi != LATEST and end.lo != EARLIEST:
        lo = max(0.0, years_between(start.hi, end.lo))
        hi = years_between(start.lo, end.hi)
        return Span(round(lo, 2), round(hi, 2), f"{(lo + hi) / 2:.1f} years", False)
    reported = next((s.tenure for s in reversed(run.stints) if s.tenure), None)
    if reported is None:
        return None
    n = reported.years
    lo, hi = {"about": (n - 0.5, n + 0.5), "over": (n, n + 1), "under": (n - 0.5, n)}[reported.bound]
    return Span(lo, hi, reported.text, True, reported.bound == "over")


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
                       any(c.slug == destination.company for c in graph.founded.get(person.slug, ())))
        moves.append(Move(person, run.last, destination, end, tenure(run, as_of), founded, end.hi <= as_of))
    return moves


def _destination(run: Run, end: PartialDate, person: Person, graph: Graph, as_of: dt.date) -> Stint | None:
    limit = add_months(min(end.hi, as_of), LOOKAHEAD_MONTHS)
    candidates = []
    for index, stint in enumerate(person.career):
        family = graph.family(stint.company) if stint.company else stint.org_key
        if family == run.family or stint.start.key > as_of:
            continue  # a destination must be known to have begun by as_of
        if stint.start.key < run.start.key or stint.start.lo > limit:
            continue
        if stint.end is not None and stint.end.hi < end.lo:
            continue
        candidates.append((stint.start.sort_key(), index, stint))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


# A memo entry: the person (the very object the moves were computed for), the companies
# they founded, their moves in the order person_moves gives (a list, or packed: see
# pack_moves) and each move's _order.
MemoEntry = tuple[Person, tuple[str, ...], "list[Move] | tuple[object, ...]", tuple[int, ...]]


class MovesMemo:
    """Each person's moves from the previous build, reused while what they are computed
    from is the same: the person (the very object: unchanged files keep theirs), the
    companies they founded, the company families and the date. A long-lived process
    (serve) keeps one; the build cache saves one with the entities it holds (cache.py),
    so that its people are the objects loaded from that cache. Runs are not kept: only a
    company page's arrivals use them, and Moves.runs_of finds those again (reading back
    the 24,000 runs of 10,000 people took longer). The cache saves the moves packed
    (pack_moves), and summaries.Moves unpacks only those a build reads."""

    def __init__(self) -> None:
        self.basis: tuple[dt.date, dict[str, str]] | None = None
        self.people: dict[str, MemoEntry] = {}  # by slug
        self.computed = 0  # people whose moves the last build computed rather than reused

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.computed = 0  # loaded from the cache: this process has computed nothing yet

    def start(self, graph: Graph, as_of: dt.date) -> dict[str, MemoEntry]:
        """The entries that can still be used; the memo is refilled by this build."""
        old, self.people, self.computed = self.people, {}, 0
        basis = (as_of, dict(graph.root))
        if basis != self.basis:
            old = {}
        self.basis = basis
        return old

    def saved(self) -> dict[str, MemoEntry]:
        """The entries as the cache saves them: with packed moves. An entry read back
        from the cache is the very object, so that a delta leaves it out (cache._Store)."""
        return {slug: entry if type(entry[2]) is not list else (entry[0], entry[1], pack_moves(entry[0], entry[2]), entry[3])
                for slug, entry in self.people.items()}


# The values pack_moves writes for each move.
_PACKED = 10


def pack_moves(person: Person, moves: list[Move]) -> tuple[object, ...]:
    """One person's moves as one flat tuple of plain values, their stints by place in the
    person's career: at 10,000 people, reading the build cache back took 0.31 s with
    Move and Span objects and 0.27 s with these."""
    place = {id(stint): i for i, stint in enumerate(person.career)}
    packed: list[object] = []
    for move in moves:
        # A move's date is the end of one of its stints; kept as is if ever it were not.
        end = next((i for i, stint in enumerate(person.career) if stint.end is move.date), move.date)
        span = move.tenure
        packed += (place[id(move.origin)], -1 if move.destination is None else place[id(move.destination)], end,
                   move.founded, move.certain)
        # The texts repeat ('2.5 years'): one string each, which pickle writes once.
        packed += (None,) * 5 if span is None else (span.lo, span.hi, sys.intern(span.text), span.reported, span.lo_open)
    return tuple(packed)


def unpack_moves(person: Person, packed: list[Move] | tuple[object, ...]) -> list[Move]:
    """The moves pack_moves packed for this person (a list of moves is returned as it is)."""
    if type(packed) is list:
        return packed
    career = person.career
    moves = []
    for i in range(0, len(packed), _PACKED):
        origin, destination, end, founded, certain, lo, hi, text, reported, lo_open = packed[i:i + _PACKED]
        moves.append(Move(person, career[origin], None if destination == -1 else career[destination],  # type: ignore[index]
                          career[end].end if type(end) is int else end,  # type: ignore[arg-type]
                          None if lo is None else Span(lo, hi, text, reported, lo_open),  # type: ignore[arg-type]
                          founded, certain))  # type: ignore[arg-type]
    return moves


def person_entries(graph: Graph, as_of: dt.date, runs_by_person: dict[str, list[Run]] | None = None,
                   memo: MovesMemo | None = None) -> dict[str, MemoEntry]:
    """Every person's memo entry, by slug in slug order: reused from `memo` when still
    valid, else computed (and put in the memo). Puts in `runs_by_person`, when given,
    the runs of the people whose moves were computed."""
    entries: dict[str, MemoEntry] = {}
    old = memo.start(graph, as_of) if memo is not None else {}
    for slug in sorted(graph.site.people):
        person = graph.site.people[slug]
        founded = tuple(c.slug for c in graph.founded.get(slug, ())) if memo is not None else ()
        known = old.get(slug)
        if known is None or known[0] is not person or known[1] != founded:
            person_runs = runs(graph, person, as_of)
            found = person_moves(graph, person, as_of, person_runs)
            known = (person, founded, found, tuple(_order(move) for move in found))
            if memo is not None:
                memo.computed += 1
            if runs_by_person is not None:
                runs_by_person[slug] = person_runs
        entries[slug] = known  # the very entry when reused: the cache saves only new ones
    if memo is not None:
        memo.people = entries
    return entries


def in_order(entries: Iterable[tuple[list[Move], tuple[int, ...]]]) -> list[Move]:
    """The moves of (moves, their _orders) pairs given in person order, sorted by date.
    A stable sort by date alone keeps moves on one day by person, and one person's in
    their own order. The memo keeps each move's order: the dates read back from the
    cache have not computed their sort keys."""
    moves: list[Move] = []
    orders: list[int] = []
    for found, order in entries:
        moves += found
        orders += order
    return [moves[i] for i in sorted(range(len(moves)), key=orders.__getitem__)]


def all_moves(graph: Graph, as_of: dt.date, runs_by_person: dict[str, list[Run]] | None = None,
              memo: MovesMemo | None = None) -> list[Move]:
    """Every move of every person, sorted by date then person (see person_entries)."""
    entries = person_entries(graph, as_of, runs_by_person, memo)
    return in_order((unpack_moves(entry[0], entry[2]), entry[3]) for entry in entries.values())


def _order(move: Move) -> int:
    """The move's date's sort_key() as one int, which sorts the same way."""
    day, precision = move.date.sort_key()
    return day.toordinal() * 3 + precision


def current_stints(person: Person, as_of: dt.date) -> list[tuple[Stint, Truth]]:
    """Stints that are (or may be) going on at as_of, latest start first."""
    found = [(s, is_open(s, as_of)) for s in person.career]
    return sorted(((s, t) for s, t in found if t is not Truth.NO), key=lambda p: p[0].start.sort_key(), reverse=True)


def at(graph: Graph, person: Person, company: str, as_of: dt.date) -> Truth:
    """Is the person at the company (or one of its units) at as_of?"""
    units = graph.subtree(company)
    answers = {is_open(s, as_of) for s in person.career if s.company in units}
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


for _cls in (Span, Run, Move):  # saved in the build cache with each person's moves
    quick_pickling(_cls)
