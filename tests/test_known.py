"""What is known at the as-of date, and the bounds the sequence of stints gives 'by' dates
(atlas/compute/known.py), on small graphs built in code. tests/test_as_of.py checks the
same rules through content folders and whole builds."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.kinds import KINDS
from atlas.model.records import AIModel, Claim, ClaimSource, Company, Event, Person, Site, SiteConfig, Stint, Tenure

from conftest import AS_OF, SOURCE, company, d, funding_round, make_graph, model, person, stint

D = dt.date
EARLIEST = dt.date(1, 1, 1)


def dated(slug: str, founded: str | None = None, parent: str | None = None, **fields: Any) -> Company:
    """A company with a founding date (and any other fields)."""
    return dataclasses.replace(company(slug, parent), founded=d(founded) if founded else None, **fields)


COMPANIES = [dated("lab", "2010"), dated("uni"), dated("apple", "1976"), dated("google", "1998-09"),
             dated("meta", "2004-02"), dated("meta-fair", "2013-12", parent="meta"),
             dated("newco", "2024-09"), dated("newco-lab", "2000", parent="newco")]


def graph_of(*stints: Stint, as_of: dt.date = AS_OF, companies: list[Company] = COMPANIES) -> Graph:
    return make_graph(companies, [person("ada", *stints)], as_of=as_of)


def starts(*stints: Stint) -> list[tuple[str, dt.date, dt.date]]:
    """(organisation, earliest, latest day) of each start, with the bounds from the sequence, in file order."""
    return [(s.org_key, s.start.lo, s.start.hi) for s in known.bounded_career(graph_of(*stints), "ada")]


def ends(*stints: Stint) -> list[tuple[dt.date, dt.date] | None]:
    return [(s.end.lo, s.end.hi) if s.end else None for s in known.bounded_career(graph_of(*stints), "ada")]


def reported(years: float, bound: str = "about") -> Tenure:
    return Tenure(years, bound, f"{bound} {years} years")


# --- what a build at as_of knows of a career -----------------------------------------------

@pytest.mark.parametrize("start, known_then", [
    ("2025-06-01", True),    # begins on the as-of date
    ("2025-06", True),       # may begin on it
    ("~2025-07", True),      # approximately July: may be June
    ("2025-06-02", False),   # surely the day after
    ("2025-07", False),
])
def test_a_stint_is_known_unless_it_surely_begins_after_as_of(start: str, known_then: bool) -> None:
    lab = stint("lab", start)
    assert known.career(graph_of(lab), "ada") == ((lab,) if known_then else ())


def test_the_bounds_from_the_sequence_decide_whether_a_stint_has_begun() -> None:
    # NewCo was founded in September 2024: a stint there 'by May 2025' had not begun in June 2024.
    graph = graph_of(stint("newco", "by 2025-05"), as_of=D(2024, 6, 1))
    assert known.career(graph, "ada") == ()
    assert [s.company for s in known.career(graph, "ada", D(2024, 9, 1))] == ["newco"]


def test_an_end_on_the_as_of_date_is_known_with_its_tenure_and_note() -> None:
    lab = dataclasses.replace(stint("lab", "2015", "2025-06-01", tenure=reported(10)), note="Left for NewCo.")
    assert known.career(graph_of(lab), "ada") == (lab,)


@pytest.mark.parametrize("end", ["2025-06-02", "2025-07", "2026"])
def test_an_end_surely_after_as_of_is_not_known_nor_its_tenure_and_note(end: str) -> None:
    lab = dataclasses.replace(stint("lab", "2015", end, tenure=reported(10), role="Researcher"), note="Left.")
    assert known.career(graph_of(lab), "ada") == (dataclasses.replace(lab, end=None, tenure=None, note=""),)


def test_an_end_that_may_be_after_as_of_is_known() -> None:
    lab = stint("lab", "2015", "2025-06")  # any day of June 2025: perhaps on 1 June
    assert known.career(graph_of(lab), "ada") == (lab,)


def test_career_is_known_at_the_graphs_date_unless_another_is_given() -> None:
    lab, uni = stint("lab", "2015", "2020-06"), stint("uni", "2020-09")
    graph = graph_of(lab, uni)
    assert known.career(graph, "ada") == (lab, uni)
    assert known.career(graph, "ada", D(2020, 1, 1)) == (dataclasses.replace(lab, end=None),)


def test_career_keeps_the_order_of_the_file() -> None:
    uni, lab = stint("uni", "2020"), stint("lab", "2015", "2019")
    assert known.career(graph_of(uni, lab), "ada") == (uni, lab)


def test_a_stint_left_out_does_not_hide_those_after_it_in_the_file() -> None:
    uni, lab = stint("uni", "2026"), stint("lab", "2015", "2019")
    assert known.career(graph_of(uni, lab), "ada") == (lab,)


# --- a 'by' start: after its company was founded -------------------------------------------

def test_a_by_start_is_no_earlier_than_its_companys_founding() -> None:
    assert starts(stint("lab", "by 2020")) == [("lab", D(2010, 1, 1), D(2020, 12, 31))]


def test_a_by_start_at_a_unit_is_no_earlier_than_the_founding_of_the_company_it_is_part_of() -> None:
    # NewCo's lab was 'founded' in 2000, NewCo itself in September 2024: the later one bounds.
    assert starts(stint("newco-lab", "by 2025-05")) == [("newco-lab", D(2024, 9, 1), D(2025, 5, 31))]


def test_a_by_start_at_a_unit_founded_after_its_parent_is_bounded_by_the_unit() -> None:
    assert starts(stint("meta-fair", "by 2020")) == [("meta-fair", D(2013, 12, 1), D(2020, 12, 31))]


def test_a_by_start_without_a_founding_date_or_a_stint_before_is_unbounded() -> None:
    assert starts(stint("uni", "by 2020")) == [("uni", EARLIEST, D(2020, 12, 31))]
    assert starts(stint(None, "by 2020", organization="A lab")) == [("~A lab", EARLIEST, D(2020, 12, 31))]


def test_a_founding_date_that_contradicts_the_start_is_ignored() -> None:
    # NewCo was founded in September 2024; a stint there 'by 2023' contradicts it, and stays unbounded.
    assert starts(stint("newco", "by 2023")) == [("newco", EARLIEST, D(2023, 12, 31))]


# --- a 'by' start: after the stint before it at another organisation -----------------------

def test_a_by_start_is_no_earlier_than_the_end_of_the_stint_before() -> None:
    assert starts(stint("apple", "2012", "2016-03"), stint("uni", "by 2020"))[1] == ("uni", D(2016, 3, 1), D(2020, 12, 31))


def test_a_stint_the_by_start_may_have_preceded_gives_no_bound() -> None:
    # Uni 'by May 2020', left 10 May; Apple from 20 May: Uni may have come first.
    assert starts(stint("apple", "2020-05-20"), stint("uni", "by 2020-05", "2020-05-10"))[1] == (
        "uni", EARLIEST, D(2020, 5, 31))
    # Left on the day Apple began: still perhaps before it.
    assert starts(stint("apple", "2020-05-20"), stint("uni", "by 2020-05", "2020-05-20"))[1] == (
        "uni", EARLIEST, D(2020, 5, 31))
    # Left on the day after: surely after Apple began, so Uni began after Apple did.
    assert starts(stint("apple", "2020-05-20"), stint("uni", "by 2020-05", "2020-05-21"))[1] == (
        "uni", D(2020, 5, 20), D(2020, 5, 31))


def test_the_end_of_the_stint_before_bounds_even_at_an_organisation_without_a_page() -> None:
    assert starts(stint(None, "2012", "2016-03", organization="A lab"), stint(None, "by 2020", organization="B lab"))[1] == (
        "~B lab", D(2016, 3, 1), D(2020, 12, 31))


def test_the_stint_before_is_the_latest_one_at_another_family() -> None:
    # Apple is the stint before FAIR's; the earlier stint at Meta is the same family as FAIR.
    found = starts(stint("uni", "2000", "2005"), stint("apple", "2005", "2016-03"), stint("meta", "2017", "2018"),
                   stint("meta-fair", "by 2020"))
    assert found[3] == ("meta-fair", D(2016, 3, 1), D(2020, 12, 31))


def test_a_stint_before_in_the_same_family_gives_no_bound() -> None:
    assert starts(stint("meta", "2014", "2016-03"), stint("meta-fair", "by 2020"))[1] == (
        "meta-fair", D(2013, 12, 1), D(2020, 12, 31))


def test_the_stint_before_is_found_in_date_order_not_file_order() -> None:
    assert starts(stint("uni", "by 2020"), stint("apple", "2012", "2016-03"))[0] == ("uni", D(2016, 3, 1), D(2020, 12, 31))


def test_the_stint_before_is_the_one_that_sorts_last_before_it() -> None:
    # Apple's '2016' sorts on 1 January, Google's 'June 2016' on 1 June: Google's is the stint
    # before Uni's (though Apple's year ends later), and Google's end bounds Uni's start.
    found = starts(stint("apple", "2016", "2018-06"), stint("google", "2016-06", "2017-03"), stint("uni", "by 2020"))
    assert found[2] == ("uni", D(2017, 3, 1), D(2020, 12, 31))


def test_the_stint_before_is_bounded_first() -> None:
    # Apple's end, 'by 2015', is no earlier than Apple's start in 2012; so Uni began after 2012.
    assert starts(stint("apple", "2012", "by 2015"), stint("uni", "by 2020"))[1] == ("uni", D(2012, 1, 1), D(2020, 12, 31))


def test_a_stint_before_that_ends_on_the_last_day_of_a_by_start_does_not_overlap_it() -> None:
    assert starts(stint("apple", "2012", "2020-05-31"), stint("uni", "by 2020-05"))[1] == (
        "uni", D(2020, 5, 31), D(2020, 5, 31))


@pytest.mark.parametrize("end", [None, "2020-06-01", "2022"])
def test_a_stint_before_that_goes_on_or_overlaps_bounds_by_its_start(end: str | None) -> None:
    assert starts(stint("apple", "2012", end), stint("uni", "by 2020-05"))[1] == ("uni", D(2012, 1, 1), D(2020, 5, 31))


def test_a_by_start_is_bounded_by_the_later_of_the_founding_and_the_stint_before() -> None:
    assert starts(stint("uni", "2000", "2005"), stint("lab", "by 2020"))[1] == ("lab", D(2010, 1, 1), D(2020, 12, 31))
    assert starts(stint("uni", "2000", "2015"), stint("lab", "by 2020"))[1] == ("lab", D(2015, 1, 1), D(2020, 12, 31))


def test_a_concurrent_stint_is_bounded_by_its_founding_only() -> None:
    side = dataclasses.replace(stint("lab", "by 2020"), concurrent=True)
    assert starts(stint("uni", "2000", "2015"), side)[1] == ("lab", D(2010, 1, 1), D(2020, 12, 31))
    elsewhere = dataclasses.replace(stint(None, "by 2020", organization="A board"), concurrent=True)
    assert starts(stint("uni", "2000", "2015"), elsewhere)[1] == ("~A board", EARLIEST, D(2020, 12, 31))


def test_a_between_start_keeps_its_own_floor_when_it_is_later() -> None:
    assert starts(stint("apple", "2012", "2016-03"), stint("uni", "between 2018 and 2020"))[1] == (
        "uni", D(2018, 1, 1), D(2020, 12, 31))
    assert starts(stint("apple", "2012", "2019-03"), stint("uni", "between 2018 and 2020"))[1] == (
        "uni", D(2019, 3, 1), D(2020, 12, 31))


def test_a_start_that_is_not_a_by_date_is_not_bounded() -> None:
    assert starts(stint("apple", "2012", "2019-03"), stint("uni", "~2019"))[1] == ("uni", D(2018, 1, 1), D(2020, 12, 31))


# --- a 'by' end ----------------------------------------------------------------------------

def test_a_by_end_is_no_earlier_than_the_start() -> None:
    assert ends(stint("lab", "2015-04", "by 2020")) == [(D(2015, 4, 1), D(2020, 12, 31))]


def test_a_by_end_after_a_by_start_is_no_earlier_than_the_month_the_person_was_there() -> None:
    # 'by March 2019': there on some day of March 2019 at the latest; the founding says 2010 or later.
    assert ends(stint("lab", "by 2019-03", "by 2020")) == [(D(2019, 3, 1), D(2020, 12, 31))]
    assert ends(stint("lab", "between 2018 and 2019-03", "by 2020")) == [(D(2019, 3, 1), D(2020, 12, 31))]


def test_a_by_end_after_an_approximate_start_is_no_earlier_than_its_earliest_day() -> None:
    assert ends(stint("lab", "~2015", "by 2020")) == [(D(2014, 1, 1), D(2020, 12, 31))]


def test_a_by_end_is_no_earlier_than_the_bound_the_sequence_gives_a_by_start() -> None:
    # Uni began on 31 May 2020, when Apple's stint ended, though 'by May 2020' is written.
    found = ends(stint("apple", "2012", "2020-05-31"), stint("uni", "by 2020-05", "by 2021"))
    assert found[1] == (D(2020, 5, 31), D(2021, 12, 31))


def test_an_end_that_is_not_a_by_date_is_not_bounded() -> None:
    assert ends(stint("lab", "2015", "~2016")) == [(D(2015, 1, 1), D(2017, 12, 31))]


# --- a reported tenure bounds a whole stay -------------------------------------------------

@pytest.mark.parametrize("bound, years, earliest_end", [
    ("about", 7, D(2021, 7, 1)),   # at least 6.5 years: 78 months after 1 January 2015
    ("under", 7, D(2021, 7, 1)),   # 'nearly 7 years': 6.5 too
    ("over", 7, D(2022, 1, 1)),    # more than 7 years
    ("about", 2.6, D(2017, 2, 1)),  # 2.1 years: 25 whole months
])
def test_a_reported_tenure_makes_a_by_end_no_earlier_than_the_start_plus_the_shortest_tenure(
        bound: str, years: float, earliest_end: dt.date) -> None:
    assert ends(stint("lab", "2015", "by 2023", tenure=reported(years, bound))) == [(earliest_end, D(2023, 12, 31))]


@pytest.mark.parametrize("bound, latest_start", [
    ("about", D(2016, 12, 30)),  # the latest end, 30 June 2023, less 6.5 years
    ("over", D(2016, 6, 30)),    # less 7 years
])
def test_a_reported_tenure_makes_a_by_start_no_later_than_the_end_less_the_shortest_tenure(
        bound: str, latest_start: dt.date) -> None:
    assert starts(stint("lab", "by 2023-02", "~2023-05", tenure=reported(7, bound))) == [("lab", D(2010, 1, 1), latest_start)]


def test_a_tenure_shorter_than_half_a_year_bounds_a_by_start_by_the_end_itself() -> None:
    # 'about 0.3 years' allows no time at all: the start is no later than the end, 30 June 2023.
    assert starts(stint("lab", "by 2023-12", "2023-06", tenure=reported(0.3))) == [("lab", D(2010, 1, 1), D(2023, 6, 30))]
    assert ends(stint("lab", "2015-04", "by 2020", tenure=reported(0.3))) == [(D(2015, 4, 1), D(2020, 12, 31))]


def test_a_reported_tenure_of_a_stay_that_goes_on_does_not_bound_its_start() -> None:
    assert starts(stint("lab", "by 2020", tenure=reported(7))) == [("lab", D(2010, 1, 1), D(2020, 12, 31))]


def test_a_reported_tenure_is_not_applied_to_one_of_several_stints_in_the_family() -> None:
    # The tenure is of the whole stay at Meta, which began with the stint at FAIR.
    found = starts(stint("meta-fair", "2012", "2015"), stint("meta", "by 2023-02", "~2023-05", tenure=reported(7)))
    assert found[1] == ("meta", D(2004, 2, 1), D(2023, 2, 28))


def test_a_reported_tenure_of_an_unbounded_by_start_leaves_the_end_bounded_by_the_written_start() -> None:
    assert ends(stint("uni", "by 2019-03", "by 2023", tenure=reported(7))) == [(D(2019, 3, 1), D(2023, 12, 31))]


# --- funding rounds, events, releases, foundings and claims at as_of ------------------------

def event(date: str, title: str) -> Event:
    return Event(date=d(date), title=title, sources=(SOURCE,))


@pytest.mark.parametrize("date, known_then", [
    ("2025-06-01", True), ("2025-06", True), ("by 2025-09", True), ("2025-06-02", False), ("2026", False),
])
def test_rounds_and_events_are_known_unless_surely_after_as_of(date: str, known_then: bool) -> None:
    acme = dated("acme", funding=(funding_round("2020", "USD 1M", "Seed"), funding_round(date, "USD 9M", "A")),
                 events=(event("2020", "Founded"), event(date, "Launch")))
    assert [r.round for r in known.rounds(acme, AS_OF)] == (["Seed", "A"] if known_then else ["Seed"])
    assert [e.title for e in known.events(acme, AS_OF)] == (["Founded", "Launch"] if known_then else ["Founded"])


@pytest.mark.parametrize("date, known_then", [(None, True), ("2025-06-01", True), ("by 2025-09", True),
                                              ("2025-06-02", False)])
def test_a_release_or_founding_is_known_unless_surely_after_as_of(date: str | None, known_then: bool) -> None:
    released = dataclasses.replace(model("m", ["lab"], []), released=d(date) if date else None)
    assert known.released(released, AS_OF) is known_then
    assert known.founded(dated("acme", date), AS_OF) is known_then


def claim(date: dt.date, source_date: str | None) -> Claim:
    return Claim(slug="c", text="All stayed.", src_path="claims/c.yaml", date=date,
                 source=ClaimSource("T", SOURCE, date=d(source_date) if source_date else None))


@pytest.mark.parametrize("date, source_date, made", [
    (AS_OF, "2025-06-01", True), (AS_OF, None, True), (AS_OF, "2025-06", True),
    (D(2025, 6, 2), "2025-05-01", False),  # speaks of a later date
    (D(2025, 5, 1), "2025-06-02", False),  # said later
])
def test_a_claim_is_made_when_its_source_and_the_date_it_speaks_of_are_by_as_of(
        date: dt.date, source_date: str | None, made: bool) -> None:
    assert known.made(claim(date, source_date), AS_OF) is made


def site_graph(companies: list[Company], people: list[Person], models: list[AIModel], claims: list[Claim]) -> Graph:
    tables = {"company": {c.slug: c for c in companies}, "person": {p.slug: p for p in people},
              "model": {m.slug: m for m in models}, "claim": {c.slug: c for c in claims}}
    return Graph(Site(SiteConfig(title="T", as_of=AS_OF), tables), KINDS)


def test_later_names_what_begins_after_as_of() -> None:
    graph = site_graph([dated("acme", "2025-07"), dated("lab", "2025-06")], [person("ada", stint("lab", "2026"))],
                       [dataclasses.replace(model("m1", ["lab"], []), released=d("2025-06-02")),
                        dataclasses.replace(model("m2", ["lab"], []), released=d("2025-06-01"))],
                       [claim(D(2025, 6, 2), None), dataclasses.replace(claim(AS_OF, None), slug="d")])
    assert [(kind, slug) for kind, slug in [("company", "acme"), ("company", "lab"), ("model", "m1"), ("model", "m2"),
                                            ("claim", "c"), ("claim", "d"), ("person", "ada")]
            if known.later(graph, kind, slug)] == [("company", "acme"), ("model", "m1"), ("claim", "c")]


def test_a_company_at_as_of_has_its_known_rounds_and_events_and_founders_once_founded() -> None:
    rounds = (funding_round("2020", "USD 1M", "Seed"), funding_round("2025-07", "USD 9M", "A"))
    events = (event("2025-06-01", "Launch"), event("2025-06-02", "Party"))
    acme = dated("acme", "2019", funding=rounds, events=events, founders=("ada",), summary="A lab.")
    later = dated("newco", "2025-06-02", founders=("ada",))
    graph = make_graph([acme, later], [person("ada", stint("acme", "2019"))])
    assert known.entity_at(graph, "company", "acme") == dataclasses.replace(acme, funding=rounds[:1], events=events[:1])
    assert known.company_at(graph, "newco") == dataclasses.replace(later, founders=())


def test_a_person_at_as_of_has_their_known_career() -> None:
    ada = dataclasses.replace(person("ada", stint("lab", "2015", "2026"), stint("uni", "2026")), summary="Researcher.")
    graph = make_graph(COMPANIES, [ada])
    assert known.entity_at(graph, "person", "ada") == dataclasses.replace(ada, career=(stint("lab", "2015"),))
    assert known.person_at(graph, "ada") == known.entity_at(graph, "person", "ada")


def test_models_and_claims_at_as_of_are_as_written() -> None:
    m = dataclasses.replace(model("m", ["lab"], []), released=d("2026"))
    c = claim(D(2026, 1, 1), None)
    graph = site_graph(COMPANIES, [], [m], [c])
    assert known.entity_at(graph, "model", "m") is m and known.entity_at(graph, "claim", "c") is c
