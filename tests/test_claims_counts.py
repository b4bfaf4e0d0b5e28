"""Claims that count a paper's authors (compute/claims.py): who remains, who left, who is at
a company, who joined within a window, whose tenure was over N years; each figure at the
claim's date, with the names behind it and a reason worded as a reader reads it."""
from __future__ import annotations

import datetime as dt

from atlas.compute.claims import check_claim
from atlas.compute.facts import CheckResult, Verdict
from atlas.model.records import Check, Metric, Person
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
]


def checked(metric: Metric, expect: int | str, date: dt.date = D, authors: tuple[str, ...] = ("ada", "bo", "cy", "dee", "eve"),
            company_slug: str = "meta", people: list[Person] = PEOPLE, **params: float) -> CheckResult:
    """The result of one check of a claim about `date` on the paper LLAMA by `authors`."""
    check = Check(metric, expect, model="llama", company=company_slug, **params)  # type: ignore[arg-type]
    graph = make_graph(COMPANIES, people, [model("llama", ["meta"], authors)], claims=[claim("c", date, check)])
    [result] = check_claim(graph, "c").results
    return result


def names(people: tuple[Person, ...]) -> list[str]:
    return [p.name for p in people]


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
