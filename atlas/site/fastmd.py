"""A fast path for the common subset of Markdown, byte-identical to python-markdown.

python-markdown builds an ElementTree and runs a dozen processors per text, which makes it
the largest cost of a build. Most content uses only paragraphs, tight lists, quotes, links,
code and emphasis; `to_html` renders exactly that subset with a few regexes and returns None
for anything else, so the caller falls back to python-markdown. Every rule below is
deliberately narrower than python-markdown's own, and tests/test_fastmd.py checks the
output against the real library.
"""
from __future__ import annotations

import re

# Needs python-markdown: backslash escapes, raw HTML ('<'), tables ('|'), leading or trailing
# spaces on a line (code blocks, list continuations, hard breaks) and runs of blank lines.
# Unprintable characters are checked apart: control characters (the library uses \x02 and
# \x03 itself) and all whitespace but space and newline (tabs, CR, NBSP: its \s sees them).
_REJECT = ("\\", "<", "|", " \n", "\n ", "\n\n\n")

# A line that could start a header, quote, list, rule or setext underline, or that
# python-markdown would strip of its leading spaces (after a list or quote marker).
_BLOCK_START = re.compile(r"[ #>=+\-]|\* |\d+\.(?: |$)")

_ITEM = re.compile(r"[-*+] ")

# Inline Markdown in the subset. Text holds no '`', '*', '_', '[' or ']', '&' only where it
# cannot start an entity and '!' only where it cannot start an image. A text run must end
# where text ends (the lookahead): with only one way to split the input, a text outside the
# subset fails in linear time instead of backtracking through every split.
_CHAR = r"(?:[^`*_\[\]&!\n]|&(?=[ ])|!(?!\[))"
_INNER = rf"(?![ ]){_CHAR}+(?<![ ])"  # emphasis and link text: one line, not padded
_SPANS = re.compile(rf"""(?:
    [^`*_\[\]&!]+(?![^`*_\[\]&!]) | &(?=[ ]) | !(?!\[)  # text
  | `[^`\s](?:[^`\n]*[^`\s])?`(?!`)                 # code; '``' would be a longer delimiter
  | \*\*{_INNER}\*\*(?!\*)                           # strong; '**a***b*' would merge delimiters
  | \*{_INNER}\*(?!\*)                               # em
  | \[{_INNER}\]\([^\s()<>"'`\[\]*;]+\)             # link with a plain URL and no title
)*""", re.VERBOSE)

# The same spans, in text already known to match _SPANS and escaped.
_MARKUP = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\(([^)]+)\)")


def _escape(text: str) -> str:
    """Escape text as python-markdown's serializer does (no '<' reaches here)."""
    return text.replace("&", "&amp;").replace(">", "&gt;")


def _tag(m: re.Match[str]) -> str:
    """Render one matched span of _MARKUP."""
    code, strong, em, label, url = m.groups()
    if code is not None:
        return f"<code>{code}</code>"
    if strong is not None:
        return f"<strong>{strong}</strong>"
    if em is not None:
        return f"<em>{em}</em>"
    return f'<a href="{url}">{label}</a>'


def _inline(text: str) -> str | None:
    """Render one block's inline Markdown, or None when it is outside the subset."""
    if not _SPANS.fullmatch(text):
        return None
    # Text, code, emphasis, link text and URL all escape alike, so escape once.
    return _MARKUP.sub(_tag, _escape(text))


def _paragraph(lines: list[str]) -> str | None:
    """Render lines as one paragraph's content, or None."""
    if any(_BLOCK_START.match(line) for line in lines):
        return None
    return _inline("\n".join(lines))


def to_html(text: str) -> str | None:
    """Return python-markdown's HTML for text, or None when text is outside the fast subset."""
    if not text.strip():
        return ""
    text = text.rstrip("\n")  # a YAML block scalar's final newline changes nothing
    if (not text.replace("\n", "").isprintable() or any(bad in text for bad in _REJECT)
            or text[0] in " \n" or text[-1] == " "):
        return None
    parts: list[str] = []
    last = ""  # kind of the previous block
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if block.startswith(">"):
            if not all(line.startswith("> ") for line in lines):
                return None
            body = _paragraph([line[2:] for line in lines])
            if body is None:
                return None
            if last == "quote":  # python-markdown adds a quote right after a quote to it
                parts[-1] = parts[-1].removesuffix("\n</blockquote>")
            else:
                parts.append("<blockquote>")
            parts[-1] += f"\n<p>{body}</p>\n</blockquote>"
            last = "quote"
        elif _ITEM.match(block):
            if last == "list" or not all(_ITEM.match(line) for line in lines):
                return None  # a list after a list, or a lazy line, makes a loose or longer list
            items = [_paragraph([line[2:]]) for line in lines]
            if None in items:
                return None
            parts.append("<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>")
            last = "list"
        else:
            body = _paragraph(lines)
            if body is None:
                return None
            parts.append(f"<p>{body}</p>")
            last = "paragraph"
    return "\n".join(parts)
