"""Tenure at departure (docs/definitions.md, "Tenure at departure"): the interval a source's
words or the run's dates give (atlas/compute/moves.py tenure, Span, years_text), how it is
worded, and the summary over a company's moves (atlas/compute/summaries.py tenure_summary)."""
from __future__ import annotations

import datetime as dt

import pytest

from atlas.compute.moves import Move, Run, Span, Truth, runs, tenure, years_text
from atlas.compute.summaries import tenure_summary
from atlas.model.records import Stint, Tenure

from conftest import AS_OF, company, d, make_graph, person, stint

COMPANIES = [company("meta"), company("meta-fair", parent="meta"), company("apple")]


def tenure_of(*stints: Stint, as_of: dt.date = AS_OF) -> Span | None:
    """The tenure of a person's first run."""
    p = person("ada", *stints)
    return tenure(runs(make_graph(COMPANIES, [p]), p, as_of)[0], as_of)


def said(years: float, bound: str, text: str) -> Tenure:
    return Tenure(years, bound, text)


# --- over a threshold: the whole interval above it -------------------------------------------

@pytest.mark.parametrize("span, truth", [
    (Span(5.0, 6.0, "", False), Truth.MAYBE),               # from exactly 5 years: may be 5, not over
    (Span(5.01, 6.0, "", False), Truth.YES),
    (Span(5.0, 6.0, "over 5 years", True, True), Truth.YES),  # 'over 5 years': strictly more than 5
    (Span(4.0, 6.0, "", True, True), Truth.MAYBE),           # open at 4 years, still below 5
    (Span(4.0, 5.0, "", False), Truth.NO),                  # at or below 5 years, the whole interval
    (Span(4.0, 5.01, "", False), Truth.MAYBE),
])
def test_a_tenure_is_over_a_threshold_only_when_its_whole_interval_is_above(span: Span, truth: Truth) -> None:
    assert span.over(5) is truth


# --- as a source reported it -------------------------------------------------------------

@pytest.mark.parametrize("reported, span", [
    (said(3, "about", "about 3 years"), Span(2.5, 3.5, "about 3 years", True)),
    (said(3, "over", "3+ years"), Span(3, 4, "3+ years", True, True)),
    (said(3, "under", "nearly 3 years"), Span(2.5, 3, "nearly 3 years", True)),
])
def test_a_reported_tenure_is_an_interval_in_the_sources_words(reported: Tenure, span: Span) -> None:
    assert tenure_of(stint("meta", "2015", "2023-05", tenure=reported)) == span


def test_the_tenure_reported_on_the_latest_stint_of_the_stay_is_used() -> None:
    found = tenure_of(stint("meta-fair", "2010", "2015", tenure=said(5, "about", "about 5 years")),
                      stint("meta", "2015", "2023-05", tenure=said(13, "about", "about 13 years")),
                      stint("meta-fair", "2023-05", "2023-06"))
    assert found == Span(12.5, 13.5, "about 13 years", True)


# --- from the run's dates ----------------------------------------------------------------

@pytest.mark.parametrize("start, end, span", [
    # from 31 Jan 2015 to 1 May 2023 (3012 days) and from 1 Jan 2015 to 31 May 2023 (3072 days)
    ("2015-01", "2023-05", Span(8.25, 8.41, "8.3 years", False)),
    # from 31 Mar 2018 to 1 May 2023 (1857 days) and from 1 Mar 2018 to 31 May 2023 (1917 days)
    ("2018-03", "2023-05", Span(5.08, 5.25, "5.2 years", False)),
    # the latest start is after the earliest end: no shorter than nothing; 1 Jan to 30 Jun 2020 is 181 days
    ("2020", "2020-06", Span(0.0, 0.5, "under a year", False)),
])
def test_a_tenure_from_dates_runs_from_the_latest_start_to_the_earliest_end_and_back(start: str, end: str, span: Span) -> None:
    assert tenure_of(stint("meta", start, end)) == span


def test_a_tenure_from_dates_is_the_whole_stay_in_the_family() -> None:
    found = tenure_of(stint("meta-fair", "2015-01", "2018-06"), stint("meta", "2018-06", "2023-05"))
    assert found == Span(8.25, 8.41, "8.3 years", False)


def test_the_stay_ends_with_its_latest_end_not_with_its_last_stint() -> None:
    # A stint at Meta held alongside FAIR's ended first; the stay ended with FAIR's.
    found = tenure_of(stint("meta-fair", "2015-01", "2023-05"), stint("meta", "2016", "2020"))
    assert found == Span(8.25, 8.41, "8.3 years", False)


