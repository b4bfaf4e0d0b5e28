"""Boomerangs (S11): people with two or more separate runs at one company family.

Runs are the moves' runs (compute/moves.py): stints in one family merged across gaps of
at most 31 days, so a return is a new run that begins more than 31 days after the one
before ended. A return is described by the time away (from the end of the run before to
the start of the return, as an interval) and where the person was in between.
"""
from __future__ import annotations

from dataclasses import dataclass

from atlas.compute.graph import Graph
from atlas.compute.known import career
from atlas.compute.moves import Move, Run, moves_of, runs_of
from atlas.compute.summaries import staff_slugs
from atlas.model.records import Company, Person, Stint
from atlas.compute.analytics.spans import Between, between


@dataclass(frozen=True)
class Return:
    """A return to a family: the run left, the move out of it, the time away, the stints in between."""

    left: Run
    move: Move  # the move that ended the run left
    back: Run
    away: Between  # from the end of the run left to the start of the return
    meanwhile: tuple[Stint, ...]  # the stints outside the family that began from the run left's start to the return's, by start
    certain: bool  # the return surely began by the as-of date


@dataclass(frozen=True)
class Boomerang:
    """A person who came back to a company family, with each return."""

    person: Person
    family: Company
    returns: tuple[Return, ...]


def boomerangs_of(graph: Graph, slug: str) -> tuple[Boomerang, ...]:
    """The families a person returned to, in the order of their first run there."""
    return graph.memo(_boomerangs_of, slug)


def _boomerangs_of(graph: Graph, slug: str) -> tuple[Boomerang, ...]:
    as_of = graph.as_of
    runs = runs_of(graph, slug)
    moves = moves_of(graph, slug)
    found = []
    for family in dict.fromkeys(r.family for r in runs):
        here = [r for r in runs if r.family == family]
        if len(here) < 2 or family not in graph.companies:
            continue  # an organisation without a page is no company family to come back to
        returns = []
        for left, back in zip(here, here[1:]):
            # A run followed by another in its family has ended by as_of (else the next
            # stint would have continued it), so it has a move, dated at its end.
            move = next(m for m in moves if m.origin is left.last)
            meanwhile = tuple(s for s in sorted(career(graph, slug), key=lambda s: s.start.sort_key())
                              if _family(graph, s) != family and left.start.key <= s.start.key <= back.start.key)
            returns.append(Return(left, move, back, between(move.date, back.start), meanwhile, back.start.hi <= as_of))
        found.append(Boomerang(graph.people[slug], graph.companies[family], tuple(returns)))
    return tuple(found)


def _family(graph: Graph, stint: Stint) -> str:
    return graph.family(stint.company) if stint.company else stint.org_key


def boomerangs_at(graph: Graph, company: str) -> tuple[Boomerang, ...]:
    """The people who returned to the company's family after a stay that included the
    company or one of its units, by name."""
    units = graph.subtree(company)
    family = graph.family(company)
    found = []
    for slug in staff_slugs(graph, company):
        for b in boomerangs_of(graph, slug):
            if b.family.slug != family:
                continue
            if any(s.company in units for r in b.returns for run in (r.left, r.back) for s in run.stints):
                found.append(b)
    return tuple(sorted(found, key=lambda b: (b.person.name.lower(), b.person.slug)))
