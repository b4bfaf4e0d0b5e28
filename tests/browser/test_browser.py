"""The built site in headless Chromium: search, diagrams, filters, no-JS reading, sub-path, errors."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import SUB_PATH

PAGE_TYPES = ["", "people/", "companies/", "models/", "companies/meta/", "people/guillaume-lample/",
              "models/llama-1/", "moves/", "timeline/", "claims/", "about/", "search/?q=mistral"]


def watch(page: Any, site: str) -> dict[str, list[str]]:
    """Record console errors, page errors, failed requests and requests to other origins."""
    seen: dict[str, list[str]] = {"console": [], "errors": [], "failed": [], "foreign": []}
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("response", lambda r: seen["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: seen["foreign"].append(r.url)
            if urlsplit(r.url).netloc != urlsplit(site).netloc and not r.url.startswith("data:") else None)
    return seen


def test_search_finds_a_person_by_part_of_a_name_and_opens_the_page(page: Any, served_site: str) -> None:
    page.goto(served_site)
    page.fill("#q", "lampl")
    hit = page.locator("#q-results a", has_text="Guillaume Lample")
    hit.wait_for()
    hit.click()
    page.wait_for_url(f"**{SUB_PATH}people/guillaume-lample/")
    assert page.locator("h1").inner_text() == "Guillaume Lample"


def test_search_is_keyboard_accessible(page: Any, served_site: str) -> None:
    page.goto(served_site + "models/")
    page.focus("#q")
    page.keyboard.type("mensch")
    page.locator("#q-results a").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Arthur Mensch"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{SUB_PATH}people/arthur-mensch/")


def test_search_matches_aliases_without_accents_and_lists_all_results(page: Any, served_site: str) -> None:
    page.goto(served_site)
    page.fill("#q", "timothee")
    page.locator("#q-results a", has_text="Timothée Lacroix").wait_for()
    page.press("#q", "Enter")
    page.wait_for_url(f"**{SUB_PATH}search/?q=timothee")
    page.locator("#search-page .hits a", has_text="Timothée Lacroix").wait_for()
    assert page.input_value("#q") == "timothee"


def test_flow_diagram_renders_with_its_links(page: Any, served_site: str) -> None:
    page.goto(served_site)
    svg = page.locator("svg.sankey").first
    box = svg.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 200
    bands = svg.locator("a.band")
    assert bands.count() == page.locator("section[aria-labelledby=flows] tbody tr").count()
    assert all(re.search(r"/talent-atlas/moves/#flow-\d+$", bands.nth(i).get_attribute("href")) for i in range(bands.count()))
    assert svg.locator("a.node").count() >= 2
    bands.first.click()
    page.wait_for_url(f"**{SUB_PATH}moves/#flow-1")
    assert page.locator("#flow-1").is_visible()


def test_company_page_shows_flows_and_career_chart(page: Any, served_site: str) -> None:
    page.goto(served_site + "companies/meta/")
    assert page.locator("svg.sankey a.band").count() >= 2
    page.locator("svg.sankey a.band[href='#flow-out-1']").click()
    assert page.url.endswith("#flow-out-1")
    names = page.locator("svg.chart a text")
    assert names.count() >= 10 and "Hugo Touvron" in names.all_text_contents()


def test_index_filters_and_sorts_with_javascript(page: Any, served_site: str) -> None:
    page.goto(served_site + "people/")
    total = page.locator("#index-list li").count()
    page.select_option("select[name=org]", "mistral-ai")
    shown = page.locator("#index-list li:visible")
    assert 0 < shown.count() < total
    assert "Arthur Mensch" in shown.all_inner_texts()[0] or any("Arthur Mensch" in t for t in shown.all_inner_texts())
    assert page.locator(".filters [role=status]").inner_text() == f"{shown.count()} of {total} shown"
    page.select_option("select[name=org]", "")
    page.select_option("select[name=year]", "2014")
    assert 0 < page.locator("#index-list li:visible").count() < total


def test_pages_read_and_link_without_javascript(browser: Any, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site)
    assert page.locator("svg.sankey a.band").count() > 0
    page.click("nav[aria-label=Site] >> text=People")
    page.wait_for_url(f"**{SUB_PATH}people/")
    assert page.locator("form.filters").is_hidden()
    assert page.locator("#index-list li:visible").count() == page.locator("#index-list li").count() > 10
    page.click("text=Guillaume Lample")
    assert page.locator("h1").inner_text() == "Guillaume Lample"
    page.goto(served_site + "search/?q=lample")
    assert "needs JavaScript" in page.locator("#search-page").inner_text()
    context.close()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_works_under_the_sub_path_without_errors(page: Any, served_site: str, path: str) -> None:
    seen = watch(page, served_site)
    page.goto(served_site + path)
    page.wait_for_load_state("networkidle")
    if path == "":
        page.fill("#q", "mistral")  # loads the search index
        page.locator("#q-results a").first.wait_for()
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # the CSS loaded
    assert seen == {"console": [], "errors": [], "failed": [], "foreign": []}


@pytest.mark.parametrize("path", ["", "companies/meta/", "people/guillaume-lample/", "models/llama-1/", "people/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_layout_fits_320_pixels_in_both_colour_schemes(browser: Any, served_site: str, path: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, color_scheme=scheme)
    page = context.new_page()
    page.goto(served_site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(21, 23, 26)") == (scheme == "dark")
    context.close()
