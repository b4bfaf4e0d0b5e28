#!/usr/bin/env python3
"""Measure search in headless Chromium on a built site: bytes transferred and time to results.

    python bench/search.py SITE_DIR [--queries 8] [--pagefind] [--json]

The site is served over HTTP from a local server, under the sub-path it was built for.
For each query (the first letters of a word of a person's name, taken evenly across the
site), a fresh browser context (empty cache) opens the home page, and the query is typed
into the search box by the page itself: the time is from the input event to the first
result link in the results box, measured in the page (performance.now()); the bytes are
those of every response after the page had loaded (the manifest and shards). A second
query in the same context gives the warm time. Needs Playwright and Chromium, as
tests/browser does.

With --pagefind (needs `python -m pip install 'pagefind[bin]'`), a copy of the site whose
entity pages mark only their name for Pagefind (data-pagefind-body on the <h1>) is
indexed by Pagefind's CLI, the indexing is timed, and a page without the site's CSP
(Pagefind's WebAssembly needs 'wasm-unsafe-eval') runs the same queries through
Pagefind's JS API, loading the first 8 results' data as a results list would.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Typed by the page into its own search box; resolves with the milliseconds until a result link shows.
TYPE_AND_WAIT = """query => new Promise(resolve => {
  const box = document.getElementById('q-results'), input = document.getElementById('q');
  let t0 = 0;
  const done = () => { if (box.querySelector('a') || /No match/.test(box.textContent)) { observer.disconnect(); resolve(performance.now() - t0); } };
  const observer = new MutationObserver(done);
  observer.observe(box, {childList: true, subtree: true, characterData: true, attributes: true});
  t0 = performance.now();
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
}).then(ms => [ms, transferred(0)])"""

# Bytes of every response the page received since it loaded (headers and body, as sent).
TRANSFERRED = """window.transferred = since => performance.getEntriesByType('resource')
  .filter(e => e.startTime >= since).reduce((n, e) => n + e.transferSize, 0)"""

PAGEFIND_SEARCH = """async query => {
  const t0 = performance.now();
  const found = await window.pf.search(query);
  const data = await Promise.all(found.results.slice(0, 8).map(r => r.data()));
  return [performance.now() - t0, found.results.length];
}"""

PAGEFIND_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pagefind bench</title>
<script type="module">
import * as pf from "./pagefind/pagefind.js";
await pf.options({ baseUrl: "/" });
await pf.init();
window.pf = pf;
document.title = "ready";
</script></head><body></body></html>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@functools.lru_cache(maxsize=None)
def _wasm_type() -> None:
    _Quiet.extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".js": "text/javascript"}


def serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    _wasm_type()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def entities(site: Path) -> list[dict[str, Any]]:
    """Every entity of the site's search index, from its shards."""
    found: dict[str, dict[str, Any]] = {}
    for shard in sorted((site / "data" / "search").glob("*.json")):
        if shard.name != "index.json":
            for item in json.loads(shard.read_text(encoding="utf-8"))["items"]:
                found[item["u"]] = item
    return sorted(found.values(), key=lambda i: i["u"])


