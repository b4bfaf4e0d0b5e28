"""Partial dates: a year, a month or a day, possibly approximate, an upper bound, or between two."""
from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import re
from dataclasses import dataclass
from typing import Any, Callable

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

DATE_FORMS = ("YYYY, YYYY-MM or YYYY-MM-DD, optionally '~' (approximate) or 'by ' (no later than) before it, "
              "or 'between DATE and DATE'")

_PATTERN = re.compile(r"^(?P<mark>~|by\s+)?(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$", re.ASCII)
_BETWEEN = re.compile(r"^between\s+(?P<first>\S+)\s+and\s+(?P<last>\S+)$", re.ASCII)

# Sentinels for open-ended intervals; real content dates never reach them.
EARLIEST = dt.date(1, 1, 1)
LATEST = dt.date(9999, 12, 31)

# The years a date may have: from 1000 (universities and old firms are real) to 2999, far
# enough from datetime's limits that widening an approximate date and looking a year ahead
# stay in range. Years that look unlikely within it are warnings (content/warnings.py).
FIRST_YEAR, LAST_YEAR = 1000, 2999


class Qualifier(enum.Enum):
    """How sure a date is."""

    EXACT = ""
    APPROX = "~"
    BY = "by "
    BETWEEN = "between "  # no earlier than its floor, no later than the date itself

    @property
    def bounded_above(self) -> bool:
        """Known only by its latest day (and perhaps a floor): 'by X' or 'between W and X'."""
        return self is Qualifier.BY or self is Qualifier.BETWEEN


class _cached:  # noqa: N801 - used like functools.cached_property
    """functools.cached_property without its per-access lock (Python 3.11 takes one on every
    first use, and the timeline and moves make hundreds of thousands of first uses).

    It wraps a plain function (`lo = _cached(_earliest_day)`) rather than decorating a
    method, so that mutation testing, which leaves decorated functions alone, reaches the
    date rules (bench/mutation.md)."""

    def __init__(self, compute: Callable[[Any], Any]):
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)  # found in __dict__ from now on
        return value


# The values derived from a written date. PartialDate keeps each one once computed (see the
# class), in the instance's __dict__, which neither the frozen dataclass's equality nor its
# hash reads.

def _precision_of(date: PartialDate) -> str:
    return "day" if date.day else "month" if date.month else "year"


def _span_of(date: PartialDate) -> tuple[dt.date, dt.date]:
    """The first and last day the written value covers."""
    if date.day:
        first = dt.date(date.year, date.month or 1, date.day)
        return first, first
    if date.month:
        last = calendar.monthrange(date.year, date.month)[1]
        return dt.date(date.year, date.month, 1), dt.date(date.year, date.month, last)
    return dt.date(date.year, 1, 1), dt.date(date.year, 12, 31)


def _earliest_day(date: PartialDate) -> dt.date:
    """The earliest day this date can be."""
    if date.qualifier.bounded_above:
        written = EARLIEST
    else:
        first, _ = date.span()
        written = _widen(first, -1, date.precision) if date.qualifier is Qualifier.APPROX else first
    if date.floor:
        written = max(written, date.floor.lo)
    return max(written, date.earliest) if date.earliest else written


def _latest_day(date: PartialDate) -> dt.date:
    """The latest day this date can be."""
    _, last = date.span()
    written = _widen(last, +1, date.precision) if date.qualifier is Qualifier.APPROX else last
    return min(written, date.latest) if date.latest else written


def _sort_day(date: PartialDate) -> dt.date:
    """A single day to sort by: the start of the span, or the bound for 'by' dates."""
    return date.hi if date.qualifier.bounded_above else date.span()[0]


def _sort_key_of(date: PartialDate) -> tuple[dt.date, int]:
    # (date.key, then 0, 1 or 2 by precision): coarser dates sort before finer ones on
    # the same first day. Written out rather than through key and precision: every
    # timeline sorts by it.
    rank = 2 if date.day else 1 if date.month else 0
    return (date.hi if date.qualifier.bounded_above else dt.date(date.year, date.month or 1, date.day or 1)), rank


def _iso_text(date: PartialDate) -> str:
    text = f"{date.year:04d}"
    if date.month:
        text += f"-{date.month:02d}"
    if date.day:
        text += f"-{date.day:02d}"
    return text


def _display_text(date: PartialDate) -> str:
    text = str(date.year)
    if date.month:
        text = f"{MONTHS[date.month - 1]} {text}"
    if date.day:
        text = f"{date.day} {text}"
    if date.qualifier is Qualifier.APPROX:
        return f"c. {text}"
    if date.qualifier is Qualifier.BY:
        return f"by {text}"
    if date.qualifier is Qualifier.BETWEEN and date.floor is not None:
        return f"between {date.floor.display()} and {text}"
    return text


