"""Read a content folder into a Site, reporting every problem at once."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from atlas.content.fields import INVALID, SLUG_RE, Context, Record
from atlas.content.load import load_bytes
from atlas.content.references import Reference, Via, kind_vias, raw_references, references, vias as fields_vias
from atlas.content.schema import SITE
from atlas.errors import ContentError, Problem, SourceLoc, did_you_mean
from atlas.model.kind import Kind
from atlas.model.records import Site, SiteConfig


@dataclass(frozen=True)
class ContentFile:
    """One entity's file."""

    kind: Kind
    slug: str
    path: str  # where it is on disk
    src_path: str  # where it is in the content folder, as messages name it: "people/ada.yaml"


# A file's entity and its problems; when it has problems, the entity is None and the YAML
# as read is given instead (None if unreadable), so that its references are checked too.
Parsed = tuple[Any, list[Problem], Any]
# How files become entities: parse_files, or the speed layer's reader that reuses what it parsed before.
Reader = Callable[[Sequence[ContentFile]], Iterable[Parsed]]


def load_site(content_dir: Path, kinds: Sequence[Kind], as_of: dt.date | None = None, base_url: str | None = None,
              read: Reader | None = None) -> Site:
    """Load, validate and cross-check everything under content_dir (raises ContentError
    with every problem found); `as_of` and `base_url` override site.yaml's."""
    problems: list[Problem] = []
    vias = {**kind_vias(kinds), "site": site_vias()}
    root = content_dir.resolve()
    config = load_config(root, problems)
    files = list_files(root, kinds, problems)
    tables: dict[str, dict[str, Any]] = {kind.name: {} for kind in kinds}
    broken: list[tuple[ContentFile, Any]] = []  # files with problems, as read
    for file, (entity, found, raw) in zip(files, (read or parse_files)(files)):
        problems += found
        if entity is not None:
            tables[file.kind.name][file.slug] = entity
        elif raw is not None:
            broken.append((file, raw))
    # Every file found counts as existing, valid or not: one broken file is one problem.
    slugs: dict[str, set[str]] = {kind.name: set() for kind in kinds}
    for file in files:
        slugs[file.kind.name].add(file.slug)
    folders = {kind.name: kind.folder for kind in kinds}
    names = NameIndex(tables, broken)
    for file, raw in broken:
        written = list(raw_references(raw, vias[file.kind.name], file.src_path, slugs_only=False))
        problems += unknown_slugs((ref for ref in written if SLUG_RE.match(ref.slug)), slugs, folders, names)
        problems = hint_slugs_for_names(problems, [ref for ref in written if not SLUG_RE.match(ref.slug)], slugs, names)
    if config is None:
        raise ContentError(problems)
    overrides = {k: v for k, v in (("as_of", as_of), ("base_url", base_url)) if v is not None}
    tables = {kind: dict(sorted(table.items())) for kind, table in tables.items()}  # in slug order, not file-name order
    site = Site(dataclasses.replace(config, **overrides), tables)
    problems += check_references(site, vias, slugs, folders, names)
    if problems:
        raise ContentError(problems)
    return site


def site_vias() -> tuple[Via, ...]:
    """The fields of site.yaml that name entities (the featured models)."""
    return fields_vias("site", SITE)


def load_config(root: Path, problems: list[Problem]) -> SiteConfig | None:
    path = root / "site.yaml"
    if not path.is_file():
        problems.append(Problem(SourceLoc("site.yaml"), f"missing: {root}/site.yaml must exist with at least 'title' and 'as_of'"))
        return None
    config, _ = parse_entity(path.read_bytes(), "site.yaml", SITE, problems)
    return config


def parse_files(files: Sequence[ContentFile]) -> Iterator[Parsed]:
    """Parse and validate each file."""
    for file in files:
        yield parse_file(file)


def parse_file(file: ContentFile) -> Parsed:
    """One file's entity and problems (and its YAML as read, when it has problems)."""
    problems: list[Problem] = []
    entity, raw = parse_entity(Path(file.path).read_bytes(), file.src_path, file.kind.schema, problems, slug=file.slug)
    return entity, problems, raw if entity is None else None


