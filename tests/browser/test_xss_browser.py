"""Hostile content in a real browser: no payload runs, even with the CSP switched off.

The site is built from the mini fixture with the whole XSS corpus spread over its text
fields (see tests/test_xss.py). Every page is opened in Chromium with `bypass_csp`, so the
sanitizer and escaping alone must stop the payloads; alert/confirm/prompt/print are
hooked before any page script runs, and dialogs are counted too.
"""
from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

from atlas.build import Options, build
from tests.browser.conftest import _Quiet
from tests.test_xss import hostile_content

HOOK = """
window.__xss = 0;
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = function () { window.__xss += 1; };
}
"""
SEARCH_TERMS = ["script", "alert", "onerror", "javascript", "img", "svg"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    root = tmp_path_factory.mktemp("hostile")
    content, _ = hostile_content(root)
    out = root / "www" / "atlas"
    build(Options(content, out, base_url="/atlas/"))
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/atlas/", pages
    finally:
        server.shutdown()
        server.server_close()


def _executions(browser: Any, url: str, pages: list[str]) -> dict[str, int]:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(HOOK)
    found: dict[str, int] = {}
    try:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for rel in pages:
            page.goto(url + rel.removesuffix("index.html"))
            page.wait_for_load_state("load")
            for element in page.query_selector_all("details"):
                element.evaluate("e => e.open = true")  # ontoggle payloads fire on open
            page.mouse.move(5, 5)
            page.mouse.move(600, 400)
            count = page.evaluate("window.__xss") + len(dialogs)
            if count:
                found[rel] = count
            dialogs.clear()
        search = page.query_selector("input[type=search]")
        if search is not None:
            for term in SEARCH_TERMS:
                search.fill(term)
                page.wait_for_timeout(150)
                count = page.evaluate("window.__xss")
                if count:
                    found[f"search:{term}"] = count
    finally:
        context.close()
    return found


def test_no_payload_executes_in_chromium(browser: Any, hostile_site: tuple[str, list[str]]) -> None:
    url, pages = hostile_site
    assert len(pages) >= 15
    assert _executions(browser, url, pages) == {}


def test_the_hook_counts_an_execution(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "x.html").write_text("<!doctype html><title>x</title><img src=nope onerror=alert(1)>")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert _executions(browser, url, ["x.html"]) == {"x.html": 1}
    finally:
        server.shutdown()
        server.server_close()
