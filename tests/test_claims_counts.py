"""Claims that count a paper's authors (compute/claims.py): who remains, who left, who is at
a company, who joined within a window, whose tenure was over N years; each figure at the
claim's date, with the names behind it and a reason worded as a reader reads it."""
from __future__ import annotations

import datetime as dt

import pytest

from atlas.compute.claims import check_claim
from atlas.compute.facts import CheckResult, Verdict
from atlas.model.records import Check, Metric, Person, Tenure
from conftest import claim, company, make_graph, model, person, stint

S, C, U = Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.UNDETERMINED
D = dt.date(2023, 6, 1)  # the claims' date; the site's is two years later (conftest.AS_OF)
COMPANIES = [company("meta"), company("fair", "meta", name="FAIR"), company("mistral", name="Mistral AI")]
PEOPLE = [
    person("ada", stint("fair", "2018")),                                     # there throughout
    person("bo", stint("fair", "2018", "2022-01"), stint("mistral", "2022-02")),
    person("cy", stint("fair", "2018", "2023"), stint("mistral", "2024-01")),  # left some time in 2023
    person("dee", stint("mistral", "2019")),                                  # never at Meta
    person("eve", stint("fair", "2018", "2024-03"), stint("mistral", "2024-04")),  # left after D
    person("fay", stint("fair", "2018", "2021-06"), stint("mistral", "2021-07")),  # left before D (an author where a test says)
]


def checked(metric: Metric, expect: int | str, date: dt.date = D, authors: tuple[str, ...] = ("ada", "bo", "cy", "dee", "eve"),
            company_slug: str = "meta", people: list[Person] = PEOPLE, **params: float) -> CheckResult:
    """The result of one check of a claim about `date` on the paper LLAMA by `authors`."""
    check = Check(metric, expect, model="llama", company=company_slug, **params)  # type: ignore[arg-type]
    graph = make_graph(COMPANIES, people, [model("llama", ["meta"], authors)], claims=[claim("c", date, check)])
    [result] = check_claim(graph, "c").results
    assert result.check is check  # the page shows what was claimed from it
    return result


def names(people: tuple[Person, ...]) -> list[str]:
    return [p.name for p in people]


def figures(result: CheckResult) -> tuple[Verdict, str, list[str], list[str]]:
    """The verdict, the figure, who is counted and whom the dates cannot place."""
    return result.verdict, result.computed, names(result.people), names(result.maybe)


# --- wording: a reason reads as a sentence, in the singular for one -----------------------

def test_one_author_who_left_has_left() -> None:
    result = checked(Metric.AUTHORS_LEFT, 1, dt.date(2022, 6, 1))
    assert result.why == "The data: of the 5 authors of LLAMA, 1 has left Meta by 2022-06-01 (Bo)."


def test_one_author_of_a_paper_with_one_author() -> None:
    result = checked(Metric.AUTHORS_REMAINING, 1, authors=("ada",))
    assert result.why == "The data: of the 1 author of LLAMA, 1 remains at Meta on 2023-06-01 (Ada)."


def test_tenure_reason_for_one_leaver_is_in_the_singular() -> None:
    result = checked(Metric.LEAVERS_TENURE_OVER, 1, dt.date(2022, 6, 1), authors=("ada", "bo"), years=2.5)
    assert result.why == ("The data: 1 author left Meta; tenure is known for 1 (0 as reported, 1 only bounded by dates): "
                          "over 2.5 years for 1 (Bo), not over 2.5 for 0, too close to call for 0; unknown for 0. "
                          "So 1 of 1 was there over 2.5 years.")
    assert (result.verdict, result.computed) == (S, "1 of 1")


# --- remaining, left and at: the figure, the names, and those the dates cannot place ------

def test_remaining_is_a_range_with_the_authors_the_dates_cannot_place() -> None:
    result = checked(Metric.AUTHORS_REMAINING, 2)
    assert figures(result) == (U, "2 to 3", ["Ada", "Eve"], ["Cy"])
    assert result.why == ("The data: of the 5 authors of LLAMA, 2 to 3 remain at Meta on 2023-06-01 (Ada, Eve). "
                          "The dates cannot place Cy.")


def test_left_counts_only_authors_who_were_there_and_shares_the_uncertain_ones() -> None:
    result = checked(Metric.AUTHORS_LEFT, 1)
    assert figures(result) == (U, "1 to 2", ["Bo"], ["Cy"])
    assert result.why == ("The data: of the 5 authors of LLAMA, 1 to 2 have left Meta by 2023-06-01 (Bo). "
                          "The dates cannot place Cy.")


