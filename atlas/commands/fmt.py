"""The canonical form of content files: `python build.py fmt` writes it, `check` asks for it.

Canonical means: the fields of every mapping in the order of atlas/schema.py (unknown
fields last, as written), dates written as `2023-05-27`, `~2023-05` or `by 2023`, lists
of mappings and of URLs in block style (one item per line), every other list of names or
slugs in flow style (`[a, b]`). Comments, quoting and long lines are kept as written:
the file is edited in place through ruamel.yaml's round-trip mode, never re-dumped from
plain data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from atlas.model.dates import PartialDate
from atlas.content.fields import Date, FieldType, ListOf, Record, Url
from atlas.content.schema import SITE
from atlas.kinds import KINDS


class FormatError(Exception):
    """A file cannot be put in canonical form (it is not readable YAML)."""


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, quotes, flow/block style and key order
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def format_text(text: str, record: Record, src_path: str = "<text>") -> str:
    """Return text in canonical form (raises FormatError if it is not readable YAML)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except (YAMLError, ValueError) as err:
        raise FormatError(f"{src_path}: cannot format: not readable YAML ({str(err).splitlines()[0]})") from None
    if not isinstance(data, CommentedMap):
        return text
    _canon_map(data, record)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _canon_map(node: CommentedMap, record: Record) -> None:
    order = [k for k in record.fields if k in node] + [k for k in node if k not in record.fields]
    if list(node) != order:
        for key in order:
            node.move_to_end(key)
    for key in list(node):
        spec = record.fields.get(key) if isinstance(key, str) else None
        if spec is not None:
            new = _canon(node[key], spec.type)
            if new is not node[key]:
                node[key] = new


def _canon(value: Any, ftype: FieldType) -> Any:
    """Return value in canonical form (the same object when nothing changes)."""
    if isinstance(ftype, Record) and isinstance(value, CommentedMap):
        _canon_map(value, ftype)
    elif isinstance(ftype, ListOf) and isinstance(value, CommentedSeq):
        _canon_list(value, ftype)
    elif isinstance(ftype, Date):
        return _canon_date(value)
    return value


def _canon_list(node: CommentedSeq, ftype: ListOf) -> None:
    block = isinstance(ftype.item, (Record, Url))
    has_comments = bool(node.ca.items) or bool(node.ca.comment)
    if not has_comments and bool(node.fa.flow_style()) == block:
        if block:
            node.fa.set_block_style()
        else:
            node.fa.set_flow_style()
    for i, item in enumerate(node):
        new = _canon(item, ftype.item)
        if new is not item:
            node[i] = new


def _canon_date(value: Any) -> Any:
    """'2023-05-27', '~2023-05', 'by 2023', unquoted; invalid dates are left for check."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    try:
        canon = str(PartialDate.parse(text))
    except ValueError:
        return value
    if len(canon) == 10 and canon[0].isdigit():
        wanted: Any = dt.date.fromisoformat(canon)
    elif canon.isdigit():
        wanted = int(canon)
    else:
        wanted = canon
    same = type(value) is type(wanted) and str(value) == str(wanted)
    return value if same else wanted


def content_files(content_dir: Path) -> list[tuple[Path, str, Record]]:
    """Every content file with its path inside content_dir and its record, sorted."""
    found = []
    if (content_dir / "site.yaml").is_file():
        found.append((content_dir / "site.yaml", "site.yaml", SITE))
    for folder, record in ((kind.folder, kind.schema) for kind in KINDS):
        for path in sorted((content_dir / folder).glob("*.yaml")) if (content_dir / folder).is_dir() else []:
            if path.is_file() and not path.is_symlink():
                found.append((path, f"{folder}/{path.name}", record))
    return found


def unformatted(content_dir: Path, cache_dir: Path | None = None) -> list[str]:
    """The src_paths of content files that are not in canonical form.

    Round-tripping through ruamel.yaml costs ~10 ms a file, so the hashes of files found
    canonical are remembered in cache_dir, keyed by the code that decides canonical form.
    """
    known = _load_known(cache_dir)
    found = set()
    result = []
    for path, src_path, record in content_files(content_dir):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            found.add(digest)
            continue
        text = data.decode("utf-8", errors="replace")
        try:
            if format_text(text, record, src_path) != text:
                result.append(src_path)
            else:
                found.add(digest)
        except FormatError:
            continue  # check reports the YAML error itself
    _save_known(cache_dir, found)
    return result


def _cache_file(cache_dir: Path) -> Path:
    code = hashlib.sha256()
    from atlas.content import fields, schema
    from atlas.model import dates

    for module in (__file__, schema.__file__, fields.__file__, dates.__file__):
        code.update(Path(module).read_bytes())
    return cache_dir / f"canonical-{code.hexdigest()[:16]}.txt"


def _load_known(cache_dir: Path | None) -> set[str]:
    if cache_dir is None:
        return set()
    try:
        return set(_cache_file(cache_dir).read_text().split())
    except (OSError, UnicodeDecodeError):
        return set()  # no cache, or a corrupt one: check everything


def _save_known(cache_dir: Path | None, digests: set[str]) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        target = _cache_file(cache_dir)
        tmp = target.with_suffix(".tmp")
        tmp.write_text("".join(f"{d}\n" for d in sorted(digests)))
        tmp.replace(target)
        for old in cache_dir.glob("canonical-*.txt"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time


def format_content(content_dir: Path) -> tuple[list[str], list[str]]:
    """Rewrite every content file in canonical form; return (changed, unreadable)."""
    changed, failed = [], []
    for path, src_path, record in content_files(content_dir):
        text = path.read_text(encoding="utf-8")
        try:
            new = format_text(text, record, src_path)
        except FormatError as err:
            failed.append(str(err))
            continue
        if new != text:
            tmp = path.with_name(f".{path.name}.fmt-tmp")
            tmp.write_text(new, encoding="utf-8")
            tmp.replace(path)
            changed.append(src_path)
    return changed, failed
