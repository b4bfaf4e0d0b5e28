"""The downloads that need only the loaded graph: the search index, atlas.json and two CSVs.

Forked children write them into the staging folder while the parent computes moves and
renders pages. search.json, stints.csv and sources.csv read no entity's prose, so like
the whole-site pages (incremental.py) they are kept when the whole-site key is the one
of the last build; atlas.json holds everything, and reuses the entries of unchanged files
(from the disk cache, or in a long-lived process from the previous file itself).
"""
from __future__ import annotations

import mmap
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from atlas.speed.cache import FragmentCache
from atlas.site.data import Fragments, atlas_json_chunks, cited_sources, sources_csv, stints_csv
from atlas.speed.parallel import Forked
from atlas.model.graph import Graph
from atlas.site.search import search_entries, search_index
from atlas.site.urls import Urls, data_path
from atlas.site.write import Kept, Staged

DOWNLOADS = ("search.json", "atlas.json", "stints.csv", "sources.csv")
SITE_WIDE = ("search.json", "stints.csv", "sources.csv")  # read no prose
PATHS = tuple(data_path(name) for name in DOWNLOADS)


Spans = dict[str, tuple[int, int]]  # atlas.json entry key -> (offset, length) in the file's bytes


class Previous:
    """The atlas.json of the previous build, as a long-lived process remembers it: where
    each entry lies in the file (not the text, 200 MB at 100,000 people), and the file's
    size and modification time, so a file changed since is not trusted."""

    def __init__(self, path: Path, spans: Spans, stat: tuple[int, int]):
        self.path, self.spans, self.stat = path, spans, stat


class _Reread:
    """Entries read back from the previous atlas.json; the others made again."""

    def __init__(self, previous: Previous | None):
        self.data = b""
        self.spans: Spans = {}
        if previous is None:
            return
        try:
            with open(previous.path, "rb") as handle:
                info = os.fstat(handle.fileno())
                if (info.st_size, info.st_mtime_ns) == previous.stat and info.st_size:
                    self.data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # type: ignore[assignment]
                    self.spans = previous.spans
        except OSError:
            pass  # gone: every entry is made again

    def get(self, key: str, make: Callable[[], str]) -> str:
        span = self.spans.get(key)
        if span is None:
            return make()
        return self.data[span[0]:span[0] + span[1]].decode("utf-8")


def makers(graph: Graph, urls: Urls, sources: list[tuple[str, tuple[str, ...]]] | None,
           fragments: Fragments | None = None, hashes: dict[str, str] | None = None,
           spans: Spans | None = None) -> dict[str, Callable[[], Iterable[bytes]]]:
    """How to make each download, as chunks of bytes; `sources` is cited_sources(), found
    here when None."""
    return {
        "search.json": lambda: [search_index(search_entries(graph, urls))],
        "atlas.json": lambda: atlas_json_chunks(graph.site, urls, fragments, hashes, spans),
        "stints.csv": lambda: [stints_csv(graph)],
        "sources.csv": lambda: [sources_csv(cited_sources(graph.site) if sources is None else sources)],
    }


def write_downloads(graph: Graph, urls: Urls, sources: list[tuple[str, tuple[str, ...]]] | None, stage: Path,
                    cache_dir: Path | None = None, hashes: dict[str, str] | None = None,
                    keep: Iterable[str] = (), previous: Previous | None = None,
                    resident: bool = False) -> tuple[list[tuple[str, Staged]], Spans | None]:
    """Write the downloads not in `keep` into the folder `stage` (atlas.json, the largest,
    in pieces): (path in the site, staged file) for each. A long-lived process (`resident`)
    reuses the atlas.json entries of unchanged files from the `previous` file, and gets
    where each entry lies in the new one; otherwise they come from the disk cache in
    cache_dir, which is then saved."""
    stage.mkdir(parents=True, exist_ok=True)  # the output folder's parent may not exist yet
    disk = FragmentCache(cache_dir, "atlas-json") if hashes and cache_dir is not None and not resident else None
    spans: Spans | None = {} if resident and hashes else None
    fragments: Fragments | None = _Reread(previous) if spans is not None else disk
    make = makers(graph, urls, sources, fragments, hashes, spans)
    staged = []
    for name in DOWNLOADS:
        if name in keep:
            continue
        path = stage / name
        with open(path, "wb") as handle:
            handle.writelines(make[name]())
        staged.append((data_path(name), Staged(str(path))))
    if disk is not None:
        disk.save()
    return staged, spans


class Downloads:
    """write_downloads in forked children: atlas.json from as soon as the entities are
    loaded (it needs nothing else), the others once it is known which are kept (`rest`).
    `files()` yields what they made, and the kept downloads (made here only if the
    previous build lost them). Then `spans` tells where each atlas.json entry lies, for a
    long-lived process (see write_downloads)."""

    def __init__(self, graph: Graph, urls: Urls, stage: Path, cache_dir: Path | None, hashes: dict[str, str],
                 previous: Previous | None = None, resident: bool = False):
        self.graph, self.urls, self.stage = graph, urls, stage
        self.keep: tuple[str, ...] = ()  # and how to make them (set by rest())
        self.make: dict[str, Callable[[], Iterable[bytes]]] = {}
        self.spans: Spans | None = None
        # The site-wide downloads are left to rest(): this child makes atlas.json alone.
        self.children = [Forked(lambda: write_downloads(graph, urls, None, stage, cache_dir, hashes, SITE_WIDE,
                                                        previous, resident))]

    def rest(self, sources: list[tuple[str, tuple[str, ...]]] | None, keep: Iterable[str] = ()) -> None:
        """Make the site-wide downloads not in `keep`, in another child; `sources` is
        cited_sources(), found there when None."""
        graph, urls, stage = self.graph, self.urls, self.stage
        self.keep = tuple(keep)
        self.make = makers(graph, urls, sources)
        skip = (*self.keep, "atlas.json")
        if any(name not in skip for name in DOWNLOADS):
            self.children.append(Forked(lambda: write_downloads(graph, urls, sources, stage, keep=skip)))

    def files(self) -> Iterator[tuple[str, Staged | Kept]]:
        for name in self.keep:
            yield data_path(name), Kept(lambda name=name: b"".join(self.make[name]()))  # type: ignore[misc]
        results = [child.result() for child in self.children]  # asked for last: by then the children are long done
        self.spans = results[0][1]  # atlas.json's child's
        for staged, _ in results:
            yield from staged

    def stop(self) -> None:
        for child in self.children:
            child.stop()
