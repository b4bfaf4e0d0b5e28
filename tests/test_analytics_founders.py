"""Where founders came from, and the companies a company's alumni founded (S10;
compute/analytics/founders.py, docs/definitions.md), on small graphs built in code."""
from __future__ import annotations

import dataclasses
import datetime as dt

from atlas.compute.analytics.founders import alumni_founded, founder_origins, origins_of
from atlas.compute.graph import Graph
from atlas.compute.summaries import departures
from atlas.model.records import Company, Person

from conftest import company, d, make_graph, person, stint

D = dt.date
BASE = [company("meta", name="Meta"), company("meta-fair", parent="meta", name="FAIR"),
        company("google", name="Google"), company("apple", name="Apple")]


def founded(c: Company, date: str | None) -> Company:
    return dataclasses.replace(c, founded=d(date) if date else None)


MISTRAL = founded(company("mistral", name="Mistral", founders=["ann", "ben", "cat"]), "2023-05")
MISTRAL_LAB = company("mistral-lab", parent="mistral", name="Mistral Lab")


def graph(*people: Person, companies: tuple[Company, ...] = (), as_of: dt.date = D(2025, 6, 1)) -> Graph:
    return make_graph([*BASE, *companies], people, (), as_of)


def founders_graph(as_of: dt.date = D(2025, 6, 1)) -> Graph:
    return graph(person("ann", stint("meta-fair", "2015", "2023-04"), stint("mistral", "2023-05")),
                 person("ben", stint("google", "2018", "2023-05"), stint("mistral", "2023-05")),
                 person("cat", stint("mistral", "2023-05")),  # no earlier stint: no origin
                 companies=(MISTRAL,), as_of=as_of)


def alumni(g: Graph, here: str) -> list[tuple[str, list[str]]]:
    """The companies here's alumni founded, each with the founders from here."""
    return [(a.company.slug, [f.person.slug for f in a.founders]) for a in alumni_founded(g, departures(g, here))]


# --- a founder's origin -------------------------------------------------------------------

def test_founders_origin_is_the_move_that_took_them_there() -> None:
    found = {f.person.slug: f.move for f in origins_of(founders_graph(), "mistral")}
    assert found["ann"].origin.company == "meta-fair" and found["ben"].origin.company == "google"
    assert found["cat"] is None
    assert [f.person.slug for f in origins_of(founders_graph(), "mistral")] == ["ann", "ben", "cat"]  # the company's order


def test_a_move_to_a_unit_of_the_company_founded_is_the_origin() -> None:
    g = graph(person("ann", stint("google", "2015", "2023-04"), stint("mistral-lab", "2023-05")),
              companies=(dataclasses.replace(MISTRAL, founders=("ann",)), MISTRAL_LAB))
    (origin,) = origins_of(g, "mistral")
    assert (origin.company.slug, origin.move.origin.company, origin.move.destination.company) == (
        "mistral", "google", "mistral-lab")


def test_the_origin_is_the_earliest_move_into_the_company_and_skips_unknown_destinations() -> None:
    # Google 2010-2012 leads nowhere known (FAIR begins 3 years later); FAIR leads to Mistral,
    # and so does Apple later, after a stay away.
    ann = person("ann", stint("google", "2010", "2012"), stint("meta-fair", "2015", "2023-04"),
                 stint("mistral", "2023-05", "2023-12"), stint("apple", "2024-01", "2024-06"), stint("mistral", "2024-08"))
    (origin,) = origins_of(graph(ann, companies=(dataclasses.replace(MISTRAL, founders=("ann",)),)), "mistral")
    assert (origin.move.origin.company, str(origin.move.date)) == ("meta-fair", "2023-04")


def test_no_origins_for_a_company_founded_after_as_of() -> None:
    assert origins_of(founders_graph(as_of=D(2023, 4, 30)), "mistral") == ()


def test_founder_origins_list_every_founded_company_by_slug_and_its_founders_in_file_order() -> None:
    zeta = founded(company("zeta", name="Alpha Zeta", founders=["ann"]), "2021")
    alpha = founded(company("alpha", name="Zed Alpha", founders=["ben", "ann"]), "2020")
    later = founded(company("later", founders=["ben"]), "2026")  # founded after as_of
    g = graph(person("ann", stint("zeta", "2021")), person("ben", stint("alpha", "2020")), companies=(zeta, alpha, later))
    assert [(f.company.slug, f.person.slug) for f in founder_origins(g)] == [("alpha", "ben"), ("alpha", "ann"), ("zeta", "ann")]


