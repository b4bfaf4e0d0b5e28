"""The one map from pages and entities to URLs and output paths."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping
from urllib.parse import quote, urlencode, urlsplit

if TYPE_CHECKING:
    from atlas.compute.graph import Graph


@dataclass(frozen=True)
class Urls:
    """Build URLs under the site's base path ('/' or '/repo/')."""

    base_url: str
    folders: Mapping[str, str] = field(hash=False)  # kind -> its folder in the site: "person" -> "people"

    # Computed once (cached_property keeps them in the instance's __dict__; equality and hash
    # read only base_url).
    @functools.cached_property
    def base_path(self) -> str:
        return base_path(self.base_url)

    @functools.cached_property
    def origin(self) -> str:
        """Scheme and host of the base URL, or '' when the base URL is only a path."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

    def page(self, out_path: str) -> str:
        """URL of an output file: 'people/x/index.html' -> '/base/people/x/'."""
        path = out_path.removesuffix("index.html")
        return self.base_path + path

    def absolute(self, out_path: str) -> str:
        """Absolute URL when the origin is known, else the site-absolute path."""
        return self.origin + self.page(out_path)

    def entity(self, kind: str, slug: str) -> str:
        return self.page(self.entity_path(kind, slug))

    def entity_path(self, kind: str, slug: str) -> str:
        """Output path of an entity's page, relative to the output folder."""
        return f"{self.folders[kind]}/{slug}/index.html"

    def index_path(self, kind: str) -> str:
        """Output path of the list of one kind's entities."""
        return f"{self.folders[kind]}/index.html"

    def asset(self, name: str) -> str:
        return self.base_path + "static/" + name

    def data(self, name: str) -> str:
        """URL of a download or index under data/: 'moves.csv' -> '/base/data/moves.csv'."""
        return self.base_path + data_path(name)


def base_path(base_url: str) -> str:
    """The path the site is served under: 'https://user.github.io/repo' -> '/repo/'."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def site_urls(graph: Graph) -> Urls:
    """The site's URLs: under its base URL, each kind's pages in its folder."""
    return graph.memo(_site_urls)


def _site_urls(graph: Graph) -> Urls:
    return Urls(graph.config.base_url, {kind.name: kind.folder for kind in graph.kinds.values()})


@dataclass(frozen=True)
class RepoLinks:
    """Where a reader fixes or reports a page's facts: its file on GitHub, and a new issue."""

    edit: str
    report: str


CONTENT_DIR = "content"  # where content files live in the repository


def repo_links(repository: str, branch: str, src_path: str, title: str, address: str) -> RepoLinks:
    """'Edit this page' (GitHub's editor on the file of `src_path`, a path in the content
    folder) and 'Report a problem' (a new issue naming the page and its address)."""
    repo = repository.rstrip("/").removesuffix(".git")
    file = f"{CONTENT_DIR}/{src_path}"
    edit = f"{repo}/edit/{quote(branch, safe='')}/{quote(file)}"
    body = f"Page: {title}\nAddress: {address}\nFile: {file}\n\nWhat is wrong, and a source that shows it:\n"
    report = f"{repo}/issues/new?" + urlencode({"title": f"Problem on the page “{title}”", "body": body}, quote_via=quote)
    return RepoLinks(edit, report)


def timeline_path(year: int | None = None) -> str:
    """The timeline's index of years, or one year's page."""
    return f"timeline/{year}/index.html" if year is not None else "timeline/index.html"


def moves_path(year: int | None = None) -> str:
    """The moves page, or the page of one year's moves."""
    return f"moves/{year}/index.html" if year is not None else "moves/index.html"


def data_path(name: str) -> str:
    """Output path of a data file (downloads, the search index)."""
    return f"data/{name}"


FEED_PATH = "feed.xml"
SITEMAP_PATH = "sitemap.xml"
SEARCH_PATH = "search/index.html"
CLAIMS_PATH = "claims/index.html"
ANALYTICS_PATH = "analytics/index.html"
ABOUT_PATH = "about/index.html"
