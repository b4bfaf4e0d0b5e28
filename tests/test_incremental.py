"""Reused pages: a build that reuses unchanged pages gives the same bytes as a full one."""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from atlas import build as build_module
from atlas.build import Resident, run
from atlas.errors import ContentError
from atlas.content.folder import load_site
from conftest import SEED

HERE = Path(__file__).parent
DEFAULT_CONTENT = SEED
MINI = HERE / "fixtures" / "mini" / "content"
# Scalar fields whose values can be swapped between files of one kind and stay valid often.
_LINE = re.compile(r"^(?P<lead>\s*(?:- )?)(?P<key>name|role|start|end|company|founded|parent|summary|released|date|kind|confidence|founders|authors|lead|investors|people|models|tenure): (?P<value>.+)$",
                   re.MULTILINE)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".talent-atlas"}


def _random_edit(content: Path, rng: random.Random) -> str:
    """Edit one random file and keep the content valid: give one field the value the same
    field has in another file, or (one time in three) add a line to its Markdown prose."""
    for _ in range(200):
        folder = rng.choice(["people", "people", "companies", "models"])
        files = sorted((content / folder).glob("*.yaml"))
        target, donor = rng.choice(files), rng.choice(files)
        text = target.read_text(encoding="utf-8")
        if rng.random() < 0.3:  # prose that only the file's own page shows
            edited, what = _prose_edit(text, "bio" if folder == "people" else "description", rng)
        else:
            lines = list(_LINE.finditer(text))
            donors = list(_LINE.finditer(donor.read_text(encoding="utf-8")))
            if not lines or not donors:
                continue
            line = rng.choice(lines)
            values = [d["value"] for d in donors if d["key"] == line["key"] and d["value"] != line["value"]]
            if not values:
                continue
            edited = text[: line.start("value")] + rng.choice(values) + text[line.end("value"):]
            what = f"{line['key']} {line['value']!r}"
        target.write_text(edited, encoding="utf-8")
        try:
            load_site(content)
        except ContentError:
            target.write_text(text, encoding="utf-8")
            continue
        return f"{target.name}: {what}"
    raise AssertionError("no valid edit found")


def _prose_edit(text: str, field: str, rng: random.Random) -> tuple[str, str]:
    """Add a first paragraph to a block-scalar bio or description (so every line after it
    moves down), or add the field where the file has none."""
    sentence = f"Edited {rng.randrange(1000)}."
    block = re.search(rf"^{field}: [|>]-?\n", text, re.MULTILINE)
    if block:
        return text[: block.end()] + f"  {sentence}\n\n" + text[block.end():], f"{field}, one more paragraph"
    return text.rstrip("\n") + f"\n{field}: {sentence}\n", f"{field} added"


@pytest.mark.parametrize("resident", [False, True], ids=["command", "resident"])
@pytest.mark.parametrize("content", [MINI, DEFAULT_CONTENT], ids=["mini", "default"])
def test_builds_after_random_edits_equal_full_builds(tmp_path: Path, content: Path, resident: bool) -> None:
    """Rebuilds from the disk cache (build.py) and from what a long-lived process keeps
    (build.py serve, which also updates its folder in place) equal full builds."""
    work = tmp_path / "content"
    shutil.copytree(content, work)
    cache, out = tmp_path / "cache", tmp_path / "site"
    session = Resident() if resident else None
    run(work, out, cache_dir=cache, jobs=1, resident=session)
    rng = random.Random(5)
    for step in range(12):
        edit = _random_edit(work, rng)
        run(work, out, cache_dir=cache, jobs=1, resident=session)
        full = tmp_path / f"full-{step}"
        run(work, full, jobs=1)
        kept, fresh = tree(out), tree(full)
        assert sorted(kept) == sorted(fresh), edit
        assert [k for k in fresh if kept[k] != fresh[k]] == [], f"after editing {edit}"
        shutil.rmtree(full)