# --- companies founded by alumni ------------------------------------------------------------

def test_alumni_founded_counts_units_and_names_only_the_founders_from_there() -> None:
    g = founders_graph()
    assert alumni(g, "meta") == alumni(g, "meta-fair") == [("mistral", ["ann"])]
    assert alumni(g, "google") == [("mistral", ["ben"])]
    assert alumni(g, "apple") == []


def test_a_founder_who_went_elsewhere_first_came_from_there() -> None:
    # Beyond the 12-month lookahead the founding stint is not the destination of the
    # FAIR move; the move into the company came from Apple.
    g = graph(person("ann", stint("meta-fair", "2015", "2020-01"), stint("apple", "2020-02", "2023-04"),
                     stint("mistral", "2023-05")), companies=(dataclasses.replace(MISTRAL, founders=("ann",)),))
    assert alumni(g, "meta") == []
    assert alumni(g, "apple") == [("mistral", ["ann"])]


def test_a_founder_whose_departure_has_no_known_destination_founded_nothing_from_there() -> None:
    g = graph(person("ann", stint("meta-fair", "2015", "2018"), stint("mistral", "2023-05")),
              companies=(dataclasses.replace(MISTRAL, founders=("ann",)),))
    assert alumni(g, "meta") == []


def test_an_earlier_departure_to_nowhere_known_does_not_hide_a_founder() -> None:
    g = graph(person("ann", stint("meta-fair", "2015", "2023-04"), stint("mistral", "2023-05")),
              person("zed", stint("meta-fair", "2010", "2012")), companies=(dataclasses.replace(MISTRAL, founders=("ann",)),))
    assert [m.person.slug for m in departures(g, "meta")] == ["zed", "ann"]
    assert alumni(g, "meta") == [("mistral", ["ann"])]


def test_a_company_founded_after_as_of_is_nobody_alumni_company_yet() -> None:
    g = founders_graph(as_of=D(2023, 3, 1))
    assert alumni(g, "meta") == [] and origins_of(g, "mistral") == ()
    # Joined in April, before the company was founded in June: known only once it is.
    ann = person("ann", stint("meta-fair", "2015", "2023-03"), stint("mistral", "2023-04"))
    early = (founded(dataclasses.replace(MISTRAL, founders=("ann",)), "2023-06"),)
    assert alumni(graph(ann, companies=early, as_of=D(2023, 5, 31)), "meta") == []
    assert alumni(graph(ann, companies=early, as_of=D(2023, 6, 1)), "meta") == [("mistral", ["ann"])]


def test_alumni_founded_is_the_company_founded_with_the_founders_first_move_to_it() -> None:
    # Ann left FAIR for her company's lab, came back, and left for it again: the first move counts.
    ann = person("ann", stint("meta-fair", "2015", "2020-01"), stint("mistral-lab", "2020-02", "2021-01"),
                 stint("meta-fair", "2021-03", "2022-01"), stint("mistral", "2022-02"))
    g = graph(ann, companies=(founded(dataclasses.replace(MISTRAL, founders=("ann",)), "2020-02"), MISTRAL_LAB))
    (found,) = alumni_founded(g, departures(g, "meta"))
    (origin,) = found.founders
    assert (found.company.slug, origin.company.slug, str(origin.move.date), origin.move.destination.company) == (
        "mistral", "mistral", "2020-01", "mistral-lab")


def test_alumni_founded_companies_are_by_founding_date_then_name_and_undated_last() -> None:
    names = {"c1": ("delta", "2021"), "c2": ("Charlie", "2021"), "c3": ("Gamma", None), "c4": ("beta", None),
             "c5": ("zulu", "2019")}
    companies = tuple(founded(company(slug, name=name, founders=[f"p-{slug}"]), date) for slug, (name, date) in names.items())
    people = [person(f"p-{slug}", stint("apple", "2010", "2018-12"), stint(slug, "2019")) for slug in names]
    assert [slug for slug, _ in alumni(graph(*people, companies=companies), "apple")] == ["c5", "c2", "c1", "c4", "c3"]


def test_alumni_founders_are_in_the_order_the_company_lists_them() -> None:
    mistral = dataclasses.replace(MISTRAL, founders=("cat", "ann", "ben"))
    people = [person(slug, stint("apple", "2015", end), stint("mistral", "2023-05")) for slug, end in
              (("ann", "2023-01"), ("ben", "2023-02"), ("cat", "2023-03"))]
    assert alumni(graph(*people, companies=(mistral,)), "apple") == [("mistral", ["cat", "ann", "ben"])]
