"""The output folder is never damaged: atomic swaps, kills mid-build, unsafe paths."""
from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atlas.write import OutputError, safe_join, write_site

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
    content = ROOT / "content"
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
    from atlas.write import Kept
    out = tmp_path / "site"
    write_site(out, [("a.html", b"old a")], None)
    before = (out / "a.html").stat().st_ino
    write_site(out, [("a.html", Kept(lambda: b"made a")), ("b.html", Kept(lambda: b"made b"))], None)
    assert (out / "a.html").read_bytes() == b"old a" and (out / "a.html").stat().st_ino == before
    assert (out / "b.html").read_bytes() == b"made b"  # nothing to keep: made


def test_a_staged_file_is_moved_in_or_linked_when_unchanged(tmp_path: Path) -> None:
    from atlas.write import Staged
    out = tmp_path / "site"
    write_site(out, [("a.json", b"same"), ("b.json", b"old")], None)
    before = (out / "a.json").stat().st_ino
    for name, data in (("a", b"same"), ("b", b"new")):
        (tmp_path / f"{name}.staged").write_bytes(data)
    write_site(out, [("a.json", Staged(str(tmp_path / "a.staged"))), ("b.json", Staged(str(tmp_path / "b.staged")))], None)
    assert (out / "a.json").stat().st_ino == before  # unchanged: the old file, linked
    assert (out / "b.json").read_bytes() == b"new"
    assert not (tmp_path / "a.staged").exists() and not (tmp_path / "b.staged").exists()
