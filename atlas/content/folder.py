"""Read a whole content folder into a Site, reporting every problem at once."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Any

from atlas.errors import ContentError, Problem, SourceLoc
from atlas.content.fields import INVALID, SLUG_RE, Context
from atlas.fileio import read_bytes
from atlas.speed.cache import EntityCache, Found
from atlas.speed.incremental import shape_key
from atlas.content.load import load_bytes
from atlas.model.records import NO_LOCS, Site, SiteConfig
from atlas.speed.parallel import cores, fork_split
from atlas.model.graph import check_references
from atlas.content.schema import KINDS, SITE


def load_site(content_dir: Path, as_of: dt.date | None = None, base_url: str | None = None,
              cache: EntityCache | None = None, save: bool = True, found: Found | None = None) -> Site:
    """Load, validate and cross-check everything under content_dir; the cache is saved
    unless the caller will (`save`), with more in it. `found`: the entries of its
    folders, from the build's fingerprint, so that they are neither listed nor looked at again."""
    problems: list[Problem] = []
    cache = cache or EntityCache(None)
    root = content_dir.resolve()
    config = _load_config(root, problems)
    tables: dict[str, dict[str, Any]] = {folder: {} for folder in KINDS}
    slugs: dict[str, set[str]] = {}  # every file found, valid or not, so one bad file is one error
    files_found: list[tuple[str, str, str, str]] = []  # (folder, path, src_path, slug); plain strings: there are many
    entries: dict[str, os.DirEntry[str]] = {}  # src_path -> its entry
    for folder in KINDS:
        files = _content_files(root, folder, problems, found.get(folder) if found is not None else None, entries)
        slugs[folder] = {slug for _, _, slug in files}
        files_found += [(folder, path, src_path, slug) for path, src_path, slug in files]
    for (folder, _, _, slug), entity in zip(files_found, _load_entities(files_found, cache, problems, entries)):
        if entity is not None:
            tables[folder][slug] = entity
    _check_other_files(root, problems)
    if config is None:
        raise ContentError(problems)
    overrides = {k: v for k, v in (("as_of", as_of), ("base_url", base_url)) if v is not None}
    config = dataclasses.replace(config, **overrides)
    site = Site(config, tables["companies"], tables["people"], tables["models"], tables["claims"])
    found = check_references(site, slugs)
    unplaced = {problem.loc.path for problem in found if not problem.loc.line}
    if unplaced:
        # Entities read back from the cache have no locations: parse their files again,
        # so that every problem names its line. Only a build that fails gets here.
        for folder, path, src_path, slug in files_found:
            entity = tables[folder].get(slug)
            if src_path in unplaced and entity is not None and entity.locs is NO_LOCS:
                tables[folder][slug] = _parse_entity(read_bytes(path), src_path, KINDS[folder], [], slug=slug) or entity
        found = check_references(site, slugs)  # the same tables, with those entities replaced
    problems.extend(found)
    if problems:
        raise ContentError(problems)
    if save:
        cache.save()
    return site


def _load_config(root: Path, problems: list[Problem]) -> SiteConfig | None:
    path = root / "site.yaml"
    if not path.is_file():
        problems.append(Problem(SourceLoc("site.yaml"), f"missing: {root}/site.yaml must exist with at least 'title' and 'as_of'"))
        return None
    return _load_entity(path, "site.yaml", SITE, problems, EntityCache(None))


PARALLEL_FILES = 400  # parse in forked workers when at least this many files changed
LOAD_CHUNK = 64  # files per worker task


def _load_entities(found: list[tuple[str, str, str, str]], cache: EntityCache, problems: list[Problem],
                   entries: dict[str, os.DirEntry[str]]) -> list[Any]:
    """The entity of each (folder, path, src_path, slug), or None where it has problems; files
    unchanged since the cached build are not parsed again, many changed ones are parsed on
    every core."""
    entities: list[Any] = [None] * len(found)
    todo: list[int] = []
    for i, (_, path, src_path, _) in enumerate(found):
        key, shape = cache.known_key(path, src_path, entries.get(src_path)), None
        if key is None and cache.entries:  # the bytes are not kept: a worker reads them again, so memory stays flat
            data = read_bytes(path)
            key, shape = cache.key(data, src_path), shape_key(data, src_path)
        if key is not None:
            entities[i] = cache.get(key)
            cache.record(src_path, key, shape)
        if entities[i] is None:
            todo.append(i)

    def parse(j: int) -> tuple[str, str, Any, list[Problem]]:
        folder, path, src_path, slug = found[todo[j]]
        data = read_bytes(path)
        found_problems: list[Problem] = []
        value = _parse_entity(data, src_path, KINDS[folder], found_problems, slug=slug)
        return cache.key(data, src_path), shape_key(data, src_path), value, found_problems

    jobs = cores() if len(todo) >= PARALLEL_FILES else 1
    for j, (key, shape, value, found_problems) in fork_split(parse, len(todo), jobs, chunk=LOAD_CHUNK):
        problems.extend(found_problems)
        cache.record(found[todo[j]][2], key, shape)
        if value is not None:
            entities[todo[j]] = value
            cache.put(key, value)
    return entities


