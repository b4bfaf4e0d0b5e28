"""Resolve references between entities and build the reverse indexes."""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from atlas.errors import Problem, SourceLoc, did_you_mean
from atlas.model.records import AIModel, Company, Event, FundingRound, Person, Site, Stint


def references(site: Site) -> Iterator[tuple[str, str, str, SourceLoc, str]]:
    """Yield (kind wanted, slug, field path, location, src_path) for every reference. An
    entity read back from the cache has no locations (model.NO_LOCS): its references are
    located at its file alone."""
    for slug, company in site.companies.items():
        src = company.src_path
        if company.parent:
            yield "company", company.parent, "parent", _loc(company.locs, "parent", src), src
        yield from _list_refs("person", company.founders, "founders", company.locs, src)
        for i, rnd in enumerate(company.funding):
            yield from _list_refs("company", rnd.lead, f"funding[{i}].lead", rnd.locs, src)
            yield from _list_refs("company", rnd.investors, f"funding[{i}].investors", rnd.locs, src)
        for i, event in enumerate(company.events):
            yield from _list_refs("person", event.people, f"events[{i}].people", event.locs, src)
            yield from _list_refs("model", event.models, f"events[{i}].models", event.locs, src)
    for person in site.people.values():
        for i, stint in enumerate(person.career):
            if stint.company:
                yield "company", stint.company, f"career[{i}].company", _loc(stint.locs, "company", person.src_path), person.src_path
    for model in site.models.values():
        yield from _list_refs("company", model.companies, "company", model.locs, model.src_path)
        yield from _list_refs("person", model.authors, "authors", model.locs, model.src_path)
    for claim in site.claims.values():
        for i, check in enumerate(claim.checks):
            for kind in ("model", "company"):
                slug = getattr(check, kind)
                if slug:
                    yield kind, slug, f"checks[{i}].{kind}", _loc(check.locs, kind, claim.src_path), claim.src_path
    yield from _list_refs("model", site.config.featured, "featured", site.config.locs, "site.yaml")


def _loc(locs: dict[str, SourceLoc], name: str, src_path: str) -> SourceLoc:
    return locs.get(name) or SourceLoc(src_path)


