"""Checks of claims that are not counts: against an event, a model's fields, a company's founders.

Each gives the same three verdicts as the counts (compute/claims.py), with the recorded
fact behind it and that fact's sources:
- supported: the record says what the claim says, by the claim's date;
- contradicted: the record says otherwise;
- undetermined: the record does not decide (no such record, or a date on both sides).
The absence of a record never contradicts a claim: the data may simply not hold it.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Callable

from atlas.compute.graph import Graph
from atlas.model.records import AIModel, Check, Event, Metric, ModelStatus, Person


class Verdict(enum.Enum):
    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class CheckResult:
    check: Check
    verdict: Verdict
    computed: str  # the figure the data gives, e.g. "3" or "3 to 5", or the fact ("delayed")
    why: str
    people: tuple[Person, ...] = ()  # the people counted
    maybe: tuple[Person, ...] = ()  # people the data cannot place either way
    sources: tuple[str, ...] = ()  # of the recorded fact a check other than a count compared
    claimed: str = ""  # what the claim asserts, in words, when it is not a count or an amount


def _event(graph: Graph, as_of: dt.date, check: Check) -> CheckResult:
    """Did the event the company records happen by the claim's date?"""
    company = graph.companies[check.company]  # type: ignore[index]
    found: Event | None = next((e for e in company.events if e.id == check.event), None)
    happened = check.expect == "yes"
    claimed = f"{'happened' if happened else 'had not happened'} by {as_of.isoformat()}"
    if found is None or found.date.lo > graph.as_of:
        return CheckResult(check, Verdict.UNDETERMINED, "not recorded",
                           f"The data: {company.name} records no event '{check.event}' (known by {graph.as_of.isoformat()}).",
                           claimed=claimed)
    what = f"{company.name}: {found.title} ({found.date.display()})"
    if found.date.hi <= as_of:
        verdict, when = (Verdict.SUPPORTED if happened else Verdict.CONTRADICTED), "on or before"
    elif found.date.lo > as_of:
        verdict, when = (Verdict.CONTRADICTED if happened else Verdict.SUPPORTED), "only after"
    else:
        verdict, when = Verdict.UNDETERMINED, "perhaps before, perhaps after"
    return CheckResult(check, verdict, found.date.display(),
                       f"The data: {what}, {when} {as_of.isoformat()}.", sources=found.sources, claimed=claimed)


def _announced_after(model: AIModel, as_of: dt.date, check: Check, computed: str, claimed: str) -> CheckResult | None:
    """Undetermined, if the model was surely announced after the claim's date: what the
    data records of it then cannot speak for that date."""
    if model.released is None or model.released.lo <= as_of:
        return None
    return CheckResult(check, Verdict.UNDETERMINED, computed, f"The data: {model.name} was announced "
                       f"{model.released.display()}, after {as_of.isoformat()}.", sources=model.sources, claimed=claimed)


def _model_status(graph: Graph, as_of: dt.date, check: Check) -> CheckResult:
    """Is the model's recorded status the one the claim gives?"""
    model = graph.models[check.model]  # type: ignore[index]
    status = model.status.value
    assert isinstance(check.expect, ModelStatus)  # the loader makes it one
    expect = check.expect.value
    if after := _announced_after(model, as_of, check, status, expect):
        return after
    verdict = Verdict.SUPPORTED if status == expect else Verdict.CONTRADICTED
    return CheckResult(check, verdict, status, f"The data: {model.name} is recorded as {status}.",
                       sources=model.sources, claimed=expect)


def _open_weights(graph: Graph, as_of: dt.date, check: Check) -> CheckResult:
    """Are the model's weights open, as the claim says (or not)?"""
    model = graph.models[check.model]  # type: ignore[index]
    claimed = "open weights" if check.expect == "yes" else "weights not open"
    recorded = {None: "not recorded", True: "open weights", False: "weights not open"}[model.open_weights]
    if after := _announced_after(model, as_of, check, recorded, claimed):
        return after
    if model.open_weights is None:
        return CheckResult(check, Verdict.UNDETERMINED, recorded,
                           f"The data: whether {model.name}'s weights are open is not recorded.", sources=model.sources,
                           claimed=claimed)
    licence = f" (licence: {model.license})" if model.license else ""
    verdict = Verdict.SUPPORTED if model.open_weights == (check.expect == "yes") else Verdict.CONTRADICTED
    return CheckResult(check, verdict, recorded, f"The data: {model.name}'s weights are "
                       f"{'open' if model.open_weights else 'not open'}{licence}.", sources=model.sources, claimed=claimed)


def _founders(graph: Graph, as_of: dt.date, check: Check) -> CheckResult:
    """Are the people the claim names the company's founders (all of them, for 'exactly')?"""
    company = graph.companies[check.company]  # type: ignore[index]
    founders = tuple(graph.people[p] for p in company.founders)
    named = tuple(graph.people[p] for p in check.people)
    claimed = ("only " if check.expect == "exactly" else "among them ") + ", ".join(p.name for p in named)
    if not founders:
        return CheckResult(check, Verdict.UNDETERMINED, "not recorded",
                           f"The data: {company.name}'s founders are not recorded.", sources=company.sources, claimed=claimed)
    recorded = ", ".join(p.name for p in founders)
    wrong = [p for p in named if p.slug not in company.founders]
    missing = [p for p in founders if p.slug not in check.people]
    why = f"The data: {company.name} was founded by {recorded}."
    if wrong:
        why += f" Not among them: {', '.join(p.name for p in wrong)}."
    if missing and check.expect == "exactly":
        why += f" The claim leaves out {', '.join(p.name for p in missing)}."
    verdict = Verdict.CONTRADICTED if wrong or (missing and check.expect == "exactly") else Verdict.SUPPORTED
    return CheckResult(check, verdict, recorded, why, sources=company.sources, claimed=claimed)


FACT_CHECKS: dict[Metric, Callable[[Graph, dt.date, Check], CheckResult]] = {
    Metric.EVENT: _event, Metric.MODEL_STATUS: _model_status, Metric.OPEN_WEIGHTS: _open_weights,
    Metric.FOUNDERS: _founders,
}
