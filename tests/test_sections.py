"""Sections named and shown by the site: the third kind of entity under the name site.yaml
gives it, wherever a reader sees it; a section with nothing in it neither built, linked,
listed in the sitemap nor counted on the home page, in plain and in cached builds."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from atlas.build import Options, build
from atlas.commands.linkcheck import broken_links
from atlas.model.records import Label
from atlas.site.write import MARKER
from atlas.speed.engine import cached_build
from conftest import write_content

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "content"
PRODUCTS = "model_label:\n  singular: Product\n  plural: Products\n  schema_type: Product\n"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(MINI, folder)
    return folder


def built(content: Path, out: Path) -> Path:
    build(Options(content, out))
    return out


def visible_text(page: str) -> str:
    """What a reader of the page sees: its text and title, without markup, scripts, code
    (the download formats' field names) or addresses."""
    page = re.sub(r"<(script|code)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def nav(page: str) -> list[str]:
    found = re.search(r'<nav aria-label="Site">(.*?)</nav>', page, re.S)
    assert found, "no navigation"
    return re.findall(r"<a [^>]*>([^<]*)</a>", found.group(1))


def test_the_third_kind_is_shown_under_its_label_on_every_page(tmp_path: Path, content: Path) -> None:
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + PRODUCTS, encoding="utf-8")
    model = content / "models" / "alpha-1.yaml"  # its paper's title says "model": the content's word, not the site's
    model.write_text(model.read_text(encoding="utf-8").replace("a fixture model", "a fixture"), encoding="utf-8")
    out = built(content, tmp_path / "site")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert nav(home) == ["People", "Companies", "Products", "Moves", "Timeline", "Claims", "Analytics"]
    assert "1 product ·" in home and 'placeholder="Search people, companies, products"' in home
    assert "<title>Products · Mini Atlas</title>" in (out / "models" / "index.html").read_text(encoding="utf-8")
    model_page = (out / "models" / "alpha-1" / "index.html").read_text(encoding="utf-8")
    assert '<p class="kind">Product</p>' in model_page
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', model_page, re.S).group(1))
    assert jsonld["@type"] == "Product" and "applicationCategory" not in jsonld
    assert '<h2 id="models">Products</h2>' in (out / "companies" / "bigco" / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / "data" / "search" / "index.json").read_text())["kinds"]["model"] == "Product"
    for path in sorted(out.rglob("*.html")):
        shown = visible_text(path.read_text(encoding="utf-8"))
        assert not re.search(r"\bmodels?\b", shown, re.I), f"{path.relative_to(out)} still says 'model'"
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert not re.search(r"\bmodels?\b", feed, re.I)


def test_without_a_label_models_are_called_models(tmp_path: Path, content: Path) -> None:
    out = built(content, tmp_path / "site")
    assert nav((out / "index.html").read_text(encoding="utf-8"))[2] == "Models"
    model_page = (out / "models" / "alpha-1" / "index.html").read_text(encoding="utf-8")
    assert '"@type":"SoftwareApplication","name":"Alpha 1","applicationCategory":"AI model"' in model_page


def test_a_label_is_written_in_running_text_as_a_reader_expects() -> None:
    assert (Label("Product", "Products").singular_text, Label("Product", "Products").plural_text) == ("product", "products")
    assert Label("AI model", "AI models").plural_text == "AI models"  # an acronym keeps its capitals
    assert Label("mRNA drug", "mRNA drugs").singular_text == "mRNA drug"


def test_an_empty_section_is_neither_built_nor_linked_nor_counted(tmp_path: Path) -> None:
    # People and companies only: no model, no claim, and no one who moved.
    content = write_content(tmp_path, {
        "site.yaml": "title: T\nas_of: 2025-06-01\nbase_url: /atlas/\n",
        "companies/acme.yaml": "name: Acme\nfounded: 2020\nsources: [https://example.com/a]\n",
        "companies/initech.yaml": "name: Initech\n",
        "people/ada.yaml": "name: Ada\ncareer:\n  - company: acme\n    start: 2021\n    sources: [https://example.com/a]\n"})
    out = built(content, tmp_path / "site")
    home = (out / "index.html").read_text(encoding="utf-8")
    for page in sorted(out.rglob("*.html")):
        assert nav(page.read_text(encoding="utf-8")) == ["People", "Companies", "Timeline"], page
    for section in ("models", "moves", "claims"):
        assert not (out / section).exists(), f"{section}/ was built"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/atlas/people/" in sitemap and not re.search(r"/(models|moves|claims)/", sitemap)
    assert re.search(r'<p class="counts">1 person · 2 companies — as of <time', home)
    assert 'placeholder="Search people, companies"' in home and ">Search people and companies</label>" in home
    lists = (out / "404.html").read_text(encoding="utf-8")
    assert re.search(r'the lists of <a href="/atlas/people/">people</a> and <a href="/atlas/companies/">companies</a>\.', lists)
    assert broken_links(out, "/atlas/") == []


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != MARKER}


def test_a_section_that_appears_or_empties_is_followed_by_cached_rebuilds(tmp_path: Path, content: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"

    def same_as_plain() -> dict[str, bytes]:
        cached_build(Options(content, out), cache)
        shutil.rmtree(tmp_path / "plain", ignore_errors=True)
        assert tree(out) == tree(built(content, tmp_path / "plain"))
        return tree(out)

    same_as_plain()
    claim = content / "claims" / "alpha-remaining.yaml"
    text = claim.read_text(encoding="utf-8")
    claim.unlink()  # the only claim: the section empties
    files = same_as_plain()
    assert "claims/index.html" not in files and b">Claims</a>" not in files["people/bob/index.html"]
    claim.write_text(text, encoding="utf-8")  # and comes back
    files = same_as_plain()
    assert "claims/index.html" in files and b">Claims</a>" in files["people/bob/index.html"]
    person = content / "people" / "alice.yaml"  # a new name: no section appears or empties
    person.write_text(person.read_text(encoding="utf-8").replace("name: Alice", "name: Alicia"), encoding="utf-8")
    cached = cached_build(Options(content, out), cache)
    assert cached.made < cached.files, "every page was made again, as if a section had changed"
