"""Net flow and flow ratio between organisations (S5, S6; compute/analytics/netflow.py,
docs/definitions.md, "Net flow and flow ratio"), site-wide and on a company page, on small
graphs built in code."""
from __future__ import annotations

import datetime as dt

from atlas.compute.analytics.netflow import (MIN_SUPPORT, CompanyFlows, NetFlows, PairFlow, Window, company_flows, net_flows,
                                             recent_since)
from atlas.compute.graph import Graph
from atlas.compute.summaries import arrivals, departures
from atlas.model.records import Person

from conftest import company, make_graph, person, stint

D = dt.date
BASE = [company("meta", name="Meta"), company("meta-fair", parent="meta", name="FAIR"),
        company("google", name="Google"), company("apple", name="Apple"), company("openai", name="OpenAI"),
        company("acme", name="Beta"), company("zeta-co", name="alpha")]


def graph(*people: Person, as_of: dt.date = D(2025, 6, 1)) -> Graph:
    return make_graph(BASE, people, (), as_of)


def mover(slug: str, origin: str | None, to: str | None, end: str = "2023-05") -> Person:
    """Someone who left `origin` (a slug, or '~Name' for an organisation without a page) for `to` (None: unknown)."""
    def at(org: str, start: str, finish: str | None = None):
        return stint(organization=org[1:], start=start, end=finish) if org.startswith("~") else stint(org, start, finish)

    return person(slug, at(origin, "2015", end), *([at(to, end)] if to else []))


def movers(n: int, origin: str, to: str, prefix: str) -> list[Person]:
    return [mover(f"{prefix}{i}", origin, to) for i in range(n)]


def pair_of(flows: NetFlows, a: str, b: str) -> PairFlow:
    return next(p for p in flows.pairs if {p.here[0], p.there[0]} == {a, b})


def pairs(flows: NetFlows | CompanyFlows, side: str = "pairs") -> list[tuple[str, str, int, int]]:
    """(here, there, moves in, moves out) of each pair, in order."""
    return [(p.here[0], p.there[0], len(p.inflow), len(p.outflow)) for p in getattr(flows, side)]


# --- a pair: moves both ways, net and ratio ----------------------------------------------

def test_net_flow_counts_both_ways_from_the_side_that_gains() -> None:
    people = movers(3, "google", "apple", "g") + [mover("a0", "apple", "google")]
    p = pair_of(net_flows(graph(*people)), "apple", "google")
    assert (p.here[0], len(p.inflow), len(p.outflow), p.net, p.total) == ("apple", 3, 1, 2, 4)
    assert p.ratio == ""  # 4 moves: fewer than MIN_SUPPORT, no ratio


def test_a_pair_is_shown_from_the_side_that_gains_whichever_comes_first_by_name() -> None:
    people = movers(3, "apple", "google", "a") + [mover("g0", "google", "apple")]
    assert pairs(net_flows(graph(*people))) == [("google", "apple", 3, 1)]


def test_an_even_pair_is_shown_from_the_first_organisation_by_key() -> None:
    even = net_flows(graph(mover("a0", "apple", "google"), mover("g0", "google", "apple")))
    assert pairs(even) == [("apple", "google", 1, 1)] and even.pairs[0].net == 0
    without_page = net_flows(graph(mover("s0", "~Stanford", "zeta-co"), mover("z0", "zeta-co", "~Stanford")))
    assert pairs(without_page) == [("zeta-co", "~Stanford", 1, 1)]  # after every slug


def test_ratio_needs_support_and_is_never_taken_from_zero() -> None:
    five = movers(MIN_SUPPORT, "google", "apple", "g")
    assert MIN_SUPPORT == 5 and pair_of(net_flows(graph(*five)), "apple", "google").ratio == "5 : 0"
    mixed = movers(4, "google", "apple", "g") + movers(2, "apple", "google", "a")
    assert pair_of(net_flows(graph(*mixed)), "apple", "google").ratio == "2 : 1"


def flow(moves_in: int, moves_out: int) -> PairFlow:
    """A pair with so many moves each way (the ratio reads only how many)."""
    (move,) = net_flows(graph(mover("ann", "google", "apple"))).pairs[0].inflow
    return PairFlow(("apple", None, "Apple"), ("google", None, "Google"), (move,) * moves_in, (move,) * moves_out,
                    Window(0, 0), Window(0, 0))


def test_ratio_is_the_larger_count_to_the_smaller_to_a_tenth_without_a_trailing_zero() -> None:
    assert [flow(i, o).ratio for i, o in ((3, 2), (5, 3), (6, 2), (3, 3), (7, 2))] == [
        "1.5 : 1", "1.7 : 1", "3 : 1", "1 : 1", "3.5 : 1"]


def test_ratio_seen_from_the_side_that_loses_puts_the_one_first() -> None:
    assert [flow(i, o).ratio for i, o in ((2, 4), (2, 3), (0, 5), (1, 3))] == ["1 : 2", "1 : 1.5", "0 : 5", ""]


# --- every pair and every organisation's balance --------------------------------------------

def test_an_unknown_destination_is_in_no_pair_but_is_a_departure() -> None:
    flows = net_flows(graph(mover("ann", "google", None), mover("ben", "google", "apple")))
    assert pairs(flows) == [("apple", "google", 1, 0)]
    balance = {b.org[0]: (len(b.inflow), len(b.outflow), b.net) for b in flows.balances}
    assert balance == {"google": (0, 2, -2), "apple": (1, 0, 1)}


