"""What a long-lived process (build.py serve) keeps between builds: the stats of files,
the moves of people, the shape keys of files, and a folder updated in place."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from atlas.build import Resident, run
from atlas.speed.cache import RACY_NS, EntityCache
from atlas.errors import ContentError
from atlas.speed.incremental import shape_key
from atlas.site.render import TemplateError
from atlas.site import write as write_module
from atlas.site.write import MARKER, Kept, Manifest, write_site

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini" / "content"
TEMPLATES = HERE.parent / "templates"

PERSON = """name: Ada Example
summary: Researcher
bio: |-
  First paragraph.

  Second paragraph.
career:
  - company: acme
    role: Engineer
"""


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MARKER}


# shape_key: a file's hash without its top-level prose


def test_the_shape_key_ignores_the_prose_and_nothing_else() -> None:
    shape = shape_key(PERSON.encode(), "people/ada.yaml")
    longer = PERSON.replace("  Second paragraph.\n", "  Second paragraph.\n\n  A third one.\n")
    inline = PERSON.replace("bio: |-\n  First paragraph.\n\n  Second paragraph.\n", "bio: One line.\n")
    assert shape_key(longer.encode(), "people/ada.yaml") == shape
    assert shape_key(inline.encode(), "people/ada.yaml") == shape
    for other in (PERSON.replace("Researcher", "Scientist"), PERSON.replace("role: Engineer", "role: Lead"),
                  PERSON.replace("  - company: acme", "  - company: other")):
        assert shape_key(other.encode(), "people/ada.yaml") != shape
    assert shape_key(PERSON.encode(), "people/bea.yaml") != shape  # the path is part of it


def test_the_shape_key_drops_only_what_is_indented_under_the_prose_key() -> None:
    # A comment or key at the left margin ends the prose; a look-alike key is not prose.
    for text in ("bio: x\n# a comment\nname: A\n", "bio: x\nbiography: y\n", "bios: x\nname: A\n"):
        changed = text.replace("A\n", "B\n").replace("y\n", "z\n").replace("bios: x", "bios: w")
        assert shape_key(text.encode(), "people/a.yaml") != shape_key(changed.encode(), "people/a.yaml"), text
    # A person's `description` is not prose (only a company's and a model's are).
    assert shape_key(b"description: a\n", "people/a.yaml") != shape_key(b"description: b\n", "people/a.yaml")
    assert shape_key(b"description: a\n", "companies/a.yaml") == shape_key(b"description: b\n", "companies/a.yaml")
    # An indented prose key belongs to something else (a stint's note) and stays.
    assert shape_key(b"career:\n  - note: a\n", "people/a.yaml") != shape_key(b"career:\n  - note: b\n", "people/a.yaml")


# EntityCache stats: unchanged files are not read again


def test_files_whose_stat_is_unchanged_are_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("name: A\n")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(path, ns=(old, old))
    cache = EntityCache(None)
    cache.stats = {}
    assert cache.known_key(path, "people/a.yaml") is None  # never seen
    cache.record("people/a.yaml", "k1")
    cache.next_build()
    assert cache.known_key(path, "people/a.yaml") == "k1"
    path.write_text("name: B\n")  # same size, new time
    assert cache.known_key(path, "people/a.yaml") is None


def test_a_file_changed_within_the_clock_resolution_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("name: A\n")
    cache = EntityCache(None)
    cache.stats = {}
    cache.known_key(path, "people/a.yaml")
    cache.record("people/a.yaml", "k1")
    cache.next_build()
    # Modified so recently that a second change could keep the same stat: not trusted.
    assert cache.known_key(path, "people/a.yaml") is None


# update_site: the previous build brought up to date in place


def test_an_update_in_place_writes_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("a/index.html", b"A"), ("b/index.html", b"B"), ("c", b"C"), ("d/e/f.txt", b"F")], None, "one")
    a_time = (out / "a" / "index.html").stat().st_mtime_ns
    files = [("a/index.html", b"A"), ("b/index.html", b"B2"), ("c/index.html", b"C2"), ("new/x.txt", b"X")]
    assert write_site(out, files, None, "two", in_place=True) == 4
    assert tree(out) == dict(files)
    assert (out / "a" / "index.html").stat().st_mtime_ns == a_time  # unchanged: not rewritten
    assert not (out / "d").exists()  # emptied folders go too
    assert "inputs two" in (out / MARKER).read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left


def test_an_update_in_place_that_fails_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("a/index.html", b"A"), ("b/index.html", b"B")], None, "one")
    before = tree(out)

    def files():  # type: ignore[no-untyped-def]
        yield "a/index.html", b"A2"
        yield "b/index.html", Kept(lambda: b"B")
        raise RuntimeError("a page failed to render")

    with pytest.raises(RuntimeError):
        write_site(out, files(), None, "two", in_place=True)
    assert tree(out) == before
    assert "inputs one" in (out / MARKER).read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_an_update_in_place_with_a_manifest_does_not_walk_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    manifest = Manifest()
    write_site(out, [("a/index.html", b"A"), ("b/c/index.html", b"C"), ("d/index.html", b"D")], None, "one",
               manifest=manifest)
    assert manifest.files == {"a/index.html", "b/c/index.html", "d/index.html", MARKER}
    monkeypatch.setattr(write_module.os, "walk", None)  # a walk would fail
    files = [("a/index.html", Kept(lambda: b"never made")), ("d/index.html", b"D2")]
    write_site(out, files, None, "two", in_place=True, manifest=manifest)
    assert tree(out) == {"a/index.html": b"A", "d/index.html": b"D2"}
    assert not (out / "b").exists()  # its files gone, its emptied folders too
    assert manifest.files == {"a/index.html", "d/index.html", MARKER}


def test_a_kept_file_that_is_gone_is_made_again_in_place(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("a/index.html", b"A")], None, "one")
    (out / "a" / "index.html").unlink()
    write_site(out, [("a/index.html", Kept(lambda: b"A"))], None, "two", in_place=True)
    assert tree(out) == {"a/index.html": b"A"}


# Resident builds


def test_resident_builds_follow_added_and_removed_files_and_equal_full_builds(tmp_path: Path) -> None:
    work = tmp_path / "content"
    shutil.copytree(MINI, work)
    cache, out = tmp_path / "cache", tmp_path / "site"
    session = Resident()
    run(work, out, cache_dir=cache, jobs=1, resident=session)
    first = next(iter(sorted((work / "people").glob("*.yaml"))))
    added = work / "people" / "zed-copy.yaml"
    added.write_text(first.read_text(encoding="utf-8").replace("name: ", "name: Zed ", 1), encoding="utf-8")
    for step in ("added", "removed"):
        run(work, out, cache_dir=cache, jobs=1, resident=session)
        full = tmp_path / f"full-{step}"
        run(work, full, jobs=1)
        assert tree(out) == tree(full), step
        assert ("people/zed-copy/index.html" in tree(out)) == (step == "added")
        added.unlink(missing_ok=True)


def test_a_failed_resident_build_keeps_the_last_good_build(tmp_path: Path) -> None:
    work, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(MINI, work)
    shutil.copytree(TEMPLATES, templates)
    out = tmp_path / "site"
    session = Resident()
    run(work, out, cache_dir=tmp_path / "cache", jobs=1, templates_dir=templates, resident=session)
    good = tree(out)
    person = sorted((work / "people").glob("*.yaml"))[0]
    text = person.read_text(encoding="utf-8")
    person.write_text(text + "\nbio: Edited.\n" if "\nbio:" not in text else text.replace("\nbio: ", "\nbio: Edited. ", 1),
                      encoding="utf-8")
    (templates / "person.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope( }}{% endblock %}")
    with pytest.raises(TemplateError):
        run(work, out, cache_dir=tmp_path / "cache", jobs=1, templates_dir=templates, resident=session)
    assert tree(out) == good
    person.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError):
        run(work, out, cache_dir=tmp_path / "cache", jobs=1, templates_dir=templates, resident=session)
    assert tree(out) == good


def test_a_resident_rebuild_reads_unchanged_atlas_json_entries_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.site import data
    from atlas.speed import parallel

    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)  # no fork: count the entries made here
    work = tmp_path / "content"
    shutil.copytree(MINI, work)
    out = tmp_path / "site"
    session = Resident()
    run(work, out, cache_dir=tmp_path / "cache", jobs=1, resident=session)
    made: list[str] = []
    real = data.entry_json
    monkeypatch.setattr(data, "entry_json", lambda entity, *args: made.append(entity.slug) or real(entity, *args))
    person = sorted((work / "people").glob("*.yaml"))[0]
    person.write_text(person.read_text(encoding="utf-8").replace("name: ", "name: Edited ", 1), encoding="utf-8")
    run(work, out, cache_dir=tmp_path / "cache", jobs=1, resident=session)
    assert made == [person.stem]  # its entry only
    full = tmp_path / "full"
    run(work, full, jobs=1)
    assert (out / "data" / "atlas.json").read_bytes() == (full / "data" / "atlas.json").read_bytes()
    (out / "data" / "atlas.json").write_bytes(b"{}")  # changed behind the server's back: not trusted
    made.clear()
    run(work, out, cache_dir=tmp_path / "cache", jobs=1, resident=session)
    assert len({m for m in made if m != "?"}) > 1
    assert (out / "data" / "atlas.json").read_bytes() == (full / "data" / "atlas.json").read_bytes()


def test_after_its_first_build_a_resident_cache_holds_only_what_builds_use(tmp_path: Path) -> None:
    """The disk cache's contents are read once; later builds keep what they use in memory,
    so entities replaced by edits are freed rather than held for the server's lifetime."""
    from atlas.content.folder import load_site

    cache_dir = tmp_path / "cache"
    load_site(MINI, cache=EntityCache(cache_dir))
    cache = EntityCache(cache_dir)
    assert cache.store.base
    load_site(MINI, cache=cache)
    cache.next_build()
    assert cache.store.base == {} and cache.entries
