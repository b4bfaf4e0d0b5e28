"""Field types: each checks and converts one raw YAML value, and describes itself.

The same definitions drive validation, the typed model and the JSON Schemas, so
they can never disagree.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from atlas.model.dates import DATE_FORMS, FIRST_YEAR, LAST_YEAR, PartialDate
from atlas.errors import Problem, SourceLoc, did_you_mean
from atlas.content.hints import glued_key_hint, glued_text_hint
from atlas.content.load import YList, YMap
from atlas.model.records import Money, Tenure

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXAMPLE_SOURCE = "https://example.com/article-that-says-so"  # what `build.py new` writes for a source to fill in
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s]*$|^https?://[^\s/?#]+$")
INVALID = object()


class Context:
    """Where the value being checked is, and where problems go."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.locs: dict[str, SourceLoc] = {}

    def error(self, loc: SourceLoc, path: str, message: str) -> Any:
        self.problems.append(Problem(loc, f"{path}: {message}" if path else message))
        return INVALID


def _type_name(value: Any) -> str:
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YList):
        return "a list"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a boolean)"
    if isinstance(value, (int, float)):
        return f"'{value}' (a number)"
    return f"'{value}'"


def spacing_hint(value: Any) -> str:
    """' (a space is missing after ...)' when value is what YAML makes of 'key:value' or
    '-item' written without their space, else ''."""
    if isinstance(value, YMap):
        return _in_parentheses(next((hint for hint in map(glued_key_hint, value) if hint), ""))
    return glued_text_hint(value) if isinstance(value, str) else ""


def _in_parentheses(hint: str) -> str:
    return f" ({hint})" if hint else ""


class FieldType:
    """A kind of value; subclasses convert and describe."""

    label = "value"
    refers = False  # holds slugs of other entities: their locations are kept for check_references

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError


class Text(FieldType):
    """A line of text (numbers are accepted and kept as written)."""

    label = "text"

    def __init__(self, markdown: bool = False):
        self.markdown = markdown
        self.label = "Markdown text" if markdown else "text"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if isinstance(value, bool) or isinstance(value, (YMap, YList)) or value is None:
            return ctx.error(loc, path, f"expected {self.label}, got {_type_name(value)}")
        text = str(value)
        if not text.strip():
            return ctx.error(loc, path, "is empty; remove the field or give it a value")
        return text.strip() if not self.markdown else text

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "number"], "minLength": 1, "pattern": r"\S"}


class Bool(FieldType):
    label = "true or false"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if not isinstance(value, bool):
            return ctx.error(loc, path, f"expected true or false, got {_type_name(value)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Number(FieldType):
    def __init__(self, integer: bool = False, minimum: float = 0, maximum: float = 1000):
        self.integer = integer
        self.minimum = minimum
        self.maximum = maximum  # no field needs more, and dates computed from a larger one would overflow
        self.label = "a whole number" if integer else "a number"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        ok = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            return ctx.error(loc, path, f"expected {self.label}, got {_type_name(value)}")
        if value != value or value in (float("inf"), float("-inf")):
            return ctx.error(loc, path, f"expected {self.label}, got '{value}'")
        if value < self.minimum:
            return ctx.error(loc, path, f"must be at least {self.minimum:g}, got {value}")
        if value > self.maximum:
            return ctx.error(loc, path, f"must be at most {self.maximum:g}, got {value:g}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "integer" if self.integer else "number", "minimum": self.minimum, "maximum": self.maximum}


class Date(FieldType):
    label = "a date"

    def __init__(self, plain: bool = False):
        self.plain = plain  # a full day with no qualifier, e.g. as_of

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return ctx.error(loc, path, f"expected a date ({DATE_FORMS}), got {_type_name(value)}")
        try:
            date = PartialDate.parse(str(value))
        except ValueError as err:
            return ctx.error(loc, path, str(err))
        if self.plain and (date.precision != "day" or str(date) != date.iso()):
            return ctx.error(loc, path, f"'{value}' must be a full date, YYYY-MM-DD")
        return date

    def schema(self) -> dict[str, Any]:
        month, day = "(0[1-9]|1[0-2])", "(0[1-9]|[12][0-9]|3[01])"
        if self.plain:
            return {"type": "string", "pattern": f"^[0-9]{{4}}-{month}-{day}$"}
        one = f"[0-9]{{4}}(-{month}(-{day})?)?"
        return {"type": ["string", "integer"], "minimum": FIRST_YEAR, "maximum": LAST_YEAR,
                "pattern": f"^((~|by +)?{one}|between +{one} +and +{one})$"}


class AsOf(Date):
    """The site's as-of date: a full day, or 'today' (the day of the build), as (day, is today)."""

    label = "a date (YYYY-MM-DD) or 'today'"

    def __init__(self) -> None:
        super().__init__(plain=True)

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if value == "today":
            return dt.date.today(), True
        date = super().convert(value, loc, path, ctx)
        return date if date is INVALID else (date.span()[0], False)

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [super().schema(), {"const": "today"}]}


class Url(FieldType):
    label = "an http(s) URL"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if not isinstance(value, str) or not URL_RE.match(value.strip()):
            return ctx.error(loc, path, f"expected an http(s) URL such as 'https://example.com/page', got {_type_name(value)}")
        if value.strip() == EXAMPLE_SOURCE:
            return ctx.error(loc, path, "is the example URL that 'build.py new' writes; give the address of the source "
                                        "that supports the fact")
        return value.strip()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": URL_RE.pattern}


_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.ASCII)


