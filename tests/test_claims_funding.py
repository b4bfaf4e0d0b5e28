"""Claims of money raised (compute/claims.py): sums per currency, never converted; amounts
match within the tolerance, relative to the amount claimed; a claimed amount that is a
valuation is named as one."""
from __future__ import annotations

import datetime as dt

import pytest

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
    assert result.check is check  # the page shows what was claimed from it
    return result


def test_one_round_is_one_round() -> None:
    result = raised("EUR 100M", funding_round("2024-01", "EUR 100M"))
    assert (result.verdict, result.computed) == (S, "EUR 100M")
    assert result.why == "The data: 1 round announced by 2025-06-01 raised EUR 100M."


def test_no_round_by_the_claims_date_leaves_the_claim_undetermined_for_want_of_a_record() -> None:
    result = raised("EUR 100M", funding_round("2025-07", "EUR 100M"))
    assert (result.verdict, result.computed) == (U, "nothing")
    assert result.why == ("The data: 0 rounds announced by 2025-06-01 raised nothing. "
                          "With no amount recorded, the data cannot check EUR 100M.")


# --- rounds of unknown amount: the sum is only a lower bound ---------------------------------

@pytest.mark.parametrize("expect, verdict", [
    ("EUR 500M", U),
    ("EUR 110M", U),   # it may be more
    ("EUR 100M", U),   # 110M is within 10 % of it
    ("EUR 99.9M", C),  # the rounds of known amount alone raised more
])
def test_a_round_of_unknown_amount_makes_the_sum_a_lower_bound(expect: str, verdict: Verdict) -> None:
    result = raised(expect, funding_round("2024-01", "EUR 110M"),
                    funding_round("2025-06-01", None, "Series A"),  # on the claim's date: counted
                    funding_round("2025-06", None, "Series B"))  # perhaps after it: not counted
    so = f" So at least EUR 110M, which neither supports nor contradicts {expect}." if verdict is U else ""
    assert (result.verdict, result.computed) == (verdict, "at least EUR 110M" if verdict is U else "EUR 110M")
    assert result.why == "The data: 1 round announced by 2025-06-01 raised EUR 110M, and 1 round of unknown amount." + so


def test_rounds_all_of_unknown_amount_cannot_check_an_amount() -> None:
    result = raised("EUR 100M", funding_round("2024-01", None), funding_round("2025-01", None, "Series A"))
    assert (result.verdict, result.computed) == (U, "nothing")
    assert result.why == ("The data: 0 rounds announced by 2025-06-01 raised nothing, and 2 rounds of unknown amount. "
                          "With no amount recorded, the data cannot check EUR 100M.")


def test_rounds_all_in_usd_are_not_said_to_have_usd_equivalents() -> None:
    result = raised("USD 50M", funding_round("2024-01", "USD 20M"), funding_round("2025-01", "USD 30M", "Series A"))
    assert (result.verdict, result.computed) == (S, "USD 50M")
    assert result.why == "The data: 2 rounds announced by 2025-06-01 raised USD 50M."


def test_usd_equivalents_are_given_when_a_usd_amount_is_claimed_of_rounds_in_other_currencies() -> None:
    result = raised("USD 110M", funding_round("2024-01", "EUR 100M", usd="USD 110M"))
    assert (result.verdict, result.computed) == (S, "USD 110M")
    assert result.why == ("The data: 1 round announced by 2025-06-01 raised EUR 100M "
                          "(reported USD equivalents add up to USD 110M).")


# --- amounts match within the tolerance, relative to the amount claimed ---------------------

@pytest.mark.parametrize("amount, tolerance, verdict", [
    ("EUR 110M", 0.1, S),    # 10 % above: the boundary is in
    ("EUR 90M", 0.1, S),     # 10 % of the claimed 100M, not of the 90M raised
    ("EUR 110.1M", 0.1, C),
    ("EUR 89.9M", 0.1, C),
    ("EUR 100M", 0.0, S),
    ("EUR 100.1M", 0.0, C),
    ("EUR 150M", 0.5, S),
])
def test_an_amount_matches_within_the_tolerance_of_the_amount_claimed(amount: str, tolerance: float, verdict: Verdict) -> None:
    result = raised("EUR 100M", funding_round("2024-01", amount), tolerance=tolerance)
    assert (result.verdict, result.computed) == (verdict, amount)
    assert result.why == f"The data: 1 round announced by 2025-06-01 raised {amount}."


def test_rounds_are_summed_by_the_claims_date_not_the_sites() -> None:
    rounds = (funding_round("2024-01", "EUR 40M"), funding_round("2024-06-01", "EUR 60M", "Series A"),
              funding_round("2025-01", "EUR 900M", "Series B"))
    result = raised("EUR 100M", *rounds, date=dt.date(2024, 6, 1))
    assert (result.verdict, result.computed) == (S, "EUR 100M")
    assert result.why == "The data: 2 rounds announced by 2024-06-01 raised EUR 100M."


