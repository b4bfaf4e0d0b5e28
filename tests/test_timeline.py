"""Timelines of a person, a company and the site (atlas/compute/timeline.py), on small graphs
built in code: which entries each holds, their kinds, texts, links, sources and order."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from atlas.compute.moves import all_moves
from atlas.compute.summaries import departures
from atlas.compute.timeline import Entry, Part, _sorted, company_timeline, event_entry, move_entry, person_timeline, site_timeline
from atlas.model.records import Confidence, Event, FundingRound, ModelStatus

from conftest import AS_OF, SOURCE, company, d, make_graph, model, money, person, stint

META, FAIR, MISTRAL, GOOGLE = "https://meta.example", "https://fair.example", "https://mistral.example", "https://google.example"


def dated(slug, founded=None, **fields):
    """A company with a founding date and any other fields (rounds, events)."""
    base = company(slug, name=fields.pop("name", None), parent=fields.pop("parent", None))
    return dataclasses.replace(base, founded=d(founded) if founded else None, **fields)


def event(date, title, *people, **fields):
    return Event(date=d(date), title=title, people=tuple(people), sources=(SOURCE,), **fields)


def sourced(s, *sources, **fields):
    return dataclasses.replace(s, sources=sources, **fields)


def released(slug, date, companies, authors=(), status=ModelStatus.RELEASED, name=None):
    return dataclasses.replace(model(slug, companies, authors), released=d(date) if date else None, status=status,
                               name=name or slug.upper(), sources=(SOURCE,))


COMPANIES = [dated("meta", "2004-02", name="Meta"), dated("meta-fair", "2013-12", name="FAIR", parent="meta"),
             dated("mistral-ai", "2023-04", name="Mistral AI", founders=("ada",), sources=(MISTRAL,)), dated("google", "1998-09", name="Google")]


def rows(entries):
    """(date as written, kind, text) of each entry."""
    return [(str(e.date), e.kind, "".join(p.text for p in e.parts)) for e in entries]


def links(entry):
    return [p.ref for p in entry.parts if p.ref]


def graph_of(*people, companies=COMPANIES, models=(), as_of=AS_OF):
    return make_graph(companies, people, models, as_of)


# --- the order of entries ----------------------------------------------------------------

def entry(date, kind="event", *texts, ref=None, sources=()):
    return Entry(d(date), kind, tuple(Part(t, ref) for t in texts), sources)


def test_entries_sort_by_the_first_day_of_their_date_coarser_first():
    # A year sorts before its January, a month before its first day; 'by' sorts at its latest day.
    entries = [entry("2023-01-01", "event", "a"), entry("by 2022-12", "event", "b"), entry("2023-01", "event", "c"),
               entry("2023", "event", "d"), entry("2022-12-30", "event", "e")]
    assert [e.parts[0].text for e in _sorted(entries)] == ["e", "b", "d", "c", "a"]


def test_entries_of_one_date_sort_by_kind_then_text_then_link():
    entries = [entry("2023", "left", "b"), entry("2023", "joined", "b"), entry("2023", "joined", "a"),
               entry("2023", "event", "x", ref=("model", "z")), entry("2023", "event", "x", ref=("model", "y")),
               entry("2023", "event", "x")]
    assert [(e.kind, e.parts[0].text, e.parts[0].ref) for e in _sorted(entries)] == [
        ("event", "x", None), ("event", "x", ("model", "y")), ("event", "x", ("model", "z")),
        ("joined", "a", None), ("joined", "b", None), ("left", "b", None)]


def test_a_repeated_entry_is_kept_once_the_last_one_wins():
    first, last = entry("2023-05", "left", "a", sources=("one",)), entry("2023-05", "left", "a", sources=("two",))
    other_kind, other_date = entry("2023-05", "joined", "a"), entry("2023-05-01", "left", "a")
    assert _sorted([first, other_kind, last, other_date]) == [other_kind, last, other_date]


def test_entries_that_differ_only_in_a_link_are_both_kept():
    a, b = entry("2023", "release", "LLaMA", ref=("model", "llama-a")), entry("2023", "release", "LLaMA", ref=("model", "llama-b"))
    assert _sorted([b, a]) == [a, b]


# --- a person's timeline -----------------------------------------------------------------

def ada(*extra):
    return person("ada", sourced(stint("meta-fair", "2015", "2023-05", role="Research Scientist"), FAIR, note="left in May",
                                 confidence=Confidence.MEDIUM),
                  sourced(stint("mistral-ai", "2023-05", role="Chief Scientist"), MISTRAL), *extra, name="Ada Lovelace")


def test_a_person_s_timeline_holds_joins_moves_authored_models_and_events_about_them():
    models = [released("llama", "2023-02", ["meta"], ["ada"]), released("mistral-7b", "2023-09", ["mistral-ai"], ["ada"])]
    companies = COMPANIES[:2] + [dataclasses.replace(COMPANIES[2], events=(event("2024-06", "Series A", "ada", text="Raised *a lot*."),))] + COMPANIES[3:]
    graph = graph_of(ada(), companies=companies, models=models)
    timeline = person_timeline(graph, graph.people["ada"])
    assert rows(timeline) == [
        ("2015", "joined", "Joined FAIR as Research Scientist"),
        ("2023-02", "release", "Co-author of LLAMA"),
        ("2023-05", "joined", "Joined Mistral AI as Chief Scientist"),
        ("2023-05", "left", "Ada Lovelace left FAIR to found Mistral AI"),
        ("2023-09", "release", "Co-author of MISTRAL-7B"),
        ("2024-06", "event", "Mistral AI: Series A"),
    ]
    joined, release, _, left, _, news = timeline
    assert links(joined) == [("company", "meta-fair")]
    assert (joined.sources, joined.confidence, joined.note) == ((FAIR,), Confidence.MEDIUM, "left in May")
    assert links(release) == [("model", "llama")] and release.sources == (SOURCE,)
    assert links(left) == [("person", "ada"), ("company", "meta-fair"), ("company", "mistral-ai")]
    assert (left.sources, left.confidence, left.note) == ((FAIR, MISTRAL), Confidence.MEDIUM, "left in May")
    assert links(news) == [("company", "mistral-ai")]
    assert (news.text, news.sources) == ("Raised *a lot*.", (SOURCE,))


def test_a_start_known_only_by_a_latest_day_says_at_not_joined():
    p = person("bo", stint("google", "by 2012"), stint(None, "2010", "2011", organization="Stanford"))
    graph = graph_of(p)
    assert rows(person_timeline(graph, graph.people["bo"])) == [
        ("2010", "joined", "Joined Stanford"), ("2011", "left", "Bo left Stanford for Google"), ("by 2012", "joined", "At Google")]
    joined_stanford = person_timeline(graph, graph.people["bo"])[0]
    assert links(joined_stanford) == []


def test_a_person_s_timeline_leaves_out_what_is_surely_after_the_as_of_date():
    models = [released("late", "2025-07", ["meta"], ["ada"]), released("unreleased", None, ["meta"], ["ada"]),
              released("june", "2025", ["meta"], ["ada"])]
    companies = [dataclasses.replace(COMPANIES[0], events=(event("2025-06-02", "Too late", "ada"), event("2025-06", "This month", "ada")))]
    p = person("ada", stint("meta", "2015", "2025-07"), stint("google", "2025-08"))
    graph = graph_of(p, companies=companies + COMPANIES[1:], models=models)
    # The end in July is not known on 1 June: the stint goes on, and there is no move yet.
    assert rows(person_timeline(graph, graph.people["ada"])) == [
        ("2015", "joined", "Joined Meta"), ("2025", "release", "Co-author of JUNE"), ("2025-06", "event", "Meta: This month")]


def test_a_person_with_nothing_known_has_an_empty_timeline():
    graph = graph_of(person("cy", stint("google", "2026")))
    assert person_timeline(graph, graph.people["cy"]) == []


# --- moves -------------------------------------------------------------------------------

def test_a_move_to_an_unknown_place_names_only_the_origin():
    graph = graph_of(person("ada", sourced(stint("meta", "2015", "2020-03"), META, confidence=Confidence.LOW)))
    (move,) = all_moves(graph)
    e = move_entry(graph, move)
    assert (str(e.date), e.kind, "".join(p.text for p in e.parts)) == ("2020-03", "left", "Ada left Meta")
    assert (e.sources, e.confidence, e.note, e.text) == ((META,), Confidence.LOW, "", "")


def test_a_move_s_sources_are_the_origin_s_then_the_destination_s_once_each():
    p = person("ada", sourced(stint("meta", "2015", "2020-03"), META, SOURCE),
               sourced(stint("google", "2020-03"), SOURCE, GOOGLE, confidence=Confidence.MEDIUM))
    graph = graph_of(p)
    e = move_entry(graph, all_moves(graph)[0])
    assert "".join(p.text for p in e.parts) == "Ada left Meta for Google"
    assert (e.sources, e.confidence) == ((META, SOURCE, GOOGLE), Confidence.MEDIUM)


def test_a_move_to_an_organisation_without_a_page_is_not_a_link():
    graph = graph_of(person("ada", stint("meta", "2015", "2020"), stint(None, "2020", organization="Oxford")))
    e = move_entry(graph, all_moves(graph)[0])
    assert e.parts == (Part("Ada", ("person", "ada")), Part(" left "), Part("Meta", ("company", "meta")), Part(" for "), Part("Oxford"))


# --- a company's timeline ----------------------------------------------------------------

LEAD = FundingRound(date=d("2023-06"), round="Seed", amount=money("EUR 105M"), lead=("google",), sources=(MISTRAL,),
                    confidence=Confidence.HIGH, note="the largest seed round in Europe")


def test_a_funding_round_says_how_much_and_who_led_it():
    rounds = (LEAD, FundingRound(date=d("2023-12"), round="Series A", lead=("google", "meta")),
              FundingRound(date=d("2024"), round="Series B", amount=money("USD 640M")))
    graph = graph_of(companies=[dataclasses.replace(COMPANIES[2], funding=rounds)] + [COMPANIES[0], COMPANIES[3]])
    timeline = company_timeline(graph, graph.companies["mistral-ai"])
    assert rows(timeline) == [
        ("2023-04", "founded", "Mistral AI founded"),
        ("2023-06", "funding", "Mistral AI raised EUR 105M (Seed), led by Google"),
        ("2023-12", "funding", "Mistral AI announced a round (Series A), led by Google and Meta"),
        ("2024", "funding", "Mistral AI raised USD 640M (Series B)"),
    ]
    founded, seed, series_a, _ = timeline
    assert links(founded) == [("company", "mistral-ai")] and founded.sources == (MISTRAL,)
    assert (seed.sources, seed.confidence, seed.note) == ((MISTRAL,), Confidence.HIGH, "the largest seed round in Europe")
    assert links(series_a) == [("company", "mistral-ai"), ("company", "google"), ("company", "meta")]


def test_a_company_s_timeline_holds_its_units_releases_and_events():
    companies = [dataclasses.replace(COMPANIES[0], events=(event("2021-10", "Renamed to Meta"),)),
                 dataclasses.replace(COMPANIES[1], events=(event("2025-07", "Too late"),),
                                     funding=(FundingRound(date=d("2026"), round="Late"),)),
                 dataclasses.replace(COMPANIES[2], founded=d("2025-08"))]
    models = [released("llama", "2023-02", ["meta-fair"], status=ModelStatus.PREVIEW),
              released("llama-2", "2023-07", ["meta", "mistral-ai"]), released("llama-9", "2026", ["meta"]),
              released("llama-x", None, ["meta"])]
    graph = graph_of(companies=companies, models=models)
    assert rows(company_timeline(graph, graph.companies["meta"])) == [
        ("2004-02", "founded", "Meta founded"), ("2013-12", "founded", "FAIR founded"),
        ("2021-10", "event", "Meta: Renamed to Meta"),
        ("2023-02", "release", "FAIR previewed LLAMA"), ("2023-07", "release", "Meta released LLAMA-2")]
    # A unit's timeline holds its own entries, not its parent's; a company founded after as_of has none.
    assert rows(company_timeline(graph, graph.companies["meta-fair"])) == [
        ("2013-12", "founded", "FAIR founded"), ("2023-02", "release", "FAIR previewed LLAMA")]
    assert rows(company_timeline(graph, graph.companies["mistral-ai"])) == [("2023-07", "release", "Meta released LLAMA-2")]


@pytest.mark.parametrize("status, text", [(ModelStatus.RELEASED, "Meta released LLAMA"), (ModelStatus.PREVIEW, "Meta previewed LLAMA"),
                                          (ModelStatus.DELAYED, "Meta announced (delayed) LLAMA"),
                                          (ModelStatus.ANNOUNCED, "Meta announced LLAMA")])
def test_a_release_says_what_became_of_the_model(status, text):
    graph = graph_of(models=[released("llama", "2023-02", ["meta", "google"], status=status)], companies=[COMPANIES[0], COMPANIES[3]])
    (entry,) = [e for e in company_timeline(graph, graph.companies["google"]) if e.kind == "release"]
    assert "".join(p.text for p in entry.parts) == text
    assert links(entry) == [("company", "meta"), ("model", "llama")] and entry.sources == (SOURCE,)


def staff():
    return [ada(), person("bo", sourced(stint("google", "2012", "2019-01", role="Engineer"), GOOGLE),
                          sourced(stint("meta", "2019-01", role="Director"), META, confidence=Confidence.LOW)),
            person("cy", stint("meta-fair", "2016", "2024-02")), person("di", stint("meta", "2020-02"))]


def test_a_company_s_timeline_holds_arrivals_and_departures_of_its_units():
    graph = graph_of(*staff())
    timeline = [e for e in company_timeline(graph, graph.companies["meta"]) if e.kind in ("joined", "left")]
    assert rows(timeline) == [
        ("2015", "joined", "Ada Lovelace joined FAIR as Research Scientist"),
        ("2016", "joined", "Cy joined FAIR"),
        ("2019-01", "joined", "Bo joined Meta as Director from Google"),
        ("2020-02", "joined", "Di joined Meta"),
        ("2023-05", "left", "Ada Lovelace left FAIR to found Mistral AI"),
        ("2024-02", "left", "Cy left FAIR"),
    ]
    bo = timeline[2]
    assert links(bo) == [("person", "bo"), ("company", "meta"), ("company", "google")]
    assert (bo.sources, bo.confidence, bo.note) == ((META,), Confidence.LOW, "")


def test_a_company_s_timeline_without_joins_or_with_the_departures_given():
    graph = graph_of(*staff())
    meta = graph.companies["meta"]
    without = company_timeline(graph, meta, joins=False)
    assert [e.kind for e in without] == ["founded", "founded", "left", "left"]
    assert rows(company_timeline(graph, meta, joins=False, left=departures(graph, "meta")[1:])) == rows(without)[:2] + rows(without)[3:]
    assert [e.kind for e in company_timeline(graph, meta, joins=False, left=[])] == ["founded", "founded"]


# --- the site's timeline -----------------------------------------------------------------

def test_the_site_s_timeline_holds_every_founding_round_event_release_and_move_once():
    companies = [dataclasses.replace(COMPANIES[0], events=(event("2021-10", "Renamed to Meta"), event("2026", "Later"))),
                 COMPANIES[1], dataclasses.replace(COMPANIES[2], funding=(LEAD,)), dataclasses.replace(COMPANIES[3], founded=d("2025-07"))]
    models = [released("llama", "2023-02", ["meta-fair", "meta"]), released("later", "2025-09", ["meta"])]
    graph = graph_of(*staff(), companies=companies, models=models)
    timeline = site_timeline(graph)
    assert rows(timeline) == [
        ("2004-02", "founded", "Meta founded"),
        ("2013-12", "founded", "FAIR founded"),
        ("2019-01", "left", "Bo left Google for Meta"),
        ("2021-10", "event", "Meta: Renamed to Meta"),
        ("2023-02", "release", "FAIR released LLAMA"),
        ("2023-04", "founded", "Mistral AI founded"),
        ("2023-05", "left", "Ada Lovelace left FAIR to found Mistral AI"),
        ("2023-06", "funding", "Mistral AI raised EUR 105M (Seed), led by Google"),
        ("2024-02", "left", "Cy left FAIR"),
    ]
    assert isinstance(timeline, tuple) and site_timeline(graph) is timeline  # computed once per graph


def test_an_event_entry_carries_the_event_s_details():
    e = event_entry(COMPANIES[0], event("2021-10-28", "Renamed", text="Facebook became *Meta*.", note="rebrand",
                                        confidence=Confidence.MEDIUM))
    assert e == Entry(d("2021-10-28"), "event", (Part("Meta", ("company", "meta")), Part(": Renamed")), (SOURCE,),
                      Confidence.MEDIUM, "rebrand", "Facebook became *Meta*.")