@pytest.mark.parametrize("content", [MINI, DEFAULT_CONTENT], ids=["mini", "default"])
def test_page_keys_from_the_last_builds_references_equal_fresh_ones(tmp_path: Path, content: Path) -> None:
    """With a memo of the same files, only the edited files' references are found again;
    the references, their reverse and every key equal those found from scratch."""
    from atlas.speed.cache import EntityCache
    from atlas.speed.incremental import KeyMemo, PageKeys
    from atlas.model.graph import build_graph

    work = tmp_path / "content"
    shutil.copytree(content, work)
    templates = HERE.parent / "templates"
    memo, rng, reused = KeyMemo(), random.Random(11), 0
    for step in range(16):
        cache = EntityCache(None)
        graph = build_graph(load_site(work, cache=cache))
        had_files = bool(memo.whole)
        keys = PageKeys(graph, cache.hashes, templates, cache.shapes, memo)
        fresh = PageKeys(graph, cache.hashes, templates, cache.shapes)
        reused += had_files and keys.changed is not None
        assert keys.out == fresh.out and keys.into == fresh.into, step
        assert {p: keys.key(p) for p in fresh.pages} == {p: fresh.key(p) for p in fresh.pages}, step
        _random_edit(work, rng)
    assert reused >= 5  # most edits keep the references: the memo was used


def _rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    rendered: list[str] = []
    real = build_module.render_page

    def counting(env, page):  # type: ignore[no-untyped-def]
        rendered.append(page.out_path)
        return real(env, page)
    monkeypatch.setattr(build_module, "render_page", counting)
    return rendered


def test_editing_one_bio_renders_only_that_page_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, work)
    cache, out = tmp_path / "cache", tmp_path / "site"
    run(work, out, cache_dir=cache, jobs=1)
    rendered = _rendered(monkeypatch)
    person = work / "people" / "guillaume-lample.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace("\nbio: ", "\nbio: Edited. ", 1)
                      if "\nbio: " in person.read_text(encoding="utf-8") else person.read_text(encoding="utf-8") + "\nbio: Edited.\n",
                      encoding="utf-8")
    run(work, out, cache_dir=cache, jobs=1)
    # No other page shows a bio: his companies' and models' pages, the indexes, lists and
    # home page are all kept.
    assert rendered == ["people/guillaume-lample/index.html"]


def test_the_cache_keeps_each_persons_moves_for_the_next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process reuses the moves of the people whose files did not change (saved with
    the entities), and computes them all again when the date they are computed at changes."""
    import datetime as dt

    from atlas.compute import moves as moves_module
    work = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, work)
    cache, out = tmp_path / "cache", tmp_path / "site"
    run(work, out, cache_dir=cache, jobs=1)
    computed: list[str] = []
    real = moves_module.person_moves

    def counting(graph, person, *args):  # type: ignore[no-untyped-def]
        computed.append(person.slug)
        return real(graph, person, *args)
    monkeypatch.setattr(moves_module, "person_moves", counting)
    person = work / "people" / "guillaume-lample.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace("\nname: ", "\n# edited\nname: ", 1), encoding="utf-8")
    run(work, out, cache_dir=cache, jobs=1)
    assert computed == ["guillaume-lample"]
    computed.clear()
    # The second edit is saved as a delta beside the cache: the first one's moves come from it.
    person = work / "people" / "hugo-touvron.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace("\nname: ", "\n# edited\nname: ", 1), encoding="utf-8")
    run(work, out, cache_dir=cache, jobs=1)
    assert computed == ["hugo-touvron"]
    assert list(cache.glob("entities-*.delta.pickle"))
    computed.clear()
    run(work, out, cache_dir=cache, jobs=1, as_of=dt.date(2024, 1, 1))
    assert set(computed) == {path.stem for path in (work / "people").glob("*.yaml")}


def test_a_new_process_reads_only_the_files_whose_stat_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache keeps each file's stat, as git's index does: unchanged files are not read,
    an edited one is, and so is one whose old mtime was put back after an edit (its ctime
    changed)."""
    import os
    import time

    from atlas.content import folder as content_module
    from atlas.speed.cache import RACY_NS
    work = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, work)
    old = time.time_ns() - 10 * RACY_NS  # older than the racy window: stats can be trusted
    for path in work.rglob("*.yaml"):
        os.utime(path, ns=(old, old))
    cache, out = tmp_path / "cache", tmp_path / "site"
    run(work, out, cache_dir=cache, jobs=1)
    read: list[str] = []
    real = content_module.read_bytes

    def counting(path: str) -> bytes:
        read.append(Path(path).name)
        return real(path)
    monkeypatch.setattr(content_module, "read_bytes", counting)
    person = work / "people" / "guillaume-lample.yaml"
    text = person.read_text(encoding="utf-8")
    person.write_text(text.replace("Chief Scientist", "Chief Scientisk"), encoding="utf-8")  # the same size
    run(work, out, cache_dir=cache, jobs=1)
    assert set(read) == {"guillaume-lample.yaml"}
    assert "Chief Scientisk" in (out / "people" / "guillaume-lample" / "index.html").read_text(encoding="utf-8")
    read.clear()
    person.write_text(text, encoding="utf-8")
    os.utime(person, ns=(old, old))  # the mtime of the first build's version, put back
    run(work, out, cache_dir=cache, jobs=1)
    assert set(read) == {"guillaume-lample.yaml"}
    assert "Chief Scientisk" not in (out / "people" / "guillaume-lample" / "index.html").read_text(encoding="utf-8")


