"""`python build.py fmt`: put content files in canonical form (atlas/commands/canonical.py),
and the warnings `check` gives about files: not in canonical form, or still holding a
reminder line that `build.py new` wrote.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from atlas.commands.canonical import Canonical, Change, FormatBug, FormatError, canonical
from atlas.content.fields import Record
from atlas.content.schema import SITE
from atlas.errors import Problem, SourceLoc
from atlas.kinds import KINDS

# What the comments `build.py new` writes ask the contributor to do (see scaffold.py).
REMINDERS = ("then delete this line", "uncomment and edit")


def content_files(content_dir: Path) -> list[tuple[Path, str, Record]]:
    """Every content file with its path inside content_dir and its record, sorted."""
    found = []
    if (content_dir / "site.yaml").is_file():
        found.append((content_dir / "site.yaml", "site.yaml", SITE))
    for folder, record in ((kind.folder, kind.schema) for kind in KINDS):
        for path in sorted((content_dir / folder).glob("*.yaml")) if (content_dir / folder).is_dir() else []:
            if path.is_file() and not path.is_symlink():
                found.append((path, f"{folder}/{path.name}", record))
    return found


def format_text(text: str, record: Record, src_path: str = "<text>") -> str:
    """Return text in canonical form (raises FormatError if check cannot read it)."""
    return canonical(text.encode("utf-8"), record, src_path).text


def canonical_warning(data: bytes, result: Canonical, src_path: str) -> Problem | None:
    """A warning at the first line where the file differs from its canonical form, saying
    what to change there; None if it does not differ."""
    text = data.decode("utf-8")
    if result.text == text:
        return None
    written, wanted = text.split("\n"), result.text.split("\n")
    line = next((i for i, (a, b) in enumerate(zip(written, wanted)) if a != b), min(len(written), len(wanted)) - 1) + 1
    covering = [c for c in result.changes if c.line <= line <= c.last_line]
    change = min(covering, key=lambda c: (c.last_line - c.line, c.line)) if covering else _as_written(line, wanted)
    more = len(result.changes) - 1
    fix = "run 'python build.py fmt' to fix it" + (f" and {more} more" if more > 0 else "")
    return Problem(SourceLoc(src_path, change.line, change.col), f"not in canonical form: {change.message}; {fix}")


def _as_written(line: int, wanted: list[str]) -> Change:
    shown = wanted[line - 1] if line <= len(wanted) else ""
    return Change(line, 1, line, f"this line should read: {shown.strip() or '(nothing)'}")


def reminder_warnings(data: bytes, src_path: str) -> list[Problem]:
    """A warning for each comment `build.py new` wrote that is still in the file."""
    found = []
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        comment = line.find("#")
        if comment >= 0 and any(r in line[comment:].lower() for r in REMINDERS):
            found.append(Problem(SourceLoc(src_path, number, comment + 1),
                                 "a reminder written by 'build.py new' is still here; do what it says, then delete it"))
    return found


@dataclass
class Warnings:
    """The warnings about a content folder's files; files check cannot read give none."""

    problems: list[Problem]
    loose: list[str]  # src_paths of files not in canonical form


def file_warnings(content_dir: Path, cache_dir: Path | None = None) -> Warnings:
    """The warnings about every content file.

    The hashes of files found without any are remembered in cache_dir, keyed by the code
    that decides, so that a check of 10,000 files reads again only those that changed.
    """
    known = _load_known(cache_dir)
    clean, problems, loose = set(), [], []
    for path, src_path, record in content_files(content_dir):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            clean.add(digest)
            continue
        try:
            warning = canonical_warning(data, canonical(data, record, src_path), src_path)
        except (FormatError, FormatBug):
            continue  # check reports what it cannot read; fmt reports its own bugs
        found = reminder_warnings(data, src_path) + ([warning] if warning else [])
        problems += found
        loose += [src_path] if warning else []
        if not found:
            clean.add(digest)
    _save_known(cache_dir, clean)
    return Warnings(sorted(problems), loose)


def unformatted(content_dir: Path, cache_dir: Path | None = None) -> list[str]:
    """The src_paths of content files that are not in canonical form."""
    return file_warnings(content_dir, cache_dir).loose


@dataclass
class Formatted:
    changed: list[str]  # src_paths rewritten
    unreadable: list[Problem]  # why some files could not be formatted (as check says it)
    bugs: list[str]  # files left alone because their canonical form would not read back


def format_content(content_dir: Path) -> Formatted:
    """Rewrite every content file in canonical form; files check cannot read are left alone."""
    done = Formatted([], [], [])
    for path, src_path, record in content_files(content_dir):
        data = path.read_bytes()
        try:
            new = canonical(data, record, src_path).text
        except FormatError as err:
            done.unreadable += err.problems
            continue
        except FormatBug as err:
            done.bugs.append(str(err))
            continue
        if new.encode("utf-8") != data:
            tmp = path.with_name(f".{path.name}.fmt-tmp")
            tmp.write_text(new, encoding="utf-8", newline="\n")
            tmp.replace(path)
            done.changed.append(src_path)
    return done


def _cache_file(cache_dir: Path) -> Path:
    code = hashlib.sha256()
    from atlas.commands import canonical as canonical_module
    from atlas.content import fields, hints, load, schema
    from atlas.model import dates

    for module in (__file__, canonical_module.__file__, schema.__file__, fields.__file__, hints.__file__,
                   load.__file__, dates.__file__):
        code.update(Path(module).read_bytes())
    return cache_dir / f"canonical-{code.hexdigest()[:16]}.txt"


def _load_known(cache_dir: Path | None) -> set[str]:
    if cache_dir is None:
        return set()
    try:
        return set(_cache_file(cache_dir).read_text().split())
    except (OSError, UnicodeDecodeError):
        return set()  # no cache, or a corrupt one: check everything


def _save_known(cache_dir: Path | None, digests: set[str]) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = _cache_file(cache_dir)
        tmp = target.with_suffix(".tmp")
        tmp.write_text("".join(f"{d}\n" for d in sorted(digests)))
        tmp.replace(target)
        for old in cache_dir.glob("canonical-*.txt"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time
