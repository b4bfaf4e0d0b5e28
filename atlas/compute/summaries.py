"""Computed "who left for where" views: pure functions over the graph and its moves."""
from __future__ import annotations

import datetime as dt
import functools
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator

from atlas.model.records import AIModel, Company, FundingRound, Money, Person, Stint
from atlas.compute.moves import (MemoEntry, Move, MovesMemo, Run, Span, Truth, at, current_stints, in_order, person_entries, runs,
                    unpack_moves, within)
from atlas.model.graph import Graph

UNKNOWN = ""


class _Index(Mapping[str, list[Move]]):
    """A read-only dict of lists of moves, each found on first use by `find` (None: only
    `find_all` can find it); listing its keys finds them all. A key with no moves is not in it."""

    def __init__(self, find: Callable[[str], list[Move] | None], find_all: Callable[[], dict[str, list[Move]]]):
        self._find, self._find_all = find, find_all
        self._found: dict[str, list[Move]] = {}
        self._all: dict[str, list[Move]] | None = None

    def __getitem__(self, key: str) -> list[Move]:
        if self._all is not None:
            return self._all[key]
        found = self._found.get(key)
        if found is None:
            found = self._find(key)
            if found is None:
                return self._every()[key]
            self._found[key] = found
        if not found:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())

    def _every(self) -> dict[str, list[Move]]:
        if self._all is None:
            self._all = self._find_all()
        return self._all


class Moves:
    """All moves at one date, indexed by person and by the companies at either end.

    Everything is found on first use, from each person's memo entry (moves.person_entries):
    after one edit a build renders a few pages again, which read the moves of the people
    of a few companies, so the other people's moves are neither unpacked from the cache
    nor indexed. A company's moves are found among the people with a stint there."""

    def __init__(self, graph: Graph, as_of: dt.date, entries: dict[str, MemoEntry],
                 runs_by_person: dict[str, list[Run]] | None = None):
        self.as_of = as_of
        self.graph = graph
        self.entries = entries  # by slug, in slug order
        self.runs_by_person = runs_by_person or {}  # those computed with the moves; runs_of finds the rest
        self._unpacked: dict[str, list[Move]] = {}
        self.by_person = _Index(self._of_person, lambda: self._index("person"))
        self.from_company = _Index(lambda key: self._at(key, "origin"), lambda: self._index("origin"))
        self.to_company = _Index(lambda key: self._at(key, "destination"), lambda: self._index("destination"))

    @functools.cached_property
    def all(self) -> tuple[Move, ...]:
        """Every move, sorted by date then person."""
        return tuple(in_order((self._moves(slug), entry[3]) for slug, entry in self.entries.items()))

    def runs_of(self, graph: Graph, person: Person) -> list[Run]:
        found = self.runs_by_person.get(person.slug)
        return runs(graph, person, self.as_of) if found is None else found

    def _moves(self, slug: str) -> list[Move]:
        """One person's moves, in the order person_moves gives."""
        found = self._unpacked.get(slug)
        if found is None:
            entry = self.entries[slug]
            found = self._unpacked[slug] = unpack_moves(entry[0], entry[2])
        return found

    def _of_person(self, slug: str) -> list[Move]:
        entry = self.entries.get(slug)
        return [] if entry is None else in_order([(self._moves(slug), entry[3])])

    def _at(self, key: str, end: str) -> list[Move] | None:
        """The moves whose origin (or destination) is at key, in the order of `all`; None
        for an organisation without a page, whose people are not indexed."""
        if key.startswith("~"):
            return None
        pairs = []
        for slug in sorted({person.slug for person, _ in self.graph.stints_at.get(key, ())}):
            entry = self.entries.get(slug)
            if entry is not None:
                kept = [(move, order) for move, order in zip(self._moves(slug), entry[3]) if _key(move, end) == key]
                pairs.append(([move for move, _ in kept], tuple(order for _, order in kept)))
        return in_order(pairs)

    def _index(self, end: str) -> dict[str, list[Move]]:
        """Every move by its person, origin or destination (`end`), scanning them all."""
        index: dict[str, list[Move]] = defaultdict(list)
        for move in self.all:
            key = _key(move, end)
            if key is not None:
                index[key].append(move)
        return dict(index)


def _key(move: Move, end: str) -> str | None:
    """The slug of the move's person, or the key of its origin or destination (if known)."""
    if end == "person":
        return move.person.slug
    stint = move.origin if end == "origin" else move.destination
    return None if stint is None else stint.org_key


def index_moves(graph: Graph, as_of: dt.date, memo: MovesMemo | None = None) -> Moves:
    """Every person's moves, to be indexed on first use, so pages never rescan all people
    (nor, with a memo from the last build, recompute the moves of people who did not change)."""
    person_runs: dict[str, list[Run]] = {}
    return Moves(graph, as_of, person_entries(graph, as_of, person_runs, memo), person_runs)


