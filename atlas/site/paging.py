"""Long lists split into numbered pages, so that no page grows with the dataset.

A list of N rows gets ceil(N / per_page) pages: the first at the list's own address
(people/), the others below it (people/page/2/), as Hugo and Eleventy number them. Every
page links to every other one with plain links, so paging works without JavaScript.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, TypeVar

T = TypeVar("T")

INDEX_ROWS = 200  # people, companies or models on one page of their index
YEAR_ROWS = 200  # timeline entries, or moves, on one page of a year
COMPANY_ROWS = 250  # people, departures or arrivals on one page of a company's full lists


@dataclass(frozen=True)
class PageLink:
    number: int
    path: str  # output path of that page: "people/page/2/index.html"


@dataclass(frozen=True)
class Pager:
    """Where one page sits in its list: which rows it shows, and links to every page."""

    number: int  # this page, from 1
    first: int  # the first row shown, from 1 (0 when the list is empty)
    last: int  # the last row shown
    total: int  # rows in the whole list
    pages: tuple[PageLink, ...]  # every page of the list, this one included

    @property
    def split(self) -> bool:
        return len(self.pages) > 1

    @property
    def previous(self) -> PageLink | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.pages[self.number] if self.number < len(self.pages) else None


def page_count(total: int, per_page: int) -> int:
    """Pages a list of `total` rows needs; an empty list still has its one page."""
    return max(1, -(-total // per_page))


def paged_path(path: str, number: int) -> str:
    """The output path of page `number` of the list at `path`: 'people/index.html', 2 ->
    'people/page/2/index.html'; page 1 is the list's own path."""
    if number == 1:
        return path
    return f"{path.removesuffix('index.html')}page/{number}/index.html"


def pager(path: str, total: int, number: int, per_page: int) -> Pager:
    """Page `number` of a list of `total` rows whose first page is at `path`."""
    count = page_count(total, per_page)
    if not 1 <= number <= count:
        raise ValueError(f"{path}: no page {number} of {count}")
    first = (number - 1) * per_page
    links = tuple(PageLink(n, paged_path(path, n)) for n in range(1, count + 1))
    return Pager(number, first + 1 if total else 0, min(first + per_page, total), total, links)


def rows_of(rows: Sequence[T], page: Pager) -> tuple[T, ...]:
    """The rows a page shows."""
    return tuple(rows[max(page.first - 1, 0):page.last])
