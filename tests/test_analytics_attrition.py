"""A paper's authors over time (compute/analytics/attrition.py, docs/definitions.md, "A
paper's authors over time"): who was surely at the family of its developer, who may have
been, and who left, from the release to as_of, on small graphs built in code."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Sequence

from atlas.compute.analytics.attrition import Attrition, attrition
from atlas.compute.graph import Graph
from atlas.model.records import Person

from conftest import company, d, make_graph, model, person, stint

D = dt.date
BASE = [company("meta", name="Meta"), company("meta-fair", parent="meta", name="FAIR"),
        company("google", name="Google"), company("apple", name="Apple")]


def paper(*people: Person, released: str | None = "2023-02-24", as_of: dt.date = D(2024, 1, 15),
          companies: Sequence[str] = ("meta-fair",), authors: Sequence[str] | None = None) -> Graph:
    slugs = [p.slug for p in people] if authors is None else list(authors)
    m = dataclasses.replace(model("p", companies, slugs), released=d(released) if released else None)
    return make_graph(BASE, people, [m], as_of)


def counts(a: Attrition | None) -> list[tuple[dt.date, int, int]]:
    assert a is not None
    return [(s.day, s.low, s.high) for s in a.steps]


def names(a: Attrition | None) -> list[tuple[dt.date, list[str], list[str], list[str], list[str]]]:
    """Each step's day, who was there, who may be, who left and who may have left."""
    assert a is not None
    return [(s.day, *([p.slug for p in group] for group in (s.there, s.maybe, s.gone, s.unsure))) for s in a.steps]


def test_attrition_counts_authors_at_the_family_month_by_month() -> None:
    g = paper(person("ann", stint("meta-fair", "2015")),
              person("ben", stint("meta-fair", "2015", "2023-06-10"), stint("apple", "2023-07")),
              person("cat", stint("meta-fair", "2015", "2023-03"), stint("meta", "2023-03")))  # a unit to the parent: stays
    a = attrition(g, "p")
    assert a.authors == 3 and a.start == D(2023, 2, 24) and a.as_of == D(2024, 1, 15) and not a.imprecise
    assert counts(a) == [(D(2023, 2, 24), 3, 3), (D(2023, 7, 1), 2, 2)]
    assert [p.slug for p in a.steps[1].gone] == ["ben"]


def test_an_approximate_end_is_a_band_and_names_who_may_have_left() -> None:
    g = paper(person("ann", stint("meta-fair", "2015")), person("ben", stint("meta-fair", "2015", "~2023-06")))
    a = attrition(g, "p")
    assert a.imprecise
    assert counts(a) == [(D(2023, 2, 24), 2, 2), (D(2023, 5, 1), 1, 2), (D(2023, 8, 1), 1, 1)]  # ~Jun: May to Jul
    assert [p.slug for p in a.steps[1].unsure] == ["ben"] and [p.slug for p in a.steps[2].gone] == ["ben"]


def test_each_step_names_who_left_and_who_may_have_left_since_the_one_before() -> None:
    g = paper(person("ann", stint("meta-fair", "2015")),
              person("ben", stint("meta-fair", "2015", "~2023-06")),  # there, then may have left (May), then gone (Aug)
              person("cat", stint("meta-fair", "2015", "2023-04-10")),  # there, then gone
              person("dan", stint("meta-fair", "by 2023-02")),  # may be there at the release, surely from March
              authors=["dan", "cat", "ben", "ann"])
    assert names(attrition(g, "p")) == [
        (D(2023, 2, 24), ["cat", "ben", "ann"], ["dan"], [], []),
        (D(2023, 3, 1), ["dan", "cat", "ben", "ann"], [], [], []),
        (D(2023, 5, 1), ["dan", "ann"], ["ben"], ["cat"], ["ben"]),
        (D(2023, 8, 1), ["dan", "ann"], [], ["ben"], [])]


def test_a_month_in_which_one_leaves_and_another_joins_is_a_step_though_the_counts_stay() -> None:
    g = paper(person("ann", stint("meta-fair", "2015", "2023-05-10")),
              person("ben", stint("google", "2015", "2023-05-09"), stint("meta-fair", "2023-05-10")))
    assert names(attrition(g, "p")) == [(D(2023, 2, 24), ["ann"], [], [], []), (D(2023, 6, 1), ["ben"], [], ["ann"], [])]