def test_a_stay_without_an_end_or_a_report_has_no_tenure() -> None:
    assert tenure_of(stint("meta", "2015")) is None


def test_an_end_after_as_of_gives_no_tenure_from_dates() -> None:
    assert tenure_of(stint("meta", "2015", "2025-07")) is None


def by_end_run(start: str, end: str) -> Run:
    """A run whose dates no sequence has bounded (career() would bound a 'by' end by the start)."""
    return Run(person("ada"), "meta", (Stint(start=d(start), company="meta", end=d(end)),))


def test_a_tenure_needs_the_earliest_day_of_both_ends() -> None:
    assert tenure(by_end_run("2015", "by 2023-05"), AS_OF) is None
    assert tenure(by_end_run("by 2015", "2023-05"), AS_OF) is None
    assert tenure(by_end_run("2015", "2023-05"), AS_OF) == Span(7.33, 8.41, "about 8 years", False)


# --- worded no more precisely than it is known -------------------------------------------

@pytest.mark.parametrize("lo, hi, text", [
    (1.0, 1.25, "1.1 years"),        # known within a quarter of a year: its middle
    (1.0, 1.26, "about 1 year"),     # just wider: within a year and a half
    (0.0, 1.0, "under a year"),      # at most a year
    (0.5, 1.01, "about 1 year"),
    (2.0, 3.5, "about 3 years"),     # within a year and a half: the nearest whole year to the middle
    (1.9, 3.0, "about 2 years"),     # middle 2.45
    (2.2, 3.2, "about 3 years"),     # middle 2.7
    (2.0, 3.51, "2 to 4 years"),     # wider: whole years around it
    (1.0, 4.2, "1 to 5 years"),
    (0.0, 3.0, "up to 3 years"),     # from less than a year
    (0.9, 2.5, "up to 3 years"),
])
def test_a_tenure_from_dates_is_worded_no_more_precisely_than_it_is_known(lo: float, hi: float, text: str) -> None:
    assert years_text(lo, hi) == text


# --- the summary over a company's departures ---------------------------------------------

def move(slug: str, span: Span | None) -> Move:
    left = stint("meta", "2015", "2023-05")
    return Move(person(slug), left, None, left.end, span, False, True, "meta")  # type: ignore[arg-type]


def test_tenures_are_over_five_years_by_default() -> None:
    moves = [move("a", Span(5.5, 6.5, "", False)), move("b", Span(4.0, 5.0, "", False)), move("c", Span(5.0, 6.5, "", False))]
    summary = tenure_summary(moves)
    assert summary.threshold == 5.0
    assert (summary.over, summary.under, summary.maybe) == ((moves[0],), (moves[1],), (moves[2],))


def test_the_summary_keeps_unknown_tenures_apart_and_every_list_in_the_order_of_the_moves() -> None:
    spans = [Span(7.0, 8.0, "", False), None, Span(6.0, 7.0, "about 6.5 years", True), Span(1.0, 2.0, "", False), None]
    moves = [move(f"p{i}", span) for i, span in enumerate(spans)]
    summary = tenure_summary(moves, 5)
    assert summary.known == ((moves[0], spans[0]), (moves[2], spans[2]), (moves[3], spans[3]))
    assert (summary.over, summary.maybe, summary.under, summary.unknown) == (
        (moves[0], moves[2]), (), (moves[3],), (moves[1], moves[4]))
    assert summary.reported == 1


@pytest.mark.parametrize("spans, median", [
    # the median of the lows (2.04, 3.16, 9.0) and of the highs (3.5, 4.04, 12.0), to one place
    ([(2.04, 3.5), (3.16, 4.04), (9.0, 12.0)], (3.2, 4.0)),
    # an even number: the middle two averaged
    ([(2.0, 4.0), (3.0, 5.0)], (2.5, 4.5)),
    ([(7.26, 8.41)], (7.3, 8.4)),
])
def test_the_median_tenure_lies_between_the_median_of_the_lows_and_of_the_highs(
        spans: list[tuple[float, float]], median: tuple[float, float]) -> None:
    moves = [move(f"p{i}", Span(lo, hi, "", False)) for i, (lo, hi) in enumerate(spans)]
    assert tenure_summary(moves + [move("unknown", None)]).median == median


def test_a_summary_without_a_known_tenure_has_no_median() -> None:
    assert tenure_summary([move("a", None)]).median is None
