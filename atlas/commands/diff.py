"""`python build.py diff --base REF`: what a change does to the computed summaries, in Markdown.

The content at REF is read with `git archive` into a temporary folder (the working tree is
never touched), both sides are loaded and summarised, and the summaries are compared.
"""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from atlas.build import load
from atlas.compute.claims import check_claim
from atlas.compute.graph import Graph
from atlas.compute.summaries import departures, diaspora, flows, group_moves
from atlas.errors import ContentError

SECTIONS = ("Departures", "Author diaspora", "Flows", "Claims")


class DiffError(Exception):
    """The base revision cannot be read or does not validate."""


@dataclass(frozen=True)
class Fact:
    """One computed figure, with the people behind it."""

    label: str
    value: str
    unit: str = ""
    people: frozenset[str] = frozenset()


Summary = dict[str, dict[str, Fact]]  # section -> key -> fact


def summarize(graph: Graph) -> Summary:
    """Every figure a reviewer cares about, keyed so that two summaries can be compared."""
    site = graph.site
    result: Summary = {name: {} for name in SECTIONS}
    for slug in sorted(s for s, c in site.companies.items() if not c.parent or c.parent not in site.companies):
        for group in group_moves(graph, departures(graph, slug), "destination"):
            people = frozenset(m.person.name for m in group.moves)
            label = f"{site.companies[slug].name} → {group.label}"
            result["Departures"][f"{slug}>{group.key}"] = Fact(label, str(group.count), "departures", people)
    for slug in sorted(site.models):
        model = site.models[slug]
        if not model.authors:
            continue
        found = diaspora(graph, model, graph.family(model.companies[0]))
        n, where = len(found.rows), found.company.name
        result["Author diaspora"][f"{slug}:remain"] = Fact(
            f"{model.name} authors remaining at {where}", str(len(found.remain)), f"of {n}",
            frozenset(r.person.name for r in found.remain))
        result["Author diaspora"][f"{slug}:left"] = Fact(
            f"{model.name} authors who left {where}", str(len(found.left)), f"of {n}",
            frozenset(r.person.name for r in found.left))
    for flow in flows(graph):
        key = f"{flow.origin[0]}>{flow.destination[0]}"
        result["Flows"][key] = Fact(f"{flow.origin[2]} → {flow.destination[2]}", str(flow.count), "moves",
                                    frozenset(m.person.name for m in flow.moves))
    for slug in sorted(site.claims):
        verdict = check_claim(graph, slug)
        figures = "; ".join(r.computed for r in verdict.results)
        result["Claims"][slug] = Fact(f"Claim `{slug}`", f"{verdict.verdict.value} ({figures})")
    return result


def _line(old: Fact | None, new: Fact | None) -> str:
    fact = new or old
    assert fact is not None
    before = old.value if old else "0" if fact.unit else "(none)"
    after = new.value if new else "0" if fact.unit else "(removed)"
    unit = f" {fact.unit}" if fact.unit else ""
    text = f"- {fact.label}: {before} → {after}{unit}"
    joined = sorted((new.people if new else frozenset()) - (old.people if old else frozenset()))
    gone = sorted((old.people if old else frozenset()) - (new.people if new else frozenset()))
    notes = ([f"now also {', '.join(joined)}"] if joined else []) + ([f"no longer {', '.join(gone)}"] if gone else [])
    return text + (f" ({'; '.join(notes)})" if notes else "")


def compare(base: Summary, head: Summary) -> dict[str, list[str]]:
    """Lines per section for every figure that differs."""
    changes: dict[str, list[str]] = {}
    for section in SECTIONS:
        old, new = base.get(section, {}), head.get(section, {})
        lines = [_line(old.get(k), new.get(k)) for k in sorted(set(old) | set(new))
                 if old.get(k) != new.get(k)]
        if lines:
            changes[section] = lines
    return changes


def render(changes: dict[str, list[str]], ref: str, dates: tuple[dt.date, dt.date]) -> str:
    """The Markdown report: a heading, then one bulleted list per section that changed."""
    when = dates[1].isoformat() if dates[0] == dates[1] else f"{dates[0].isoformat()} (base) and {dates[1].isoformat()} (this change)"
    out = ["## What this change does to the computed summaries", "",
           f"Compared with `{ref}`, as of {when}.", ""]
    if not changes:
        return "\n".join(out + ["No computed figure changes.", ""])
    for section, lines in changes.items():
        out += [f"### {section}", "", *lines, ""]
    return "\n".join(out)


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)
    except FileNotFoundError:
        raise DiffError("git is not installed; it is needed to read the base revision") from None
    except subprocess.CalledProcessError as err:
        raise DiffError(f"git {' '.join(args[:2])} failed: {err.stderr.decode(errors='replace').strip()}") from None
    return done.stdout


def export_content(content_dir: Path, ref: str, dest: Path) -> Path:
    """Write the content folder as it is at ref into dest; return its path there."""
    content_dir = content_dir.resolve()
    top = Path(_git(content_dir, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    rel = content_dir.relative_to(top).as_posix()
    _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    data = _git(top, "archive", "--format=tar", ref, "--", rel)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = [m for m in archive.getmembers() if m.isfile() or m.isdir()]  # no links
        archive.extractall(dest, members=members)  # noqa: S202 - regular files from our own repo
    return dest / rel


def diff_report(content_dir: Path, ref: str, as_of: dt.date | None = None) -> str:
    """Load the content at ref and in content_dir, and describe how the summaries differ."""
    head = load(content_dir, as_of)
    with tempfile.TemporaryDirectory(prefix="atlas-diff-") as tmp:
        base_dir = export_content(content_dir, ref, Path(tmp))
        if not base_dir.is_dir():
            base_graph = None
        else:
            try:
                base_graph = load(base_dir, as_of)
            except ContentError as err:
                raise DiffError(f"the content at {ref} does not validate ({len(err.problems)} problems); "
                                "nothing to compare with") from None
    head_summary = summarize(head)
    base_summary = summarize(base_graph) if base_graph else {}
    base_date = base_graph.as_of if base_graph else head.as_of
    return render(compare(base_summary, head_summary), ref, (base_date, head.as_of))
