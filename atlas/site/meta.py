"""Structured data for search engines and link previews: schema.org JSON-LD as plain dicts.

The dicts are serialised by the `jsonld` filter in render.py, which escapes '<', '>' and
'&' so that no content can close the <script type="application/ld+json"> element.
"""
from __future__ import annotations

import json
from typing import Any

from atlas.model.records import AIModel, Company, Person, SiteConfig
from atlas.compute import known
from atlas.compute.moves import Truth, is_open
from atlas.compute.graph import Graph
from atlas.site.urls import Urls

CONTEXT = "https://schema.org"
JsonLd = dict[str, Any]


def _ref(kind: str, entity: Company | Person, urls: Urls) -> JsonLd:
    return {"@type": "Organization" if kind == "company" else "Person", "name": entity.name,
            "url": urls.absolute(urls.entity_path(kind, entity.slug))}


def _compact(data: JsonLd) -> JsonLd:
    return {k: v for k, v in data.items() if v not in (None, "", [], ())}


def website_ld(config: SiteConfig, urls: Urls) -> JsonLd:
    return _compact({"@context": CONTEXT, "@type": "WebSite", "name": config.title, "description": config.description,
                     "url": urls.absolute("index.html"), "inLanguage": config.language})


def person_ld(graph: Graph, person: Person, urls: Urls) -> JsonLd:
    """A Person with worksFor (stints going on at as_of) and alumniOf (the others)."""
    as_of = graph.as_of
    current, former = {}, {}
    stints = known.career(graph, person.slug)
    for stint in stints:
        if not stint.company:
            continue
        target = current if is_open(stint, as_of) is not Truth.NO else former
        target[stint.company] = _ref("company", graph.companies[stint.company], urls)
    former = {k: v for k, v in former.items() if k not in current}
    roles = [s.role for s in stints if s.role and s.company in current]
    return _compact({"@context": CONTEXT, "@type": "Person", "name": person.name, "alternateName": list(person.aliases),
                     "description": person.summary, "url": urls.absolute(urls.entity_path("person", person.slug)),
                     "jobTitle": roles[-1] if roles else "", "worksFor": list(current.values()),
                     "alumniOf": list(former.values()), "sameAs": [link.url for link in person.links]})


def company_ld(graph: Graph, company: Company, staff: list[Person], urls: Urls) -> JsonLd:
    """An Organization with its founders, current employees, parent and units (as known at as_of)."""
    later = not known.founded(company, graph.as_of)
    return _compact({"@context": CONTEXT, "@type": "Organization", "name": company.name,
                     "alternateName": list(company.aliases), "description": company.summary,
                     "url": urls.absolute(urls.entity_path("company", company.slug)),
                     "sameAs": [company.website] if company.website else [],
                     "foundingDate": company.founded.iso() if company.founded and not later else "",
                     "location": company.hq,
                     "founder": [] if later else [_ref("person", graph.people[p], urls) for p in company.founders],
                     "employee": [_ref("person", p, urls) for p in staff],
                     "parentOrganization": _ref("company", graph.companies[company.parent], urls) if company.parent else None,
                     "subOrganization": [_ref("company", graph.companies[u], urls) for u in sorted(graph.children(company.slug))]})


def model_ld(graph: Graph, model: AIModel, urls: Urls) -> JsonLd:
    """A model as a SoftwareApplication, by its authors and the companies that made it;
    renamed in site.yaml (a drug, a product), as the schema.org type named there, or a Thing."""
    renamed = graph.config.model_label
    head = ({"@type": renamed.schema_type or "Thing", "name": model.name} if renamed is not None
            else {"@type": "SoftwareApplication", "name": model.name, "applicationCategory": "AI model"})
    return _compact({"@context": CONTEXT, **head, "alternateName": list(model.aliases),
                     "description": model.summary, "url": urls.absolute(urls.entity_path("model", model.slug)),
                     "datePublished": model.released.iso() if model.released and known.released(model, graph.as_of) else "",
                     "license": model.license,
                     "author": [_ref("person", graph.people[p], urls) for p in model.authors],
                     "creator": [_ref("company", graph.companies[c], urls) for c in model.companies]})


def dump_jsonld(data: JsonLd) -> str:
    """JSON safe inside a <script> element: '<', '>' and '&' become \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
