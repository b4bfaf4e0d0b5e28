"""Run the stages: load, relate, compute, render, write."""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import jinja2

from atlas.speed.cache import EntityCache, Found, build_fingerprint
from atlas.content.folder import load_site
from atlas.site.data import cited_sources, moves_csv
from atlas.speed.downloads import DOWNLOADS, PATHS as DOWNLOAD_PATHS, SITE_WIDE, Downloads, Previous, Spans
from atlas.site.feeds import atom_feed, feed_entries, robots, sitemap
from atlas.site.figures import Palette, palette
from atlas.fileio import write_bytes
from atlas.speed.incremental import KeyMemo, PageCache, PageKeys, Reuse
from atlas.compute.moves import MovesMemo
from atlas.site.pages import Page, Planned, SiteViews, Views, plan_pages
from atlas.speed.parallel import Forked, compile_templates, default_jobs, fork_map
from atlas.model.graph import Graph, build_graph
from atlas.site.render import DiskBytecodeCache, MemoryBytecodeCache, make_env, render_page
from atlas.compute.summaries import Moves, index_moves
from atlas.site.urls import FEED_PATH, SITEMAP_PATH, Urls, data_path
from atlas.site.write import MARKER, Kept, Manifest, OutputError, Staged, built_from, listing, recover, stage_dir, write_site

ROOT = Path(__file__).resolve().parent.parent


class Resident:
    """What a long-lived process (build.py serve) keeps from one build to the next, so
    that a rebuild after an edit reads, parses and recomputes only what the edit touched:
    the entities with their files' stats, each person's moves, the compiled templates,
    the page keys, and what it wrote (so it needs neither the input fingerprint nor the
    page cache on disk, and updates its folder in place)."""

    def __init__(self) -> None:
        self.entities: EntityCache | None = None
        self.moves = MovesMemo()
        self.templates = MemoryBytecodeCache()
        self.atlas_json: Previous | None = None  # where the last build's atlas.json entries lie
        self.manifest = Manifest()  # the files in the folder it builds
        self.page_keys = KeyMemo()
        self.built: tuple[Path, dict[str, str]] | None = None  # the last build's folder and its files' keys

    def keys_in(self, out_dir: Path) -> dict[str, str]:
        """The keys of the files this process last built into out_dir; {} if it built none there."""
        return self.built[1] if self.built is not None and self.built[0] == out_dir else {}

    def atlas_json_in(self, out_dir: Path) -> Previous | None:
        """Where the entries of the atlas.json this process last wrote into out_dir lie."""
        return self.atlas_json if self.built is not None and self.built[0] == out_dir else None

    def manifest_of(self, out_dir: Path) -> Manifest:
        """What this process knows of the files in out_dir (nothing if it built elsewhere last)."""
        if self.built is None or self.built[0] != out_dir:
            self.manifest.files = None
        return self.manifest

    def built_into(self, out_dir: Path, keys: dict[str, str], spans: Spans | None) -> None:
        """Remember a build that succeeded: its folder, its files' keys, its atlas.json."""
        self.built = (out_dir, keys)
        self.atlas_json = _previous_atlas_json(out_dir, spans)

    def entity_cache(self, cache_dir: Path | None) -> EntityCache:
        if self.entities is None:
            self.entities = EntityCache(cache_dir)  # the first build reads (and saves) the disk cache
            if self.entities.stats is None:
                self.entities.stats = {}
            return self.entities
        return self.entities.next_build()


@dataclass(frozen=True)
class BuildReport:
    pages: int
    seconds: float
    out_dir: Path | None
    unchanged: bool = False  # nothing changed since the build in out_dir; nothing was written


