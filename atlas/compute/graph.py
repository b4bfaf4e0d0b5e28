"""The graph: every entity by kind and slug, the references between them resolved both
ways, and a memo for the views computed from them.

Everything the site shows is read through a Graph: its tables (`graph.people[slug]`),
its reverse references (`graph.stints_at(company)`), and views computed once per graph
(`graph.memo(fn, *args)`). The speed layer builds the same interface over recorded
reads, so that it knows what each page was made from; code that reads the model some
other way (keeping entities in a module-level cache, say) escapes that record.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Callable, Sequence, TypeVar

from atlas.content.references import Via, kind_vias, references
from atlas.model.kind import Kind
from atlas.model.records import AIModel, Company, Event, FundingRound, Person, Site, SiteConfig, Stint

T = TypeVar("T")


class Graph:
    """A site's entities and the references between them, indexed once."""

    def __init__(self, site: Site, kinds: Sequence[Kind],
                 referrers: Mapping[tuple[Via, str], tuple[tuple[Any, Any], ...]] | None = None):
        self._site = site
        self.kinds = {kind.name: kind for kind in kinds}
        self.vias = kind_vias(kinds)  # kind -> the fields through which its entities refer to others
        self._via = {(via.source, via.name): via for found in self.vias.values() for via in found}
        self._referrers = index_referrers(site, self.vias) if referrers is None else referrers
        self._memo: dict[tuple[Any, ...], Any] = {}

    @property
    def site(self) -> Site:
        """What was loaded, as it was loaded (for the commands; pages read the graph)."""
        return self._site

    # -- what every reader uses; the speed layer records each of these reads --

    @property
    def config(self) -> SiteConfig:
        return self._site.config

    def table(self, kind: str) -> Mapping[str, Any]:
        """The entities of one kind, by slug (in slug order)."""
        return self._site.table(kind)

    def referrers(self, via: Via, slug: str) -> tuple[tuple[Any, Any], ...]:
        """(entity, holder) for each reference to `slug` through `via`, by the referring
        entity's slug then field order; holder is the record that holds the slug."""
        return self._referrers.get((via, slug), ())

    def memo(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(self, *args), computed once per graph; args are plain values (slugs, dates)."""
        key = (fn, *args)
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[key] = fn(self, *args)
            return value

    # -- convenience, built on the reads above --

    @property
    def as_of(self) -> dt.date:
        return self.config.as_of

    @property
    def companies(self) -> Mapping[str, Company]:
        return self.table("company")

    @property
    def people(self) -> Mapping[str, Person]:
        return self.table("person")

    @property
    def models(self) -> Mapping[str, AIModel]:
        return self.table("model")

    @property
    def claims(self) -> Mapping[str, Any]:
        return self.table("claim")

    def via(self, source: str, name: str) -> Via:
        """The field `name` ('career[].company') of kind `source`."""
        return self._via[(source, name)]

    def stints_at(self, company: str) -> tuple[tuple[Person, Stint], ...]:
        """(person, stint) for every stint at the company itself (not its units)."""
        return self.referrers(self.via("person", "career[].company"), company)

    def models_of(self, company: str) -> tuple[AIModel, ...]:
        return tuple(model for model, _ in self.referrers(self.via("model", "company[]"), company))

    def models_by(self, person: str) -> tuple[AIModel, ...]:
        return tuple(model for model, _ in self.referrers(self.via("model", "authors[]"), person))

    def founded(self, person: str) -> tuple[Company, ...]:
        return tuple(company for company, _ in self.referrers(self.via("company", "founders[]"), person))

    def investments(self, investor: str) -> tuple[tuple[Company, FundingRound, bool], ...]:
        """(company, round, led it) for every round the investor took part in."""
        led = self.referrers(self.via("company", "funding[].lead[]"), investor)
        joined = self.referrers(self.via("company", "funding[].investors[]"), investor)
        found = [(c, r, True) for c, r in led] + [(c, r, False) for c, r in joined if investor not in r.lead]
        # By company, then in the company's order of rounds, a round's lead before the others.
        return tuple(sorted(found, key=lambda i: (i[0].slug, _index(i[0].funding, i[1]), not i[2])))

    def events_about(self, kind: str, slug: str) -> tuple[tuple[Company, Event], ...]:
        """(company, event) for every event of a company that names the person or model."""
        return self.referrers(self.via("company", f"events[].{'people' if kind == 'person' else 'models'}[]"), slug)

    def children(self, company: str) -> tuple[str, ...]:
        """The slugs of the company's direct units."""
        return tuple(unit.slug for unit, _ in self.referrers(self.via("company", "parent"), company))

    def family(self, slug: str) -> str:
        """The top-level company a company or unit belongs to."""
        companies = self.companies
        top, seen = slug, {slug}
        while (parent := companies[top].parent) is not None and parent in companies and parent not in seen:
            top = parent
            seen.add(top)
        return top

    def subtree(self, slug: str) -> set[str]:
        """The company and all its units, at any depth."""
        found, todo = set(), [slug]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(self.children(current))
        return found


def index_referrers(site: Site, vias: Mapping[str, tuple[Via, ...]]) -> dict[tuple[Via, str], tuple[tuple[Any, Any], ...]]:
    """Every reference, the other way round: (via, slug referred to) -> (entity, holder)s."""
    found: dict[tuple[Via, str], list[tuple[Any, Any]]] = {}
    for kind, fields in vias.items():
        if not fields:
            continue
        table = site.table(kind)
        for slug in sorted(table):
            entity = table[slug]
            for ref in references(entity, fields):
                found.setdefault((ref.via, ref.slug), []).append((entity, ref.holder))
    return {key: tuple(items) for key, items in found.items()}


def _index(items: tuple[Any, ...], item: Any) -> int:
    return next(i for i, x in enumerate(items) if x is item)
