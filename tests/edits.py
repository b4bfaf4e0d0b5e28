"""Random edits to a content folder, generated from the schema itself.

Each edit reads one file as YAML, changes it the way a contributor could (a field of any
type set to another value of its type, a list item added, removed or moved, a field
dropped), and writes it back; or adds a file, deletes one, or renames one (with the
references to it). Values come from the field types of atlas/content/schema.py, so every
kind and every field is reached, and slugs name entities that exist. Some edits leave the
content invalid (an end before its start, a reference to a deleted file); a build must
then fail the same way with or without the cache, and a later edit may mend it.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from atlas.content.fields import (Bool, Choice, Date, Domain, FieldType, Key, ListOf, MoneyType, Number, Record,
                                  Slug, TenureType, Text, Url)
from atlas.kinds import KINDS

WORDS = ["Ada", "lab", "research", "model", "Zürich", "張", "open", "weights", "chief", "scientist", "—", "&", "<b>"]


def slugs(content: Path, kind: str) -> list[str]:
    folder = next(k.folder for k in KINDS if k.name == kind)
    return sorted(p.stem for p in (content / folder).glob("*.yaml"))


def value_for(kind: FieldType, rng: random.Random, content: Path) -> Any:
    """A value of this field type, written as YAML would hold it."""
    if isinstance(kind, Slug):
        found = slugs(content, kind.kind)
        return rng.choice(found) if found else "missing"
    if isinstance(kind, ListOf):
        return [value_for(kind.item, rng, content) for _ in range(rng.randint(max(1, kind.min_items), 3))]
    if isinstance(kind, Record):
        return {name: value_for(field.type, rng, content) for name, field in kind.fields.items()
                if field.required or rng.random() < 0.5}
    if isinstance(kind, Date):
        if kind.plain:
            return f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        year = rng.randint(2008, 2026)
        text = str(year) + rng.choice(["", f"-{rng.randint(1, 12):02d}"])
        mark = rng.choice(["", "", "~", "by ", "between"])
        return f"between {year - rng.randint(0, 2)} and {text}" if mark == "between" else mark + text
    if isinstance(kind, Choice):
        return rng.choice(kind.values)
    if isinstance(kind, Bool):
        return rng.random() < 0.5
    if isinstance(kind, Number):
        return rng.randint(1, 24) if kind.integer else round(rng.uniform(1, 10), 1)
    if isinstance(kind, MoneyType):
        return f"{rng.choice(['EUR', 'USD'])} {rng.randint(1, 900)}M"
    if isinstance(kind, TenureType):
        return f"{rng.choice(['about', 'over', 'nearly'])} {rng.randint(1, 9)} years"
    if isinstance(kind, Url):
        return f"https://example.org/{rng.randint(0, 10_000)}"
    if isinstance(kind, Domain):
        return "atlas.example.org"
    if isinstance(kind, Key):
        return rng.choice(["afp-deal", "launch", "delay"])
    if isinstance(kind, Text):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        return text + (" *emph* [a link](https://example.org/x)" if kind.markdown and rng.random() < 0.5 else "")
    return None


def edit_mapping(data: dict[str, Any], record: Record, rng: random.Random, content: Path) -> None:
    """Change one field of a mapping (or of a record inside it)."""
    name = rng.choice(list(record.fields))
    field = record.fields[name]
    present = data.get(name)
    if isinstance(field.type, ListOf) and isinstance(present, list) and present and rng.random() < 0.7:
        action = rng.choice(["add", "remove", "move", "inner"])
        if action == "add":
            present.insert(rng.randint(0, len(present)), value_for(field.type.item, rng, content))
        elif action == "remove" and len(present) > field.type.min_items:
            present.pop(rng.randrange(len(present)))
        elif action == "move" and len(present) > 1:
            present.insert(rng.randint(0, len(present) - 1), present.pop(rng.randrange(len(present))))
        elif isinstance(field.type.item, Record):
            item = rng.choice(present)
            if isinstance(item, dict):
                edit_mapping(item, field.type.item, rng, content)
        return
    if not field.required and present is not None and rng.random() < 0.2:
        del data[name]
        return
    data[name] = value_for(field.type, rng, content)


def random_edit(content: Path, rng: random.Random) -> str:
    """Make one edit to the content folder; what it was, for messages."""
    kinds = [k for k in KINDS if list((content / k.folder).glob("*.yaml"))]
    kind = rng.choice(kinds)
    files = sorted((content / kind.folder).glob("*.yaml"))
    path = rng.choice(files)
    roll = rng.random()
    if roll < 0.08:  # a new entity: a copy of another, under a new name
        new = path.with_name(f"{path.stem}-{rng.randint(2, 99)}.yaml")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["name" if "name" in data else "text"] = f"New {rng.randint(0, 999)}"
        new.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return f"added {new.name}"
    if roll < 0.13:  # a deleted entity (references to it now fail, until an edit mends them)
        path.unlink()
        return f"deleted {path.name}"
    if roll < 0.18:  # a renamed file, with every reference to it renamed too
        new_slug = f"{path.stem}-renamed"
        for other in content.rglob("*.yaml"):
            text = other.read_text(encoding="utf-8")
            changed = _rename(text, path.stem, new_slug)
            if changed != text:
                other.write_text(changed, encoding="utf-8")
        path.rename(path.with_name(new_slug + ".yaml"))
        return f"renamed {path.name}"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    edit_mapping(data, kind.schema, rng, content)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"edited {path.name}"


def _rename(text: str, old: str, new: str) -> str:
    """Rename a slug where it is a whole YAML value or list item."""
    import re

    return re.sub(rf"(?<=[\s\[,:]){re.escape(old)}(?=[\s\],]|$)", new, text)
