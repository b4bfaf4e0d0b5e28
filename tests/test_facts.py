"""Claims that are not counts: checked against an event, a model's fields and a company's
founders, with the three verdicts and the facts behind each (compute/facts.py); and a
claim's text shown as a quotation only when it is the source's words."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from atlas.build import load
from atlas.compute.claims import Verdict, check_claim
from atlas.compute.facts import CheckResult
from atlas.errors import ContentError
from atlas.model.records import AIModel, Check, Company, Event, Metric, ModelStatus
from conftest import build_site, claim, company, d, make_graph, person, write_content

P = "https://example.com/s"
D = dt.date(2025, 6, 1)
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

ACME = replace(company("acme", founders=("ada", "bo")), sources=(P,), events=(
    Event(d("2024-03"), "A deal with Beta", id="deal", sources=(f"{P}/deal",)),
    Event(d("2025-06-01"), "A launch", id="launch", sources=(f"{P}/launch",)),  # on the site's date
    Event(d("2025-06-02"), "A merger", id="merger", sources=(f"{P}/merger",)),  # the day after it
))
BIG = AIModel(slug="big", name="Big", src_path="models/big.yaml", companies=("acme",), released=d("2025-04"),
              status=ModelStatus.DELAYED, open_weights=False, license="research only",
              sources=(f"{P}/big",))


def fact(check: Check, date: dt.date, big: AIModel = BIG, acme: Company = ACME) -> CheckResult:
    """The result of one check of a claim about `date`, on a site as of 1 June 2025."""
    people = [person(slug) for slug in ("ada", "bo", "cy", "dee")]
    graph = make_graph([acme], people, [big], claims=[claim("c", date, check)])
    [result] = check_claim(graph, "c").results
    assert result.check is check  # the page shows what was claimed from it
    return result


def test_open_weights_of_a_model_announced_after_the_claims_date_are_undetermined() -> None:
    result = fact(Check(Metric.OPEN_WEIGHTS, "no", model="big"), dt.date(2025, 3, 31))
    assert (result.verdict, result.computed, result.claimed) == (U, "weights not open", "weights not open")
    assert result.why == "The data: Big was announced Apr 2025, after 2025-03-31."
    assert result.sources == (f"{P}/big",)



def summary(result: CheckResult) -> tuple[Verdict, str, str, tuple[str, ...]]:
    """The verdict, the fact the data gives, what the claim says, and the fact's sources."""
    return result.verdict, result.computed, result.claimed, result.sources


# --- event: by the claim's date, with the date interval on both sides ------------------------

@pytest.mark.parametrize("expect, date, verdict, when", [
    ("yes", "2024-03-31", S, "on or before"),               # the event's last possible day
    ("yes", "2024-03-30", U, "perhaps before, perhaps after"),
    ("yes", "2024-03-01", U, "perhaps before, perhaps after"),  # its first possible day
    ("yes", "2024-02-29", C, "only after"),                 # the day before its first possible day
    ("no", "2024-03-31", C, "on or before"),
    ("no", "2024-03-30", U, "perhaps before, perhaps after"),
    ("no", "2024-02-29", S, "only after"),
])
def test_an_event_is_compared_with_the_claims_date_by_its_whole_interval(expect: str, date: str, verdict: Verdict,
                                                                          when: str) -> None:
    result = fact(Check(Metric.EVENT, expect, company="acme", event="deal"), dt.date.fromisoformat(date))
    claimed = f"{'happened' if expect == 'yes' else 'had not happened'} by {date}"
    assert summary(result) == (verdict, "Mar 2024", claimed, (f"{P}/deal",))
    assert result.why == f"The data: Acme: A deal with Beta (Mar 2024), {when} {date}."


def test_an_event_dated_on_the_sites_date_is_recorded() -> None:
    result = fact(Check(Metric.EVENT, "yes", company="acme", event="launch"), dt.date(2025, 7, 1))
    assert summary(result) == (S, "1 Jun 2025", "happened by 2025-07-01", (f"{P}/launch",))
    assert result.why == "The data: Acme: A launch (1 Jun 2025), on or before 2025-07-01."


