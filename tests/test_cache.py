"""The entity cache gives the same Site, and a corrupt or foreign cache is only a miss."""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from atlas.speed import cache as cache_module
from atlas.speed.cache import EntityCache, fingerprint
from atlas.content.folder import load_site
from atlas.errors import ContentError
from atlas.model.records import NO_LOCS
from conftest import SEED

ROOT = Path(__file__).resolve().parent.parent
CONTENT = SEED


def test_a_warm_cache_gives_the_same_site(tmp_path: Path) -> None:
    plain = load_site(CONTENT)
    cold = load_site(CONTENT, cache=EntityCache(tmp_path))
    warm_cache = EntityCache(tmp_path)
    assert warm_cache.entries, "the first load saved nothing"
    warm = load_site(CONTENT, cache=warm_cache)
    assert plain == cold == warm
    # Locations are not kept (they only place errors, below), nor are they compared.
    assert warm.people["guillaume-lample"].career[0].locs is NO_LOCS
    assert cold.people["guillaume-lample"].career[0].locs == plain.people["guillaume-lample"].career[0].locs


@pytest.mark.parametrize("change", ["files gone", "parent cycle"])
def test_errors_in_files_read_back_from_the_cache_name_their_lines(tmp_path: Path, change: str) -> None:
    """Files unchanged since the cached build come back without locations; when their
    references break, the problems still name the line, as without a cache."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    load_site(content, cache=EntityCache(tmp_path / "c"))
    if change == "files gone":  # referred to by unchanged people, models and companies
        (content / "companies" / "mistral-ai.yaml").unlink()
        (content / "people" / "hugo-touvron.yaml").unlink()
    else:  # meta-fair, unchanged, names meta as its parent
        meta = content / "companies" / "meta.yaml"
        meta.write_text(meta.read_text(encoding="utf-8") + "parent: meta-fair\n", encoding="utf-8")
    with pytest.raises(ContentError) as cached:
        load_site(content, cache=EntityCache(tmp_path / "c"))
    with pytest.raises(ContentError) as plain:
        load_site(content)
    assert len(cached.value.problems) >= 2
    assert cached.value.problems == plain.value.problems
    assert all(problem.loc.line for problem in cached.value.problems)


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


# After a few changes only a delta is written beside the cache


def _edit(content: Path, slugs: list[str]) -> None:
    for slug in slugs:
        path = content / "people" / f"{slug}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("\nname: ", "\nname: Edited ", 1), encoding="utf-8")


def _people(content: Path) -> list[str]:
    return sorted(p.stem for p in (content / "people").glob("*.yaml"))


def _cached_copy(tmp_path: Path) -> tuple[Path, Path, Path, bytes]:
    """A copy of the content, loaded once with a cache: (content, cache folder, the cache
    file, its bytes)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    cache = tmp_path / "c"
    load_site(content, cache=EntityCache(cache))
    [base] = list(cache.glob("entities-*.pickle"))
    return content, cache, base, base.read_bytes()


def test_after_one_edit_only_a_small_delta_is_written(tmp_path: Path) -> None:
    content, cache, base, saved = _cached_copy(tmp_path)
    for slug in _people(content)[:3]:
        _edit(content, [slug])
        warm = EntityCache(cache)
        assert load_site(content, cache=warm) == load_site(content)
        assert len(warm.used) - len(set(warm.used) & set(warm.entries)) == 1, "more than the edited file was parsed"
        [delta] = list(cache.glob("entities-*.delta.pickle"))
        assert base.read_bytes() == saved, "the whole cache was written again after one edit"
        assert delta.stat().st_size < len(saved) / 5
    assert load_site(content, cache=EntityCache(cache)) == load_site(content)  # base and delta, read together


def test_many_edits_write_the_whole_cache_again(tmp_path: Path) -> None:
    content, cache, base, saved = _cached_copy(tmp_path)
    _edit(content, _people(content)[:20])  # more than a tenth of the files
    load_site(content, cache=EntityCache(cache))
    assert base.read_bytes() != saved
    assert not list(cache.glob("entities-*.delta.pickle"))
    assert load_site(content, cache=EntityCache(cache)) == load_site(content)


def test_a_corrupt_delta_or_one_made_for_another_cache_is_ignored(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for cache in (tmp_path / "c", tmp_path / "other"):
        load_site(content, cache=EntityCache(cache))
    _edit(content, _people(content)[:1])
    load_site(content, cache=EntityCache(tmp_path / "other"))
    [foreign] = list((tmp_path / "other").glob("entities-*.delta.pickle"))
    [base] = list((tmp_path / "c").glob("entities-*.pickle"))
    delta = base.with_name(foreign.name)
    shutil.copy(foreign, delta)  # same name, but made from the other base file
    ignored = EntityCache(tmp_path / "c")
    assert ignored.entries and ignored.entries.keys() <= ignored.store.base.keys(), "the other cache's delta was applied"
    assert load_site(content, cache=EntityCache(tmp_path / "c")) == load_site(content)
    delta.write_bytes(b"\x80\x05 truncated")
    assert EntityCache(tmp_path / "c").entries
    assert load_site(content, cache=EntityCache(tmp_path / "c")) == load_site(content)


def test_the_code_version_changes_when_a_library_is_reinstalled(tmp_path: Path, monkeypatch) -> None:
    import importlib.machinery
    import os

    package = tmp_path / "jinja2"
    package.mkdir()
    (package / "__init__.py").write_text("__version__ = '3.1.6'\n")
    real = cache_module.importlib.util.find_spec

    def find_spec(name: str):  # type: ignore[no-untyped-def]
        if name == "jinja2":
            return importlib.machinery.ModuleSpec(name, None, origin=str(package / "__init__.py"))
        return real(name)
    monkeypatch.setattr(cache_module.importlib.util, "find_spec", find_spec)

    def version() -> str:
        cache_module.code_version.cache_clear()
        return cache_module.code_version()
    first = version()
    assert version() == first
    os.utime(package / "__init__.py", ns=(1, 1))  # the same file, put back by another install
    assert version() != first
    cache_module.code_version.cache_clear()
