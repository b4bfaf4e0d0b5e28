"""Partial dates: parsing, the interval each form covers, display and month arithmetic."""
from __future__ import annotations

import datetime as dt

import pytest

from atlas.model.dates import EARLIEST, PartialDate, Qualifier, add_months, years_between

D = dt.date


@pytest.mark.parametrize("text, fields", [
    ("2023", (2023, None, None, Qualifier.EXACT)),
    ("2023-05", (2023, 5, None, Qualifier.EXACT)),
    ("2023-05-27", (2023, 5, 27, Qualifier.EXACT)),
    ("~2023-05", (2023, 5, None, Qualifier.APPROX)),
    ("by 2025-03", (2025, 3, None, Qualifier.BY)),
    ("by  2025", (2025, None, None, Qualifier.BY)),
    ("  2023-05  ", (2023, 5, None, Qualifier.EXACT)),
    ("2024-02-29", (2024, 2, 29, Qualifier.EXACT)),
    ("1800-01-01", (1800, 1, 1, Qualifier.EXACT)),    # the first year accepted
    ("2200-12-31", (2200, 12, 31, Qualifier.EXACT)),  # the last
])
def test_parse_accepts_each_form(text, fields):
    date = PartialDate.parse(text)
    assert (date.year, date.month, date.day, date.qualifier) == fields


@pytest.mark.parametrize("text, precision", [("2023", "year"), ("2023-05", "month"), ("2023-05-27", "day")])
def test_precision_follows_what_was_written(text, precision):
    assert PartialDate.parse(text).precision == precision


@pytest.mark.parametrize("text, message", [
    ("2023-13", "'2023-13' has month 13; months run from 01 to 12"),
    ("2023-00", "'2023-00' has month 0; months run from 01 to 12"),
    ("2023-02-31", "'2023-02-31' has day 31; Feb 2023 has 28 days"),
    ("2023-02-29", "'2023-02-29' has day 29; Feb 2023 has 28 days"),
    ("2023-04-31", "'2023-04-31' has day 31; Apr 2023 has 30 days"),
    ("0999", "'0999' is outside the years 1000 to 2999; is the year right?"),
    ("3000", "'3000' is outside the years 1000 to 2999; is the year right?"),
])
def test_parse_rejects_impossible_dates_with_a_specific_message(text, message):
    """Years before 1000 or after 2999 are typos; between, unlikely years are only warnings."""
    with pytest.raises(ValueError) as err:
        PartialDate.parse(text)
    assert str(err.value) == message


@pytest.mark.parametrize("text", ["May 2023", "2023-5", "23", "2023/05", "~ 2023", "by2023", "before 2023",
                                  "2023-05-27T10:00", "", "~by 2023"])
def test_parse_rejects_other_forms_and_lists_the_accepted_ones(text):
    with pytest.raises(ValueError) as err:
        PartialDate.parse(text)
    assert str(err.value).startswith(f"'{text}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    assert "'~'" in str(err.value) and "'by '" in str(err.value)


@pytest.mark.parametrize("text", ["２０２３", "٢٠٢٣-٠٥"])
def test_parse_rejects_non_ascii_digits(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


@pytest.mark.parametrize("text, lo, hi, key", [
    ("2023", D(2023, 1, 1), D(2023, 12, 31), D(2023, 1, 1)),
    ("2023-05", D(2023, 5, 1), D(2023, 5, 31), D(2023, 5, 1)),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), D(2024, 2, 1)),
    ("2023-05-27", D(2023, 5, 27), D(2023, 5, 27), D(2023, 5, 27)),
    # '~' widens by one unit of precision on each side; the key stays at the written start.
    ("~2023", D(2022, 1, 1), D(2024, 12, 31), D(2023, 1, 1)),
    ("~2023-05-27", D(2023, 5, 24), D(2023, 5, 30), D(2023, 5, 27)),
    # A widened month spans whole months: it ends on the last day of the next one (31 May,
    # where 30 April plus a month would be the 30th; 31 March after a leap February).
    ("~2023-04", D(2023, 3, 1), D(2023, 5, 31), D(2023, 4, 1)),
    ("~2024-02", D(2024, 1, 1), D(2024, 3, 31), D(2024, 2, 1)),
    ("~2023-01", D(2022, 12, 1), D(2023, 2, 28), D(2023, 1, 1)),
    # 'by' means no later than: anything up to the end of the written span.
    ("by 2023", EARLIEST, D(2023, 12, 31), D(2023, 12, 31)),
    ("by 2025-03", EARLIEST, D(2025, 3, 31), D(2025, 3, 31)),
    ("by 2025-05-26", EARLIEST, D(2025, 5, 26), D(2025, 5, 26)),
])
def test_interval_and_sort_key_for_each_qualifier(text, lo, hi, key):
    date = PartialDate.parse(text)
    assert (date.lo, date.hi, date.key) == (lo, hi, key)