def _hash_of(date: PartialDate) -> int:
    return hash((date.year, date.month, date.day, date.qualifier, date.floor, date.earliest, date.latest))


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, month or day, with a qualifier."""

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: Qualifier = Qualifier.EXACT
    floor: PartialDate | None = None  # the first date of 'between W and X', as written
    # Bounds known from elsewhere (compute/known.py), narrower than the written value; they
    # change what the date can be, never how it is written or shown.
    earliest: dt.date | None = None
    latest: dt.date | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' with an optional '~' or 'by ' mark."""
        return _parse(cls, text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        between = _BETWEEN.match(text.strip())
        if between:
            return cls._between(text, between["first"], between["last"])
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a date; use {DATE_FORMS}")
        mark = (match["mark"] or "").strip()
        qualifier = {"": Qualifier.EXACT, "~": Qualifier.APPROX, "by": Qualifier.BY}[mark]
        year = int(match["y"])
        month = int(match["m"]) if match["m"] else None
        day = int(match["d"]) if match["d"] else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{text}' has month {month}; months run from 01 to 12")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"'{text}' has day {day}; {MONTHS[month - 1]} {year} has {last} days")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"'{text}' is outside the years {FIRST_YEAR} to {LAST_YEAR}; is the year right?")
        return cls(year, month, day, qualifier)

    @classmethod
    def _between(cls, text: str, first: str, last: str) -> PartialDate:
        """'between 2025-05-30 and 2025-11': no earlier than the first, no later than the last."""
        low, high = cls._parse(first), cls._parse(last)
        if low.qualifier is not Qualifier.EXACT or high.qualifier is not Qualifier.EXACT:
            raise ValueError(f"'{text}': write the two dates of 'between ... and ...' without '~' or 'by'")
        if low.span()[0] > high.span()[1]:
            raise ValueError(f"'{text}': {first} is after {last}; swap them")
        return cls(high.year, high.month, high.day, Qualifier.BETWEEN, low)

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        """Pickle the written value (and bounds) only; the derived values are recomputed on use."""
        return (type(self), (self.year, self.month, self.day, self.qualifier, self.floor, self.earliest, self.latest))

    def bounded(self, earliest: dt.date | None = None, latest: dt.date | None = None) -> PartialDate:
        """The same date, known from elsewhere to fall between `earliest` and `latest` as well
        (itself if that says nothing new). Bounds that contradict the written value are
        ignored: the content contradicts itself there, and check warns about the usual cases."""
        lo = earliest if earliest is not None and self.lo < earliest <= self.hi else None
        hi = latest if latest is not None and self.lo <= latest < self.hi else None
        if (lo is None and hi is None) or (lo is not None and hi is not None and lo > hi):
            return self
        return PartialDate(self.year, self.month, self.day, self.qualifier, self.floor,
                           lo or self.earliest, hi or self.latest)

    def as_written(self) -> PartialDate:
        """The date without the bounds known from elsewhere."""
        if self.earliest is None and self.latest is None:
            return self
        return PartialDate(self.year, self.month, self.day, self.qualifier, self.floor)

    @classmethod
    def of(cls, day: dt.date) -> PartialDate:
        """Wrap a full date."""
        return cls(day.year, day.month, day.day)

    def __hash__(self) -> int:
        # The hash the dataclass would make, computed once: html.when looks dates up by it
        # 250,000 times at 10,000 people, and hashing the qualifier runs Python code.
        return self._hash

    # Derived values, computed on first use by the functions above and kept.
    _hash = _cached(_hash_of)
    precision = _cached(_precision_of)
    _span = _cached(_span_of)
    lo = _cached(_earliest_day)
    hi = _cached(_latest_day)
    key = _cached(_sort_day)
    _sort_key = _cached(_sort_key_of)
    _iso = _cached(_iso_text)
    _display = _cached(_display_text)

    def span(self) -> tuple[dt.date, dt.date]:
        """Return the first and last day the written value covers."""
        return self._span

    def sort_key(self) -> tuple[dt.date, int]:
        return self._sort_key

    def iso(self) -> str:
        """The value as written in content, without the qualifier."""
        return self._iso

    def __str__(self) -> str:
        if self.qualifier is Qualifier.BETWEEN and self.floor is not None:
            return f"between {self.floor.iso()} and {self.iso()}"
        return self.qualifier.value + self.iso()

    def display(self) -> str:
        """Human form at the precision given: '2023', 'May 2023', '27 May 2023'."""
        return self._display


def _widen(day: dt.date, sign: int, precision: str) -> dt.date:
    """Move a day outwards: an approximate day by 3 days, a month or year by one of its own."""
    if precision == "day":
        return day + dt.timedelta(days=3 * sign)
    months = 1 if precision == "month" else 12
    moved = add_months(day, months * sign)
    if sign > 0:  # keep the span ending on the last day of a month
        return dt.date(moved.year, moved.month, calendar.monthrange(moved.year, moved.month)[1])
    return moved


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later (earlier if negative), clamped to month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def years_between(start: dt.date, end: dt.date) -> float:
    """Return the length of [start, end] in years."""
    return (end - start).days / 365.25


@functools.lru_cache(maxsize=65536)
def _parse(cls: type[PartialDate], text: str) -> PartialDate:
    """Equal texts give one shared (immutable) object: content repeats dates a lot, and
    shared objects are parsed, stored and pickled once."""
    return cls._parse(text)