def test_a_rebuild_reuses_the_page_keys_of_the_one_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page cache saves the key memo a rebuild filled: the next rebuild computes the
    keys of only the pages whose files changed."""
    from atlas.speed import incremental
    work = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, work)
    cache, out = tmp_path / "cache", tmp_path / "site"
    person = work / "people" / "guillaume-lample.yaml"
    run(work, out, cache_dir=cache, jobs=1)
    person.write_text(person.read_text(encoding="utf-8") + "# one\n", encoding="utf-8")
    run(work, out, cache_dir=cache, jobs=1)  # finds every key here, and saves them with their files
    import hashlib
    import types
    digests: list[bytes] = []

    def blake2b(data: bytes = b"", **options):  # type: ignore[no-untyped-def]
        digests.append(data)
        return hashlib.blake2b(data, **options)
    monkeypatch.setattr(incremental, "hashlib", types.SimpleNamespace(blake2b=blake2b, sha256=hashlib.sha256))
    person.write_text(person.read_text(encoding="utf-8") + "# two\n", encoding="utf-8")
    run(work, out, cache_dir=cache, jobs=1)
    entity_pages = sum(1 for kind in ("people", "companies", "models") for _ in (out / kind).glob("*/index.html"))
    page_keys = len(digests) - 2  # the common and the whole-site digests are made once per build
    assert 0 < page_keys < entity_pages / 4


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_first_rebuild_after_a_full_build_reuses_its_page_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  jobs: int) -> None:
    """A full build's workers find the page keys, and send back the files each covers: the
    page cache saves them as a key memo, so even the first rebuild after it computes the
    keys of only the pages whose files changed."""
    from atlas.speed import incremental
    from atlas.site.write import built_from
    work = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, work)
    cache, out = tmp_path / "cache", tmp_path / "site"
    run(work, out, cache_dir=cache, jobs=jobs)
    keys, memo = incremental.PageCache(cache, out).load(built_from(out))
    assert memo is not None and memo.keys and memo.keys.items() <= keys.items()
    import hashlib
    import types
    digests: list[bytes] = []

    def blake2b(data: bytes = b"", **options):  # type: ignore[no-untyped-def]
        digests.append(data)
        return hashlib.blake2b(data, **options)
    monkeypatch.setattr(incremental, "hashlib", types.SimpleNamespace(blake2b=blake2b, sha256=hashlib.sha256))
    person = work / "people" / "guillaume-lample.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "# one\n", encoding="utf-8")
    run(work, out, cache_dir=cache, jobs=jobs)
    entity_pages = sum(1 for kind in ("people", "companies", "models") for _ in (out / kind).glob("*/index.html"))
    page_keys = len(digests) - 2  # the common and the whole-site digests are made once per build
    assert 0 < page_keys < entity_pages / 4


def test_a_corrupt_or_missing_page_cache_or_output_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "content"
    shutil.copytree(MINI, work)
    cache, out = tmp_path / "cache", tmp_path / "site"
    run(work, out, cache_dir=cache, jobs=1)
    expected = tree(out)
    for path in cache.glob("pages-*.pickle"):
        path.write_bytes(b"\x80\x05garbage")
    (work / "site.yaml").touch()  # a new fingerprint, so the build is not skipped as a no-op
    run(work, out, cache_dir=cache, jobs=1)
    assert tree(out) == expected
    rendered = _rendered(monkeypatch)
    (out / "people" / "alice" / "index.html").unlink()  # the output lost a file the cache knows
    (work / "site.yaml").touch()
    run(work, out, cache_dir=cache, jobs=1)
    assert tree(out) == expected
    assert "people/alice/index.html" in rendered


def _saved_page_keys(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dict[str, str], dict[str, object]]]:
    """What each build hands the page cache to save: its keys and its key memo's tables."""
    from atlas.speed import incremental
    saved: list[tuple[dict[str, str], dict[str, object]]] = []
    real = incremental.PageCache.save

    def recording(self, stamp, keys, memo=None):  # type: ignore[no-untyped-def]
        saved.append((dict(keys), {"common": memo.common, "out": dict(memo.out), "whole": dict(memo.whole),
                                   "files": dict(memo.files), "keys": dict(memo.keys)}))
        return real(self, stamp, keys, memo)
    monkeypatch.setattr(incremental.PageCache, "save", recording)
    return saved


