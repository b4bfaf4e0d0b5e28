"""Markdown from content, rendered once and made safe."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import nh3
from markupsafe import Markup

from atlas.site import fastmd

if TYPE_CHECKING:
    import markdown

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
                "h3", "h4", "h5", "h6", "br", "hr", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One Markdown instance per process: building one (and its extensions) costs more
    than a short text. Imported here, for the texts fastmd leaves: importing Markdown
    takes 30 ms, a sixtieth of a rebuild after one edit at 10,000 people."""
    import markdown

    class NoRawHtml(markdown.Extension):
        """Treat raw HTML in Markdown as text, so it is escaped rather than passed through."""

        def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")

    return markdown.Markdown(extensions=[NoRawHtml(), "tables"], output_format="html")


def _markdown_html(text: str) -> str:
    """Render Markdown to HTML with python-markdown."""
    md = _converter()
    try:
        return md.convert(text)
    finally:
        md.reset()


@functools.lru_cache(maxsize=16384)  # bounded: every bio passes through once, and at 100,000
def render_markdown(text: str) -> Markup:  # people an unbounded cache grew each worker by ~0.5 GB
    """Render Markdown to HTML that holds only allowlisted tags and http(s)/mailto links.
    Every text goes through the sanitizer, whichever renderer made its HTML."""
    html = fastmd.to_html(text)
    return Markup(_clean(html if html is not None else _markdown_html(text)))


def _clean(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes; links get rel=nofollow."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="nofollow noopener")
