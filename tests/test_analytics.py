"""Talent analytics (compute/analytics/), each definition on small fixtures: founders'
origins and alumni-founded companies (S10), boomerangs (S11)."""
from __future__ import annotations

import dataclasses
import datetime as dt

from atlas.compute.analytics.boomerangs import boomerangs_at, boomerangs_of
from atlas.compute.analytics.founders import alumni_founded, origins_of
from atlas.compute.analytics.spans import Between, between, months_words, years_words
from atlas.compute.summaries import departures

from conftest import company, d, make_graph, person, stint

D = dt.date


def founded(c, date):
    return dataclasses.replace(c, founded=d(date))


BASE = [company("meta", name="Meta"), company("meta-fair", parent="meta", name="FAIR"),
        company("google", name="Google"), company("apple", name="Apple")]


def graph(*people, companies=(), as_of=D(2025, 6, 1)):
    return make_graph([*BASE, *companies], people, (), as_of)


from conftest import model  # noqa: E402
from atlas.compute.analytics.netflow import MIN_SUPPORT, company_flows, net_flows  # noqa: E402
# --- the default dataset (the frozen seed copy) ----------------------------------------------

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402

from atlas.build import load  # noqa: E402
from atlas.site.analytics_data import analytics_json, flows_csv  # noqa: E402
from conftest import SEED  # noqa: E402


def test_seed_net_flows_rank_mistral_first_and_fair_last_with_their_people():
    g = load(SEED)
    balances = net_flows(g).balances
    assert (balances[0].org[0], balances[0].net) == ("mistral-ai", 6)
    assert balances[-1].org[0] == "meta-fair" and balances[-1].net < 0
    rows = list(csv.DictReader(io.StringIO(flows_csv(g).decode())))
    top = rows[0]
    assert (top["gains"], top["from"], top["moves_in"], top["moves_back"], top["ratio"]) == ("mistral-ai", "meta-fair", "5", "0", "5 : 0")
    assert "guillaume-lample" in top["people_in"].split()
    document = json.loads(analytics_json(g))
    assert document["as_of"] == "2025-06-01" and document["pairs"][0] == top | {k: int(top[k]) for k in (
        "moves_in", "moves_back", "net", "recent_in", "recent_in_maybe", "recent_back", "recent_back_maybe")}


# --- retention (S7), Kaplan–Meier -----------------------------------------------------------

from atlas.compute.analytics.retention import MIN_ARRIVALS, kaplan_meier, retention  # noqa: E402


def test_kaplan_meier_keeps_the_censored_at_risk_until_they_drop_out():
    a, b, c, e = (person(s) for s in "abce")
    steps = kaplan_meier([(100, True, a), (200, False, b), (300, True, c), (400, False, e)])
    assert [(s.days, round(s.survival, 3), s.at_risk) for s in steps] == [
        (0, 1.0, 4), (100, 0.75, 4), (200, 0.75, 3), (300, 0.375, 2), (400, 0.375, 1)]
    assert steps[2].censored == (b,) and steps[3].left == (c,)


def hires(*people, as_of=D(2025, 6, 1)):
    return graph(*people, as_of=as_of)


def test_retention_at_12_and_24_months_with_censored_recent_hires():
    people = [person(f"s{i}", stint("apple", "2020-01-01")) for i in range(3)]  # stayed
    people += [person("l1", stint("apple", "2020-01-01", "2020-07-01"), stint("google", "2020-07-02")),  # left after 6 months
               person("l2", stint("apple", "2020-01-01", "2021-07-01"), stint("google", "2021-07-02")),  # after 18
               person("new", stint("apple", "2025-01-01"))]  # joined 5 months ago: censored
    r = retention(hires(*people), "apple")
    assert r.enough and not r.imprecise and [s.person.slug for s in r.censored] == ["s0", "s1", "s2", "new"]
    at12, at24 = r.rates
    assert round(at12.low, 3) == round(4 / 5, 3) and at12.low == at12.high and at12.at_risk_low == 4
    assert round(at24.low, 3) == round(4 / 5 * 3 / 4, 3) and at24.at_risk_low == 3


def test_imprecise_dates_give_a_band_and_an_end_that_may_follow_as_of_is_censored_on_the_high_side():
    people = [person(f"s{i}", stint("apple", "2020-01-01")) for i in range(4)]
    people.append(person("x", stint("apple", "2020", "~2021"), stint("google", "~2021")))  # 0 to 3 years
    r = retention(hires(*people), "apple")
    at12, at24 = r.rates
    assert r.imprecise and at12.low == 0.8 and at12.high == 1.0 and at24.low == 0.8 and at24.high == 1.0
    late = retention(hires(person("y", stint("apple", "2024-01-01", "~2025-06")), as_of=D(2025, 6, 1)), "apple")
    (stay,) = late.stays
    assert stay.shortest_left and not stay.longest_left


def test_too_few_arrivals_is_not_enough_and_a_return_is_no_new_hire():
    p = person("rob", stint("apple", "2014", "2018"), stint("google", "2018", "2020"), stint("apple", "2021"))
    r = retention(hires(p), "apple")
    assert len(r.stays) == 1 and not r.enough and MIN_ARRIVALS == 5
    assert r.stays[0].end == d("2018")


def test_no_follow_up_to_the_horizon_gives_no_rate():
    people = [person(f"n{i}", stint("apple", "2025-01-01")) for i in range(5)]
    at12, at24 = retention(hires(*people), "apple").rates
    assert at12.low is None and at12.high is None and at24.low is None


def test_seed_downloads_let_anyone_recompute_retention_and_first_release():
    from atlas.site.analytics_data import first_release_csv, retention_csv, retention_stays_csv

    g = load(SEED)
    first = list(csv.DictReader(io.StringIO(first_release_csv(g).decode())))[0]
    assert (first["company"], first["model"], first["days_min"], first["days_max"]) == ("mistral-ai", "mistral-7b", "119", "149")
    summary = {r["company"]: r for r in csv.DictReader(io.StringIO(retention_csv(g).decode()))}
    assert summary["mistral-ai"]["enough"] == "yes" and summary["mistral-ai"]["censored"] == "6"
    stays = [r for r in csv.DictReader(io.StringIO(retention_stays_csv(g).decode())) if r["company"] == "meta-fair"]
    assert len(stays) == int(summary["meta-fair"]["joined"])
    # The low curve from the downloaded stays gives the published figure.
    people = [(float(r["days_min"]), r["left_min"] == "yes", person(r["person"])) for r in stays]
    at12 = [s for s in kaplan_meier(people) if s.days <= 12 * 365.25 / 12][-1].survival
    assert round(at12, 4) == float(summary["meta-fair"]["retained_12m_low"])
