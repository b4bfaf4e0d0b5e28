"""Boomerangs (S11; compute/analytics/boomerangs.py, docs/definitions.md): people with two
or more runs at one company family, each return with its move, time away and what came
in between, on small graphs built in code."""
from __future__ import annotations

import datetime as dt

from atlas.compute.analytics.boomerangs import boomerangs_at, boomerangs_of
from atlas.compute.analytics.spans import Between, between
from atlas.compute.graph import Graph
from atlas.model.records import Person, Stint, Tenure

from conftest import company, d, make_graph, person, stint

D = dt.date
BASE = [company("meta", name="Meta"), company("meta-fair", parent="meta", name="FAIR"),
        company("google", name="Google"), company("apple", name="Apple"), company("openai", name="OpenAI")]


def graph(*people: Person, as_of: dt.date = D(2025, 6, 1)) -> Graph:
    return make_graph(BASE, people, (), as_of)


def fergus(*extra: Stint) -> Person:
    return person("rob", stint("meta-fair", "2014", "~2020"), stint("google", "~2020", "by 2025-05"),
                  stint("meta-fair", "between 2025-04-01 and 2025-05"), *extra)


def org(s: Stint) -> str:
    return s.company or s.organization or ""


def test_a_return_after_a_stay_elsewhere_is_a_boomerang() -> None:
    (b,) = boomerangs_of(graph(fergus()), "rob")
    (r,) = b.returns
    assert b.family.slug == "meta" and r.certain
    assert [s.company for s in r.meanwhile] == ["google"]
    assert r.away == between(d("~2020"), d("between 2025-04-01 and 2025-05"))
    assert [x.person.slug for x in boomerangs_at(graph(fergus()), "meta-fair")] == ["rob"]
    assert [x.person.slug for x in boomerangs_at(graph(fergus()), "meta")] == ["rob"]
    assert boomerangs_at(graph(fergus()), "google") == ()


def test_the_documented_return_of_rob_fergus_is_3_to_7_years_away_at_google() -> None:
    # docs/definitions.md, "Boomerangs": FAIR 2014 to about 2020, Google DeepMind (5 years as
    # reported), back at FAIR between 1 April and May 2025.
    google = stint("google", "~2020", "by 2025-05", tenure=Tenure(5.0, "about", "5 years"))
    rob = person("rob", stint("meta-fair", "2014", "~2020"), google, stint("meta-fair", "between 2025-04-01 and 2025-05"))
    (r,) = boomerangs_of(graph(rob), "rob")[0].returns
    assert (r.away.years, [(s.company, s.tenure.text) for s in r.meanwhile]) == ("3 to 7 years", [("google", "5 years")])


def test_a_gap_within_grace_is_one_run_not_a_boomerang() -> None:
    p = person("ada", stint("meta", "2015-01-01", "2018-03-01"), stint("meta-fair", "2018-03-20"))
    assert boomerangs_of(graph(p), "ada") == ()


def test_two_returns_are_both_listed_and_a_return_after_as_of_is_not_known() -> None:
    p = person("ada", stint("meta", "2010", "2012"), stint("apple", "2013", "2014"), stint("meta", "2015", "2016"),
               stint("google", "2017", "2018"), stint("meta", "2019"))
    (b,) = boomerangs_of(graph(p), "ada")
    assert [(str(r.left.start), str(r.move.date), str(r.back.start)) for r in b.returns] == [
        ("2010", "2012", "2015"), ("2015", "2016", "2019")]
    assert boomerangs_of(graph(p, as_of=D(2014, 6, 1)), "ada") == ()


def test_a_return_that_may_be_after_as_of_is_marked() -> None:
    (b,) = boomerangs_of(graph(fergus(), as_of=D(2025, 4, 15)), "rob")
    assert not b.returns[0].certain


def test_a_return_is_certain_when_it_surely_began_on_or_before_as_of() -> None:
    p = person("ada", stint("meta", "2010", "2012"), stint("apple", "2013", "2025-05"), stint("meta", "2025-06"))
    assert [r.certain for b in boomerangs_of(graph(p, as_of=D(2025, 6, 30)), "ada") for r in b.returns] == [True]
    assert [r.certain for b in boomerangs_of(graph(p, as_of=D(2025, 6, 29)), "ada") for r in b.returns] == [False]


