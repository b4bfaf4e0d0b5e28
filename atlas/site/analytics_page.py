"""The site-wide analytics page (/analytics/): net flows between organisations, each
organisation's balance, time to first release and retention, every figure with its people."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from atlas.compute.analytics.netflow import MIN_SUPPORT, RECENT_MONTHS, Balance, PairFlow, net_flows
from atlas.compute.graph import Graph
from atlas.site.analytics_data import CSV_DOCS
from atlas.site.data import Column
from atlas.site.pages import Page

ANALYTICS_PATH = "analytics/index.html"
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


def analytics_page(graph: Graph) -> Page:
    flows = net_flows(graph)
    context = AnalyticsContext(flows.pairs[:PAIRS_SHOWN], len(flows.pairs), flows.balances, flows.since,
                               RECENT_MONTHS, MIN_SUPPORT, CSV_DOCS)
    return Page(ANALYTICS_PATH, "analytics.html", "Talent analytics", context)
