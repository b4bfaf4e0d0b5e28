"""Index pages as pure views: one row per entity, with what the sort and filter controls need.

Without JavaScript the rows are a plain list of links, split into pages of INDEX_ROWS by
name. With it, static/site.js filters one page's rows by kind, company and year and sorts
them, using the data-* attributes the template writes from these fields; the whole list is
searched through the search box.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from atlas.model.records import AIModel, Company, Person
from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.site.paging import INDEX_ROWS, Pager, page_count, pager, rows_of
from atlas.site.urls import site_urls


@dataclass(frozen=True)
class IndexRow:
    entity: Any
    detail: str  # one short line under the name
    kind: str  # company kind or model status; empty for people
    orgs: tuple[str, ...]  # company slugs (with their families) the row is about
    first: int | None  # the years the row spans, for the year filter
    last: int | None
    date: str  # ISO day to sort "newest first" by; empty when unknown


@dataclass(frozen=True)
class IndexContext:
    kind: str
    plural: str  # "People"
    rows: tuple[IndexRow, ...]  # this page's
    pager: Pager  # which rows of the whole list these are
    kinds: tuple[tuple[str, str], ...]  # (value, label) for the kind filter; empty: no filter
    companies: tuple[tuple[str, str], ...]  # (slug, name) for the company filter: those of this page's rows
    years: tuple[int, ...]


def index_pages(graph: Graph, kind: str) -> int:
    """How many pages the index of one kind takes."""
    return page_count(len(graph.memo(by_name, kind)), INDEX_ROWS)


def index_context(graph: Graph, kind: str, number: int = 1) -> IndexContext:
    """Rows of one page of the index of an entity kind, sorted by name, with the filter
    options those rows need."""
    as_of = graph.as_of
    build = {"company": _company_row, "person": _person_row, "model": _model_row}[kind]
    table = graph.table(kind)
    order = graph.memo(by_name, kind)
    page = pager(site_urls(graph).index_path(kind), len(order), number, INDEX_ROWS)
    rows = tuple(build(graph, table[s], as_of) for s in rows_of(order, page))
    kinds = sorted({r.kind for r in rows if r.kind})
    orgs = sorted({o for r in rows for o in r.orgs}, key=lambda s: (graph.companies[s].name.lower(), s)) if kind != "company" else []
    years = sorted({y for r in rows if r.first is not None for y in range(r.first, (r.last or r.first) + 1)}, reverse=True)
    return IndexContext(kind, graph.kinds[kind].plural, rows, page, tuple((k, k.replace("-", " ")) for k in kinds) if len(kinds) > 1 else (),
                        tuple((s, graph.companies[s].name) for s in orgs), tuple(years))


def by_name(graph: Graph, kind: str) -> tuple[str, ...]:
    """The slugs of one kind known at as_of, in the order of their names (an entity that
    begins after as_of is not listed)."""
    table = graph.table(kind)
    listed = [s for s in table if not known.later(graph, kind, s)]
    return tuple(sorted(listed, key=lambda s: (table[s].name.lower(), s)))


def _with_families(graph: Graph, slugs: list[str]) -> tuple[str, ...]:
    return tuple(sorted({x for s in slugs for x in (s, graph.family(s))}))


def _company_row(graph: Graph, company: Company, as_of: dt.date) -> IndexRow:
    first = company.founded.year if company.founded else None
    detail = company.kind.value.replace("-", " ") + (f" · founded {company.founded.display()}" if company.founded else "")
    return IndexRow(company, detail, company.kind.value, (), first, as_of.year if first else None,
                    company.founded.key.isoformat() if company.founded else "")


def _person_row(graph: Graph, person: Person, as_of: dt.date) -> IndexRow:
    stints = sorted(known.career(graph, person.slug), key=lambda s: s.start.sort_key())
    if not stints:
        return IndexRow(person, "", "", (), None, None, "")
    latest = stints[-1]
    org = graph.companies[latest.company].name if latest.company else (latest.organization or "")
    first = min(s.start.key.year for s in stints)
    last = max((as_of if s.end is None or s.end.lo > as_of else s.end.key).year for s in stints)
    detail = f"latest: {org}" + (f", {latest.role}" if latest.role else "")
    return IndexRow(person, detail, "", _with_families(graph, [s.company for s in stints if s.company]),
                    first, last, latest.start.key.isoformat())


def _model_row(graph: Graph, model: AIModel, as_of: dt.date) -> IndexRow:
    makers = ", ".join(graph.companies[c].name for c in model.companies)
    when = model.released.display() if model.released else ""
    year = model.released.year if model.released else None
    return IndexRow(model, f"{makers}{', ' + when if when else ''}", model.status.value,
                    _with_families(graph, list(model.companies)), year, year,
                    model.released.key.isoformat() if model.released else "")