@pytest.mark.parametrize("event", ["merger", "ipo"])  # after the site's date, or not in the file
def test_an_event_not_known_at_the_sites_date_is_not_recorded(event: str) -> None:
    result = fact(Check(Metric.EVENT, "no", company="acme", event=event), dt.date(2025, 7, 1))
    assert summary(result) == (U, "not recorded", "had not happened by 2025-07-01", ())
    assert result.why == f"The data: Acme records no event '{event}' (known by 2025-06-01)."


# --- a model's status and weights, unless it was announced after the claim's date -----------

def test_a_model_announced_on_the_claims_date_is_compared() -> None:
    status = fact(Check(Metric.MODEL_STATUS, ModelStatus.DELAYED, model="big"), dt.date(2025, 4, 1))
    assert summary(status) == (S, "delayed", "delayed", (f"{P}/big",))
    assert status.why == "The data: Big is recorded as delayed."
    weights = fact(Check(Metric.OPEN_WEIGHTS, "no", model="big"), dt.date(2025, 4, 1))
    assert summary(weights) == (S, "weights not open", "weights not open", (f"{P}/big",))
    assert weights.why == "The data: Big's weights are not open (licence: research only)."


def test_the_status_of_a_model_announced_after_the_claims_date_is_undetermined() -> None:
    result = fact(Check(Metric.MODEL_STATUS, ModelStatus.RELEASED, model="big"), dt.date(2025, 3, 31))
    assert summary(result) == (U, "delayed", "released", (f"{P}/big",))
    assert result.why == "The data: Big was announced Apr 2025, after 2025-03-31."


def test_the_status_of_a_model_with_no_release_date_is_compared_at_any_date() -> None:
    result = fact(Check(Metric.MODEL_STATUS, ModelStatus.RELEASED, model="big"), dt.date(2020, 1, 1), replace(BIG, released=None))
    assert summary(result) == (C, "delayed", "released", (f"{P}/big",))
    assert result.why == "The data: Big is recorded as delayed."


@pytest.mark.parametrize("expect, verdict", [("yes", S), ("no", C)])
def test_open_weights_without_a_licence(expect: str, verdict: Verdict) -> None:
    result = fact(Check(Metric.OPEN_WEIGHTS, expect, model="big"), D, replace(BIG, open_weights=True, license=""))
    claimed = "open weights" if expect == "yes" else "weights not open"
    assert summary(result) == (verdict, "open weights", claimed, (f"{P}/big",))
    assert result.why == "The data: Big's weights are open."


def test_open_weights_not_recorded_are_undetermined() -> None:
    result = fact(Check(Metric.OPEN_WEIGHTS, "yes", model="big"), D, replace(BIG, open_weights=None))
    assert summary(result) == (U, "not recorded", "open weights", (f"{P}/big",))
    assert result.why == "The data: whether Big's weights are open is not recorded."


# --- founders: among them, or exactly them ---------------------------------------------------

@pytest.mark.parametrize("expect, named, verdict, claimed, said", [
    ("among", ("bo",), S, "among them Bo", ""),
    ("exactly", ("bo", "ada"), S, "only Bo, Ada", ""),  # in any order
    ("among", ("cy", "dee"), C, "among them Cy, Dee", " Not among them: Cy, Dee."),
    ("exactly", ("ada", "cy"), C, "only Ada, Cy", " Not among them: Cy. The claim leaves out Bo."),
    ("exactly", ("cy",), C, "only Cy", " Not among them: Cy. The claim leaves out Ada, Bo."),
])
def test_founders_named_and_left_out(expect: str, named: tuple[str, ...], verdict: Verdict, claimed: str, said: str) -> None:
    result = fact(Check(Metric.FOUNDERS, expect, company="acme", people=named), D)
    assert summary(result) == (verdict, "Ada, Bo", claimed, (P,))
    assert result.why == "The data: Acme was founded by Ada, Bo." + said


def test_founders_of_a_company_that_records_none_are_undetermined() -> None:
    result = fact(Check(Metric.FOUNDERS, "exactly", company="acme", people=("ada",)), D, acme=replace(ACME, founders=()))
    assert summary(result) == (U, "not recorded", "only Ada", (P,))
    assert result.why == "The data: Acme's founders are not recorded."
