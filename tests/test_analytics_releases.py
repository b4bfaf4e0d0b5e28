"""Time to first release (S14; compute/analytics/releases.py, docs/definitions.md, "Time to
first release"): from a company's founding to its first model's release, on small graphs
built in code."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Sequence

from atlas.compute.analytics.releases import FirstRelease, first_release, first_releases
from atlas.compute.analytics.spans import Between
from atlas.compute.graph import Graph
from atlas.model.records import AIModel, Company

from conftest import company, d, make_graph, model

D = dt.date
BASE = [company("meta", name="Meta"), company("google", name="Google")]


def released(slug: str, companies: str | Sequence[str], date: str | None) -> AIModel:
    m = model(slug, [companies] if isinstance(companies, str) else companies, [])
    return dataclasses.replace(m, released=d(date) if date else None)


def founded(c: Company, date: str) -> Company:
    return dataclasses.replace(c, founded=d(date))


def releases_graph(*models: AIModel, founded_on: str = "2023-05", as_of: dt.date = D(2025, 6, 1),
                   companies: Sequence[Company] = ()) -> Graph:
    mistral = founded(company("mistral", name="Mistral"), founded_on)
    lab = company("mistral-lab", parent="mistral", name="Mistral Lab")
    return make_graph([*BASE, mistral, lab, *companies], (), models, as_of)


def first(f: FirstRelease | None) -> tuple[str, Between, list[str]]:
    assert f is not None
    return f.model.slug, f.time, [m.slug for m in f.maybe_first]


def test_time_to_first_release_is_an_interval_from_the_founding() -> None:
    g = releases_graph(released("m7b", "mistral", "2023-09-27"), released("mix", "mistral", "2023-12-11"))
    f = first_release(g, "mistral")
    assert (f.company.slug, *first(f)) == ("mistral", "m7b", Between(119, 149), [])


def test_a_unit_s_release_counts_and_an_overlapping_date_may_have_come_first() -> None:
    g = releases_graph(released("a", "mistral", "2023-09"), released("b", "mistral-lab", "2023-09-15"))
    assert first(first_release(g, "mistral")) == ("a", Between(93, 152), ["b"])


def test_a_release_on_the_first_one_s_latest_day_may_have_come_first_and_the_day_after_not() -> None:
    g = releases_graph(released("a", "mistral", "2023-09"), released("b", "mistral", "2023-09-30"),
                       released("c", "mistral", "2023-10-01"))
    assert first(first_release(g, "mistral")) == ("a", Between(93, 152), ["b"])


def test_releases_on_one_day_go_by_slug_and_the_other_may_have_come_first() -> None:
    g = releases_graph(released("zed", "mistral", "2023-09-27"), released("abe", "mistral-lab", "2023-09-27"))
    assert first(first_release(g, "mistral")) == ("abe", Between(119, 149), ["zed"])


def test_a_model_of_the_company_and_its_unit_counts_once() -> None:
    g = releases_graph(released("a", ["mistral", "mistral-lab"], "2023-09"), released("b", "mistral", "2023-09-15"))
    assert first(first_release(g, "mistral")) == ("a", Between(93, 152), ["b"])


def test_only_models_released_by_as_of_count() -> None:
    g = releases_graph(released("undated", "mistral", None), released("later", "mistral", "2025-07"),
                       released("mid", "mistral", "2024-03-01"))
    assert first(first_release(g, "mistral")) == ("mid", Between(275, 305), [])


def test_no_first_release_without_a_founding_date_or_a_release_or_a_founding_by_as_of() -> None:
    assert first_release(releases_graph(released("a", "mistral", "2023-09"), as_of=D(2023, 8, 1)), "mistral") is None
    assert first_release(releases_graph(released("a", "meta", "2023-02")), "meta") is None  # Meta: no founding date here
    assert first_release(releases_graph(released("a", "mistral", "2025-05"), founded_on="2025-07"), "mistral") is None
    assert [f.company.slug for f in first_releases(releases_graph(released("a", "mistral", "2023-09")))] == ["mistral"]


def test_first_releases_are_by_the_shortest_possible_time_then_by_name() -> None:
    companies = [founded(company("x1", name="Beta"), "2020-01-01"), founded(company("x2", name="alpha"), "2020-01-01"),
                 founded(company("x3", name="Zeta"), "2019")]
    models = [released("m1", "x1", "2020-02-01"), released("m2", "x2", "2020-02-01"), released("m3", "x3", "2019-12-31")]
    found = first_releases(releases_graph(*models, companies=companies, founded_on="2023-05"))
    assert [(f.company.slug, f.time) for f in found] == [
        ("x3", Between(0, 364)), ("x2", Between(31, 31)), ("x1", Between(31, 31))]  # no model of Mistral here
