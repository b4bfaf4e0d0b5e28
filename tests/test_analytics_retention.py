"""Retention (S7; compute/analytics/retention.py, docs/definitions.md, "Retention"): each
hire's first stay as an interval of lengths, the Kaplan–Meier curves from the shortest and
the longest stays, and the share still there at 12 and 24 months, on small graphs built
in code."""
from __future__ import annotations

import datetime as dt

from atlas.compute.analytics.retention import FOREVER, MIN_ARRIVALS, CurveStep, Rate, Retention, Stay, kaplan_meier, retention
from atlas.compute.graph import Graph
from atlas.model.records import Person

from conftest import company, make_graph, person, stint

D = dt.date
BASE = [company("meta", name="Meta"), company("meta-fair", parent="meta", name="FAIR"),
        company("google", name="Google"), company("apple", name="Apple")]
A, B, C, E = (person(s) for s in "abce")


def hires(*people: Person, as_of: dt.date = D(2025, 6, 1)) -> Graph:
    return make_graph(BASE, people, (), as_of)


def at(g: Graph, slug: str) -> Retention:
    found = retention(g, slug)
    assert found is not None
    return found


def stayers(n: int, start: str = "2020-01-01", prefix: str = "s") -> list[Person]:
    return [person(f"{prefix}{i}", stint("apple", start)) for i in range(n)]


def lengths(s: Stay) -> tuple[float, bool, float, bool]:
    return s.shortest, s.shortest_left, s.longest, s.longest_left


def curve(steps: tuple[CurveStep, ...]) -> list[tuple[float, float, int, str, str]]:
    return [(s.days, s.survival, s.at_risk, "".join(p.slug for p in s.left), "".join(p.slug for p in s.censored)) for s in steps]


# --- the Kaplan–Meier estimate ---------------------------------------------------------------

def test_kaplan_meier_keeps_the_censored_at_risk_until_they_drop_out() -> None:
    steps = kaplan_meier([(100, True, A), (200, False, B), (300, True, C), (400, False, E)])
    assert curve(steps) == [(0, 1.0, 4, "", ""), (100, 0.75, 4, "a", ""), (200, 0.75, 3, "", "b"), (300, 0.375, 2, "c", ""),
                            (400, 0.375, 1, "", "e")]


def test_people_censored_when_others_leave_count_as_at_risk_then() -> None:
    steps = kaplan_meier([(200, True, C), (100, False, B), (100, True, A), (300, False, E)])
    assert curve(steps) == [(0, 1.0, 4, "", ""), (100, 0.75, 4, "a", "b"), (200, 0.375, 2, "c", ""), (300, 0.375, 1, "", "e")]


def test_two_leaving_at_once_take_their_share_together() -> None:
    steps = kaplan_meier([(50, True, A), (50, True, B), (100, False, C), (100, True, E)])
    assert curve(steps) == [(0, 1.0, 4, "", ""), (50, 0.5, 4, "ab", ""), (100, 0.25, 2, "e", "c")]


def test_a_stay_longer_than_any_horizon_has_no_step_but_is_at_risk_throughout() -> None:
    assert curve(kaplan_meier([(FOREVER, False, A), (100, True, B)])) == [(0, 1.0, 2, "", ""), (100, 0.5, 2, "b", "")]


def test_a_departure_on_the_first_day_is_a_step_after_the_start() -> None:
    assert curve(kaplan_meier([(0, True, A), (100, False, B)])) == [
        (0, 1.0, 2, "", ""), (0, 0.5, 2, "a", ""), (100, 0.5, 1, "", "b")]


# --- each hire's stay -----------------------------------------------------------------------

def test_a_stay_going_on_is_censored_at_as_of_from_the_latest_and_the_earliest_start() -> None:
    (stay,) = at(hires(person("ann", stint("apple", "2024"))), "apple").stays
    assert (lengths(stay), stay.end, stay.imprecise) == ((152.0, False, 517.0, False), None, True)  # from 31 Dec and 1 Jan 2024


def test_a_start_that_may_be_after_as_of_is_no_time_yet_on_the_short_reading() -> None:
    (stay,) = at(hires(person("ann", stint("apple", "2025"))), "apple").stays
    assert lengths(stay) == (0.0, False, 151.0, False)
    (today,) = at(hires(person("ann", stint("apple", "2025-06-01"))), "apple").stays
    assert (lengths(today), today.imprecise) == ((0.0, False, 0.0, False), False)


