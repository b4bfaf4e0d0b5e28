"""Run the stages: load, relate, compute, render, write."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from .content import load_site
from .data import atlas_json, moves_csv, stints_csv
from .feeds import atom_feed, feed_entries, robots, sitemap
from .pages import Page, plan_pages
from .relate import Graph, build_graph
from .render import make_env, render_page
from .search import search_entries, search_index
from .summaries import Moves, index_moves
from .timeline import site_timeline
from .urls import FEED_PATH, SITEMAP_PATH, Urls, data_path
from .write import OutputError, write_site

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildReport:
    pages: int
    seconds: float
    out_dir: Path | None


def check_collisions(pages: list[Page]) -> None:
    """Two pages for one path, even differing only in case, stop the build."""
    seen: dict[str, Page] = {}
    for page in pages:
        key = page.out_path.lower()
        if key in seen:
            raise OutputError(f"{page.owner} and {seen[key].owner} both want to write {page.out_path}")
        seen[key] = page


def load(content_dir: Path, as_of: dt.date | None = None, base_url: str | None = None) -> Graph:
    """Load and validate content, and build the graph (raises ContentError)."""
    return build_graph(load_site(content_dir, as_of, base_url))


def run(content_dir: Path, out_dir: Path, *, as_of: dt.date | None = None, base_url: str | None = None,
        templates_dir: Path = ROOT / "templates", static_dir: Path = ROOT / "static") -> BuildReport:
    """Build the site from content_dir into out_dir; nothing is written unless all succeeds."""
    started = time.perf_counter()
    graph = load(content_dir, as_of, base_url)
    moves = index_moves(graph, graph.site.config.as_of)
    pages = plan_pages(graph, moves)
    check_collisions(pages)
    env = make_env(templates_dir, graph.site, Urls(graph.site.config.base_url))
    rendered = [(p.out_path, render_page(env, p).encode("utf-8")) for p in pages]
    rendered += public_files(graph, moves, pages, Urls(graph.site.config.base_url))
    write_site(out_dir, rendered, static_dir)
    return BuildReport(len(rendered), time.perf_counter() - started, out_dir)


def public_files(graph: Graph, moves: Moves, pages: list[Page], urls: Urls) -> list[tuple[str, bytes]]:
    """The feed, sitemap, robots.txt, search index, data downloads and .nojekyll."""
    config = graph.site.config
    entries = feed_entries(site_timeline(graph, moves), moves.as_of)
    return [
        (FEED_PATH, atom_feed(config, entries, urls).encode("utf-8")),
        (SITEMAP_PATH, sitemap([p.out_path for p in pages], urls).encode("utf-8")),
        ("robots.txt", robots(urls).encode("utf-8")),
        (".nojekyll", b""),  # GitHub Pages: serve the files as they are, without Jekyll
        (data_path("search.json"), search_index(search_entries(graph, urls))),
        (data_path("atlas.json"), atlas_json(graph.site, urls)),
        (data_path("stints.csv"), stints_csv(graph)),
        (data_path("moves.csv"), moves_csv(graph, moves.all)),
    ]
