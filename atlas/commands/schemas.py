"""JSON Schemas and the field reference, generated from the validator's own definitions.

`python build.py schemas` writes schemas/<kind>.schema.json and docs/fields.md; tests
fail when the committed files differ from what this module generates.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from atlas.model.dates import DATE_FORMS
from atlas.content.fields import Choice, Date, FieldType, ListOf, Record, Slug
from atlas.content.schema import CHECK, METRIC_PARAMS, SITE
from atlas.kinds import KINDS

# Kind name -> record; folder name -> kind name.
RECORDS: dict[str, Record] = {**{kind.name: kind.schema for kind in KINDS}, "site": SITE}
FOLDER_KINDS: dict[str, str] = {kind.folder: kind.name for kind in KINDS}
SCHEMA_DIR = "schemas"
FIELDS_DOC = "docs/fields.md"
MODELINE_PREFIX = "# yaml-language-server: $schema="
DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft editors' YAML servers support best


def kind_of(src_path: str) -> str | None:
    """Return the kind of a content file from its path inside content/, or None."""
    if src_path == "site.yaml":
        return "site"
    folder = src_path.split("/", 1)[0]
    return FOLDER_KINDS.get(folder) if "/" in src_path else None


def modeline(src_path: str) -> str:
    """The first line that points the YAML language server at the file's schema."""
    kind = kind_of(src_path)
    if kind is None:
        raise ValueError(f"{src_path} is not a content file")
    up = "../" * (src_path.count("/") + 1)
    return f"{MODELINE_PREFIX}{up}{SCHEMA_DIR}/{kind}.schema.json"


def _portable(node: Any) -> Any:
    """Rewrite Python-only regex syntax so that ECMA 262 engines (editors) accept it too."""
    if isinstance(node, dict):
        return {k: (_portable_pattern(v) if k == "pattern" else _portable(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_portable(v) for v in node]
    return node


def _portable_pattern(pattern: str) -> str:
    pattern = re.sub(r"\(\?P<\w+>", "(", pattern)
    return pattern.replace(r"\d", "[0-9]")


def json_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of one kind of content file."""
    record = RECORDS[kind]
    where = "content/site.yaml" if kind == "site" else f"content/{_folder(kind)}/<slug>.yaml"
    head = {"$schema": DRAFT, "$id": f"{kind}.schema.json", "title": f"Talent Atlas {kind}",
            "description": f"A {where} file. Generated from atlas/schema.py; see docs/fields.md."}
    return {**head, **_portable(record.schema())}


def _folder(kind: str) -> str:
    return next(folder for folder, k in FOLDER_KINDS.items() if k == kind)


def render_schema(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def generated_files() -> dict[str, str]:
    """Every generated file, by path relative to the repository root."""
    files = {f"{SCHEMA_DIR}/{kind}.schema.json": render_schema(kind) for kind in sorted(RECORDS)}
    files[FIELDS_DOC] = field_reference()
    return files


def write_generated(root: Path) -> list[str]:
    """Write the generated files under root; return the ones that changed."""
    changed = []
    for rel, text in generated_files().items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(rel)
    return changed


def stale_files(root: Path) -> list[str]:
    """Generated files that are missing or differ from what would be generated now."""
    return [rel for rel, text in generated_files().items()
            if not (root / rel).is_file() or (root / rel).read_text(encoding="utf-8") != text]


# --- the field reference (docs/fields.md) ------------------------------------------

def _anchor(record: Record) -> str:
    return record.name.replace(" ", "-")


def describe(ftype: FieldType) -> str:
    """A short Markdown description of what a field accepts."""
    if isinstance(ftype, Record):
        return f"a [{ftype.name}](#{_anchor(ftype)})"
    if isinstance(ftype, ListOf):
        inner = describe(ftype.item)
        many = "a list of " + _plural(ftype.item)
        one = f"{inner}, or {many}" if ftype.scalar_ok else many
        return one + (f" (at least {ftype.min_items})" if ftype.min_items else "")
    if isinstance(ftype, Choice):
        return "one of " + ", ".join(f"`{v}`" for v in ftype.values)
    if isinstance(ftype, Date):
        return "a full date, `YYYY-MM-DD`" if ftype.plain else "a [date](#dates)"
    if isinstance(ftype, Slug):
        return f"a {ftype.kind} slug"
    return ftype.label


def _plural(ftype: FieldType) -> str:
    if isinstance(ftype, Record):
        return f"[{ftype.name}](#{_anchor(ftype)}) mappings"
    if isinstance(ftype, Slug):
        return f"{ftype.kind} slugs"
    return {"text": "texts", "an http(s) URL": "http(s) URLs"}.get(ftype.label, ftype.label)


def _metrics() -> list[str]:
    lines = ["| metric | needs |", "|---|---|"]
    for metric, params in METRIC_PARAMS.items():
        lines.append(f"| `{metric.value}` | " + ", ".join(f"`{p}`" for p in (*params, "expect")) + " |")
    return lines


def _nested(record: Record, seen: list[Record]) -> None:
    for f in record.fields.values():
        inner = f.type.item if isinstance(f.type, ListOf) else f.type
        if isinstance(inner, Record) and inner not in seen:
            seen.append(inner)
            _nested(inner, seen)


def _table(record: Record) -> list[str]:
    lines = ["| field | required | accepts | meaning |", "|---|---|---|---|"]
    for f in record.fields.values():
        doc = f.doc.replace("|", "\\|")
        lines.append(f"| `{f.name}` | {'yes' if f.required else 'no'} | {describe(f.type)} | {doc} |")
    return lines


def field_reference() -> str:
    """Render docs/fields.md: every field of every kind, from atlas/schema.py."""
    out = ["# Field reference", "",
           "<!-- Generated by `python build.py schemas` from atlas/schema.py; do not edit by hand. -->", "",
           "Every field the validator accepts, generated from the same definitions as the",
           "validator and the JSON Schemas in `schemas/`. The prose guide is",
           "[content.md](content.md); what each error means is in [errors.md](errors.md).", "",
           "## Dates", "", f"{DATE_FORMS}.", ""]
    nested: list[Record] = []
    for kind in ("site", "company", "person", "model", "claim"):
        record = RECORDS[kind]
        where = "content/site.yaml" if kind == "site" else f"content/{_folder(kind)}/<slug>.yaml"
        out += [f"## {kind}", "", f"`{where}`, schema `schemas/{kind}.schema.json`.", "", *_table(record), ""]
        _nested(record, nested)
    for record in nested:
        out += [f"## {record.name}", "", *_table(record), ""]
        if record.rule is not None and record.rule.__doc__:
            out += [record.rule.__doc__.strip(), ""]
        if record is CHECK:
            out += [*_metrics(), ""]
    return "\n".join(out).rstrip("\n") + "\n"
