"""A rebuild: parse the edited files, find the facts they changed, and make again only
the files of the site that read one of them; everything else is read lazily from the
store, and written files that come out the same are left as they were."""
from __future__ import annotations

import array
import bisect
import dataclasses
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from atlas.build import Options
from atlas.compute.graph import Graph
from atlas.content.folder import (ContentFile, list_files, load_config, load_site, parse_entity, site_vias,
                                  unknown_slugs)
from atlas.content.references import Via, holder_at, kind_vias, references
from atlas.errors import ContentError, Problem
from atlas.model.kind import Kind
from atlas.model.records import Site
from atlas.site.outputs import Output
from atlas.speed.changes import changed_facts
from atlas.speed.cached import Cached, build_id, content_hash, marker_note, stat_of
from atlas.speed.inputs import code_version, site_key
from atlas.speed.memos import MemoKey, Memos, Stored
from atlas.speed.record import FIELDS, MEMO, RecordingGraph, all_vias
from atlas.speed.store import Store, unpack
from atlas.speed.update import files_under, recover, update_site
from atlas.speed.values import load_value

FACT_BYTES = 8


class Incremental(Cached):
    """A rebuild over the build in the output folder (see the module's docstring)."""

    def possible(self) -> bool:
        """Whether the store holds the build now in the output folder, made with this code,
        these templates and these settings."""
        recover(self.options.out)  # an update killed midway is undone first
        store, options = self.store, self.options
        if store.get("version") != code_version() or store.get("build") != build_id(options.out):
            return False
        config = load_config(options.content.resolve(), [])
        if config is None:
            return True  # load() reports the problem
        overrides = {k: v for k, v in (("as_of", options.as_of), ("base_url", options.base_url)) if v is not None}
        self.key = site_key(dataclasses.replace(config, **overrides), options.templates)
        return store.get("key") == self.key

    # -- the site: edited files parsed, the others read when asked for --

    def load(self, options: Options) -> Site:
        root = options.content.resolve()
        problems: list[Problem] = []
        config = load_config(root, problems)
        files = list_files(root, options.kinds, problems)
        if problems or config is None:
            raise self.every_problem(options)
        vias = kind_vias(options.kinds)
        old = self.store.files()
        hashes = {src: row[3] for src, row in old.items()}
        parsed: dict[str, tuple[ContentFile, Any]] = {}  # src_path -> file, new entity
        rows = []
        for file in files:
            stat, known = stat_of(file.path), old.get(file.src_path)
            if known is not None and known[2][:4] == stat[:4] and known[2][4]:
                continue  # unchanged since a look that can be trusted
            data = Path(file.path).read_bytes()
            digest = content_hash(file.src_path, data)
            rows.append((file.src_path, file.kind.name, file.slug, stat, digest))
            hashes[file.src_path] = digest
            if known is None or known[3] != digest:
                entity, _ = parse_entity(data, file.src_path, file.kind.schema, problems, slug=file.slug)
                parsed[file.src_path] = (file, entity)
        found = {file.src_path for file in files}
        removed = {src: row for src, row in old.items() if src not in found}
        self.replaced = [old[src][3] for src in [*parsed, *removed] if src in old]  # hashes that may now be unused
        slugs = {kind.name: {file.slug for file in files if file.kind is kind} for kind in options.kinds}
        self.hash_of = {(row[0], row[1]): row[3] for row in old.values()}
        folders = {kind.name: kind.folder for kind in options.kinds}
        for file, entity in parsed.values():
            if entity is not None:
                problems += unknown_slugs(references(entity, vias[file.kind.name]), slugs, folders)
        problems += unknown_slugs(references(config, site_vias()), slugs, folders)
        if problems or self.left_dangling(removed, parsed, options.kinds) or self.new_cycle_or_repeat(parsed):
            raise self.every_problem(options)

        number = {via: i for i, via in enumerate(all_vias(options.kinds))}  # as the store numbers them
        via_slot = {via: FIELDS + i for via, i in number.items()}  # as facts number them
        self.changed: set[int] = set()
        for src, (file, entity) in parsed.items():
            before = self.store.entity(old[src][3]) if src in old else None
            self.changed |= changed_facts(self.ids, file.kind.name, file.slug, before, entity, vias[file.kind.name], via_slot)
        for src, (kind, slug, _, digest) in removed.items():
            self.changed |= changed_facts(self.ids, kind, slug, self.store.entity(digest), None, vias[kind], via_slot)

        store = self.store
        store.put_files(rows)
        store.drop_files(removed)
        store.put_entities((hashes[src], pickle.dumps(entity, pickle.HIGHEST_PROTOCOL)) for src, (_, entity) in parsed.items())
        store.drop_refs_from([*parsed, *removed])
        store.put_refs((number[ref.via], ref.slug, src, file.slug, ref.at) for src, (file, entity) in parsed.items()
                       for ref in references(entity, vias[file.kind.name]))
        # Committed now, so that forked workers (each with its own connection) read the
        # edited entities too; until this build is saved, the store holds no finished build.
        store.put("build", None)
        store.commit()
        store.begin()
        overrides = {k: v for k, v in (("as_of", options.as_of), ("base_url", options.base_url)) if v is not None}
        overlay = {(file.kind.name, file.slug): entity for file, entity in parsed.values()}
        tables = {kind.name: LazyTable(store, kind.name, sorted((f.slug, hashes[f.src_path]) for f in files if f.kind is kind),
                                       overlay) for kind in options.kinds}
        self.number = number
        return Site(dataclasses.replace(config, **overrides), tables)

    def every_problem(self, options: Options) -> ContentError:
        """The content has problems: list them all, as the plain loader does."""
        try:
            load_site(options.content, options.kinds, options.as_of, options.base_url)
        except ContentError as err:
            return err
        raise AssertionError("a rebuild found a problem the full check does not")  # pragma: no cover

    def left_dangling(self, removed: dict[str, Any], parsed: dict[str, Any], kinds: Sequence[Kind]) -> bool:
        """Whether a file that stays refers to one that went."""
        if not removed:
            return False
        numbered = list(enumerate(all_vias(kinds)))
        gone = {(kind, slug) for kind, slug, _, _ in removed.values()}
        for kind, slug in gone:
            for i, via in numbered:
                if via.target == kind and any(s for s in self.store.referrers(i, slug)
                                              if (via.source, s[0]) not in gone and not _edited(parsed, via.source, s[0])):
                    return True
        return False

    def new_cycle_or_repeat(self, parsed: dict[str, Any]) -> bool:
        """Whether an edited company leads back to itself, or an edited model lists an author twice."""
        for file, entity in parsed.values():
            if file.kind.name == "model" and len(set(entity.authors)) != len(entity.authors):
                return True
            if file.kind.name == "company" and entity.parent:
                seen, parent = {file.slug}, entity.parent
                overlay = {f.slug: e for f, e in parsed.values() if f.kind.name == "company"}
                while parent is not None:
                    if parent in seen:
                        return True
                    seen.add(parent)
                    digest = self.hash_of.get(("company", parent))
                    found = overlay.get(parent) or (self.store.entity(digest) if digest else None)
                    parent = found.parent if found is not None else None
        return False

    # -- the graph: recorded, its references and views read from the store --

    def graph(self, site: Site, kinds: Sequence[Kind]) -> Graph:
        referrers = LazyReferrers(self.store, site, self.number)
        graph = self.graph_ = RecordingGraph(site, kinds, self.ids, self.recorder, referrers)
        self.old_outputs = dict(self.store.outputs())
        memo_facts = dict(self.store.memo_facts())
        self.index = FactIndex([("file", path, facts) for path, facts in self.old_outputs.items()] +
                               [("memo", memo_id, facts) for memo_id, facts in memo_facts.items()])
        self.suspect = self.suspect_views()
        stored = StoredMemos(self.store, self.ids, graph, memo_facts)
        self.memos = graph.memos = Memos(graph, self.recorder, self.ids, stored, self.changed, self.suspect)
        return graph

    def suspect_views(self) -> set[int]:
        """The views that read a changed fact, or a suspect view: all others are reused as kept."""
        suspect: set[int] = set()
        frontier = set(self.changed)
        while frontier:
            _, views = self.index.readers(frontier)
            frontier = {MEMO | memo_id for memo_id in views - suspect}
            suspect |= views
        return suspect

    # -- making: only what read a changed fact --

    def make(self, outputs: Sequence[Output], make: Callable[[Output], bytes]) -> Iterator[tuple[str, bytes]]:
        old = self.old_outputs
        self.existing = files_under(str(self.options.out))
        present = set(self.existing)
        dirty = {o.path for o in outputs if o.path not in old or o.path not in present}
        dirty |= self.readers_of_changes()
        planned = {o.path for o in outputs}
        self.gone = [path for path in old if path not in planned]
        self.kept = [o.path for o in outputs if o.path not in dirty]
        return self.recorded([o for o in outputs if o.path in dirty], make)

    def readers_of_changes(self) -> set[str]:
        """The files that read a changed fact, directly or through a view whose value changed."""
        assert self.memos is not None
        changed = set(self.changed) | {MEMO | memo_id for memo_id in self.suspect if not self.memos.same(MEMO | memo_id)}
        files, _ = self.index.readers(changed)
        return files

    def write(self, out_dir: Path, files: Iterable[tuple[str, bytes]], static_dir: Path) -> int:
        count = update_site(out_dir, files, self.kept, static_dir, self.existing, marker_note(self.stamp, self.build_id))
        self.store.drop_outputs(self.gone)
        self.store.drop_unused_entities(self.replaced)
        self.save()
        return count