def parse_entity(data: bytes, src_path: str, record: Record, problems: list[Problem], **extra: Any) -> tuple[Any, Any]:
    """Parse and validate one file's bytes: (the model object or None, the YAML as read or
    None), with problems added. An entity (given `extra`: its slug) also gets its src_path."""
    try:
        raw = load_bytes(data, src_path)
    except ContentError as err:
        problems.extend(err.problems)
        return None, None
    if extra:
        extra["src_path"] = src_path
    value = record.convert(raw, SourceLoc(src_path, 1, 1), "", Context(problems), **extra)
    return (None if value is INVALID else value), raw


def list_files(root: Path, kinds: Sequence[Kind], problems: list[Problem]) -> list[ContentFile]:
    """Every entity file, kind by kind and sorted, rejecting what does not belong."""
    files = [file for kind in kinds for file in _kind_files(root, kind, problems)]
    allowed = {kind.folder for kind in kinds}
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.name in ("site.yaml", "README.md") or path.name in allowed:
            continue
        problems.append(Problem(SourceLoc(path.name), f"unexpected {'folder' if path.is_dir() else 'file'} in content/; "
                                f"expected site.yaml and the folders {', '.join(kind.folder for kind in kinds)}"))
    return files


def _kind_files(root: Path, kind: Kind, problems: list[Problem]) -> list[ContentFile]:
    """A kind's files, sorted, rejecting bad names, symbolic links and case collisions."""
    folder = kind.folder
    base = root / folder
    if base.is_symlink():
        problems.append(Problem(SourceLoc(folder), "is a symbolic link; content folders must be real folders"))
        return []
    if not base.is_dir():
        return []
    with os.scandir(base) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    found: list[ContentFile] = []
    seen: dict[str, str] = {}
    for entry in entries:
        name = entry.name
        stem, dot, suffix = name.rpartition(".")
        stem, suffix = (stem, dot + suffix) if dot and stem else (name, "")
        src_path = f"{folder}/{name}"
        if name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(Problem(SourceLoc(src_path), "is a symbolic link; content files must be regular files"))
        elif entry.is_dir() or suffix not in (".yaml", ".yml"):
            problems.append(Problem(SourceLoc(src_path), f"unexpected {'folder' if entry.is_dir() else 'file'}; "
                                    f"{folder}/ holds only <slug>.yaml files"))
        elif suffix == ".yml":
            problems.append(Problem(SourceLoc(src_path), f"rename to {stem}.yaml (the extension is .yaml)"))
        elif not SLUG_RE.match(stem):
            problems.append(Problem(SourceLoc(src_path), f"file name '{stem}' is not a slug (lower-case ASCII words joined "
                                    f"by hyphens); rename to {slugify(stem) or 'a slug'}.yaml"))
        elif stem.lower() in seen:
            problems.append(Problem(SourceLoc(src_path), f"slug collides with {seen[stem.lower()]}"))
        else:
            seen[stem.lower()] = src_path
            found.append(ContentFile(kind, stem, entry.path, src_path))
    return found


def check_references(site: Site, vias: dict[str, tuple[Via, ...]], slugs: dict[str, set[str]],
                     folders: dict[str, str], names: NameIndex | None = None) -> list[Problem]:
    """Unknown slugs, parent cycles and repeated authors. `slugs` lists every file found
    per kind, including those that failed validation, so that a broken file does not also
    make every reference to it an error; `vias` has the fields of each kind (and "site")
    that refer to others."""
    problems: list[Problem] = []
    for kind, fields in vias.items():
        for entity in ((site.config,) if kind == "site" else site.table(kind).values()):
            problems += unknown_slugs(references(entity, fields), slugs, folders, names)
    problems += _parent_cycles(site)
    problems += _repeated_authors(site)
    return problems