def test_authors_who_have_left_are_counted_in_the_plural_over_the_whole_range() -> None:
    result = checked(Metric.AUTHORS_LEFT, 2, authors=("bo", "cy", "fay"))
    assert figures(result) == (U, "2 to 3", ["Bo", "Fay"], ["Cy"])
    assert result.why == ("The data: of the 3 authors of LLAMA, 2 to 3 have left Meta by 2023-06-01 (Bo, Fay). "
                          "The dates cannot place Cy.")


def test_counts_are_taken_at_the_claims_date_not_the_sites() -> None:
    result = checked(Metric.AUTHORS_REMAINING, 1, dt.date(2025, 6, 1))
    assert (result.verdict, result.computed) == (S, "1")
    assert result.why == "The data: of the 5 authors of LLAMA, 1 remains at Meta on 2025-06-01 (Ada)."
    result = checked(Metric.AUTHORS_LEFT, 3, dt.date(2025, 6, 1))
    assert result.why == "The data: of the 5 authors of LLAMA, 3 have left Meta by 2025-06-01 (Bo, Cy, Eve)."


def test_nobody_remaining_is_named_as_nobody() -> None:
    result = checked(Metric.AUTHORS_REMAINING, 0, dt.date(2017, 6, 1))
    assert (result.verdict, result.computed, result.people, result.maybe) == (S, "0", (), ())
    assert result.why == "The data: of the 5 authors of LLAMA, 0 remain at Meta on 2017-06-01 (nobody)."


def test_authors_at_a_company_one_is_and_several_are() -> None:
    one = checked(Metric.AUTHORS_AT, 1, dt.date(2021, 6, 1), company_slug="mistral")
    assert (one.verdict, one.computed) == (S, "1")
    assert one.why == "The data: of the 5 authors of LLAMA, 1 is at Mistral AI on 2021-06-01 (Dee)."
    several = checked(Metric.AUTHORS_AT, 2, dt.date(2024, 1, 15), company_slug="mistral")
    assert figures(several) == (U, "2 to 3", ["Bo", "Dee"], ["Cy"])
    assert several.why == ("The data: of the 5 authors of LLAMA, 2 to 3 are at Mistral AI on 2024-01-15 (Bo, Dee). "
                           "The dates cannot place Cy.")


def test_most_is_more_than_half_of_the_papers_authors() -> None:
    assert checked(Metric.AUTHORS_LEFT, "most", dt.date(2025, 6, 1)).verdict is S  # 3 of 5
    assert checked(Metric.AUTHORS_REMAINING, "most").verdict is U  # 2 to 3 of 5
    assert checked(Metric.AUTHORS_AT, "most", company_slug="mistral").verdict is C  # 2 of 5


def test_a_claim_is_supported_when_all_checks_are_contradicted_when_any_is() -> None:
    def verdict(date: dt.date, *checks: tuple[Metric, int, str]) -> Verdict:
        claimed = claim("c", date, *(Check(m, n, model="llama", company=c) for m, n, c in checks))
        result = check_claim(make_graph(COMPANIES, PEOPLE, [model("llama", ["meta"], ("ada", "bo", "cy", "dee", "eve"))],
                                        claims=[claimed]), "c")
        assert result.claim is claimed and len(result.results) == len(checks)
        return result.verdict

    remaining, left, at = Metric.AUTHORS_REMAINING, Metric.AUTHORS_LEFT, Metric.AUTHORS_AT
    assert verdict(dt.date(2025, 6, 1), (remaining, 1, "meta"), (left, 3, "meta")) is S
    assert verdict(D, (at, 2, "mistral"), (remaining, 2, "meta")) is U
    assert verdict(D, (at, 2, "mistral"), (remaining, 2, "meta"), (left, 4, "meta")) is C


# --- joined within the N months before the claim's date -----------------------------------

JOINERS = [
    person("ada", stint("mistral", "2020")),
    person("bo", stint("mistral", "2022-12-01")),   # the window's first day
    person("cy", stint("mistral", "2022-11-30")),   # the day before it
    person("dee", stint("mistral", "~2022-12")),    # November 2022 to January 2023
    person("eve", stint("mistral", "2023-06-01")),  # the claim's date
    person("fay", stint("mistral", "2023-06-02")),  # after it: not there yet
    person("gus", stint("meta", "2020")),
]