def _edited(parsed: dict[str, Any], kind: str, slug: str) -> bool:
    return any(file.kind.name == kind and file.slug == slug for file, _ in parsed.values())


class LazyTable(Mapping[str, Any]):
    """A kind's entities by slug, in slug order: the edited ones as parsed, the others
    read from the store when first asked for."""

    BULK = 500  # entities read one by one before all the others are read at once

    def __init__(self, store: Store, kind: str, slugs: list[tuple[str, str]], overlay: dict[tuple[str, str], Any]):
        self.store, self.kind = store, kind
        self.slugs = [slug for slug, _ in slugs]
        self.hashes = dict(slugs)
        self.loaded = {slug: entity for (kind_, slug), entity in overlay.items() if kind_ == kind}
        self.asked = 0

    def __getitem__(self, slug: str) -> Any:
        found = self.loaded.get(slug)
        if found is None:
            digest = self.hashes[slug]  # KeyError for an unknown slug
            self.asked += 1
            if self.asked == self.BULK:
                slug_of = {digest: slug for slug, digest in self.hashes.items()}
                for found_hash, data in self.store.entities_of(self.kind):
                    other = slug_of.get(found_hash)
                    if other is not None and other not in self.loaded:
                        self.loaded[other] = pickle.loads(data)
                found = self.loaded.get(slug)
            if found is None:
                found = self.loaded[slug] = self.store.entity(digest)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.slugs)

    def __len__(self) -> int:
        return len(self.slugs)

    def __contains__(self, slug: object) -> bool:
        return slug in self.hashes


