"""bench/split.py: its partial builds leave out what they say, and only that.

If the build stopped rendering pages through atlas.build.render_page, split.py would
time full builds and call them partial; these tests would then fail."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini" / "content"


def build(tmp_path: Path, name: str, *cmd: str) -> dict[str, bytes]:
    out = tmp_path / name
    done = subprocess.run([sys.executable, *cmd, "--content", str(MINI), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache-{name}")})
    assert done.returncode == 0, done.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("mode", ["templates", "pages"])
def test_a_partial_build_writes_every_file_with_empty_pages(tmp_path: Path, mode: str) -> None:
    full = build(tmp_path, "full", str(ROOT / "build.py"))
    partial = build(tmp_path, mode, str(ROOT / "bench" / "split.py"), mode, "--")
    assert sorted(partial) == sorted(full)
    pages = [path for path in full if path.endswith(".html") and not path.startswith("static/")]
    assert len(pages) > 20 and all(full[path] for path in pages)
    assert [path for path in pages if partial[path]] == []  # no page template ran
    # Everything else is made as in a full build: downloads, feed, sitemap, static files.
    others = [path for path in full if path not in pages and not path.startswith(".talent-atlas")]
    assert "data/atlas.json" in others and "feed.xml" in others
    assert [path for path in others if partial[path] != full[path]] == []


def test_split_refuses_an_unknown_mode() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "split.py"), "everything", "--", "--quiet"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "usage: split.py" in done.stderr
