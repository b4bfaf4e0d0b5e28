"""Record what each page (or memoized view) reads of the graph, as it is built.

A recording graph hands out its entities wrapped: reading a field of one (`person.name`)
notes a fact, as does reading who refers to an entity (`graph.stints_at("meta")`), going
through a whole table (`for slug in graph.people`) or using a memoized view. What a page
was made from is then the set of facts noted while its context was built and its
template ran; after an edit, the pages to make again are those that read a fact the edit
changed (speed/changes.py), and no rule says beforehand what a page may read.

A fact is an int: an entity's number (ids.py) shifted left by SLOTS bits, plus the slot:
one per field of its record, one per field through which others refer to it, and one for
the membership of a whole table. A memoized view's fact is its number with MEMO set.
"""
from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Mapping
from typing import Any, Callable, Iterator, Sequence

from atlas.compute.graph import Graph
from atlas.content.references import Via, kind_vias
from atlas.model.kind import Kind
from atlas.model.records import Site
from atlas.speed import values

SLOTS = 6  # bits for the slot of a fact
FIELDS = 32  # slots 0..31: a record's fields; 32..62: the vias referring to it; 63: a table's membership
MEMBERSHIP = (1 << SLOTS) - 1
MEMO = 1 << 62  # set in the facts of memoized views
UNRECORDED = ("slug", "src_path")  # the same for as long as the entity exists: reading them is no fact


class Recorder:
    """Where reads are noted: the innermost of a stack of frames, one per page or view being made."""

    def __init__(self) -> None:
        self.frames: list[set[int]] = [set()]
        self.add: Callable[[int], None] = self.frames[0].add

    @contextlib.contextmanager
    def frame(self) -> Iterator[set[int]]:
        """Note what is read inside the block in a set of its own (yielded)."""
        found: set[int] = set()
        self.frames.append(found)
        self.add = found.add
        try:
            yield found
        finally:
            self.frames.pop()
            self.add = self.frames[-1].add


class _Field:
    """A record's field on a recorded entity: reading it notes the fact, then gives the value."""

    __slots__ = ("name", "slot")

    def __init__(self, name: str, slot: int):
        self.name, self.slot = name, slot

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        obj._recorder.add(obj._base | self.slot)
        return getattr(obj._entity, self.name)


def recorded_class(record: type, kind: str) -> type:
    """A subclass of a record class whose instances stand for one entity of `kind` and
    note each field read. It is still a dataclass and a `record`, for the code that asks."""
    namespace: dict[str, Any] = {"__slots__": ("_entity", "_base", "_recorder"), "_kind": kind}
    for slot, field in enumerate(dataclasses.fields(record)):
        if field.name not in UNRECORDED:
            namespace[field.name] = _Field(field.name, slot)
    namespace.update(__eq__=_same, __hash__=_hash, __repr__=_repr, __reduce__=_by_reference)
    return type(f"Recorded{record.__name__}", (record,), namespace)


def _same(self: Any, other: Any) -> bool:  # one graph holds one entity per kind and slug
    return type(other) is type(self) and other.slug == self.slug


def _hash(self: Any) -> int:
    return hash(self.slug)


def _repr(self: Any) -> str:
    return f"<{type(self._entity).__name__} {self.slug}>"


def _by_reference(self: Any) -> Any:
    """Pickled as its kind and slug: loaded back as that entity of the graph (values.py)."""
    return values.entity, (self._kind, self.slug)


class RecordedTable(Mapping[str, Any]):
    """A kind's entities by slug, each handed out recorded; going through the whole table,
    or asking for its size or whether it holds a slug, notes the table's membership."""

    def __init__(self, graph: RecordingGraph, kind: str, table: Mapping[str, Any]):
        self.graph, self.kind, self.table = graph, kind, table
        self.membership = (graph.ids.table(kind) << SLOTS) | MEMBERSHIP

    def __getitem__(self, slug: str) -> Any:
        return self.graph.recorded(self.kind, slug)

    def __iter__(self) -> Iterator[str]:
        self.graph.recorder.add(self.membership)
        return iter(self.table)

    def __len__(self) -> int:
        self.graph.recorder.add(self.membership)
        return len(self.table)

    def __contains__(self, slug: object) -> bool:
        self.graph.recorder.add(self.membership)
        return slug in self.table


class RecordingGraph(Graph):
    """A Graph whose reads are noted in `recorder`; memoized views are made through `memos`
    (speed/memos.py), which notes their own reads apart and may reuse a previous build's."""

    def __init__(self, site: Site, kinds: Sequence[Kind], ids: Any, recorder: Recorder,
                 referrers: Mapping[tuple[Via, str], tuple[tuple[Any, Any], ...]] | None = None):
        super().__init__(site, kinds, referrers)
        self.ids, self.recorder = ids, recorder
        self.memos: Any = None  # set by the builder: speed/memos.Memos
        self._classes = {kind.name: recorded_class(kind.record, kind.name) for kind in kinds}
        self._recorded: dict[tuple[str, str], Any] = {}
        self._tables = {kind.name: RecordedTable(self, kind.name, site.table(kind.name)) for kind in kinds}
        self._slot = {via: FIELDS + i for i, via in enumerate(all_vias(kinds))}

    @property
    def site(self) -> Site:
        raise AttributeError("a recording graph is read through its tables, referrers and memo, never its site")

    def table(self, kind: str) -> Mapping[str, Any]:
        return self._tables[kind]

    def raw_table(self, kind: str) -> Mapping[str, Any]:
        """A kind's table as loaded, read without noting anything."""
        return self._site.table(kind)

    def recorded(self, kind: str, slug: str) -> Any:
        """The entity, wrapped so that its fields' reads are noted (one wrapper per entity)."""
        found = self._recorded.get((kind, slug))
        if found is None:
            entity = self._site.table(kind)[slug]  # KeyError for an unknown slug, as a plain graph gives
            found = object.__new__(self._classes[kind])
            for name in UNRECORDED:
                object.__setattr__(found, name, getattr(entity, name))
            object.__setattr__(found, "_entity", entity)
            object.__setattr__(found, "_base", self.ids.entity(kind, slug) << SLOTS)
            object.__setattr__(found, "_recorder", self.recorder)
            self._recorded[(kind, slug)] = found
        return found

    def referrers(self, via: Via, slug: str) -> tuple[tuple[Any, Any], ...]:
        self.recorder.add((self.ids.entity(via.target, slug) << SLOTS) | self._slot[via])
        return tuple((self.recorded(via.source, entity.slug), holder) for entity, holder in super().referrers(via, slug))

    def memo(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self.memos.value(fn, args)

    def fact(self, kind: str, slug: str, slot: int) -> int:
        return (self.ids.entity(kind, slug) << SLOTS) | slot

    def via_slot(self, via: Via) -> int:
        return self._slot[via]


def all_vias(kinds: Sequence[Kind]) -> list[Via]:
    """Every field through which one entity refers to another, in a fixed order."""
    return [via for found in kind_vias(kinds).values() for via in found]
