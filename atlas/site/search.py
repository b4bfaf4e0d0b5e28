"""The client-side search index: every company, person and model, in shards by name prefix.

A reader's browser loads a small manifest (data/search/index.json: which prefixes have a
shard) and then only the shard of the prefix it types: every entity one of whose name or
alias words starts with it. A prefix with more than SHARD_ENTRIES entities is split by
its next character, so a shard stays small however large the site (at 10,000 people,
about 10 KB to 40 KB). Words are folded as static/site.js folds them: lower case, accents
removed.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from atlas.model.records import AIModel, Company, Person
from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.site.urls import Urls

KIND_LABELS = {"company": "Company", "person": "Person", "model": "Model"}
SHARD_ENTRIES = 250  # entities at most in one shard, unless their words cannot be told apart by a longer prefix
MAX_PREFIX = 8  # characters of the longest prefix a shard is keyed by
DETAIL_CHARS = 120  # of an entity's summary (or roles) shown under a result
_MARKS = re.compile("[\u0300-\u036f]")  # combining accents, as site.js strips them
_WORDS = re.compile(r"[^\w]+|_")


@dataclass(frozen=True)
class SearchEntry:
    name: str
    kind: str
    url: str
    aliases: tuple[str, ...]
    summary: str
    roles: str  # roles and organisations, or what a company or model is


def search_entries(graph: Graph, urls: Urls) -> list[SearchEntry]:
    """One entry per entity known at the as-of date (no company founded or model released
    after it), sorted by kind then name."""
    as_of = graph.as_of
    found = [_company(c, urls) for c in graph.companies.values() if known.founded(c, as_of)]
    found += [_person(graph, p, urls) for p in graph.people.values()]
    found += [_model(graph, m, urls) for m in graph.models.values() if known.released(m, as_of)]
    return sorted(found, key=lambda e: (e.kind, e.name.lower(), e.url))


def _company(company: Company, urls: Urls) -> SearchEntry:
    about = " · ".join(x for x in (company.kind.value.replace("-", " "), company.hq) if x)
    return SearchEntry(company.name, "company", urls.entity("company", company.slug), company.aliases, company.summary, about)


def _person(graph: Graph, person: Person, urls: Urls) -> SearchEntry:
    roles = []
    for stint in sorted(known.career(graph, person.slug), key=lambda s: s.start.sort_key(), reverse=True):
        org = graph.companies[stint.company].name if stint.company else (stint.organization or "")
        roles.append(f"{stint.role}, {org}" if stint.role else org)
    return SearchEntry(person.name, "person", urls.entity("person", person.slug), person.aliases, person.summary,
                       "; ".join(dict.fromkeys(roles)))


def _model(graph: Graph, model: AIModel, urls: Urls) -> SearchEntry:
    makers = ", ".join(graph.companies[c].name for c in model.companies)
    return SearchEntry(model.name, "model", urls.entity("model", model.slug), model.aliases, model.summary, makers)


def fold(text: str) -> str:
    """Lower case without accents: 'Timothée' -> 'timothee' (as site.js's fold)."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text.lower()))


def words(entry: SearchEntry) -> frozenset[str]:
    """The folded words of an entry's name and aliases: what a prefix is matched against."""
    return frozenset(w for text in (entry.name, *entry.aliases) for w in _WORDS.split(fold(text)) if w)


@dataclass(frozen=True)
class Shard:
    """The entries one prefix loads: those with a word starting with it, or, for a prefix
    split further (`split`), those with a word equal to it."""

    prefix: str
    split: bool
    entries: tuple[int, ...]  # indexes into the list of entries


def shards(entries: list[SearchEntry]) -> tuple[Shard, ...]:
    """Shards by prefix, each of at most SHARD_ENTRIES entries where a longer prefix can
    tell them apart; sorted by prefix."""
    index: dict[str, set[int]] = {}  # word -> entries
    for i, entry in enumerate(entries):
        for word in words(entry):
            index.setdefault(word, set()).add(i)
    found: list[Shard] = []
    _split("", sorted(index), index, found)
    return tuple(sorted(found, key=lambda s: s.prefix))


def _split(prefix: str, vocabulary: list[str], index: dict[str, set[int]], found: list[Shard]) -> None:
    """Shards for the words of `vocabulary` (sorted, all starting with `prefix`)."""
    by_next: dict[str, list[str]] = {}
    for word in vocabulary:
        if len(word) > len(prefix):
            by_next.setdefault(word[: len(prefix) + 1], []).append(word)
    for key, group in by_next.items():
        members = {i for word in group for i in index[word]}
        if len(members) <= SHARD_ENTRIES or len(key) >= MAX_PREFIX or all(len(w) <= len(key) for w in group):
            found.append(Shard(key, False, tuple(sorted(members))))
        else:
            found.append(Shard(key, True, tuple(sorted(index.get(key, ())))))
            _split(key, group, index, found)


def shard_name(prefix: str) -> str:
    """The file of a prefix's shard, in plain ASCII whatever the script: 'la' -> '6c61.json'."""
    return prefix.encode("utf-8").hex() + ".json"


def search_manifest(found: tuple[Shard, ...]) -> bytes:
    """Which prefixes have a shard (1) and which are split further (2)."""
    keys = {s.prefix: 2 if s.split else 1 for s in found}
    return _json({"version": 2, "keys": keys})


def search_items(entries: list[SearchEntry]) -> tuple[str, ...]:
    """Each entry as the JSON object a shard holds: what a result shows (name, kind, address,
    aliases, a detail). Made once: an entry is in the shard of each of its words' prefixes."""
    return tuple(_json(_item(e)).decode("utf-8") for e in entries)


def search_shard(items: tuple[str, ...], shard: Shard) -> bytes:
    """One shard: its prefix and its entries' items (from search_items)."""
    return f'{{"prefix":{_json(shard.prefix).decode("utf-8")},"items":[{",".join(items[i] for i in shard.entries)}]}}'.encode("utf-8")


def _item(e: SearchEntry) -> dict[str, object]:
    detail = e.summary or e.roles
    if len(detail) > DETAIL_CHARS:
        detail = detail[: DETAIL_CHARS - 1].rstrip() + "…"
    return {"n": e.name, "k": e.kind, "u": e.url, "a": list(e.aliases), "d": detail}


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