def test_approximate_day_covers_the_day_and_its_neighbours():
    date = PartialDate.parse("~2023-05-27")
    assert date.lo < D(2023, 5, 26) and date.hi > D(2023, 5, 28)
    assert date.key == D(2023, 5, 27)
    assert date.lo > D(2023, 4, 27) and date.hi < D(2023, 6, 27)  # far less than a month


def test_approximate_month_widens_by_exactly_one_month():
    date = PartialDate.parse("~2023-05")
    assert (date.lo, date.hi) == (D(2023, 4, 1), D(2023, 6, 30))


def test_approximate_month_covers_the_neighbouring_months():
    date = PartialDate.parse("~2023-05")
    assert date.lo <= D(2023, 4, 1) and date.hi >= D(2023, 6, 30)
    assert date.key == D(2023, 5, 1)


def test_approximate_leap_day_year_widening_does_not_crash():
    date = PartialDate.parse("~2024-02-29")
    assert date.lo < D(2024, 2, 29) < date.hi


def test_sort_key_puts_coarser_dates_first_on_the_same_day():
    dates = [PartialDate.parse(t) for t in ("2023-01-01", "2023-01", "2023")]
    assert [str(x) for x in sorted(dates, key=PartialDate.sort_key)] == ["2023", "2023-01", "2023-01-01"]


@pytest.mark.parametrize("text", ["2023", "2023-05", "2024-02-29", "~2023", "~2023-12", "~2023-05-27", "by 2023",
                                  "by 2024-02", "by 2025-05-26"])
def test_sort_key_is_the_key_then_the_precision(text):
    date = PartialDate.parse(text)
    assert date.sort_key() == (date.key, ["year", "month", "day"].index(date.precision))


def test_sort_key_places_by_dates_at_their_bound():
    by = PartialDate.parse("by 2023-03")
    assert PartialDate.parse("2023-02").sort_key() < by.sort_key() < PartialDate.parse("2023-04").sort_key()


@pytest.mark.parametrize("text, shown", [
    ("2023", "2023"),
    ("2023-05", "May 2023"),
    ("2023-05-27", "27 May 2023"),
    ("2023-05-07", "7 May 2023"),
    ("~2023-05", "c. May 2023"),
    ("~2016", "c. 2016"),
    ("by 2025-03", "by Mar 2025"),
    ("by 2025-05-26", "by 26 May 2025"),
    ("2024-12", "Dec 2024"),
])
def test_display_uses_the_precision_given(text, shown):
    assert PartialDate.parse(text).display() == shown


@pytest.mark.parametrize("text", ["2023", "2023-05", "2023-05-27", "~2023-05", "by 2025-03"])
def test_str_round_trips_through_parse(text):
    assert str(PartialDate.parse(text)) == text
    assert PartialDate.parse(str(PartialDate.parse(text))) == PartialDate.parse(text)


def test_derived_values_are_computed_once_and_kept():
    date = PartialDate.parse("~2023-05")
    assert date.lo is date.lo and date.display() is date.display()  # computed again, they would be equal copies
    assert date == PartialDate(2023, 5, None, Qualifier.APPROX)      # and equality ignores them


def test_the_derived_values_keep_their_docstrings_for_help():
    assert PartialDate.lo.__doc__ == "The earliest day this date can be."
    assert PartialDate.hi.__doc__ == "The latest day this date can be."


def test_of_wraps_a_full_date():
    assert PartialDate.of(D(2025, 6, 1)) == PartialDate.parse("2025-06-01")


@pytest.mark.parametrize("day, months, expected", [
    (D(2023, 1, 15), 1, D(2023, 2, 15)),
    (D(2023, 1, 31), 1, D(2023, 2, 28)),   # clamped to month end
    (D(2024, 1, 31), 1, D(2024, 2, 29)),   # leap year
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2023, 11, 30), 3, D(2024, 2, 29)),  # across a year boundary
    (D(2025, 6, 1), -18, D(2023, 12, 1)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2023, 1, 10), -1, D(2022, 12, 10)),
    (D(2023, 5, 31), 0, D(2023, 5, 31)),
    (D(2023, 12, 31), 12, D(2024, 12, 31)),
])
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_years_between_counts_julian_years():
    # 1827 days, one of them a leap day: 5.0021 Julian years (5.0055 of 365 days, 4.9918 of 366).
    assert years_between(D(2020, 1, 1), D(2025, 1, 1)) == pytest.approx(1827 / 365.25, rel=1e-12)
    assert years_between(D(2021, 1, 1), D(2025, 1, 1)) == 4  # 1461 days: four Julian years exactly
    assert years_between(D(2020, 1, 1), D(2020, 1, 1)) == 0


