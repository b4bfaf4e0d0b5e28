"""`python build.py diff --base REF`: what a change does, in Markdown for a reviewer.

The content at REF is read with `git archive` into a temporary folder (the working tree is
never touched), both sides are loaded and summarised, and compared: the entities added,
removed and renamed; the facts dated after the as-of date, which no figure counts yet;
and every computed figure that changed, labelled, with the people behind it.
"""
from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from atlas.build import load
from atlas.commands.pending import Pending, pending
from atlas.compute.claims import CheckResult, check_claim
from atlas.compute.graph import Graph
from atlas.compute.summaries import departures, diaspora, flows, group_moves
from atlas.errors import ContentError
from atlas.model.records import Metric

SECTIONS = ("Departures", "Author diaspora", "Flows", "Claims")
KIND_FOLDERS = {"people": "person", "companies": "company", "models": "model", "claims": "claim"}


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


def md(text: str) -> str:
    """Text from the content, shown literally in Markdown."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def summarize(graph: Graph) -> Summary:
    """Every figure a reviewer cares about, keyed so that two summaries can be compared."""
    site = graph.site
    result: Summary = {name: {} for name in SECTIONS}
    for slug in sorted(s for s, c in site.companies.items() if not c.parent or c.parent not in site.companies):
        for group in group_moves(graph, departures(graph, slug), "destination"):
            people = frozenset(m.person.name for m in group.moves)
            label = f"{md(site.companies[slug].name)} → {md(group.label)}"
            result["Departures"][f"{slug}>{group.key}"] = Fact(label, str(group.count), "departures", people)
    for slug in sorted(site.models):
        model = site.models[slug]
        if not model.authors:
            continue
        found = diaspora(graph, model, graph.family(model.companies[0]))
        n, where = len(found.rows), md(found.company.name)
        result["Author diaspora"][f"{slug}:remain"] = Fact(
            f"{md(model.name)} authors remaining at {where}", str(len(found.remain)), f"of {n}",
            frozenset(r.person.name for r in found.remain))
        result["Author diaspora"][f"{slug}:left"] = Fact(
            f"{md(model.name)} authors who left {where}", str(len(found.left)), f"of {n}",
            frozenset(r.person.name for r in found.left))
    for flow in flows(graph):
        key = f"{flow.origin[0]}>{flow.destination[0]}"
        result["Flows"][key] = Fact(f"{md(flow.origin[2])} → {md(flow.destination[2])}", str(flow.count), "moves",
                                    frozenset(m.person.name for m in flow.moves))
    for slug in sorted(site.claims):
        verdict = check_claim(graph, slug)
        figures = ", ".join(figure_label(graph, r) for r in verdict.results)
        result["Claims"][slug] = Fact(f"Claim “{md(_shorten(verdict.claim.text))}”", f"{verdict.verdict.value} ({figures})")
    return result


def figure_label(graph: Graph, result: CheckResult) -> str:
    """What a check's computed figure counts, in words: '3 remain', '11 left'."""
    check, figure = result.check, result.computed
    found = graph.companies.get(check.company or "")
    company = found.name if found else ""
    labels = {
        Metric.AUTHORS_REMAINING: f"{figure} remain at {company}",
        Metric.AUTHORS_LEFT: f"{figure} left {company}",
        Metric.AUTHORS_AT: f"{figure} at {company}",
        Metric.AUTHORS_JOINED_WITHIN: f"{figure} joined {company} within {check.months} months",
        Metric.LEAVERS_TENURE_OVER: f"{figure} leavers stayed over {check.years:g} years" if check.years is not None else figure,
        Metric.FUNDING_RAISED: f"{figure} raised",
    }
    return md(labels.get(check.metric, figure))


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _line(old: Fact | None, new: Fact | None) -> str:
    fact = new or old
    assert fact is not None
    before = old.value if old else "0" if fact.unit else "(none)"
    after = new.value if new else "0" if fact.unit else "(removed)"
    unit = f" {fact.unit}" if fact.unit else ""
    text = f"- {fact.label}: {before} → {after}{unit}"
    joined = sorted((new.people if new else frozenset()) - (old.people if old else frozenset()))
    gone = sorted((old.people if old else frozenset()) - (new.people if new else frozenset()))
    notes = ([f"now also {', '.join(map(md, joined))}"] if joined else []) + \
        ([f"no longer {', '.join(map(md, gone))}"] if gone else [])
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _figure(fact: Fact | None) -> tuple[str, str, frozenset[str]] | None:
    """What a fact says, without its label (a claim's label is its text, which may be edited)."""
    return (fact.value, fact.unit, fact.people) if fact else None


def compare(base: Summary, head: Summary) -> dict[str, list[str]]:
    """Lines per section for every figure that differs."""
    changes: dict[str, list[str]] = {}
    for section in SECTIONS:
        old, new = base.get(section, {}), head.get(section, {})
        lines = [_line(old.get(k), new.get(k)) for k in sorted(set(old) | set(new)) if _figure(old.get(k)) != _figure(new.get(k))]
        if lines:
            changes[section] = lines
    return changes


