"""Computed views over moves: departures, arrivals, groups, tenure, diaspora, flows, funding."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from atlas.model.records import Money, Tenure
from atlas.compute.moves import Truth, all_moves, moves_of
from atlas.compute.summaries import (UNKNOWN, arrivals, departures, diaspora, flows, funding_total, group_moves,
                                     joined_within, tenure_summary)

from conftest import AS_OF, company, funding_round, make_graph, model, person, stint

D = dt.date
COMPANIES = [company("meta", name="Meta"), company("meta-fair", parent="meta", name="FAIR"),
             company("mistral-ai", name="Mistral AI"), company("apple", name="Apple"),
             company("google", name="Google"), company("anthropic", name="Anthropic")]


def setup(*people, as_of=AS_OF, models=()):
    return make_graph(COMPANIES, people, models, as_of)


def slugs(items):
    return [x.person.slug for x in items]


def leaver(slug, to, end="2023-05", start="2015", origin="meta-fair", **kw):
    stints = [stint(origin, start, end, **kw)]
    if to:
        stints.append(stint(to, end))
    return person(slug, *stints)


# --- moves and departures ----------------------------------------------------------------

def test_every_move_is_found_once_by_date_then_person():
    # ada left later than bob and cy, who left on one day: by date, then by person.
    people = (leaver("ada", "mistral-ai", end="2024"), leaver("bob", "apple", end="2023-01"),
              leaver("cy", "mistral-ai", end="2023-01"), person("dan", stint("apple", "2010", "2012"), stint("meta-fair", "2012")))
    graph = setup(*people)
    assert slugs(all_moves(graph)) == ["dan", "bob", "cy", "ada"]
    assert slugs(departures(graph, "meta-fair")) == ["bob", "cy", "ada"]
    assert slugs(departures(graph, "apple")) == ["dan"]
    assert [m.destination.company for m in moves_of(graph, "cy")] == ["mistral-ai"]
    assert moves_of(graph, "dan")[0].destination.company == "meta-fair"


def test_departures_include_units_sorted_by_date():
    graph = setup(leaver("ada", "mistral-ai", end="2024"), leaver("bob", "apple", end="2023-01", origin="meta"),
                  person("cy", stint("meta", "2019")))
    assert slugs(departures(graph, "meta")) == ["bob", "ada"]
    assert slugs(departures(graph, "meta-fair")) == ["ada"]
    assert departures(graph, "apple") == []


def test_move_inside_a_family_is_not_a_departure():
    graph = setup(person("ada", stint("meta-fair", "2015", "2020"), stint("meta", "2020")))
    assert departures(graph, "meta") == [] and all_moves(graph) == ()


# --- arrivals -----------------------------------------------------------------------------

def test_arrival_is_linked_to_the_move_that_caused_it():
    graph = setup(leaver("ada", "mistral-ai"), person("bob", stint("mistral-ai", "2023-06")))
    found = arrivals(graph, "mistral-ai")
    assert slugs(found) == ["ada", "bob"]
    assert found[0].origin is not None and found[0].origin.origin.company == "meta-fair"
    assert found[1].origin is None


def test_boomerang_arrives_twice():
    p = person("ada", stint("meta", "2015", "2018-03"), stint("google", "2018-04", "2020-12"),
               stint("meta-fair", "2021-06"))
    graph = setup(p)
    found = arrivals(graph, "meta")
    assert [str(a.stint.start) for a in found] == ["2015", "2021-06"]
    assert found[0].origin is None
    assert found[1].origin is not None and found[1].origin.origin.company == "google"


def test_arrival_at_a_unit_counts_for_the_parent():
    graph = setup(person("ada", stint("apple", "2015", "2020-01"), stint("meta-fair", "2020-01")))
    [arrival] = arrivals(graph, "meta")
    assert arrival.stint.company == "meta-fair" and arrival.origin.origin.company == "apple"


# --- group_moves --------------------------------------------------------------------------

def test_groups_are_largest_first_and_unknown_last():
    people = [leaver("a1", None), leaver("a2", None), leaver("a3", None),
              leaver("b1", "mistral-ai"), leaver("b2", "mistral-ai"),
              leaver("c1", "apple"), leaver("c2", "anthropic")]
    graph = setup(*people)
    groups = group_moves(graph, list(all_moves(graph)), "destination")
    assert [(g.key, g.count) for g in groups] == [("mistral-ai", 2), ("anthropic", 1), ("apple", 1), (UNKNOWN, 3)]
    assert groups[-1].label == "Unknown" and groups[-1].company is None
    assert groups[0].company.name == "Mistral AI"


def test_groups_by_origin():
    graph = setup(leaver("a", "apple"), leaver("b", "apple", origin="meta"), leaver("c", "apple"))
    assert [(g.key, g.count) for g in group_moves(graph, list(all_moves(graph)), "origin")] == [("meta-fair", 2), ("meta", 1)]


def test_organization_without_a_page_is_grouped_by_name():
    p = person("ada", stint("meta", "2015", "2023-04"), stint(None, "2023-04", organization="A start-up"))
    graph = setup(p)
    [group] = group_moves(graph, list(all_moves(graph)), "destination")
    assert (group.key, group.company, group.label) == ("~A start-up", None, "A start-up")


# --- tenure_summary -----------------------------------------------------------------------

def test_tenure_summary_separates_over_maybe_under_and_unknown():
    people = [leaver("long", "apple", start="2010-01", end="2020-01"),
              leaver("short", "apple", start="2019-01", end="2021-01"),
              leaver("about5", "apple", start="by 2019", tenure=Tenure(5, "about", "about 5 years")),
              leaver("unknown", "apple", start="by 2019")]
    graph = setup(*people)
    summary = tenure_summary(list(all_moves(graph)), 5)
    assert slugs(summary.over) == ["long"]
    assert slugs(summary.under) == ["short"]
    assert slugs(summary.maybe) == ["about5"]
    assert slugs(summary.unknown) == ["unknown"]
    assert len(summary.known) == 3 and summary.reported == 1
    assert summary.median == (4.5, 5.5)  # the medians of the lowest and highest possible tenures


def test_tenure_summary_of_nothing():
    summary = tenure_summary([], 5)
    assert summary.median is None and summary.known == () and summary.over == ()


# --- joined_within ------------------------------------------------------------------------

@pytest.mark.parametrize("start, truth", [
    ("2024-02", Truth.YES), ("2023-06", Truth.NO), ("2023", Truth.MAYBE), ("by 2025-03", Truth.MAYBE),
])
def test_joined_within(start, truth):
    p = person("ada", stint("mistral-ai", start))
    graph = setup(p)
    assert joined_within(graph, p, "mistral-ai", D(2023, 12, 1), D(2025, 6, 1)) is truth


def test_joined_within_is_no_for_someone_who_already_left():
    p = person("ada", stint("mistral-ai", "2024-02", "2025-01"))
    graph = setup(p)
    assert joined_within(graph, p, "mistral-ai", D(2023, 12, 1), D(2025, 6, 1)) is Truth.NO


def test_joined_within_uses_the_latest_stay_of_a_boomerang():
    p = person("ada", stint("mistral-ai", "2020", "2021"), stint("apple", "2021", "2024-01"), stint("mistral-ai", "2024-02"))
    graph = setup(p)
    assert joined_within(graph, p, "mistral-ai", D(2023, 12, 1), D(2025, 6, 1)) is Truth.YES


# --- diaspora -----------------------------------------------------------------------------

def test_diaspora_first_move_and_current_place_can_differ():
    people = [person("stay", stint("meta-fair", "2015")),
              person("hop", stint("meta-fair", "2015", "2023-05"), stint("apple", "~2023-05", "by 2025-03"),
                     stint("google", "by 2025-03")),
              leaver("go", "mistral-ai"),
              person("maybe", stint("meta-fair", "2015", "2025")),
              person("never", stint("anthropic", "2020"))]
    m = model("m1", ["meta-fair"], [p.slug for p in people])
    graph = setup(*people, models=[m])
    result = diaspora(graph, m, "meta")
    assert slugs(result.remain) == ["stay"]
    assert slugs(result.left) == ["hop", "go"]
    assert slugs(result.uncertain) == ["maybe"]
    rows = {r.person.slug: r for r in result.rows}
    assert rows["hop"].first_move.destination.company == "apple"
    assert [s.company for s in rows["hop"].now] == ["google"]
    assert not rows["never"].was_there and rows["never"].first_move is None
    # 'maybe' may have left (end '2025'): grouped as an unknown first move, still at FAIR for now.
    assert [(g.key, g.count) for g in result.first_groups] == [("apple", 1), ("mistral-ai", 1), (UNKNOWN, 1)]
    assert [(row[0], slugs(row[3])) for row in result.now_groups] == [
        ("meta-fair", ["maybe"]), ("google", ["hop"]), ("mistral-ai", ["go"])]


# --- flows --------------------------------------------------------------------------------

def test_flows_are_largest_first():
    people = [leaver("a", "mistral-ai"), leaver("b", "mistral-ai"), leaver("c", "apple"), leaver("d", None),
              person("e", stint("apple", "2010", "2015"), stint("meta-fair", "2015"))]
    graph = setup(*people)
    result = [(f.origin[0], f.destination[0], f.count) for f in flows(graph)]
    assert result[0] == ("meta-fair", "mistral-ai", 2)
    assert sorted(result[1:]) == [("apple", "meta-fair", 1), ("meta-fair", "", 1), ("meta-fair", "apple", 1)]
    assert [f.count for f in flows(graph)] == sorted((f.count for f in flows(graph)), reverse=True)


# --- funding_total ------------------------------------------------------------------------

def eur(n):
    return Money(Decimal(n), "EUR")


def test_funding_total_per_currency_and_excluding_later_rounds():
    acme = company("acme", funding=[
        funding_round("2023-06", "EUR 105M", usd="USD 113M"),
        funding_round("2023-12", "EUR 385M", valuation="EUR 2B"),
        funding_round("2024-02", "USD 16M"),
        funding_round("2025-09", "EUR 1B"),                 # after as_of
        funding_round("2024-06", None, valuation="EUR 6B"),  # no amount
    ])
    total = funding_total(acme, AS_OF)
    assert total.by_currency == (eur(490_000_000), Money(Decimal(16_000_000), "USD"))
    assert [str(r.date) for r in total.rounds] == ["2023-06", "2023-12", "2024-02"]
    assert total.usd_reported is None  # the EUR 385M round has no USD equivalent
    assert total.latest_valuation[1] == eur(6_000_000_000)


def test_funding_total_reports_usd_when_every_round_has_it():
    acme = company("acme", funding=[funding_round("2023-06", "EUR 100M", usd="USD 110M"),
                                    funding_round("2024-01", "USD 50M")])
    assert funding_total(acme, AS_OF).usd_reported == Money(Decimal(160_000_000), "USD")


def test_funding_round_in_the_year_of_as_of_is_not_counted_until_surely_announced():
    acme = company("acme", funding=[funding_round("2025", "EUR 1M")])
    assert funding_total(acme, D(2025, 6, 1)).by_currency == ()
    assert funding_total(acme, D(2026, 1, 1)).by_currency == (eur(1_000_000),)


def test_funding_total_of_a_company_without_rounds():
    total = funding_total(company("acme"), AS_OF)
    assert (total.rounds, total.by_currency, total.usd_reported, total.latest_valuation) == ((), (), None, None)
