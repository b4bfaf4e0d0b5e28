"""Computed "who left for where" views: pure functions over the graph and its moves."""
from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from atlas.model.records import AIModel, Company, FundingRound, Money, Person, Stint
from atlas.compute.graph import Graph
from atlas.compute.known import career
from atlas.compute.moves import Move, Span, Truth, all_moves, at, current_stints, moves_of, run_end, runs, runs_of, within

UNKNOWN = ""


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
        company = graph.companies[stint.company]
        return stint.company, company, company.name
    assert stint.organization is not None  # every stint names a company or an organisation (content/schema.py)
    return stint.org_key, None, stint.organization


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


def staff_slugs(graph: Graph, company: str) -> list[str]:
    """Everyone with a stint at the company or one of its units, by slug."""
    return sorted({p.slug for unit in graph.subtree(company) for p, _ in graph.stints_at(unit)})


def departures(graph: Graph, company: str, as_of: dt.date | None = None) -> list[Move]:
    """Moves out of the company's family that left from the company or one of its units."""
    units = graph.subtree(company)
    found = [m for slug in staff_slugs(graph, company) for m in moves_of(graph, slug, as_of) if m.origin.company in units]
    return sorted(found, key=lambda m: (m.date.sort_key(), m.person.slug))


@dataclass(frozen=True)
class Arrival:
    person: Person
    stint: Stint
    origin: Move | None  # the move that brought them; None if no earlier stint is known


def arrivals(graph: Graph, company: str, as_of: dt.date | None = None) -> list[Arrival]:
    """Starts of runs at the company (or its units), with the move that led there."""
    units = graph.subtree(company)
    family = graph.family(company)
    found = []
    for slug in staff_slugs(graph, company):
        person = graph.people[slug]
        incoming = moves_of(graph, slug, as_of)
        for run in runs_of(graph, slug, as_of):
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
    median: tuple[float, float] | None  # the median lies between these (the medians of the lows and of the highs)

    @property
    def reported(self) -> int:
        """How many of the known tenures are as a source reported them (the others are bounded by dates)."""
        return sum(span.reported for _, span in self.known)


def tenure_summary(moves: list[Move], threshold: float = 5.0) -> TenureSummary:
    """The bounds of the median tenure and who was over the threshold, keeping unknowns apart.
    A median of interval midpoints would round the uncertainty away; the median of the
    lowest and of the highest possible tenures bound the true one."""
    known = [(m, m.tenure) for m in moves if m.tenure is not None]
    by_truth: dict[Truth, list[Move]] = defaultdict(list)
    for move, span in known:
        by_truth[span.over(threshold)].append(move)
    median = None
    if known:
        median = (round(statistics.median(s.lo for _, s in known), 1), round(statistics.median(s.hi for _, s in known), 1))
    return TenureSummary(threshold, tuple(known), tuple(m for m in moves if m.tenure is None),
                         tuple(by_truth[Truth.YES]), tuple(by_truth[Truth.MAYBE]), tuple(by_truth[Truth.NO]), median)


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


def diaspora(graph: Graph, model: AIModel, company: str, as_of: dt.date | None = None) -> Diaspora:
    """Where the authors of a model are at as_of, relative to one company."""
    as_of = as_of or graph.as_of
    units = graph.subtree(company)
    rows = []
    for position, slug in enumerate(model.authors, 1):
        person = graph.people[slug]
        status = at(graph, person, company, as_of)
        stints = career(graph, slug, as_of)
        was_there = any(s.company in units for s in stints)
        left = [m for m in moves_of(graph, slug, as_of) if m.origin.company in units]
        first = left[0] if left and status is not Truth.YES else None
        now = current_stints(stints, as_of)
        rows.append(AuthorRow(position, person, status, was_there, first,
                              tuple(s for s, _ in now), all(t is Truth.YES for _, t in now)))
    leavers = [r for r in rows if r.status is not Truth.YES and r.was_there]
    first_groups = group_moves(graph, [r.first_move for r in leavers if r.first_move], "destination")
    return Diaspora(model, graph.companies[company], as_of, tuple(rows),
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
    """Did the person's stay at the company, ongoing at `last`, begin within [first, last]?
    Both may be open: a stay that may have ended by `last` may count (MAYBE), never surely."""
    family = graph.family(company)
    units = graph.subtree(company)
    stays = [run for run in runs(graph, person, last) if run.family == family and any(s.company in units for s in run.stints)]
    if not stays:
        return Truth.NO
    end = run_end(stays[-1], last)  # only the latest stay can go on
    ongoing = Truth.YES if end is None else Truth.NO if end.hi <= last else Truth.MAYBE
    began = within(stays[-1].start, first, last)
    if Truth.NO in (ongoing, began):
        return Truth.NO
    return Truth.YES if ongoing is began is Truth.YES else Truth.MAYBE


@dataclass(frozen=True)
class Flow:
    origin: tuple[str, Company | None, str]
    destination: tuple[str, Company | None, str]
    moves: tuple[Move, ...]

    @property
    def count(self) -> int:
        return len(self.moves)


def flows(graph: Graph) -> tuple[Flow, ...]:
    """Moves between every pair of organisations, largest flow first."""
    return graph.memo(_flows)


def _flows(graph: Graph) -> tuple[Flow, ...]:
    pairs: dict[tuple[str, str], list[Move]] = defaultdict(list)
    ends: dict[str, tuple[str, Company | None, str]] = {}
    for move in all_moves(graph):
        origin = org_label(graph, move.origin)
        destination = org_label(graph, move.destination)
        ends[origin[0]], ends[destination[0]] = origin, destination
        pairs[(origin[0], destination[0])].append(move)
    result = [Flow(ends[a], ends[b], tuple(v)) for (a, b), v in pairs.items()]
    return tuple(sorted(result, key=lambda f: (-f.count, f.origin[2].lower(), f.destination[2].lower())))


@dataclass(frozen=True)
class FundingTotal:
    rounds: tuple[FundingRound, ...]
    by_currency: tuple[Money, ...]
    usd_reported: Money | None  # sum of reported USD equivalents, if every round has one
    latest_valuation: tuple[FundingRound, Money] | None
    unknown: tuple[FundingRound, ...] = ()  # rounds by as_of whose amount is not recorded: the sums are lower bounds


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
    unknown = tuple(sorted((r for r in company.funding if r.date.hi <= as_of and r.amount is None), key=lambda r: r.date.sort_key()))
    return FundingTotal(tuple(sorted(rounds, key=lambda r: r.date.sort_key())),
                        tuple(Money(v, c) for c, v in sorted(sums.items())), usd, latest, unknown)  # type: ignore[arg-type]
