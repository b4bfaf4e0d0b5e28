"""Reuse the entity pages whose inputs did not change since the build in the output folder.

An entity page is a function of the code and templates, the build options and site.yaml,
what every page may read of every entity (names, company parents, the chart palette),
and the files of the entities around it. `PageKeys.key` hashes these per page. When a
page's key equals the one recorded for the build now in the output folder, that build's
file is reused instead of rendering the page again.

No entity page shows the prose of another entity, so the files around it count by their
`shape_key` (below) and only its own files whole: editing a bio renders that person's
page again, not their companies' and models'.

The files around an entity are a superset of what the page builders in pages.py read:
for an entity (for a company: it and all its units), the files it refers to, the files
that refer to it, and the files those people's files refer to. The last covers, say, a
company page saying that a former employee left "to found" another company, which only
that other company's founders say. tests/test_incremental.py checks the rule by building
after random edits and comparing with full builds.

Every other page (indexes, moves, timeline, home, ...) and the feed, sitemap and moves
download read the whole site, but none of them reads the top-level Markdown prose of an
entity (a person's bio, a company's or model's description), which only that entity's
own page shows. They share one key: the common digest and the `shape_key` of every file,
its hash without that prose. So an edit to a bio renders one page again, not the indexes.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from atlas.speed.cache import apply_delta, code_version, delta_of, read_dict, worth_a_delta, write_dict
from atlas.content.fields import Text
from atlas.model.records import Site
from atlas.site.figures import Palette, palette
from atlas.model.graph import Graph, targets
from atlas.content.schema import KINDS
from atlas.site.urls import entity_path

PAGE_KINDS = (("company", "companies"), ("person", "people"), ("model", "models"))
# The top-level fields that only an entity's own page shows: its Markdown prose.
PROSE = {folder: tuple(name for name, f in KINDS[folder].fields.items() if isinstance(f.type, Text) and f.type.markdown)
         for _, folder in PAGE_KINDS}
# Such a key at the left margin, the rest of its line, and the lines after it that are
# indented or blank: the value, however it is written (plain, quoted or a block).
_PROSE_BLOCK = {folder: re.compile(rb"^(" + b"|".join(re.escape(n.encode()) for n in names) +
                                   rb"):(?=[ \t\r\n]|$)[^\n]*(?:\n(?:[ \t][^\n]*|[ \t\r\f\v]*)(?=\n|$))*", re.MULTILINE)
                for folder, names in PROSE.items() if names}


def shape_key(data: bytes, src_path: str) -> str:
    """The hash of a file's bytes without its top-level prose blocks (`bio:` and the lines
    indented under it). Only those lines are dropped; anything the pattern does not
    recognise (a flow mapping, an indented document) stays, which only costs reuse."""
    block = _PROSE_BLOCK.get(src_path.split("/", 1)[0])
    if block is not None:
        data = block.sub(rb"\1:", data)  # the key stays; its value goes
    return hashlib.sha256(src_path.encode() + b"\0" + data).hexdigest()


class KeyMemo:
    """Page keys kept between builds, with the files each one covers: while the common
    digest and the references between files are the same, a page none of whose files
    changed keeps its key without computing it. A long-lived process keeps one in
    memory; the page cache saves one (filled by a rebuild, whose keys are found in the
    parent process) for the next build of the same folder."""

    def __init__(self) -> None:
        self.common = b""
        self.out: dict[str, set[str]] = {}
        self.whole: dict[str, str] = {}
        self.files: dict[str, tuple[str, ...]] = {}  # page -> the files its key covers (tuples: small)
        self.keys: dict[str, str] = {}


class PageKeys:
    """The key of every entity page, computed on demand (by the rendering workers) from
    indexes built once: which files each file refers to, and which refer to it."""

    def __init__(self, graph: Graph, hashes: dict[str, str], templates_dir: Path, shapes: dict[str, str] | None = None,
                 memo: KeyMemo | None = None, colours: Palette | None = None):
        site = graph.site
        self.graph = graph
        tables = {"company": site.companies, "person": site.people, "model": site.models, "claim": site.claims}
        # Each file as part of a key: whole for the page's own files, without its prose
        # (which only its own page shows) for the files around it, where the shape is known.
        shapes = shapes or {}
        self.whole = {path: f"{path}\0{key}\n" for path, key in hashes.items()}
        self.shape = {path: f"{path}\0{shapes[path]}\n" if path in shapes else self.whole[path] for path in hashes}
        # A file refers to the same files while its bytes are the same and every slug still
        # names the same file (the same files exist): only the changed files' references
        # are found again, not all 91,000 of 10,000 people's.
        edited = None
        if memo is not None and memo.whole.keys() == self.whole.keys():
            edited = {path for path, part in self.whole.items() if memo.whole[path] != part}
        out = _references(site, tables, hashes, memo.out if memo is not None else {}, edited)
        into: dict[str, set[str]] = defaultdict(set)
        for src_path, paths in out.items():
            for path in paths:
                into[path].add(src_path)
        # Sets, not frozensets: nothing changes them once made, and freezing 26,000 costs 25 ms.
        self.out, self.into = out, dict(into)
        self.pages = {entity_path(kind, slug): (kind, slug) for kind, _ in PAGE_KINDS for slug in tables[kind]}
        self.common = _common_digest(graph, templates_dir, palette(graph) if colours is None else colours)
        self.site = _site_digest(self.common, hashes, shapes)
        self.memo, self.changed = memo, None
        if memo is not None:
            same_refs = (all(out.get(path) == memo.out.get(path) for path in edited) if edited is not None
                         else memo.out == out)
            if memo.common == self.common and same_refs:
                self.changed = edited if edited is not None else {
                    path for path in self.whole.keys() | memo.whole.keys() if self.whole.get(path) != memo.whole.get(path)}
            else:
                memo.files, memo.keys = {}, {}
            memo.common, memo.out, memo.whole = self.common, self.out, self.whole

    def key(self, out_path: str) -> str | None:
        """The key of a page or other file; None when it must be made again."""
        found = self.pages.get(out_path)
        if found is None:
            return self.site
        memo = self.memo
        if memo is not None and self.changed is not None:
            files = memo.files.get(out_path)
            if files is not None and self.changed.isdisjoint(files):
                return memo.keys[out_path]
        kind, slug = found
        site = self.graph.site
        if kind == "company":
            own = [site.companies[u].src_path for u in sorted(self.graph.subtree(slug))]
        else:
            own = [(site.people if kind == "person" else site.models)[slug].src_path]
        none: frozenset[str] = frozenset()
        near = set(own)
        for path in own:
            near |= self.out.get(path, none) | self.into.get(path, none)
        files = set(near)
        for path in near:
            if path.startswith("people/"):
                files |= self.out.get(path, none)  # where someone went: a company page says "left to found X"
        files.difference_update(own)
        unknown = f"?\0{own[0]}\n"  # a file not loaded by this build (never the case for a page)
        parts = sorted([self.whole.get(path, unknown) for path in own] + [self.shape.get(path, unknown) for path in files])
        digest = hashlib.blake2b(self.common, digest_size=20)
        digest.update("".join(parts).encode())
        key = digest.hexdigest()
        if memo is not None:
            memo.files[out_path] = tuple(files.union(own))
            memo.keys[out_path] = key
        return key


def _references(site: Site, tables: dict[str, dict[str, Any]], hashes: dict[str, str], known: dict[str, set[str]],
                 edited: set[str] | None) -> dict[str, set[str]]:
    """The files each loaded file refers to: those in `known` for the files not `edited`,
    and found again for the others (for all files when `edited` is None)."""
    src_of = {kind: {slug: entity.src_path for slug, entity in table.items()} for kind, table in tables.items()}
    out = {path: paths for path, paths in known.items() if path not in edited} if edited is not None else {}
    for kind, slugs, src_path in targets(site, edited):
        if slugs and src_path in hashes:
            found = src_of[kind]
            paths = {found[slug] for slug in slugs if slug in found}
            if paths:
                if src_path in out:
                    out[src_path] |= paths
                else:
                    out[src_path] = paths
    return out


def _site_digest(common: bytes, hashes: dict[str, str], shapes: dict[str, str]) -> str | None:
    """The key of the files that read the whole site but no entity's prose; None unless
    every file's shape is known."""
    if shapes.keys() != hashes.keys():
        return None
    digest = hashlib.blake2b(common, digest_size=20)
    digest.update(b"site\0" + "".join(f"{path}\0{shapes[path]}\n" for path in sorted(shapes)).encode())
    return digest.hexdigest()


