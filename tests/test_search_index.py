"""The sharded search index: every entity is in the shard of each of its name words' prefixes,
shards stay small on a large site, and a split prefix keeps the exact words."""
from __future__ import annotations

import json

import pytest

from atlas.site import search
from atlas.site.search import SearchEntry, Shard, fold, search_items, search_manifest, search_shard, shard_name, shards, words


def entry(name: str, *aliases: str, kind: str = "person") -> SearchEntry:
    return SearchEntry(name, kind, f"/people/{fold(name).replace(' ', '-')}/", aliases, "", "")


def covering(found: tuple[Shard, ...], word: str) -> Shard:
    """The shard a browser loads for a typed word, as site.js picks it."""
    keys = {s.prefix: s for s in found}
    for n in range(1, len(word) + 1):
        shard = keys[word[:n]]
        if not shard.split or n == len(word):
            return shard
    raise AssertionError(word)


def test_words_are_folded_and_split_as_the_browser_does() -> None:
    assert words(entry("Timothée Lacroix", "T. Lacroix")) == {"timothee", "lacroix", "t"}
    assert words(entry("Jean-Baptiste O'Neil_x")) == {"jean", "baptiste", "o", "neil", "x"}
    assert fold("ÉLODIE") == "elodie"


def test_a_small_site_has_one_shard_per_first_letter() -> None:
    entries = [entry("Guillaume Lample", "Guillaume Lampl"), entry("Timothée Lacroix"), entry("Arthur Mensch")]
    found = shards(entries)
    assert [(s.prefix, s.split, s.entries) for s in found] == [
        ("a", False, (2,)), ("g", False, (0,)), ("l", False, (0, 1)), ("m", False, (2,)), ("t", False, (1,))]
    assert json.loads(search_manifest(found)) == {"version": 2, "keys": {"a": 1, "g": 1, "l": 1, "m": 1, "t": 1}}
    shard = json.loads(search_shard(search_items(entries), found[2]))
    assert [i["n"] for i in shard["items"]] == ["Guillaume Lample", "Timothée Lacroix"]
    assert shard_name("la") == "6c61.json" and shard_name("王") == "e78e8b.json"


def test_large_prefixes_are_split_and_every_word_finds_its_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_ENTRIES", 3)
    names = ["Li Wei", "Li Na", "Lin Bo", "Lina Ek", "Linus Ray", "Liam Oz", "Lisa Ng", "Ada Li", "Ann Lee", "Anna Lo"]
    entries = [entry(n) for n in names]
    found = shards(entries)
    assert all(len(s.entries) <= 3 for s in found if not s.split or len(s.prefix) > 1)
    li = next(s for s in found if s.prefix == "li")
    assert li.split and sorted(entries[i].name for i in li.entries) == ["Ada Li", "Li Na", "Li Wei"]  # exactly "li"
    for i, e in enumerate(entries):
        for word in words(e):
            for n in range(1, len(word) + 1):
                assert i in covering(found, word[:n]).entries or covering(found, word[:n]).split, (e.name, word[:n])
            assert i in covering(found, word).entries, (e.name, word)