def joined(expect: int | str, authors: tuple[str, ...]) -> CheckResult:
    return checked(Metric.AUTHORS_JOINED_WITHIN, expect, authors=authors, company_slug="mistral", people=JOINERS, months=6)


def test_joined_within_counts_the_window_from_its_first_day_to_the_claims_date() -> None:
    result = joined(2, ("ada", "bo", "cy", "dee", "eve", "fay", "gus"))
    assert figures(result) == (U, "2 to 3", ["Bo", "Eve"], ["Dee"])
    assert result.why == ("The data: 5 authors are at Mistral AI on 2023-06-01; 2 to 3 joined between 2022-12-01 and "
                          "2023-06-01 (Bo, Eve); earlier: Ada, Cy. The dates cannot place Dee.")


def test_joined_within_one_author_and_nobody_earlier() -> None:
    result = joined(1, ("bo", "gus"))
    assert (result.verdict, result.computed) == (S, "1")
    assert result.why == "The data: 1 author is at Mistral AI on 2023-06-01; 1 joined between 2022-12-01 and 2023-06-01 (Bo)."


def test_joined_within_most_is_of_the_authors_at_the_company() -> None:
    assert joined("most", ("ada", "bo", "eve", "gus")).verdict is S  # 2 of the 3 there, not of all 4


# --- leavers whose tenure was over N years --------------------------------------------------

LEAVERS = [
    person("ada", stint("fair", "2015-01", "2020-01"), stint("mistral", "2020-02")),  # 4.9 to 5.1 years
    person("bo", stint("fair", "2021-01", "2022-06"), stint("mistral", "2022-07")),   # 1.3 to 1.5 years
    person("cy", stint("fair", "2019", "2022-06", tenure=Tenure(3, "about", "about 3 years")), stint("mistral", "2022-07")),
    person("dee", stint("fair", "by 2020", "2022-06"), stint("mistral", "2022-07")),  # no earliest start: unknown
    person("eve", stint("fair", "2010", "2024-06"), stint("mistral", "2024-07")),     # left after the claim's date
    person("fay", stint("fair", "2018")),
]


def over(expect: int | str, years: float = 3) -> CheckResult:
    return checked(Metric.LEAVERS_TENURE_OVER, expect, dt.date(2024, 1, 1), authors=("ada", "bo", "cy", "dee", "eve", "fay"),
                   people=LEAVERS, years=years)


def test_tenure_over_counts_the_whole_interval_above_and_keeps_the_unknown_as_possible() -> None:
    result = over(1)
    assert figures(result) == (U, "1 to 3 of 4", ["Ada"], ["Cy", "Dee"])
    assert result.why == ("The data: 4 authors left Meta; tenure is known for 3 (1 as reported, 2 only bounded by dates): "
                          "over 3 years for 1 (Ada), not over 3 for 1, too close to call for 1; unknown for 1. "
                          "So 1 to 3 of 4 were there over 3 years.")


@pytest.mark.parametrize("expect, verdict", [(0, C), (1, U), (3, U), (4, C), ("most", U)])
def test_tenure_over_verdicts(expect: int | str, verdict: Verdict) -> None:
    assert over(expect).verdict is verdict


def test_tenure_over_uses_the_claims_threshold() -> None:
    result = over(0, years=6)  # Ada's 4.9 to 5.1 years is under 6, Cy's about 3 too
    assert (result.verdict, result.computed, names(result.maybe)) == (U, "0 to 1 of 4", ["Dee"])


def test_tenure_of_an_author_who_left_a_unit_for_another_of_its_family_is_unknown() -> None:
    units = [company("genai", "meta", name="GenAI"), company("x", name="X")]
    people = [person("ada", stint("fair", "2015", "2020-01"), stint("genai", "2020-02")),  # no move out of Meta
              person("bo", stint("fair", "2015-01", "2021-01"), stint("x", "2021-02"))]
    check = Check(Metric.LEAVERS_TENURE_OVER, 1, model="llama", company="fair", years=3)
    graph = make_graph(COMPANIES + units, people, [model("llama", ["meta"], ("ada", "bo"))],
                       claims=[claim("c", dt.date(2024, 1, 1), check)])
    [result] = check_claim(graph, "c").results
    assert figures(result) == (U, "1 to 2 of 2", ["Bo"], ["Ada"])
    assert result.why == ("The data: 2 authors left FAIR; tenure is known for 1 (0 as reported, 1 only bounded by dates): "
                          "over 3 years for 1 (Bo), not over 3 for 0, too close to call for 0; unknown for 1. "
                          "So 1 to 2 of 2 were there over 3 years.")