@pytest.mark.parametrize("text", ["2023", "2023-05", "~2023-05-27", "by 2024", "by 2024-02-29"])
def test_equal_dates_hash_alike_however_made(text):
    import pickle

    a, b = PartialDate.parse(text), PartialDate.parse(text)
    again = pickle.loads(pickle.dumps(a))
    assert a == b == again and hash(a) == hash(b) == hash(again)
    assert hash(a) == hash((a.year, a.month, a.day, a.qualifier, a.floor, a.earliest, a.latest))  # as the dataclass would hash it
    assert {a: "found"}[b] == "found"
    assert len({a, b, again, PartialDate.parse("2022")}) == 2


@pytest.mark.parametrize("text", ["1000", "1096", "1799", "2999-12-31", "~2999", "~1000"])
def test_years_from_1000_to_2999_parse_and_keep_their_bounds_in_range(text):
    date = PartialDate.parse(text)
    assert date.lo <= date.hi


# --- 'between' dates, and bounds known from elsewhere --------------------------------------

def test_a_between_date_is_written_and_shown_with_both_ends():
    date = PartialDate.parse("between 2025-05-30 and 2025-11")
    assert (str(date), date.display(), date.lo, date.hi) == (
        "between 2025-05-30 and 2025-11", "between 30 May 2025 and Nov 2025", D(2025, 5, 30), D(2025, 11, 30))
    assert PartialDate.parse("between 2025-05-01 and 2025-05-20").hi == D(2025, 5, 20)


def test_a_between_date_may_start_within_its_second_date_or_on_it():
    assert (PartialDate.parse("between 2025-05 and 2025-05-15").lo, PartialDate.parse("between 2025-05 and 2025-05-15").hi) == (
        D(2025, 5, 1), D(2025, 5, 15))
    same = PartialDate.parse("between 2025-05-15 and 2025-05-15")
    assert (same.lo, same.hi) == (D(2025, 5, 15), D(2025, 5, 15))


@pytest.mark.parametrize("text, message", [
    ("between ~2025-05 and 2025-06", "'between ~2025-05 and 2025-06': write the two dates of 'between ... and ...' without '~' or 'by'"),
    ("between 2025-05 and ~2025-06", "'between 2025-05 and ~2025-06': write the two dates of 'between ... and ...' without '~' or 'by'"),
    ("between 2025-06 and 2025-05", "'between 2025-06 and 2025-05': 2025-06 is after 2025-05; swap them"),
])
def test_a_between_date_that_cannot_be_read_says_why(text, message):
    with pytest.raises(ValueError) as error:
        PartialDate.parse(text)
    assert str(error.value) == message


def test_bounds_inside_the_written_interval_narrow_it_and_keep_how_it_is_written():
    date = PartialDate.parse("2020")
    assert date.bounded(latest=D(2020, 1, 1)).hi == D(2020, 1, 1)  # down to its first day
    assert date.bounded(latest=D(2020, 6, 1)).lo == D(2020, 1, 1)  # only the bound given
    both = date.bounded(D(2020, 6, 1), D(2020, 6, 1))
    assert (both.lo, both.hi, str(both)) == (D(2020, 6, 1), D(2020, 6, 1), "2020")
    by_day = PartialDate.parse("by 2020-05-20").bounded(earliest=D(2020, 5, 1))
    assert (str(by_day), by_day.lo, by_day.hi) == ("by 2020-05-20", D(2020, 5, 1), D(2020, 5, 20))
    between = PartialDate.parse("between 2020-01 and 2020-05-20").bounded(earliest=D(2020, 3, 1))
    assert (str(between), between.lo) == ("between 2020-01 and 2020-05-20", D(2020, 3, 1))


@pytest.mark.parametrize("earliest, latest", [
    (D(2020, 1, 1), None),    # the first day says nothing new
    (None, D(2020, 12, 31)),  # nor the last
    (None, D(2019, 6, 1)),    # a bound that contradicts the written value is ignored
    (D(2021, 6, 1), None),
    (D(2020, 9, 1), D(2020, 3, 1)),  # bounds that contradict each other too
    (None, None),
])
def test_bounds_that_say_nothing_new_give_the_date_itself(earliest, latest):
    date = PartialDate.parse("2020")
    assert date.bounded(earliest, latest) is date


def test_as_written_drops_the_bounds_only():
    written = PartialDate.parse("between 2020-01-03 and 2020-05-20")
    for bounded in (written.bounded(earliest=D(2020, 3, 1)), written.bounded(latest=D(2020, 4, 1)),
                    written.bounded(D(2020, 3, 1), D(2020, 4, 1))):
        assert bounded != written
        assert bounded.as_written() == written
        assert (bounded.as_written().lo, bounded.as_written().hi) == (D(2020, 1, 3), D(2020, 5, 20))
    assert written.as_written() is written
