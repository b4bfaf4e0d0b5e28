"""The public site: diagrams, feeds, sitemap, structured data, downloads, CSP and page weight."""
from __future__ import annotations

import csv
import html
import datetime as dt
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from atlas.build import load
from atlas.compute import known
from atlas.site.charts import RowSpec, Segment, career_chart
from atlas.site.data import MOVE_COLUMNS, STINT_COLUMNS
from atlas.model.dates import PartialDate
from atlas.site.meta import dump_jsonld
from atlas.site.sankey import LinkSpec, NodeSpec, sankey_layout
from conftest import build_site, SEED

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
DEFAULT_CONTENT = SEED
ATOM = "{http://www.w3.org/2005/Atom}"
WEIGHT_LIMIT = 100_000  # bytes of HTML + CSS + JS, before compression


@pytest.fixture(scope="module")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public") / "site"
    build_site(DEFAULT_CONTENT, out, base_url="https://example.github.io/repo/")
    return out


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


# Sankey layout

def _flows() -> tuple[list[NodeSpec], list[LinkSpec]]:
    nodes = [NodeSpec("a", "A", 0), NodeSpec("b", "B", 0), NodeSpec("x", "X", 1), NodeSpec("y", "Y", 1)]
    links = [LinkSpec("a", "x", 3, "#1", "3 a to x"), LinkSpec("a", "y", 1, "#2", "1 a to y"),
             LinkSpec("b", "y", 2, "#3", "2 b to y")]
    return nodes, links


def test_sankey_nodes_are_as_tall_as_their_flows_and_do_not_overlap() -> None:
    nodes, links = _flows()
    layout = sankey_layout(nodes, links)
    box = {n.key: n for n in layout.nodes}
    assert box["a"].h == 4 * 18 and box["b"].h == 2 * 18 and box["y"].h == 3 * 18
    for upper, lower in (("a", "b"), ("x", "y")):
        assert box[upper].y + box[upper].h < box[lower].y
    assert box["a"].x < box["x"].x
    assert all(0 <= n.y and n.y + n.h <= layout.height for n in layout.nodes)


def test_sankey_bands_stack_inside_their_nodes_in_order() -> None:
    nodes, links = _flows()
    layout = sankey_layout(nodes, links)
    tops = [float(re.match(r"M[\d.]+,([\d.]+)", b.path).group(1)) for b in layout.bands]  # type: ignore[union-attr]
    a = next(n for n in layout.nodes if n.key == "a")
    assert tops[0] == a.y and tops[1] == a.y + 3 * 18  # a->x above a->y: targets in order
    assert [b.href for b in layout.bands] == ["#1", "#2", "#3"]
    assert sankey_layout(nodes, links) == layout  # deterministic


def test_sankey_shortens_long_labels_and_keeps_the_full_one() -> None:
    nodes = [NodeSpec("a", "An organisation with a very long name indeed", 0), NodeSpec("b", "B", 1)]
    layout = sankey_layout(nodes, [LinkSpec("a", "b", 1, "#", "t")])
    assert layout.nodes[0].label.endswith("… (1)") and layout.nodes[0].full_label == "An organisation with a very long name indeed (1)"


# Career chart

def test_career_chart_fades_partial_dates_and_runs_ongoing_stints_to_as_of() -> None:
    as_of = dt.date(2025, 6, 1)
    row = RowSpec("Ada", "/ada/", (
        Segment("Lab", "t0", PartialDate.parse("2020"), PartialDate.parse("2022-06-15")),
        Segment("NewCo", "t1", PartialDate.parse("by 2023-02"), None, here=True),
    ))
    chart = career_chart([row], as_of)
    lab, newco = chart.rows[0].bars
    assert [r.fuzzy for r in lab.rects] == [True, False]  # the year 2020 fades in; the exact end does not fade
    assert newco.rects[0].fuzzy and not newco.rects[-1].fuzzy and newco.here
    assert max(r.x + r.w for r in newco.rects) < chart.width
    assert [t.year for t in chart.ticks][0] == 2020 and chart.ticks[-1].year == 2026


# Feed, sitemap, robots

def test_atom_feed_is_newest_first_and_dated_by_its_newest_entry(default_site: Path) -> None:
    root = ET.parse(default_site / "feed.xml").getroot()
    updated = [e.findtext(f"{ATOM}updated") for e in root.findall(f"{ATOM}entry")]
    assert updated and updated == sorted(updated, reverse=True)  # type: ignore[type-var]
    assert root.findtext(f"{ATOM}updated") == updated[0]
    assert all(e.findtext(f"{ATOM}id", "").startswith("urn:uuid:") for e in root.findall(f"{ATOM}entry"))
    assert {c.get("term") for c in root.iter(f"{ATOM}category")} <= {"move", "event"}


