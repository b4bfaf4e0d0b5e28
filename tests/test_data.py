"""atlas.json is written in pieces; the pieces make the same bytes as one json.dumps."""
from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import Path
from typing import Any

import pytest

from atlas.build import load
from atlas.site.data import atlas_json, atlas_json_chunks
from atlas.model.dates import PartialDate
from atlas.model.records import Money, Tenure
from atlas.site.urls import Urls, entity_path
from conftest import SEED

HERE = Path(__file__).parent


def _plain(value: Any) -> Any:
    """The model value as plain JSON values: how atlas.json was first written, kept as the reference."""
    if type(value) in (str, int, float, bool):
        return value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Money):
        return {"amount": f"{value.amount.normalize():f}", "currency": value.currency}
    if isinstance(value, Tenure):
        return value.text
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value):
        fields = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in ("locs", "src_path"))
        return {name: _plain(v) for name, v in fields if v not in (None, "", (), [])}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _whole(site: Any, urls: Urls) -> bytes:
    def table(kind: str, items: dict[str, Any]) -> list[Any]:
        return [{**_plain(items[s]), "url": urls.absolute(entity_path(kind, s))} for s in sorted(items)]
    data = {"as_of": site.config.as_of.isoformat(), "title": site.config.title,
            "companies": table("company", site.companies), "people": table("person", site.people),
            "models": table("model", site.models), "claims": [_plain(site.claims[s]) for s in sorted(site.claims)]}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@pytest.mark.parametrize("content", [SEED, HERE / "fixtures" / "mini" / "content"], ids=["default", "mini"])
@pytest.mark.parametrize("empty", [None, "claims", "models"])
def test_atlas_json_in_pieces_equals_one_dump(content: Path, empty: str | None) -> None:
    site = load(content).site
    if empty:
        site = dataclasses.replace(site, **{empty: {}})  # an empty list is written '[]'
    urls = Urls(site.config.base_url)
    assert atlas_json(site, urls) == _whole(site, urls)
    assert len(list(atlas_json_chunks(site, urls))) > 2
    json.loads(atlas_json(site, urls))


def test_cached_entries_give_the_same_bytes_and_a_bad_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.site import data
    from atlas.speed.cache import EntityCache, FragmentCache
    from atlas.content.folder import load_site
    entities = EntityCache(tmp_path / "cache")
    site = load_site(SEED, cache=entities)
    urls = Urls(site.config.base_url)
    expected = atlas_json(site, urls)
    cold = FragmentCache(tmp_path / "cache", "atlas-json")
    assert b"".join(atlas_json_chunks(site, urls, cold, entities.hashes)) == expected
    cold.save()
    warm = FragmentCache(tmp_path / "cache", "atlas-json")
    assert len(warm.entries) == len(site.companies) + len(site.people) + len(site.models) + len(site.claims)
    with monkeypatch.context() as patch:
        patch.setattr(data, "entry_json", lambda *args: pytest.fail("an unchanged entity was converted again"))
        assert b"".join(atlas_json_chunks(site, urls, warm, entities.hashes)) == expected
    other = Urls("https://elsewhere.example/atlas/")  # another base URL: other entries, not stale ones
    assert b"".join(atlas_json_chunks(site, other, warm, entities.hashes)) == atlas_json(site, other)
    for path in (tmp_path / "cache").glob("atlas-json-*.pickle"):
        path.write_bytes(b"\x80\x05not a pickle")
    assert FragmentCache(tmp_path / "cache", "atlas-json").entries == {}
    assert b"".join(atlas_json_chunks(site, urls, FragmentCache(tmp_path / "cache", "atlas-json"), entities.hashes)) == expected
