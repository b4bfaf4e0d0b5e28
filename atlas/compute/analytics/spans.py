"""Time between two partial dates, as an interval: the shortest and the longest it can be."""
from __future__ import annotations

import math
from dataclasses import dataclass

from atlas.model.dates import EARLIEST, LATEST, PartialDate

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True, slots=True)
class Between:
    """From one date to a later one, in days: `lo` the shortest, `hi` the longest (None: unbounded)."""

    lo: int
    hi: int | None

    @property
    def years(self) -> str:
        """In words, in years: 'about 5 years', '1 to 7 years'."""
        return years_words(self)

    @property
    def months(self) -> str:
        """In words, in months: '4 to 5 months'."""
        return months_words(self)


def between(first: PartialDate, last: PartialDate) -> Between:
    """The days from `first` to `last`, each an interval of days. A `last` with no earliest
    day (EARLIEST) gives no time at all as the shortest, as any day before `first` does."""
    lo = max(0, (last.lo - first.hi).days)
    hi = None if first.lo == EARLIEST or last.hi == LATEST else max(0, (last.hi - first.lo).days)
    return Between(lo, hi)


def years_words(span: Between) -> str:
    """'about 5 years', '3 to 7 years', 'up to 4 years', 'at least 2 years': no more precise than the dates."""
    lo = span.lo / 365.25
    if span.hi is None:
        if lo < 1:
            return "an unknown time"
        # Rounded down, as a lower bound must be: 1,081 days is at least 2.9 years, not 3. The
        # 0.003 lets a span of whole calendar years (1,826 days for five) read as such.
        least = f"{math.floor(lo * 10 + 0.03) / 10:.1f}".removesuffix(".0")
        return f"at least {least} year{'s' if least != '1' else ''}"
    hi = span.hi / 365.25
    if hi < 1:
        return months_words(span)
    if hi - lo <= 0.25:
        return f"{(lo + hi) / 2:.1f} years"
    if hi - lo <= 1.5:
        n = int((lo + hi) / 2 + 0.5)
        return f"about {n} year{'s' if n != 1 else ''}"
    first, last = int(lo), int(hi + 0.999)
    return f"up to {last} years" if first == 0 else f"{first} to {last} years"


def months_words(span: Between) -> str:
    """'4 to 5 months', 'about 3 months', 'under a month': no more precise than the dates;
    from two years on, in years."""
    lo = span.lo / DAYS_PER_MONTH
    if span.hi is None:
        if lo >= 24:
            return years_words(span)
        n = int(lo)
        return f"at least {n} month{'s' if n != 1 else ''}" if n else "an unknown time"
    hi = span.hi / DAYS_PER_MONTH
    if hi >= 24:
        return years_words(span)
    if hi < 1:
        return "under a month"
    if hi - lo <= 0.5:
        n = max(1, int((lo + hi) / 2 + 0.5))
        return f"about {n} month{'s' if n != 1 else ''}"
    first, last = int(lo), int(hi + 0.999)
    return f"up to {last} months" if first == 0 else f"{first} to {last} months"
