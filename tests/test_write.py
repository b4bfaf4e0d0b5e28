"""The output folder is never damaged: atomic swaps, updates in place undone when killed, unsafe paths."""
from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atlas.site.write import MARKER, OutputError, safe_join, write_site
from conftest import SEED

ROOT = Path(__file__).resolve().parent.parent


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("rel", ["../evil.html", "/etc/passwd", "a/../../b.html", "a\\..\\b.html"])
def test_no_output_path_can_leave_the_output_folder(tmp_path: Path, rel: str) -> None:
    with pytest.raises(OutputError):
        safe_join(tmp_path, rel)


def test_a_failing_writer_leaves_the_previous_site_and_no_temporary_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")], None)

    def files():
        yield "index.html", b"new"
        raise RuntimeError("renderer crashed half-way")

    with pytest.raises(RuntimeError):
        write_site(out, files(), None)
    assert tree(out)["index.html"] == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _build(content: Path, out: Path, as_of: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out),
                             "--as-of", as_of, "--quiet"], cwd=ROOT)


def test_a_build_killed_at_any_moment_leaves_a_complete_site(tmp_path: Path) -> None:
    """Complete as the next build finds it: a kill in the milliseconds when an update in
    place moves its files is undone first (recover)."""
    from atlas.site.write import recover

    content = SEED
    out = tmp_path / "site"
    for as_of in ("2024-01-01", "2025-06-01"):
        assert _build(content, tmp_path / as_of, as_of).wait() == 0
    complete = {as_of: tree(tmp_path / as_of) for as_of in ("2024-01-01", "2025-06-01")}
    shutil.copytree(tmp_path / "2024-01-01", out)
    started = time.perf_counter()
    assert _build(content, tmp_path / "timing", "2025-06-01").wait() == 0
    duration = time.perf_counter() - started
    rng = random.Random(7)
    kills = 0
    for _ in range(8):
        target = rng.choice(("2024-01-01", "2025-06-01"))
        proc = _build(content, out, target)
        time.sleep(rng.uniform(0.05, duration))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        recover(out)
        now = tree(out)
        assert now in complete.values(), "site/ is neither the previous nor the new complete build"
    assert kills >= 3, "the build finished before most kills; the test did not exercise anything"


def test_unchanged_files_keep_their_modification_time(tmp_path: Path) -> None:
    import os

    out = tmp_path / "site"
    write_site(out, [("a.html", b"same"), ("b.html", b"old")], None)
    past = 1_000_000_000
    for name in ("a.html", "b.html"):
        os.utime(out / name, (past, past))
    write_site(out, [("a.html", b"same"), ("b.html", b"new")], None)
    assert (out / "a.html").stat().st_mtime == past
    assert (out / "b.html").stat().st_mtime != past
    assert (out / "b.html").read_bytes() == b"new"


def test_a_full_rebuild_rewrites_no_unchanged_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(ROOT / "tests" / "fixtures" / "mini" / "content", out, "2025-06-01").wait() == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    time.sleep(0.05)
    assert _build(ROOT / "tests" / "fixtures" / "mini" / "content", out, "2025-06-01").wait() == 0
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_a_kept_file_is_linked_or_else_made(tmp_path: Path) -> None:
    from atlas.site.write import Kept
    out = tmp_path / "site"
    write_site(out, [("a.html", b"old a")], None)
    before = (out / "a.html").stat().st_ino
    write_site(out, [("a.html", Kept(lambda: b"made a")), ("b.html", Kept(lambda: b"made b"))], None)
    assert (out / "a.html").read_bytes() == b"old a" and (out / "a.html").stat().st_ino == before
    assert (out / "b.html").read_bytes() == b"made b"  # nothing to keep: made


def test_a_staged_file_is_moved_in_or_linked_when_unchanged(tmp_path: Path) -> None:
    from atlas.site.write import Staged
    out = tmp_path / "site"
    write_site(out, [("a.json", b"same"), ("b.json", b"old")], None)
    before = (out / "a.json").stat().st_ino
    for name, data in (("a", b"same"), ("b", b"new")):
        (tmp_path / f"{name}.staged").write_bytes(data)
    write_site(out, [("a.json", Staged(str(tmp_path / "a.staged"))), ("b.json", Staged(str(tmp_path / "b.staged")))], None)
    assert (out / "a.json").stat().st_ino == before  # unchanged: the old file, linked
    assert (out / "b.json").read_bytes() == b"new"
    assert not (tmp_path / "a.staged").exists() and not (tmp_path / "b.staged").exists()


# A previous build brought up to date: in place when few files change, else swapped whole


def _site(n: int) -> list[tuple[str, bytes]]:
    return [(f"p{i}/index.html", f"page {i}".encode()) for i in range(n)]


