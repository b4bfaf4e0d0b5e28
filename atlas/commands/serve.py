"""`python build.py serve`: build, serve on localhost, rebuild on change, reload the browser.

The site is built into a temporary folder, never into site/. The reload script is added
to HTML responses as they are served, so it is never part of a built file. A build that
fails keeps the last good build on the air and shows its problems on every page.
"""
from __future__ import annotations

import html
import json
import mimetypes
import shutil
import tempfile
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from atlas.build import ROOT, Options
from atlas.content.load import load_file
from atlas.errors import ContentError, Problem
from atlas.site.render import TemplateError
from atlas.site.urls import base_path
from atlas.site.write import OutputError
from atlas.speed.engine import cached_build

VERSION_PATH = "/__atlas/version"
# The reload client and the error box's style are files of the server's own origin: the
# pages' Content-Security-Policy (script-src 'self'; style-src 'self') blocks inline
# scripts and style attributes, in a preview as on the published site.
CLIENT_PATH = "/__atlas/reload.js"
STYLE_PATH = "/__atlas/overlay.css"
CLIENT = """/* build.py serve: reload the page when a new build is ready. */
(function () {
  "use strict";
  var seen = null;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (v) {
      if (seen !== null && v.version !== seen) { location.reload(); }
      seen = v.version;
    }).catch(function () {}).then(function () { setTimeout(poll, 500); });
  }
  poll();
})();
""" % VERSION_PATH
STYLE = """/* build.py serve: the box that shows why the last change did not build. */
#atlas-build-error {
  position: fixed; left: 0; right: 0; bottom: 0; max-height: 60vh; overflow: auto; z-index: 99999;
  margin: 0; padding: 1em; border-top: 3px solid #c00; background: #fff3f3; color: #600;
  font: 14px/1.4 monospace; white-space: pre-wrap;
}
"""
PAGE_EXTRA = f'<script src="{CLIENT_PATH}" defer></script>'
ERROR_BOX = (f'<link rel="stylesheet" href="{STYLE_PATH}">'
             '<div id="atlas-build-error" role="alert"><strong>The last change did not build; this is the last good '
             'build.</strong>\n%s</div>')


@dataclass
class State:
    """What the server shows: a build counter, and the last build's error if it failed."""

    version: int = 0
    error: str = ""
    built: bool = False


class Watcher:
    """Rebuilds when a file under the watched folders changes (mtime and size polling)."""

    def __init__(self, folders: list[Path], rebuild: Callable[[], None], interval: float = 0.5):
        self.folders = folders
        self.rebuild = rebuild
        self.interval = interval
        self.stop_event = threading.Event()
        self.last = self.snapshot()

    def snapshot(self) -> tuple[tuple[tuple[str, int, int], ...], ...]:
        """Every file's path, size and modification time (at 10,000 people, 0.08 s)."""
        return tuple(tuple(tree_listing(folder)) for folder in self.folders)

    def poll_once(self) -> bool:
        """Rebuild if anything changed since the last look; True if it did."""
        now = self.snapshot()
        if now == self.last:
            return False
        self.last = now
        self.rebuild()
        return True

    def loop(self) -> None:
        while not self.stop_event.wait(self.interval):
            self.poll_once()


