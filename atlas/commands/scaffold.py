"""`python build.py new person|company|model NAME`: write a skeleton that passes check."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from atlas.content.folder import slugify
from atlas.model.dates import PartialDate
from atlas.errors import ContentError, Problem, SourceLoc, did_you_mean
from atlas.content.fields import EXAMPLE_SOURCE, INVALID, Context
from atlas.content.load import load_text
from atlas.commands.schemas import modeline
from atlas.kinds import BY_NAME

KINDS_NEW = ("person", "company", "model")


class ScaffoldError(Exception):
    """The skeleton cannot be written (bad name, file exists, unknown slug...)."""


@dataclass(frozen=True)
class Stub:
    """What the contributor gave on the command line."""

    kind: str
    name: str
    company: str | None = None  # person: first stint's company; model: developer
    role: str | None = None
    start: str | None = None
    source: str | None = None


def _q(text: str) -> str:
    """A YAML scalar for the text: plain when it reads back the same, else quoted."""
    text = text.strip()
    try:
        if load_text(f"k: {text}\n", "-") == {"k": text} and "#" not in text:
            return text
    except ContentError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def skeleton(stub: Stub, src_path: str) -> str:
    """Return the text of the new file."""
    head = [modeline(src_path), f"# {stub.name}: add one line on who or what this is, then delete this line."]
    body = {"person": _person, "company": _company, "model": _model}[stub.kind](stub)
    return "\n".join(head + body) + "\n"


def _date(text: str) -> str:
    """A date in canonical form (see atlas/commands/canonical.py), or the text quoted for check to judge."""
    try:
        return str(PartialDate.parse(text))
    except ValueError:
        return _q(text)


def _person(stub: Stub) -> list[str]:
    lines = [f"name: {_q(stub.name)}"]
    if stub.company:
        lines += ["career:", f"  - company: {stub.company}"]
        lines += [f"    role: {_q(stub.role)}"] if stub.role else []
        lines += [f"    start: {_date(stub.start or '')}", "    sources:", f"      - {_q(stub.source or '')}"]
        lines += ["# Add other jobs as more items of career, each with its own start and sources; then delete this line."]
        return lines
    return lines + [
        "# Uncomment and edit; one item per job (dates: YYYY, YYYY-MM or YYYY-MM-DD,",
        "# '~' before a date for approximately, 'by ' for no later than):",
        "# career:",
        "#   - company: meta-fair          # a slug: the file name in content/companies/",
        "#     role: Research scientist",
        "#     start: ~2019",
        "#     end: 2023-05                # leave out while they are still there",
        "#     sources:",
        f"#       - {EXAMPLE_SOURCE}",
    ]


def _company(stub: Stub) -> list[str]:
    lines = [f"name: {_q(stub.name)}"]
    if stub.source:
        lines += ["sources:", f"  - {_q(stub.source)}"]
    return lines + [
        "# Optional fields (see docs/fields.md): uncomment and edit.",
        "# kind: startup                   # lab, big-tech, startup, investor, media, university, nonprofit, other",
        "# parent: meta                    # slug of the company this is part of",
        "# founded: 2023-05",
        "# hq: Paris, France",
        "# website: https://example.com/",
    ]


def _model(stub: Stub) -> list[str]:
    return [f"name: {_q(stub.name)}", f"company: {stub.company}",
            "# released: 2024-07-18              # uncomment and edit",
            "# authors: [first-author, second-author]   # person slugs, in paper order",
            "sources:", f"  - {_q(stub.source or '')}"]


def _missing(stub: Stub) -> list[str]:
    needs = []
    if stub.kind == "model":
        needs = [o for o, v in (("--company", stub.company), ("--source", stub.source)) if not v]
    elif stub.kind == "person" and (stub.company or stub.start or stub.source or stub.role):
        needs = [o for o, v in (("--company", stub.company), ("--start", stub.start), ("--source", stub.source)) if not v]
    return needs


def _check_company(content_dir: Path, slug: str | None) -> None:
    if slug is None:
        return
    known = {p.stem for p in (content_dir / "companies").glob("*.yaml")}
    if slug not in known:
        hint = did_you_mean(slug, known) or " (create it first: python build.py new company \"Its Name\")"
        raise ScaffoldError(f"unknown company '{slug}'{hint}")


def _validate(text: str, stub: Stub, src_path: str) -> None:
    """Refuse to write a skeleton that check would reject."""
    problems: list[Problem] = []
    try:
        raw = load_text(text, src_path)
    except ContentError as err:
        problems = list(err.problems)
    else:
        record = BY_NAME[stub.kind].schema
        if record.convert(raw, SourceLoc(src_path, 1, 1), "", Context(problems), slug="x", src_path=src_path) is INVALID:
            problems = problems or [Problem(SourceLoc(src_path), "invalid")]
    if problems:
        raise ScaffoldError("the values given do not make a valid file:\n" + "\n".join(str(p) for p in problems))


def create(content_dir: Path, stub: Stub) -> Path:
    """Write content/<folder>/<slug>.yaml for the stub; never overwrite."""
    if stub.kind not in KINDS_NEW:
        raise ScaffoldError(f"cannot create a '{stub.kind}'; use one of {', '.join(KINDS_NEW)}")
    slug = slugify(stub.name)
    if not slug:
        raise ScaffoldError(f"'{stub.name}' has no letters or digits to make a file name from")
    needs = _missing(stub)
    if needs:
        raise ScaffoldError(f"a new {stub.kind} {'with a first job ' if stub.kind == 'person' else ''}also needs "
                            + " and ".join(needs) + ", e.g. --company mistral-ai --start 2024-01 --source https://...")
    _check_company(content_dir, stub.company)
    src_path = f"{BY_NAME[stub.kind].folder}/{slug}.yaml"
    path = content_dir / src_path
    if path.exists():
        raise ScaffoldError(f"{src_path} already exists; edit it instead (nothing was written)")
    text = skeleton(stub, src_path)
    _validate(text, stub, src_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # 'x': fail rather than overwrite
        handle.write(text)
    return path
