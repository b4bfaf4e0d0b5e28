"""Check the figures a claim asserts against the figures the data gives."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from atlas.compute.facts import FACT_CHECKS, CheckResult, Verdict
from atlas.compute.graph import Graph
from atlas.compute.moves import Truth, at
from atlas.compute.summaries import FundingTotal, diaspora, funding_total, joined_within, tenure_summary
from atlas.model.dates import add_months
from atlas.model.records import Check, Claim, Company, Metric, Money, Person


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    verdict: Verdict
    results: tuple[CheckResult, ...]


def check_claim(graph: Graph, slug: str) -> ClaimResult:
    """Evaluate every check of a claim at the claim's date."""
    claim = graph.claims[slug]
    results = tuple(_evaluate(graph, claim.date, check) for check in claim.checks)
    verdicts = {r.verdict for r in results}
    if Verdict.CONTRADICTED in verdicts:
        verdict = Verdict.CONTRADICTED
    elif verdicts == {Verdict.SUPPORTED}:
        verdict = Verdict.SUPPORTED
    else:
        verdict = Verdict.UNDETERMINED
    return ClaimResult(claim, verdict, results)


def compare_count(lo: int, hi: int, expect: int | str, total: int) -> Verdict:
    """Compare an interval of possible counts with an asserted count or 'most'."""
    if expect == "most":
        if lo * 2 > total:
            return Verdict.SUPPORTED
        return Verdict.CONTRADICTED if hi * 2 <= total else Verdict.UNDETERMINED
    assert isinstance(expect, int)
    if lo == hi == expect:
        return Verdict.SUPPORTED
    return Verdict.CONTRADICTED if expect < lo or expect > hi else Verdict.UNDETERMINED


def _figure(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo} to {hi}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _names(people: tuple[Person, ...]) -> str:
    return ", ".join(p.name for p in people) or "nobody"


def _evaluate(graph: Graph, as_of: dt.date, check: Check) -> CheckResult:
    if check.metric is Metric.FUNDING_RAISED:
        return _funding(graph, as_of, check)
    if check.metric in FACT_CHECKS:
        return FACT_CHECKS[check.metric](graph, as_of, check)
    model = graph.models[check.model]  # type: ignore[index]
    company = graph.companies[check.company]  # type: ignore[index]
    date = as_of.isoformat()
    authors = tuple(graph.people[a] for a in model.authors)
    n = len(authors)
    of = f"of the {_count(n, 'author', 'authors')} of {model.name}"
    if check.metric in (Metric.AUTHORS_REMAINING, Metric.AUTHORS_LEFT):
        d = diaspora(graph, model, company.slug, as_of)
        maybe = tuple(r.person for r in d.uncertain)  # each had a stint there: one the dates cannot place
        if check.metric is Metric.AUTHORS_REMAINING:
            sure = tuple(r.person for r in d.remain)
            figure = _figure(len(sure), len(sure) + len(maybe))
            verb = "remains" if len(sure) + len(maybe) == 1 else "remain"
            what = f"{of}, {figure} {verb} at {company.name} on {date}"
        else:
            sure = tuple(r.person for r in d.left)
            figure = _figure(len(sure), len(sure) + len(maybe))
            verb = "has" if len(sure) + len(maybe) == 1 else "have"
            what = f"{of}, {figure} {verb} left {company.name} by {date}"
        return _count_result(check, sure, maybe, n, what)
    if check.metric is Metric.AUTHORS_AT:
        answers = {p: at(graph, p, company.slug, as_of) for p in authors}
        sure = tuple(p for p, t in answers.items() if t is Truth.YES)
        maybe = tuple(p for p, t in answers.items() if t is Truth.MAYBE)
        lo, hi = len(sure), len(sure) + len(maybe)
        verb = "is" if hi == 1 else "are"
        return _count_result(check, sure, maybe, n, f"{of}, {_figure(lo, hi)} {verb} at {company.name} on {date}")
    if check.metric is Metric.AUTHORS_JOINED_WITHIN:
        return _joined(graph, as_of, check, authors, company.name)
    return _tenure(graph, as_of, check)


def _count_result(check: Check, sure: tuple[Person, ...], maybe: tuple[Person, ...], total: int, what: str) -> CheckResult:
    lo, hi = len(sure), len(sure) + len(maybe)
    verdict = compare_count(lo, hi, check.expect, total)  # type: ignore[arg-type]
    why = f"The data: {what} ({_names(sure)})."
    if maybe:
        why += f" The dates cannot place {_names(maybe)}."
    return CheckResult(check, verdict, _figure(lo, hi), why, sure, maybe)


