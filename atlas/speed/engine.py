"""The build made fast: the plain pipeline (atlas/build.py) with its steps replaced.

    the site        a first build parses every file on every core and keeps each entity;
                    a rebuild parses only the edited files and reads the others lazily
    the graph       a recording graph (record.py): what each file of the site reads is noted
    making          a first build makes every file on every core; a rebuild makes only the
                    files whose recorded facts an edit changed (changes.py, memos.py)
    writing         a fresh folder, or the changed files moved into the previous build (update.py)

What is kept between builds lives in one database per output folder (store.py). A build
whose inputs all equal those of the build in the output folder does nothing.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import jinja2

from atlas.build import Options, Report, Steps, build
from atlas.compute.graph import Graph
from atlas.content.folder import ContentFile, Parsed, load_site, parse_file
from atlas.content.references import references
from atlas.model.kind import Kind
from atlas.model.records import Site
from atlas.site.outputs import Output
from atlas.site.write import MARKER, check_out_dir, marker, static_files, swap, write_file
from atlas.speed.update import recover
from atlas.speed.ids import Ids
from atlas.speed.inputs import code_version, input_fingerprint, site_key
from atlas.speed.memos import Memos
from atlas.speed.record import Recorder, RecordingGraph, all_vias
from atlas.speed.store import Store, open_store, pack
from atlas.speed.workers import default_jobs, fork_map

PARSE_CHUNK = 64  # files per message from a parsing worker


def cached_build(options: Options, cache_dir: Path, jobs: int | None = None) -> Report:
    """Build with the speed layer; the same output as build(options), byte for byte."""
    started = time.perf_counter()
    stamp = input_fingerprint(options.content, options.templates, options.static,
                              [f"as_of={options.as_of}", f"base_url={options.base_url}"])
    if built_from(options.out) == stamp:
        return Report(0, 0, time.perf_counter() - started, unchanged=True)
    name = hashlib.sha256(f"{options.content.resolve()}\0{options.out.resolve()}".encode()).hexdigest()[:16]
    store = open_store(cache_dir / f"build-{name}-{code_version()}.sqlite", f"build-{name}-*")
    old = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)  # millions of objects live to the end: rescanning them finds nothing
    try:
        from atlas.speed.incremental import Incremental

        steps: Cached = Incremental(store, options, stamp, jobs)
        if not steps.possible():
            steps = Full(store, options, stamp, jobs)
        store.begin()
        report = build(options, steps)
        return Report(report.files, report.made, time.perf_counter() - started)
    except BaseException:
        store.rollback()
        raise
    finally:
        gc.set_threshold(*old)
        store.close()


def built_from(out_dir: Path) -> str | None:
    """The input fingerprint of the build in out_dir, if its marker records one."""
    try:
        lines = (out_dir / MARKER).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((line.split(" ", 1)[1] for line in lines if line.startswith("inputs ")), None)


def marker_note(stamp: str, build_id: str) -> str:
    return f"inputs {stamp}\nbuild {build_id}"


def build_id(out_dir: Path) -> str | None:
    """Which build of the store the output folder holds, as its marker says."""
    try:
        lines = (out_dir / MARKER).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((line.split(" ", 1)[1] for line in lines if line.startswith("build ")), None)


class Cached(Steps):
    """What first builds and rebuilds share: the recording graph, its memos, compiled
    templates kept on disk, and making files with what each read noted."""

    def __init__(self, store: Store, options: Options, stamp: str, jobs: int | None):
        self.store, self.options, self.stamp, self.jobs = store, options, stamp, jobs
        self.recorder = Recorder()
        self.ids: Ids = Ids()
        self.graph_: RecordingGraph | None = None
        self.memos: Memos | None = None
        self.facts: dict[str, bytes] = {}  # path in the site -> what it was made from, packed
        self.memo_rows: dict[int, tuple[int, str, bytes, bytes, bytes]] = {}  # views made by workers
        self.build_id = os.urandom(8).hex()
        self.count_made = 0

    def templates(self) -> jinja2.BytecodeCache | None:
        """Compiled templates, kept beside the store (Jinja compiles a template again when
        its source changed); those of other versions of the code are removed."""
        folder = self.store.path.parent / f"templates-{code_version()}"
        for old in self.store.path.parent.glob("templates-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(folder))

    def recorded(self, outputs: Sequence[Output], make: Callable[[Output], bytes],
                 into: Path | None = None) -> Iterator[tuple[str, bytes | None]]:
        """Make each output, noting what it read; on every core when there are many. With
        `into`, each process writes the files it makes into that folder itself (and None
        stands for their bytes), so that no page travels through a pipe."""
        memos = self.memos
        assert memos is not None
        memos.take_fresh()  # those made so far are this process's, kept by save()

        def task(i: int) -> tuple[str, bytes | None, bytes, list[tuple[int, str, bytes, bytes, bytes]]]:
            output = outputs[i]
            with self.recorder.frame() as deps:
                data: bytes | None = make(output)
            if into is not None:
                write_file(into, output.path, data)  # type: ignore[arg-type]
                data = None
            return output.path, data, pack(deps), [self.memo_row(key) for key in memos.take_fresh()]

        jobs = default_jobs(len(outputs)) if self.jobs is None else self.jobs
        # The workers make the files; this process takes in what they read and keeps it.
        for _, (path, data, facts, rows) in fork_map(task, len(outputs), jobs, here=into is None):
            self.facts[path] = facts
            for row in rows:
                self.memo_rows.setdefault(row[0], row)
            self.count_made += 1
            yield path, data

    def memo_row(self, key: Any) -> tuple[int, str, bytes, bytes, bytes]:
        """A view made in this process, as the store keeps it."""
        assert self.memos is not None
        return (self.ids.memo(key), key[0], pickle.dumps(key), pack(self.memos.made[key].deps),
                self.memos.dumped(key))

    def made(self) -> int | None:
        return self.count_made

    def all_memo_rows(self) -> None:
        """The views made in this process (before forking, or for its own share)."""
        assert self.memos is not None
        for key in self.memos.made:
            if self.ids.memo(key) not in self.memo_rows:
                row = self.memo_row(key)
                self.memo_rows[row[0]] = row

    def save(self) -> None:
        """Keep what the next build needs, and the numbers given to entities and views."""
        self.all_memo_rows()
        self.store.put_memos(self.memo_rows.values())
        self.store.put_outputs(self.facts.items())
        self.store.put("key", self.key)
        self.store.put("build", self.build_id)
        self.store.put("version", code_version())
        self.store.commit()

    key = ""  # site_key() of this build


class Full(Cached):
    """A first build (or one after the code, a template or the settings changed): every
    file parsed and made, on every core."""

    def possible(self) -> bool:
        return True

    def load(self, options: Options) -> Site:
        self.store.clear()
        site = load_site(options.content, options.kinds, options.as_of, options.base_url, read=self.read)
        self.key = site_key(site.config, options.templates)
        self.keep_references(site, options.kinds)
        return site

    def read(self, files: Sequence[ContentFile]) -> Iterable[Parsed]:
        """Parse every file, on every core when there are many, and keep each entity."""
        rows: list[tuple[str, str, str, tuple[int, ...], str]] = []
        entities: list[tuple[str, bytes]] = []

        def task(i: int) -> tuple[tuple[int, ...], str, bytes | None, list[Any], Any]:
            file = files[i]
            stat, data = stat_of(file.path), Path(file.path).read_bytes()
            entity, problems, raw = parse_file(file)
            blob = pickle.dumps(entity, pickle.HIGHEST_PROTOCOL) if entity is not None else None
            return stat, content_hash(file.src_path, data), blob, problems, raw

        results: list[Parsed | None] = [None] * len(files)
        jobs = default_jobs(len(files)) if self.jobs is None else self.jobs
        for i, (stat, digest, blob, problems, raw) in fork_map(task, len(files), jobs, chunk=PARSE_CHUNK):
            results[i] = (pickle.loads(blob) if blob is not None else None, problems, raw)
            file = files[i]
            rows.append((file.src_path, file.kind.name, file.slug, stat, digest))
            if blob is not None:
                entities.append((digest, blob))
        self.store.put_files(rows)
        self.store.put_entities(entities)
        return results  # type: ignore[return-value]

    def keep_references(self, site: Site, kinds: Sequence[Kind]) -> None:
        number = {via: i for i, via in enumerate(all_vias(kinds))}
        vias = {kind.name: tuple(v for v in number if v.source == kind.name) for kind in kinds}
        rows = [(number[ref.via], ref.slug, entity.src_path, entity.slug, ref.at)
                for kind in kinds for entity in site.table(kind.name).values() for ref in references(entity, vias[kind.name])]
        self.store.put_refs(rows)

    def graph(self, site: Site, kinds: Sequence[Kind]) -> Graph:
        self.graph_ = RecordingGraph(site, kinds, self.ids, self.recorder)
        self.memos = self.graph_.memos = Memos(self.graph_, self.recorder, self.ids)
        return self.graph_

    def make(self, outputs: Sequence[Output], make: Callable[[Output], bytes]) -> Iterator[tuple[str, bytes | None]]:
        """Every file, written into a fresh folder beside the output as it is made."""
        out = self.options.out
        check_out_dir(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        recover(out)
        self.new = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        return self.recorded(outputs, make, into=self.new)

    def write(self, out_dir: Path, files: Iterable[tuple[str, bytes | None]], static_dir: Path) -> int:
        """The fresh folder, made whole, swapped in for the previous build."""
        try:
            count = 0
            for _ in files:
                count += 1
            for rel, data in static_files(static_dir):
                write_file(self.new, rel, data)
            write_file(self.new, MARKER, marker(marker_note(self.stamp, self.build_id)))
            self.new.chmod(0o755)
            swap(self.new, out_dir)
        except BaseException:
            shutil.rmtree(self.new, ignore_errors=True)
            raise
        self.save()
        return count


def stat_of(path: str) -> tuple[int, ...]:
    """What tells a file changed without reading it (as git's index does): inode, size,
    modification and change times, and whether that look can be trusted: a file changed
    again within the clock's resolution of the look keeps its times, so a look within 2 s
    of the last change is not."""
    info = os.stat(path)
    trusted = info.st_mtime_ns < time.time_ns() - 2_000_000_000
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, int(trusted))


def content_hash(src_path: str, data: bytes) -> str:
    return hashlib.sha256(src_path.encode() + b"\0" + data).hexdigest()