def test_an_author_never_at_the_company_is_counted_in_n_but_never_there() -> None:
    a = attrition(paper(person("ann", stint("meta-fair", "2015")), person("ext", stint("apple", "2015"))), "p")
    assert a.authors == 2 and [(s.low, s.high) for s in a.steps] == [(1, 1)]


def test_an_author_who_left_and_came_back_is_there_again() -> None:
    ann = person("ann", stint("meta-fair", "2015", "2023-04-10"), stint("apple", "2023-05", "2023-08"),
                 stint("meta-fair", "2023-09-15"))
    assert names(attrition(paper(ann), "p")) == [
        (D(2023, 2, 24), ["ann"], [], [], []), (D(2023, 5, 1), [], [], ["ann"], []), (D(2023, 10, 1), ["ann"], [], [], [])]


def test_a_move_between_units_is_no_gap_and_the_stay_ends_with_the_run() -> None:
    ann = person("ann", stint("meta-fair", "2015", "2023-03"), stint("meta", "2023-03", "2023-10"), stint("apple", "2023-11"))
    assert counts(attrition(paper(ann), "p")) == [(D(2023, 2, 24), 1, 1), (D(2023, 10, 1), 0, 1), (D(2023, 11, 1), 0, 0)]


def test_an_author_who_joins_after_the_release_may_be_there_within_the_month_and_surely_after() -> None:
    g = paper(person("ann", stint("meta-fair", "2015")),
              person("ben", stint("google", "2015", "2023-05"), stint("meta-fair", "2023-06")))
    assert counts(attrition(g, "p")) == [(D(2023, 2, 24), 1, 1), (D(2023, 6, 1), 1, 2), (D(2023, 7, 1), 2, 2)]


def test_a_change_on_the_first_of_a_month_shows_that_day_and_the_last_change_on_as_of() -> None:
    g = paper(person("ann", stint("meta-fair", "2015", "2023-07-01")),  # gone on 1 July itself
              person("ben", stint("meta-fair", "2015", "2024-01-10")),  # gone after the last first of a month
              person("cat", stint("meta-fair", "2015")))
    assert counts(attrition(g, "p")) == [(D(2023, 2, 24), 3, 3), (D(2023, 7, 1), 2, 2), (D(2024, 1, 15), 1, 1)]


def test_the_company_is_the_family_of_the_first_developer() -> None:
    people = (person("ann", stint("meta-fair", "2015")), person("ben", stint("apple", "2015")))
    first = attrition(paper(*people), "p")
    assert (first.company.slug, counts(first)) == ("meta", [(D(2023, 2, 24), 1, 1)])
    other = attrition(paper(*people, companies=("apple", "meta-fair")), "p")
    assert (other.company.slug, counts(other)) == ("apple", [(D(2023, 2, 24), 1, 1)])


def test_a_release_known_to_the_month_starts_on_its_first_day() -> None:
    a = attrition(paper(person("ann", stint("meta-fair", "2015")), released="2023-02"), "p")
    assert (a.start, counts(a)) == (D(2023, 2, 1), [(D(2023, 2, 1), 1, 1)])


def test_a_release_known_only_as_by_a_date_starts_on_its_latest_day() -> None:
    ann = person("ann", stint("meta-fair", "2015"))
    a = attrition(paper(ann, released="by 2023-03"), "p")
    assert (a.start, counts(a)) == (D(2023, 3, 31), [(D(2023, 3, 31), 1, 1)])
    on_as_of = attrition(paper(ann, released="by 2024-01-15"), "p")
    assert (on_as_of.start, counts(on_as_of)) == (D(2024, 1, 15), [(D(2024, 1, 15), 1, 1)])
    assert attrition(paper(ann, released="by 2024-01-16"), "p") is None


def test_a_release_on_as_of_is_one_step() -> None:
    g = paper(person("ann", stint("meta-fair", "2015")), released="2024-01-15")
    assert counts(attrition(g, "p")) == [(D(2024, 1, 15), 1, 1)]


def test_no_curve_for_a_model_released_after_as_of_or_without_authors_or_a_release_date() -> None:
    ann = person("ann", stint("meta-fair", "2015"))
    assert attrition(paper(ann, released="2024-05"), "p") is None
    assert attrition(paper(), "p") is None
    assert attrition(paper(ann, released="by 2024-12"), "p") is None
    assert attrition(paper(ann, released=None), "p") is None
