"""The one enumeration of references between entities, read off the schema.

A reference is a field whose type is `Slug(kind)`: alone, in a list, or inside records
and lists of records (a stint's company, a funding round's lead investors). Validation
checks each one against the files that exist; the graph indexes them the other way
round (who refers to this company through a stint?).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, NamedTuple

from atlas.content.fields import SLUG_RE, ListOf, Record, Slug
from atlas.content.load import YList, YMap
from atlas.errors import SourceLoc


class Step(NamedTuple):
    field: str  # as the file writes it: "company"
    attr: str  # as the record holds it: "companies"
    many: bool  # a list


@dataclass(frozen=True)
class Via:
    """One field through which entities of one kind refer to entities of another."""

    source: str  # the referring kind: "person"
    steps: tuple[Step, ...]  # from the entity down to the slug
    target: str  # the kind referred to: "company"

    @property
    def name(self) -> str:
        """The field as the documentation writes it: 'career[].company'."""
        return ".".join(f"{s.field}[]" if s.many else s.field for s in self.steps)


@dataclass(frozen=True)
class Reference:
    """One slug written in one entity's file."""

    via: Via
    slug: str
    path: str  # as messages write it: 'career[2].company'
    loc: SourceLoc
    holder: Any  # the record that holds the slug: the entity itself, or its stint, round, event...
    at: tuple[int, ...] = ()  # where the holder is in the entity: the list indexes on the way (career[2] -> (2,))


def vias(kind: str, schema: Record) -> tuple[Via, ...]:
    """Every field of a kind's files that refers to another entity, in field order."""
    return tuple(Via(kind, steps, target) for steps, target in _walk(schema, ()))


def kind_vias(kinds: Iterable[Any]) -> dict[str, tuple[Via, ...]]:
    """Each kind's fields that refer to other entities, read off its schema (kinds.Kind)."""
    return {kind.name: vias(kind.name, kind.schema) for kind in kinds}


def _walk(record: Record, prefix: tuple[Step, ...]) -> Iterator[tuple[tuple[Step, ...], str]]:
    for field in record.fields.values():
        kind, many = field.type, False
        if isinstance(kind, ListOf):
            kind, many = kind.item, True
        steps = prefix + (Step(field.name, field.attr or field.name, many),)
        if isinstance(kind, Slug):
            yield steps, kind.kind
        elif isinstance(kind, Record):
            yield from _walk(kind, steps)


def raw_references(raw: Any, kind_vias: tuple[Via, ...], src_path: str, slugs_only: bool = True) -> Iterator[Reference]:
    """The slugs a file names, read from its YAML as written (for a file that failed
    validation, so that one run still reports every unknown reference in it). With
    slugs_only=False, also the texts written where a slug belongs ('FAIR', 'Mistral AI'):
    their type error is reported already, and may get a hint."""
    src = SourceLoc(src_path)
    for via in kind_vias:
        yield from _follow_raw(raw, via, 0, "", src, slugs_only)


def _follow_raw(raw: Any, via: Via, depth: int, prefix: str, src: SourceLoc, slugs_only: bool) -> Iterator[Reference]:
    step = via.steps[depth]
    if not isinstance(raw, YMap) or step.field not in raw:
        return
    value, loc = raw[step.field], raw.value_locs[step.field]
    path = prefix + step.field
    if isinstance(value, YList) and step.many:
        items = [(f"{path}[{i}]", item, item_loc) for i, (item, item_loc) in enumerate(zip(value, value.item_locs))]
    elif step.many and isinstance(value, YMap):
        return  # a mapping where a list belongs: its type error is the problem to report
    else:
        items = [(path, value, loc)]  # a single value where a list may be written as one
    for here, item, item_loc in items:
        if depth < len(via.steps) - 1:
            yield from _follow_raw(item, via, depth + 1, here + ".", src, slugs_only)
        elif isinstance(item, str) and (SLUG_RE.match(item) or not slugs_only):  # anything else is a type error, reported already
            yield Reference(via, item, here, item_loc or src, raw)


def references(entity: Any, kind_vias: tuple[Via, ...]) -> Iterator[Reference]:
    """Every slug an entity's file names, in field order. Each is located at its value in
    the file (list items by their full path, single values by their field's name, as
    fields.Record keeps them), or at the file when no location is known."""
    src = SourceLoc(entity.src_path)
    for via in kind_vias:
        yield from _follow(entity, via, 0, "", src, ())


def _follow(holder: Any, via: Via, depth: int, prefix: str, src: SourceLoc, at: tuple[int, ...]) -> Iterator[Reference]:
    step = via.steps[depth]
    value = getattr(holder, step.attr)
    if value is None:
        return
    path = prefix + step.field
    last = depth == len(via.steps) - 1
    items = enumerate(value) if step.many else ((None, value),)
    for i, item in items:
        here = path if i is None else f"{path}[{i}]"
        if last:
            loc = holder.locs.get(here) or holder.locs.get(step.field) or src
            yield Reference(via, item, here, loc, holder, at)
        else:
            yield from _follow(item, via, depth + 1, here + ".", src, at if i is None else at + (i,))


def holder_at(entity: Any, via: Via, at: tuple[int, ...]) -> Any:
    """The record of `entity` that Reference.at locates along `via`."""
    holder, found = entity, iter(at)
    for step in via.steps[:-1]:
        holder = getattr(holder, step.attr)
        if step.many:
            holder = holder[next(found)]
    return holder