def queries(items: list[dict[str, Any]], count: int) -> list[str]:
    """The first letters (up to 5) of the longest word of the names of people taken evenly."""
    people = [i for i in items if i["k"] == "person"]
    step = max(len(people) // count, 1)
    picked = people[::step][:count]
    return [max(re.findall(r"\w+", i["n"]), key=len)[:5].lower() for i in picked]


def ours(site: Path, base: str, terms: list[str], browser: Any) -> list[dict[str, Any]]:
    rows = []
    for query, warm in zip(terms, terms[1:] + terms[:1]):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.evaluate(TRANSFERRED)
        page.evaluate("performance.clearResourceTimings()")  # the page's own CSS and script are not the search's
        cold_ms, cold_bytes = page.evaluate(TYPE_AND_WAIT, query)
        hits = page.locator("#q-results li").count()
        warm_ms, _ = page.evaluate(TYPE_AND_WAIT, warm)
        rows.append({"query": query, "cold_ms": cold_ms, "bytes": cold_bytes, "hits": hits, "warm_ms": warm_ms})
        context.close()
    return rows


def pagefind_build(site: Path) -> tuple[Path, float, dict[str, int]]:
    """A copy of the site whose entity pages mark their name for Pagefind (data-pagefind-body
    on the <h1>: only pages with it are indexed, and only that), indexed by Pagefind's CLI.
    Returns the copy and the seconds the indexing took."""
    copy = site.with_name(site.name + "-pagefind")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy)
    for folder in ("people", "companies", "models"):
        for page in (copy / folder).glob("*/index.html"):
            html = page.read_text(encoding="utf-8")
            page.write_text(html.replace("<h1>", "<h1 data-pagefind-body>", 1), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--silent"], check=True)
    seconds = time.perf_counter() - started
    files = [p for p in (copy / "pagefind").rglob("*") if p.is_file()]
    return copy, seconds, {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
                           "largest": max(p.stat().st_size for p in files)}


def pagefind(site: Path, base: str, terms: list[str], browser: Any) -> list[dict[str, Any]]:
    (site / "pagefind-bench.html").write_text(PAGEFIND_PAGE)
    rows = []
    try:
        for query in terms:
            context = browser.new_context()
            page = context.new_page()
            seen: list[tuple[str, Any]] = []
            phase = ["startup"]

            def note(request: Any) -> None:
                seen.append((phase[0], request))

            context.on("requestfinished", note)  # Pagefind fetches from a worker too: listen on the context
            page.goto(base + "pagefind-bench.html")
            page.wait_for_function("document.title === 'ready'")
            page.wait_for_load_state("networkidle")
            phase[0] = "search"
            ms, hits = page.evaluate(PAGEFIND_SEARCH, query)
            page.wait_for_load_state("networkidle")
            size = sum(_size(r) for p, r in seen if p == "search")
            startup = [r for p, r in seen if p == "startup"]
            # Its script, WebAssembly and entry file load when Pagefind starts, before any query: counted apart.
            rows.append({"query": query, "cold_ms": ms, "bytes": size,
                         "with_startup": size + sum(_size(r) for r in startup if "/pagefind/" in r.url), "hits": hits})
            context.close()
    finally:
        (site / "pagefind-bench.html").unlink()
    return rows


def _size(request: Any) -> int:
    sizes = request.sizes()
    return int(sizes["responseBodySize"] + sizes["responseHeadersSize"])


def index_files(site: Path) -> dict[str, int]:
    manifest = site / "data" / "search" / "index.json"
    shards = [p.stat().st_size for p in (site / "data" / "search").glob("*.json") if p != manifest]
    return {"files": len(shards) + 1, "bytes": sum(shards) + manifest.stat().st_size, "largest": max(shards),
            "manifest": manifest.stat().st_size}


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("error: needs Chromium (apt-get install chromium)")
    return found


@contextlib.contextmanager
def browser_session() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"queries": len(rows), "median_ms": statistics.median(r["cold_ms"] for r in rows),
            "max_ms": max(r["cold_ms"] for r in rows), "median_bytes": statistics.median(r["bytes"] for r in rows),
            "max_bytes": max(r["bytes"] for r in rows),
            **({"warm_median_ms": statistics.median(r["warm_ms"] for r in rows)} if "warm_ms" in rows[0] else {}),
            **({"max_with_startup": max(r["with_startup"] for r in rows)} if "with_startup" in rows[0] else {})}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Bytes and time of a search in Chromium on a built site.")
    parser.add_argument("site", type=Path, help="a built site, served at / (build with base_url /)")
    parser.add_argument("--queries", type=int, default=8)
    parser.add_argument("--pagefind", action="store_true", help="also index with Pagefind and measure its search")
    parser.add_argument("--json", action="store_true", help="print one JSON object (for bench/run.py)")
    args = parser.parse_args(argv)
    items = entities(args.site)
    terms = queries(items, args.queries)
    indexed = pagefind_build(args.site) if args.pagefind else None
    server, base = serve(args.site)
    result: dict[str, Any] = {"entities": len(items), "terms": terms}
    try:
        with browser_session() as browser:
            rows = ours(args.site, base, terms, browser)
            result["ours"] = {**summary(rows), "rows": rows, "index": index_files(args.site)}
            if indexed:
                copy, seconds, index = indexed
                pf_server, pf_base = serve(copy)
                try:
                    rows = pagefind(copy, pf_base, terms, browser)
                finally:
                    pf_server.shutdown()
                    pf_server.server_close()
                    shutil.rmtree(copy, ignore_errors=True)
                result["pagefind"] = {**summary(rows), "index_seconds": seconds, "index": index, "rows": rows}
    finally:
        server.shutdown()
        server.server_close()
    if args.json:
        print(json.dumps(result))
        return 0
    for name in ("ours", "pagefind"):
        if name in result:
            r = result[name]
            print(f"{name}: {r['queries']} queries over {len(items):,} entities; typing to results median "
                  f"{r['median_ms']:.0f} ms (max {r['max_ms']:.0f})" +
                  (f", warm {r['warm_median_ms']:.0f} ms" if "warm_median_ms" in r else "") +
                  f"; transferred median {r['median_bytes'] / 1000:.1f} KB (max {r['max_bytes'] / 1000:.1f} KB)" +
                  (f", {r['max_with_startup'] / 1000:.1f} KB with its start-up" if "max_with_startup" in r else "") +
                  f"; index {r['index']['files']:,} files, {r['index']['bytes'] / 1e6:.2f} MB, largest {r['index']['largest'] / 1000:.1f} KB" +
                  (f"; indexed in {r['index_seconds']:.1f} s" if "index_seconds" in r else ""))
            for row in r["rows"]:
                print(f"  {row['query']!r}: {row['cold_ms']:.0f} ms, {row['bytes'] / 1000:.1f} KB, {row['hits']} results")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
