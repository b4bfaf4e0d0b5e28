"""The analytics parts of entity pages: one context dataclass per page kind, built from
the views in compute/analytics/, which the page's template includes as a partial."""
from __future__ import annotations

from dataclasses import dataclass

from atlas.compute.analytics.boomerangs import Boomerang, boomerangs_at, boomerangs_of
from atlas.compute.analytics.founders import AlumniFounded, FounderOrigin, alumni_founded, origins_of
from atlas.compute.graph import Graph


@dataclass(frozen=True)
class CompanyAnalytics:
    alumni_founded: tuple[AlumniFounded, ...]  # companies its alumni founded (S10)
    founder_origins: tuple[FounderOrigin, ...]  # where its own founders came from
    boomerangs: tuple[Boomerang, ...]  # people who came back to its family (S11)


@dataclass(frozen=True)
class PersonAnalytics:
    boomerangs: tuple[Boomerang, ...]  # the families the person came back to


def company_analytics(graph: Graph, slug: str, later: bool) -> CompanyAnalytics:
    """A company's analytics; a company founded after the as-of date has none yet."""
    if later:
        return CompanyAnalytics((), (), ())
    return CompanyAnalytics(alumni_founded(graph, slug), origins_of(graph, slug), boomerangs_at(graph, slug))


def person_analytics(graph: Graph, slug: str) -> PersonAnalytics:
    return PersonAnalytics(boomerangs_of(graph, slug))