def _joined(graph: Graph, as_of: dt.date, check: Check, authors: tuple[Person, ...], name: str) -> CheckResult:
    assert check.months is not None  # the schema requires it of this metric
    last = as_of
    first = add_months(last, -check.months)
    present = [p for p in authors if at(graph, p, check.company, last) is not Truth.NO]  # type: ignore[arg-type]
    answers = {p: joined_within(graph, p, check.company, first, last) for p in present}  # type: ignore[arg-type]
    sure = tuple(p for p, t in answers.items() if t is Truth.YES)
    maybe = tuple(p for p, t in answers.items() if t is Truth.MAYBE)
    earlier = tuple(p for p, t in answers.items() if t is Truth.NO)
    lo, hi = len(sure), len(sure) + len(maybe)
    verdict = compare_count(lo, hi, check.expect, len(present))  # type: ignore[arg-type]
    why = (f"The data: {_count(len(present), 'author is', 'authors are')} at {name} on {last.isoformat()}; "
           f"{_figure(lo, hi)} joined between {first.isoformat()} and {last.isoformat()} ({_names(sure)})")
    why += f"; earlier: {_names(earlier)}." if earlier else "."
    if maybe:
        why += f" The dates cannot place {_names(maybe)}."
    return CheckResult(check, verdict, _figure(lo, hi), why, sure, maybe)


def _tenure(graph: Graph, as_of: dt.date, check: Check) -> CheckResult:
    model = graph.models[check.model]  # type: ignore[index]
    company = graph.companies[check.company]  # type: ignore[index]
    d = diaspora(graph, model, company.slug, as_of)
    leavers = [r.first_move for r in d.left if r.first_move]
    # Who left a unit for another unit of its family made no move, so has no tenure at departure.
    in_family = tuple(r.person for r in d.left if not r.first_move)
    assert check.years is not None  # the schema requires it of this metric
    years = check.years
    summary = tenure_summary(leavers, years)
    n = len(d.left)
    sure = tuple(m.person for m in summary.over)
    maybe = tuple(m.person for m in summary.maybe + summary.unknown) + in_family
    lo, hi = len(sure), len(sure) + len(maybe)
    verdict = compare_count(lo, hi, check.expect, n)  # type: ignore[arg-type]
    why = (f"The data: {_count(n, 'author', 'authors')} left {company.name}; tenure is known for {len(summary.known)} "
           f"({summary.reported} as reported, {len(summary.known) - summary.reported} only bounded by dates): "
           f"over {years:g} years for {len(summary.over)} ({_names(sure)}), "
           f"not over {years:g} for {len(summary.under)}, too close to call for {len(summary.maybe)}; "
           f"unknown for {len(summary.unknown) + len(in_family)}. "
           f"So {_figure(lo, hi)} of {n} {'was' if hi == 1 else 'were'} there over {years:g} years.")
    return CheckResult(check, verdict, f"{_figure(lo, hi)} of {n}", why, sure, maybe)


def _funding(graph: Graph, as_of: dt.date, check: Check) -> CheckResult:
    company = graph.companies[check.company]  # type: ignore[index]
    expect = check.expect
    assert isinstance(expect, Money)
    total = funding_total(company, as_of)
    unknown = len(total.unknown)
    raised = " + ".join(m.display() for m in total.by_currency) or "nothing"
    why = f"The data: {_count(len(total.rounds), 'round', 'rounds')} announced by {as_of.isoformat()} raised {raised}"
    if total.usd_reported and expect.currency == "USD" and any(m.currency != "USD" for m in total.by_currency):
        why += f" (reported USD equivalents add up to {total.usd_reported.display()})"
    why += f", and {_count(unknown, 'round', 'rounds')} of unknown amount." if unknown else "."
    if not total.rounds:
        return CheckResult(check, Verdict.UNDETERMINED, raised,
                           why + f" With no amount recorded, the data cannot check {expect.display()}.")
    actual = _comparable(total, expect.currency)
    if actual is None:
        return CheckResult(check, Verdict.UNDETERMINED, raised, why + f" They cannot be compared with {expect.display()} without an exchange rate.")
    tolerance = Decimal(str(check.tolerance))
    close = abs(actual.amount - expect.amount) <= tolerance * expect.amount
    verdict = Verdict.SUPPORTED if close else Verdict.CONTRADICTED
    computed = actual.display()
    if unknown and actual.amount - expect.amount <= tolerance * expect.amount:  # what is unknown may make it up
        verdict, computed = Verdict.UNDETERMINED, f"at least {computed}"
        why += f" So {computed}, which neither supports nor contradicts {expect.display()}."
    if not close:
        why += _valuation(company, as_of, expect, tolerance)
    return CheckResult(check, verdict, computed, why)


def _comparable(total: FundingTotal, currency: str) -> Money | None:
    """The money raised in `currency`: the sum when every round is in it, or the reported USD equivalents."""
    sums = {m.currency: m for m in total.by_currency}
    if currency in sums and len(sums) == 1:
        return sums[currency]
    return total.usd_reported if currency == "USD" else None


def _valuation(company: Company, as_of: dt.date, expect: Money, tolerance: Decimal) -> str:
    """A sentence naming the first valuation by as_of that the claimed amount matches, if any."""
    for rnd in sorted(company.funding, key=lambda r: r.date.sort_key()):
        if rnd.valuation and rnd.date.hi <= as_of and rnd.valuation.currency == expect.currency \
                and abs(rnd.valuation.amount - expect.amount) <= tolerance * expect.amount:
            return f" {expect.display()} matches the valuation at the {rnd.round} ({rnd.date.display()}), not money raised."
    return ""
