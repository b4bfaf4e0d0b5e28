"""Numbers for entities and memoized views: hashes of what they are, so that every process
(a forked worker too) and every build gives the same thing the same number, with no
table to share. Two things on one number would only make more files than needed."""
from __future__ import annotations

import hashlib
from typing import Any

ENTITY_BITS = 56  # an entity's number, shifted left by record.SLOTS, stays under 2**62 (record.MEMO)
MEMO_BITS = 61


class Ids:
    """Numbers of entities, tables and views, computed once per process."""

    def __init__(self) -> None:
        self.entities: dict[tuple[str, str], int] = {}
        self.memos: dict[Any, int] = {}

    def entity(self, kind: str, slug: str) -> int:
        key = (kind, slug)
        found = self.entities.get(key)
        if found is None:
            found = self.entities[key] = _number(f"{kind}\0{slug}".encode(), ENTITY_BITS)
        return found

    def table(self, kind: str) -> int:
        """The number of a kind's whole table."""
        return self.entity("*", kind)

    def memo(self, key: Any) -> int:
        found = self.memos.get(key)
        if found is None:
            found = self.memos[key] = _number(memo_bytes(key), MEMO_BITS)
        return found


def memo_bytes(key: Any) -> bytes:
    """A memo key (a function's name and plain arguments: slugs, dates, years) as bytes,
    the same in every process."""
    return repr(key).encode()


def _number(data: bytes, bits: int) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little") >> (64 - bits)
