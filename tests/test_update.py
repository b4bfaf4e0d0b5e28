"""The speed layer's writer: a previous build brought up to date, touching only what
changed, in place under an undo journal when few files change, else swapped whole."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atlas.site.write import MARKER, write_site
from atlas.speed import update as update_module
from atlas.speed.cached import built_from
from atlas.speed.update import files_under, recover, update_site

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini" / "content"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def site(n: int) -> list[tuple[str, bytes]]:
    return [(f"p{i}/index.html", f"page {i}".encode()) for i in range(n)]


def update(out: Path, made: list[tuple[str, bytes]], kept: list[str] = (), note: str = "") -> int:  # type: ignore[assignment]
    return update_site(out, made, kept, None, files_under(str(out)), note)


def test_unchanged_files_keep_their_modification_time(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("a.html", b"same"), ("b.html", b"old"), ("c.html", b"kept")], None)
    past = 1_000_000_000
    for name in ("a.html", "b.html", "c.html"):
        os.utime(out / name, (past, past))
    update(out, [("a.html", b"same"), ("b.html", b"new")], ["c.html"])
    assert (out / "a.html").stat().st_mtime == past and (out / "c.html").stat().st_mtime == past
    assert (out / "b.html").stat().st_mtime != past
    assert (out / "b.html").read_bytes() == b"new"


def test_a_rebuild_with_one_edit_rewrites_no_other_page(tmp_path: Path) -> None:
    import shutil

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(MINI, content)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    build = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--quiet"]
    assert subprocess.run(build, env=env).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != MARKER}
    time.sleep(0.05)
    bob = content / "people" / "bob.yaml"
    bob.write_text(bob.read_text(encoding="utf-8").replace("Co-founded", "Co-founded and ran"), encoding="utf-8")
    assert subprocess.run(build, env=env).returncode == 0
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != MARKER}
    assert {p for p in after if after[p] != before.get(p)} == {out / "people" / "bob" / "index.html", out / "data" / "atlas.json"}


def test_a_few_changes_are_made_in_place_and_many_by_a_swap(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, site(40), None)
    folder = out.stat().st_ino
    few = site(40)
    few[3] = ("p3/index.html", b"edited")
    update(out, [few[3]], [rel for rel, _ in few[:-1] if rel != "p3/index.html"], "two")  # one changed, one gone
    assert out.stat().st_ino == folder, "the folder was swapped for two changed files"
    assert {rel: data for rel, data in tree(out).items() if rel != MARKER} == dict(few[:-1])
    many = [(rel, b"all new") for rel, _ in site(40)]
    update(out, many, [], "three")
    assert out.stat().st_ino != folder, "most files changed, yet the folder was updated in place"
    assert {rel: data for rel, data in tree(out).items() if rel != MARKER} == dict(many)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _killed_midway(out: Path, made: list[tuple[str, bytes]], kept: list[str], moved: int) -> None:
    """Run update_site in a child that is killed (as by SIGKILL) after `moved` files were moved in."""
    pid = os.fork()
    if pid == 0:
        real, count = os.replace, [0]

        def replace(src: str, dst: str) -> None:
            if not dst.endswith(MARKER):
                if count[0] == moved:
                    os._exit(9)  # as SIGKILL: no cleanup at all
                count[0] += 1
            real(src, dst)

        update_module.os.replace = replace  # type: ignore[assignment]  # this child only
        try:
            update(out, made, kept, "inputs two")
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 9, "the child was not killed midway"


def test_an_update_killed_midway_is_undone_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, site(40), None, "inputs one")
    before = tree(out)
    made = [("p0/index.html", b"edited 0"), ("p1/index.html", b"edited 1"), ("new/index.html", b"new page")]
    kept = [rel for rel, _ in site(39)[2:]]
    _killed_midway(out, made, kept, moved=2)
    assert tree(out) != before, "the kill came before anything moved: nothing was tested"
    assert built_from(out) is None, "a half-updated folder passes for a finished build"
    recover(out)  # what the next build does first
    assert tree(out) == before
    assert built_from(out) == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_update_stopped_by_an_error_midway_is_undone_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    write_site(out, site(40), None)
    before = tree(out)
    real, count = os.replace, [0]

    def replace(src: str, dst: str) -> None:
        if not dst.endswith(MARKER):
            count[0] += 1
            if count[0] == 2:
                raise KeyboardInterrupt  # Ctrl-C, had it not been held off
        real(src, dst)

    monkeypatch.setattr(update_module.os, "replace", replace)
    made = [("p0/index.html", b"edited 0"), ("p1/index.html", b"edited 1")]
    with pytest.raises(KeyboardInterrupt):
        update(out, made, [rel for rel, _ in site(40)[2:]])
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_hard_links_an_update_is_swapped_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    write_site(out, site(40), None)

    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError("hard links are not supported here")

    monkeypatch.setattr(update_module.os, "link", no_link)
    edited = site(40)
    edited[5] = ("p5/index.html", b"edited")
    update(out, [edited[5]], [rel for rel, _ in edited if rel != "p5/index.html"])
    assert {rel: data for rel, data in tree(out).items() if rel != MARKER} == dict(edited)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_ctrl_c_waits_for_the_files_to_be_moved_in() -> None:
    # In a new process: it must have one thread, as the command line has.
    code = """
import os, signal, time
from atlas.speed.update import signals_held
finished = False
try:
    with signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        finished = True
except KeyboardInterrupt:
    print("interrupted after" if finished else "interrupted before")
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "interrupted after", result.stdout + result.stderr


def test_an_update_never_writes_through_a_link_put_in_the_site(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_site(out, site(40), None)
    (out / "p7" / "index.html").unlink()
    (out / "p7").rmdir()
    os.symlink(elsewhere, out / "p7")  # by hand, between two builds
    update(out, [("p7/index.html", b"edited")], [rel for rel, _ in site(40) if rel != "p7/index.html"])
    assert list(elsewhere.iterdir()) == []
    assert not (out / "p7").is_symlink() and (out / "p7" / "index.html").read_bytes() == b"edited"


def test_a_damaged_undo_journal_does_not_stop_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, site(40), None)
    undo = tmp_path / ".site.undo-damaged"
    undo.mkdir()
    (undo / "journal.json").write_text('[["p0/index.html", "0"], ')
    recover(out)
    assert not undo.exists()
    update(out, [("p0/index.html", b"edited")], [rel for rel, _ in site(40)[1:]])
    assert (out / "p0" / "index.html").read_bytes() == b"edited"