def test_a_stay_that_ended_runs_from_the_latest_start_to_the_earliest_end_and_back() -> None:
    (stay,) = at(hires(person("ann", stint("apple", "2020", "2021"), stint("google", "2021"))), "apple").stays
    assert (lengths(stay), str(stay.end)) == ((1.0, True, 730.0, True), "2021")
    (overlap,) = at(hires(person("ann", stint("apple", "2020", "2020-06"), stint("google", "2020-07"))), "apple").stays
    assert lengths(overlap) == (0.0, True, 181.0, True)  # the end may come before the latest start


def test_an_end_that_may_follow_as_of_is_a_censoring_on_the_long_reading() -> None:
    p = person("ann", stint("apple", "2024-01-01", "~2025-06"), stint("google", "~2025-06"))
    (stay,) = at(hires(p), "apple").stays
    assert lengths(stay) == (486.0, True, 517.0, False)
    exact = person("ann", stint("apple", "2024-01-01", "2025-05"), stint("google", "2025-06"))
    assert lengths(at(hires(exact, as_of=D(2025, 5, 31)), "apple").stays[0]) == (486.0, True, 516.0, True)  # ended by as_of
    (late,) = at(hires(exact, as_of=D(2025, 5, 30)), "apple").stays
    assert (lengths(late), late.imprecise) == ((486.0, True, 515.0, False), True)


def test_an_end_on_as_of_that_may_follow_it_is_imprecise_even_at_one_length() -> None:
    p = person("ann", stint("apple", "2024-06-01", "2025-06"), stint("google", "2025-06"))
    (stay,) = at(hires(p, as_of=D(2025, 6, 1)), "apple").stays
    assert (lengths(stay), stay.imprecise) == ((365.0, True, 365.0, False), True)


def test_a_start_known_only_as_by_a_date_has_no_longest_stay() -> None:
    (stay,) = at(hires(person("ann", stint("apple", "by 2018"))), "apple").stays
    assert lengths(stay) == (2344.0, False, FOREVER, False)


def test_a_hire_counts_from_joining_the_company_to_the_end_of_the_stay_in_its_family() -> None:
    ann = person("ann", stint("meta", "2015", "2020-01"), stint("meta-fair", "2020-01", "2022-01"), stint("google", "2022-02"))
    r = at(hires(ann), "meta-fair")
    ((stay),) = r.stays
    assert (r.company.slug, r.family.slug, stay.joined.company, str(stay.end), lengths(stay)) == (
        "meta-fair", "meta", "meta-fair", "2022-01", (701.0, True, 761.0, True))


def test_too_few_arrivals_is_not_enough_and_a_return_is_no_new_hire() -> None:
    p = person("rob", stint("apple", "2014", "2018"), stint("google", "2018", "2020"), stint("apple", "2021"))
    r = at(hires(p, person("sam", stint("apple", "2022"))), "apple")
    assert [(s.person.slug, str(s.joined.start), str(s.end)) for s in r.stays] == [
        ("rob", "2014", "2018"), ("sam", "2022", "None")]
    assert not r.enough and r.minimum == MIN_ARRIVALS == 5


def test_retention_is_given_from_five_arrivals() -> None:
    assert (at(hires(*stayers(5)), "apple").enough, at(hires(*stayers(4)), "apple").enough) == (True, False)


def test_no_retention_where_nobody_joined() -> None:
    assert retention(hires(person("ann", stint("google", "2020"))), "apple") is None


def test_stays_are_by_the_date_joined_then_by_slug() -> None:
    people = [person("ann", stint("apple", "2021")), person("cy", stint("apple", "2020-03")),
              person("ben", stint("apple", "2020-03")), person("al", stint("apple", "2020-03-01"))]
    assert [s.person.slug for s in at(hires(*people), "apple").stays] == ["ben", "cy", "al", "ann"]


# --- the share still there at 12 and 24 months ---------------------------------------------

