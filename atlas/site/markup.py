"""Markdown from content, rendered once and made safe."""
from __future__ import annotations

import functools
import re
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


# A link the sanitizer keeps as it is: http(s), a host name of plain labels (no punycode
# to decode, none too long) ending in a letter (so never an IP address), a path, query
# and fragment of plain characters. Deliberately narrower than what nh3 accepts;
# anything else goes through nh3.
_LINK = re.compile(r'<a href="([^"]*)">')
_PLAIN_URL = re.compile(r"""https?://
    (?:(?!xn--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?!xn--)[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?
    (?:[/?\#](?:[A-Za-z0-9._~!$+,=:@/?\#-]|%[0-9A-Fa-f]{2}|&amp;)*)?""", re.ASCII | re.VERBOSE)


def _clean_fast(html: str) -> str | None:
    """What nh3.clean gives for fastmd's HTML, without parsing it, or None when unsure.

    fastmd's HTML holds only allowlisted tags with no attributes but links' href, and
    escapes '&' and '>' ('<' never reaches it), so cleaning it only adds rel to each
    link, provided nh3 keeps its URL. tests/test_fastmd.py checks this against nh3."""
    parts = _LINK.split(html)  # text, url, text, url, ..., text
    for url in parts[1::2]:
        if not _PLAIN_URL.fullmatch(url):
            return None
    if len(parts) == 1:
        return html
    return "".join(part if i % 2 == 0 else f'<a href="{part}" rel="nofollow noopener">'
                   for i, part in enumerate(parts))


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
    html = fastmd.to_html(text)
    clean = _clean_fast(html) if html is not None else None
    if clean is None:
        clean = _clean(html if html is not None else _markdown_html(text))
    return Markup(clean)


def _clean(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes; links get rel=nofollow."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="nofollow noopener")


def render_inline(text: str) -> Markup:
    """Render a one-paragraph Markdown text without the surrounding <p>."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
