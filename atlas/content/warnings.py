"""Warnings: values that are valid but look unlikely, each at its place in its file.

A year from 1000 is valid (universities and old firms are that old), but a career, a
release or a round dated before 1900 is more likely a typo; so is any date after 2100,
and a stint that begins before its company was founded. `build.py check` prints these as
warnings, and `check --strict` fails on them. They are found after the content loaded
without errors, from the files as written, so that each has its line and column.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Sequence

from atlas.content.fields import Date, ListOf, Record
from atlas.content.load import YList, YMap, load_bytes
from atlas.errors import Problem, SourceLoc
from atlas.model.dates import PartialDate
from atlas.model.kind import Kind
from atlas.model.records import Site

UNLIKELY_BEFORE = 1900  # except for a company's `founded`
UNLIKELY_AFTER = 2100
OLD_ALLOWED = {("company", "founded")}  # (kind, field path) whose early years are expected


def date_warnings(content_dir: Path, site: Site, kinds: Sequence[Kind]) -> list[Problem]:
    """Every unlikely date of a loaded site, sorted by place."""
    found: list[Problem] = []
    for kind in kinds:
        for entity in site.table(kind.name).values():
            raw = load_bytes((content_dir / entity.src_path).read_bytes(), entity.src_path)
            dates = list(dates_in(raw, kind.schema, "", SourceLoc(entity.src_path, 1, 1)))
            found += [problem for path, loc, date in dates for problem in _unlikely_year(kind.name, path, loc, date)]
            if kind.name == "person":
                found += _before_founding(site, dict((path, (loc, date)) for path, loc, date in dates), entity.career)
    return sorted(found)


def dates_in(raw: Any, record: Record, prefix: str, loc: SourceLoc) -> Iterator[tuple[str, SourceLoc, PartialDate]]:
    """(path such as 'career[2].start', its location, its value) for every date written in a
    record, as read by the schema (the file is known to be valid)."""
    if not isinstance(raw, YMap):
        return
    for name, field in record.fields.items():
        if name not in raw:
            continue
        value, where, path = raw[name], raw.value_locs[name], f"{prefix}{name}"
        kind = field.type
        if isinstance(kind, Date):
            yield path, where, PartialDate.parse(str(value))
        elif isinstance(kind, Record):
            yield from dates_in(value, kind, f"{path}.", where)
        elif isinstance(kind, ListOf) and isinstance(kind.item, Record) and isinstance(value, YList):
            for i, (item, item_loc) in enumerate(zip(value, value.item_locs)):
                yield from dates_in(item, kind.item, f"{path}[{i}].", item_loc)


def _unlikely_year(kind: str, path: str, loc: SourceLoc, date: PartialDate) -> list[Problem]:
    if date.year > UNLIKELY_AFTER:
        return [Problem(loc, f"{path}: '{date}' is after {UNLIKELY_AFTER}; is the year right?")]
    if date.year < UNLIKELY_BEFORE and (kind, path) not in OLD_ALLOWED:
        return [Problem(loc, f"{path}: '{date}' is before {UNLIKELY_BEFORE}, which is unlikely here; is the year right?")]
    return []


def _before_founding(site: Site, dates: dict[str, tuple[SourceLoc, PartialDate]], career: Any) -> list[Problem]:
    """A stint that surely begins before its company was founded."""
    found = []
    for i, stint in enumerate(career):
        company = site.companies.get(stint.company) if stint.company else None
        if company is None or company.founded is None or not stint.start.hi < company.founded.lo:
            continue
        loc, start = dates[f"career[{i}].start"]
        found.append(Problem(loc, f"career[{i}].start: '{start}' is before {company.name} was founded "
                                  f"({company.founded.display()}); check both dates"))
    return found