def test_retention_at_12_and_24_months_with_censored_recent_hires() -> None:
    people = stayers(3)
    people += [person("l1", stint("apple", "2020-01-01", "2020-07-01"), stint("google", "2020-07-02")),  # left after 6 months
               person("l2", stint("apple", "2020-01-01", "2021-07-01"), stint("google", "2021-07-02")),  # after 18
               person("new", stint("apple", "2025-01-01"))]  # joined 5 months ago: censored
    r = at(hires(*people), "apple")
    assert r.enough and not r.imprecise and [s.person.slug for s in r.censored] == ["s0", "s1", "s2", "new"]
    assert r.rates == (Rate(12, 0.8, 0.8, 4, 4), Rate(24, (1 - 1 / 5) * (1 - 1 / 4), (1 - 1 / 5) * (1 - 1 / 4), 3, 3))


def test_the_curves_are_the_estimates_from_the_shortest_and_from_the_longest_stays() -> None:
    people = [person("ann", stint("apple", "2020-01-01", "2020-07-01"), stint("google", "2020-08")),  # 182 days
              person("ben", stint("apple", "2020", "2021"), stint("google", "2021-03")),  # 1 to 730 days
              person("cy", stint("apple", "2025-01-01"))]  # 151 days, going on
    r = at(hires(*people), "apple")
    assert curve(r.low) == [
        (0.0, 1.0, 3, "", ""), (1.0, 1 - 1 / 3, 3, "ben", ""), (151.0, 1 - 1 / 3, 2, "", "cy"), (182.0, 0.0, 1, "ann", "")]
    assert curve(r.high) == [
        (0.0, 1.0, 3, "", ""), (151.0, 1.0, 3, "", "cy"), (182.0, 0.5, 2, "ann", ""), (730.0, 0.0, 1, "ben", "")]


def test_a_departure_on_the_horizon_s_last_day_counts_before_it() -> None:
    # 365 days is within 12 months (365.25 days); 366 is not. 730 days is within 24 months (730.5).
    people = stayers(2, "2019-01-01") + [
        person("d365", stint("apple", "2019-01-01", "2020-01-01"), stint("google", "2020-02")),
        person("d366", stint("apple", "2019-01-01", "2020-01-02"), stint("google", "2020-02")),
        person("d730", stint("apple", "2019-01-01", "2020-12-31"), stint("google", "2021-02"))]
    kept = (1 - 1 / 5) * (1 - 1 / 4) * (1 - 1 / 3)
    assert at(hires(*people), "apple").rates == (Rate(12, 0.8, 0.8, 4, 4), Rate(24, kept, kept, 2, 2))


def test_imprecise_dates_give_a_band_and_an_end_that_may_follow_as_of_is_censored_on_the_high_side() -> None:
    people = stayers(4)
    people.append(person("x", stint("apple", "2020", "~2021"), stint("google", "~2021")))  # 0 to 3 years
    r = at(hires(*people), "apple")
    assert r.imprecise and r.rates == (Rate(12, 0.8, 1.0, 4, 5), Rate(24, 0.8, 1.0, 4, 5))
    late = at(hires(person("y", stint("apple", "2024-01-01", "~2025-06"))), "apple")
    (stay,) = late.stays
    assert stay.shortest_left and not stay.longest_left


def test_no_follow_up_to_the_horizon_gives_no_rate() -> None:
    r = at(hires(*stayers(5, "2025-01-01", "n")), "apple")
    assert r.rates == (Rate(12, None, None, 0, 0), Rate(24, None, None, 0, 0))


def test_everyone_gone_before_the_horizon_is_none_retained_not_unknown() -> None:
    people = [person(f"l{i}", stint("apple", "2020-01-01", "2020-03-01"), stint("google", "2020-04")) for i in range(5)]
    assert at(hires(*people), "apple").rates == (Rate(12, 0.0, 0.0, 0, 0), Rate(24, 0.0, 0.0, 0, 0))


def test_stays_longer_than_any_horizon_are_followed_at_every_horizon() -> None:
    r = at(hires(*(person(f"b{i}", stint("apple", "by 2018")) for i in range(5))), "apple")
    assert r.rates == (Rate(12, 1.0, 1.0, 5, 5), Rate(24, 1.0, 1.0, 5, 5))
    assert [s.days for s in r.high] == [0.0]  # no step but the start
