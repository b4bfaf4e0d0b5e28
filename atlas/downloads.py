"""The downloads that need only the loaded graph: the search index, atlas.json and two CSVs.

A forked child writes them into the staging folder while the parent computes moves and
renders pages. search.json, stints.csv and sources.csv read no entity's prose, so like
the whole-site pages (incremental.py) they are kept when the whole-site key is the one
of the last build; atlas.json holds everything, and reuses the entries of unchanged files.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from .cache import FragmentCache
from .data import atlas_json_chunks, cited_sources, sources_csv, stints_csv
from .parallel import Forked
from .relate import Graph
from .search import search_entries, search_index
from .urls import Urls, data_path
from .write import Kept, Staged

DOWNLOADS = ("search.json", "atlas.json", "stints.csv", "sources.csv")
SITE_WIDE = ("search.json", "stints.csv", "sources.csv")  # read no prose
PATHS = tuple(data_path(name) for name in DOWNLOADS)


def makers(graph: Graph, urls: Urls, sources: list[tuple[str, tuple[str, ...]]] | None,
           fragments: FragmentCache | None = None,
           hashes: dict[str, str] | None = None) -> dict[str, Callable[[], Iterable[bytes]]]:
    """How to make each download, as chunks of bytes; `sources` is cited_sources(), found
    here when None."""
    return {
        "search.json": lambda: [search_index(search_entries(graph, urls))],
        "atlas.json": lambda: atlas_json_chunks(graph.site, urls, fragments, hashes),
        "stints.csv": lambda: [stints_csv(graph)],
        "sources.csv": lambda: [sources_csv(cited_sources(graph.site) if sources is None else sources)],
    }


def write_downloads(graph: Graph, urls: Urls, sources: list[tuple[str, tuple[str, ...]]] | None, stage: Path,
                    cache_dir: Path | None = None, hashes: dict[str, str] | None = None,
                    keep: Iterable[str] = (), fragments: dict[str, str] | None = None,
                    ) -> tuple[list[tuple[str, Staged]], dict[str, str], list[str]]:
    """Write the downloads not in `keep` into the folder `stage` (atlas.json, the largest,
    in pieces). Returns (path in the site, staged file) for each, and the atlas.json
    entries this run made with the keys of all it used when they come from `fragments`
    (kept in memory by a long-lived process). Otherwise they come from the disk cache in
    cache_dir, which is then saved."""
    stage.mkdir(parents=True, exist_ok=True)  # the output folder's parent may not exist yet
    cache = None
    if hashes and (fragments is not None or cache_dir is not None):
        cache = FragmentCache(cache_dir, "atlas-json", fragments)
    make = makers(graph, urls, sources, cache, hashes)
    staged = []
    for name in DOWNLOADS:
        if name in keep:
            continue
        path = stage / name
        with open(path, "wb") as handle:
            handle.writelines(make[name]())
        staged.append((data_path(name), Staged(str(path))))
    if cache is None:
        return staged, {}, []
    if fragments is None:
        cache.save()
        return staged, {}, []
    return staged, cache.new(), list(cache.used)


class Downloads:
    """write_downloads running in a forked child; `files()` yields what it made, and the
    kept downloads (made here only if the previous build lost them). Then `fragments`
    holds the atlas.json entries of this build, for the next one in this process."""

    def __init__(self, graph: Graph, urls: Urls, sources: list[tuple[str, tuple[str, ...]]] | None, stage: Path,
                 cache_dir: Path | None, hashes: dict[str, str], keep: Iterable[str] = (),
                 fragments: dict[str, str] | None = None):
        self.keep = tuple(keep)
        self.make = makers(graph, urls, sources)
        self.fragments = fragments
        self.child = Forked(lambda: write_downloads(graph, urls, sources, stage, cache_dir, hashes, self.keep, fragments))

    def files(self) -> Iterator[tuple[str, Staged | Kept]]:
        for name in self.keep:
            yield data_path(name), Kept(lambda name=name: b"".join(self.make[name]()))  # type: ignore[misc]
        staged, made, used = self.child.result()  # asked for last: by then the child is long done
        known = self.fragments or {}
        self.fragments = {key: made[key] if key in made else known[key] for key in used}
        yield from staged

    def stop(self) -> None:
        self.child.stop()