def _load_entity(path: Path, src_path: str, record: Any, problems: list[Problem], cache: EntityCache, **extra: Any) -> Any:
    data = path.read_bytes()
    key = cache.key(data, src_path)
    cached = cache.get(key)
    if cached is not None:
        return cached
    value = _parse_entity(data, src_path, record, problems, **extra)
    if value is not None:
        cache.put(key, value)
    return value


def _parse_entity(data: bytes, src_path: str, record: Any, problems: list[Problem], **extra: Any) -> Any:
    """Parse and validate one file's bytes: the model object, or None (with problems added)."""
    try:
        raw = load_bytes(data, src_path)
    except ContentError as err:
        problems.extend(err.problems)
        return None
    ctx = Context(problems)
    if extra:
        extra["src_path"] = src_path
    value = record.convert(raw, SourceLoc(src_path, 1, 1), "", ctx, **extra)
    return None if value is INVALID else value


def _content_files(root: Path, folder: str, problems: list[Problem], listed: list[os.DirEntry[str]] | None = None,
                   keep: dict[str, os.DirEntry[str]] | None = None) -> list[tuple[str, str, str]]:
    """List a kind's files, sorted, rejecting bad names, symlinks and case collisions.
    `listed`: the folder's entries as the fingerprint found them (then only a real
    folder's). The files' entries are put in `keep` by src_path."""
    if listed is None:
        base = root / folder
        if base.is_symlink():
            problems.append(Problem(SourceLoc(folder), "is a symbolic link; content folders must be real folders"))
            return []
        if not base.is_dir():
            return []
        with os.scandir(base) as scan:  # its entries know their type without a stat per file
            listed = list(scan)
    found: list[tuple[str, str, str]] = []  # (path, src_path, slug)
    seen: dict[str, str] = {}
    for entry in sorted(listed, key=lambda e: e.name):
        name = entry.name
        stem, dot, suffix = name.rpartition(".")
        stem, suffix = (stem, dot + suffix) if dot and stem else (name, "")
        src_path = f"{folder}/{name}"
        if name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(Problem(SourceLoc(src_path), "is a symbolic link; content files must be regular files"))
            continue
        if entry.is_dir() or suffix not in (".yaml", ".yml"):
            problems.append(Problem(SourceLoc(src_path), f"unexpected {'folder' if entry.is_dir() else 'file'}; {folder}/ holds only <slug>.yaml files"))
            continue
        if suffix == ".yml":
            problems.append(Problem(SourceLoc(src_path), f"rename to {stem}.yaml (the extension is .yaml)"))
            continue
        if not SLUG_RE.match(stem):
            suggestion = slugify(stem)
            problems.append(Problem(SourceLoc(src_path), f"file name '{stem}' is not a slug (lower-case ASCII words joined by hyphens); rename to {suggestion or 'a slug'}.yaml"))
            continue
        folded = stem.lower()
        if folded in seen:
            problems.append(Problem(SourceLoc(src_path), f"slug collides with {seen[folded]}"))
            continue
        seen[folded] = src_path
        found.append((entry.path, src_path, stem))
        if keep is not None:
            keep[src_path] = entry  # its stat is the fingerprint's, or looked up once when asked
    return found


def _check_other_files(root: Path, problems: list[Problem]) -> None:
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.name == "site.yaml" or path.name in KINDS:
            continue
        if path.name == "README.md":
            continue
        problems.append(Problem(SourceLoc(path.name), f"unexpected {'folder' if path.is_dir() else 'file'} in content/; expected site.yaml and the folders {', '.join(KINDS)}"))


def slugify(text: str) -> str:
    """Turn a name into a slug: 'Timothée Lacroix' -> 'timothee-lacroix'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c.lower() if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words)
