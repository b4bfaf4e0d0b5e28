"""Fixtures for browser tests: the default site built under a sub-path, served over HTTP,
and headless Chromium driven by Playwright.

The tests skip when Chromium or Playwright is not installed. In CI (.ci/run sets
ATLAS_REQUIRE_TOOLS=1) a missing browser, Playwright or axe-core fails them instead.
"""
from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

from atlas.build import Options, build
from ci_guards import missing_tool
from conftest import SEED

SUB_PATH = "/talent-atlas/"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return found if found and Path(found).exists() else None


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the default site under /talent-atlas/ and serve it; yields the site's URL."""
    root = tmp_path_factory.mktemp("served")
    build(Options(SEED, root / SUB_PATH.strip("/"), base_url=SUB_PATH))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()


def serve(root: Path) -> tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


@pytest.fixture(scope="session")
def served_generated(generated_site: Path) -> Iterator[str]:
    """The generated 2,000-person site (tests/conftest.py), served; yields its URL."""
    server, port = serve(generated_site)
    try:
        yield f"http://127.0.0.1:{port}{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()


def generated_page_types(generated_site: Path, new_only: bool = False) -> list[str]:
    """A page of every type of the generated site, the pages of split lists included (with
    `new_only`, only the types that split lists made: pages 2, a company's list pages)."""
    site = generated_site / SUB_PATH.strip("/")
    year = sorted(p.parents[2].name for p in site.glob("timeline/*/page/2/index.html"))[-1]
    moves = sorted(p.parents[2].name for p in site.glob("moves/*/page/2/index.html"))[-1]
    person = sorted(p.parent.name for p in site.glob("people/*/index.html") if p.parent.name != "page")[0]
    model = sorted(p.parent.name for p in site.glob("models/*/index.html") if p.parent.name != "page")[0]
    company = sorted(p.parents[3].name for p in site.glob("companies/*/people/page/2/index.html")
                     if (p.parents[3] / "departures").is_dir() and (p.parents[3] / "arrivals").is_dir())[0]
    new = ["people/page/2/", "models/page/2/", f"companies/{company}/", f"companies/{company}/people/",
           f"companies/{company}/people/page/2/", f"companies/{company}/departures/", f"companies/{company}/arrivals/",
           f"moves/{moves}/page/2/", f"timeline/{year}/page/2/"]
    return new if new_only else ["", "people/", "companies/", f"people/{person}/", f"models/{model}/", "moves/", "timeline/",
                                 f"timeline/{year}/", "claims/", "about/", "search/?q=li", "404.html", *new]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        missing_tool("Chromium is not installed (apt-get install chromium, or set CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright is not installed (pip install playwright; no browser download needed)")
    with sync_playwright() as p:
        # launch() gives Chromium a fresh temporary --user-data-dir of its own and removes it after
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
