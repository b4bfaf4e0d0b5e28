"""Time to first release (S14): from a company's founding to its first model's release.

Both dates are intervals, so the time is too (compute/analytics/spans.py). The first model
is the one whose release sorts first; when another's release may have come before it (the
dates overlap), that model is named too.
"""
from __future__ import annotations

from dataclasses import dataclass

from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.compute.analytics.spans import Between, between
from atlas.model.records import AIModel, Company


@dataclass(frozen=True)
class FirstRelease:
    company: Company
    model: AIModel  # the first model released, by its date's sort order
    time: Between  # from the founding to that release
    maybe_first: tuple[AIModel, ...]  # other models whose release may have come before it


def first_release(graph: Graph, company: str) -> FirstRelease | None:
    """The company's (with its units') first release after its founding, or None without a
    founding date or a release by the as-of date."""
    return graph.memo(_first_release, company)


def _first_release(graph: Graph, slug: str) -> FirstRelease | None:
    company = graph.companies[slug]
    as_of = graph.as_of
    if company.founded is None or not known.founded(company, as_of):
        return None
    models = {m.slug: m for unit in sorted(graph.subtree(slug)) for m in graph.models_of(unit)
              if m.released is not None and known.released(m, as_of)}
    dated = sorted(models.values(), key=lambda m: (m.released.sort_key(), m.slug))  # type: ignore[union-attr]
    if not dated:
        return None
    first = dated[0]
    assert first.released is not None
    maybe = tuple(m for m in dated[1:] if m.released is not None and m.released.lo <= first.released.hi)
    return FirstRelease(company, first, between(company.founded, first.released), maybe)


def first_releases(graph: Graph) -> tuple[FirstRelease, ...]:
    """Every company's first release, the fastest (by the shortest possible time) first."""
    return graph.memo(_first_releases)


def _first_releases(graph: Graph) -> tuple[FirstRelease, ...]:
    found = [f for slug in sorted(graph.companies) for f in (first_release(graph, slug),) if f is not None]
    return tuple(sorted(found, key=lambda f: (f.time.lo, f.company.name.lower())))
