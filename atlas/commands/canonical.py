"""The canonical form of a content file, reached by editing its text where it differs.

Canonical means: the fields of every mapping in the order of atlas/content/schema.py
(unknown fields last, as written); dates written `2023-05-27`, `~2023-05` or `by 2023`;
lists of mappings and of URLs one item per line (`- ...`), every other list of names or
slugs on one line (`[a, b]`) unless comments sit among its items; UTF-8 without a byte
order mark, lines ending in LF, and a line break at the end.

The file is read by the same reader as `check` (atlas/content/load.py, then the same
libyaml parse for the positions), so `fmt` and `check` accept exactly the same files.
Only what differs is rewritten, and everything else is kept byte for byte: comments,
quoting, blank lines, indentation and long lines. When fields are reordered, each moves
with its own lines: the comment lines directly above it, the lines of its value, and
comments below it indented deeper than the field (they belong to its value). The comments
above the first field of a mapping (a file's header) stay at its top, and a comment
between two list items stays between them.
"""
from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from atlas.content.fields import Date, FieldType, ListOf, Record, Url
from atlas.content.load import YList, YMap, compose_text, load_bytes
from atlas.errors import ContentError, Problem
from atlas.model.dates import PartialDate

ORDER_DOC = "fields go in the order of docs/fields.md"


class FormatError(Exception):
    """A file cannot be put in canonical form: it cannot be read (the problems say why)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class FormatBug(Exception):
    """The canonical form computed would not read back as the file does: a bug in fmt,
    caught before anything is written."""


@dataclass(frozen=True, order=True)
class Change:
    """One place where a file differs from its canonical form, and what to change there."""

    line: int  # 1-based, in the file as written
    col: int  # 1-based
    last_line: int  # the last line of the file as written that the change rewrites
    message: str


@dataclass(frozen=True)
class Canonical:
    text: str  # the file in canonical form
    changes: tuple[Change, ...]  # what differs, in order of place


def canonical(data: bytes, record: Record, src_path: str = "<text>") -> Canonical:
    """The canonical form of a file's bytes (raises FormatError if check cannot read them)."""
    try:
        meaning = load_bytes(data, src_path)
    except ContentError as err:
        raise FormatError(list(err.problems)) from None
    text = data.decode("utf-8")
    changes = _encoding_changes(text)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        changes.append(Change(text.count("\n") + 1, 1, text.count("\n") + 1,
                              "the file does not end with a line break; add one"))
        text += "\n"
    text, tabbed = _comment_tabs(text)
    changes += tabbed
    node = compose_text(text)
    if not isinstance(node, yaml.MappingNode):
        return Canonical(text, tuple(sorted(changes)))
    rewrite = _Rewrite(text)
    rewrite.mapping(node, record, "")
    result = rewrite.result().lstrip("\ufeff")  # a field moved to the top may bring one
    _same_meaning(meaning, result, record, src_path)
    return Canonical(result, tuple(sorted(changes + rewrite.changes)))


_TABBED_COMMENT = re.compile(r"^([ \t]*\t[ \t]*)(?=#)", re.M)


def _comment_tabs(text: str) -> tuple[str, list[Change]]:
    """Comment lines indented with tabs, indented with spaces (one for each tab, so that
    which field a comment goes with stays the same): YAML reads a tab before a comment
    where one stands, but not everywhere fmt may move the comment."""
    changes = [Change(text.count("\n", 0, m.start()) + 1, 1, text.count("\n", 0, m.start()) + 1,
                      "a comment line is indented with a tab; indent it with spaces")
               for m in _TABBED_COMMENT.finditer(text)]
    return _TABBED_COMMENT.sub(lambda m: m.group(1).replace("\t", " "), text), changes


def _encoding_changes(text: str) -> list[Change]:
    changes = []
    if text.startswith("\ufeff"):
        changes.append(Change(1, 1, 1, "the file starts with a byte order mark; save it as UTF-8 without one"))
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        changes.append(Change(line, 1, text.count("\n") + 1, "lines end in CR LF (Windows style); end them in LF alone"))
    return changes


@dataclass(frozen=True)
class _Edit:
    start: int  # character offsets in the text as read
    end: int
    make: Callable[[], str]  # the new text of [start, end), given the other edits