class LazyReferrers:
    """The graph's reverse references, read from the store when first asked for."""

    def __init__(self, store: Store, site: Site, number: dict[Via, int]):
        self.store, self.site, self.number = store, site, number
        self.found: dict[tuple[Via, str], tuple[tuple[Any, Any], ...]] = {}

    def get(self, key: tuple[Via, str], default: Any = ()) -> tuple[tuple[Any, Any], ...]:
        found = self.found.get(key)
        if found is None:
            via, slug = key
            table = self.site.table(via.source)
            found = self.found[key] = tuple((table[source], holder_at(table[source], via, at))
                                            for source, at in self.store.referrers(self.number[via], slug))
        return found or default


class StoredMemos(Stored):
    """The views the previous build kept, read from the store when first asked for; once
    many of one function's are asked for (every person's moves, say), all of them at once."""

    BULK = 200

    def __init__(self, store: Store, ids: Any, graph: RecordingGraph, facts: dict[int, bytes]):
        self.store, self.ids, self.graph, self.all_facts = store, ids, graph, facts
        self.blobs: dict[int, bytes] = {}
        self.values: dict[int, Any] = {}
        self.asked: dict[str, int] = {}

    def has(self, key: MemoKey) -> bool:
        return self.ids.memo(key) in self.all_facts

    def facts(self, key: MemoKey) -> frozenset[int] | None:
        data = self.all_facts.get(self.ids.memo(key))
        return None if data is None else frozenset(unpack(data))

    def blob(self, key: MemoKey) -> bytes | None:
        memo_id = self.ids.memo(key)
        found = self.blobs.get(memo_id)
        if found is None:
            asked = self.asked[key[0]] = self.asked.get(key[0], 0) + 1
            if asked == self.BULK:
                self.blobs.update(self.store.memo_values(key[0]))
                found = self.blobs.get(memo_id)
            else:
                found = self.store.memo_value(memo_id)
                if found is not None:
                    self.blobs[memo_id] = found
        return found

    def value(self, key: MemoKey) -> Any:
        memo_id = self.ids.memo(key)
        if memo_id not in self.values:
            data = self.blob(key)
            assert data is not None, key
            self.values[memo_id] = load_value(data, self.graph)
        return self.values[memo_id]

    def key_of(self, memo_id: int) -> MemoKey | None:
        return self.store.memo_key(memo_id)


class FactIndex:
    """What each file of the site and each view read, packed end to end, searched for facts."""

    def __init__(self, owners: list[tuple[str, Any, bytes]]):
        self.owners = [(what, name) for what, name, _ in owners]
        self.starts = array.array("q")
        position = 0
        for _, _, facts in owners:
            self.starts.append(position)
            position += len(facts)
        self.data = b"".join(facts for _, _, facts in owners)

    def readers(self, facts: Iterable[int]) -> tuple[set[str], set[int]]:
        """(files, views) that read any of the facts."""
        files: set[str] = set()
        views: set[int] = set()
        data, starts, owners = self.data, self.starts, self.owners
        for fact in facts:
            pattern = fact.to_bytes(FACT_BYTES, "little", signed=True)
            at = data.find(pattern)
            while at != -1:
                if at % FACT_BYTES == 0:
                    what, name = owners[bisect.bisect_right(starts, at) - 1]
                    (files if what == "file" else views).add(name)
                at = data.find(pattern, at + 1)
        return files, views
