"""A reader for the plain, line-by-line YAML that content files are written in.

Loading through libyaml makes Python objects for every event, mark and node before the
values are built. Content files use a small part of YAML: block mappings of field
names, block lists, one-line scalars (plain or quoted), one-line lists of scalars
(`[a, b]`) and literal or folded blocks (`|`, `|-`, `>`, `>-`). `parse` reads exactly
that part straight into the located values that load.py builds, in about half the time,
and returns None for anything else (a tab, an empty value, an anchor, an escape, a
comment after a value, a syntax error, ...), so that libyaml reads the file and reports
any problem as before. Tests compare the two on every content file and on generated
documents.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from atlas.errors import SourceLoc

# Deeper nesting would exhaust the composer's stack (and crash libyaml's); here, deeper
# files go to libyaml's path in load.py, which reports them.
MAX_DEPTH = 50

# Outside the part read here: tabs, YAML 1.1 line breaks (NEL, LS, PS), characters YAML
# forbids, and a byte order mark past the start. Written as the characters it finds, not
# as the complement of those it allows, which took 6 ms to compile in every process.
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
_BLOCK = re.compile(r"([|>])(-?) *$")  # a literal or folded block header, clipped or stripped
_PLAIN_STARTS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain value starting so is left to libyaml
_new_loc = tuple.__new__  # SourceLoc(...) goes through a Python-level __new__; this is one C call


class _Fallback(Exception):
    """The text is outside the part of YAML read here."""


def parse(text: str, path: str, resolve: Any, ymap: type, ylist: type) -> Any:
    """The file's top-level mapping as load.py builds it, or None when libyaml must read it.
    `resolve(value)` gives a plain scalar's value, as the full loader would."""
    if _UNUSUAL.search(text):
        return None
    try:
        return _Reader(text, path, resolve, ymap, ylist).document()
    except _Fallback:
        return None


