"""Memoized views of a recording graph: each made once per build, with its own reads
noted apart from the page that asked for it, and a previous build's value reused when
nothing it read has changed (as incremental compilers such as Salsa do).

A view asked for by a page counts as one fact of that page. After an edit, a view whose
reads changed is made again; if it comes out equal to the value kept, the pages that read
it need not be made again: a change to one stint remakes the colours of the charts, finds
them the same, and leaves the 13,000 pages with a chart alone.

A view whose value pickles to more than KEEP_BYTES (every move of the site, the site's
timeline, the flows) is kept by what it read but not by its value: when an edit reaches
it, it has almost always changed, and pickling it, reading the old one back and comparing
the two cost more than making again what reads it (measured at 10,000 people, medians
of three rounds in turns: a role edit's rebuild took 8.4 s of CPU instead of 15.6 s, a
company name 12.0 s instead of 13.3 s, a bio the same). Such a view is made again when asked
for, and its readers count it as changed whenever its reads did.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from atlas.speed import values
from atlas.speed.record import MEMO, Recorder

MemoKey = tuple[str, tuple[Any, ...]]  # "module:function", and its arguments (plain values)
KEEP_BYTES = 1 << 20


@dataclass(frozen=True)
class Made:
    """A view made in this build, and what it read."""

    deps: frozenset[int]


class Stored:
    """What a previous build kept of its views (speed/store.py gives it)."""

    def has(self, key: MemoKey) -> bool:
        """Whether the view was kept."""
        raise NotImplementedError

    def facts(self, key: MemoKey) -> frozenset[int] | None:
        """What the view read, or None when it was not kept."""
        raise NotImplementedError

    def value(self, key: MemoKey) -> Any:
        raise NotImplementedError

    def blob(self, key: MemoKey) -> bytes | None:
        """The value as kept, pickled; empty when the view was kept without its value."""
        raise NotImplementedError

    def key_of(self, memo_id: int) -> MemoKey | None:
        raise NotImplementedError


class Memos:
    """The views of one build of a recording graph."""

    def __init__(self, graph: Any, recorder: Recorder, ids: Any, stored: Stored | None = None,
                 changed: set[int] | frozenset[int] = frozenset(), suspect: set[int] | None = None):
        self.graph, self.recorder, self.ids = graph, recorder, ids
        self.stored, self.changed = stored, changed  # the previous build's views, and the facts changed since
        self.suspect = suspect  # the numbers of the views that may have changed; None: any may have
        self.values: dict[MemoKey, Any] = {}
        self.made: dict[MemoKey, Made] = {}  # made (not reused) in this process: to be kept for the next build
        self.fresh: list[MemoKey] = []  # made since the last time someone took them (take_fresh)
        self._dumped: dict[MemoKey, bytes] = {}
        self._reusable: dict[MemoKey, bool] = {}

    def value(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        """fn(graph, *args), noted as one fact of whatever is being made."""
        key = (f"{fn.__module__}:{fn.__qualname__}", args)
        self.recorder.add(MEMO | self.ids.memo(key))
        if key in self.values:
            return self.values[key]
        if self.stored is not None and self.reusable(key) and self.stored.blob(key):
            value = self.values[key] = self.stored.value(key)
            return value
        return self._make(key, fn)

    def _make(self, key: MemoKey, fn: Callable[..., Any]) -> Any:
        with self.recorder.frame() as deps:
            value = fn(self.graph, *key[1])
        self.values[key] = value
        self.made[key] = Made(frozenset(deps))
        self.fresh.append(key)
        return value

    def dumped(self, key: MemoKey) -> bytes:
        """A made view's value, pickled (values.py), once."""
        found = self._dumped.get(key)
        if found is None:
            found = self._dumped[key] = values.dump(self.values[key])
        return found

    def kept(self, key: MemoKey) -> bytes:
        """What the store keeps of a made view's value: its pickle, or nothing when it is
        too large (or was, in the build before: then it is not even pickled)."""
        if self.stored is not None and self.stored.has(key) and not self.stored.blob(key):
            return b""
        found = self.dumped(key)
        if len(found) > KEEP_BYTES:
            del self._dumped[key]
            return b""
        return found

    def take_fresh(self) -> list[MemoKey]:
        """The views made since the last call."""
        found, self.fresh = self.fresh, []
        return found

    def reusable(self, key: MemoKey) -> bool:
        """Whether the previous build's value can be used as it is: none of the facts it
        read has changed, and each view it read is the same as it was (when the suspects
        are known, a view that is not one of them is reusable as it is)."""
        found = self._reusable.get(key)
        if found is None:
            if self.stored is None or not self.stored.has(key):
                found = False
            elif self.suspect is not None and self.ids.memo(key) not in self.suspect:
                found = True
            else:
                found = all(self.same(fact) for fact in self.stored.facts(key) or ())
            self._reusable[key] = found
        return found

    def same(self, fact: int) -> bool:
        """Whether a fact read in the previous build still holds: an input not changed, or
        a view whose value (reused, or made again) equals the one kept."""
        if not fact & MEMO:
            return fact not in self.changed
        assert self.stored is not None
        if self.suspect is not None and fact & ~MEMO not in self.suspect:
            return True
        key = self.stored.key_of(fact & ~MEMO)
        if key is None:
            return False
        if self.reusable(key):
            return True
        if not self.stored.blob(key):
            return False  # its value was not kept: it cannot be compared, so count it as changed
        if key not in self.made:
            try:
                self._make(key, resolve(key[0]))
            except Exception:  # noqa: BLE001 - it cannot be made now (its person was deleted, say)
                return False  # so it changed; whatever still asks for it makes it, and fails, itself
        if self.dumped(key) == self.stored.blob(key):
            return True  # the same bytes; else it may still be equal, made of other objects
        try:
            kept = self.stored.value(key)
        except KeyError:  # it names an entity that is gone: it cannot be what it was
            return False
        return bool(self.values[key] == kept)


def resolve(name: str) -> Callable[..., Any]:
    """The function a memo key names: 'atlas.compute.moves:_moves_of'."""
    module, _, qualname = name.partition(":")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found  # type: ignore[no-any-return]
