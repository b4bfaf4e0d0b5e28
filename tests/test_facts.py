"""Claims that are not counts: checked against an event, a model's fields and a company's
founders, with the three verdicts and the facts behind each (compute/facts.py); and a
claim's text shown as a quotation only when it is the source's words."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from atlas.build import load
from atlas.compute.claims import Verdict, check_claim
from atlas.compute.facts import CheckResult
from atlas.errors import ContentError
from atlas.model.records import AIModel, Check, Metric, ModelStatus
from conftest import build_site, claim, company, d, make_graph, write_content

P = "https://example.com/s"
S, C, U = Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.UNDETERMINED
BASE = {
    "companies/acme.yaml": (f"name: Acme\nfounders: [ada, bo]\nsources: [{P}]\nevents:\n"
                            f"  - date: 2024-03\n    title: A deal with Beta\n    id: deal\n    sources: [{P}/deal]\n"
                            f"  - date: ~2025-01\n    title: A launch\n    id: launch\n    sources: [{P}]\n"),
    "people/ada.yaml": "name: Ada\n", "people/bo.yaml": "name: Bo\n", "people/cy.yaml": "name: Cy\n",
    "models/big.yaml": f"name: Big\ncompany: acme\nreleased: 2025-04\nstatus: delayed\nopen_weights: false\n"
                       f"license: research only\nsources: [{P}/big]\n",
}


def verdict_of(tmp_path: Path, check: str, date: str = "2025-06-01", wording: str = "") -> tuple[Verdict, str, tuple[str, ...]]:
    claim = (f"text: t\n{wording}source: {{title: T, url: {P}}}\ndate: {date}\nchecks:\n  - " +
             check.replace("\n", "\n    ") + "\n")
    graph = load(write_content(tmp_path, {**BASE, "claims/c.yaml": claim}))
    [result] = check_claim(graph, "c").results
    return result.verdict, result.why, result.sources


@pytest.mark.parametrize("check, date, verdict", [
    ("metric: event\ncompany: acme\nevent: deal\nexpect: yes", "2025-06-01", S),
    ("metric: event\ncompany: acme\nevent: deal\nexpect: no", "2025-06-01", C),
    ("metric: event\ncompany: acme\nevent: deal\nexpect: yes", "2023-06-01", C),  # recorded only after the claim's date
    ("metric: event\ncompany: acme\nevent: launch\nexpect: yes", "2025-01-10", U),  # about January 2025: cannot tell
    ("metric: event\ncompany: acme\nevent: merger\nexpect: yes", "2025-06-01", U),  # no record is no contradiction
    ("metric: model_status\nmodel: big\nexpect: delayed", "2025-06-01", S),
    ("metric: model_status\nmodel: big\nexpect: released", "2025-06-01", C),
    ("metric: model_status\nmodel: big\nexpect: delayed", "2025-01-01", U),  # announced after the claim's date
    ("metric: open_weights\nmodel: big\nexpect: yes", "2025-06-01", C),
    ("metric: open_weights\nmodel: big\nexpect: no", "2025-06-01", S),
    ("metric: founders\ncompany: acme\npeople: [ada, bo]\nexpect: exactly", "2025-06-01", S),
    ("metric: founders\ncompany: acme\npeople: [ada]\nexpect: exactly", "2025-06-01", C),  # leaves Bo out
    ("metric: founders\ncompany: acme\npeople: [ada]\nexpect: among", "2025-06-01", S),
    ("metric: founders\ncompany: acme\npeople: [ada, cy]\nexpect: among", "2025-06-01", C),  # Cy is no founder
])
def test_facts_other_than_counts_get_the_three_verdicts(tmp_path: Path, check: str, date: str, verdict: Verdict) -> None:
    assert verdict_of(tmp_path, check, date)[0] is verdict


def test_each_verdict_gives_the_fact_behind_it_and_its_sources(tmp_path: Path) -> None:
    _, why, sources = verdict_of(tmp_path / "e", "metric: event\ncompany: acme\nevent: deal\nexpect: yes")
    assert why == "The data: Acme: A deal with Beta (Mar 2024), on or before 2025-06-01." and sources == (f"{P}/deal",)
    _, why, sources = verdict_of(tmp_path / "f", "metric: founders\ncompany: acme\npeople: [ada]\nexpect: exactly")
    assert why == "The data: Acme was founded by Ada, Bo. The claim leaves out Bo." and sources == (P,)
    _, why, sources = verdict_of(tmp_path / "w", "metric: open_weights\nmodel: big\nexpect: yes")
    assert why == "The data: Big's weights are not open (licence: research only)." and sources == (f"{P}/big",)


def test_a_claim_is_a_quotation_only_when_it_is_the_sources_words(tmp_path: Path) -> None:
    check = "metric: model_status\nmodel: big\nexpect: delayed"
    for wording, shown in (("wording: quote\n", "<q>t</q>"), ("", '<span class="paraphrase">t</span> <span class="small">(paraphrased)</span>')):
        root = tmp_path / (wording.strip() or "none").replace(": ", "-")
        claim = (f"text: t\n{wording}source: {{title: T, url: {P}}}\ndate: 2025-06-01\nchecks:\n  - "
                 + check.replace("\n", "\n    ") + "\n")
        build_site(write_content(root, {**BASE, "claims/c.yaml": claim}), root / "out")
        page = (root / "out" / "claims" / "index.html").read_text()
        assert shown in page
        assert ("<q>" in page) == bool(wording)


@pytest.mark.parametrize("check, message", [
    ("metric: event\ncompany: acme\nevent: deal\nexpect: 3",
     "claims/c.yaml:8:13: checks[0].expect: '3' is not allowed for metric 'event'; use yes or no"),
    ("metric: founders\ncompany: acme\nexpect: exactly",
     "claims/c.yaml:5:5: checks[0]: metric 'founders' needs 'people' (a list of person slugs)"),
])
def test_fact_checks_are_validated(tmp_path: Path, check: str, message: str) -> None:
    claim = f"text: t\nsource: {{title: T, url: {P}}}\ndate: 2025-06-01\nchecks:\n  - " + check.replace("\n", "\n    ") + "\n"
    with pytest.raises(ContentError) as err:
        load(write_content(tmp_path, {**BASE, "claims/c.yaml": claim}))
    assert [str(p) for p in err.value.problems] == [message]


def test_two_events_of_a_company_cannot_share_an_id(tmp_path: Path) -> None:
    company = BASE["companies/acme.yaml"].replace("id: launch", "id: deal")
    with pytest.raises(ContentError) as err:
        load(write_content(tmp_path, {**BASE, "companies/acme.yaml": company}))
    assert [str(p) for p in err.value.problems] == [
        "companies/acme.yaml:11:9: events[1].id: 'deal' is already the id of events[0]; give each event its own"]


# --- on small graphs built in code ----------------------------------------------------------

BIG = AIModel(slug="big", name="Big", src_path="models/big.yaml", companies=("acme",), released=d("2025-04"),
              status=ModelStatus.DELAYED, open_weights=False, license="research only", sources=(f"{P}/big",))


def fact(check: Check, date: dt.date, big: AIModel = BIG) -> CheckResult:
    """The result of one check of a claim about `date`, on a site as of 1 June 2025."""
    graph = make_graph([company("acme")], models=[big], claims=[claim("c", date, check)])
    [result] = check_claim(graph, "c").results
    return result


def test_open_weights_of_a_model_announced_after_the_claims_date_are_undetermined() -> None:
    result = fact(Check(Metric.OPEN_WEIGHTS, "no", model="big"), dt.date(2025, 3, 31))
    assert (result.verdict, result.computed, result.claimed) == (U, "weights not open", "weights not open")
    assert result.why == "The data: Big was announced Apr 2025, after 2025-03-31."
    assert result.sources == (f"{P}/big",)
