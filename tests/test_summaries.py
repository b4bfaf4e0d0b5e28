"""Computed views over moves: departures, arrivals, groups, tenure, diaspora, flows, funding."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from atlas.model.records import Money, Tenure
from atlas.compute.moves import Truth, all_moves, moves_of
from atlas.compute.summaries import (UNKNOWN, Group, arrivals, departures, diaspora, flows, funding_total, group_moves,
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


def test_departures_at_an_earlier_date_are_those_known_then():
    graph = setup(leaver("ada", "apple", end="2020-01"), leaver("bob", "apple", end="2023-01"))
    assert slugs(departures(graph, "meta", D(2021, 1, 1))) == ["ada"]


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


def test_a_stay_in_the_family_that_never_reached_the_unit_is_no_arrival_there():
    p = person("ada", stint("meta", "2010", "2012"), stint("apple", "2012", "2015"), stint("meta-fair", "2016"))
    [arrival] = arrivals(setup(p), "meta-fair")
    assert (str(arrival.stint.start), arrival.origin.origin.company) == ("2016", "apple")


def test_arrivals_are_by_start_then_person():
    graph = setup(person("cy", stint("apple", "2019-06")), person("ada", stint("apple", "2019-06")),
                  person("bob", stint("apple", "2018")))
    assert [(a.person.slug, str(a.stint.start)) for a in arrivals(graph, "apple")] == [
        ("bob", "2018"), ("ada", "2019-06"), ("cy", "2019-06")]


def test_arrivals_at_an_earlier_date_are_those_known_then():
    graph = setup(person("ada", stint("meta-fair", "2015", "2020"), stint("apple", "2020-01")),
                  person("bob", stint("apple", "2022")))
    [arrival] = arrivals(graph, "apple", D(2020, 1, 15))  # Ada may not have left FAIR yet
    assert (arrival.person.slug, arrival.origin.origin.company, arrival.origin.certain) == ("ada", "meta-fair", False)


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


def test_groups_of_one_size_are_by_name_ignoring_case():
    companies = [*COMPANIES, company("aleph", name="aleph labs")]
    people = [leaver("a", "aleph"), leaver("b", "apple"), leaver("c", "anthropic")]
    graph = make_graph(companies, people)
    moves = list(all_moves(graph))
    assert group_moves(graph, moves, "destination") == [
        Group("aleph", graph.companies["aleph"], "aleph labs", (moves[0],)),
        Group("anthropic", graph.companies["anthropic"], "Anthropic", (moves[2],)),
        Group("apple", graph.companies["apple"], "Apple", (moves[1],))]


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


def test_someone_who_left_on_the_last_day_did_not_join_within_it():
    p = person("ada", stint("mistral-ai", "2024-02", "2025-06-01"))
    assert joined_within(setup(p), p, "mistral-ai", D(2023, 12, 1), D(2025, 6, 1)) is Truth.NO


@pytest.mark.parametrize("start, truth", [
    ("2024-02", Truth.MAYBE),  # joined within, and may still be there on the last day
    ("2023-06", Truth.NO),     # joined before the window
    ("2023", Truth.MAYBE),
])
def test_someone_who_may_have_left_by_the_last_day_may_have_joined_within(start, truth):
    p = person("ada", stint("mistral-ai", start, "2025-06"))  # any day of June 2025
    assert joined_within(setup(p), p, "mistral-ai", D(2023, 12, 1), D(2025, 6, 1)) is truth


def test_joined_within_uses_the_latest_stay_of_a_boomerang():
    p = person("ada", stint("mistral-ai", "2020", "2021"), stint("apple", "2021", "2024-01"), stint("mistral-ai", "2024-02"))
    graph = setup(p)
    assert joined_within(graph, p, "mistral-ai", D(2023, 12, 1), D(2025, 6, 1)) is Truth.YES


def test_joined_within_takes_the_latest_of_three_stays():
    p = person("ada", stint("mistral-ai", "2018", "2019"), stint("apple", "2019", "2020"), stint("mistral-ai", "2020", "2021"),
               stint("apple", "2021", "2024-01"), stint("mistral-ai", "2024-02"))
    assert joined_within(setup(p), p, "mistral-ai", D(2023, 12, 1), D(2025, 6, 1)) is Truth.YES


def test_joined_within_reads_the_stays_known_on_the_last_day():
    # On 1 December 2024 Ada is still at Mistral AI; her return in 2025 is not known then.
    p = person("ada", stint("mistral-ai", "2024-02", "2025-01"), stint("apple", "2025-02", "2025-03"),
               stint("mistral-ai", "2025-04"))
    assert joined_within(setup(p), p, "mistral-ai", D(2023, 12, 1), D(2024, 12, 1)) is Truth.YES


def test_joined_within_a_unit_needs_a_stay_that_reached_it():
    p = person("ada", stint("meta", "2024-02"))
    assert joined_within(setup(p), p, "meta-fair", D(2023, 12, 1), D(2025, 6, 1)) is Truth.NO
    assert joined_within(setup(p), p, "meta", D(2023, 12, 1), D(2025, 6, 1)) is Truth.YES


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


def test_diaspora_is_of_the_model_and_company_at_the_graphs_date_or_another():
    people = [leaver("go", "apple"), person("stay", stint("meta-fair", "2015")), person("never", stint("apple", "2015")),
              person("hop", stint("meta-fair", "2015", "2020"), stint("apple", "2020", "2023"))]
    m = model("m1", ["meta-fair"], ["never", "go", "stay", "hop"])
    graph = setup(*people, models=[m])
    now = diaspora(graph, m, "meta")
    assert (now.model, now.company, now.as_of) == (m, graph.companies["meta"], AS_OF)
    assert [(r.position, r.person.slug, r.status, r.was_there) for r in now.rows] == [
        (1, "never", Truth.NO, False), (2, "go", Truth.NO, True), (3, "stay", Truth.YES, True), (4, "hop", Truth.NO, True)]
    then = diaspora(graph, m, "meta", D(2022, 1, 1))
    assert then.as_of == D(2022, 1, 1) and slugs(then.remain) == ["go", "stay"] and slugs(then.left) == ["hop"]
    go, hop = then.rows[1], then.rows[3]
    assert go.now == (stint("meta-fair", "2015"),)  # the end in 2023 is not known yet, nor the stint at Apple
    assert hop.first_move.destination == hop.now[0] == stint("apple", "2020")


def test_the_first_move_of_an_author_who_left_twice_is_the_first_departure():
    p = person("boom", stint("meta-fair", "2010", "2015"), stint("apple", "2015", "2018"), stint("meta-fair", "2018", "2020"),
               stint("google", "2020"))
    m = model("m1", ["meta"], ["boom"])
    [row] = diaspora(setup(p, models=[m]), m, "meta").rows
    assert (row.status, str(row.first_move.date), row.first_move.destination.company) == (Truth.NO, "2015", "apple")
    assert [s.company for s in row.now] == ["google"]


def test_an_author_who_came_back_has_no_first_move():
    p = person("back", stint("meta-fair", "2010", "2015"), stint("apple", "2015", "2018"), stint("meta-fair", "2018"))
    m = model("m1", ["meta"], ["back"])
    result = diaspora(setup(p, models=[m]), m, "meta")
    assert [(r.status, r.first_move) for r in result.rows] == [(Truth.YES, None)]
    assert result.first_groups == () and result.now_groups == ()


def test_where_an_author_is_now_is_certain_only_when_every_current_stint_surely_goes_on():
    people = [person("sure", stint("meta-fair", "2015", "2023-05"), stint("apple", "2023-05"), stint("google", "2024")),
              person("unsure", stint("meta-fair", "2015", "2023-05"), stint("apple", "2023-05"), stint("google", "2025")),
              leaver("nowhere", None)]
    m = model("m1", ["meta"], [p.slug for p in people])
    rows = diaspora(setup(*people, models=[m]), m, "meta").rows
    assert [([s.company for s in r.now], r.now_certain) for r in rows] == [
        (["google", "apple"], True), (["google", "apple"], False), ([], True)]


def test_where_authors_are_now_is_grouped_largest_first_by_name_and_unknown_last():
    companies = [*COMPANIES, company("aleph", name="aleph labs")]
    people = [leaver("u1", None), leaver("p1", "apple"), leaver("a1", "aleph"), leaver("u2", None),
              leaver("c1", "anthropic"), leaver("p2", "apple"), leaver("u3", None), person("stay", stint("meta", "2015"))]
    m = model("m1", ["meta"], [p.slug for p in people])
    graph = make_graph(companies, people, [m])
    result = diaspora(graph, m, "meta")
    assert [(key, company, label, slugs(rows)) for key, company, label, rows in result.now_groups] == [
        ("apple", graph.companies["apple"], "Apple", ["p1", "p2"]),
        ("aleph", graph.companies["aleph"], "aleph labs", ["a1"]),
        ("anthropic", graph.companies["anthropic"], "Anthropic", ["c1"]),
        (UNKNOWN, None, "Unknown", ["u1", "u2", "u3"])]
    assert [(g.key, g.label, slugs(g.moves)) for g in result.first_groups] == [
        ("apple", "Apple", ["p1", "p2"]), ("aleph", "aleph labs", ["a1"]), ("anthropic", "Anthropic", ["c1"]),
        (UNKNOWN, "Unknown", ["u1", "u2", "u3"])]


# --- flows --------------------------------------------------------------------------------

def test_flows_are_largest_first():
    people = [leaver("a", "mistral-ai"), leaver("b", "mistral-ai"), leaver("c", "apple"), leaver("d", None),
              person("e", stint("apple", "2010", "2015"), stint("meta-fair", "2015"))]
    graph = setup(*people)
    result = [(f.origin[0], f.destination[0], f.count) for f in flows(graph)]
    assert result[0] == ("meta-fair", "mistral-ai", 2)
    assert sorted(result[1:]) == [("apple", "meta-fair", 1), ("meta-fair", "", 1), ("meta-fair", "apple", 1)]
    assert [f.count for f in flows(graph)] == sorted((f.count for f in flows(graph)), reverse=True)


def test_flows_are_by_size_then_origin_then_destination_name():
    people = [leaver("a", "mistral-ai"), leaver("b", "mistral-ai"), leaver("c", "apple"), leaver("d", None),
              leaver("h", "anthropic"), person("e", stint("apple", "2010", "2015"), stint("anthropic", "2015")),
              person("g", stint("google", "2010", "2016"), stint("anthropic", "2016"))]
    graph = setup(*people)
    label = lambda end: (end[0], end[1].slug if end[1] else None, end[2])  # noqa: E731
    assert [(label(f.origin), label(f.destination), slugs(f.moves)) for f in flows(graph)] == [
        (("meta-fair", "meta-fair", "FAIR"), ("mistral-ai", "mistral-ai", "Mistral AI"), ["a", "b"]),
        (("apple", "apple", "Apple"), ("anthropic", "anthropic", "Anthropic"), ["e"]),
        (("meta-fair", "meta-fair", "FAIR"), ("anthropic", "anthropic", "Anthropic"), ["h"]),
        (("meta-fair", "meta-fair", "FAIR"), ("apple", "apple", "Apple"), ["c"]),
        (("meta-fair", "meta-fair", "FAIR"), (UNKNOWN, None, "Unknown"), ["d"]),
        (("google", "google", "Google"), ("anthropic", "anthropic", "Anthropic"), ["g"])]


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
    assert [str(r.date) for r in total.unknown] == ["2024-06"]  # so the sums are lower bounds


def test_rounds_of_unknown_amount_are_those_by_as_of_in_date_order():
    acme = company("acme", funding=[funding_round("2024-06", None, "B"), funding_round("2023", None, "A"),
                                    funding_round("2025-06-01", None, "C"), funding_round("2025-06-02", None, "D"),
                                    funding_round("2024", "EUR 5M")])
    assert [r.round for r in funding_total(acme, D(2025, 6, 1)).unknown] == ["A", "B", "C"]


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


@pytest.mark.parametrize("date, counted", [("2025-06-01", True), ("2025-06-02", False), ("2025-06", False)])
def test_a_round_counts_once_its_whole_date_is_on_or_before_as_of(date, counted):
    acme = company("acme", funding=[funding_round(date, "EUR 5M", valuation="EUR 50M")])
    total = funding_total(acme, AS_OF)
    assert (total.by_currency, total.latest_valuation) == (
        ((eur(5_000_000),), (acme.funding[0], eur(50_000_000))) if counted else ((), None))


def test_funding_is_given_per_currency_by_code_and_rounds_by_date():
    acme = company("acme", funding=[funding_round("2024", "USD 1M"), funding_round("2023-06", "GBP 2M"),
                                    funding_round("2023-01", "EUR 3M"), funding_round("2022", "USD 4M")])
    total = funding_total(acme, AS_OF)
    assert total.by_currency == (eur(3_000_000), Money(Decimal(2_000_000), "GBP"), Money(Decimal(5_000_000), "USD"))
    assert [str(r.date) for r in total.rounds] == ["2022", "2023-01", "2023-06", "2024"]


def test_the_latest_valuation_is_the_latest_dated_by_as_of():
    rounds = [funding_round("2024-06", "EUR 600M", "B", valuation="EUR 6B"),
              funding_round("2023-12", "EUR 385M", "A", valuation="EUR 2B"),
              funding_round("2025-01", "EUR 1B", "C", valuation="EUR 8B"),
              funding_round("2025-03", "EUR 100M", "D"),                      # no valuation
              funding_round("2025-09", "EUR 2B", "E", valuation="EUR 20B")]   # after as_of
    acme = company("acme", funding=rounds)
    assert funding_total(acme, AS_OF).latest_valuation == (rounds[2], eur(8_000_000_000))
