"""'Edit this page' and 'Report a problem': every entity page links to its file on GitHub and
to a new issue about it when site.yaml names the repository, and no page does otherwise."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from atlas.site.urls import repo_links
from conftest import SEED, build_site


def test_links_point_at_the_file_and_prefill_a_new_issue() -> None:
    links = repo_links("https://github.com/acme/atlas.git/", "data fixes", "people/ada.yaml", "Ada Émile",
                       "https://acme.github.io/atlas/people/ada/")
    assert links.edit == "https://github.com/acme/atlas/edit/data%20fixes/content/people/ada.yaml"
    url = urlsplit(links.report)
    assert url.path == "/acme/atlas/issues/new"
    query = parse_qs(url.query)
    assert query["title"] == ["Problem on the page “Ada Émile”"]
    assert "Address: https://acme.github.io/atlas/people/ada/" in query["body"][0]
    assert "File: content/people/ada.yaml" in query["body"][0]


def links_of(page: Path) -> dict[str, str]:
    found = re.findall(r'<a href="([^"]+)">(Edit this page|Report a problem)</a>', page.read_text())
    return {text: html.unescape(href) for href, text in found}


def test_entity_pages_link_to_their_files_when_the_repository_is_named(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("repository: https://github.com/acme/atlas\nbranch: live\n")
    out = tmp_path / "site"
    build_site(content, out, base_url="https://acme.github.io/atlas/")
    person = links_of(out / "people" / "guillaume-lample" / "index.html")
    assert person["Edit this page"] == "https://github.com/acme/atlas/edit/live/content/people/guillaume-lample.yaml"
    report = parse_qs(urlsplit(person["Report a problem"]).query)
    assert report["title"] == ["Problem on the page “Guillaume Lample”"]
    assert "Address: https://acme.github.io/atlas/people/guillaume-lample/" in report["body"][0]
    assert links_of(out / "companies" / "meta" / "index.html")["Edit this page"].endswith("/live/content/companies/meta.yaml")
    assert links_of(out / "models" / "llama-1" / "index.html")["Edit this page"].endswith("/live/content/models/llama-1.yaml")
    assert links_of(out / "index.html") == {} and links_of(out / "people" / "index.html") == {}  # no file of its own


def test_no_page_has_them_without_a_repository(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(SEED, out)
    assert not [p for p in out.rglob("*.html") if "Edit this page" in p.read_text()]
