"""fastyaml reads plain content files as libyaml does, values and positions alike, and
leaves everything else to libyaml (which then reports any problem as before)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from atlas.content import fastyaml
from atlas.content import load
from atlas.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent


def _fast(text: str) -> Any:
    return fastyaml.parse(text, "f.yaml", load._resolve_plain, load.YMap, load.YList)


def _libyaml(text: str) -> Any:
    """load_text without the fast path."""
    saved = load.FAST_BYTES
    load.FAST_BYTES = 0
    try:
        return load.load_text(text, "f.yaml")
    finally:
        load.FAST_BYTES = saved


def _same(a: Any, b: Any, where: str = "") -> None:
    """Equal values of equal types, with equal positions all the way down."""
    assert type(a) is type(b), where
    if isinstance(a, dict):
        assert list(a) == list(b), where
        assert (a.loc, a.key_locs, a.value_locs) == (b.loc, b.key_locs, b.value_locs), where
        for key in a:
            _same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert (len(a), a.loc, a.item_locs) == (len(b), b.loc, b.item_locs), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b or (a != a and b != b), where  # NaN is not equal to itself


def _agrees(text: str) -> bool:
    """Check fastyaml against libyaml on `text`; True when fastyaml read it."""
    fast = _fast(text)
    if fast is None:
        return False
    _same(fast, _libyaml(text))  # libyaml must read what fastyaml read, and the same way
    return True


CONTENT = sorted([*ROOT.glob("content/*/*.yaml"), *ROOT.glob("tests/fixtures/*/content/*/*.yaml"),
                  *ROOT.glob("tests/invalid/*/content/*/*.yaml"), *ROOT.glob("tests/xss/**/*.yaml")])


def test_every_content_file_reads_the_same_and_most_take_the_fast_way() -> None:
    fast = [path for path in CONTENT if _agrees(path.read_text(encoding="utf-8"))]
    assert len(CONTENT) > 100
    assert len(fast) >= 0.9 * len(CONTENT)


@pytest.mark.parametrize("text", [
    "name: A\nbio: |\n  one\n\n  two\n\n\n",            # clipped: one final break
    "name: A\nbio: |-\n  one\n   more\n  two\nx: 1\n",    # stripped, a more indented line kept
    "bio: |\n  last line without a break",
    "bio: >-\n  one\n  two\n\n  three\n   indented\n  four\n",  # folded
    "bio: >\n  one\n\n\n  two\n",
    "list:\n- a\n- b\nnext: c\n",                          # a list at its key's indent
    "a:\n  - x: 1\n    y: [p, 'q r', \"s\", https://t.example/u]\n  - z\n",
    "quoted: 'it''s'\nempty: ''\ndq: \"x: y # z\"\n",
    "n: 12\nf: 1.5\nb: true\nz: ~\nd: 2023-05\nv: 1_000\ns: .inf\n",
    "name: Zoë 🚀 Łukasz\nsummary: a-b:c\n",
    "# comment\n\nname: A  \n  # indented comment\nrole: B\n",
    "a: []\nb: [ x ,y ]\n",
])
def test_chosen_documents_read_the_same(text: str) -> None:
    assert _agrees(text)


@pytest.mark.parametrize("text", [
    "a: b\na: c\n",               # duplicate key: libyaml's path names both lines
    "a:\n",                       # an empty value
    "a: &x 1\nb: *x\n",           # anchors
    "a: !!str 1\n",               # tags
    "a: b\n\tc: d\n",             # a tab
    "a: \"x\\ty\"\n",             # an escape
    "a: {b: c}\n",                # a flow mapping
    "a: b # note\n",              # a comment after a value
    "a: b\n  c\n",                # a value over two lines
    "---\na: b\n",                # a document marker
    "a: [b,\n  c]\n",             # a flow list over two lines
    "a: |+\n  keep\n\n",          # keep chomping
    "a: |2\n   x\n",              # an indentation indicator
    "a: b\u2028c\n",              # a YAML 1.1 line break
    "- a\n",                     # a list at the top
])
def test_what_it_leaves_to_libyaml(text: str) -> None:
    assert _fast(text) is None


_WORDS = st.sampled_from(["a", "b", "name", "x_y", "k-1", "True", "null"])
_VALUES = st.sampled_from(["0", "-1", "+2", "1_0", "1.5", ".5", "1e3", "1.0e+3", ".inf", "-.Inf", ".nan", "true", "FALSE",
                           "yes", "No", "on", "~", "null", "Null", "2023", "2023-05", "2023-05-27", "~2023", "by 2024",
                           "http://x.example/a#b", "a:b", "a#b", "it's", "Zoë", "🚀 rocket", "x  ", "Jean-Luc Ng", "a]"])
_TRAPS = st.sampled_from(["a: b", "a :b", "a #b", "-a", "- a", "?a", "a,b", "[a]", "'q'", '"d"', "  x", "|", ">",
                          "{a}", "%a", "@a", "`a", "a\\b", "a:"])
_SCALARS = st.one_of(  # mostly values content has; now and then a trap or any text
    _VALUES, _VALUES, _VALUES, _VALUES, _VALUES, _VALUES, _TRAPS,
    st.text(alphabet="ab -:#'\"[],é🚀", min_size=1, max_size=6),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8),
)


@st.composite
def _scalar_text(draw: Any) -> str:
    """A scalar written plain, quoted, or as a flow list."""
    value = draw(_SCALARS)
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "flow"]))
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value + '"'
    if style == "flow":
        items = draw(st.lists(_SCALARS, max_size=3))
        return "[" + draw(st.sampled_from([", ", ",", " , "])).join(items) + "]"
    return value


@st.composite
def _block_text(draw: Any, indent: int) -> list[str]:
    """A literal or folded block: its header and lines."""
    header = draw(st.sampled_from(["|", "|-", ">", ">-", "| ", "|", "|-", ">", ">-", "|+", ">2"]))
    width = indent + draw(st.integers(1, 3))
    lines = draw(st.lists(st.one_of(st.just(""), st.just(" " * width), _SCALARS.map(lambda s: s.replace("\n", " "))),
                          min_size=1, max_size=5))
    extra = draw(st.lists(st.integers(0, 2), min_size=len(lines), max_size=len(lines)))
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    extra[first] = 0  # the first line sets the block's indentation
    return [header, *[" " * (width + e) + line if line.strip() else line for line, e in zip(lines, extra)]]


@st.composite
def _mapping(draw: Any, indent: int = 0, depth: int = 0) -> list[str]:
    out = []
    for key in draw(st.lists(_WORDS, min_size=1, max_size=4, unique=True)):
        kind = draw(st.sampled_from(["scalar", "scalar", "block", "map", "list"] * 6 + ["empty"]) if depth < 3 else
                    st.sampled_from(["scalar", "block"]))
        pad = " " * indent
        if out and draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(st.sampled_from(["", pad + "# note", "   "])))
        if kind == "scalar":
            out.append(f"{pad}{key}: {draw(_scalar_text())}")
        elif kind == "block":
            header, *lines = draw(_block_text(indent))
            out += [f"{pad}{key}: {header}", *lines]
        elif kind == "map":
            out.append(f"{pad}{key}:")
            out += draw(_mapping(indent + draw(st.integers(1, 3)), depth + 1))
        elif kind == "list":
            out.append(f"{pad}{key}:")
            dash = indent + draw(st.integers(0, 2))
            for _ in range(draw(st.integers(1, 3))):
                if draw(st.booleans()):
                    first, *rest = draw(_mapping(dash + 2, depth + 1))
                    out += [" " * dash + "- " + first[dash + 2:], *rest]
                else:
                    out.append(" " * dash + "- " + draw(_scalar_text()))
        else:
            out.append(f"{pad}{key}:")
    return out


@given(_mapping(), st.booleans())
@example(["a: |", "  x", "", "b: 1"], True)
@example(["a: >", "", " 0"], False)  # an empty first line of a folded block stays a line break
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_documents_read_the_same(lines: list[str], final_break: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_break else "")
    fast = _fast(text)
    if fast is None:
        return
    try:
        reference = _libyaml(text)
    except ContentError as err:
        pytest.fail(f"fastyaml read a document libyaml refuses: {err.problems[0]}\n{text}")
    _same(fast, reference)


def test_the_unusual_characters_are_exactly_those_outside_the_plain_text_read_here() -> None:
    from atlas.content.fastyaml import _UNUSUAL

    allowed = [(0x0A, 0x0A), (0x20, 0x7E), (0xA0, 0x2027), (0x202A, 0xD7FF), (0xE000, 0xFEFE), (0xFF00, 0xFFFD),
               (0x10000, 0x10FFFF)]
    found = "".join(chr(c) for c in range(0x110000) if not any(lo <= c <= hi for lo, hi in allowed))
    assert "\t" in found and "\u2028" in found and "\ufeff" in found and "é" not in found
    assert _UNUSUAL.findall(found) == list(found)
    assert _UNUSUAL.search("".join(chr(c) for lo, hi in allowed for c in range(lo, hi + 1))) is None