@dataclass(frozen=True)
class Group:
    """People grouped under one organisation (or under 'unknown')."""

    key: str
    company: Company | None
    label: str
    moves: tuple[Move, ...]

    @property
    def count(self) -> int:
        return len(self.moves)


def org_label(graph: Graph, stint: Stint | None) -> tuple[str, Company | None, str]:
    """Return (key, company, label) for the organisation of a stint."""
    if stint is None:
        return UNKNOWN, None, "Unknown"
    if stint.company:
        company = graph.site.companies[stint.company]
        return stint.company, company, company.name
    return stint.org_key, None, stint.organization or "?"


def group_moves(graph: Graph, moves: list[Move], by: str) -> list[Group]:
    """Group moves by 'destination' or 'origin', largest group first, unknown last."""
    groups: dict[str, list[Move]] = defaultdict(list)
    labels: dict[str, tuple[Company | None, str]] = {}
    for move in moves:
        key, company, label = org_label(graph, move.destination if by == "destination" else move.origin)
        groups[key].append(move)
        labels[key] = (company, label)
    result = [Group(k, labels[k][0], labels[k][1], tuple(v)) for k, v in groups.items()]
    return sorted(result, key=lambda g: (g.key == UNKNOWN, -g.count, g.label.lower()))


def departures(graph: Graph, moves: Moves, company: str) -> list[Move]:
    """Moves out of the company's family that left from the company or one of its units."""
    found = [m for unit in sorted(graph.subtree(company)) for m in moves.from_company.get(unit, ())]
    return sorted(found, key=lambda m: (m.date.sort_key(), m.person.slug))


@dataclass(frozen=True)
class Arrival:
    person: Person
    stint: Stint
    origin: Move | None  # the move that brought them; None if no earlier stint is known


def arrivals(graph: Graph, moves: Moves, company: str) -> list[Arrival]:
    """Starts of runs at the company (or its units), with the move that led there."""
    units = graph.subtree(company)
    family = graph.family(company)
    people = sorted({p.slug for unit in units for p, _ in graph.stints_at.get(unit, ())})
    found = []
    for slug in people:
        person = graph.site.people[slug]
        incoming = moves.by_person.get(slug, [])
        for run in moves.runs_of(graph, person):
            if run.family != family:
                continue
            first = next((s for s in run.stints if s.company in units), None)
            if first is None:
                continue
            origin = next((m for m in incoming if m.destination in run.stints), None)
            found.append(Arrival(person, first, origin))
    return sorted(found, key=lambda a: (a.stint.start.sort_key(), a.person.slug))


@dataclass(frozen=True)
class TenureSummary:
    """Tenure at departure over a set of moves."""

    threshold: float
    known: tuple[tuple[Move, Span], ...]
    unknown: tuple[Move, ...]
    over: tuple[Move, ...]
    maybe: tuple[Move, ...]
    under: tuple[Move, ...]
    median: float | None


def tenure_summary(moves: list[Move], threshold: float = 5.0) -> TenureSummary:
    """Median tenure and who was over the threshold, keeping unknowns apart."""
    known = [(m, m.tenure) for m in moves if m.tenure is not None]
    by_truth: dict[Truth, list[Move]] = defaultdict(list)
    for move, span in known:
        by_truth[span.over(threshold)].append(move)
    median = statistics.median(s.mid for _, s in known) if known else None
    return TenureSummary(threshold, tuple(known), tuple(m for m in moves if m.tenure is None),
                         tuple(by_truth[Truth.YES]), tuple(by_truth[Truth.MAYBE]), tuple(by_truth[Truth.NO]),
                         round(median, 1) if median is not None else None)


@dataclass(frozen=True)
class AuthorRow:
    """One author of a model's paper, seen from the company that published it."""

    position: int
    person: Person
    status: Truth  # YES = remains at the company, NO = left, MAYBE = the data cannot tell
    was_there: bool
    first_move: Move | None
    now: tuple[Stint, ...]
    now_certain: bool


@dataclass(frozen=True)
class Diaspora:
    """'k of n authors remain at <company> as of <date>', and where the others are."""

    model: AIModel
    company: Company
    as_of: dt.date
    rows: tuple[AuthorRow, ...]
    first_groups: tuple[Group, ...]
    now_groups: tuple[tuple[str, Company | None, str, tuple[AuthorRow, ...]], ...]

    @property
    def remain(self) -> tuple[AuthorRow, ...]:
        return tuple(r for r in self.rows if r.status is Truth.YES)

    @property
    def left(self) -> tuple[AuthorRow, ...]:
        return tuple(r for r in self.rows if r.was_there and r.status is Truth.NO)

    @property
    def uncertain(self) -> tuple[AuthorRow, ...]:
        return tuple(r for r in self.rows if r.status is Truth.MAYBE)


