"""atlas.json is written in pieces; the pieces make the same bytes as one json.dumps."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from atlas.build import load
from atlas.data import _plain, atlas_json, atlas_json_chunks
from atlas.urls import Urls, entity_path

HERE = Path(__file__).parent


def _whole(site: Any, urls: Urls) -> bytes:
    def table(kind: str, items: dict[str, Any]) -> list[Any]:
        return [{**_plain(items[s]), "url": urls.absolute(entity_path(kind, s))} for s in sorted(items)]
    data = {"as_of": site.config.as_of.isoformat(), "title": site.config.title,
            "companies": table("company", site.companies), "people": table("person", site.people),
            "models": table("model", site.models), "claims": [_plain(site.claims[s]) for s in sorted(site.claims)]}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@pytest.mark.parametrize("content", [HERE.parent / "content", HERE / "fixtures" / "mini" / "content"], ids=["default", "mini"])
@pytest.mark.parametrize("empty", [None, "claims", "models"])
def test_atlas_json_in_pieces_equals_one_dump(content: Path, empty: str | None) -> None:
    site = load(content).site
    if empty:
        site = dataclasses.replace(site, **{empty: {}})  # an empty list is written '[]'
    urls = Urls(site.config.base_url)
    assert atlas_json(site, urls) == _whole(site, urls)
    assert len(list(atlas_json_chunks(site, urls))) > 2
    json.loads(atlas_json(site, urls))
