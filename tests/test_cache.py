"""The entity cache gives the same Site, and a corrupt or foreign cache is only a miss."""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from atlas import cache as cache_module
from atlas.cache import EntityCache, fingerprint
from atlas.content import load_site

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def test_a_warm_cache_gives_the_same_site(tmp_path: Path) -> None:
    plain = load_site(CONTENT)
    cold = load_site(CONTENT, cache=EntityCache(tmp_path))
    warm_cache = EntityCache(tmp_path)
    assert warm_cache.entries, "the first load saved nothing"
    warm = load_site(CONTENT, cache=warm_cache)
    assert plain == cold == warm
    assert warm.people["guillaume-lample"].career[0].locs == plain.people["guillaume-lample"].career[0].locs


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    load_site(content, cache=EntityCache(tmp_path / "c"))
    path = content / "people" / "hugo-touvron.yaml"
    path.write_text(path.read_text().replace("name: Hugo Touvron", "name: Hugo Touvron Jr"))
    assert load_site(content, cache=EntityCache(tmp_path / "c")).people["hugo-touvron"].name == "Hugo Touvron Jr"


def test_a_corrupt_cache_is_discarded(tmp_path: Path) -> None:
    load_site(CONTENT, cache=EntityCache(tmp_path))
    [saved] = list(tmp_path.glob("entities-*.pickle"))
    saved.write_bytes(b"\x80\x05 truncated")
    assert EntityCache(tmp_path).entries == {}
    assert load_site(CONTENT, cache=EntityCache(tmp_path)) == load_site(CONTENT)


def test_a_cache_of_another_code_version_is_not_read(tmp_path: Path, monkeypatch) -> None:
    load_site(CONTENT, cache=EntityCache(tmp_path))
    [saved] = list(tmp_path.glob("entities-*.pickle"))
    entries = pickle.loads(saved.read_bytes())
    assert entries
    monkeypatch.setattr(cache_module, "code_version", lambda: "another-version")
    assert EntityCache(tmp_path).entries == {}


def test_fingerprint_changes_with_content_and_options(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: A\n")
    first = fingerprint([tmp_path], ["as_of=2025-06-01"])
    assert fingerprint([tmp_path], ["as_of=2025-06-01"]) == first
    assert fingerprint([tmp_path], ["as_of=2024-01-01"]) != first
    (tmp_path / "a.yaml").write_text("name: B\n")
    assert fingerprint([tmp_path], ["as_of=2025-06-01"]) != first
