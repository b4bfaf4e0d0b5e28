"""docs/definitions.md and the code agree: the documented examples, read from the page,
give what the page says they give."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from atlas.compute.moves import GRACE_DAYS, LOOKAHEAD_MONTHS
from atlas.model.dates import EARLIEST, PartialDate

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "definitions.md").read_text(encoding="utf-8")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def interval_rows() -> list[tuple[str, str, str]]:
    """(written, earliest day, latest day) for each row of the table under "Dates are intervals"."""
    section = PAGE.split("## Dates are intervals", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        written = re.match(r"`([^`]+)`", cells[0]) if len(cells) == 3 else None
        if written:
            rows.append((written[1], cells[1], cells[2]))
    return rows


def documented_day(cell: str) -> dt.date:
    """The day a cell gives (the last ISO date in it), or EARLIEST for 'unbounded' (which
    the table may follow with where a bound can come from: 'unbounded, or a bound from the
    sequence')."""
    if cell.startswith("unbounded"):
        return EARLIEST
    return dt.date.fromisoformat(ISO_DAY.findall(cell)[-1])


def test_the_table_has_a_row_for_every_form_and_qualifier() -> None:
    written = [text for text, _, _ in interval_rows()]
    assert {"2023", "2023-05", "2023-05-27"} <= set(written)
    assert any(text.startswith("~") for text in written) and any(text.startswith("by ") for text in written)


@pytest.mark.parametrize("written, earliest, latest", interval_rows())
def test_each_documented_interval_is_what_the_code_computes(written: str, earliest: str, latest: str) -> None:
    date = PartialDate.parse(written)
    assert (date.lo, date.hi) == (documented_day(earliest), documented_day(latest))


def test_the_documented_run_gap_and_lookahead_are_the_code_s() -> None:
    assert re.search(rf"no more than \*\*{GRACE_DAYS} days\*\* after the previous ends", PAGE)
    assert re.search(rf"no later than \*\*{LOOKAHEAD_MONTHS} months\*\* after its end", PAGE)
