"""The site-wide analytics page (/analytics/): net flows between organisations, each
organisation's balance, time to first release and retention, every figure with its people."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from atlas.compute.analytics.netflow import MIN_SUPPORT, RECENT_MONTHS, Balance, PairFlow, net_flows
from atlas.compute.analytics.releases import FirstRelease, first_releases
from atlas.compute.analytics.retention import MIN_ARRIVALS, Retention, retention
from atlas.compute.graph import Graph
from atlas.site.analytics import retention_chart
from atlas.site.analytics_data import CSV_DOCS
from atlas.site.stepchart import StepChart
from atlas.site.data import Column
from atlas.site.pages import Page
from atlas.site.urls import ANALYTICS_PATH

PAIRS_SHOWN = 60  # pairs of organisations in the table, largest net first; analytics CSVs have all


@dataclass(frozen=True)
class AnalyticsContext:
    pairs: tuple[PairFlow, ...]  # the PAIRS_SHOWN largest
    pair_count: int
    balances: tuple[Balance, ...]  # every organisation with a move in or out, largest net gain first
    since: dt.date  # the first day of the recent window
    recent_months: int
    min_support: int
    downloads: tuple[tuple[str, str, tuple[Column, ...]], ...]  # (file, what it holds, its columns)
    first_releases: tuple[FirstRelease, ...]  # fastest first
    retention: tuple[tuple[Retention, StepChart], ...]  # the companies with at least MIN_ARRIVALS arrivals, by name
    too_few: tuple[Retention, ...]  # those with arrivals, but fewer
    min_arrivals: int


def analytics_page(graph: Graph) -> Page:
    flows = net_flows(graph)
    kept = company_retention(graph)
    context = AnalyticsContext(flows.pairs[:PAIRS_SHOWN], len(flows.pairs), flows.balances, flows.since,
                               RECENT_MONTHS, MIN_SUPPORT, CSV_DOCS, first_releases(graph),
                               tuple((r, retention_chart(r)) for r in kept if r.enough), tuple(r for r in kept if not r.enough),
                               MIN_ARRIVALS)
    return Page(ANALYTICS_PATH, "analytics.html", "Talent analytics", context)


def company_retention(graph: Graph) -> tuple[Retention, ...]:
    """The retention of every company anyone joined, by name."""
    found = [r for slug in sorted(graph.companies) for r in (retention(graph, slug),) if r is not None]
    return tuple(sorted(found, key=lambda r: (r.company.name.lower(), r.company.slug)))