def check_collisions(pages: Sequence[Page | Planned]) -> None:
    """Two pages for one path, even differing only in case, stop the build."""
    seen: dict[str, Page] = {}
    for page in pages:
        key = page.out_path.lower()
        if key in seen:
            raise OutputError(f"{page.owner} and {seen[key].owner} both want to write {page.out_path}")
        seen[key] = page


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cycle collector rarely. A build makes millions of objects that live to its
    end, which the default thresholds rescan again and again (a third of the compute stage
    at 10,000 people); the cycles it leaves as garbage are few and small."""
    old = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def load(content_dir: Path, as_of: dt.date | None = None, base_url: str | None = None,
         cache_dir: Path | None = None) -> Graph:
    """Load and validate content, and build the graph (raises ContentError)."""
    return build_graph(load_site(content_dir, as_of, base_url, EntityCache(cache_dir)))


def run(content_dir: Path, out_dir: Path, *, as_of: dt.date | None = None, base_url: str | None = None,
        templates_dir: Path = ROOT / "templates", static_dir: Path = ROOT / "static",
        jobs: int | None = None, cache_dir: Path | None = None,
        progress: Callable[[str, int, int], None] | None = None, fingerprint: str | None = None,
        resident: Resident | None = None, found: Found | None = None, leave: list[object] | None = None) -> BuildReport:
    """Build the site from content_dir into out_dir; nothing is written unless all succeeds.

    Pages are rendered by `jobs` processes (None: one per core for large sites, see
    parallel.py) and streamed to the writer, so they are never all held in memory. With a
    cache_dir, unchanged files are not parsed again, and a build whose inputs all equal
    those of the build in out_dir does nothing. `progress(stage, done, total)` is told how
    far the build is. `fingerprint` is build_fingerprint() of these inputs when the caller
    has just computed it (at 100,000 files it takes a second or two), and `found` the
    content entries it listed (emptied once read). A `resident` carries what can be
    reused from one build to the next within this process. `leave` is given what the
    build made when the process ends with it, which then need not be freed here.
    """
    tell = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    stamp = None
    if cache_dir is not None and resident is None:
        if fingerprint is None:
            found = {}
            fingerprint = build_fingerprint(content_dir, templates_dir, static_dir, as_of, base_url, found)
        stamp = fingerprint
        if built_from(out_dir) == stamp:
            return BuildReport(0, time.perf_counter() - started, out_dir, unchanged=True)
    with fewer_collections():
        count = _build(content_dir, out_dir, as_of, base_url, templates_dir, static_dir, jobs, cache_dir, stamp, tell,
                       resident, found if stamp is not None else None, leave)
    return BuildReport(count, time.perf_counter() - started, out_dir)


def _build(content_dir: Path, out_dir: Path, as_of: dt.date | None, base_url: str | None, templates_dir: Path,
           static_dir: Path, jobs: int | None, cache_dir: Path | None, stamp: str | None,
           tell: Callable[[str, int, int], None], resident: Resident | None = None, found: Found | None = None,
           leave: list[object] | None = None) -> int:
    """The stages of run() after the no-op check; returns the number of files written."""
    tell("loading", 0, 1)
    recover(out_dir)  # an update killed midway is undone before anything looks at the folder
    # The files of the previous build are listed on the other core while this one loads.
    listed = Forked(lambda: listing(out_dir)) if resident is None and (out_dir / MARKER).is_file() else None
    cache = resident.entity_cache(cache_dir) if resident is not None else EntityCache(cache_dir)
    cache.background = True
    stage = stage_dir(out_dir)
    downloads = None
    try:
        graph = build_graph(load_site(content_dir, as_of, base_url, cache, save=False, found=found))
        if found is not None:
            found.clear()  # read: 100,000 entries need not live as long as the build
        urls = Urls(graph.site.config.base_url)
        # atlas.json needs only the entities: it is made on the other core from now on.
        downloads = Downloads(graph, urls, stage, cache_dir, cache.hashes,
                              resident.atlas_json_in(out_dir) if resident is not None else None, resident is not None)
        colours = palette(graph)
        page_cache = PageCache(cache_dir, out_dir) if cache_dir is not None and stamp is not None else None
        reuse = _reuse(graph, cache, templates_dir, out_dir, colours, page_cache, resident)
        keys: dict[str, str] = {}  # filled with each file's key as it is made or kept
        keep = []  # the downloads kept as they are
        if reuse is not None and reuse.keys.site is not None:
            keys.update((data_path(name), reuse.keys.site) for name in SITE_WIDE)
            keep = [name for name in SITE_WIDE if reuse.can_keep(data_path(name), reuse.keys.site)]
        # The cited sources feed sources.csv and the About page, both kept when those are.
        sources = None if len(keep) == len(SITE_WIDE) else cited_sources(graph.site)
        # The other downloads need only the graph: they are made on the other core while moves are computed.
        downloads.rest(sources, keep)
        tell("computing", 0, 1)
        memo = resident.moves if resident is not None else cache.moves if isinstance(cache.moves, MovesMemo) else MovesMemo()
        moves = index_moves(graph, graph.site.config.as_of, memo)
        cache.moves = memo  # saved with the entities: the next build reuses the moves of people who did not change
        cache.save()
        shared = SiteViews(Views(graph, moves, urls, colours), sources)
        public = public_tasks(graph, moves, lambda: pages, urls, shared)
        pages = plan_pages(graph, moves, shared, _kept_site_pages(reuse, {path for path, _ in public} | set(DOWNLOAD_PATHS)))
        check_collisions(pages)
        compiled = (resident.templates if resident is not None else
                    DiskBytecodeCache(cache_dir) if cache_dir is not None else None)
        env = make_env(templates_dir, graph.site, urls, compiled)
        files = itertools.chain(all_files(env, pages, public, jobs, reuse, keys, stage), downloads.files())
        try:
            count = write_site(out_dir, _counted(files, len(pages) + len(public) + len(DOWNLOADS), tell), static_dir,
                               stamp, in_place=resident is not None,
                               manifest=resident.manifest_of(out_dir) if resident is not None else
                               Manifest(listed.result()) if listed is not None else None)
        except OSError:
            if resident is not None:
                resident.built = None  # the folder may be half updated: trust none of its files
            raise
        if page_cache is not None:
            page_cache.save(stamp, keys, reuse.keys.memo if reuse is not None else None)  # type: ignore[arg-type]  # a page cache implies a stamp
        if isinstance(compiled, DiskBytecodeCache):
            compiled.save()
        if resident is not None:
            resident.built_into(out_dir, keys, downloads.spans)
    finally:
        if listed is not None:
            listed.stop()  # still running only if the build failed
        if downloads is not None:
            downloads.stop()  # still running only if the build failed
        cache.wait()
        shutil.rmtree(stage, ignore_errors=True)
        if leave is not None:
            leave.append(locals())  # the model, the cache, the pages, ...
    return count


def _reuse(graph: Graph, cache: EntityCache, templates_dir: Path, out_dir: Path, colours: Palette,
           page_cache: PageCache | None, resident: Resident | None) -> Reuse | None:
    """What can be kept of the build in out_dir: known from this process when it made
    that build, else from the page cache on disk; None when nothing is known."""
    if page_cache is not None:
        old_keys, memo = page_cache.load(built_from(out_dir))
        if memo is None:
            memo = KeyMemo()  # filled with the keys found (all_files), for the next build
    elif resident is not None:
        old_keys, memo = resident.keys_in(out_dir), resident.page_keys
    else:
        return None
    keys = PageKeys(graph, cache.hashes, templates_dir, cache.shapes, memo, colours)
    return Reuse(keys, out_dir, old_keys)


def all_files(env: jinja2.Environment, pages: Sequence[Page | Planned], public: Sequence[tuple[str, Callable[[], bytes]]],
              jobs: int | None, reuse: Reuse | None = None, keys: dict[str, str] | None = None,
              stage: Path | None = None) -> Iterator[tuple[str, bytes | Kept | Staged]]:
    """Every page and public file, made on every core, in no fixed order (no file's bytes
    depend on it). The whole-site files go first, so they are made while pages render.
    With `reuse`, files whose key is unchanged are kept from the previous build, and
    every file's key is put in `keys`. When there is a previous build to keep files
    from, the keys are found here and only the other files go to the workers (after one
    edit, that is a few pages out of thousands); otherwise the workers find them, and
    send back the files each key covers for the key memo, if any. Workers write what
    they make into the folder `stage`, when given, so that no page's bytes go through a
    pipe."""
    def render(page: Page | Planned) -> bytes:
        return render_page(env, page).encode("utf-8")

    def staged(i: int, data: bytes) -> Staged:
        path = os.path.join(stage, str(i))  # type: ignore[arg-type]  # only called with a stage
        write_bytes(path, data)
        return Staged(path)

    def file(i: int) -> tuple[str, Callable[[], bytes]]:
        if i < len(public):
            return public[i]
        page = pages[i - len(public)]
        return page.out_path, functools.partial(render, page)

    def task(i: int) -> tuple[str | None, tuple[str, ...] | None, bytes | Staged | None]:
        path, make = file(i)
        key = reuse.keys.key(path) if reuse else None
        covers = reuse.keys.memo.files.get(path) if reuse and reuse.keys.memo is not None else None
        if reuse and key is not None and reuse.can_keep(path, key):
            return key, covers, None  # kept: nothing to send back
        return key, covers, staged(i, make()) if staging else make()

    count = len(public) + len(pages)
    todo: Sequence[int] = range(count)
    memo = reuse.keys.memo if reuse is not None else None
    if reuse is not None and reuse.old_keys:
        todo = []
        for i in range(count):
            path, make = file(i)
            key = reuse.keys.key(path)
            if key is not None and keys is not None:
                keys[path] = key
            if key is not None and reuse.can_keep(path, key):
                yield path, Kept(make)
            else:
                todo.append(i)
        reuse = None  # decided
    # This process's string for each file, for the files that the workers' keys cover.
    paths = {path: path for path in memo.whole} if memo is not None and reuse is not None else {}
    jobs = default_jobs(len(todo)) if jobs is None else jobs
    staging = stage is not None and jobs > 1
    if jobs > 1:
        compile_templates(env, [pages[i - len(public)] for i in todo if i >= len(public)])
    if staging:
        os.makedirs(stage, exist_ok=True)  # type: ignore[arg-type]

    for j, (key, covers, data) in fork_map(lambda j: task(todo[j]), len(todo), jobs, ordered=False, here=True):
        path, make = file(todo[j])
        if key is not None and keys is not None:
            keys[path] = key
        if covers is not None and memo is not None:  # found by a worker: the memo is this process's
            # Mapped to this process's strings, so that the page cache pickles each file once
            # (a worker's come back as copies: 6.8 MB against 4.2 MB at 10,000 people).
            covers = tuple([paths.get(file, file) for file in covers])
            memo.files[path], memo.keys[path] = covers, key  # type: ignore[assignment]  # a page's key is never None
        yield path, Kept(make) if data is None else data


def _counted(files: Iterator[tuple[str, bytes | Kept | Staged]], total: int,
             tell: Callable[[str, int, int], None]) -> Iterator[tuple[str, bytes | Kept | Staged]]:
    for done, item in enumerate(files, 1):
        if done % 250 == 0 or done == total:
            tell("rendering", done, total)
        yield item


def _previous_atlas_json(out_dir: Path, spans: Spans | None) -> Previous | None:
    path = out_dir / data_path("atlas.json")
    try:
        info = path.stat()
    except OSError:
        return None
    return Previous(path, spans, (info.st_size, info.st_mtime_ns)) if spans else None


def _kept_site_pages(reuse: Reuse | None, public: set[str]) -> list[str] | None:
    """The whole-site pages of the last build, when it had the same whole-site key as this
    one (so they are the same pages, all kept); None when they must be computed."""
    if reuse is None or reuse.keys.site is None:
        return None
    paths = sorted(path for path, key in reuse.old_keys.items() if key == reuse.keys.site and path not in public)
    return paths or None


def public_tasks(graph: Graph, moves: Moves, pages: Callable[[], Sequence[Page | Planned]], urls: Urls,
                 shared: SiteViews) -> list[tuple[str, Callable[[], bytes]]]:
    """The feed, sitemap, robots.txt, moves download and .nojekyll: (path, how to make it);
    `pages()` gives every page, `shared` the site timeline."""
    config = graph.site.config
    tasks: list[tuple[str, Callable[[], bytes]]] = [
        (data_path("moves.csv"), lambda: moves_csv(graph, moves.all)),
        (FEED_PATH, lambda: atom_feed(config, feed_entries(shared.timeline, moves.as_of), urls).encode("utf-8")),
        (SITEMAP_PATH, lambda: sitemap([p.out_path for p in pages()], urls).encode("utf-8")),
        ("robots.txt", lambda: robots(urls).encode("utf-8")),
        (".nojekyll", lambda: b""),  # GitHub Pages: serve the files as they are, without Jekyll
    ]
    if config.cname:
        tasks.append(("CNAME", lambda: f"{config.cname}\n".encode("ascii")))  # GitHub Pages custom domain
    return tasks
