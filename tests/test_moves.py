"""Runs, moves and three-valued answers over partial dates (atlas/moves.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from atlas.model.records import Confidence, Tenure
from atlas.compute import moves as moves_module
from atlas.compute.moves import (Move, Span, Truth, all_moves, at, current_stints, is_open, person_moves, run_end, runs,
                                 runs_of, tenure, weakest, within)

from conftest import AS_OF, company, d, make_graph, person, stint

D = dt.date
COMPANIES = [company("meta"), company("meta-fair", parent="meta"), company("fair-paris", parent="meta-fair"),
             company("mistral-ai"), company("apple"), company("google"), company("google-deepmind", parent="google")]


def graph_of(*people, companies=COMPANIES):
    return make_graph(companies, people)


def moves_of(p, as_of=AS_OF, companies=COMPANIES):
    return person_moves(graph_of(p, companies=companies), p, as_of)


def dest(move):
    return move.destination.org_key if move.destination else None


# --- within / is_open / at: partial dates give MAYBE -------------------------------------

@pytest.mark.parametrize("text, truth", [
    ("2023", Truth.MAYBE),        # the year straddles the window's start
    ("2023-07", Truth.YES),
    ("2023-06", Truth.MAYBE),     # 1 Jun..30 Jun 2023; the window starts on 15 Jun
    ("2022", Truth.NO),
    ("2024-06-02", Truth.NO),
    ("~2024-05", Truth.MAYBE),    # approximately May 2024 may be June 2024
    ("by 2024-01", Truth.MAYBE),  # any time up to January 2024
    ("by 2023-01", Truth.NO),     # surely before the window
    ("2023-06-15", Truth.YES),    # the window's first day is in it
    ("2024-06-01", Truth.YES),    # and its last
    ("2023-06-14", Truth.NO),
    ("2024-06-02", Truth.NO),
    ("~2023-06-12", Truth.MAYBE),  # 9 to 15 Jun: its last day is the window's first
    ("2024-06", Truth.MAYBE),     # its first day is the window's last
])
def test_within_window(text, truth):
    assert within(d(text), D(2023, 6, 15), D(2024, 6, 1)) is truth


@pytest.mark.parametrize("start, end, as_of, truth", [
    ("2020", None, D(2025, 1, 1), Truth.YES),
    ("2026", None, D(2025, 1, 1), Truth.NO),
    ("2025", None, D(2025, 6, 1), Truth.MAYBE),          # began some time in 2025
    ("by 2025-03", None, D(2025, 6, 1), Truth.YES),      # surely begun by then
    ("by 2025-03", None, D(2025, 1, 1), Truth.MAYBE),    # may not have begun yet
    ("2020", "2023-05", D(2025, 1, 1), Truth.NO),
    ("2020", "2025", D(2025, 6, 1), Truth.MAYBE),        # ended some time in 2025
    ("2020", "by 2025-03", D(2025, 6, 1), Truth.NO),     # ended by March
    ("2020", "by 2025-03", D(2025, 1, 1), Truth.MAYBE),  # may have ended already
    ("2020", "2025-07", D(2025, 6, 1), Truth.YES),
    ("2020", "2025-06-01", D(2025, 6, 1), Truth.NO),     # the last day counts as ended
    ("2020", "2025-06-02", D(2025, 6, 1), Truth.YES),    # ends the day after
    ("2020", "2025-06", D(2025, 6, 1), Truth.MAYBE),     # may end on 1 June
    ("2025-06-01", None, D(2025, 6, 1), Truth.YES),      # began that day
    ("2025-06-02", None, D(2025, 6, 1), Truth.NO),
    ("2025", "2026", D(2025, 6, 1), Truth.MAYBE),        # may not have begun yet
])
def test_is_open(start, end, as_of, truth):
    assert is_open(stint("acme", start, end), as_of) is truth


def test_at_counts_units_of_the_company():
    p = person("ada", stint("fair-paris", "2020"))
    g = graph_of(p)
    assert at(g, p, "meta", AS_OF) is Truth.YES
    assert at(g, p, "meta-fair", AS_OF) is Truth.YES
    assert at(g, p, "google", AS_OF) is Truth.NO


def test_at_a_unit_does_not_count_the_parent():
    p = person("ada", stint("meta", "2020"))
    assert at(graph_of(p), p, "meta-fair", AS_OF) is Truth.NO


def test_at_is_yes_when_one_unit_is_sure_and_another_is_not():
    p = person("ada", stint("meta-fair", "2015"), stint("meta", "by 2025-09"))
    assert at(graph_of(p), p, "meta", AS_OF) is Truth.YES


def test_at_with_a_by_start_is_maybe_before_the_bound():
    p = person("ada", stint("meta", "2015", "2024-01"), stint("google", "by 2025-03"))
    g = graph_of(p)
    assert at(g, p, "google", D(2025, 1, 1)) is Truth.MAYBE
    assert at(g, p, "google", D(2025, 4, 1)) is Truth.YES


# --- runs ---------------------------------------------------------------------------------

def test_stints_in_one_family_form_one_run():
    p = person("ada", stint("meta-fair", "2015", "2020-01"), stint("meta", "2020-01", "2023-05"))
    [run] = runs(graph_of(p), p, AS_OF)
    assert run.family == "meta" and len(run.stints) == 2


def test_a_gap_longer_than_grace_splits_runs():
    p = person("ada", stint("meta", "2015", "2018-01"), stint("meta", "2018-06", "2020"))
    assert len(runs(graph_of(p), p, AS_OF)) == 2


def starts_of_runs(*stints):
    p = person("ada", *stints)
    return [[str(s.start) for s in r.stints] for r in runs(graph_of(p), p, AS_OF)]


@pytest.mark.parametrize("start, merged", [
    ("2020-03-02", True),    # 31 days after 31 January
    ("2020-03-03", False),   # 32 days
])
def test_a_stint_beginning_up_to_31_days_after_the_end_continues_the_run(start, merged):
    found = starts_of_runs(stint("meta", "2015", "2020-01"), stint("meta-fair", start))
    assert found == ([["2015", start]] if merged else [["2015"], [start]])


def test_a_stint_while_another_in_the_family_goes_on_continues_the_run():
    assert starts_of_runs(stint("meta-fair", "2015"), stint("meta", "2020-01", "2021")) == [["2015", "2020-01"]]


def test_a_stint_continues_the_latest_stay_in_its_family():
    found = starts_of_runs(stint("meta", "2010", "2011"), stint("meta", "2013", "2014-01"), stint("meta-fair", "2014-02"))
    assert found == [["2010"], ["2013", "2014-02"]]


def test_runs_belong_to_the_person():
    p = person("ada", stint("meta", "2010", "2011"), stint("meta", "2013", "2014-01"), stint("meta-fair", "2014-02"))
    assert [r.person for r in runs(graph_of(p), p, AS_OF)] == [p, p]


@pytest.mark.parametrize("as_of, seen", [
    (D(2020, 6, 1), "2020-06-01"),  # ended that day
    (D(2020, 5, 31), None),         # not yet
])
def test_the_end_of_a_run_is_seen_from_its_day(as_of, seen):
    p = person("ada", stint("meta", "2015", "2020-06-01"))
    [run] = runs(graph_of(p), p, AS_OF)
    end = run_end(run, as_of)
    assert (str(end) if end else None) == seen


def test_stints_starting_after_as_of_are_ignored():
    p = person("ada", stint("meta", "2015"), stint("apple", "2026"))
    assert [r.family for r in runs(graph_of(p), p, AS_OF)] == ["meta"]


# --- moves --------------------------------------------------------------------------------

def test_unit_to_parent_is_not_a_departure():
    p = person("ada", stint("meta-fair", "2015", "2020-01"), stint("meta", "2020-01"))
    assert moves_of(p) == []


def test_leaving_a_family_from_a_unit_is_one_move_to_the_next_stint():
    p = person("ada", stint("fair-paris", "2015", "2019"), stint("meta", "2019", "2023-05"),
               stint("mistral-ai", "2023-05"))
    [move] = moves_of(p)
    assert move.origin.company == "meta" and dest(move) == "mistral-ai"
    assert str(move.date) == "2023-05" and move.certain


def test_destination_is_the_earliest_outside_stint_that_begins_after_the_run_start():
    p = person("ada",
               stint(None, "2010", organization="A university"),  # began before the run: not a destination
               stint("meta", "2015-01", "2023-05"),
               stint("mistral-ai", "2023-06"),
               stint("apple", "2022-06", "2024"))                   # overlaps the run, starts earlier
    [move] = [m for m in moves_of(p) if m.origin.company == "meta"]
    assert dest(move) == "apple"


def test_outside_stint_that_ended_before_the_run_ended_is_not_a_destination():
    p = person("ada", stint("meta", "2015", "2023-05"), stint("apple", "2016", "2017"),
               stint("mistral-ai", "2023-06"))
    meta_moves = [m for m in moves_of(p) if m.origin.company == "meta"]
    assert [dest(m) for m in meta_moves] == ["mistral-ai"]


def test_no_later_stint_means_unknown_destination():
    p = person("ada", stint("meta", "2015", "2023-05"))
    [move] = moves_of(p)
    assert move.destination is None


@pytest.mark.parametrize("start, expected", [
    ("2024-05", "apple"),   # within 12 months of the end of May 2023
    ("2024-07", None),      # more than 12 months later: unknown
    ("2025", None),
])
def test_destination_must_begin_within_twelve_months(start, expected):
    p = person("ada", stint("meta", "2015", "2023-05"), stint("apple", start))
    meta_moves = [m for m in moves_of(p) if m.origin.company == "meta"]
    assert [dest(m) for m in meta_moves] == [expected]


def test_destination_must_have_begun_by_as_of():
    p = person("ada", stint("meta", "2015", "2025-05"), stint("apple", "2025-09"))
    [move] = moves_of(p, as_of=D(2025, 6, 1))
    assert move.destination is None


def test_boomerang_gives_two_runs_and_a_move_each_way():
    p = person("ada", stint("meta", "2015", "2018-03"), stint("google", "2018-04", "2020-12"),
               stint("meta-fair", "2021-06"))
    g = graph_of(p)
    assert [r.family for r in runs(g, p, AS_OF)] == ["meta", "google", "meta"]
    assert [(m.origin.company, dest(m)) for m in person_moves(g, p, AS_OF)] == [
        ("meta", "google"), ("google", "meta-fair")]


def test_a_move_is_the_person_leaving_the_family_from_the_last_stint_of_the_run():
    fair, apple = stint("meta-fair", "2015", "2019"), stint("apple", "2023-06")
    meta = stint("meta", "2019", "2023-05", tenure=Tenure(8, "about", "about 8 years"))
    p = person("ada", fair, meta, apple)
    assert moves_of(p) == [Move(p, meta, apple, d("2023-05"), Span(7.5, 8.5, "about 8 years", True), False, True, "meta")]


@pytest.mark.parametrize("start, found", [
    ("2015-01", "apple"),   # begins on the day the run began
    ("2014-12", None),      # before it
])
def test_a_destination_begins_on_or_after_the_run_began(start, found):
    p = person("ada", stint("meta", "2015-01", "2023-05"), stint("apple", start, "2024"))
    assert [dest(m) for m in moves_of(p) if m.family == "meta"] == [found]


@pytest.mark.parametrize("start, found", [
    ("2024-05-31", "apple"),  # twelve months after 31 May 2023, the latest day of the end
    ("2024-06-01", None),
])
def test_a_destination_begins_no_later_than_twelve_months_after_the_end(start, found):
    p = person("ada", stint("meta", "2015", "2023-05"), stint("apple", start))
    assert [dest(m) for m in moves_of(p)] == [found]


@pytest.mark.parametrize("end, found", [
    ("2023-05-31", "apple"),  # ended the day the run ended: not before
    ("2023-05-30", None),
])
def test_a_destination_has_not_ended_before_the_run_ended(end, found):
    p = person("ada", stint("meta", "2015", "2023-05-31"), stint("apple", "2020", end))
    assert [dest(m) for m in moves_of(p) if m.family == "meta"] == [found]


@pytest.mark.parametrize("start, found", [
    ("2025-06-01", "apple"),  # begins on the as-of date
    ("2025-06", "apple"),     # written as beginning on 1 June
    ("~2025-07", None),       # may have begun in June, but is written as July
    ("by 2025-07", None),     # may not have begun yet
])
def test_a_destination_begins_by_as_of_as_written(start, found):
    p = person("ada", stint("meta", "2015", "2025-05"), stint("apple", start))
    assert [dest(m) for m in moves_of(p)] == [found]


@pytest.mark.parametrize("first, second", [("apple", "google"), ("google", "apple")])
def test_of_two_destinations_beginning_on_one_day_the_first_in_the_file_wins(first, second):
    p = person("ada", stint("meta", "2015", "2023-05"), stint(first, "2023-06"), stint(second, "2023-06"))
    assert [dest(m) for m in moves_of(p) if m.family == "meta"] == [first]


def test_a_move_on_the_as_of_date_is_certain():
    p = person("ada", stint("meta", "2015", "2025-06-01"))
    assert [(str(m.date), m.certain) for m in moves_of(p)] == [("2025-06-01", True)]


def test_moves_to_no_company_or_an_unknown_one_are_not_founding_moves():
    companies = [*COMPANIES, company("anthropic", founders=["ada"])]
    p = person("ada", stint("meta", "2015", "2020"), stint(None, "2020", "2023", organization="A start-up"),
               stint("anthropic", "2021", "2022"))
    assert [(m.family, dest(m), m.founded) for m in moves_of(p, companies=companies)] == [
        ("meta", "~A start-up", False), ("~A start-up", None, False), ("anthropic", None, False)]


def test_moves_and_runs_at_an_earlier_date_are_those_known_then():
    p = person("ada", stint("meta", "2015", "2019-06"), stint("meta-fair", "2019-07"))
    graph = graph_of(p)
    assert moves_module.moves_of(graph, "ada") == () and all_moves(graph) == ()
    then = D(2019, 6, 15)  # FAIR had not begun: the stay at Meta may have ended
    assert [(str(m.date), m.certain) for m in moves_module.moves_of(graph, "ada", then)] == [("2019-06", False)]
    assert [(str(m.date), m.certain) for m in all_moves(graph, then)] == [("2019-06", False)]
    assert [len(r.stints) for r in runs_of(graph, "ada", then)] == [1]
    assert [len(r.stints) for r in runs_of(graph, "ada")] == [2]
    assert person_moves(graph, p, then) == list(moves_module.moves_of(graph, "ada", then))


def test_a_destination_is_as_known_at_as_of():
    p = person("ada", stint("meta", "2015", "2019-06"), stint("apple", "2019-07", "2022"))
    graph = graph_of(p)
    [move] = moves_module.moves_of(graph, "ada", D(2020, 1, 1))
    assert move.destination == stint("apple", "2019-07")  # its end, in 2022, is not known yet


def test_open_run_is_not_a_move():
    p = person("ada", stint("meta", "2015"))
    assert moves_of(p) == []


def test_run_ending_after_as_of_is_not_a_move():
    p = person("ada", stint("meta", "2015", "2025-09"))
    assert moves_of(p, as_of=D(2025, 6, 1)) == []


def test_approximate_end_near_as_of_is_an_uncertain_move():
    p = person("ada", stint("meta", "2015", "~2025-05"))
    [move] = moves_of(p, as_of=D(2025, 6, 1))
    assert not move.certain


def test_by_end_before_as_of_is_a_certain_move():
    p = person("ada", stint("apple", "~2023-05", "by 2025-03"), stint("google-deepmind", "by 2025-03"))
    [move] = moves_of(p)
    assert move.certain and dest(move) == "google-deepmind"


def test_founder_of_the_destination_is_flagged():
    companies = [*COMPANIES[:3], company("mistral-ai", founders=["ada"]), company("apple")]
    p = person("ada", stint("meta", "2015", "2023-05"), stint("mistral-ai", "2023-05"))
    [move] = moves_of(p, companies=companies)
    assert move.founded
    q = person("bob", stint("meta", "2015", "2023-05"), stint("mistral-ai", "2023-05"))
    assert not moves_of(q, companies=companies)[0].founded


def test_organization_without_a_page_is_its_own_family():
    p = person("ada", stint("meta", "2015", "2023-04"), stint(None, "2023-04", "2024", organization="A start-up"),
               stint("google", "2024"))
    assert [(m.origin.org_key, dest(m)) for m in moves_of(p)] == [
        ("meta", "~A start-up"), ("~A start-up", "google")]


# --- current stints and confidence -----------------------------------------------------

def test_current_stints_are_those_that_may_be_going_on_latest_start_first():
    lab, uni = stint("meta", "2015"), stint("apple", "2020")
    old, new = stint("google", "2010", "2012"), stint("mistral-ai", "2025")
    assert current_stints((lab, uni, old, new), AS_OF) == [(new, Truth.MAYBE), (uni, Truth.YES), (lab, Truth.YES)]


@pytest.mark.parametrize("given, weakest_one", [
    ((Confidence.HIGH, None, Confidence.LOW, Confidence.MEDIUM), Confidence.LOW),
    ((Confidence.HIGH, Confidence.MEDIUM), Confidence.MEDIUM),
    ((None, Confidence.HIGH), Confidence.HIGH),
    ((None, None), None),
    ((), None),
])
def test_weakest_confidence_ignores_those_not_given(given, weakest_one):
    assert weakest(*given) is weakest_one


# --- tenure -------------------------------------------------------------------------------

def tenure_of(*stints, as_of=AS_OF):
    p = person("ada", *stints)
    [run] = runs(graph_of(p), p, as_of)
    return tenure(run, as_of)


def test_tenure_from_dates_is_an_interval():
    span = tenure_of(stint("meta", "2015-01", "2023-05"))
    assert not span.reported
    # From the latest start to the earliest end (31 Jan 2015 to 1 May 2023, 3012 days), and
    # from the earliest start to the latest end (1 Jan 2015 to 31 May 2023, 3072 days), in
    # years of 365.25 days to two places (365-day years would give 8.42 at the top).
    assert (span.lo, span.hi) == (round(3012 / 365.25, 2), round(3072 / 365.25, 2)) == (8.25, 8.41)
    assert span.over(8) is Truth.YES and span.over(8.3) is Truth.MAYBE and span.over(9) is Truth.NO


def test_tenure_with_year_dates_is_wide():
    span = tenure_of(stint("meta", "2018", "2023"))
    # 31 Dec 2018 to 1 Jan 2023 is 1462 days: 4.00 years of 365.25 days (4.01 of 365 days).
    assert (span.lo, span.hi) == (round(1462 / 365.25, 2), round(2190 / 365.25, 2)) == (4.0, 6.0)
    assert span.over(5) is Truth.MAYBE


def test_a_reported_tenure_is_shown_as_reported_even_with_dates():
    span = tenure_of(stint("meta", "2020", "2023-04", tenure=Tenure(3, "about", "about 3 years")))
    assert span.reported and (span.lo, span.hi, span.text) == (2.5, 3.5, "about 3 years")


@pytest.mark.parametrize("start, end, text", [
    ("2020-01-01", "2022-10-15", "2.8 years"),  # days: as precise as the dates
    ("2020", "2023-04", "about 3 years"),  # a year's start: 2.25 to 3.33 years, not "2.8"
    ("2020-01", "2020-06", "0.4 years"),
    ("2020", "2020-06", "under a year"),
    ("2016", "2023-05", "about 7 years"),
    ("~2016", "2023-05", "5 to 9 years"),  # about 2016: 5.3 to 8.4 years
])
def test_a_tenure_from_dates_is_worded_at_the_precision_of_the_dates(start, end, text):
    span = tenure_of(stint("meta", start, end))
    assert not span.reported and span.text == text


def test_reported_tenure_is_used_when_the_start_is_a_by_date():
    span = tenure_of(stint("meta", "by 2016", "2023-05", tenure=Tenure(7, "about", "about 7 years")))
    assert span.reported and (span.lo, span.hi, span.text) == (6.5, 7.5, "about 7 years")


def test_tenure_is_unknown_without_dates_or_report():
    assert tenure_of(stint("meta", "by 2016", "2023-05")) is None


@pytest.mark.parametrize("bound, years, threshold, truth", [
    ("about", 5, 5, Truth.MAYBE),   # 'about 5 years' is neither over nor under 5
    ("about", 7, 5, Truth.YES),
    ("about", 3, 5, Truth.NO),
    ("under", 3, 3, Truth.NO),      # 'nearly 3 years' is not over 3
    ("over", 6, 5, Truth.YES),      # '6+ years'
    ("over", 3, 5, Truth.NO),       # '3+ years' is read as 3 to 4 years
    ("over", 5, 5.5, Truth.MAYBE),
])
def test_reported_tenure_against_a_threshold(bound, years, threshold, truth):
    span = tenure_of(stint("meta", "by 2016", "2023-05", tenure=Tenure(years, bound, f"{bound} {years} years")))
    assert span.over(threshold) is truth


def test_reported_over_n_years_is_over_n():
    span = tenure_of(stint("meta", "by 2016", "2023-05", tenure=Tenure(5, "over", "over 5 years")))
    assert span.over(5) is Truth.YES


def test_open_run_tenure_comes_from_the_report():
    span = tenure_of(stint("meta", "2015", tenure=Tenure(10, "about", "about 10 years")))
    assert span.reported


def test_span_mid():
    assert Span(4.0, 6.0, "", False).mid == 5.0


# --- all_moves: one sorted list ---------------------------------------------------------

def _by_date_then_person(moves):
    return sorted(moves, key=lambda m: (m.date.sort_key(), m.person.slug))


def test_all_moves_are_sorted_by_date_then_person():
    # Ties on purpose: two people leaving on one day, one person leaving twice in 2023,
    # and dates of each precision and qualifier around the same days.
    people = [
        person("zoe", stint("meta", "2015", "2023"), stint("apple", "2023-03", "2023-06"), stint("google", "2023-07")),
        person("ada", stint("meta", "2016", "2023-01"), stint("apple", "2023-02", "by 2023-06")),
        person("bob", stint("google", "2010", "~2023"), stint("meta", "2023-05", "2023-01-01")),
        person("cy", stint("apple", "2012", "2023-01-01"), stint("mistral-ai", "2023-02")),
    ]
    graph = graph_of(*people)
    found = all_moves(graph, AS_OF)
    assert len(found) >= 6 and list(found) == _by_date_then_person(found)
    assert sorted(found, key=id) == sorted((m for p in people for m in moves_module.moves_of(graph, p.slug, AS_OF)), key=id)


def test_a_persons_moves_are_by_date_and_computed_once_per_graph():
    zoe = person("zoe", stint("meta", "2015", "2023"), stint("apple", "2023-03", "~2023-06"), stint("google", "2023-07"))
    graph = graph_of(zoe)
    found = moves_module.moves_of(graph, "zoe", AS_OF)
    assert [m.date.sort_key() for m in found] == sorted(m.date.sort_key() for m in found)
    assert found == tuple(person_moves(graph, zoe, AS_OF)) and moves_module.moves_of(graph, "zoe", AS_OF) is found
