"""Timelines: dated, sourced entries for a person, a company and the whole site."""
from __future__ import annotations

from typing import NamedTuple

from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.compute.moves import Move, all_moves, moves_of
from atlas.compute.summaries import arrivals, departures, org_label
from atlas.model.dates import PartialDate
from atlas.model.records import AIModel, Company, Confidence, Event, FundingRound, Person, Stint


# NamedTuples, not frozen dataclasses: a 10,000-person site makes 470,000 parts and entries,
# and a NamedTuple is made in half the time.
class Part(NamedTuple):
    """A piece of an entry's text; `ref` (kind, slug) makes it a link."""

    text: str
    ref: tuple[str, str] | None = None


class Entry(NamedTuple):
    date: PartialDate
    kind: str  # founded, funding, release, joined, left, event
    parts: tuple[Part, ...]
    sources: tuple[str, ...] = ()
    confidence: Confidence | None = None
    note: str = ""
    text: str = ""  # Markdown detail, for events


def _sorted(entries: list[Entry]) -> list[Entry]:
    """Drop repeats (same date, kind and parts; the last one wins) and sort by date, kind and
    text, then by what the text links to (two models of one name, say)."""
    # Keyed by plain tuples rather than Parts: they hash and compare in C, and equal the same way.
    unique = {(e.date.sort_key(), e.kind, tuple([(p.text, p.ref) for p in e.parts])): e for e in entries}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1], tuple([t for t, _ in k[2]]),
                                                             tuple([r or ("", "") for _, r in k[2]])))]


def _org(graph: Graph, stint: Stint | None) -> Part:
    key, company, label = org_label(graph, stint)
    return Part(label, ("company", company.slug) if company else None)


def _person(person: Person) -> Part:
    return Part(person.name, ("person", person.slug))


def move_entry(graph: Graph, move: Move) -> Entry:
    """'X left A for B' (or 'to found B'), dated at the end of the stay."""
    parts = [_person(move.person), Part(" left "), _org(graph, move.origin)]
    if move.destination is not None:
        parts += [Part(" to found " if move.founded else " for "), _org(graph, move.destination)]
    sources = move.origin.sources + (move.destination.sources if move.destination else ())
    return Entry(move.date, "left", tuple(parts), tuple(dict.fromkeys(sources)), move.confidence, move.origin.note)


def _round_entry(graph: Graph, company: Company, rnd: FundingRound) -> Entry:
    parts = [Part(company.name, ("company", company.slug)), Part(f" raised {rnd.amount.display()}" if rnd.amount else " announced a round"),
             Part(f" ({rnd.round})")]
    if rnd.lead:
        parts.append(Part(", led by "))
        for i, slug in enumerate(rnd.lead):
            parts += ([Part(" and ")] if i else []) + [Part(graph.companies[slug].name, ("company", slug))]
    return Entry(rnd.date, "funding", tuple(parts), rnd.sources, rnd.confidence, rnd.note)


def event_entry(company: Company, event: Event) -> Entry:
    return Entry(event.date, "event", (Part(company.name, ("company", company.slug)), Part(": " + event.title)),
                 event.sources, event.confidence, event.note, event.text)


def _release_entry(model: AIModel, graph: Graph) -> Entry:
    assert model.released is not None
    makers = [Part(graph.companies[c].name, ("company", c)) for c in model.companies]
    verb = {"released": " released ", "preview": " previewed ", "delayed": " announced (delayed) ", "announced": " announced "}[model.status.value]
    return Entry(model.released, "release", (*makers[:1], Part(verb), Part(model.name, ("model", model.slug))), model.sources)


def company_timeline(graph: Graph, company: Company, joins: bool = True, left: list[Move] | None = None) -> list[Entry]:
    """Founding, funding, releases, arrivals (unless not `joins`), departures and events of a
    company and its units; `left` is departures() when the caller already has it."""
    entries = []
    for slug in sorted(graph.subtree(company.slug)):
        entries += _company_entries(graph, graph.companies[slug])
        entries += [_release_entry(m, graph) for m in graph.models_of(slug) if m.released and known.released(m, graph.as_of)]
    entries += [move_entry(graph, m) for m in (departures(graph, company.slug) if left is None else left)]
    for arrival in arrivals(graph, company.slug) if joins else ():
        parts = [_person(arrival.person), Part(" joined "), _org(graph, arrival.stint)]
        if arrival.stint.role:
            parts.append(Part(f" as {arrival.stint.role}"))
        if arrival.origin:
            parts += [Part(" from "), _org(graph, arrival.origin.origin)]
        entries.append(Entry(arrival.stint.start, "joined", tuple(parts), arrival.stint.sources, arrival.stint.confidence))
    return _sorted(entries)


def person_timeline(graph: Graph, person: Person) -> list[Entry]:
    """A person's stints, moves and authored models known at as_of, in date order."""
    entries = []
    as_of = graph.as_of
    for stint in known.career(graph, person.slug):
        parts = [Part("At " if stint.start.qualifier.bounded_above else "Joined "), _org(graph, stint)]
        if stint.role:
            parts.append(Part(f" as {stint.role}"))
        entries.append(Entry(stint.start, "joined", tuple(parts), stint.sources, stint.confidence, stint.note))
    for move in moves_of(graph, person.slug):
        entries.append(move_entry(graph, move))
    for model in graph.models_by(person.slug):
        if model.released and known.released(model, as_of):
            entries.append(Entry(model.released, "release", (Part("Co-author of "), Part(model.name, ("model", model.slug))), model.sources))
    for company, event in graph.events_about("person", person.slug):
        if event.date.lo <= as_of:
            entries.append(event_entry(company, event))
    return _sorted(entries)


def site_timeline(graph: Graph) -> tuple[Entry, ...]:
    """Every founding, round, event, release and move on the site."""
    return graph.memo(_site_timeline)


def _site_timeline(graph: Graph) -> tuple[Entry, ...]:
    entries = []
    for slug in sorted(graph.companies):
        entries += _company_entries(graph, graph.companies[slug])
    entries += [_release_entry(model, graph) for model in (graph.models[slug] for slug in sorted(graph.models))
                if model.released and known.released(model, graph.as_of)]
    entries += [move_entry(graph, m) for m in all_moves(graph)]
    return tuple(_sorted(entries))


def _company_entries(graph: Graph, company: Company) -> list[Entry]:
    """A company's founding, funding rounds and events known at as_of."""
    entries = []
    as_of = graph.as_of
    if company.founded and known.founded(company, as_of):
        entries.append(Entry(company.founded, "founded", (Part(company.name, ("company", company.slug)), Part(" founded")),
                             company.sources))
    entries += [_round_entry(graph, company, r) for r in known.rounds(company, as_of)]
    entries += [event_entry(company, e) for e in known.events(company, as_of)]
    return entries
