"""A paper's attrition curve: how many of its authors were at the credited company, month
by month, from the model's release to the as-of date.

Each author's status on a day is three-valued, over their runs at the family (compute/
moves.py: stints merged across gaps of at most 31 days, so a move between its units is no
gap) as known at the as-of date, with the bounds from the sequence: surely there, surely
not, or cannot tell. The curve gives, on each day, the authors surely there (the low line) and
those who may be (the high line); the band between them is what imprecise dates leave open.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.compute.moves import Run, Truth, is_open, run_end, runs_of
from atlas.model.dates import EARLIEST, add_months
from atlas.model.records import AIModel, Company, Person, Stint


# The derived values are plain functions that the classes make properties of, not
# methods under @property: mutation testing leaves decorated functions alone
# (bench/mutation.md).

def _low(step: AttritionStep) -> int:
    """The authors surely there."""
    return len(step.there)


def _high(step: AttritionStep) -> int:
    """The authors who may be there: surely, or the dates cannot tell."""
    return len(step.there) + len(step.maybe)


@dataclass(frozen=True)
class AttritionStep:
    """From `day` on (until the next step), who of the authors was at the company."""

    day: dt.date
    there: tuple[Person, ...]  # surely at the company
    maybe: tuple[Person, ...]  # the dates cannot tell
    gone: tuple[Person, ...]  # surely no longer there since the step before
    unsure: tuple[Person, ...]  # no longer surely there since the step before, but may be

    low = property(_low)
    high = property(_high)


def _imprecise(curve: Attrition) -> bool:
    """Whether the curve depends on dates the data cannot place (a band anywhere)."""
    return any(s.maybe for s in curve.steps)


@dataclass(frozen=True)
class Attrition:
    model: AIModel
    company: Company  # the family of the model's first developer
    authors: int
    start: dt.date  # the release (its earliest day), or the first day after it that the curve shows
    as_of: dt.date
    steps: tuple[AttritionStep, ...]  # the first at `start`, then one per month in which anything changed

    imprecise = property(_imprecise)


def attrition(graph: Graph, model: str) -> Attrition | None:
    """The attrition curve of a model's paper, or None without authors, a release date
    or a release by the as-of date (a release known only as 'by' a later date included)."""
    return graph.memo(_attrition, model)


def _attrition(graph: Graph, slug: str) -> Attrition | None:
    model = graph.models[slug]
    if not model.authors or model.released is None or not known.released(model, graph.as_of):
        return None
    family = graph.family(model.companies[0])
    start = model.released.lo if model.released.lo != EARLIEST else model.released.hi
    as_of = graph.as_of
    if start > as_of:
        return None  # known only as released by a date after as_of: no day to start from
    stays = {a: [_stay(r, as_of) for r in runs_of(graph, a) if r.family == family] for a in model.authors}
    people = [graph.people[a] for a in model.authors]
    steps: list[AttritionStep] = []
    bounds = [d for found in stays.values() for stay in found for date in (stay.start, stay.end) if date is not None
              for d in (date.lo, date.hi)]
    for day in _days(start, as_of, bounds):
        there, maybe = [], []
        for person in people:
            answers = {is_open(s, day) for s in stays[person.slug]}
            (there if Truth.YES in answers else maybe if Truth.MAYBE in answers else []).append(person)
        if not steps or (tuple(there), tuple(maybe)) != (steps[-1].there, steps[-1].maybe):
            before = steps[-1] if steps else None
            steps.append(_step(day, there, maybe, before))
    return Attrition(model, graph.companies[family], len(people), start, as_of, tuple(steps))


def _stay(run: Run, as_of: dt.date) -> Stint:
    """A run as one stint, from its start to its end (none while it goes on), for is_open."""
    return dataclasses.replace(run.stints[0], end=run_end(run, as_of))


def _step(day: dt.date, there: list[Person], maybe: list[Person], before: AttritionStep | None) -> AttritionStep:
    if before is None:
        return AttritionStep(day, tuple(there), tuple(maybe), (), ())
    gone = tuple(p for p in (*before.there, *before.maybe) if p not in there and p not in maybe)
    unsure = tuple(p for p in maybe if p in before.there)
    return AttritionStep(day, tuple(there), tuple(maybe), gone, unsure)


def _days(start: dt.date, as_of: dt.date, bounds: list[dt.date]) -> list[dt.date]:
    """The release day, as_of, and the first day of every month between them on which a
    status can change: the first of a month on or after a bound of a run's start or end
    (between those, every status stays as it was, so the other months add no step)."""
    days = {start, as_of}
    for bound in bounds:
        first = bound if bound.day == 1 else add_months(dt.date(bound.year, bound.month, 1), 1)
        if start < first <= as_of:
            days.add(first)
    return sorted(days)
