"""Content files written in random layouts, with comments whose place can be checked.

A generated file says what the seed data says, in any field order, list style, date
quoting and indentation, with marked comments: `# above P` directly above field P,
`# top P` above the first field of mapping P, `# between P[i]` between items i-1 and i
of list P, `# eol P` after the value of field P on its line, and `# end P` below the
last item of list P, indented deeper than its field. tests/test_contrib_fmt.py checks
that `fmt` keeps each where it belongs.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from atlas.content.fields import Date, FieldType, ListOf, Record, Url
from atlas.content.load import YList, YMap, compose_text

PLAIN_RE = re.compile(r"^[A-Za-z0-9~][\w .~/-]*$")  # texts safe to write without quotes


@dataclass
class Choices:
    """What to draw: a function from a list of options to one of them."""

    pick: Any  # Callable[[list[Any]], Any]
    comments: list[str] = field(default_factory=list)

    def flag(self) -> bool:
        return bool(self.pick([False, True]))


def write(value: YMap, record: Record, choices: Choices) -> str:
    lines = _mapping(value, record, 0, "", choices, inline=None)
    return "\n".join(lines) + "\n"


def _scalar(value: Any, ftype: FieldType | None, choices: Choices) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = str(value)
        return json.dumps(text) if isinstance(ftype, Date) and choices.flag() else text
    text = str(value)
    if isinstance(ftype, Date) and choices.flag():
        return json.dumps(text)
    if PLAIN_RE.match(text) and not text.lower() in ("true", "false", "null", "yes", "no", "on", "off") \
            and not re.match(r"^[-+]?[0-9]", text.lstrip("~")) and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def _flat(value: YMap) -> bool:
    """Holds only scalars and lists of scalars: can be written on one line."""
    return all(not isinstance(v, YMap) and not (isinstance(v, YList) and any(isinstance(i, (YMap, YList)) for i in v))
               for v in value.values())


def _flow_mapping(value: YMap, record: Record | None, choices: Choices) -> str:
    """{key: value, ...} in a random order, lists as [...]."""
    keys = list(value)
    order = [keys.pop(choices.pick(list(range(len(keys))))) for _ in range(len(keys))]
    pairs = []
    for k in order:
        ftype = record.fields[k].type if record and k in record.fields else None
        if isinstance(value[k], YList):
            item = ftype.item if isinstance(ftype, ListOf) else None
            pairs.append(f"{k}: [{', '.join(_scalar(v, item, choices) for v in value[k])}]")
        else:
            pairs.append(f"{k}: {_scalar(value[k], ftype, choices)}")
    return "{" + ", ".join(pairs) + "}"


def _comment(choices: Choices, indent: int, text: str) -> list[str]:
    choices.comments.append(text)
    return [" " * indent + "# " + text]


def _mapping(value: YMap, record: Record | None, indent: int, path: str, choices: Choices,
             inline: str | None) -> list[str]:
    """The lines of a block mapping; `inline` is the '- ' prefix its first line starts with."""
    keys = list(value)
    order = [keys.pop(choices.pick(list(range(len(keys))))) for _ in range(len(keys))]
    lines: list[str] = []
    prefix = f"{path}." if path else ""
    for n, key in enumerate(order):
        spec = record.fields.get(key) if record else None
        ftype = spec.type if spec else None
        here = prefix + key
        if n == 0 and inline is None and choices.flag():
            lines += _comment(choices, indent, f"top {path or '(file)'}")
        if n > 0 and choices.flag():
            lines += _comment(choices, indent, f"above {here}")
        lead = inline if n == 0 and inline is not None else " " * indent
        lines += _field(lead, key, value[key], ftype, indent, here, choices)
    return lines


def _field(lead: str, key: str, value: Any, ftype: FieldType | None, indent: int, path: str,
           choices: Choices) -> list[str]:
    eol = ""
    if choices.flag():
        eol = "  # " + f"eol {path}"
    if isinstance(value, YMap):
        sub = ftype if isinstance(ftype, Record) else None
        if _flat(value) and choices.flag():
            if eol:
                choices.comments.append(eol[4:])
            return [f"{lead}{key}: {_flow_mapping(value, sub, choices)}{eol}"]
        return [f"{lead}{key}:"] + _mapping(value, sub, indent + 2, path, choices, None)
    if isinstance(value, YList):
        return _list(lead, key, value, ftype, indent, path, choices, eol)
    if eol:
        choices.comments.append(eol[4:])
    return [f"{lead}{key}: {_scalar(value, ftype, choices)}{eol}"]


def _list(lead: str, key: str, value: YList, ftype: FieldType | None, indent: int, path: str,
          choices: Choices, eol: str) -> list[str]:
    item_type = ftype.item if isinstance(ftype, ListOf) else None
    records = all(isinstance(v, YMap) for v in value)
    if not records and value and choices.flag():  # flow style
        if eol:
            choices.comments.append(eol[4:])
        return [f"{lead}{key}: [{', '.join(_scalar(v, item_type, choices) for v in value)}]{eol}"]
    if eol:
        choices.comments.append(eol[4:])
    lines = [f"{lead}{key}:{eol}"]
    dash = indent + choices.pick([0, 2]) if records or not isinstance(item_type, Url) else indent + 2
    for i, item in enumerate(value):
        if i > 0 and choices.flag():
            lines += _comment(choices, dash, f"between {path}[{i}]")
        if isinstance(item, YMap) and _flat(item) and choices.flag():
            sub = item_type if isinstance(item_type, Record) else None
            lines.append(" " * dash + "- " + _flow_mapping(item, sub, choices))
        elif isinstance(item, YMap):
            lines += _mapping(item, item_type if isinstance(item_type, Record) else None, dash + 2,
                              f"{path}[{i}]", choices, " " * dash + "- ")
        else:
            lines.append(" " * dash + "- " + _scalar(item, item_type, choices))
    if choices.flag():  # deeper than a list's own field; for a list of mappings, not deeper than their fields
        lines += _comment(choices, dash + 2 + (0 if records else choices.pick([0, 2])), f"end {path}")
    return lines


# Where things are in a file: by field path, the lines of its key and value (0-based).

@dataclass(frozen=True)
class Place:
    key_line: int
    first: int  # the value's first line
    last: int  # the value's last line
    items: tuple[int, ...] = ()  # a list's items' first lines


def places(text: str) -> dict[str, Place]:
    found: dict[str, Place] = {}
    node = compose_text(text)
    lines = text.split("\n")
    _walk(node, "", found, lines)
    return found


def _last(node: yaml.Node, lines: list[str]) -> int:
    if isinstance(node, yaml.ScalarNode):
        last = node.end_mark.line
        if node.style in ("|", ">"):
            last -= 1 if node.end_mark.column == 0 else 0
            while last > node.start_mark.line and not lines[last].strip():
                last -= 1
        return last
    if getattr(node, "flow_style", False) or not node.value:
        return node.end_mark.line
    children = [v for pair in node.value for v in pair] if isinstance(node, yaml.MappingNode) else node.value
    return max(_last(c, lines) for c in children)


def _walk(node: yaml.Node, path: str, found: dict[str, Place], lines: list[str]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = f"{path}.{key.value}" if path else key.value
            items = tuple(i.start_mark.line for i in value.value) if isinstance(value, yaml.SequenceNode) else ()
            found[here] = Place(key.start_mark.line, value.start_mark.line, max(_last(value, lines), key.start_mark.line), items)
            _walk(value, here, found, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", found, lines)


def misplaced(text: str, comments: list[str]) -> list[str]:
    """The marked comments of `write` that are not where they belong in text."""
    where = places(text)
    lines = text.split("\n")

    def content(i: int) -> bool:
        return bool(lines[i].strip()) and not lines[i].lstrip().startswith("#")

    def next_content(i: int) -> int:
        return next((j for j in range(i + 1, len(lines)) if content(j)), len(lines))

    wrong = []
    for comment in comments:
        found = [i for i, line in enumerate(lines) if line.rstrip().endswith("# " + comment)]
        if len(found) != 1:
            wrong.append(f"{comment}: found {len(found)} times")
            continue
        at = found[0]
        kind, path = comment.split(" ", 1)
        if kind == "above":
            ok = next_content(at) == where[path].key_line
        elif kind == "top":
            children = [p.key_line for name, p in where.items()
                        if name.rpartition(".")[0] == ("" if path == "(file)" else path) and "[" not in name[len(path):]]
            ok = next_content(at) == min(children)
        elif kind == "between":
            name, index = path[:-1].rsplit("[", 1)
            items = where[name].items
            ok = items[int(index) - 1] < at < items[int(index)]
        elif kind == "eol":
            ok = at == where[path].key_line
        else:  # end
            ok = where[path].last < at and not any(content(j) for j in range(where[path].last + 1, at))
        if not ok:
            wrong.append(f"{comment}: at line {at + 1}")
    return wrong
