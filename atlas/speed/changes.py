"""Which recorded facts an edit changed, from the old and new entities of the edited files.

For each edited entity: the fields whose values differ; for each entity it refers to,
whether what this one says of it through a field changed (a stint added at a company,
an author dropped); and, when it is added or removed, its kind's whole table.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from atlas.content.references import Via, references
from atlas.speed.ids import Ids
from atlas.speed.record import MEMBERSHIP, SLOTS


def changed_facts(ids: Ids, kind: str, slug: str, old: Any, new: Any, kind_vias: tuple[Via, ...],
                  via_slot: dict[Via, int]) -> set[int]:
    """The facts that differ between the old and new entity (None: absent)."""
    base = ids.entity(kind, slug) << SLOTS
    found: set[int] = set()
    if old is None or new is None:
        found.add((ids.table(kind) << SLOTS) | MEMBERSHIP)
    record = type(new if new is not None else old)
    for slot, field in enumerate(dataclasses.fields(record)):
        if old is None or new is None or getattr(old, field.name) != getattr(new, field.name):
            found.add(base | slot)
    before, after = said_of(old, kind_vias), said_of(new, kind_vias)
    for via, target in before.keys() | after.keys():
        if before.get((via, target)) != after.get((via, target)):
            found.add((ids.entity(via.target, target) << SLOTS) | via_slot[via])
    return found


def said_of(entity: Any, kind_vias: tuple[Via, ...]) -> dict[tuple[Via, str], list[Any]]:
    """What an entity says of each entity it refers to, field by field: the records that
    hold each reference, in order."""
    found: dict[tuple[Via, str], list[Any]] = defaultdict(list)
    if entity is not None:
        for ref in references(entity, kind_vias):
            found[(ref.via, ref.slug)].append(ref.holder)
    return found