def test_a_few_changes_are_made_in_place_and_many_by_a_swap(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, _site(40), None, "one")
    folder = out.stat().st_ino
    few = _site(40)
    few[3] = ("p3/index.html", b"edited")
    write_site(out, few[:-1], None, "two")  # one file changed, one gone: a tenth at most
    assert out.stat().st_ino == folder, "the folder was swapped for two changed files"
    assert tree(out) == {**dict(few[:-1]), MARKER: tree(out)[MARKER]}
    many = [(rel, b"all new") for rel, _ in _site(40)]
    write_site(out, many, None, "three")
    assert out.stat().st_ino != folder, "most files changed, yet the folder was updated in place"
    assert {rel: data for rel, data in tree(out).items() if rel != MARKER} == dict(many)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _killed_midway(out: Path, files: list[tuple[str, bytes]], moved: int) -> None:
    """Run write_site in a child that is killed (os._exit) after `moved` files were moved in."""
    import os

    import atlas.site.write as write_module

    pid = os.fork()
    if pid == 0:
        real, count = os.replace, [0]

        def replace(src: str, dst: str) -> None:
            if not dst.endswith(MARKER):
                if count[0] == moved:
                    os._exit(9)  # as SIGKILL: no cleanup at all
                count[0] += 1
            real(src, dst)

        write_module.os.replace = replace  # type: ignore[assignment]  # this child only
        try:
            write_site(out, files, None, "two")
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 9, "the child was not killed midway"


def test_an_update_killed_midway_is_undone_by_the_next_build(tmp_path: Path) -> None:
    from atlas.site.write import built_from, recover

    out = tmp_path / "site"
    write_site(out, _site(40), None, "one")
    before = tree(out)
    edited = _site(40)[:-1] + [("new/index.html", b"new page")]
    edited[0] = ("p0/index.html", b"edited 0")
    edited[1] = ("p1/index.html", b"edited 1")
    _killed_midway(out, edited, moved=2)
    assert tree(out) != before, "the kill came before anything moved: nothing was tested"
    assert built_from(out) is None, "a half-updated folder passes for a finished build"
    recover(out)  # what the next build does first
    assert tree(out) == before
    assert built_from(out) == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_update_stopped_by_an_error_midway_is_undone_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import atlas.site.write as write_module

    out = tmp_path / "site"
    write_site(out, _site(40), None, "one")
    before = tree(out)
    real, count = os.replace, [0]

    def replace(src: str, dst: str) -> None:
        if not dst.endswith(MARKER):
            count[0] += 1
            if count[0] == 2:
                raise KeyboardInterrupt  # Ctrl-C, had it not been held off
        real(src, dst)

    monkeypatch.setattr(write_module.os, "replace", replace)
    edited = _site(40)
    edited[0], edited[1] = ("p0/index.html", b"edited 0"), ("p1/index.html", b"edited 1")
    with pytest.raises(KeyboardInterrupt):
        write_site(out, edited, None, "two")
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_hard_links_an_update_is_swapped_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import atlas.site.write as write_module

    out = tmp_path / "site"
    write_site(out, _site(40), None, "one")

    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError("hard links are not supported here")

    monkeypatch.setattr(write_module.os, "link", no_link)
    edited = _site(40)
    edited[5] = ("p5/index.html", b"edited")
    write_site(out, edited, None, "two")
    assert {rel: data for rel, data in tree(out).items() if rel != MARKER} == dict(edited)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_ctrl_c_waits_for_the_files_to_be_moved_in() -> None:
    # In a new process: it must have one thread, as the command line has.
    code = """
import os, signal, time
from atlas.site.write import _signals_held
finished = False
try:
    with _signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        finished = True
except KeyboardInterrupt:
    print("interrupted after" if finished else "interrupted before")
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "interrupted after", result.stdout + result.stderr


def test_an_update_never_writes_through_a_link_put_in_the_site(tmp_path: Path) -> None:
    import os

    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_site(out, _site(40), None, "one")
    (out / "p7" / "index.html").unlink()
    (out / "p7").rmdir()
    os.symlink(elsewhere, out / "p7")  # by hand, between two builds
    edited = _site(40)
    edited[7] = ("p7/index.html", b"edited")
    write_site(out, edited, None, "two")
    assert list(elsewhere.iterdir()) == []
    assert not (out / "p7").is_symlink() and (out / "p7" / "index.html").read_bytes() == b"edited"


def test_a_damaged_undo_journal_does_not_stop_the_next_build(tmp_path: Path) -> None:
    from atlas.site.write import recover

    out = tmp_path / "site"
    write_site(out, _site(40), None, "one")
    undo = tmp_path / ".site.undo-damaged"
    undo.mkdir()
    (undo / "journal.json").write_text('[["p0/index.html", "0"], ')
    recover(out)
    assert not undo.exists()
    edited = _site(40)
    edited[0] = ("p0/index.html", b"edited")
    write_site(out, edited, None, "two")
    assert (out / "p0" / "index.html").read_bytes() == b"edited"
