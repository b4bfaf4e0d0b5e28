"""Claim checking: the count comparison table and the default dataset's four claims."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from atlas.build import load
from atlas.compute.claims import Verdict, check_claim, compare_count
from atlas.compute.moves import Truth
from atlas.compute.summaries import departures, diaspora, funding_total, group_moves
from atlas.model.records import Money
from conftest import SEED

CONTENT = SEED
S, C, U = Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.UNDETERMINED


@pytest.mark.parametrize("lo, hi, expect, total, verdict", [
    (3, 3, 3, 14, S),
    (3, 3, 4, 14, C),
    (3, 3, 2, 14, C),
    (3, 5, 4, 14, U),
    (3, 5, 3, 14, U),   # the low end is not enough: it may be more
    (3, 5, 5, 14, U),
    (3, 5, 6, 14, C),
    (3, 5, 2, 14, C),
    (0, 0, 0, 14, S),
    (6, 6, "most", 11, S),
    (5, 5, "most", 11, C),
    (5, 6, "most", 11, U),
    (3, 8, "most", 11, U),
    (6, 10, "most", 11, S),
    (2, 2, "most", 4, C),  # half is not most
    (0, 2, "most", 4, C),
    (0, 0, "most", 0, C),
])
def test_compare_count(lo, hi, expect, total, verdict):
    assert compare_count(lo, hi, expect, total) is verdict


@pytest.fixture(scope="module")
def graph():
    return load(CONTENT)


def names(people):
    return [p.name for p in people]


def result_of(graph, slug):
    return check_claim(graph, slug)


def test_default_dataset_as_of(graph):
    assert graph.site.config.as_of == dt.date(2025, 6, 1)
    assert len(graph.site.models["llama-1"].authors) == 14


def test_llama_authors_remaining_is_supported(graph):
    result = result_of(graph, "llama-authors-remaining")
    assert result.verdict is S
    remaining, left = result.results
    assert remaining.verdict is S and remaining.computed == "3"
    assert names(remaining.people) == ["Hugo Touvron", "Xavier Martinet", "Faisal Azhar"]
    assert remaining.maybe == ()
    assert left.verdict is S and left.computed == "11" and len(left.people) == 11
    assert not set(remaining.people) & set(left.people)


def test_llama_authors_joined_mistral_is_contradicted(graph):
    result = result_of(graph, "llama-authors-joined-mistral")
    assert result.verdict is C
    at_mistral, joined = result.results
    assert at_mistral.verdict is S and at_mistral.computed == "5"
    assert sorted(names(at_mistral.people)) == ["Baptiste Rozière", "Guillaume Lample", "Marie-Anne Lachaux",
                                                 "Thibaut Lavril", "Timothée Lacroix"]
    assert joined.verdict is C and joined.computed == "1"
    assert names(joined.people) == ["Baptiste Rozière"]
    assert "between 2023-12-01 and 2025-06-01" in joined.why


def test_llama_leavers_tenure_is_undetermined(graph):
    result = result_of(graph, "llama-leavers-tenure")
    assert result.verdict is U
    [check] = result.results
    assert check.computed == "3 to 8 of 11"
    assert sorted(names(check.people)) == ["Guillaume Lample", "Naman Goyal", "Timothée Lacroix"]
    assert "tenure is known for 11 (8 as reported, 3 only bounded by dates)" in check.why
    assert len(check.maybe) == 5


def test_mistral_funding_is_contradicted(graph):
    result = result_of(graph, "mistral-funding")
    assert result.verdict is C
    [check] = result.results
    assert "raised EUR 1.105bn" in check.why
    total = funding_total(graph.site.companies["mistral-ai"], dt.date(2025, 6, 1))
    assert total.by_currency == (Money(Decimal("1105000000"), "EUR"),)
    assert len(total.rounds) == 4


def test_check_claim_computes_moves_at_the_claim_date_whatever_the_sites_date():
    early = load(CONTENT, as_of=dt.date(2020, 1, 1))
    result = check_claim(early, "llama-authors-remaining")
    assert result.verdict is S and result.results[0].computed == "3"


def test_every_default_claim_has_a_verdict_and_reasons(graph):
    for slug in graph.claims:
        result = check_claim(graph, slug)
        assert result.results and all(r.why.startswith("The data: ") for r in result.results)


# --- the LLaMA diaspora -------------------------------------------------------------------

@pytest.fixture(scope="module")
def llama(graph):
    return diaspora(graph, graph.models["llama-1"], "meta")


def test_llama_first_moves_by_destination_mistral_first(llama):
    groups = llama.first_groups
    assert (groups[0].label, groups[0].count) == ("Mistral AI", 5)
    assert sum(g.count for g in groups) == 11
    assert all(g.count == 1 for g in groups[1:])


def test_llama_counts(llama):
    assert (len(llama.remain), len(llama.left), len(llama.uncertain)) == (3, 11, 0)


def rows_by_slug(llama):
    return {r.person.slug: r for r in llama.rows}


def test_joulin_first_move_differs_from_where_he_is_now(llama):
    row = rows_by_slug(llama)["armand-joulin"]
    assert row.status is Truth.NO
    assert row.first_move.destination.company == "apple"
    assert [s.company for s in row.now] == ["google-deepmind"]


def test_izacard_first_move_to_an_unnamed_start_up_now_microsoft_ai(llama):
    row = rows_by_slug(llama)["gautier-izacard"]
    destination = row.first_move.destination
    assert destination.company is None and "start-up" in destination.organization
    assert [s.company for s in row.now] == ["microsoft-ai"]


def test_llama_now_groups_mistral_first(llama):
    key, company, label, rows = llama.now_groups[0]
    assert (key, len(rows)) == ("mistral-ai", 5)
    assert "microsoft-ai" in [g[0] for g in llama.now_groups]


def test_meta_departures_grouped_by_destination_mistral_first(graph):
    groups = group_moves(graph, departures(graph, "meta"), "destination")
    assert groups[0].key == "mistral-ai"
    assert sorted(names(m.person for m in groups[0].moves)) == [
        "Baptiste Rozière", "Guillaume Lample", "Marie-Anne Lachaux", "Thibaut Lavril", "Timothée Lacroix"]
    assert [g.count for g in groups] == [5, 1, 1, 1, 1, 1, 1, 1, 1]
    assert groups[-1].key == "" and names(m.person for m in groups[-1].moves) == ["Joelle Pineau"]  # unknown last
