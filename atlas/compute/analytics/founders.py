"""Where founders came from, and the companies a company's alumni founded (S10).

A founder's *origin* is the move that took them to the company they founded: the
organisation of their last stint before it, found with the same rules (and the same
12-month lookahead) as every move. A founder with no such move has no known origin.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.compute.moves import Move, moves_of
from atlas.model.records import Company, Person


@dataclass(frozen=True)
class FounderOrigin:
    """One founder of a company, and the move that took them there (None: no earlier stint recorded)."""

    company: Company
    person: Person
    move: Move | None


@dataclass(frozen=True)
class AlumniFounded:
    """A company founded (among others) by alumni of the company a page is about."""

    company: Company
    founders: tuple[FounderOrigin, ...]  # the founders who came from there, in the company's order


def founder_origins(graph: Graph) -> tuple[FounderOrigin, ...]:
    """Every founder of every company founded by the as-of date, companies by slug, founders in file order."""
    return graph.memo(_founder_origins)


def _founder_origins(graph: Graph) -> tuple[FounderOrigin, ...]:
    return tuple(origin for slug in sorted(graph.companies) for origin in origins_of(graph, slug))


def _move_to(graph: Graph, person: str, company: str) -> Move | None:
    """The person's earliest move whose destination is the company or one of its units."""
    units = graph.subtree(company)
    return next((m for m in moves_of(graph, person) if m.destination and m.destination.company in units), None)


def origins_of(graph: Graph, company: str) -> tuple[FounderOrigin, ...]:
    """Where the company's founders came from, in the order the company lists them (none
    before it was founded)."""
    found = graph.companies[company]
    if not known.founded(found, graph.as_of):
        return ()
    return tuple(FounderOrigin(found, graph.people[p], _move_to(graph, p, company)) for p in found.founders)


def alumni_founded(graph: Graph, departures: list[Move]) -> tuple[AlumniFounded, ...]:
    """Companies founded by people whose last stint before was at a company or one of its
    units, from its departures (compute/summaries.py), by founding date (then name). Read
    from the company's own departures, so the page depends on them only. Each is outside
    the company's family: a move's destination is outside the family it left."""
    groups: dict[str, dict[str, FounderOrigin]] = defaultdict(dict)
    for move in departures:
        joined = move.destination.company if move.destination else None
        if joined is None:
            continue
        for founded in graph.founded(move.person.slug):
            if joined in graph.subtree(founded.slug) and known.founded(founded, graph.as_of):
                groups[founded.slug].setdefault(move.person.slug, FounderOrigin(founded, move.person, move))
    found = [AlumniFounded(graph.companies[slug], _in_order(graph.companies[slug], items)) for slug, items in groups.items()]
    return tuple(sorted(found, key=lambda a: (_founded_key(a.company), a.company.name.lower())))


def _in_order(company: Company, found: dict[str, FounderOrigin]) -> tuple[FounderOrigin, ...]:
    """The founders found, in the order the company lists its founders."""
    return tuple(found[slug] for slug in company.founders if slug in found)


def _founded_key(company: Company) -> tuple:
    return (0, company.founded.sort_key()) if company.founded else (1,)
