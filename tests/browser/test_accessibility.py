"""axe-core in headless Chromium: no serious or critical accessibility violation on any page type."""
from __future__ import annotations

from typing import Any, Iterator

from pathlib import Path

import pytest

from ci_guards import installed_tool, missing_tool

from .conftest import generated_page_types

PAGE_TYPES = ["", "people/", "companies/", "models/", "companies/meta/", "companies/mistral-ai/",
              "people/guillaume-lample/", "models/llama-1/", "moves/", "timeline/", "claims/", "about/",
              "search/?q=mistral", "404.html"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script; session-scoped and named first by the test, so a missing one
    is reported before a browser starts."""
    path = installed_tool("AXE_JS", "axe-core/axe.min.js")
    if path is None:
        missing_tool("axe-core is not installed (.ci/run installs it with npm into .cache/tools, or set AXE_JS)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(params=["light", "dark"])
def axe_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    # The pages' CSP forbids injected scripts; axe is a test tool, so this context bypasses it.
    context = browser.new_context(bypass_csp=True, color_scheme=request.param, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def serious_violations(page: Any, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_serious_or_critical_violation(axe_source: str, axe_page: Any, served_site: str, path: str) -> None:
    axe_page.goto(served_site + path)
    axe_page.wait_for_load_state("networkidle")
    if path == "":
        axe_page.fill("#q", "lample")  # the open search results are checked too
        axe_page.locator("#q-results a").first.wait_for()
    assert serious_violations(axe_page, axe_source) == []


def test_no_serious_or_critical_violation_on_the_pages_of_split_lists(axe_source: str, axe_page: Any, served_generated: str,
                                                                       generated_site: Path) -> None:
    found = {}
    for path in generated_page_types(generated_site, new_only=True):
        axe_page.goto(served_generated + path)
        found[path] = serious_violations(axe_page, axe_source)
    assert {path: v for path, v in found.items() if v} == {}