def diaspora(graph: Graph, moves: Moves, model: AIModel, company: str) -> Diaspora:
    """Where the authors of a model are at moves.as_of, relative to one company."""
    units = graph.subtree(company)
    rows = []
    for position, slug in enumerate(model.authors, 1):
        person = graph.site.people[slug]
        status = at(graph, person, company, moves.as_of)
        was_there = any(s.company in units for s in person.career)
        left = [m for m in moves.by_person.get(slug, []) if m.origin.company in units]
        first = left[0] if left and status is not Truth.YES else None
        now = current_stints(person, moves.as_of)
        rows.append(AuthorRow(position, person, status, was_there, first,
                              tuple(s for s, _ in now), all(t is Truth.YES for _, t in now)))
    leavers = [r for r in rows if r.status is not Truth.YES and r.was_there]
    first_groups = group_moves(graph, [r.first_move for r in leavers if r.first_move], "destination")
    return Diaspora(model, graph.site.companies[company], moves.as_of, tuple(rows),
                    tuple(first_groups), tuple(_group_now(graph, leavers)))


def _group_now(graph: Graph, rows: list[AuthorRow]) -> list[tuple[str, Company | None, str, tuple[AuthorRow, ...]]]:
    groups: dict[str, list[AuthorRow]] = defaultdict(list)
    labels: dict[str, tuple[Company | None, str]] = {}
    for row in rows:
        key, company, label = org_label(graph, row.now[0] if row.now else None)
        groups[key].append(row)
        labels[key] = (company, label)
    items = [(k, labels[k][0], labels[k][1], tuple(v)) for k, v in groups.items()]
    return sorted(items, key=lambda g: (g[0] == UNKNOWN, -len(g[3]), g[2].lower()))


def joined_within(graph: Graph, person: Person, company: str, first: dt.date, last: dt.date) -> Truth:
    """Did the person's stay at the company, ongoing at `last`, begin within [first, last]?"""
    family = graph.family(company)
    units = graph.subtree(company)
    answers = [within(run.start, first, last) for run in runs(graph, person, last)
               if run.family == family and any(s.company in units for s in run.stints)
               and any(s.end is None or s.end.lo > last for s in run.stints)]
    if not answers:
        return Truth.NO
    return answers[-1]


@dataclass(frozen=True)
class Flow:
    origin: tuple[str, Company | None, str]
    destination: tuple[str, Company | None, str]
    moves: tuple[Move, ...]

    @property
    def count(self) -> int:
        return len(self.moves)


def flows(graph: Graph, moves: Moves) -> list[Flow]:
    """Moves between every pair of organisations, largest flow first."""
    pairs: dict[tuple[str, str], list[Move]] = defaultdict(list)
    ends: dict[str, tuple[str, Company | None, str]] = {}
    for move in moves.all:
        origin = org_label(graph, move.origin)
        destination = org_label(graph, move.destination)
        ends[origin[0]], ends[destination[0]] = origin, destination
        pairs[(origin[0], destination[0])].append(move)
    result = [Flow(ends[a], ends[b], tuple(v)) for (a, b), v in pairs.items()]
    return sorted(result, key=lambda f: (-f.count, f.origin[2].lower(), f.destination[2].lower()))


@dataclass(frozen=True)
class FundingTotal:
    rounds: tuple[FundingRound, ...]
    by_currency: tuple[Money, ...]
    usd_reported: Money | None  # sum of reported USD equivalents, if every round has one
    latest_valuation: tuple[FundingRound, Money] | None


def funding_total(company: Company, as_of: dt.date) -> FundingTotal:
    """Money raised in rounds announced by as_of, per currency, with no silent conversion."""
    rounds = [r for r in company.funding if r.date.hi <= as_of and r.amount is not None]
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for rnd in rounds:
        assert rnd.amount is not None
        sums[rnd.amount.currency] += rnd.amount.amount
    usd = None
    if rounds and all(r.amount_usd or r.amount.currency == "USD" for r in rounds if r.amount):  # type: ignore[union-attr]
        usd = Money(sum(((r.amount_usd or r.amount).amount for r in rounds), Decimal()), "USD")  # type: ignore[union-attr]
    valued = sorted((r for r in company.funding if r.valuation and r.date.hi <= as_of), key=lambda r: r.date.sort_key())
    latest = (valued[-1], valued[-1].valuation) if valued else None
    return FundingTotal(tuple(sorted(rounds, key=lambda r: r.date.sort_key())),
                        tuple(Money(v, c) for c, v in sorted(sums.items())), usd, latest)  # type: ignore[arg-type]