def targets(site: Site, only: set[str] | None = None) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(kind wanted, slugs, src_path) for the references of each entity, a kind at a time
    and in the order of references(): that walk without the field paths and locations
    that only an error needs, and with one tuple per group rather than per slug (at
    10,000 people, a ninth of the items). With `only`, of the entities of those files."""
    if only is not None:
        part = dataclasses.replace(site, **{name: {slug: e for slug, e in getattr(site, name).items() if e.src_path in only}
                                            for name in ("companies", "people", "models", "claims")})
        yield from (target for target in targets(part) if target[2] in only)
        return
    for company in site.companies.values():
        src = company.src_path
        if company.parent:
            yield "company", (company.parent,), src
        if company.founders:
            yield "person", company.founders, src
        for rnd in company.funding:
            yield "company", (*rnd.lead, *rnd.investors), src
        for event in company.events:
            yield "person", event.people, src
            yield "model", event.models, src
    for person in site.people.values():
        yield "company", tuple([stint.company for stint in person.career if stint.company]), person.src_path
    for model in site.models.values():
        yield "company", model.companies, model.src_path
        yield "person", model.authors, model.src_path
    for claim in site.claims.values():
        for check in claim.checks:
            if check.model:
                yield "model", (check.model,), claim.src_path
            if check.company:
                yield "company", (check.company,), claim.src_path
    if site.config.featured:
        yield "model", site.config.featured, "site.yaml"


def _list_refs(kind: str, slugs: Iterable[str], path: str, locs: dict[str, SourceLoc],
               src_path: str) -> Iterator[tuple[str, str, str, SourceLoc, str]]:
    name = path.rsplit(".", 1)[-1]  # a record's locs: fields by name, list items by full path
    for i, slug in enumerate(slugs):
        loc = locs.get(f"{path}[{i}]") or locs.get(name) or SourceLoc(src_path)
        yield kind, slug, f"{path}[{i}]", loc, src_path


def check_references(site: Site, slugs: dict[str, set[str]] | None = None) -> list[Problem]:
    """Report unknown slugs, parent cycles and repeated authors.

    `slugs` lists every file found per folder, including files that failed validation,
    so that a broken file does not also make every reference to it an error.
    """
    folders = {"company": "companies", "person": "people", "model": "models"}
    entities: dict[str, Any] = {"company": site.companies, "person": site.people, "model": site.models}
    tables = {kind: set(entities[kind]) | (slugs.get(folder, set()) if slugs is not None else set())
              for kind, folder in folders.items()}
    problems = []
    unknown = any(not tables[kind].issuperset(group) for kind, group, _ in targets(site))
    for kind, slug, path, loc, _ in references(site) if unknown else ():
        if slug not in tables[kind]:
            hint = did_you_mean(slug, tables[kind]) or f" (add {folders[kind]}/{slug}.yaml, or fix the slug)"
            problems.append(Problem(loc, f"{path}: unknown {kind} '{slug}'{hint}"))
    problems.extend(_parent_cycles(site))
    for model in site.models.values():
        seen: set[str] = set()
        for i, author in enumerate(model.authors):
            if author in seen:
                problems.append(Problem(_loc(model.locs, f"authors[{i}]", model.src_path), f"authors[{i}]: '{author}' is listed twice"))
            seen.add(author)
    return problems


def _parent_cycles(site: Site) -> list[Problem]:
    problems = []
    for slug, company in site.companies.items():
        seen = {slug}
        parent = company.parent
        while parent in site.companies:
            if parent in seen:
                problems.append(Problem(_loc(company.locs, "parent", company.src_path), f"parent: '{company.parent}' leads back to '{slug}'; a company cannot be part of itself"))
                break
            seen.add(parent)
            parent = site.companies[parent].parent
    return problems


@dataclass
class Graph:
    """Reverse indexes over a Site, built once in named passes."""

    site: Site
    root: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    stints_at: dict[str, list[tuple[Person, Stint]]] = field(default_factory=lambda: defaultdict(list))
    models_of: dict[str, list[AIModel]] = field(default_factory=lambda: defaultdict(list))
    models_by: dict[str, list[AIModel]] = field(default_factory=lambda: defaultdict(list))
    founded: dict[str, list[Company]] = field(default_factory=lambda: defaultdict(list))
    investments: dict[str, list[tuple[Company, FundingRound, bool]]] = field(default_factory=lambda: defaultdict(list))
    events_about: dict[str, list[tuple[Company, Event]]] = field(default_factory=lambda: defaultdict(list))

    def family(self, slug: str) -> str:
        """Return the top-level company a company or unit belongs to."""
        return self.root.get(slug, slug)

    def subtree(self, slug: str) -> set[str]:
        """Return the company and all its units, at any depth."""
        found, todo = set(), [slug]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(self.children.get(current, ()))
        return found


def build_graph(site: Site) -> Graph:
    """Build every reverse index in one pass per relation."""
    graph = Graph(site)
    _fill_families(graph)
    _fill_stints(graph)
    _fill_models(graph)
    _fill_companies(graph)
    return graph


def _fill_families(graph: Graph) -> None:
    companies = graph.site.companies
    for slug in sorted(companies):
        top = slug
        while companies[top].parent in companies:
            top = companies[top].parent  # type: ignore[assignment]
        graph.root[slug] = top
        if companies[slug].parent:
            graph.children[companies[slug].parent].append(slug)  # type: ignore[index]


def _fill_stints(graph: Graph) -> None:
    for slug in sorted(graph.site.people):
        person = graph.site.people[slug]
        for stint in person.career:
            if stint.company:
                graph.stints_at[stint.company].append((person, stint))


def _fill_models(graph: Graph) -> None:
    for slug in sorted(graph.site.models):
        model = graph.site.models[slug]
        for company in model.companies:
            graph.models_of[company].append(model)
        for author in model.authors:
            graph.models_by[author].append(model)


def _fill_companies(graph: Graph) -> None:
    for slug in sorted(graph.site.companies):
        company = graph.site.companies[slug]
        for founder in company.founders:
            graph.founded[founder].append(company)
        for rnd in company.funding:
            for investor in rnd.lead:
                graph.investments[investor].append((company, rnd, True))
            for investor in rnd.investors:
                if investor not in rnd.lead:
                    graph.investments[investor].append((company, rnd, False))
        for event in company.events:
            for ref in (*event.people, *event.models):
                graph.events_about[ref].append((company, event))
