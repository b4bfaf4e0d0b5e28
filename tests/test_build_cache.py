"""Builds with the cache: identical output, no-op rebuilds, edits seen, corruption survived."""
from __future__ import annotations

import shutil
from pathlib import Path

from atlas.build import run
from atlas.site.write import MARKER
from conftest import SEED

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini" / "content"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MARKER}


def test_output_is_identical_with_and_without_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(SEED, tmp_path / "cold", cache_dir=cache)
    assert list(cache.glob("entities-*.pickle"))
    run(SEED, tmp_path / "warm", cache_dir=cache)  # entities come from the cache
    run(SEED, tmp_path / "plain")
    assert tree(tmp_path / "cold") == tree(tmp_path / "warm") == tree(tmp_path / "plain")


def test_an_output_folder_whose_parents_do_not_exist_yet_is_made(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(MINI, tmp_path / "a" / "b" / "site", cache_dir=cache)
    run(MINI, tmp_path / "plain")
    assert tree(tmp_path / "a" / "b" / "site") == tree(tmp_path / "plain")
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["site"]


def test_a_rebuild_with_nothing_changed_does_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "site"
    first = run(MINI, out, cache_dir=cache)
    assert not first.unchanged
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    second = run(MINI, out, cache_dir=cache)
    assert second.unchanged and second.pages == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes


def test_an_edit_or_another_option_rebuilds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    cache = tmp_path / "cache"
    out = tmp_path / "site"
    run(content, out, cache_dir=cache)
    assert not run(content, out, cache_dir=cache, base_url="/sub/").unchanged
    path = content / "people" / "alice.yaml"
    path.write_text(path.read_text().replace("Alice Émile", "Alice Émilie"))
    assert not run(content, out, cache_dir=cache, base_url="/sub/").unchanged
    assert "Alice Émilie" in (out / "people" / "alice" / "index.html").read_text()


def test_a_corrupt_cache_is_discarded_not_fatal(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(MINI, tmp_path / "a", cache_dir=cache)
    for path in cache.glob("*"):
        path.write_bytes(b"\x00garbage")
    run(MINI, tmp_path / "b", cache_dir=cache)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def _count_compiles(monkeypatch) -> list[str]:
    import jinja2

    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_compiled_templates_are_kept_in_the_cache(tmp_path: Path, monkeypatch) -> None:
    compiled = _count_compiles(monkeypatch)
    cache = tmp_path / "cache"
    run(MINI, tmp_path / "a", cache_dir=cache, jobs=1)
    assert "person.html" in compiled and len(list(cache.glob("templates-*.pickle"))) == 1
    compiled.clear()
    run(MINI, tmp_path / "b", cache_dir=cache, jobs=1)  # a new folder: every page is rendered again
    assert compiled == []
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_an_edited_template_is_compiled_again(tmp_path: Path, monkeypatch) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    cache, out = tmp_path / "cache", tmp_path / "site"
    run(MINI, out, cache_dir=cache, templates_dir=templates, jobs=1)
    page = templates / "person.html"
    page.write_text(page.read_text().replace('<p class="kind">Person</p>', '<p class="kind">Person, edited</p>'))
    compiled = _count_compiles(monkeypatch)
    run(MINI, out, cache_dir=cache, templates_dir=templates, jobs=1)
    assert compiled == ["person.html"]
    assert "Person, edited" in (out / "people" / "alice" / "index.html").read_text()


def test_unreadable_compiled_templates_are_compiled_again(tmp_path: Path, monkeypatch) -> None:
    import pickle

    import jinja2.bccache

    cache = tmp_path / "cache"
    run(MINI, tmp_path / "a", cache_dir=cache, jobs=1)
    (path,) = cache.glob("templates-*.pickle")
    stored = pickle.loads(path.read_bytes())
    magic = len(jinja2.bccache.bc_magic)
    # Cut short, some after Jinja's header (its checksum then fails to unpickle).
    path.write_bytes(pickle.dumps({key: code[: len(code) // 3] if i % 2 else code[:magic] + b"\xff\x00"
                                   for i, (key, code) in enumerate(stored.items())}))
    compiled = _count_compiles(monkeypatch)
    run(MINI, tmp_path / "b", cache_dir=cache, jobs=1)
    assert "person.html" in compiled
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert pickle.loads(path.read_bytes()).keys() == stored.keys()  # and saved whole again


def test_cname_is_written_when_set(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "cname: atlas.example.org\n")
    run(content, tmp_path / "site")
    assert (tmp_path / "site" / "CNAME").read_text() == "atlas.example.org\n"
    run(MINI, tmp_path / "plain")
    assert not (tmp_path / "plain" / "CNAME").exists()


def test_the_command_line_skips_an_unchanged_build(tmp_path: Path, monkeypatch, capsys) -> None:
    from atlas.commands.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "site"
    assert main(["--content", str(MINI), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("built ")
    assert main(["--content", str(MINI), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("nothing changed since the build in")
    assert main(["--content", str(MINI), "--out", str(out), "--no-cache"]) == 0
    assert capsys.readouterr().out.startswith("built ")


def test_progress_is_reported_through_every_stage(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    run(MINI, tmp_path / "site", progress=lambda *a: seen.append(a))
    assert [s for s, _, _ in seen][:2] == ["loading", "computing"]
    assert seen[-1][0] == "rendering" and seen[-1][1] == seen[-1][2] > 0


def test_a_rebuild_puts_back_files_deleted_by_hand_and_removes_strays(tmp_path: Path, monkeypatch) -> None:
    """The previous build's files are listed at the start (on another core); the writer
    then neither walks the folder nor looks at each kept file, and still sees hand edits."""
    import atlas.site.write as write_module

    content = tmp_path / "content"
    shutil.copytree(SEED, content)
    cache, out = tmp_path / "cache", tmp_path / "site"
    run(content, out, cache_dir=cache)
    (out / "people" / "hugo-touvron" / "index.html").unlink()
    (out / "people" / "stray.html").write_text("put here by hand")
    path = content / "people" / "guillaume-lample.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nname: ", "\n# edited\nname: ", 1), encoding="utf-8")
    walked: list[str] = []
    real = write_module._files
    monkeypatch.setattr(write_module, "_files", lambda root: walked.append(root) or real(root))
    looked: list[str] = []
    real_regular = write_module._regular
    monkeypatch.setattr(write_module, "_regular", lambda path, *size: looked.append(path) or real_regular(path, *size))
    run(content, out, cache_dir=cache)
    from atlas.speed.parallel import can_fork
    # Listed once, by a forked child (whose calls are not seen here) or here where it cannot fork.
    assert walked == ([] if can_fork() else [str(out)]), "the writer walked the folder again"
    files = sum(1 for p in out.rglob("*") if p.is_file())
    assert len(looked) < files // 2, f"{len(looked)} of {files} files looked at: kept ones too"  # before: all
    run(content, tmp_path / "plain")
    assert tree(out) == tree(tmp_path / "plain")


def test_the_loader_takes_the_files_and_stats_the_fingerprint_listed(tmp_path: Path) -> None:
    """A build reads the content its fingerprint describes: the entries the fingerprint
    listed are not listed nor looked at again, so a file edited in between (within a
    build's first fraction of a second) is seen by the next build, whose fingerprint differs."""
    import os

    from atlas.speed.cache import EntityCache, build_fingerprint
    from atlas.content.folder import load_site

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    for path in content.rglob("*.yaml"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # older than the racy window: stats trusted
    cache = tmp_path / "cache"
    run(content, tmp_path / "site", cache_dir=cache)

    def fingerprint(found: dict) -> str:
        return build_fingerprint(content, ROOT / "templates", ROOT / "static", None, None, found)

    found: dict = {}
    before = fingerprint(found)
    assert {"", "people", "companies", "models"} <= found.keys()
    alice = content / "people" / "alice.yaml"
    alice.write_text(alice.read_text().replace("Alice Émile", "Alice Émilie"))
    os.utime(alice, ns=(2_000_000_000, 2_000_000_000))
    assert fingerprint({}) != before
    assert load_site(content, cache=EntityCache(cache), found=found).people["alice"].name == "Alice Émile"
    assert load_site(content, cache=EntityCache(cache)).people["alice"].name == "Alice Émilie"


def test_entries_from_the_fingerprint_give_the_same_problems_as_a_listing(tmp_path: Path) -> None:
    import os

    import pytest

    from atlas.speed.cache import build_fingerprint
    from atlas.content.folder import load_site
    from atlas.errors import ContentError

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    people = content / "people"
    (people / "Bad Name.yaml").write_text("name: X\n")
    (people / "bob.yml").write_text("name: Bob\n")
    (people / "notes.txt").write_text("x\n")
    (people / "sub").mkdir()
    os.symlink(people / "alice.yaml", people / "alias.yaml")
    shutil.rmtree(content / "claims", ignore_errors=True)
    os.symlink(content / "models", content / "claims")  # a linked folder: the fingerprint does not go in

    def problems(**kwargs) -> list[str]:
        with pytest.raises(ContentError) as err:
            load_site(content, **kwargs)
        return [str(p) for p in err.value.problems]

    found: dict = {}
    build_fingerprint(content, ROOT / "templates", ROOT / "static", None, None, found)
    assert "people" in found and "claims" not in found
    expected = problems()
    assert len(expected) >= 6
    assert problems(found=found) == expected


def test_build_py_ends_at_once_with_its_output_and_exit_status(tmp_path: Path) -> None:
    """build.py ends its process without the interpreter's teardown (os._exit): what it
    printed still arrives whole, through a pipe, and its status is the command's."""
    import os
    import subprocess
    import sys

    def build(content: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out",
                               str(tmp_path / "site")], capture_output=True, text=True, timeout=120,
                              env={**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
                                   "XDG_CACHE_HOME": str(tmp_path / "cache")})

    done = build(MINI)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built ") and done.stdout.endswith("s\n")
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    (broken / "people" / "alice.yaml").write_text("name: [unclosed\n")
    failed = build(broken)
    assert failed.returncode == 1
    assert "people/alice.yaml:2:1: YAML syntax error" in failed.stderr
    assert failed.stderr.endswith("1 problem found; nothing was written.\n")
