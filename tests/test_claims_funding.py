"""Claims of money raised (compute/claims.py): sums per currency, never converted; amounts
match within the tolerance, relative to the amount claimed; a claimed amount that is a
valuation is named as one."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from atlas.compute.claims import check_claim
from atlas.compute.facts import CheckResult, Verdict
from atlas.model.records import Check, FundingRound, Metric
from conftest import claim, company, funding_round, make_graph, money

S, C, U = Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.UNDETERMINED
D = dt.date(2025, 6, 1)


def raised(expect: str, *rounds: FundingRound, date: dt.date = D, tolerance: float = 0.1) -> CheckResult:
    """The result of a claim that Acme, with these rounds, had raised `expect` by `date`."""
    check = Check(Metric.FUNDING_RAISED, money(expect), company="acme", tolerance=tolerance)
    graph = make_graph([company("acme", funding=rounds)], claims=[claim("c", date, check)])
    [result] = check_claim(graph, "c").results
    return result


def test_one_round_is_one_round() -> None:
    result = raised("EUR 100M", funding_round("2024-01", "EUR 100M"))
    assert (result.verdict, result.computed) == (S, "EUR 100M")
    assert result.why == "The data: 1 round announced by 2025-06-01 raised EUR 100M."


def test_no_round_by_the_claims_date_leaves_the_claim_undetermined_for_want_of_a_record() -> None:
    result = raised("EUR 100M", funding_round("2025-07", "EUR 100M"))
    assert (result.verdict, result.computed) == (U, "nothing")
    assert result.why == ("The data: 0 rounds announced by 2025-06-01 raised nothing. "
                          "With no round recorded, the data cannot check EUR 100M.")


def test_rounds_all_in_usd_are_not_said_to_have_usd_equivalents() -> None:
    result = raised("USD 50M", funding_round("2024-01", "USD 20M"), funding_round("2025-01", "USD 30M", "Series A"))
    assert (result.verdict, result.computed) == (S, "USD 50M")
    assert result.why == "The data: 2 rounds announced by 2025-06-01 raised USD 50M."


def test_usd_equivalents_are_given_when_a_usd_amount_is_claimed_of_rounds_in_other_currencies() -> None:
    result = raised("USD 110M", funding_round("2024-01", "EUR 100M", usd="USD 110M"))
    assert (result.verdict, result.computed) == (S, "USD 110M")
    assert result.why == "The data: 1 round announced by 2025-06-01 raised EUR 100M (reported USD equivalents add up to USD 110M)."
