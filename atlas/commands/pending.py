"""Facts dated after the as-of date: recorded, but not counted in the summaries yet.

Every summary is computed at `as_of` (content/site.yaml, or --as-of): a job that starts
after it is ignored, a job that ends after it still counts as going on, and a funding
round announced after it is not in the totals (docs/definitions.md). A contributor who
enters a real, recent date can then see no change at all; `check` (as a note) and `diff`
say why.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from atlas.compute.graph import Graph
from atlas.content.load import YList, YMap, load_file
from atlas.errors import ContentError, Problem, SourceLoc
from atlas.model.dates import PartialDate


@dataclass(frozen=True, order=True)
class Pending:
    """One dated fact the summaries do not count yet."""

    src_path: str  # the entity's file, inside the content folder
    path: str  # the field, as messages write it: 'career[2].end'
    date: PartialDate
    effect: str  # what it does not do yet, in words
    name: str  # the entity's display name
    key: tuple[str, ...]  # the fact, without its position in lists: to compare two versions of a file

    def message(self, as_of: dt.date, set_in: str = "site.yaml") -> str:
        return (f"{self.path}: {self.date} is after the as-of date ({as_of.isoformat()}, set in {set_in}): "
                f"it is recorded, but {self.effect}")


def pending(graph: Graph) -> list[Pending]:
    """The facts of every person and company dated after the graph's as-of date."""
    as_of = graph.as_of
    found: list[Pending] = []
    for person in graph.people.values():
        for i, stint in enumerate(person.career):
            where = stint.company or stint.organization or ""
            key = ("stint", where, stint.role, str(stint.start))
            if stint.start.lo > as_of:
                found.append(Pending(person.src_path, f"career[{i}].start", stint.start,
                                     "the summaries ignore this job until then", person.name, key + ("start",)))
            elif stint.end is not None and stint.end.lo > as_of:
                found.append(Pending(person.src_path, f"career[{i}].end", stint.end,
                                     "the summaries count this job as going on until then", person.name,
                                     key + ("end", str(stint.end))))
    for company in graph.companies.values():
        for i, rnd in enumerate(company.funding):
            if rnd.date.hi > as_of:
                found.append(Pending(company.src_path, f"funding[{i}].date", rnd.date,
                                     "the funding totals leave this round out until then", company.name,
                                     ("round", rnd.round, str(rnd.date))))
    return sorted(found)


def located(content_dir: Path, found: list[Pending], as_of: dt.date, set_in: str = "site.yaml") -> list[Problem]:
    """Each pending fact as a note at its line in its file."""
    notes = []
    raws: dict[str, Any] = {}
    for fact in found:
        if fact.src_path not in raws:
            try:
                raws[fact.src_path] = load_file(content_dir / fact.src_path, fact.src_path)
            except (ContentError, OSError):  # changed since it was loaded: the file is enough
                raws[fact.src_path] = None
        loc = _locate(raws[fact.src_path], fact.path) or SourceLoc(fact.src_path)
        notes.append(Problem(loc, fact.message(as_of, set_in)))
    return notes


def _locate(raw: Any, path: str) -> SourceLoc | None:
    """Where the value at a field path ('career[2].end') is in a file as read."""
    node, loc = raw, None
    for step in _steps(path):
        if isinstance(step, int) and isinstance(node, YList) and step < len(node):
            node, loc = node[step], node.item_locs[step]
        elif isinstance(step, str) and isinstance(node, YMap) and step in node:
            node, loc = node[step], node.value_locs[step]
        else:
            return None
    return loc


def _steps(path: str) -> Iterator[str | int]:
    for part in path.split("."):
        name, _, rest = part.partition("[")
        yield name
        for index in filter(None, rest.replace("]", "").split("[")):
            yield int(index)