def _common_digest(graph: Graph, templates_dir: Path, colours: Palette) -> bytes:
    """What every entity page may read besides its own files."""
    site = graph.site
    digest = hashlib.blake2b(code_version().encode(), digest_size=20)
    for path in sorted(templates_dir.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(repr(site.config).encode())  # site.yaml, with the as_of and base URL of this build
    for kind, table in (("company", site.companies), ("person", site.people), ("model", site.models)):
        for slug in sorted(table):
            digest.update(f"{kind}\0{slug}\0{table[slug].name}\0".encode())  # every link's text
    for slug in sorted(site.companies):
        digest.update(f"{slug}\0{graph.family(slug)}\n".encode())  # families decide what counts as a move
    digest.update(repr(sorted(colours.items())).encode())
    return digest.digest()


# The page cache's tables: the keys of the build's files, and the key memo's.
_TABLES = ("keys", "out", "whole", "files", "memo_keys")


class PageCache:
    """The keys of the files of the build in one output folder, with the key memo that found them.

    Stored in the cache folder under a name derived from the output folder, with the
    fingerprint of that build; trusted only while the output folder's marker holds the
    same fingerprint, i.e. while the folder still holds that build. By the entity cache's
    rule (cache.delta_of, worth_a_delta), it saves only what changed since its base file,
    in a delta file beside it, while that is a tenth at most: after one edit at 10,000
    people, about 2 KB rather than 4.2 MB. Its values are compared by equality: they are
    found again by every build, not read back as the very objects."""

    def __init__(self, cache_dir: Path, out_dir: Path):
        self.name = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
        self.path = cache_dir / f"pages-{code_version()}-{self.name}.pickle"
        self.delta = cache_dir / f"pages-{code_version()}-delta-{self.name}.pickle"
        self.token: str | None = None  # the base file's, once read
        self.base: dict[str, dict[str, Any]] = {}  # its tables, as read: what a delta is made against

    def load(self, built_from: str | None) -> tuple[dict[str, str], KeyMemo | None]:
        """The keys recorded for the build whose fingerprint is `built_from` ({} if unknown),
        and the key memo saved with them, if any."""
        if built_from is None:
            return {}, None
        try:
            stamp, common, tables = self._read()
        except Exception:  # noqa: BLE001 - missing, corrupt or foreign: only a full render
            self.token, self.base = None, {}
            return {}, None
        if stamp != built_from:
            return {}, None
        memo = KeyMemo()
        memo.common, memo.out, memo.whole, memo.files, memo.keys = (
            common, tables["out"], tables["whole"], tables["files"], tables["memo_keys"])
        return tables["keys"], memo

    def _read(self) -> tuple[object, bytes, dict[str, dict[str, Any]]]:
        """The saved stamp, common digest and tables: the base file's, with its delta applied."""
        saved = read_dict(self.path)
        token, tables = saved["token"], saved["tables"]
        if not isinstance(token, str) or set(tables) != set(_TABLES) or not isinstance(saved["common"], bytes):
            raise ValueError("not a page cache")
        stamp, common = saved["stamp"], saved["common"]
        self.token, self.base = token, {name: dict(tables[name]) for name in _TABLES}
        delta = read_dict(self.delta)
        if delta.get("token") == token:
            stamp, common = delta["stamp"], delta["common"]
            for name, (changed, dropped) in delta["changes"].items():
                apply_delta(tables[name], changed, dropped)
            if not isinstance(common, bytes):
                raise ValueError("not a page cache")
        return stamp, common, tables

    def save(self, stamp: str, keys: dict[str, str], memo: KeyMemo | None = None) -> None:
        """Record the keys of the build just made, and the key memo that found them."""
        memo = memo or KeyMemo()
        tables = {"keys": keys, "out": memo.out, "whole": memo.whole, "files": memo.files, "memo_keys": memo.keys}
        if self.token is not None:
            changes = {name: delta_of(self.base[name], tables[name]) for name in _TABLES}
            if worth_a_delta(changes.values(), sum(map(len, tables.values()))):
                write_dict(self.delta, {"token": self.token, "stamp": stamp, "common": memo.common, "changes": changes}, None)
                return
        # A new base, with a new token: any delta beside it is for the old one (and is deleted).
        write_dict(self.path, {"token": os.urandom(16).hex(), "stamp": stamp, "common": memo.common, "tables": tables},
                    f"pages-*-{self.name}.pickle")


class Reuse:
    """Which pages of the previous build in out_dir can be kept: those whose key is the one
    recorded for them. A kept page whose file has gone is rendered by the writer (see
    write.Kept), so this does not look at the files."""

    def __init__(self, keys: PageKeys, out_dir: Path, old_keys: dict[str, str]):
        self.keys, self.out_dir, self.old_keys = keys, out_dir, old_keys

    def can_keep(self, out_path: str, key: str) -> bool:
        return self.old_keys.get(out_path) == key