class Domain(FieldType):
    label = "a domain name such as 'atlas.example.org'"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if not isinstance(value, str) or not _DOMAIN_RE.match(value.strip().lower()):
            return ctx.error(loc, path, f"expected {self.label} (no https://, no path), got {_type_name(value)}")
        return value.strip().lower()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": _DOMAIN_RE.pattern}


class Slug(FieldType):
    """A reference to another entity; existence is checked once everything is loaded."""

    refers = True

    def __init__(self, kind: str):
        self.kind = kind
        self.label = f"a {kind} slug"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if not isinstance(value, str) or not SLUG_RE.match(value):
            return ctx.error(loc, path, f"expected {self.label} (lower-case words joined by hyphens, like 'mistral-ai'), got {_type_name(value)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": SLUG_RE.pattern}


class Key(FieldType):
    """A name that is unique inside one file (an event's id), written like a slug."""

    label = "a short name such as 'afp-deal' (lower-case words joined by hyphens)"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if not isinstance(value, str) or not SLUG_RE.match(value):
            return ctx.error(loc, path, f"expected {self.label}, got {_type_name(value)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": SLUG_RE.pattern}


class Choice(FieldType):
    def __init__(self, enum_type: type[enum.Enum]):
        self.enum_type = enum_type
        self.values = [m.value for m in enum_type]
        self.label = "one of " + ", ".join(self.values)

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if isinstance(value, str) and value in self.values:
            return self.enum_type(value)
        hint = did_you_mean(str(value), self.values) if isinstance(value, str) else ""
        return ctx.error(loc, path, f"{_type_name(value)} is not allowed; use {self.label}{hint}")

    def schema(self) -> dict[str, Any]:
        return {"enum": self.values}


_MONEY_RE = re.compile(r"^(?P<cur>[A-Z]{3})\s+(?P<num>\d+(?:\.\d+)?)\s*(?P<suf>[KMB]?)$", re.ASCII)
_SUFFIX = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9}


class MoneyType(FieldType):
    label = "an amount such as 'EUR 105M'"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        match = _MONEY_RE.match(value.strip()) if isinstance(value, str) else None
        if not match:
            return ctx.error(loc, path, f"expected a currency code and an amount such as 'EUR 105M' or 'USD 1.2B', got {_type_name(value)}")
        try:
            amount = Decimal(match["num"]) * _SUFFIX[match["suf"]]
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return ctx.error(loc, path, f"'{value}' is not a number")
        return Money(amount, match["cur"])

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": _MONEY_RE.pattern}


_TENURE_RE = re.compile(r"^(?:(?P<word>about|around|over|more than|nearly|almost|under|less than)\s+)?(?P<n>\d+(?:\.\d+)?)(?P<plus>\+)?\s+years?$", re.ASCII)
MAX_TENURE_YEARS = 80
_BOUNDS = {"about": "about", "around": "about", "over": "over", "more than": "over",
           "nearly": "under", "almost": "under", "under": "under", "less than": "under"}


class TenureType(FieldType):
    label = "a reported tenure such as 'about 7 years'"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        match = _TENURE_RE.match(value.strip()) if isinstance(value, str) else None
        if not match or (match["plus"] and match["word"]):
            return ctx.error(loc, path, f"expected a tenure such as 'about 7 years', 'over 8 years', '6+ years' or 'nearly 3 years', got {_type_name(value)}")
        if float(match["n"]) > MAX_TENURE_YEARS:
            return ctx.error(loc, path, f"'{value.strip()}' is longer than a career; give at most {MAX_TENURE_YEARS} years")
        bound = "over" if match["plus"] else _BOUNDS.get(match["word"] or "about", "about")
        if not match["word"] and not match["plus"]:
            bound = "about"
        return Tenure(float(match["n"]), bound, value.strip())

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": _TENURE_RE.pattern}