def test_a_return_gives_the_move_out_and_the_time_away_from_its_end_to_the_return() -> None:
    p = person("ada", stint("meta", "2010-03", "2012-06"), stint("google", "2012-07", "2014-01"), stint("meta-fair", "2014-03"))
    (r,) = boomerangs_of(graph(p), "ada")[0].returns
    assert (r.move.origin, r.move.destination.company, str(r.move.date)) == (r.left.last, "google", "2012-06")
    assert r.away == Between(609, 668)  # from 30 June 2012 to 1 March 2014, and from 1 June 2012 to 31 March 2014
    assert [s.company for s in r.back.stints] == ["meta-fair"]


def test_overlapping_stints_outside_the_family_are_what_happened_meanwhile() -> None:
    p = person("ada", stint("meta", "2010", "2012"), stint("apple", "2012-06", "2016"),
               stint("google", "2013", "2014", role="Adviser"), stint("meta", "2016-06"))
    (r,) = boomerangs_of(graph(p), "ada")[0].returns
    assert [s.company for s in r.meanwhile] == ["apple", "google"]
    assert r.move.destination.company == "apple"


def test_meanwhile_are_the_stints_beginning_from_the_run_left_to_the_return_by_start() -> None:
    p = person("ada", stint("meta", "2010-03", "2012-06"), stint("google", "2012-07", "2014-01"),
               stint(organization="Stanford", start="2010-03", end="2011"),  # began with the run left: in
               stint("apple", "2009", "2010"),  # began before it: out
               stint("meta", "2014-03"), stint("openai", "2014-03"),  # began with the return: in
               stint(organization="MIT", start="2014-04"))  # began after it: out
    (r,) = boomerangs_of(graph(p), "ada")[0].returns
    assert [org(s) for s in r.meanwhile] == ["Stanford", "google", "openai"]


def test_a_return_to_an_organisation_without_a_page_is_no_boomerang() -> None:
    p = person("ada", stint(organization="Stanford", start="2010", end="2012"), stint("meta", "2013", "2015"),
               stint(organization="Stanford", start="2016"))
    assert boomerangs_of(graph(p), "ada") == ()


def test_a_person_s_boomerangs_are_in_the_order_of_their_first_run_at_each_family() -> None:
    p = person("ada", stint("apple", "2008", "2009"), stint("meta", "2010", "2011"), stint("apple", "2012", "2013"),
               stint("meta", "2014", "2015"), stint("apple", "2016"))
    assert [(b.family.slug, len(b.returns)) for b in boomerangs_of(graph(p), "ada")] == [("apple", 2), ("meta", 1)]
    assert [(b.person.slug, b.family.slug) for b in boomerangs_at(graph(p), "meta")] == [("ada", "meta")]


def test_a_family_left_once_before_does_not_hide_a_later_return() -> None:
    p = person("ada", stint("google", "2005", "2009"), stint("meta", "2010", "2012"), stint("apple", "2013", "2015"),
               stint("meta", "2016"))
    found = boomerangs_of(graph(p), "ada")
    assert [(b.family.slug, [str(r.back.start) for r in b.returns]) for b in found] == [("meta", ["2016"])]


def test_a_company_page_lists_the_boomerangs_whose_known_runs_include_it() -> None:
    # Rob's FAIR stint begins after as_of: his return to Meta is not FAIR's.
    p = person("rob", stint("meta", "2010", "2012"), stint("apple", "2013", "2015"), stint("meta", "2016"),
               stint("meta-fair", "2026"))
    assert [b.person.slug for b in boomerangs_at(graph(p), "meta")] == ["rob"]
    assert boomerangs_at(graph(p), "meta-fair") == ()


def test_a_company_page_lists_its_boomerangs_by_name_then_slug() -> None:
    names = {"a-zed": "Zed", "z-amy": "amy", "m-bob": "Bob", "y-lee": "Lee", "x-lee": "Lee"}
    people = [person(slug, stint("meta", "2010", "2012"), stint("apple", "2013", "2015"), stint("meta", "2016"), name=name)
              for slug, name in names.items()]
    assert [b.person.slug for b in boomerangs_at(graph(*people), "meta")] == ["z-amy", "m-bob", "x-lee", "y-lee", "a-zed"]