def test_pairs_are_by_net_then_by_moves_then_by_name() -> None:
    people = (movers(3, "meta-fair", "openai", "f") + movers(3, "google", "apple", "g") + [mover("a0", "apple", "google")]
              + movers(2, "~Stanford", "meta", "s") + [mover("b0", "google", "acme"), mover("z0", "google", "zeta-co")])
    assert pairs(net_flows(graph(*people))) == [
        ("openai", "meta-fair", 3, 0), ("apple", "google", 3, 1), ("meta", "~Stanford", 2, 0),
        ("zeta-co", "google", 1, 0), ("acme", "google", 1, 0)]  # 'alpha' before 'Beta', whatever the case


def test_balances_are_by_net_then_by_moves_in_then_by_name() -> None:
    people = [mover("a0", "apple", "google"), mover("a1", "apple", "google"), mover("g0", "google", "apple"),
              mover("o0", "openai", "acme"), mover("m0", "meta", "zeta-co"), mover("u0", "meta", None)]
    flows = net_flows(graph(*people))
    assert [(b.org[0], len(b.inflow), len(b.outflow), b.net) for b in flows.balances] == [
        ("google", 2, 1, 1), ("zeta-co", 1, 0, 1), ("acme", 1, 0, 1),  # 'alpha' before 'Beta'
        ("apple", 1, 2, -1), ("openai", 0, 1, -1), ("meta", 0, 2, -2)]


def test_an_organisation_without_a_page_is_keyed_and_named_as_written() -> None:
    flows = net_flows(graph(mover("ann", "~Stanford", "apple")))
    assert [(p.here, p.there) for p in flows.pairs] == [(("apple", BASE[3], "Apple"), ("~Stanford", None, "Stanford"))]


# --- the last 24 months ---------------------------------------------------------------------

def test_the_recent_window_counts_moves_that_may_fall_in_it_apart() -> None:
    flows = net_flows(graph(mover("ann", "google", "apple", end="2023-06-15"), mover("ben", "google", "apple", end="~2023-06"),
                            mover("cy", "google", "apple", end="2020")))
    p = pair_of(flows, "apple", "google")
    assert flows.since == D(2023, 6, 1) and (p.recent_in, p.recent_out) == (Window(1, 1), Window(0, 0))
    assert (p.recent_in.text, p.recent_out.text) == ("1 to 2", "0")


def test_the_recent_window_holds_its_first_day_and_a_move_that_may_be_after_as_of_may_be_in_it() -> None:
    ends = {"in1": "2023-06-01", "out1": "2023-05-31", "in2": "2023-06", "out2": "2023-05", "later": "2025-06"}
    p = pair_of(net_flows(graph(*(mover(slug, "google", "apple", end=end) for slug, end in ends.items()))), "apple", "google")
    assert (len(p.inflow), p.recent_in, p.recent_in.text) == (5, Window(2, 1), "2 to 3")


def test_the_recent_window_begins_24_months_before_as_of_on_the_same_day_or_the_month_s_last() -> None:
    assert (recent_since(D(2025, 6, 1)), recent_since(D(2024, 2, 29))) == (D(2023, 6, 1), D(2022, 2, 28))
    assert net_flows(graph(as_of=D(2024, 2, 29))).since == D(2022, 2, 28)


# --- a company page -------------------------------------------------------------------------

def flows_of(g: Graph, here: str) -> CompanyFlows:
    return company_flows(g, here, [a.origin for a in arrivals(g, here) if a.origin], departures(g, here))


def test_company_flows_count_its_units_and_keep_the_even_pairs_apart() -> None:
    g = graph(mover("ann", "meta-fair", "apple"), mover("ben", "meta", "apple"), mover("cy", "apple", "meta-fair", end="2022"),
              mover("dan", "google", "meta"), mover("eve", "meta", "google", end="2021"), mover("fay", "meta", None))
    flows = flows_of(g, "meta")
    assert pairs(flows, "losses") == [("meta", "apple", 1, 2)] and flows.losses[0].net == -1
    assert pairs(flows, "even") == [("meta", "google", 1, 1)] and flows.gains == ()
    assert [m.person.slug for m in flows.unknown] == ["fay"]


def test_company_gains_and_losses_are_largest_first_each() -> None:
    people = (movers(3, "google", "meta", "g") + [mover("a0", "apple", "meta-fair")] + movers(2, "meta", "openai", "o")
              + [mover("s0", "meta-fair", "~Stanford")] + [mover("u0", "meta", None)])
    flows = flows_of(graph(*people), "meta")
    assert pairs(flows, "gains") == [("meta", "google", 3, 0), ("meta", "apple", 1, 0)]
    assert pairs(flows, "losses") == [("meta", "openai", 0, 2), ("meta", "~Stanford", 0, 1)]
    assert flows.gains[0].here == ("meta", BASE[0], "Meta") and flows.losses[1].there[2] == "Stanford"


def test_company_flows_count_the_recent_moves_each_way() -> None:
    people = [mover("g0", "google", "meta", end="2024-01"), mover("g1", "google", "meta", end="2020"),
              mover("m0", "meta", "google", end="~2023-06"), mover("m1", "meta", "google", end="2023-07")]
    (p,) = flows_of(graph(*people), "meta").even
    assert (p.recent_in, p.recent_out) == (Window(1, 0), Window(1, 1))