def _loaded_page_keys(cache: Path, out: Path) -> tuple[dict[str, str], dict[str, object]]:
    from atlas.speed import incremental
    from atlas.site.write import built_from
    keys, memo = incremental.PageCache(cache, out).load(built_from(out))
    assert memo is not None
    return keys, {"common": memo.common, "out": memo.out, "whole": memo.whole, "files": memo.files, "keys": memo.keys}


def test_after_one_edit_the_page_cache_saves_a_small_delta_that_reads_back_whole(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, work)
    cache, out = tmp_path / "cache", tmp_path / "site"
    saved = _saved_page_keys(monkeypatch)
    run(work, out, cache_dir=cache, jobs=1)
    [base] = cache.glob("pages-*.pickle")
    first = base.read_bytes()
    assert _loaded_page_keys(cache, out) == saved[-1]
    for i, name in enumerate(["guillaume-lample", "timothee-lacroix", "guillaume-lample"]):
        person = work / "people" / f"{name}.yaml"
        text = person.read_text(encoding="utf-8")
        assert "\nbio: >-\n  " in text
        person.write_text(text.replace("\nbio: >-\n  ", f"\nbio: >-\n  Edit {i}. ", 1), encoding="utf-8")  # bios: no other page shows them
        run(work, out, cache_dir=cache, jobs=1)
        assert base.read_bytes() == first  # not written again
        [delta] = [path for path in cache.glob("pages-*.pickle") if path != base]
        assert delta.stat().st_size < len(first) / 5
        assert _loaded_page_keys(cache, out) == saved[-1]  # the base and its delta, read together
    # A delta made for another base is not applied: that base's keys come back, for
    # another fingerprint, so nothing is trusted and the pages are rendered again.
    shutil.copy(delta, tmp_path / "delta")
    (work / "site.yaml").touch()
    for path in cache.glob("pages-*.pickle"):
        path.unlink()
    rendered = _rendered(monkeypatch)
    run(work, out, cache_dir=cache, jobs=1)
    assert len(rendered) > 10
    [new_base] = cache.glob("pages-*.pickle")
    shutil.copy(tmp_path / "delta", delta)
    assert _loaded_page_keys(cache, out) == saved[-1]
    delta.write_bytes(b"\x80\x05garbage")  # a corrupt delta is only ignored as well
    assert _loaded_page_keys(cache, out) == saved[-1]


def test_a_page_cache_delta_holds_changed_and_dropped_entries(tmp_path: Path) -> None:
    from atlas.speed.incremental import KeyMemo, PageCache

    def tables(memo: KeyMemo) -> tuple[object, ...]:
        return memo.common, memo.out, memo.whole, memo.files, memo.keys
    cache, out = tmp_path / "cache", tmp_path / "site"
    memo = KeyMemo()
    memo.common = b"common"
    memo.out = {f"people/p{i}.yaml": {f"companies/c{i % 3}.yaml"} for i in range(40)}
    memo.whole = {f"people/p{i}.yaml": f"people/p{i}.yaml\0h{i}\n" for i in range(40)}
    memo.files = {f"people/p{i}/index.html": (f"people/p{i}.yaml",) for i in range(40)}
    memo.keys = {f"people/p{i}/index.html": f"k{i}" for i in range(40)}
    PageCache(cache, out).save("first", dict(memo.keys), memo)
    page_cache = PageCache(cache, out)
    keys, memo = page_cache.load("first")
    assert memo is not None and len(keys) == 40
    for table in (keys, memo.files, memo.keys):
        del table["people/p3/index.html"]
    del memo.out["people/p3.yaml"], memo.whole["people/p3.yaml"]
    keys["people/p4/index.html"] = memo.keys["people/p4/index.html"] = "changed"
    page_cache.save("second", keys, memo)
    assert len(list(cache.glob("pages-*.pickle"))) == 2  # the base and a delta
    again, memo_again = PageCache(cache, out).load("second")
    assert again == keys and memo_again is not None and tables(memo_again) == tables(memo)
    assert PageCache(cache, out).load("first") == ({}, None)  # the folder no longer holds that build
