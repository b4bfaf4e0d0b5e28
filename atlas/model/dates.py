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


class _cached:  # noqa: N801 - used as a decorator, like functools.cached_property
    """functools.cached_property without its per-access lock (Python 3.11 takes one on every
    first use, and the timeline and moves make hundreds of thousands of first uses)."""

    def __init__(self, compute: Callable[[Any], Any]):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)  # found in __dict__ from now on
        return value


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

    @_cached
    def _hash(self) -> int:
        return hash((self.year, self.month, self.day, self.qualifier, self.floor, self.earliest, self.latest))

    # The derived values below are computed on first use and kept: _cached stores them
    # in the instance's __dict__, which neither the frozen dataclass's equality nor its hash reads.

    @_cached
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def span(self) -> tuple[dt.date, dt.date]:
        """Return the first and last day the written value covers."""
        return self._span

    @_cached
    def _span(self) -> tuple[dt.date, dt.date]:
        if self.day:
            first = dt.date(self.year, self.month or 1, self.day)
            return first, first
        if self.month:
            last = calendar.monthrange(self.year, self.month)[1]
            return dt.date(self.year, self.month, 1), dt.date(self.year, self.month, last)
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    @_cached
    def lo(self) -> dt.date:
        """The earliest day this date can be."""
        if self.qualifier.bounded_above:
            written = EARLIEST
        else:
            first, _ = self.span()
            written = _widen(first, -1, self.precision) if self.qualifier is Qualifier.APPROX else first
        if self.floor:
            written = max(written, self.floor.lo)
        return max(written, self.earliest) if self.earliest else written

    @_cached
    def hi(self) -> dt.date:
        """The latest day this date can be."""
        _, last = self.span()
        written = _widen(last, +1, self.precision) if self.qualifier is Qualifier.APPROX else last
        return min(written, self.latest) if self.latest else written

    @_cached
    def key(self) -> dt.date:
        """A single day to sort by: the start of the span, or the bound for 'by' dates."""
        return self.hi if self.qualifier.bounded_above else self.span()[0]

    def sort_key(self) -> tuple[dt.date, int]:
        return self._sort_key

    @_cached
    def _sort_key(self) -> tuple[dt.date, int]:
        # (self.key, then 0, 1 or 2 by precision): coarser dates sort before finer ones on
        # the same first day. Written out rather than through key and precision: every
        # timeline sorts by it.
        rank = 2 if self.day else 1 if self.month else 0
        return (self.hi if self.qualifier.bounded_above else dt.date(self.year, self.month or 1, self.day or 1)), rank

    def iso(self) -> str:
        """The value as written in content, without the qualifier."""
        return self._iso

    @_cached
    def _iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        if self.qualifier is Qualifier.BETWEEN and self.floor is not None:
            return f"between {self.floor.iso()} and {self.iso()}"
        return self.qualifier.value + self.iso()

    def display(self) -> str:
        """Human form at the precision given: '2023', 'May 2023', '27 May 2023'."""
        return self._display

    @_cached
    def _display(self) -> str:
        text = str(self.year)
        if self.month:
            text = f"{MONTHS[self.month - 1]} {text}"
        if self.day:
            text = f"{self.day} {text}"
        if self.qualifier is Qualifier.APPROX:
            return f"c. {text}"
        if self.qualifier is Qualifier.BY:
            return f"by {text}"
        if self.qualifier is Qualifier.BETWEEN and self.floor is not None:
            return f"between {self.floor.display()} and {text}"
        return text


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