class _Reader:
    def __init__(self, text: str, path: str, resolve: Any, ymap: type, ylist: type) -> None:
        self.lines = text.split("\n")
        self.path = path
        self.resolve = resolve
        self.ymap = ymap
        self.ylist = ylist
        self.i = 0  # the line being read
        # Each line's indent, -2 for a blank or comment line, and -1 for the end.
        self.indents = [len(line) - len(body) if body and body[0] != "#" else -2
                        for line in self.lines for body in (line.lstrip(" "),)] + [-1]

    def loc(self, line: int, col: int) -> SourceLoc:
        return _new_loc(SourceLoc, (self.path, line + 1, col + 1))  # type: ignore[no-any-return]

    def skip(self) -> int:
        """Move to the next line with content (not blank, not a comment); its indent, or -1 at the end."""
        indents = self.indents
        i = self.i
        while indents[i] == -2:
            i += 1
        self.i = i
        return indents[i]

    def document(self) -> Any:
        if self.skip() != 0:
            raise _Fallback  # empty, or indented: libyaml reports it
        value = self.mapping(0, 0, 1)
        if self.skip() != -1:
            raise _Fallback  # content left over: a syntax error, which libyaml reports
        return value

    def node(self, indent: int, depth: int) -> tuple[Any, SourceLoc]:
        """The block node whose first line (at `indent`) is the current line."""
        if depth > MAX_DEPTH:
            raise _Fallback
        body = self.lines[self.i][indent:]
        loc = self.loc(self.i, indent)
        if body.startswith("- ") or body == "-":
            return self.sequence(indent, depth), loc
        return self.mapping(indent, indent, depth), loc

    def mapping(self, indent: int, col: int, depth: int) -> Any:
        """A block mapping whose keys are at `indent`; its first key is on the current line at `col`."""
        lines, indents, path, resolve = self.lines, self.indents, self.path, self.resolve
        result = self.ymap()
        result.loc = _new_loc(SourceLoc, (path, self.i + 1, col + 1))
        key_locs: dict[str, SourceLoc] = {}
        value_locs: dict[str, SourceLoc] = {}
        result.key_locs, result.value_locs = key_locs, value_locs
        while True:
            line_no = self.i
            line = lines[line_no]
            match = _KEY.match(line, col)
            if match is None:
                raise _Fallback
            key = match[1]
            if key in key_locs:
                raise _Fallback  # libyaml's path reports the duplicate
            key_locs[key] = _new_loc(SourceLoc, (path, line_no + 1, col + 1))
            rest = match.end()
            if rest == len(line):  # the value is a block below
                self.i += 1
                below = self.skip()
                body = lines[self.i][below:] if below >= 0 else ""
                if not (below > indent or (below == indent and (body.startswith("- ") or body == "-"))):
                    raise _Fallback  # an empty value (null)
                result[key], value_locs[key] = self.node(below, depth + 1)
            elif _plain(text := line[rest:].rstrip(" ")):  # most values: one line of plain text
                result[key] = resolve(text)
                value_locs[key] = _new_loc(SourceLoc, (path, line_no + 1, rest + 1))
                self.i = line_no + 1
            else:
                result[key], value_locs[key] = self.scalar(line, rest, indent)
            i = self.i
            while indents[i] == -2:
                i += 1
            self.i = i
            at = indents[i]
            if at < indent:
                return result
            if at > indent:
                raise _Fallback
            col = indent

    def sequence(self, indent: int, depth: int) -> Any:
        """A block list whose dashes are at `indent`, from the current line."""
        lines, path = self.lines, self.path
        items = self.ylist()
        items.loc = _new_loc(SourceLoc, (path, self.i + 1, indent + 1))
        item_locs: list[SourceLoc] = []
        items.item_locs = item_locs
        while True:
            line_no = self.i
            line = lines[line_no]
            if not line.startswith("- ", indent):
                raise _Fallback  # a bare '-' (an empty or nested item)
            col = len(line) - len(line[indent + 1:].lstrip(" "))
            if col == len(line) or line.startswith("- ", col) or line[col] == "#":
                raise _Fallback  # an empty item, a list in a list, or a comment
            if _KEY.match(line, col):
                if depth + 1 > MAX_DEPTH:
                    raise _Fallback
                items.append(self.mapping(col, col, depth + 1))
                item_locs.append(_new_loc(SourceLoc, (path, line_no + 1, col + 1)))
            elif _plain(text := line[col:].rstrip(" ")):
                items.append(self.resolve(text))
                item_locs.append(_new_loc(SourceLoc, (path, line_no + 1, col + 1)))
                self.i = line_no + 1
            else:
                value, loc = self.scalar(line, col, indent)
                items.append(value)
                item_locs.append(loc)
            at = self.skip()
            if at < indent or (at == indent and not lines[self.i].startswith("-", indent)):
                return items  # the list is over; what follows is the caller's to read
            if at > indent:
                raise _Fallback

    def scalar(self, line: str, col: int, indent: int) -> tuple[Any, SourceLoc]:
        """The one-line or literal-block scalar starting at `col` of the current line, in a
        node at `indent`; moves past it."""
        line_no = self.i
        loc = self.loc(line_no, col)
        first = line[col]
        if first == "|" or first == ">":
            header = _BLOCK.match(line, col)
            if header is None:
                raise _Fallback
            return self.block(indent, header[1] == ">", header[2] == "-"), loc
        if first == '"':
            value, end = _double_quoted(line, col)
            if line[end + 1:].strip(" "):
                raise _Fallback
        elif first == "'":
            value, end = _single_quoted(line, col)
            if line[end + 1:].strip(" "):
                raise _Fallback
        elif first == "[":
            value = self.flow_list(line, col)
        else:
            text = line[col:].rstrip(" ")
            if not _plain(text):
                raise _Fallback  # an indicator, a mapping in a value, or a comment: libyaml decides
            value = self.resolve(text)
        self.i += 1  # a value going on over the next lines is caught by the caller, as too deep
        return value, loc

    def flow_list(self, line: str, col: int) -> Any:
        """A one-line list of scalars, `[a, "b c", 'd']`, starting at `col`."""
        items = self.ylist()
        items.loc = self.loc(self.i, col)
        items.item_locs = []
        at = _skip_spaces(line, col + 1)
        if line.startswith("]", at):
            at += 1
        else:
            while True:
                if at >= len(line):
                    raise _Fallback  # it goes on over the next line
                items.item_locs.append(self.loc(self.i, at))
                first = line[at]
                if first == '"' or first == "'":
                    value, end = _single_quoted(line, at) if first == "'" else _double_quoted(line, at)
                    at = end + 1
                else:
                    end = min((i for i in (line.find(",", at), line.find("]", at)) if i >= 0), default=-1)
                    text = line[at:end].rstrip(" ")
                    if (end < 0 or not text or first in _PLAIN_STARTS or any(c in text for c in "#[]{}")
                            or ": " in text or text.endswith(":")):
                        raise _Fallback  # ':' stays in a URL, but a key or a comment is libyaml's to read
                    value, at = self.resolve(text), end
                items.append(value)
                at = _skip_spaces(line, at)
                if line.startswith(",", at):
                    at = _skip_spaces(line, at + 1)
                    if line.startswith("]", at):
                        raise _Fallback  # a trailing comma
                    continue
                if not line.startswith("]", at):
                    raise _Fallback
                at += 1
                break
        if line[at:].strip(" "):
            raise _Fallback  # a comment or more after it
        return items

    def block(self, indent: int, folded: bool, strip: bool) -> str:
        """The lines of a literal or folded block below the current line, chomped as its header says."""
        lines = self.lines
        first = self.i + 1
        j = first
        while j < len(lines) and lines[j] == "":
            j += 1
        if j == len(lines):
            raise _Fallback  # an empty block
        width = len(lines[j]) - len(lines[j].lstrip(" "))  # the block's indentation: its first line's
        if width <= indent or width == len(lines[j]):
            raise _Fallback  # an empty block, or a line of spaces first
        margin = " " * width
        content = []
        last = first  # the line after the last one with content
        for j in range(first, len(lines)):
            line = lines[j]
            if line.startswith(margin):
                if not line.strip(" "):
                    raise _Fallback  # a line of spaces only: chomping treats those apart
                content.append(line[width:])
                last = j + 1
            elif not line:
                content.append("")
            elif line.strip(" "):
                break  # less indented: the block is over
            else:
                raise _Fallback  # a line of spaces only
        else:
            j = len(lines)
        self.i = j
        content = content[:last - first]
        text = _fold(content) if folded else "\n".join(content)
        return text if strip or last == len(lines) else text + "\n"  # clipped: the last line's break stays


