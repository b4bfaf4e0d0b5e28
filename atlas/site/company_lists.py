"""A company's long lists: its people, departures and arrivals, whole on pages of their own.

A company page lists everyone while a list has at most LIST_LIMIT rows. Past that, the
page shows the latest rows, the largest groups and a count of the whole, and links to the
list's own pages (companies/SLUG/people/, .../departures/, .../arrivals/), COMPANY_ROWS
rows a page, so that no page grows with the company.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.compute.moves import Move, Truth, is_open
from atlas.compute.summaries import Arrival, Group, arrivals, departures
from atlas.compute.timeline import Entry
from atlas.model.records import Company, Person, Stint
from atlas.site.paging import COMPANY_ROWS, Pager, page_count, pager, rows_of
from atlas.site.urls import site_urls

LIST_LIMIT = 80  # rows a company page lists whole; past that, the list gets pages of its own
SHOWN = 30  # rows of a split list shown on the company page (those who joined or left last), and departures in its history
GROUPS_SHOWN = 20  # origins or destinations shown, largest first, when their list is split
NAMES_SHOWN = 8  # names shown per origin or destination, when their list is split
LISTS = ("people", "departures", "arrivals")
TITLES = {"people": "People", "departures": "Departures", "arrivals": "Arrivals"}


@dataclass(frozen=True)
class StaffRow:
    person: Person
    stint: Stint
    current: Truth


@dataclass(frozen=True)
class SplitList:
    """A list too long for the company page: how long it is, and where its pages start."""

    count: int
    path: str  # output path of its first page


@dataclass(frozen=True)
class CompanyLists:
    """Which of a company's lists are split off its page (None: shown whole)."""

    people: SplitList | None
    departures: SplitList | None
    arrivals: SplitList | None
    current: int  # people there now (or perhaps), all of them
    former: int

    @property
    def shown(self) -> int:
        """Rows of a split list shown on the company page."""
        return SHOWN

    @property
    def per_page(self) -> int:
        return COMPANY_ROWS

    @property
    def names(self) -> int | None:
        """Names shown per group of departures or arrivals; None: all of them."""
        return NAMES_SHOWN if self.departures or self.arrivals else None


@dataclass(frozen=True)
class CompanyListContext:
    """One page of one of a company's long lists, newest first (people: by start, current first)."""

    company: Company
    list: str  # "people", "departures" or "arrivals"
    rows: tuple[Any, ...]  # StaffRows, Moves or Arrivals
    pager: Pager


def company_staff(graph: Graph, slug: str) -> tuple[StaffRow, ...]:
    """Every stint at the company or its units begun by as_of, in order of start."""
    return graph.memo(_company_staff, slug)


def _company_staff(graph: Graph, slug: str) -> tuple[StaffRow, ...]:
    # Each person's stints as known at as_of (compute/known.py): begun by then, with the
    # bounds their sequence gives.
    as_of = graph.as_of
    units = graph.subtree(slug)
    people = sorted({p.slug for u in units for p, _ in graph.stints_at(u)})
    staff = [StaffRow(graph.people[p], s, is_open(s, as_of)) for p in people for s in known.career(graph, p) if s.company in units]
    return tuple(sorted(staff, key=lambda r: (r.stint.start.sort_key(), r.person.name)))


def company_departures(graph: Graph, slug: str) -> tuple[Move, ...]:
    return graph.memo(_company_departures, slug)


def _company_departures(graph: Graph, slug: str) -> tuple[Move, ...]:
    return tuple(departures(graph, slug))


def company_arrivals(graph: Graph, slug: str) -> tuple[Arrival, ...]:
    return graph.memo(_company_arrivals, slug)


def _company_arrivals(graph: Graph, slug: str) -> tuple[Arrival, ...]:
    return tuple(arrivals(graph, slug))


def list_path(graph: Graph, slug: str, name: str) -> str:
    """Output path of the first page of one of a company's lists."""
    return site_urls(graph).entity_path("company", slug).replace("/index.html", f"/{name}/index.html")


def list_sizes(graph: Graph, slug: str) -> tuple[tuple[str, int], ...]:
    """The company's lists too long for its page, with their lengths. Departures and
    arrivals are never more than its stints, so they are counted only past LIST_LIMIT."""
    staff = company_staff(graph, slug)
    if len(staff) <= LIST_LIMIT:
        return ()
    sizes = (("people", len(staff)), ("departures", len(company_departures(graph, slug))),
             ("arrivals", len(company_arrivals(graph, slug))))
    return tuple((name, size) for name, size in sizes if size > LIST_LIMIT)


def list_pages(graph: Graph, slug: str) -> tuple[tuple[str, int], ...]:
    """(list, number) of every page of the company's split lists."""
    return tuple((name, n) for name, size in list_sizes(graph, slug) for n in range(1, page_count(size, COMPANY_ROWS) + 1))


def company_lists(graph: Graph, slug: str) -> CompanyLists:
    """Which lists of a company's page are split off, and how many people are there now and were."""
    split = {name: SplitList(size, list_path(graph, slug, name)) for name, size in list_sizes(graph, slug)}
    staff = company_staff(graph, slug)
    current = len({r.person.slug for r in staff if r.current is not Truth.NO})
    former = len({r.person.slug for r in staff if r.current is Truth.NO})
    return CompanyLists(split.get("people"), split.get("departures"), split.get("arrivals"), current, former)


def shown(rows: Sequence[Any], split: SplitList | None) -> tuple[Any, ...]:
    """The rows a company page shows of a list in order of time: all, or the SHOWN latest."""
    return tuple(rows[-SHOWN:] if split else rows)


REPEATED = ("left", "release")  # kinds of history entries a large company has hundreds of


def in_history(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """The entries a company's history shows: all, but of its departures and of its releases
    only the SHOWN latest of each (every one is in its departures list and its models)."""
    seen = {kind: 0 for kind in REPEATED}
    kept = []
    for entry in reversed(entries):
        if entry.kind in seen:
            seen[entry.kind] += 1
            if seen[entry.kind] > SHOWN:
                continue
        kept.append(entry)
    return tuple(reversed(kept))


def shown_groups(groups: Sequence[Group], split: SplitList | None) -> tuple[Group, ...]:
    """The groups of departures or arrivals a company page shows: all, or the largest."""
    return tuple(groups[:GROUPS_SHOWN] if split else groups)


def list_context(graph: Graph, slug: str, name: str, number: int) -> CompanyListContext:
    """One page of a company's list, newest first; people now there before those who left."""
    rows: Sequence[Any]
    if name == "people":
        staff = company_staff(graph, slug)
        rows = [r for r in reversed(staff) if r.current is not Truth.NO] + [r for r in reversed(staff) if r.current is Truth.NO]
    elif name == "departures":
        rows = company_departures(graph, slug)[::-1]
    else:
        rows = sorted(company_arrivals(graph, slug), key=lambda a: (a.stint.start.sort_key(), a.person.slug), reverse=True)
    page = pager(list_path(graph, slug, name), len(rows), number, COMPANY_ROWS)
    return CompanyListContext(graph.companies[slug], name, rows_of(rows, page), page)
