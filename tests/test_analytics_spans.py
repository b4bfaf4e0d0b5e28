"""The time between two partial dates (compute/analytics/spans.py): the shortest and longest
it can be, in days, and its wording, no more precise than the dates (docs/definitions.md,
"Time between two dates")."""
from __future__ import annotations

import datetime as dt

from atlas.compute.analytics.spans import Between, between, months_words, years_words

from conftest import d

D = dt.date


# --- between: the shortest and the longest time ---------------------------------------------

def test_between_partial_dates_is_from_the_latest_first_day_to_the_earliest_last_and_back() -> None:
    # Mistral AI, founded in May 2023, released Mistral 7B on 27 September 2023.
    assert between(d("2023-05"), d("2023-09-27")) == Between(119, 149)


def test_between_two_days_is_one_exact_number_of_days() -> None:
    assert between(d("2020-01-01"), d("2020-01-31")) == Between(30, 30)
    assert between(d("2020-01-01"), d("2020-03-01")) == Between(60, 60)  # 2020 is a leap year


def test_between_dates_that_overlap_can_be_no_time_at_all() -> None:
    assert between(d("2023"), d("2023-06-15")) == Between(0, 165)
    assert between(d("2023-06"), d("2023-05")) == Between(0, 0)  # the second surely before the first: no time


def test_a_first_date_known_only_as_by_leaves_the_longest_time_unbounded() -> None:
    assert between(d("by 2023-05"), d("2024-01")) == Between(215, None)  # from 31 May 2023 to 1 Jan 2024 at least
    assert between(d("by 2023-05").bounded(D(2023, 3, 1)), d("2024-01")) == Between(215, 336)  # a bound from the sequence


def test_a_last_date_known_only_as_by_can_be_no_time_after_the_first() -> None:
    assert between(d("2023-05"), d("by 2024-01")) == Between(0, 275)  # 1 May 2023 to 31 Jan 2024


# --- in years --------------------------------------------------------------------------------

def test_years_within_a_quarter_of_a_year_are_given_to_a_tenth() -> None:
    assert years_words(between(d("2014-01-01"), d("2019-01-01"))) == "5.0 years"
    assert years_words(Between(1826, 1917)) == "5.1 years"  # 91 days apart: within a quarter (91.3 days)


def test_years_within_a_year_and_a_half_are_about_the_nearest_whole_year() -> None:
    assert years_words(Between(1826, 1918)) == "about 5 years"  # 92 days apart: more than a quarter
    assert years_words(Between(1000, 1547)) == "about 3 years"  # 547 days apart: within a year and a half (547.9)
    assert years_words(Between(300, 500)) == "about 1 year"


def test_years_further_apart_are_a_range_of_whole_years_around_them() -> None:
    assert years_words(Between(1000, 1548)) == "2 to 5 years"  # 2.7 to 4.2 years
    assert years_words(Between(548, 1461)) == "1 to 4 years"  # 1461 days are exactly 4 years: not rounded up
    assert years_words(between(d("~2020"), d("2025-05"))) == "3 to 7 years"


def test_under_a_year_the_time_is_in_months() -> None:
    assert years_words(Between(119, 149)) == "3 to 5 months"
    assert years_words(Between(350, 365)) == "about 12 months"  # 365 days: just under a year of 365.25
    assert years_words(Between(350, 366)) == "1.0 years"


def test_years_from_an_unbounded_span_say_at_least_or_that_the_time_is_unknown() -> None:
    assert years_words(Between(548, None)) == "at least 1.5 years"
    assert years_words(Between(1826, None)) == "at least 5 years"  # 5.0 (to a tenth) without its '.0'
    assert years_words(Between(1081, None)) == "at least 2.9 years"  # 2.96 years: a lower bound rounds down
    assert years_words(Between(365, None)) == "an unknown time"


def test_at_least_one_year_is_one_year_not_years() -> None:
    assert [years_words(Between(days, None)) for days in (366, 399, 402)] == [
        "at least 1 year", "at least 1 year", "at least 1.1 years"]  # 1.00, 1.092 and 1.1006 years


def test_a_range_that_may_be_under_a_year_is_up_to_its_longest() -> None:
    # Left about 2018 (2017 to 2019), back in March 2020: from 61 days to 3.2 years.
    span = between(d("~2018"), d("2020-03"))
    assert (span, years_words(span)) == (Between(61, 1185), "up to 4 years")


# --- in months -------------------------------------------------------------------------------

def test_months_under_one_month_are_under_a_month() -> None:
    assert months_words(Between(0, 30)) == "under a month"
    assert months_words(Between(0, 31)) == "up to 2 months"  # 31 days: just over a month (30.44 days)


def test_months_within_half_a_month_are_about_the_nearest_whole_month() -> None:
    assert months_words(Between(45, 60)) == "about 2 months"  # 15 days apart: within half a month (15.2)
    assert months_words(Between(20, 35)) == "about 1 month"
    assert months_words(Between(45, 61)) == "1 to 3 months"  # 16 days apart


def test_months_further_apart_are_a_range_of_whole_months_around_them() -> None:
    assert months_words(Between(119, 149)) == "3 to 5 months"
    assert months_words(Between(61, 91)) == "2 to 3 months"  # 91 days are 2.99 months: the longest rounds up to 3
    assert months_words(Between(61, 92)) == "2 to 4 months"  # 92 days are 3.02 months
    assert months_words(Between(10, 100)) == "up to 4 months"  # the shortest under a month


def test_months_from_an_unbounded_span_say_at_least_or_that_the_time_is_unknown() -> None:
    assert [months_words(Between(days, None)) for days in (30, 31, 61, 730)] == [
        "an unknown time", "at least 1 month", "at least 2 months", "at least 23 months"]


def test_an_unbounded_span_of_two_years_or_more_is_in_years() -> None:
    # 'under two years, in months' (docs/definitions.md), also when the longest time is unknown.
    assert [months_words(Between(days, None)) for days in (731, 800)] == ["at least 2 years", "at least 2.1 years"]


def test_two_years_or_more_are_in_years() -> None:
    assert months_words(Between(700, 730)) == "22 to 24 months"  # 730 days: just under 24 months (730.5)
    assert months_words(Between(700, 731)) == "2.0 years"
    assert months_words(Between(1000, 1548)) == "2 to 5 years"