def test_sitemap_lists_every_page_with_absolute_urls(default_site: Path) -> None:
    root = ET.parse(default_site / "sitemap.xml").getroot()
    locs = [e.text or "" for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(pages(default_site)) - 1  # all but 404.html
    assert all(loc.startswith("https://example.github.io/repo/") for loc in locs)
    assert "Sitemap: https://example.github.io/repo/sitemap.xml" in (default_site / "robots.txt").read_text()
    assert (default_site / ".nojekyll").is_file()


# Head metadata, CSP, structured data

def test_every_page_has_a_csp_without_inline_scripts_and_loads_nothing_from_elsewhere(default_site: Path) -> None:
    for page in pages(default_site):
        html = page.read_text()
        assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';" in html
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/repo/' in tag or 'type="application/ld+json"' in tag, (page, tag)
        assert " style=" not in html and "<style" not in html
        for tag in re.findall(r"<(?:link|script|img|iframe|source)\b[^>]*>", html):
            for url in re.findall(r'(?:src|href)="([^"]+)"', tag):
                if "rel=\"canonical\"" not in tag:
                    assert url.startswith("/repo/"), (page, tag)


def test_pages_have_canonical_open_graph_and_json_ld(default_site: Path) -> None:
    html = (default_site / "people" / "guillaume-lample" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.github.io/repo/people/guillaume-lample/">' in html
    assert '<meta property="og:title" content="Guillaume Lample">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))  # type: ignore[union-attr]
    assert data["@type"] == "Person" and data["worksFor"][0]["name"] == "Mistral AI"
    assert "Meta" in {o["name"] for o in data["alumniOf"]} or "FAIR (Meta AI)" in {o["name"] for o in data["alumniOf"]}
    company = (default_site / "companies" / "mistral-ai" / "index.html").read_text()
    org = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', company).group(1))  # type: ignore[union-attr]
    assert org["@type"] == "Organization" and {"Arthur Mensch", "Guillaume Lample"} <= {p["name"] for p in org["founder"]}
    assert org["employee"]


def test_json_ld_cannot_close_its_script_element() -> None:
    text = dump_jsonld({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"


def test_content_cannot_break_out_of_json_ld(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI / "content", content)
    path = content / "people" / "alice.yaml"
    path.write_text(path.read_text().replace("summary: Stayed at the lab.", 'summary: "</script><script>alert(1)</script>"'))
    build_site(content, tmp_path / "site")
    html = (tmp_path / "site" / "people" / "alice" / "index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    assert json.loads(block)["description"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


# Downloads and the About page

def test_csv_downloads_have_the_documented_columns(default_site: Path) -> None:
    about = (default_site / "about" / "index.html").read_text()
    for name, columns in (("stints.csv", STINT_COLUMNS), ("moves.csv", MOVE_COLUMNS)):
        rows = list(csv.reader(io.StringIO((default_site / "data" / name).read_text())))
        assert rows[0] == [c.name for c in columns]
        assert all(len(r) == len(columns) for r in rows)
        assert all(f"<code>{c.name}</code>" in about for c in columns)
    assert len(rows) - 1 == 17  # the default dataset's moves


def test_json_download_has_every_entity(default_site: Path) -> None:
    data = json.loads((default_site / "data" / "atlas.json").read_text())
    for key, folder in (("companies", "companies"), ("people", "people"), ("models", "models")):
        assert {e["slug"] for e in data[key]} == {p.stem for p in (DEFAULT_CONTENT / folder).glob("*.yaml")}
    assert data["as_of"] == "2025-06-01"


def test_every_source_cited_is_in_sources_csv_and_its_website_on_the_about_page(default_site: Path) -> None:
    about = (default_site / "about" / "index.html").read_text()
    rows = list(csv.reader(io.StringIO((default_site / "data" / "sources.csv").read_text())))
    assert rows[0] == ["host", "url"]
    listed = {url for _, url in rows[1:]}
    cited = set()
    for page in pages(default_site):
        cited |= {html.unescape(u) for u in re.findall(r'<a href="([^"]+)">\[\d+\]</a>', page.read_text())}
    assert cited and cited - listed == set()
    assert 'href="/repo/data/sources.csv"' in about
    assert all(f"<li>{html.escape(host)} <span" in about for host, _ in rows[1:])  # the default dataset: every website


# Search index

def test_search_index_has_every_entity_under_the_base_path(default_site: Path) -> None:
    shards = [json.loads(p.read_text()) for p in (default_site / "data" / "search").glob("*.json") if p.name != "index.json"]
    items = {i["u"]: i for shard in shards for i in shard["items"]}
    graph = load(DEFAULT_CONTENT)  # every entity but a model released or a company founded after as_of
    later = [slug for kind in ("company", "model") for slug in graph.table(kind) if known.later(graph, kind, slug)]
    assert later == ["magistral-medium", "magistral-small"]
    assert len(items) == sum(len(list((DEFAULT_CONTENT / f).glob("*.yaml"))) for f in ("companies", "people", "models")) - 2
    lample = items["/repo/people/guillaume-lample/"]
    assert lample["n"] == "Guillaume Lample" and "Guillaume Lampl" in lample["a"]
    manifest = json.loads((default_site / "data" / "search" / "index.json").read_text())
    assert {s["prefix"] for s in shards} == set(manifest["keys"])
    assert lample in next(s for s in shards if s["prefix"] == "l")["items"]  # a small site: one shard per first letter


# Weight

def page_weight(out: Path, page: Path) -> int:
    """Bytes of a page, its stylesheet and its scripts."""
    html = page.read_text()
    assets = re.findall(r'(?:href|src)="/repo/(static/[^"]+\.(?:css|js))"', html)
    return len(page.read_bytes()) + sum((out / a).stat().st_size for a in set(assets))


def test_home_and_heaviest_page_weigh_under_100_kb(default_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weights = {p.relative_to(default_site).as_posix(): page_weight(default_site, p) for p in pages(default_site)}
    heaviest = max(weights, key=weights.__getitem__)
    with capsys.disabled():
        print(f"\n  page weight (HTML+CSS+JS): home {weights['index.html']} B; heaviest {heaviest} {weights[heaviest]} B")
    assert weights["index.html"] < WEIGHT_LIMIT
    assert weights[heaviest] < WEIGHT_LIMIT, heaviest


@pytest.mark.parametrize("text", ["", "plain", "a & b <c>", 'say "hi"', "it's", "both \" and '", "line\nbreak\ttab\r",
                                  "é ü 中文 &amp;"])
def test_the_feeds_escaping_is_that_of_xml_sax_saxutils(text: str) -> None:
    from xml.sax import saxutils

    from atlas.site.feeds import escape, quoteattr
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)
