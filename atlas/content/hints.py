"""Plain words for the usual YAML mistakes, found from where the parser stopped.

The YAML parser says what it expected ("mapping values are not allowed in this context"),
which helps nobody who has not read the YAML specification, and it often stops a line or
two after the mistake. These hints look at the lines around that place for the mistakes
contributors make: a missing space after ':' or '-', a quote left open or closed too
early, a ': ' inside a text, and lines that are not lined up. Each names the line and the
column to change, and says what to write there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from atlas.errors import SourceLoc

# The start of a line of block YAML: indentation, an optional list dash, an optional key.
_LINE_RE = re.compile(r"^(?P<indent> *)(?P<dash>-(?: +|$))?(?:(?P<key>[A-Za-z_][\w-]*):(?P<gap>[ \t]|$))?")
_NO_SPACE_COLON_RE = re.compile(r"^ *(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/:#][^\n]*)$")
_NO_SPACE_DASH_RE = re.compile(r"^(?P<indent> *)-(?P<item>[^\s-][^\n]*)$")
_GLUED_COLON_RE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/:]\S*)")
_GLUED_DASH_RE = re.compile(r"^-(?P<item>[^\s\d-]\S*)")
_INDENTATION = ("mapping values are not allowed", "did not find expected key", "did not find expected '-' indicator",
                "expected <block end>")


@dataclass(frozen=True)
class Line:
    """One line of the file as the hints see it (columns are 0-based)."""

    number: int  # 1-based
    text: str
    indent: int
    dash: int | None  # where its list item's '-' is
    key: str | None
    key_col: int | None

    @property
    def content(self) -> bool:
        """Holds YAML rather than a comment or nothing."""
        return bool(self.text.strip()) and not self.text.lstrip().startswith("#")

    @property
    def start(self) -> int:
        """Where its first token is: the dash, else the key, else the text."""
        return self.dash if self.dash is not None else self.indent


def _line(number: int, text: str) -> Line:
    match = _LINE_RE.match(text)
    assert match is not None  # the pattern matches the empty prefix of any line
    indent = len(match["indent"])
    dash = indent if match["dash"] else None
    key_col = match.start("key") if match["key"] else None
    return Line(number, text, indent, dash, match["key"], key_col)


@dataclass(frozen=True)
class Stop:
    """Where and why the parser stopped."""

    problem: str
    context: str
    line: int  # 0-based, as the parser counts
    col: int
    opened: tuple[int, int] | None  # where the construct it was reading began (0-based)


def syntax_hint(err: Any, text: str, src_path: str) -> tuple[SourceLoc, str] | None:
    """A located message in plain words for the parser error err, or None if none fits."""
    mark, opened = err.problem_mark, err.context_mark
    if mark is None:
        return None
    stop = Stop(err.problem or "", err.context or "", mark.line, mark.column,
                (opened.line, opened.column) if opened is not None else None)
    lines = [_line(i + 1, t) for i, t in enumerate(text.split("\n"))]
    for rule in _RULES:
        found = rule(stop, lines)
        if found is not None:
            (line, col), message = found
            return SourceLoc(src_path, line, col + 1), f"YAML syntax error: {message}"
    return None


Found = Optional[tuple[tuple[int, int], str]]  # ((1-based line, 0-based column), message)


def _unclosed_quote(stop: Stop, lines: list[Line]) -> Found:
    if "end of stream" not in stop.problem or "quoted scalar" not in stop.context or stop.opened is None:
        return None
    line, col = stop.opened
    quote = lines[line].text[col]
    return (line + 1, col), f"the quote {quote} that starts here is never closed; end the text with {quote} (or remove this one)"


def _unclosed_bracket(stop: Stop, lines: list[Line]) -> Found:
    if not stop.problem.startswith("did not find expected ','") or "flow" not in stop.context or stop.opened is None:
        return None
    line, col = stop.opened
    opening = lines[line].text[col]
    closing, what = ("]", "list") if opening == "[" else ("}", "mapping")
    return (line + 1, col), (f"the {what} that starts with {opening} here is not closed; end it with {closing}, "
                             f"and put ', ' between its items")


def _quote_ends_early(stop: Stop, lines: list[Line]) -> Found:
    if stop.line >= len(lines) or stop.col == 0:
        return None
    here = lines[stop.line]
    value = _value_start(here)
    if value is None or value >= len(here.text) or here.text[value] not in "'\"":
        return None
    quote = here.text[value]
    closed = here.text.rfind(quote, value + 1, stop.col)
    if closed < 0 or here.text[closed + 1:stop.col].strip():
        return None
    written = here.text[value:].rstrip()
    inner = written[1:-1] if len(written) > 1 and written.endswith(quote) else None
    if quote == "'":
        how = "a ' inside the text must be written twice ('')"
        fixed = "'" + inner.replace("''", "'").replace("'", "''") + "'" if inner is not None else None
    else:
        how = 'a " inside the text must be written \\" (or put the whole text in \' quotes)'
        fixed = '"' + re.sub(r'(?<!\\)"', r'\\"', inner) + '"' if inner is not None else None
    return (here.number, closed), (f"the text in quotes ends at this {quote}, but the line goes on; {how}"
                                   + (f": {fixed}" if fixed else ""))


def _value_start(line: Line) -> int | None:
    """Where the value after 'key:' (or after '- ') begins on the line."""
    if line.key_col is not None and line.key is not None:
        after = line.key_col + len(line.key) + 1
    elif line.dash is not None:
        after = line.dash + 1
    else:
        return None
    rest = line.text[after:]
    return after + len(rest) - len(rest.lstrip(" \t"))


def _colon_in_value(stop: Stop, lines: list[Line]) -> Found:
    if "mapping values are not allowed" not in stop.problem or stop.line >= len(lines):
        return None
    here = lines[stop.line]
    value = _value_start(here)
    if here.key is None or value is None or stop.col <= value:
        return None
    written = here.text[value:].split(" #", 1)[0].rstrip()
    quoted = '"' + written.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (here.number, stop.col), (f"the text after '{here.key}:' contains ': ', which YAML reads as the start of "
                                     f"another field; put the text in quotes: {here.key}: {quoted}")


def _near(stop: Stop, lines: list[Line]) -> list[Line]:
    """The lines the parser was reading when it stopped, nearest first."""
    first = stop.opened[0] if stop.opened is not None and stop.opened[0] >= stop.line - 2 else stop.line - 2
    return [lines[i] for i in range(min(stop.line, len(lines) - 1), max(first, 0) - 1, -1)]


def _missing_space_after_colon(stop: Stop, lines: list[Line]) -> Found:
    for line in _near(stop, lines):
        match = _NO_SPACE_COLON_RE.match(line.text)
        if match and line.content:
            col = match.end("key") + 1
            return (line.number, col), (f"a space is missing after '{match['key']}:'; "
                                        f"write '{match['key']}: {match['value'].strip()}'")
    return None


def _missing_space_after_dash(stop: Stop, lines: list[Line]) -> Found:
    for line in _near(stop, lines):
        match = _NO_SPACE_DASH_RE.match(line.text)
        if match and line.content:
            col = len(match["indent"]) + 1
            return (line.number, col), f"a space is missing after '-'; write '- {match['item'].strip()}'"
    return None


def _previous(lines: list[Line], before: int) -> Line | None:
    """The nearest line above line index `before` that holds YAML."""
    for line in reversed(lines[:before]):
        if line.content:
            return line
    return None


def _indented_into_value(stop: Stop, lines: list[Line]) -> Found:
    """A field indented under one that has its value on its own line: it reads as more of that value."""
    if "mapping values are not allowed" not in stop.problem or stop.line >= len(lines):
        return None
    here = lines[stop.line]
    above = _previous(lines, stop.line)
    if here.key is None or here.key_col is None or above is None or above.key is None or above.key_col is None:
        return None
    if here.key_col <= above.key_col:
        return None
    return (here.number, here.key_col), (f"'{here.key}' is indented more than '{above.key}' on line {above.number}, "
                                         f"so YAML reads it as part of the value of '{above.key}'; start it in the "
                                         f"same column as '{above.key}' (column {above.key_col + 1})")


def _not_lined_up(stop: Stop, lines: list[Line]) -> Found:
    """A field or a list item that starts in a column no other one of its list or mapping uses."""
    if not any(p in stop.problem for p in _INDENTATION) or stop.line >= len(lines):
        return None
    here = lines[stop.line]
    if not here.content or here.start != stop.col:
        return None
    if here.dash is not None:
        sibling = _closest(lines, stop.line, lambda line: line.dash)
        if sibling is not None and sibling.dash is not None:
            return (here.number, here.dash), (f"this '-' is not lined up with the '-' on line {sibling.number}: the "
                                              f"items of one list must start in the same column (here column "
                                              f"{sibling.dash + 1})")
        return None
    sibling = _closest(lines, stop.line, lambda line: line.key_col)
    if here.key is None or sibling is None or sibling.key_col is None:
        return None
    return (here.number, here.indent), (f"'{here.key}' is not lined up with '{sibling.key}' on line {sibling.number}: "
                                        f"fields at the same level must start in the same column (here column "
                                        f"{sibling.key_col + 1})")


def _closest(lines: list[Line], before: int, column: Callable[[Line], int | None]) -> Line | None:
    """Of the lines above `before` back to the start of the enclosing list or mapping, the
    one whose `column` (of its dash or key) is nearest to where line `before` starts, and
    differs from it; the nearest such line on a tie."""
    here = lines[before]
    best: tuple[int, int, Line] | None = None
    for distance, line in enumerate(reversed(lines[:before])):
        if not line.content:
            continue
        col = column(line)
        if col is not None and col != here.start and (best is None or abs(col - here.start) < best[0]):
            best = (abs(col - here.start), distance, line)
        if line.start < here.start:
            break
    return best[2] if best else None


def _stray_line(stop: Stop, lines: list[Line]) -> Found:
    """A line of text that is neither a field, nor a list item, nor indented under the text it continues."""
    stray = _stray_candidate(stop, lines)
    if stray is None:
        return None
    where = (stray.number, stray.indent)
    above = lines[stray.number - 2] if stray.number >= 2 else None
    if above is not None and above.text.lstrip().startswith("#"):
        return where, (f"this line seems to continue the comment on line {above.number}: start it with '#' too "
                       f"(or join the two lines)")
    prev = _previous(lines, stray.number - 1)
    if prev is not None and prev.key is None and prev.dash is None and prev.indent > stray.indent:
        return where, (f"this line is indented less than the text on line {prev.number}, so YAML does not read it as "
                       f"more of that text; indent it like line {prev.number} (column {prev.indent + 1})")
    if prev is not None and prev.key is not None:
        return where, (f"this line is not a field ('name: value') and is not indented under '{prev.key}' on line "
                       f"{prev.number}; if it continues the text of '{prev.key}', indent it further than "
                       f"'{prev.key}' (or join the two lines)")
    return where, "this line is neither a field ('name: value') nor a list item ('- value'); fix or remove it"


def _stray_candidate(stop: Stop, lines: list[Line]) -> Line | None:
    """The line of plain text where a field or a list item was expected, if the parser stopped at one."""
    def plain(line: Line | None) -> bool:
        return line is not None and line.content and line.key is None and line.dash is None

    if "could not find expected ':'" in stop.problem and stop.opened is not None:
        found = lines[stop.opened[0]] if stop.opened[0] < len(lines) else None
        return found if plain(found) else None
    if "expected <document start>" in stop.problem:
        return next((line for line in reversed(lines[:stop.line + 1]) if plain(line)), None)
    if not any(p in stop.problem for p in _INDENTATION) or stop.line >= len(lines):
        return None
    here = lines[stop.line]
    if plain(here) and here.start == stop.col:
        return here
    prev = _previous(lines, stop.line)
    return prev if here.key is not None and plain(prev) else None


_RULES: tuple[Callable[[Stop, list[Line]], Found], ...] = (
    _unclosed_quote, _unclosed_bracket, _quote_ends_early, _missing_space_after_dash, _missing_space_after_colon,
    _colon_in_value, _indented_into_value, _not_lined_up, _stray_line)


def glued_text_hint(text: str) -> str:
    """For a text YAML read from 'key:value' or '-item' (a space left out, so not a field
    or a list item): ' (a space is missing after ...)', else ''."""
    dash, colon = _GLUED_DASH_RE.match(text), _GLUED_COLON_RE.match(text)
    if dash:
        return f" (a space is missing after '-': start each item with '- ', as in '- {dash['item']}')"
    if colon:
        return f" (a space is missing after ':': write '{colon['key']}: {colon['value']}')"
    return ""


def glued_key_hint(key: Any) -> str:
    """For a key read from '-key: value' (a list item without the space after its '-'):
    "a space is missing after '-': ...", else ''."""
    dash = _GLUED_DASH_RE.match(key) if isinstance(key, str) else None
    return f"a space is missing after '-': write '- {dash['item']}: ...'" if dash else ""
