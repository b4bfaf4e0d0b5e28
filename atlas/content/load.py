"""Read YAML content files, keeping the position of every key and value."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.resolver import BaseResolver

from atlas.content.hints import glued_key_hint, syntax_hint
from atlas.errors import ContentError, Problem, SourceLoc

MAX_FILE_BYTES = 256_000  # the largest real profile is ~12 KB
MAX_NODES = 20_000  # a profile has a few hundred values
MAX_DEPTH = 50  # nesting levels; real files use four
MAX_NUMBER_CHARS = 100  # a number longer than this is a mistake (Python also refuses to read ints past 4,300 digits)

class _Resolver(BaseResolver):
    """YAML 1.2-style scalars: no yes/no booleans, no sexagesimal numbers, no timestamps.

    Dates stay strings, so '2023-05' and 2023-05-27 are read the same way and no
    time zone is ever involved.
    """

    # No path resolvers are registered, so the composer's calls on entering and leaving
    # every node (half a million per 10,000 files) have nothing to do.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """BaseResolver.resolve, without its generic work for the scalars that no implicit
        type can match: those whose first character starts none (most text)."""
        if kind is yaml.ScalarNode and implicit[0] and value[:1] not in _IMPLICIT_FIRST:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_IMPLICIT_FIRST = frozenset(_Resolver.yaml_implicit_resolvers)  # first characters with a resolver ("" included)
assert None not in _IMPLICIT_FIRST  # no resolver for any first character, or the fast path would skip it


try:  # libyaml parses several times faster; the pure-Python parser is the fallback.
    from yaml.cyaml import CParser

    class _Loader(CParser, yaml.constructor.SafeConstructor, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _Resolver.__init__(self)
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                  yaml.composer.Composer, yaml.constructor.SafeConstructor, _Resolver):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            _Resolver.__init__(self)


class YMap(dict):  # type: ignore[type-arg]
    """A mapping read from YAML, with the location of itself, its keys and values."""

    loc: SourceLoc
    key_locs: dict[str, SourceLoc]
    value_locs: dict[str, SourceLoc]


class YList(list):  # type: ignore[type-arg]
    """A sequence read from YAML, with the location of itself and each item."""

    loc: SourceLoc
    item_locs: list[SourceLoc]


_new_loc = tuple.__new__  # SourceLoc(...) goes through a Python-level __new__; this is one C call


def loc_of(path: str, mark: Any) -> SourceLoc:
    return _new_loc(SourceLoc, (path, mark.line + 1, mark.column + 1))


def load_text(text: str, src_path: str) -> Any:
    """Parse one YAML document into YMap/YList/scalars, or raise ContentError."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_shape(text, src_path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        raise ContentError([_syntax_problem(err, text, src_path)]) from None
    except yaml.YAMLError as err:
        raise ContentError([Problem(SourceLoc(src_path, 1, 1), f"not valid YAML: {err}")]) from None
    except RecursionError:
        raise ContentError([Problem(SourceLoc(src_path, 1, 1), f"values are nested too deeply (more than {MAX_DEPTH} levels)")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError([Problem(SourceLoc(src_path, 1, 1), "the file is empty; it must hold a mapping of fields such as 'name: ...'")])
    problems: list[Problem] = []
    try:
        value = _convert(node, loader, src_path, problems, set())
    except RecursionError:  # only reachable if the depth check above is bypassed
        raise ContentError([Problem(SourceLoc(src_path, 1, 1), f"values are nested more than {MAX_DEPTH} levels deep")]) from None
    if problems:
        raise ContentError(problems)
    return value


def compose_text(text: str) -> yaml.Node | None:
    """The YAML node tree of a text load_text accepts, with the position of every node:
    the same parse, for the commands that edit files (fmt)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_INDENT = re.compile(r"^ +", re.MULTILINE)


def _check_shape(text: str, src_path: str) -> None:
    """Refuse deep nesting and huge value counts before composing; the parser is iterative."""
    indents = _INDENT.findall(text)
    bound = 1 + max(map(len, indents), default=0) + sum(text.count(c) for c in ("[", "{", "- ", "? "))
    if bound <= MAX_DEPTH and len(text) < 16_384:
        return  # small, and nesting needs an opener or deeper indentation for each level
    parser = _Loader(text)
    depth = values = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ContentError([Problem(loc_of(src_path, event.start_mark), f"values are nested more than {MAX_DEPTH} levels deep; flatten them")])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                continue
            elif not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                continue
            values += 1
            if values > MAX_NODES:
                raise ContentError([Problem(loc_of(src_path, event.start_mark), f"more than {MAX_NODES:,} values in one file; split it or shorten its lists")])
    except yaml.MarkedYAMLError as err:
        if "nesting depth" in (err.problem or "") and err.problem_mark is not None:  # libyaml's own limit, 0.2.5+
            raise ContentError([Problem(loc_of(src_path, err.problem_mark), f"values are nested more than {MAX_DEPTH} levels deep; flatten them")]) from None
        return  # the real parse reports syntax errors with their position
    except yaml.YAMLError:
        return
    finally:
        parser.dispose()


def load_file(path: Path, src_path: str) -> Any:
    """Read and parse a content file, refusing oversized or non-UTF-8 files."""
    return load_bytes(path.read_bytes(), src_path)


def load_bytes(data: bytes, src_path: str) -> Any:
    """Parse a content file's bytes, refusing oversized or non-UTF-8 files."""
    if len(data) > MAX_FILE_BYTES:
        raise ContentError([Problem(SourceLoc(src_path), f"file is {len(data):,} bytes; content files are limited to {MAX_FILE_BYTES:,}; shorten it")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise ContentError([Problem(SourceLoc(src_path, line, col), "not valid UTF-8; save the file as UTF-8")]) from None
    return load_text(text, src_path)


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, src_path: str) -> Problem:
    """The parser's error, in plain words at the line to change when a hint fits."""
    mark = err.problem_mark or err.context_mark
    loc = loc_of(src_path, mark) if mark else SourceLoc(src_path)
    if err.problem_mark is not None:
        line = text.split("\n")[mark.line] if mark.line < text.count("\n") + 1 else ""
        if "\t" in line[: mark.column + 1]:
            return Problem(loc, "YAML syntax error: tabs are not allowed for indentation; indent with spaces")
    hinted = syntax_hint(err, text, src_path)
    return Problem(*hinted) if hinted else Problem(loc, _yaml_message(err))


def _yaml_message(err: yaml.MarkedYAMLError) -> str:
    mark = err.problem_mark
    problem = err.problem or "invalid YAML"
    context = f" ({err.context})" if err.context else ""
    opened = err.context_mark
    if opened is not None and mark is not None and opened.line != mark.line:
        context += f"; it started at line {opened.line + 1}, column {opened.column + 1}"
    return f"YAML syntax error: {problem}{context}"


_STR = "tag:yaml.org,2002:str"
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}


def _convert(node: yaml.Node, loader: _Loader, path: str, problems: list[Problem], seen: set[int]) -> Any:
    if id(node) in seen:
        problems.append(Problem(loc_of(path, node.start_mark), "YAML anchors and aliases (&name, *name) are not supported; write the value out"))
        return None
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        problems.append(Problem(loc_of(path, node.start_mark), f"YAML tag '{node.tag}' is not allowed; remove it and write a plain value"))
        return None
    if len(seen) > MAX_NODES:
        raise ContentError([Problem(loc_of(path, node.start_mark), f"more than {MAX_NODES:,} values in one file; split it or shorten its lists")])
    if isinstance(node, yaml.MappingNode):
        return _convert_map(node, loader, path, problems, seen)
    if isinstance(node, yaml.SequenceNode):
        items = YList()
        items.loc = loc_of(path, node.start_mark)
        items.item_locs = []
        for child in node.value:
            items.append(_plain_text(child, seen) or _convert(child, loader, path, problems, seen))
            items.item_locs.append(loc_of(path, child.start_mark))
        return items
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value  # what construct_object would return, without its bookkeeping
    if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
        problems.append(Problem(loc_of(path, node.start_mark), f"this number is {len(node.value):,} characters long; numbers "
                                f"are limited to {MAX_NUMBER_CHARS}: shorten it, or write it in quotes if it is text"))
        return None
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as err:
        problems.append(Problem(loc_of(path, node.start_mark), f"cannot read this value: {getattr(err, 'problem', err)}"))
        return None


def _convert_map(node: yaml.MappingNode, loader: _Loader, path: str, problems: list[Problem], seen: set[int]) -> YMap:
    result = YMap()
    result.loc = loc_of(path, node.start_mark)
    result.key_locs = {}
    result.value_locs = {}
    for key_node, value_node in node.value:
        key_loc = loc_of(path, key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(Problem(key_loc, "keys must be plain field names"))
            continue
        key = str(key_node.value)
        if key in result.key_locs:
            first = result.key_locs[key]
            hint = f"; {glued_key_hint(key)}" if glued_key_hint(key) else "; keep one"
            problems.append(Problem(key_loc, f"duplicate key '{key}' (first defined at line {first.line}){hint}"))
            continue
        result.key_locs[key] = key_loc
        result.value_locs[key] = loc_of(path, value_node.start_mark)
        result[key] = _plain_text(value_node, seen) or _convert(value_node, loader, path, problems, seen)
    return result


def _plain_text(node: yaml.Node, seen: set[int]) -> str | None:
    """A non-empty string scalar seen for the first time, as _convert would return it, or
    None: most values are such, and skip _convert's general checks. Past MAX_NODES it
    leaves the count to _convert."""
    if type(node) is yaml.ScalarNode and node.tag == _STR and node.value and id(node) not in seen and len(seen) < MAX_NODES:
        seen.add(id(node))
        return node.value  # type: ignore[no-any-return]
    return None
