"""Every page type fits a phone and a desktop: at 390 and 1280 px the document is no wider
than the viewport, and no picture sits in a box that scrolls sideways; on the default site
and on a generated 2,000-person one, whose long lists are split into pages."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import SUB_PATH, generated_page_types
from .test_accessibility import PAGE_TYPES

WIDTHS = [390, 1280]

# Each visible picture (svg, img) whose box, or a box around it, is cut and scrolls sideways.
SCROLLING_PICTURES = """() => {
  const found = [];
  for (const pic of document.querySelectorAll('svg, img')) {
    if (!pic.getClientRects().length || (pic.parentElement && pic.parentElement.closest('svg'))) continue;  // hidden, or inside a picture
    for (let box = pic.parentElement; box && box !== document.documentElement; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && box.scrollWidth > box.clientWidth) {
        found.push(pic.getAttribute('class') + ' in ' + box.tagName.toLowerCase() + '.' + box.className);
        break;
      }
    }
    const r = pic.getBoundingClientRect();
    if (r.right > document.documentElement.clientWidth + 1) found.push(pic.getAttribute('class') + ' past the right edge');
  }
  return found;
}"""


def misfits(browser: Any, site: str, paths: list[str], width: int) -> list[str]:
    """'path: problem' for every page that is wider than the viewport or scrolls a picture."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = []
    for path in paths:
        page.goto(site + path)
        page.wait_for_load_state("load")
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            problems.append(f"{path or '/'}: the document is {wide} px wide")
        problems += [f"{path or '/'}: {p}" for p in page.evaluate(SCROLLING_PICTURES)]
    context.close()
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_default_site_fits_without_sideways_scroll(browser: Any, served_site: str, width: int) -> None:
    assert misfits(browser, served_site, PAGE_TYPES, width) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_generated_site_fits_without_sideways_scroll(browser: Any, served_generated: str, generated_site: Path,
                                                      width: int) -> None:
    assert misfits(browser, served_generated, generated_page_types(generated_site), width) == []


def test_flow_diagram_is_a_ranked_list_on_a_phone_and_a_picture_on_a_desktop(browser: Any, served_site: str) -> None:
    for width, picture, listed in ((390, False, True), (1280, True, False)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(served_site + "companies/meta/")
        assert page.locator("svg.sankey").is_visible() is picture
        assert page.locator("svg.chart.stacked").is_visible() is listed
        flows = page.locator("ol.flow-list li")
        assert flows.first.is_visible() is listed
        if listed:  # full names, wrapped; each links where its band does
            assert "Meta → Mistral AI" in flows.first.inner_text()
            assert flows.first.locator("a").get_attribute("href") == "#flow-out-1"
        context.close()


def test_pages_of_a_split_list_link_to_each_other_without_javascript(browser: Any, served_generated: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(served_generated + "people/")
    assert page.locator("h1 .count").inner_text() == "(2,000)"
    first = page.locator("#index-list li").first.inner_text()
    page.click("nav.pager a:text-is('Next')")
    page.wait_for_url(f"**{SUB_PATH}people/page/2/")
    assert page.locator("nav.pager a[aria-current=page]").inner_text() == "2"
    assert page.locator("#index-list li").count() == 200 and page.locator("#index-list li").first.inner_text() != first
    assert "People 201–400 of 2,000" in page.locator("nav.pager").inner_text()
    page.click("nav.pager a:text-is('Previous')")
    page.wait_for_url(f"**{SUB_PATH}people/")
    page.click("nav.pager a:text-is('10')")
    page.wait_for_url(f"**{SUB_PATH}people/page/10/")
    assert page.locator("#index-list li").count() == 200 and page.locator("nav.pager a:text-is('Next')").count() == 0
    context.close()


def test_search_finds_a_person_by_part_of_a_name_on_a_large_site_under_the_sub_path(page: Any, served_generated: str,
                                                                                       generated_site: Path) -> None:
    site = generated_site / SUB_PATH.strip("/")
    people = {}
    for profile in sorted(site.glob("people/*/index.html")):
        name = html.unescape(profile.read_text().split("<h1>", 1)[1].split("</h1>", 1)[0])
        if re.fullmatch(r"\w{4,} \w{4,}", name):
            people[profile.parent.name] = name
    slug, name = sorted(people.items())[len(people) // 2]
    first, last = name.split()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(served_generated)
    page.fill("#q", f"{last[:4]} {first[:3]}")  # parts of both names, as a reader half remembers them
    page.press("#q", "Enter")
    page.wait_for_url(f"**{SUB_PATH}search/?q=*")
    hit = page.locator(f"#search-page .hits a[href='{SUB_PATH}people/{slug}/']")
    hit.wait_for()
    shards = [u for u in requested if "/data/search/" in u]
    assert not any(u.endswith("search.json") for u in requested)
    assert 2 <= len(set(shards)) <= 3  # the manifest and the shards of the typed words, not the whole index
    hit.click()
    page.wait_for_url(f"**{SUB_PATH}people/{slug}/")
