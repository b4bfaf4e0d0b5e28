"""Check that every internal link and asset in a built site resolves to a file."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_XML_LINKS = re.compile(r'<loc>([^<]+)</loc>|\shref="([^"]+)"')


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "id":
                self.ids.add(value)


def broken_links(out_dir: Path, base_path: str = "/", origin: str = "") -> list[str]:
    """Return 'page: link' for every internal link that does not resolve, sorted.

    Checks HTML pages, the XML files (feed and sitemap) and the search index; links
    starting with `origin` (scheme and host of the base URL) count as internal.
    """
    problems = []
    anchors: dict[Path, set[str]] = {}
    parsed: dict[Path, list[str]] = {}
    for page in sorted(out_dir.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        anchors[page.resolve()] = parser.ids
        parsed[page] = parser.links
    for xml in sorted(out_dir.rglob("*.xml")):
        parsed[xml] = [a or b for a, b in _XML_LINKS.findall(xml.read_text(encoding="utf-8"))]
    for shard in sorted((out_dir / "data" / "search").glob("*.json")):  # the search index's shards
        parsed[shard] = [item["u"] for item in json.loads(shard.read_text(encoding="utf-8")).get("items", ())]
    for page, links in parsed.items():
        for link in links:
            if origin and link.startswith(origin + "/"):
                link = link[len(origin):]
            target = _resolve(out_dir, page, link, base_path)
            if target is None:
                continue
            path, fragment = target
            rel = page.relative_to(out_dir).as_posix()
            if not path.is_file():
                problems.append(f"{rel}: {link}")
            elif fragment and path.suffix == ".html" and fragment not in anchors.get(path.resolve(), set()):
                problems.append(f"{rel}: {link} (no element with id '{fragment}')")
    return sorted(problems)


def _resolve(out_dir: Path, page: Path, link: str, base_path: str) -> tuple[Path, str] | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
        return None  # external
    path = unquote(parts.path)
    if not path:
        return (page, parts.fragment)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return (out_dir / "__outside_base__", "")
        target = out_dir / path[len(base_path):]
    else:
        target = page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return (target, parts.fragment)
