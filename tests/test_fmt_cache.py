"""check's canonical-form test remembers canonical files, and survives a bad cache."""
from __future__ import annotations

import shutil
from pathlib import Path

from atlas.commands import fmt

MINI = Path(__file__).parent / "fixtures" / "mini" / "content"


def test_canonical_files_are_remembered_and_edits_are_seen(tmp_path: Path, monkeypatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    fmt.format_content(content)
    cache = tmp_path / "cache"
    assert fmt.unformatted(content, cache) == []
    calls = []
    real = fmt.format_text
    monkeypatch.setattr(fmt, "format_text", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    assert fmt.unformatted(content, cache) == []
    assert calls == []  # every file was known canonical
    path = content / "people" / "alice.yaml"
    path.write_text(path.read_text().replace("summary: Stayed at the lab.\n", "") + "summary: Stayed.\n")
    assert fmt.unformatted(content, cache) == ["people/alice.yaml"]
    assert calls == ["people/alice.yaml"]


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    fmt.format_content(content)
    cache = tmp_path / "cache"
    cache.mkdir()
    fmt._cache_file(cache).write_bytes(b"\xff\xfe not a cache")
    assert fmt.unformatted(content, cache) == []
