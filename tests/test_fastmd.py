"""The Markdown fast path: byte-identical to python-markdown wherever it applies."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.site import fastmd
from atlas.content.fields import FieldType, ListOf, Record, Text
from atlas.kinds import KINDS
from atlas.site.markup import _markdown_html, render_markdown
from conftest import SEED

ROOT = Path(__file__).resolve().parent.parent
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the pure-Python one takes a second here


def assert_same(text: str) -> str | None:
    """Check the fast path against python-markdown, and return its result."""
    html = fastmd.to_html(text)
    if html is not None:
        assert html == _markdown_html(text), repr(text)
    return html


# --- exact cases ----------------------------------------------------------------------

@pytest.mark.parametrize("text, html", [
    ("Plain text.", "<p>Plain text.</p>"),
    ("One\ntwo\n\nThree", "<p>One\ntwo</p>\n<p>Three</p>"),
    ("Ends with a newline\n", "<p>Ends with a newline</p>"),
    ("", ""),
    ("Interests:\n\n- *LLMs*\n- speech", "<p>Interests:</p>\n<ul>\n<li><em>LLMs</em></li>\n<li>speech</li>\n</ul>"),
    ("* a\n+ b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ('> "Ship the eval first." — quoted in **wired.com**, 2024.',
     '<blockquote>\n<p>"Ship the eval first." — quoted in <strong>wired.com</strong>, 2024.</p>\n</blockquote>'),
    ("> a\n> b\n\n> c", "<blockquote>\n<p>a\nb</p>\n<p>c</p>\n</blockquote>"),
    ("See [the paper](https://arxiv.org/abs/2310.06825?x=1&y=2).",
     '<p>See <a href="https://arxiv.org/abs/2310.06825?x=1&amp;y=2">the paper</a>.</p>'),
    ("Run `llama-eval` & `a&b`.", "<p>Run <code>llama-eval</code> &amp; <code>a&amp;b</code>.</p>"),
    ("*em*, **strong**, intra*word*s", "<p><em>em</em>, <strong>strong</strong>, intra<em>word</em>s</p>"),
    ("Łukasz Wiśniewski (Zürich) raised €240M — “a lot”; 张伟 agrees.",
     "<p>Łukasz Wiśniewski (Zürich) raised €240M — “a lot”; 张伟 agrees.</p>"),
    ("a > b, C# is #1!", "<p>a &gt; b, C# is #1!</p>"),
])
def test_exact_output(text: str, html: str) -> None:
    assert fastmd.to_html(text) == html
    assert _markdown_html(text) == html


@pytest.mark.parametrize("text", [
    "# Header", "Title\n===", "Title\n---", "***", "1. one", "2023. A year", "    code", "\tx",
    "a\r\nb", "a  \nb", "a\n\n\nb", "\na", "| a | b |", "[ref]: https://x", "[a][ref]", "[a]",
    "![img](x.png)", "<b>x</b>", "a\\*b", "&amp;", "R&D", "snake_case", "*a***b**", "***a***",
    "*not closed", "a * b", "- a\n\n- b", "- a\nlazy", "> a\nlazy", ">a", "- - nested",
    "[a](x (y))", '[a](x "title")', "[ a ](x)", "``a``", "` a `", "*a\nb*", "a\u00a0*b*",
    "-  two spaces", "a\x02b",
])
def test_outside_the_subset_falls_back(text: str) -> None:
    assert fastmd.to_html(text) is None


@pytest.mark.parametrize("text", ["*" + "a " * 20_000, "a " * 20_000 + "[", "[" + "a" * 20_000 + "](u",
                                  "**" + "a" * 20_000 + "*", "`" + "a" * 20_000])
def test_near_misses_fail_in_linear_time(text: str) -> None:
    start = time.process_time()
    assert fastmd.to_html(text) is None
    assert time.process_time() - start < 0.5


def test_render_markdown_sanitizes_the_fast_path_output_too() -> None:
    text = "See [y](https://example.com) and [z](https://xn--zz.com/)."
    assert fastmd.to_html(text) is not None  # the fast renderer takes it...
    # ...and the sanitizer still runs: links get rel, and the address nh3 cannot decode is gone.
    assert str(render_markdown(text)) == ('<p>See <a href="https://example.com" rel="nofollow noopener">y</a> and '
                                          '<a rel="nofollow noopener">z</a>.</p>')


# --- differential properties --------------------------------------------------------------

# Pieces of a line, built up front so that hypothesis draws one value per piece (drawing
# each word, delimiter and URL separately made generation 20x slower than rendering).
WORDS = ["Ada", "works", "on", "LLMs", "café", "Łukasz", "Zürich", "—", "“quoted”", "'single'",
         '"double"', "(2023)", "3.5", "C#", "a>b", "wow!", "O'Brien", "50%", "€240M", "$2bn",
         "x=1", "e.g.", ":", ";", ",", "张伟", "🙂", "see:", "& co", "a-b", "1)"]
MID_WORDS = WORDS + ["+1", "#1", "2023.", "> b", "- x", "+ z", "=", "---", "1. x"]  # not at a line start
INNER = ["Ada", "works on LLMs", "café", "(2023)", "wow!", "a>b", "& co", "“quoted” Zürich", "e.g.",
         "O'Brien", "3.5", "C#", "x=1", "50%", "张伟"]
URLS = ["https://arxiv.org/abs/2310.06825", "https://x.example/a_b?c=1&d=2#e", "/people/ada/",
        "mailto:a@b.example", "https://de.wikipedia.org/wiki/Zürich", "u"]
CORES = ([f"*{w}*" for w in INNER] + [f"**{w}**" for w in INNER]
         + [f"`{c}`" for c in ["llama-eval", "a*b_c", "[0]", "x & y", "a>b", "é"]]
         + [f"[{w}]({u})" for w, u in zip(INNER, URLS * 3)])
# Markup glued to a word or punctuation on either side, or to other markup that is not emphasis.
MARKUP = [before + core + after for before in ["", "(", "“", "foo", "`c`[l](u)"] for core in CORES
          for after in ["", ".", ",", ")", "”", "bar", ":", "[l](u)**x**"]]

FIRST_PIECES = WORDS * 20 + MARKUP  # about half words, half markup
PIECES = MID_WORDS * 15 + MARKUP
lines = st.builds(lambda first, rest: " ".join([first, *rest]),
                  st.sampled_from(FIRST_PIECES), st.lists(st.sampled_from(PIECES), max_size=4))


def make_text(blocks: list[tuple[str, list[str]]], end: str) -> str:
    """Join (kind, lines) blocks into Markdown; a list right after a list becomes a paragraph."""
    out = []
    last = ""
    for kind, body in blocks:
        if kind == "list" and last == "list":
            kind = "paragraph"
        if kind == "list":
            out.append("\n".join(f"{'-*+'[i % 3]} {line}" for i, line in enumerate(body)))
        elif kind == "quote":
            out.append("\n".join("> " + line for line in body))
        else:
            out.append("\n".join(body))
        last = kind
    return "\n\n".join(out) + end


subset_texts = st.builds(
    make_text,
    st.lists(st.tuples(st.sampled_from(["paragraph", "list", "quote"]), st.lists(lines, min_size=1, max_size=3)),
             min_size=1, max_size=3),
    st.sampled_from(["", "\n", "\n\n"]))


RISKY = ["*", "**", "_", "`", "[", "]", "(", ")", ">", "> ", "-", "- ", "* ", "+ ", "#", "# ",
         "&", "&amp;", "&#1;", "<", "<b>", "!", "1. ", "2023.", " ", "  ", "\n", "\n\n", "\n\n\n",
         "\t", "\r", "|", "\\", "=", "---", "é", "\u00a0", "\u3000", "\x02", "\ud800", "[a]", "](", "[x]: u"]


# An edit: (position, piece); an empty piece deletes the character at the position.
edits = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(RISKY + [""])), min_size=1, max_size=6)
# Short runs of the characters the fast path accepts but treats with care.
SOUP = ["*", "**", "_", "`", "[", "]", "(", ")", "](", "](u)", ">", "> ", "-", "- ", "* ", "+ ", "#", "&", "& ",
        "!", "1.", "1. ", " ", "\n", "\n\n", "=", "a", "b", "é", "ł", "—", "9", ".", "x", "“"]
risky_soup = st.lists(st.sampled_from(SOUP), max_size=20).map("".join)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subset_texts, edits)
def test_subset_takes_the_fast_path_and_near_misses_fall_back_or_match(
        text: str, changes: list[tuple[int, str]]) -> None:
    assert assert_same(text) is not None, repr(text)
    for position, piece in changes:  # each edit on top of the previous ones
        i = position % (len(text) + 1)
        text = text[:i] + piece + text[i + (not piece):]
        assert_same(text)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(risky_soup)
def test_risky_soup_falls_back_or_matches(text: str) -> None:
    assert_same(text)


# --- real and synthetic content ------------------------------------------------------------

def markdown_fields(value: Any, kind: FieldType) -> Iterator[str]:
    """Yield every string the schema types as Markdown within value."""
    if isinstance(kind, Text):
        if kind.markdown and isinstance(value, str):
            yield value
    elif isinstance(kind, ListOf):
        for item in value if isinstance(value, list) else [value]:
            yield from markdown_fields(item, kind.item)
    elif isinstance(kind, Record) and isinstance(value, dict):
        for name, item in value.items():
            if name in kind.fields:
                yield from markdown_fields(item, kind.fields[name].type)


def content_texts(content: Path) -> list[str]:
    """Collect every Markdown text in a content folder."""
    texts = []
    for folder, record in ((kind.folder, kind.schema) for kind in KINDS):
        for path in sorted((content / folder).glob("*.yaml")):
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
            texts.extend(markdown_fields(doc, record))
    return texts


def test_real_content_renders_identically() -> None:
    texts = content_texts(SEED)
    assert len(texts) > 50
    fast = sum(assert_same(text) is not None for text in texts)
    assert fast >= 0.5 * len(texts), f"only {fast} of {len(texts)} texts took the fast path"


def test_synthetic_content_renders_identically_and_mostly_fast(tmp_path: Path) -> None:
    out = tmp_path / "content"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "300", str(out), "--quiet"],
                   check=True)
    texts = content_texts(out)
    assert len(texts) > 300
    fast = sum(assert_same(text) is not None for text in texts)
    assert fast >= 0.9 * len(texts), f"only {fast} of {len(texts)} texts took the fast path"
