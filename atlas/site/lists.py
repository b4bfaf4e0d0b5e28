"""Site-wide lists split so that no page grows with the whole dataset.

The timeline and the list of moves get one page per year (/timeline/2023/, /moves/2023/)
under an index of years with counts, a year split into pages of YEAR_ROWS when it has more; the flows shown on the home and moves pages are the
largest ones, every name of a flow stays in its year pages and in moves.csv.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

from atlas.compute.moves import Move
from atlas.site.paging import Pager
from atlas.site.sankey import Sankey
from atlas.compute.summaries import Flow
from atlas.compute.timeline import Entry

HOME_FLOWS = 15  # flows in the home page's diagram and table
MOVES_FLOWS = 40  # flows in the moves page's diagram and table
FLOW_NAMES = 20  # names shown per flow in those tables; the rest are counted
SOURCE_HOSTS = 100  # websites listed on the About page; all are in data/sources.csv

T = TypeVar("T")
YearCounts = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TimelineContext:
    """/timeline/: the years, oldest first, with their number of entries."""

    years: YearCounts
    total: int
    by_bound: tuple[Entry, ...] = ()  # entries known only to have happened by some date: in no year


@dataclass(frozen=True)
class TimelineYearContext:
    """/timeline/YYYY/ (and /timeline/YYYY/page/2/, ...): one page of a year's entries, oldest first."""

    year: int
    entries: tuple[Entry, ...]  # this page's
    years: YearCounts
    pager: Pager


@dataclass(frozen=True)
class MovesContext:
    """/moves/: the largest flows, and the years with their number of moves, newest first."""

    total: int  # moves surely made by the as-of date
    flows: tuple[Flow, ...]
    flow_count: int  # all pairs of organisations
    diagram: Sankey | None
    years: YearCounts  # of the moves with a date; those known only by an upper bound are in `by_bound`
    by_bound: tuple[Move, ...] = ()  # moves known only to have happened by some date ('by May 2025')
    uncertain: int = 0  # moves whose dates allow both before and after the as-of date


@dataclass(frozen=True)
class MovesYearContext:
    """/moves/YYYY/ (and /moves/YYYY/page/2/, ...): one page of a year's moves, newest first."""

    year: int
    moves: tuple[Move, ...]  # this page's
    years: YearCounts
    pager: Pager


def by_year(items: Iterable[T], year_of: Callable[[T], int]) -> dict[int, tuple[T, ...]]:
    """Group items by year, keeping their order inside a year; years in ascending order."""
    groups: dict[int, list[T]] = {}
    for item in items:
        groups.setdefault(year_of(item), []).append(item)
    return {year: tuple(groups[year]) for year in sorted(groups)}


def counts(groups: dict[int, tuple[T, ...]], newest_first: bool = False) -> YearCounts:
    years = sorted(groups, reverse=newest_first)
    return tuple((year, len(groups[year])) for year in years)