class DevServer:
    """A development server for one content folder (start() runs it in threads)."""

    def __init__(self, content_dir: Path, *, host: str = "127.0.0.1", port: int = 8000,
                 base_url: str | None = None, templates_dir: Path = ROOT / "templates",
                 static_dir: Path = ROOT / "static", interval: float = 0.5, log: Callable[[str], None] = print,
                 cache_dir: Path | None = None, describe: Callable[[Problem], str] = str):
        self.content_dir = content_dir
        self.templates_dir = templates_dir
        self.static_dir = static_dir
        self.base_url = base_url
        self.log = log
        self.describe = describe  # how a problem is printed: as check prints it
        self.tmp = Path(tempfile.mkdtemp(prefix="atlas-serve-"))
        self.out_dir = self.tmp / "site"
        # The build's store lives with the preview: a rebuild makes only the pages an edit touches.
        self.cache_dir = cache_dir if cache_dir is not None else self.tmp / "cache"
        self.state = State()
        self.base_path = "/"
        self.lock = threading.Lock()
        try:
            self.httpd = ThreadingHTTPServer((host, port), _handler(self))  # a taken port fails before the build
            try:
                self.build()
            except BaseException:
                self.httpd.server_close()
                raise
        except BaseException:  # a taken port, or Ctrl-C during the first build: leave nothing in /tmp
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        self.watcher = Watcher([content_dir, templates_dir, static_dir], self.build, interval)
        self.threads: list[threading.Thread] = []

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.origin + self.base_path

    def build(self) -> None:
        """Rebuild; on failure keep the last good build and remember the problems."""
        with self.lock:
            try:
                options = Options(self.content_dir, self.out_dir, base_url=self.base_url,
                                  templates=self.templates_dir, static=self.static_dir)
                report = cached_build(options, self.cache_dir)
                self.base_path = base_path(self.base_url or _configured_base_url(self.content_dir))
                error, done = "", f"built in {report.seconds:.2f}s"
            except ContentError as err:
                error = "\n".join(self.describe(p) for p in err.problems)
                error += f"\n{len(err.problems)} problem{'s' if len(err.problems) != 1 else ''} found."
            except (TemplateError, OutputError, OSError) as err:
                error = f"error: {err}"
            self.state = State(self.state.version + 1, error, self.state.built or not error)
        self.log(f"build failed; still serving the last good build:\n{error}" if error else done)

    def start(self) -> None:
        for target in (self.httpd.serve_forever, self.watcher.loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        self.watcher.stop_event.set()
        if self.threads:  # shutdown() waits for serve_forever(), which only start() runs
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def resolve(self, url_path: str) -> Path | None:
        """The file a URL path maps to, or None (outside the base path or missing)."""
        if not url_path.startswith(self.base_path):
            return None
        rel = unquote(url_path[len(self.base_path):])
        root = self.out_dir.resolve()
        target = (root / rel).resolve()
        if root not in target.parents and target != root:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def page(self, body: bytes) -> bytes:
        """Add the reload script, and the error box when the last build failed."""
        extra = PAGE_EXTRA
        if self.state.error:
            extra = ERROR_BOX % html.escape(self.state.error) + extra
        text = body.decode("utf-8")
        at = text.rfind("</body>")
        return (text[:at] + extra + text[at:] if at >= 0 else text + extra).encode("utf-8")


def tree_listing(root: Path) -> list[tuple[str, int, int]]:
    """Every file under root: (path, size, modification time), sorted; [] if root is not a folder."""
    if not root.is_dir():
        return []
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            info = path.stat()
            found.append((path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns))
    return sorted(found)


def _configured_base_url(content_dir: Path) -> str:
    """base_url from site.yaml (which the build just validated), or '/'."""
    raw = load_file(content_dir / "site.yaml", "site.yaml")
    return str(raw.get("base_url") or "/")


def _handler(server: DevServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = urlsplit(self.path).path
            if path == VERSION_PATH:
                state = server.state
                return self.send(HTTPStatus.OK, "application/json",
                                 json.dumps({"version": state.version, "error": state.error}).encode())
            if path == CLIENT_PATH:
                return self.send(HTTPStatus.OK, "text/javascript; charset=utf-8", CLIENT.encode())
            if path == STYLE_PATH:
                return self.send(HTTPStatus.OK, "text/css; charset=utf-8", STYLE.encode())
            if path == "/" and server.base_path != "/":
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", server.base_path)
                self.end_headers()
                return None
            target = server.resolve(path)
            if target is None:
                missing = server.resolve(server.base_path + "404.html")
                body = missing.read_bytes() if missing else b"<!doctype html><title>Not found</title><body>Not found</body>"
                return self.send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", server.page(body))
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            body = target.read_bytes()
            if kind == "text/html":
                body, kind = server.page(body), "text/html; charset=utf-8"
            return self.send(HTTPStatus.OK, kind, body)

        def send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            return None

    return Handler
