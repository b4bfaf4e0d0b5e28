"""The client-side search index: every company, person and model, built at build time."""
from __future__ import annotations

import json
from dataclasses import dataclass

from atlas.model.records import AIModel, Company, Person
from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.site.urls import Urls

KIND_LABELS = {"company": "Company", "person": "Person", "model": "Model"}


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


def search_index(entries: list[SearchEntry]) -> bytes:
    """Compact JSON: short keys, one object per entry."""
    items = [{"n": e.name, "k": e.kind, "u": e.url, "a": list(e.aliases), "s": e.summary, "r": e.roles} for e in entries]
    return json.dumps({"version": 1, "items": items}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