# Entities added, removed and renamed.

@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    src_path: str


def entries(graph: Graph) -> dict[str, Entry]:
    """Every entity by its file."""
    found = {}
    for kind in ("person", "company", "model", "claim"):
        for entity in graph.table(kind).values():
            name = entity.text if kind == "claim" else entity.name
            found[entity.src_path] = Entry(kind, _shorten(name, 80), entity.src_path)
    return found


def entity_changes(base: dict[str, Entry], head: dict[str, Entry], base_dir: Path | None, head_dir: Path) -> list[str]:
    """Lines for the entities added, removed and renamed (a file gone and one come, of one
    kind, with the same name or mostly the same text)."""
    added = sorted(set(head) - set(base))
    removed = sorted(set(base) - set(head))
    renamed = []
    for old in list(removed):
        best, score = None, 0.6
        for new in added:
            if head[new].kind != base[old].kind:
                continue
            same = 1.0 if head[new].name == base[old].name else _similarity(base_dir, old, head_dir, new)
            if same > score:
                best, score = new, same
        if best is not None:
            renamed.append((old, best))
            removed.remove(old)
            added.remove(best)
    lines = [f"- Added {head[p].kind} **{md(head[p].name)}** (`{p}`)" for p in added]
    lines += [f"- Removed {base[p].kind} **{md(base[p].name)}** (`{p}`)" for p in removed]
    lines += [f"- Renamed {head[new].kind} **{md(head[new].name)}**: `{old}` → `{new}`" for old, new in renamed]
    return lines


def _similarity(base_dir: Path | None, old: str, head_dir: Path, new: str) -> float:
    if base_dir is None:
        return 0.0
    try:
        a, b = (base_dir / old).read_text(encoding="utf-8"), (head_dir / new).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def pending_lines(base: list[Pending], head: list[Pending]) -> list[str]:
    """The facts after the as-of date that this change adds: recorded, but not counted."""
    known = {(p.src_path, p.key) for p in base}
    return [f"- {md(p.name)} (`{p.src_path}`, `{p.path}`): {p.date}; {p.effect}"
            for p in head if (p.src_path, p.key) not in known]


@dataclass(frozen=True)
class Report:
    ref: str
    dates: tuple[dt.date, dt.date]  # as of: base, this change
    set_in: str  # where the as-of date comes from
    entities: list[str]
    pending: list[str]
    figures: dict[str, list[str]]


def render(report: Report) -> str:
    """The Markdown report: a heading, then one bulleted list per section that has lines."""
    base_date, head_date = report.dates
    when = head_date.isoformat() if base_date == head_date else \
        f"{base_date.isoformat()} (base) and {head_date.isoformat()} (this change)"
    out = ["## What this change does to the computed summaries", "",
           f"Compared with `{md(report.ref)}`. Every figure is computed as of {when} (the as-of date, "
           f"set in {report.set_in}).", ""]
    if report.entities:
        out += ["### Entities", "", *report.entities, ""]
    if report.pending:
        out += ["### Recorded, but not counted yet", "",
                f"These facts are dated after the as-of date ({head_date.isoformat()}), so no figure counts them "
                "until the as-of date reaches them (`build.py diff --base REF --as-of YYYY-MM-DD` shows what they "
                "would change then).", "", *report.pending, ""]
    if not report.figures:
        return "\n".join(out + ["No computed figure changes.", ""])
    for section, lines in report.figures.items():
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
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except DiffError:
        raise DiffError(f"'{ref}' is not a commit git knows here; give a branch, tag or commit, such as "
                        "origin/main (run 'git fetch' first if it is out of date)") from None
    data = _git(top, "archive", "--format=tar", ref, "--", rel)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = [m for m in archive.getmembers() if m.isfile() or m.isdir()]  # no links
        archive.extractall(dest, members=members)  # noqa: S202 - regular files from our own repo
    return dest / rel


def diff_report(content_dir: Path, ref: str, as_of: dt.date | None = None) -> str:
    """Load the content at ref and in content_dir, and describe how they differ."""
    head = load(content_dir, as_of)
    with tempfile.TemporaryDirectory(prefix="atlas-diff-") as tmp:
        base_dir: Path | None = export_content(content_dir, ref, Path(tmp))
        if base_dir is None or not base_dir.is_dir():
            base_dir, base_graph = None, None
        else:
            try:
                base_graph = load(base_dir, as_of)
            except ContentError as err:
                raise DiffError(f"the content at {ref} does not validate ({len(err.problems)} problems); "
                                "nothing to compare with") from None
        entities = entity_changes(entries(base_graph) if base_graph else {}, entries(head), base_dir, content_dir)
    set_in = "--as-of" if as_of else "`content/site.yaml`"
    waiting = pending_lines(pending(base_graph) if base_graph else [], pending(head))
    figures = compare(summarize(base_graph) if base_graph else {}, summarize(head))
    base_date = base_graph.as_of if base_graph else head.as_of
    return render(Report(ref, (base_date, head.as_of), set_in, entities, waiting, figures))
