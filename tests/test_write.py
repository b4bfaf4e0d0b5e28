"""The output folder is never damaged: a fresh folder swapped in whole, unsafe paths refused."""
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
    """The files of a built site (its marker, which names the build, left out)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != MARKER}


@pytest.mark.parametrize("rel", ["../evil.html", "/etc/passwd", "a/../../b.html", "a\\..\\b.html"])
def test_no_output_path_can_leave_the_output_folder(tmp_path: Path, rel: str) -> None:
    with pytest.raises(OutputError):
        safe_join(tmp_path, rel)


def test_a_failing_writer_leaves_the_previous_site_and_no_temporary_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, [("index.html", b"old")], ())

    def files():
        yield "index.html", b"new"
        raise RuntimeError("renderer crashed half-way")

    with pytest.raises(RuntimeError):
        write_site(out, files(), ())
    assert tree(out)["index.html"] == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _build(content: Path, out: Path, as_of: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out),
                             "--as-of", as_of, "--quiet"], cwd=ROOT)


def test_a_build_killed_at_any_moment_leaves_a_complete_site(tmp_path: Path) -> None:
    """Complete as the next build finds it: a kill in the milliseconds when an update in
    place moves its files is undone first (recover)."""
    from atlas.speed.update import recover

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
