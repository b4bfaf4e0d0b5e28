"""atlas.json is written entity by entity; the bytes are those of one json.dumps of the whole."""
from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import Path
from typing import Any

import pytest

from atlas.build import load
from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.kinds import KINDS
from atlas.model.dates import PartialDate
from atlas.model.records import Money, Tenure
from atlas.site.data import atlas_json
from atlas.site.urls import site_urls
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


def _whole(graph: Any) -> bytes:
    """The entities as known at the as-of date (compute/known.py), those that begin after it flagged."""
    urls = site_urls(graph)
    site = graph.site

    def entity(kind: str, slug: str) -> dict[str, Any]:
        return {**_plain(known.entity_at(graph, kind, slug)), **({"after_as_of": True} if known.later(graph, kind, slug) else {})}

    def table(kind: str, items: dict[str, Any]) -> list[Any]:
        return [{**entity(kind, s), "url": urls.absolute(urls.entity_path(kind, s))} for s in sorted(items)]
    data = {"as_of": site.config.as_of.isoformat(), "title": site.config.title,
            "companies": table("company", site.companies), "people": table("person", site.people),
            "models": table("model", site.models), "claims": [entity("claim", s) for s in sorted(site.claims)]}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@pytest.mark.parametrize("content", [SEED, HERE / "fixtures" / "mini" / "content"], ids=["default", "mini"])
@pytest.mark.parametrize("empty", [None, "claim", "model"])
def test_atlas_json_equals_one_dump_of_the_whole(content: Path, empty: str | None) -> None:
    graph = load(content)
    if empty:
        site = dataclasses.replace(graph.site, tables={**graph.site.tables, empty: {}})  # an empty list is written '[]'
        graph = Graph(site, KINDS)
    assert atlas_json(graph) == _whole(graph)
    json.loads(atlas_json(graph))
