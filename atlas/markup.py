"""Markdown from content, rendered once and made safe."""
from __future__ import annotations

import functools

import markdown
import nh3
from markupsafe import Markup

from . import fastmd

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
                "h3", "h4", "h5", "h6", "br", "hr", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


class _NoRawHtml(markdown.Extension):
    """Treat raw HTML in Markdown as text, so it is escaped rather than passed through."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One Markdown instance per process: building one (and its extensions) costs more than a short text."""
    return markdown.Markdown(extensions=[_NoRawHtml(), "tables"], output_format="html")


def _to_html(text: str) -> str:
    """Render Markdown to HTML: the fast path for the common subset, else python-markdown."""
    html = fastmd.to_html(text)
    if html is not None:
        return html
    return _markdown_html(text)


def _markdown_html(text: str) -> str:
    """Render Markdown to HTML with python-markdown."""
    md = _converter()
    try:
        return md.convert(text)
    finally:
        md.reset()


@functools.lru_cache(maxsize=16384)  # bounded: every bio passes through once, and at 100,000
def render_markdown(text: str) -> Markup:  # people an unbounded cache grew each worker by ~0.5 GB
    """Render Markdown to HTML that holds only allowlisted tags and http(s)/mailto links."""
    html = _to_html(text)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=URL_SCHEMES, link_rel="nofollow noopener")
    return Markup(clean)


def render_inline(text: str) -> Markup:
    """Render a one-paragraph Markdown text without the surrounding <p>."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
