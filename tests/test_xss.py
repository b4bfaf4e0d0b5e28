"""Hostile text in every content field never reaches a page, feed or index as markup.

The corpus (tests/xss/payloads.py) is spread over every free-text field of the mini
fixture; the site is built and every output file is parsed.
"""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import build_site
from atlas.build import load
from atlas.errors import ContentError
from tests.xss.payloads import corpus

MINI = Path(__file__).parent / "fixtures" / "mini" / "content"
TEXT_KEYS = {"name", "summary", "bio", "description", "text", "note", "title", "role", "hq",
             "organization", "parameters", "license", "round", "publisher"}
LIST_TEXT_KEYS = {"aliases", "other_investors"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript|file):", re.I)
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcdoc"}
ALLOWED_TAGS = {
    "html", "head", "body", "meta", "title", "link", "script", "header", "nav", "main", "footer", "article",
    "section", "aside", "div", "span", "p", "a", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "table", "caption", "thead", "tbody", "tr", "th", "td", "time", "strong", "em", "code", "pre",
    "blockquote", "br", "hr", "q", "details", "summary", "small", "figure", "figcaption", "label", "input",
    "button", "form", "search", "svg", "g", "rect", "path", "text", "tspan", "line", "circle", "desc",
    "polyline", "polygon", "defs", "style", "noscript", "abbr", "sup", "sub", "template", "output", "select", "option",
}


class PageAudit(HTMLParser):
    """Record every way a page could run code or load from elsewhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"unexpected <{tag}>")
        if tag == "script":
            if names.get("type") == "application/ld+json":
                self._in_ld = True
            elif not (names.get("src") or "").endswith(".js") or "//" in (names.get("src") or ""):
                self.problems.append(f"inline or foreign script {attrs}")
        if tag == "meta" and (names.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRS and value is not None:
                cleaned = re.sub(r"[\x00-\x20]", "", value)
                if BAD_SCHEME.match(cleaned):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and "url(" in value.lower():
                self.problems.append(f"<{tag} style={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld.append(data)


def _inject(value: object, key: str, payloads: list[str]) -> object:
    if isinstance(value, dict):
        return {k: _inject(v, k, payloads) for k, v in value.items()}
    if isinstance(value, list):
        if key in LIST_TEXT_KEYS:
            return [f"{v} {payloads.pop()}" if payloads else v for v in value] + ([payloads.pop()] if payloads else [])
        return [_inject(v, key, payloads) for v in value]
    if isinstance(value, str) and key in TEXT_KEYS and payloads:
        return value + " " + payloads.pop()
    return value


def hostile_content(tmp_path: Path) -> tuple[Path, int]:
    """Copy the mini fixture and spread the whole corpus over its text fields."""
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    payloads = corpus()
    total = len(payloads)
    files = sorted(p for p in content.rglob("*.yaml") if p.name != "site.yaml")
    rounds = 0
    while payloads and rounds < 50:
        for path in files:
            data = yaml.safe_load(path.read_text())
            data = _inject(data, "", payloads)
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000))
        rounds += 1
    assert not payloads, "the corpus did not fit into the fixture"
    return content, total


def audit_site(out: Path) -> list[str]:
    problems = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".html":
            audit = PageAudit()
            audit.feed(path.read_text(encoding="utf-8"))
            problems += [f"{rel}: {p}" for p in audit.problems]
            for block in audit.json_ld:
                if "</" in block or "<!--" in block:
                    problems.append(f"{rel}: JSON-LD can close its script element")
                json.loads(block)
        elif path.suffix in (".xml", ".atom"):
            root = ET.parse(path).getroot()
            for element in root.iter():
                local = element.tag.rsplit("}", 1)[-1]
                if local in {"script", "iframe", "object", "embed"} or any(a.startswith("on") for a in element.attrib):
                    problems.append(f"{rel}: <{local}> in XML")
                if element.attrib.get("type") == "html" and element.text:
                    audit = PageAudit()
                    audit.feed(element.text)
                    problems += [f"{rel} (embedded HTML): {p}" for p in audit.problems if "unexpected <" not in p]
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    return problems


def test_the_corpus_is_large_and_varied() -> None:
    payloads = corpus()
    assert len(payloads) >= 300
    assert any("javascript:" in p for p in payloads) and any("onerror" in p for p in payloads)


def test_no_payload_survives_as_markup(tmp_path: Path) -> None:
    content, total = hostile_content(tmp_path)
    out = tmp_path / "site"
    build_site(content, out)
    assert total >= 300
    assert audit_site(out) == []
    home = (out / "index.html").read_text()
    assert "&lt;script&gt;" in home or "&lt;script&gt;" in (out / "people" / "bob" / "index.html").read_text()


def test_the_audit_catches_what_it_looks_for(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<p><img src=x onerror=alert(1)><a href=" javascript:alert(1)">x</a><script>alert(1)</script></p>')
    found = audit_site(tmp_path)
    assert "a.html: unexpected <img>" in found
    assert "a.html: <img onerror=...>" in found
    assert any("javascript" in p for p in found) and any("inline or foreign script" in p for p in found)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/x", "ftp://x.org/a", "https://"])
def test_sources_must_be_http_urls(tmp_path: Path, url: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    path = content / "models" / "alpha-1.yaml"
    path.write_text(path.read_text().replace("sources: [https://example.org/alpha]", f"sources: ['{url}']"))
    with pytest.raises(ContentError, match=r"models/alpha-1.yaml:\d+:\d+: sources\[0\]: expected an http\(s\) URL"):
        load(content).site