def _fold(lines: list[str]) -> str:
    """A folded block's text from its lines ('' for an empty line), as libyaml folds them: a
    line break between two lines becomes a space, unless empty lines come between (they
    stay) or either line is more indented than the block (its breaks stay)."""
    start = next(i for i, line in enumerate(lines) if line)
    out = ["\n" * start, lines[start]]  # each empty line before the first stays a line break
    empty = 0
    previous = lines[start]
    for line in lines[start + 1:]:
        if not line:
            empty += 1
            continue
        if previous.startswith(" ") or line.startswith(" "):
            out.append("\n" * (empty + 1))
        else:
            out.append("\n" * empty if empty else " ")
        out.append(line)
        previous, empty = line, 0
    return "".join(out)


def _plain(text: str) -> bool:
    """Whether a value's text (stripped, not empty) is a plain scalar read here: no indicator
    first, no ': ' (a mapping), no ' #' (a comment), no ':' last."""
    return text[0] not in _PLAIN_STARTS and ": " not in text and " #" not in text and text[-1] != ":"


def _skip_spaces(line: str, at: int) -> int:
    return len(line) - len(line[at:].lstrip(" "))


def _double_quoted(line: str, col: int) -> tuple[Any, int]:
    """A one-line double-quoted scalar without escapes: its value and the closing quote's index."""
    end = line.find('"', col + 1)
    if end < 0 or "\\" in line[col:end]:
        raise _Fallback
    return line[col + 1:end], end


def _single_quoted(line: str, col: int) -> tuple[str, int]:
    """A one-line single-quoted scalar ('' is a quote): its value and the closing quote's index."""
    at = col + 1
    parts = []
    while True:
        end = line.find("'", at)
        if end < 0:
            raise _Fallback
        parts.append(line[at:end])
        if line.startswith("''", end):
            parts.append("'")
            at = end + 2
            continue
        return "".join(parts), end


def resolver(loader_class: type) -> Any:
    """A function giving a plain scalar's value as `loader_class` (a SafeConstructor and
    resolver) would: strings as they are, other implicit types constructed."""
    loader = loader_class("")
    first = frozenset(loader.yaml_implicit_resolvers)
    str_tag = "tag:yaml.org,2002:str"

    seen: dict[str, Any] = {}  # dates, numbers and such repeat across files; values are immutable

    def resolve(text: str) -> Any:
        if text[:1] not in first:
            return text
        found = seen.get(text, seen)
        if found is not seen:
            return found
        tag = loader.resolve(yaml.ScalarNode, text, (True, False))
        if tag == str_tag:
            value = text
        else:
            try:
                value = loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, text))
            except (yaml.YAMLError, ValueError, KeyError):
                raise _Fallback from None  # libyaml's path reports it
        if len(seen) > 50_000:
            seen.clear()
        seen[text] = value
        return value

    return resolve