class _Rewrite:
    """Collects the edits that put one file in canonical form, then applies them."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.line_starts = [0]
        for line in self.lines[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.edits: list[_Edit] = []
        self.starts: list[int] = []
        self.changes: list[Change] = []

    def result(self) -> str:
        self.edits.sort(key=lambda e: (e.start, -e.end))  # an edit before the edits inside it
        self.starts = [e.start for e in self.edits]
        return self.text_of(0, len(self.text))

    def text_of(self, start: int, end: int) -> str:
        """The new text of [start, end): the original with the outermost edits inside it made
        (each makes the edits inside itself)."""
        out, pos = [], start
        i = bisect.bisect_left(self.starts, start)
        while i < len(self.edits) and self.edits[i].start < end:
            edit = self.edits[i]
            if edit.end > end:  # the edit asking for this text, which starts where it does
                i += 1
                continue
            out += [self.text[pos:edit.start], edit.make()]
            pos = edit.end
            i = bisect.bisect_left(self.starts, pos)
        out.append(self.text[pos:end])
        return "".join(out)

    def change(self, line: int, col: int, last_line: int, message: str) -> None:
        self.changes.append(Change(line + 1, col + 1, last_line + 1, message))

    # Walking the nodes along the schema.

    def value(self, node: yaml.Node, ftype: FieldType, path: str, key: yaml.Node | None = None) -> None:
        if isinstance(ftype, Record) and isinstance(node, yaml.MappingNode):
            self.mapping(node, ftype, path)
        elif isinstance(ftype, ListOf) and isinstance(node, yaml.SequenceNode):
            self.sequence(node, ftype, path, key)
        elif isinstance(ftype, Date) and isinstance(node, yaml.ScalarNode):
            self.date(node, path)

    def mapping(self, node: yaml.MappingNode, record: Record, path: str) -> None:
        prefix = f"{path}." if path else ""
        for key, value in node.value:
            spec = record.fields.get(key.value)
            if spec is not None:  # inside {...}, a list must stay [...]: no key to hang lines on
                self.value(value, spec.type, prefix + key.value, None if node.flow_style else key)
        keys = [key.value for key, _ in node.value]
        order = [k for k in record.fields if k in keys] + [k for k in keys if k not in record.fields]
        if keys == order:
            return
        done = self.reorder_flow(node, order) if node.flow_style else self.reorder_block(node, order)
        if done:
            first = next(i for i, (a, b) in enumerate(zip(keys, order)) if a != b)
            here = node.value[first][0].start_mark
            self.change(here.line, here.column, self.last_line(node),
                        f"{path + ': ' if path else ''}put '{order[first]}' before '{keys[first]}' ({ORDER_DOC})")

    def sequence(self, node: yaml.SequenceNode, ftype: ListOf, path: str, key: yaml.Node | None) -> None:
        for i, item in enumerate(node.value):
            self.value(item, ftype.item, f"{path}[{i}]")
        one_per_line = isinstance(ftype.item, (Record, Url))
        colon = self.colon_after(key) if key is not None else None
        if colon is None:
            return  # not the value of a field: left as written
        if node.flow_style and one_per_line:
            self.to_block(node, path, colon)
        elif not node.flow_style and not one_per_line:
            self.to_flow(node, path, colon)

    def colon_after(self, key: yaml.Node) -> int | None:
        """Where the ':' after a key is, if it follows the key on its line."""
        at = key.end_mark.index
        while at < len(self.text) and self.text[at] == " ":
            at += 1
        return at if self.text.startswith(":", at) else None

    # Dates.

    def date(self, node: yaml.ScalarNode, path: str) -> None:
        try:
            canon = str(PartialDate.parse(node.value))
        except ValueError:
            return  # check reports it
        start, end = node.start_mark.index, node.end_mark.index
        written = self.text[start:end]
        if (not node.style and written == canon) or node.start_mark.line != node.end_mark.line:
            return  # canonical, or a date quoted over two lines: left as written
        self.change(node.start_mark.line, node.start_mark.column, node.end_mark.line,
                    f"{path}: write the date as {canon}, not {written}")
        line_end = self.text.find("\n", end)
        rest = self.text[end:line_end]
        if rest.strip().startswith("#") and node.start_mark.line == node.end_mark.line:
            gap = len(rest) - len(rest.lstrip())  # keep the comment in its column
            padding = " " * max(1, gap + len(written) - len(canon))
            self.edits.append(_Edit(start, end + gap, lambda: canon + padding))
        else:
            self.edits.append(_Edit(start, end, lambda: canon))

    # Fields in schema order.

    def reorder_block(self, node: yaml.MappingNode, order: list[str]) -> bool:
        """Move each field's lines (see the module's docstring) into schema order."""
        keys = [key for key, _ in node.value]
        col = keys[0].start_mark.column
        ends = [self.last_line(value, key) for key, value in node.value]
        if not self.one_per_line(keys, ends, col):
            return False  # an unusual layout ('? key', two fields on a line): left as written
        leads, trails = [keys[0].start_mark.line], []
        for i in range(1, len(keys)):
            lead = self.lead_start(ends[i - 1] + 1, keys[i].start_mark.line, col)
            leads.append(lead)
            trails.append(lead - 1)
        trails.append(self.trail_end(ends[-1], col))
        head = self.line_starts[keys[0].start_mark.line]
        prefix = self.text[head:keys[0].start_mark.index]  # indentation, or the '- ' of a list item
        dash = prefix.find("-") if prefix.strip() else -1
        pieces = {}
        for i, key in enumerate(keys):
            lead_span = (self.line_starts[leads[i]], self.line_starts[key.start_mark.line])
            body_span = (key.start_mark.index, self.line_end(trails[i]))
            pieces[key.value] = (lead_span, body_span)

        def make() -> str:
            out = []
            for n, name in enumerate(order):
                (lead_start, lead_end), (body_start, body_end) = pieces[name]
                lead_text = self.text_of(lead_start, lead_end)
                if n == 0 and dash >= 0:  # above the list item's '-' now
                    lead_text = "".join(_indent(line, dash) for line in lead_text.splitlines(keepends=True))
                out += [lead_text, prefix if n == 0 else " " * col, self.text_of(body_start, body_end)]
            return "".join(out)

        self.edits.append(_Edit(head, self.line_end(trails[-1]), make))
        return True

    def one_per_line(self, keys: list[yaml.Node], ends: list[int], col: int) -> bool:
        """Each key starts its own line at column col (the first may follow a list's '- ')."""
        first = keys[0].start_mark
        before = self.text[self.line_starts[first.line]:first.index]
        if before.strip() not in ("", "-"):
            return False
        for key, end_above in zip(keys[1:], ends):
            here = key.start_mark
            if here.line <= end_above or self.text[self.line_starts[here.line]:here.index] != " " * col:
                return False
        return True

    def lead_start(self, after_value: int, key_line: int, col: int) -> int:
        """The first of the comment and blank lines directly above a field that go with it:
        those not indented deeper than the field."""
        start = key_line
        while start > after_value:
            above = self.lines[start - 1]
            if above.strip() and len(above) - len(above.lstrip()) > col:
                break
            start -= 1
        return start

    def trail_end(self, last: int, col: int) -> int:
        """The last of the comment lines right below a mapping's last field that are
        indented deeper than it (they belong to its value)."""
        while last + 1 < len(self.lines):
            below = self.lines[last + 1]
            if not below.lstrip().startswith("#") or len(below) - len(below.lstrip()) <= col:
                break
            last += 1
        return last

    def reorder_flow(self, node: yaml.MappingNode, order: list[str]) -> bool:
        if node.start_mark.line != node.end_mark.line:
            return False  # over several lines, perhaps with comments: left as written
        pairs = {key.value: (key.start_mark.index, max(key.end_mark.index, value.end_mark.index))
                 for key, value in node.value}
        self.edits.append(_Edit(node.start_mark.index, node.end_mark.index,
                                lambda: "{" + ", ".join(self.text_of(*pairs[k]) for k in order) + "}"))
        return True

    # List style.

    def to_block(self, node: yaml.SequenceNode, path: str, colon: int) -> None:
        """`key: [a, b]` becomes one `- item` per line, under the key."""
        start, end = node.start_mark.index, node.end_mark.index
        if not node.value or node.start_mark.line != node.end_mark.line or self.text[colon + 1:start].strip():
            return  # empty, over several lines, or not on its field's line: left as written
        if any(not isinstance(i, yaml.ScalarNode) and self.text[i.start_mark.index] not in "[{" for i in node.value):
            return  # an item such as `"a": b`, a mapping only inside [...]: left as written
        key_line = self.lines[node.start_mark.line]
        indent = " " * (_key_column(key_line) + 2)
        line_end = self.line_end(node.end_mark.line) - 1
        comment = self.text[end:line_end]
        self.change(node.start_mark.line, node.start_mark.column, node.end_mark.line,
                    f"{path}: write one item per line, each starting with '- '")
        items = [(item.start_mark.index, item.end_mark.index) for item in node.value]

        def make() -> str:
            head = f"  {comment.strip()}" if comment.strip() else ""
            return head + "".join(f"\n{indent}- {self.text_of(*item)}" for item in items)

        self.edits.append(_Edit(colon + 1, line_end, make))

    def to_flow(self, node: yaml.SequenceNode, path: str, colon: int) -> None:
        """`- a` lines of names or slugs become `key: [a, b]`, unless comments sit among them."""
        items = node.value
        if not all(isinstance(i, yaml.ScalarNode) and i.start_mark.line == i.end_mark.line
                   and i.end_mark.index > i.start_mark.index for i in items):
            return  # an item over several lines, or an empty one (check reports it): left as written
        end = items[-1].end_mark.index
        between, pos = [], colon + 1  # the text around the items: dashes, spaces, line breaks, comments
        for item in items:
            between.append(self.text[pos:item.start_mark.index])
            pos = item.end_mark.index
        if "#" in "".join(between):
            return
        texts = [_flow_item(self.text[i.start_mark.index:i.end_mark.index], i) for i in items]
        flow = "[" + ", ".join(texts) + "]"
        shown = flow if len(flow) <= 60 else flow[:56] + " ...]"
        line = bisect.bisect_right(self.line_starts, colon) - 1  # the field's line, where the list goes
        self.change(line, colon + 1 - self.line_starts[line], items[-1].end_mark.line,
                    f"{path}: write the list on one line: {shown}")
        self.edits.append(_Edit(colon + 1, end, lambda: " " + flow))

    # Positions.

    def last_line(self, node: yaml.Node, key: yaml.Node | None = None) -> int:
        """The last line that holds part of a value (0-based)."""
        if isinstance(node, yaml.ScalarNode):
            last = node.end_mark.line
            if node.style in ("|", ">"):  # a block text's end mark is past its trailing blank lines
                last -= 1 if node.end_mark.column == 0 else 0
                while last > node.start_mark.line and not self.lines[last].strip():
                    last -= 1
            return max(last, key.end_mark.line if key is not None else 0)
        if getattr(node, "flow_style", False) or not node.value:
            return node.end_mark.line
        if isinstance(node, yaml.MappingNode):
            return max(self.last_line(v, k) for k, v in node.value)
        return max(self.last_line(item) for item in node.value)

    def line_end(self, line: int) -> int:
        """The offset just past line's line break."""
        return self.line_starts[line] + len(self.lines[line]) + 1


def _key_column(line: str) -> int:
    """Where the key of a `key: value` line starts, after any list dash."""
    stripped = line.lstrip(" ")
    col = len(line) - len(stripped)
    if stripped.startswith("- "):
        rest = stripped[1:].lstrip(" ")
        col += len(stripped) - len(rest)
    return col


def _indent(line: str, col: int) -> str:
    return line if not line.strip() else " " * col + line.lstrip(" ")


# A plain text that reads the same inside [...] as on its own line: no flow indicator, no
# character that starts something else, no ': ' or ' #'. Anything else is quoted.
_FLOW_PLAIN_RE = re.compile(r"^[^\s,\[\]{}#&*!|>'\"%@`:?-](?:[^,\[\]{}:#]|:(?=[^\s,\[\]{}])|(?<=\S)#)*$")


def _flow_item(written: str, node: yaml.ScalarNode) -> str:
    """A list item as written, quoted if a plain one might be misread inside [...]."""
    if not node.style and not _FLOW_PLAIN_RE.match(written):
        return "'" + node.value.replace("'", "''") + "'"
    return written


def _same_meaning(before: Any, after_text: str, record: Record, src_path: str) -> None:
    """Refuse a result that does not read back as the file did (dates compared in canonical form)."""
    try:
        after = load_bytes(after_text.encode("utf-8"), src_path)
    except ContentError as err:
        raise FormatBug(f"{src_path}: its canonical form would not be readable ({err.problems[0].message})") from None
    if _plain(before, record) != _plain(after, record):
        raise FormatBug(f"{src_path}: its canonical form would not say the same")


def _plain(value: Any, ftype: FieldType | None) -> Any:
    if isinstance(value, YMap):
        fields = ftype.fields if isinstance(ftype, Record) else {}
        return {k: _plain(v, fields[k].type if k in fields else None) for k, v in value.items()}
    if isinstance(value, YList):
        item = ftype.item if isinstance(ftype, ListOf) else None
        return [_plain(v, item) for v in value]
    if isinstance(ftype, Date) and isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            return ("date", str(PartialDate.parse(str(value))))
        except ValueError:
            return value
    if isinstance(value, dt.date):  # pragma: no cover - the loader keeps dates as text
        return value.isoformat()
    return json.dumps(value) if isinstance(value, float) else value
