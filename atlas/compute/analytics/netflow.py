"""Net flow and flow ratio between organisations (S5, S6), from the direct moves.

Every move counts once, from the organisation of the last stint of the run left to the
destination's organisation (as the site-wide flows do: FAIR is not merged into Meta).
Moves with an unknown destination are in no pair, but count as departures in an
organisation's balance. Two windows: every move by the as-of date, and the moves of the
last 24 months before it (a move whose date may fall either side counts as "maybe").
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from atlas.compute.graph import Graph
from atlas.compute.moves import Move, Truth, all_moves, within
from atlas.compute.summaries import UNKNOWN, org_label
from atlas.model.dates import add_months
from atlas.model.records import Company

MIN_SUPPORT = 5  # moves both ways together below which no ratio is given
RECENT_MONTHS = 24
Org = tuple[str, Company | None, str]  # key, company (None without a page), label


# The views' derived values are plain functions that the classes make properties of
# (`net = property(_net)`), not methods under @property: mutation testing leaves decorated
# functions alone, and these are rules (bench/mutation.md).

def _window_text(window: Window) -> str:
    """'3' when every move surely falls in the window, '3 to 5' when 2 more may."""
    return f"{window.surely} to {window.surely + window.maybe}" if window.maybe else str(window.surely)


@dataclass(frozen=True)
class Window:
    """Moves within a window: `surely` in it, and `maybe` whose dates allow either side."""

    surely: int
    maybe: int

    text = property(_window_text)


def _net(flow: PairFlow | Balance) -> int:
    """Moves in less moves out."""
    return len(flow.inflow) - len(flow.outflow)


def _total(flow: PairFlow) -> int:
    """Moves both ways."""
    return len(flow.inflow) + len(flow.outflow)


def _ratio(flow: PairFlow) -> str:
    """'8.2 : 1' (in : out), 'n : 0' without a reverse move, '' below MIN_SUPPORT moves."""
    if _total(flow) < MIN_SUPPORT:
        return ""
    big, small = max(len(flow.inflow), len(flow.outflow)), min(len(flow.inflow), len(flow.outflow))
    if small == 0:
        return f"{len(flow.inflow)} : {len(flow.outflow)}"
    value = f"{big / small:.1f}".removesuffix(".0")
    return f"{value} : 1" if len(flow.inflow) >= len(flow.outflow) else f"1 : {value}"


@dataclass(frozen=True)
class PairFlow:
    """Moves both ways between two organisations, seen from `here`."""

    here: Org
    there: Org
    inflow: tuple[Move, ...]  # there -> here
    outflow: tuple[Move, ...]  # here -> there
    recent_in: Window  # of the inflow, in the last RECENT_MONTHS
    recent_out: Window

    net = property(_net)
    total = property(_total)
    ratio = property(_ratio)


@dataclass(frozen=True)
class Balance:
    """An organisation's moves in and out, and the net."""

    org: Org
    inflow: tuple[Move, ...]
    outflow: tuple[Move, ...]  # including those to an unknown destination

    net = property(_net)


@dataclass(frozen=True)
class NetFlows:
    pairs: tuple[PairFlow, ...]  # each pair once, from the side that gains; largest net first
    balances: tuple[Balance, ...]  # by net, largest gain first
    since: dt.date  # the first day of the recent window


def recent_since(as_of: dt.date) -> dt.date:
    return add_months(as_of, -RECENT_MONTHS)


def net_flows(graph: Graph) -> NetFlows:
    """Every pair of organisations with a move between them, and every organisation's balance."""
    return graph.memo(_net_flows)


def _net_flows(graph: Graph) -> NetFlows:
    moves = all_moves(graph)
    orgs: dict[str, Org] = {}
    between: dict[tuple[str, str], list[Move]] = defaultdict(list)
    ins: dict[str, list[Move]] = defaultdict(list)
    outs: dict[str, list[Move]] = defaultdict(list)
    for move in moves:
        a, b = org_label(graph, move.origin), org_label(graph, move.destination)
        orgs[a[0]], orgs[b[0]] = a, b
        outs[a[0]].append(move)
        if b[0] != UNKNOWN:
            ins[b[0]].append(move)
            between[(a[0], b[0])].append(move)
    since = recent_since(graph.as_of)
    pairs = []
    for a, b in {tuple(sorted(k)) for k in between}:
        pair = _pair(orgs[a], orgs[b], between[(b, a)], between[(a, b)], since, graph.as_of)
        pairs.append(pair if pair.net >= 0 else _pair(orgs[b], orgs[a], pair.outflow, pair.inflow, since, graph.as_of))
    balances = [Balance(orgs[k], tuple(ins[k]), tuple(outs[k])) for k in orgs if k != UNKNOWN]
    return NetFlows(tuple(sorted(pairs, key=_pair_order)),
                    tuple(sorted(balances, key=lambda b: (-b.net, -len(b.inflow), b.org[2].lower()))), since)


def _pair(here: Org, there: Org, inflow: list[Move] | tuple[Move, ...], outflow: list[Move] | tuple[Move, ...],
          since: dt.date, as_of: dt.date) -> PairFlow:
    return PairFlow(here, there, tuple(inflow), tuple(outflow), window(inflow, since, as_of), window(outflow, since, as_of))


def _pair_order(p: PairFlow) -> tuple:
    return (-abs(p.net), -p.total, p.here[2].lower(), p.there[2].lower())


def window(moves: list[Move] | tuple[Move, ...], first: dt.date, last: dt.date) -> Window:
    """How many of the moves fall within [first, last], surely and maybe."""
    answers = [within(m.date, first, last) for m in moves]
    return Window(answers.count(Truth.YES), answers.count(Truth.MAYBE))


@dataclass(frozen=True)
class CompanyFlows:
    """A company's (with its units') net flows with each other organisation."""

    gains: tuple[PairFlow, ...]  # net gains, largest first
    losses: tuple[PairFlow, ...]  # net losses, largest first
    even: tuple[PairFlow, ...]  # as many moves each way
    unknown: tuple[Move, ...]  # departures to an unknown destination: in no pair


def company_flows(graph: Graph, company: str, inflow: list[Move], outflow: list[Move]) -> CompanyFlows:
    """A company's moves in (the moves of its arrivals) and out (its departures), by the other organisation."""
    here: Org = (company, graph.companies[company], graph.companies[company].name)
    others: dict[str, Org] = {}
    ins: dict[str, list[Move]] = defaultdict(list)
    outs: dict[str, list[Move]] = defaultdict(list)
    for move in inflow:
        org = org_label(graph, move.origin)
        others[org[0]] = org
        ins[org[0]].append(move)
    for move in outflow:
        org = org_label(graph, move.destination)
        if org[0] != UNKNOWN:
            others[org[0]] = org
            outs[org[0]].append(move)
    since = recent_since(graph.as_of)
    pairs = sorted((_pair(here, others[k], ins[k], outs[k], since, graph.as_of) for k in others), key=_pair_order)
    return CompanyFlows(tuple(p for p in pairs if p.net > 0), tuple(p for p in pairs if p.net < 0),
                        tuple(p for p in pairs if p.net == 0), tuple(m for m in outflow if m.destination is None))