class NameIndex:
    """The names and aliases of every entity, by kind and in slug form ('FAIR' -> 'fair'),
    so that a reference written as a name can be pointed to its slug. Built on first use:
    most runs have no unknown reference."""

    def __init__(self, tables: dict[str, dict[str, Any]], broken: Sequence[tuple[ContentFile, Any]]):
        self.tables = tables
        self.broken = broken
        self.index: dict[str, dict[str, list[tuple[str, str]]]] | None = None

    def find(self, kind: str, text: str) -> list[tuple[str, str]]:
        """(slug, name as written) of each entity of kind called `text`, sorted."""
        if self.index is None:
            self.index = self._build()
        return sorted(set(self.index.get(kind, {}).get(slugify(text), ())))

    def _build(self) -> dict[str, dict[str, list[tuple[str, str]]]]:
        index: dict[str, dict[str, list[tuple[str, str]]]] = {}
        called = [(kind, slug, entity.name, entity.aliases) for kind, table in self.tables.items()
                  for slug, entity in table.items() if hasattr(entity, "aliases")]
        for file, raw in self.broken:  # a file with errors still names its entity
            aliases = raw.get("aliases") if isinstance(raw, dict) else None
            called.append((file.kind.name, file.slug, raw.get("name") if isinstance(raw, dict) else None,
                           aliases if isinstance(aliases, list) else ()))
        for kind, slug, name, aliases in called:
            for text in (name, *aliases):
                if isinstance(text, str) and slugify(text):
                    index.setdefault(kind, {}).setdefault(slugify(text), []).append((slug, text))
        return index


def slug_hint(text: str, kind: str, known: set[str], names: NameIndex | None) -> str:
    """' (did you mean ...?)' for a slug or a name written where a slug of `kind` belongs, or ''."""
    called = names.find(kind, text) if names is not None else []
    if len(called) == 1 or len({slug for slug, _ in called}) == 1:
        slug, name = called[0]
        return f" (did you mean '{slug}'? '{name}' is {'its name' if name == _name_of(names, kind, slug) else 'one of its names'})"
    if called:
        return f" (did you mean {' or '.join(repr(slug) for slug, _ in called)}? each is called '{called[0][1]}')"
    if slugify(text) in known:
        return f" (did you mean '{slugify(text)}'?)"
    return did_you_mean(slugify(text) or text, known)


def _name_of(names: NameIndex | None, kind: str, slug: str) -> str | None:
    entity = names.tables.get(kind, {}).get(slug) if names is not None else None
    return getattr(entity, "name", None)


def unknown_slugs(found: Iterable[Reference], slugs: dict[str, set[str]], folders: dict[str, str],
                  names: NameIndex | None = None) -> list[Problem]:
    """A problem for each reference to a slug that no file has, with the likeliest fix."""
    problems = []
    for ref in found:
        known = slugs[ref.via.target]
        if ref.slug not in known:
            hint = slug_hint(ref.slug, ref.via.target, known, names) or f" (add {folders[ref.via.target]}/{ref.slug}.yaml, or fix the slug)"
            problems.append(Problem(ref.loc, f"{ref.path}: unknown {ref.via.target} '{ref.slug}'{hint}"))
    return problems


def hint_slugs_for_names(problems: list[Problem], written: Sequence[Reference], slugs: dict[str, set[str]],
                         names: NameIndex) -> list[Problem]:
    """Add the slug to the type error of each text written where a slug belongs
    ('company: FAIR'), when the text names an entity or is close to a slug."""
    hints = {(ref.loc, ref.path): slug_hint(ref.slug, ref.via.target, slugs[ref.via.target], names) for ref in written}
    if not any(hints.values()):
        return problems
    result = []
    for problem in problems:
        path = problem.message.split(": ", 1)[0]
        hint = hints.get((problem.loc, path), "")
        result.append(Problem(problem.loc, problem.message + hint) if hint else problem)
    return result


def _parent_cycles(site: Site) -> list[Problem]:
    problems = []
    companies = site.companies
    for slug, company in companies.items():
        seen = {slug}
        parent = company.parent
        while parent in companies:
            if parent in seen:
                loc = company.locs.get("parent") or SourceLoc(company.src_path)
                problems.append(Problem(loc, f"parent: '{company.parent}' leads back to '{slug}'; a company cannot be part of itself"))
                break
            seen.add(parent)
            parent = companies[parent].parent
    return problems


def _repeated_authors(site: Site) -> list[Problem]:
    problems = []
    for model in site.models.values():
        seen: set[str] = set()
        for i, author in enumerate(model.authors):
            if author in seen:
                loc = model.locs.get(f"authors[{i}]") or SourceLoc(model.src_path)
                problems.append(Problem(loc, f"authors[{i}]: '{author}' is listed twice"))
            seen.add(author)
    return problems


def slugify(text: str) -> str:
    """Turn a name into a slug: 'Timothée Lacroix' -> 'timothee-lacroix'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c.lower() if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words)
