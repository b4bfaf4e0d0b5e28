"""Talent analytics (compute/analytics/) on the default dataset (the frozen seed copy): the
worked examples of docs/definitions.md ("Talent analytics") and its constants are what
the code gives, and the downloads let anyone recompute the figures. Each definition is
tested on small graphs in tests/test_analytics_*.py."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from atlas.build import load
from atlas.compute.analytics.attrition import attrition
from atlas.compute.analytics.founders import alumni_founded, origins_of
from atlas.compute.analytics.netflow import MIN_SUPPORT, RECENT_MONTHS, net_flows
from atlas.compute.analytics.releases import first_release
from atlas.compute.analytics.retention import HORIZONS, MIN_ARRIVALS, Rate, kaplan_meier, retention
from atlas.compute.graph import Graph
from atlas.compute.moves import GRACE_DAYS, LOOKAHEAD_MONTHS
from atlas.compute.summaries import departures
from atlas.site.analytics_data import analytics_json, first_release_csv, flows_csv, retention_csv, retention_stays_csv

from conftest import SEED, person

D = dt.date
PAGE = (Path(__file__).resolve().parent.parent / "docs" / "definitions.md").read_text(encoding="utf-8")
ANALYTICS = PAGE.split("## Talent analytics", 1)[1]


def section(title: str) -> str:
    return ANALYTICS.split(f"### {title}\n", 1)[1].split("\n### ", 1)[0]


@pytest.fixture(scope="module")
def seed() -> Graph:
    return load(SEED)


# --- the documented constants ---------------------------------------------------------------

def test_the_documented_minimums_windows_and_horizons_are_the_code_s() -> None:
    assert re.search(rf"at least\s+\*\*{MIN_SUPPORT}\*\*\s+moves", section("Net flow and flow ratio"))
    assert re.search(rf"within the {RECENT_MONTHS} months before", section("Net flow and flow ratio"))
    assert re.search(rf"at least\s+\*\*{MIN_ARRIVALS}\*\*\s+people joined", section("Retention"))
    assert HORIZONS == (12, 24) and "12 and 24 months later" in section("Retention")
    founders = section("Where founders came from, and companies founded by alumni")
    assert re.search(rf"within\s+\*\*{LOOKAHEAD_MONTHS} months\*\*", founders)
    assert re.search(rf"more\s+than {GRACE_DAYS} days after the previous run ended", section("Boomerangs"))


# --- the worked examples, on the seed copy of the default dataset ---------------------------

def test_documented_net_flow_fair_to_mistral_and_an_even_exchange_with_google_deepmind(seed: Graph) -> None:
    flows = net_flows(seed)
    top = flows.pairs[0]
    assert (top.here[0], top.there[0], len(top.inflow), len(top.outflow), top.net, top.ratio, top.recent_in.text) == (
        "mistral-ai", "meta-fair", 5, 0, 5, "5 : 0", "3 to 5")
    (even,) = [p for p in flows.pairs if {p.here[0], p.there[0]} == {"google-deepmind", "meta-fair"}]
    assert ([m.person.slug for m in (*even.inflow, *even.outflow)], even.net, even.ratio) == (["rob-fergus", "rob-fergus"], 0, "")


def test_documented_alumni_founded_mistral_from_fair_meta_and_google_deepmind(seed: Graph) -> None:
    def alumni(here: str) -> list[tuple[str, list[str]]]:
        return [(a.company.slug, [f.person.slug for f in a.founders]) for a in alumni_founded(seed, departures(seed, here))]

    assert alumni("meta-fair") == alumni("meta") == [
        ("mistral-ai", ["timothee-lacroix", "guillaume-lample"]), ("kyutai", ["edouard-grave"])]
    assert alumni("google-deepmind") == [("mistral-ai", ["arthur-mensch"])]
    assert [(f.person.slug, f.move.origin.company) for f in origins_of(seed, "mistral-ai")] == [
        ("arthur-mensch", "google-deepmind"), ("timothee-lacroix", "meta-fair"), ("guillaume-lample", "meta-fair")]


def test_documented_llama_authors_over_time(seed: Graph) -> None:
    a = attrition(seed, "llama-1")
    steps = {s.day: s for s in a.steps}
    assert (a.start, a.authors, steps[D(2023, 2, 24)].low, steps[D(2023, 2, 24)].high, steps[D(2023, 3, 1)].low) == (
        D(2023, 2, 24), 14, 5, 14, 10)
    # Lample and Lacroix (about May 2023) may have left from 1 April and surely had by 1 July, with others.
    assert [p.slug for p in steps[D(2023, 4, 1)].unsure] == ["gautier-izacard", "timothee-lacroix", "guillaume-lample"]
    assert [p.slug for p in steps[D(2023, 7, 1)].gone] == [
        "thibaut-lavril", "marie-anne-lachaux", "timothee-lacroix", "guillaume-lample"]
    assert (a.steps[-1].day, a.steps[-1].low, a.steps[-1].high) == (D(2025, 6, 1), 3, 3)


def test_documented_time_to_first_release_of_mistral_7b(seed: Graph) -> None:
    f = first_release(seed, "mistral-ai")
    assert (f.model.slug, f.time.lo, f.time.hi, f.time.months) == ("mistral-7b", 119, 149, "3 to 5 months")


def test_documented_retention_at_mistral_with_everyone_censored(seed: Graph) -> None:
    r = retention(seed, "mistral-ai")
    assert (len(r.stays), len(r.censored)) == (6, 6)
    assert r.rates == (Rate(12, 1.0, 1.0, 5, 5), Rate(24, None, 1.0, 0, 5))
    assert [s.shortest for s in r.stays if str(s.joined.start) == "2023-06"] == [(D(2025, 6, 1) - D(2023, 6, 30)).days] * 2


# --- the downloads ----------------------------------------------------------------------------

def test_seed_net_flows_rank_mistral_first_and_fair_last_with_their_people(seed: Graph) -> None:
    balances = net_flows(seed).balances
    assert [(b.org[0], b.net) for b in (balances[0], balances[-1])] == [("mistral-ai", 6), ("meta-fair", -12)]
    rows = list(csv.DictReader(io.StringIO(flows_csv(seed).decode())))
    top = rows[0]
    assert (top["gains"], top["from"], top["moves_in"], top["moves_back"], top["ratio"]) == (
        "mistral-ai", "meta-fair", "5", "0", "5 : 0")
    assert top["people_in"] == "guillaume-lample timothee-lacroix marie-anne-lachaux thibaut-lavril baptiste-roziere"
    document = json.loads(analytics_json(seed))
    assert document["as_of"] == "2025-06-01" and document["pairs"][0] == top | {k: int(top[k]) for k in (
        "moves_in", "moves_back", "net", "recent_in", "recent_in_maybe", "recent_back", "recent_back_maybe")}


def test_seed_downloads_let_anyone_recompute_retention_and_first_release(seed: Graph) -> None:
    first = list(csv.DictReader(io.StringIO(first_release_csv(seed).decode())))[0]
    assert (first["company"], first["model"], first["days_min"], first["days_max"]) == ("mistral-ai", "mistral-7b", "119", "149")
    summary = {r["company"]: r for r in csv.DictReader(io.StringIO(retention_csv(seed).decode()))}
    assert summary["mistral-ai"]["enough"] == "yes" and summary["mistral-ai"]["censored"] == "6"
    stays = [r for r in csv.DictReader(io.StringIO(retention_stays_csv(seed).decode())) if r["company"] == "meta-fair"]
    assert len(stays) == int(summary["meta-fair"]["joined"])
    # The low curve from the downloaded stays gives the published figure.
    people = [(float(r["days_min"]), r["left_min"] == "yes", person(r["person"])) for r in stays]
    at12 = [s for s in kaplan_meier(people) if s.days <= 12 * 365.25 / 12][-1].survival
    assert round(at12, 4) == float(summary["meta-fair"]["retained_12m_low"])