# --- currencies: summed apart, never converted -----------------------------------------------

EUR_AND_USD = (funding_round("2024-01", "EUR 40M"), funding_round("2025-01", "USD 50M", "Series A"))
WITH_EQUIVALENT = (funding_round("2024-01", "EUR 40M", usd="USD 44M"), funding_round("2025-01", "USD 50M", "Series A"))


@pytest.mark.parametrize("expect", ["EUR 40M", "USD 50M", "GBP 90M"])
def test_rounds_in_two_currencies_cannot_be_compared_with_an_amount_in_either(expect: str) -> None:
    result = raised(expect, *EUR_AND_USD)
    assert (result.verdict, result.computed) == (U, "EUR 40M + USD 50M")
    assert result.why == (f"The data: 2 rounds announced by 2025-06-01 raised EUR 40M + USD 50M. They cannot be compared "
                          f"with {expect} without an exchange rate.")


@pytest.mark.parametrize("expect, verdict", [("USD 94M", S), ("USD 200M", C)])
def test_a_usd_amount_is_compared_with_the_reported_usd_equivalents(expect: str, verdict: Verdict) -> None:
    result = raised(expect, *WITH_EQUIVALENT)
    assert (result.verdict, result.computed) == (verdict, "USD 94M")
    assert result.why == ("The data: 2 rounds announced by 2025-06-01 raised EUR 40M + USD 50M "
                          "(reported USD equivalents add up to USD 94M).")


def test_usd_equivalents_do_not_convert_an_amount_claimed_in_another_currency() -> None:
    result = raised("EUR 40M", *WITH_EQUIVALENT)
    assert (result.verdict, result.computed) == (U, "EUR 40M + USD 50M")
    assert result.why == ("The data: 2 rounds announced by 2025-06-01 raised EUR 40M + USD 50M. They cannot be compared "
                          "with EUR 40M without an exchange rate.")


def test_rounds_in_the_claimed_currency_are_compared_as_raised_not_by_their_usd_equivalents() -> None:
    result = raised("EUR 100M", funding_round("2024-01", "EUR 100M", usd="USD 110M"))
    assert (result.verdict, result.computed) == (S, "EUR 100M")
    assert result.why == "The data: 1 round announced by 2025-06-01 raised EUR 100M."


# --- a claimed amount that is a valuation ----------------------------------------------------

def valued(date: str, valuation: str, round_name: str, amount: str = "EUR 100M") -> FundingRound:
    return funding_round(date, amount, round_name, valuation=valuation)


def test_an_amount_that_is_a_valuation_is_named_as_one() -> None:
    result = raised("EUR 2B", valued("2024-06", "EUR 2B", "Series A", "EUR 200M"), valued("2023-06", "EUR 500M", "Seed"))
    assert (result.verdict, result.computed) == (C, "EUR 300M")
    assert result.why == ("The data: 2 rounds announced by 2025-06-01 raised EUR 300M. "
                          "EUR 2bn matches the valuation at the Series A (Jun 2024), not money raised.")


def test_of_two_matching_valuations_the_earliest_is_named() -> None:
    result = raised("EUR 2B", valued("2024-06", "EUR 2.1B", "Series B"), valued("2024-01", "EUR 2B", "Series A"))
    assert result.why == ("The data: 2 rounds announced by 2025-06-01 raised EUR 200M. "
                          "EUR 2bn matches the valuation at the Series A (Jan 2024), not money raised.")


@pytest.mark.parametrize("rnd, rounds, named", [
    (valued("2024-06", "EUR 1.8B", "Series A"), "2 rounds", True),     # 10 % below the claimed 2bn
    (valued("2024-06", "EUR 1.79B", "Series A"), "2 rounds", False),
    (valued("2025-06-01", "EUR 2B", "Series A"), "2 rounds", True),    # announced on the claim's date
    (valued("2025-06", "EUR 2B", "Series A"), "1 round", False),       # perhaps after it
    (valued("2024-06", "USD 2B", "Series A"), "2 rounds", False),      # another currency
])
def test_a_valuation_is_named_when_it_matches_in_the_claimed_currency_by_the_claims_date(
        rnd: FundingRound, rounds: str, named: bool) -> None:
    result = raised("EUR 2B", funding_round("2023-01", "EUR 50M"), rnd)
    amount = "EUR 150M" if rounds == "2 rounds" else "EUR 50M"
    said = f" EUR 2bn matches the valuation at the Series A ({rnd.date.display()}), not money raised."
    assert (result.verdict, result.computed) == (C, amount)
    assert result.why == f"The data: {rounds} announced by 2025-06-01 raised {amount}." + (said if named else "")


def test_an_amount_that_matches_is_not_said_to_be_a_valuation() -> None:
    result = raised("EUR 100M", valued("2024-06", "EUR 100M", "Seed"))
    assert (result.verdict, result.why) == (S, "The data: 1 round announced by 2025-06-01 raised EUR 100M.")