class ListOf(FieldType):
    def __init__(self, item: FieldType, scalar_ok: bool = False, min_items: int = 0):
        self.item = item
        self.scalar_ok = scalar_ok  # a single value may stand for a list of one
        self.min_items = min_items
        self.refers = item.refers
        self.label = f"a list of {_plural(item.label)}"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context) -> Any:
        if self.scalar_ok and not isinstance(value, (YList, YMap)) and value is not None:
            return _tuple_or_invalid([self.item.convert(value, loc, path, ctx)])
        if not isinstance(value, YList):
            return ctx.error(loc, path, f"expected {self.label}, got {_type_name(value)}{spacing_hint(value)}")
        if len(value) < self.min_items:
            return ctx.error(loc, path, f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
        items = []
        for i, (item, item_loc) in enumerate(zip(value, value.item_locs)):
            item_path = f"{path}[{i}]"
            if self.refers:
                ctx.locs[item_path] = item_loc
            items.append(self.item.convert(item, item_loc, item_path, ctx))
        return _tuple_or_invalid(items)

    def schema(self) -> dict[str, Any]:
        listed = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            listed["minItems"] = self.min_items
        if self.scalar_ok:
            return {"anyOf": [self.item.schema(), listed]}
        return listed


def _plural(label: str) -> str:
    """'a stint mapping' -> 'stint mappings', 'a company slug' -> 'company slugs'."""
    words = re.sub(r"^an? ", "", label)
    if label.startswith(("a ", "an ")) and " such as " not in words and " or " not in words:
        return words + "s"
    return {"text": "texts", "Markdown text": "Markdown texts"}.get(label, label)


def _tuple_or_invalid(items: list[Any]) -> Any:
    return INVALID if any(i is INVALID for i in items) else tuple(items)


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    doc: str = ""
    attr: str = ""  # the record's attribute, when it is not named as the field

    def __post_init__(self) -> None:
        if not self.attr:
            object.__setattr__(self, "attr", self.name)


class Record(FieldType):
    """A mapping with known fields, turned into a model object by `make`."""

    def __init__(self, name: str, fields: list[Field], make: Callable[..., Any],
                 rule: Callable[[dict[str, Any], YMap, str, Context], None] | None = None,
                 rule_schema: dict[str, Any] | None = None):
        self.name = name
        self.fields = {f.name: f for f in fields}
        self.make = make
        self.rule = rule
        self.rule_schema = rule_schema or {}  # the rule, as far as JSON Schema can say it
        self.label = f"a {name} mapping"

    def convert(self, value: Any, loc: SourceLoc, path: str, ctx: Context, **extra: Any) -> Any:
        if not isinstance(value, YMap):
            return ctx.error(loc, path, f"expected {self.label} with fields like '{next(iter(self.fields))}: ...', "
                             f"got {_type_name(value)}{spacing_hint(value)}")
        prefix = f"{path}." if path else ""
        outer_locs, ctx.locs = ctx.locs, {}
        values: dict[str, Any] = {}
        ok = True
        for key in value:
            if key not in self.fields:
                hint = _in_parentheses(glued_key_hint(key)) or did_you_mean(key, self.fields) or f" (allowed: {', '.join(self.fields)})"
                ctx.error(value.key_locs[key], f"{prefix}{key}", f"unknown field{hint}")
                ok = False
        for name, spec in self.fields.items():
            if name not in value:
                if spec.required:
                    ctx.error(loc, path or self.name, f"missing required field '{name}' ({spec.type.label})")
                    ok = False
                continue
            if spec.type.refers:
                ctx.locs[name] = value.value_locs[name]
            raw = value[name]
            if raw is None:
                converted = ctx.error(value.value_locs[name], f"{prefix}{name}", f"is empty; give it {spec.type.label} or remove the line")
            else:
                converted = spec.type.convert(raw, value.value_locs[name], f"{prefix}{name}", ctx)
            if converted is INVALID:
                ok = False
            else:
                values[spec.attr] = converted
        if ok and self.rule:
            before = len(ctx.problems)
            self.rule(values, value, prefix, ctx)
            ok = len(ctx.problems) == before
        record_locs, ctx.locs = ctx.locs, outer_locs
        if not ok:
            return INVALID
        return self.make(**values, **extra, locs=record_locs)

    def schema(self) -> dict[str, Any]:
        props = {}
        for f in self.fields.values():
            prop = dict(f.type.schema())
            prop["description"] = f.doc or f.type.label
            props[f.name] = prop
        result: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
        required = [f.name for f in self.fields.values() if f.required]
        if required:
            result["required"] = required
        result.update(self.rule_schema)
        return result
