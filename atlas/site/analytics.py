"""The analytics parts of entity pages: one context dataclass per page kind, built from
the views in compute/analytics/, which the page's template includes as a partial."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from atlas.compute.analytics.boomerangs import Boomerang, boomerangs_at, boomerangs_of
from atlas.compute.analytics.founders import AlumniFounded, FounderOrigin, alumni_founded, origins_of
from atlas.compute.analytics.attrition import Attrition, attrition
from atlas.compute.analytics.netflow import CompanyFlows, company_flows
from atlas.compute.analytics.releases import FirstRelease, first_release
from atlas.compute.analytics.retention import DAYS_PER_MONTH, FOREVER, CurveStep, Retention, retention
from atlas.compute.graph import Graph
from atlas.compute.moves import Move
from atlas.site.stepchart import StepChart, StepPoint, step_chart


@dataclass(frozen=True)
class CompanyAnalytics:
    alumni_founded: tuple[AlumniFounded, ...]  # companies its alumni founded (S10)
    founder_origins: tuple[FounderOrigin, ...]  # where its own founders came from
    boomerangs: tuple[Boomerang, ...]  # people who came back to its family (S11)
    flows: CompanyFlows  # net flows with each other organisation (S5, S6)
    first_release: FirstRelease | None  # from its founding to its first model (S14)
    retention: Retention | None  # of the people who joined it (S7); None when nobody did (its chart: analytics page)


@dataclass(frozen=True)
class PersonAnalytics:
    boomerangs: tuple[Boomerang, ...]  # the families the person came back to


@dataclass(frozen=True)
class ModelAnalytics:
    attrition: Attrition | None  # its paper's authors at the company, month by month
    chart: StepChart | None  # the attrition curve drawn


def company_analytics(graph: Graph, slug: str, later: bool, inflow: list[Move], outflow: list[Move]) -> CompanyAnalytics:
    """A company's analytics, from the moves that brought its arrivals and its departures;
    a company founded after the as-of date has none yet."""
    if later:
        return CompanyAnalytics((), (), (), CompanyFlows((), (), (), ()), None, None)
    return CompanyAnalytics(alumni_founded(graph, outflow), origins_of(graph, slug), boomerangs_at(graph, slug),
                            company_flows(graph, slug, inflow, outflow), first_release(graph, slug), retention(graph, slug))


def person_analytics(graph: Graph, slug: str) -> PersonAnalytics:
    return PersonAnalytics(boomerangs_of(graph, slug))


def model_analytics(graph: Graph, slug: str) -> ModelAnalytics:
    curve = attrition(graph, slug)
    return ModelAnalytics(curve, attrition_chart(curve) if curve else None)


def attrition_chart(curve: Attrition) -> StepChart:
    """The curve over days since the release, with a tick at each new year."""
    start = curve.start.toordinal()
    points = [StepPoint(s.day.toordinal() - start, s.low, s.high) for s in curve.steps]
    end = curve.as_of.toordinal() - start
    years = range(curve.start.year + 1, curve.as_of.year + 1)
    x_ticks = [(dt.date(y, 1, 1).toordinal() - start, str(y)) for y in years]
    n = curve.authors
    y_ticks = [(v, str(v)) for v in sorted({0, n // 2, n})]
    return step_chart(points, max(end, 1), n, x_ticks, y_ticks)


RETENTION_MONTHS = 36  # the longest the retention chart shows


def retention_chart(found: Retention) -> StepChart:
    """The low and high survival curves over months since joining, up to RETENTION_MONTHS
    or the longest time anyone was followed."""
    finite = [d for s in found.stays for d in (s.shortest, s.longest) if d != FOREVER]
    longest = RETENTION_MONTHS * DAYS_PER_MONTH
    end = longest if len(finite) < 2 * len(found.stays) else min(longest, max(finite, default=longest))
    times = sorted({s.days for s in (*found.low, *found.high) if s.days <= end})
    points = [StepPoint(t, low, high) for t, low, high in zip(times, _survival(found.low, times), _survival(found.high, times))]
    x_ticks = [(m * DAYS_PER_MONTH, f"{m} mo") for m in range(0, RETENTION_MONTHS + 1, 12) if m * DAYS_PER_MONTH <= end]
    return step_chart(points, max(end, 1.0), 1.0, x_ticks, [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")])


def _survival(curve: tuple[CurveStep, ...], times: list[float]) -> list[float]:
    """The curve's survival at each of the times (in order), in one pass over both."""
    found, i = [], 0
    for t in times:
        while i + 1 < len(curve) and curve[i + 1].days <= t:
            i += 1
        found.append(curve[i].survival)
    return found
