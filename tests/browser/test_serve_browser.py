"""`build.py serve` in headless Chromium, under the pages' own Content-Security-Policy:
an edit reloads the page, a broken file shows the error box (styled), a fix brings the page back."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from atlas.commands.serve import DevServer

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini" / "content"
WAIT = 20_000  # milliseconds, for every wait below


def _write(path: Path, text: str) -> None:
    """Write and make sure the modification time moves, even within the clock's resolution."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[DevServer]:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    server = DevServer(content, port=0, interval=0.05, log=lambda message: None)
    server.start()
    yield server
    server.stop()


def test_live_reload_and_error_box_work_under_the_csp(page: Any, dev: DevServer) -> None:
    problems: list[str] = []
    # The browser's own request for /favicon.ico (the site declares no icon) is not the page's.
    page.on("console", lambda m: problems.append(f"{m.text} {m.location['url']}")
            if m.type == "error" and not m.location["url"].endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(dev.url + "people/alice/")
    assert "Content-Security-Policy" in page.content()  # the policy of the built pages is in force
    assert page.locator("h1").inner_text() == "Alice Émile"
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/__atlas/version'))",
                           timeout=WAIT)

    person = dev.content_dir / "people" / "alice.yaml"
    good = person.read_text(encoding="utf-8")
    _write(person, good.replace("name: Alice Émile", "name: Alice Renamed"))
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Alice Renamed'", timeout=WAIT)

    _write(person, good.replace("name: Alice Émile", "name: [Alice"))  # not readable YAML
    box = page.locator("#atlas-build-error")
    box.wait_for(timeout=WAIT)
    assert "alice.yaml" in box.inner_text()
    style = page.evaluate("() => { const s = getComputedStyle(document.getElementById('atlas-build-error'));"
                          " return [s.position, s.bottom, s.zIndex]; }")
    assert style == ["fixed", "0px", "99999"]  # styled by the stylesheet, which the policy allows
    assert page.locator("h1").inner_text() == "Alice Renamed"  # the last good build stays

    _write(person, good)
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Alice Émile'", timeout=WAIT)
    assert page.locator("#atlas-build-error").count() == 0
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems
