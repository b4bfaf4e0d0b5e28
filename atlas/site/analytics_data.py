"""The analytics as downloads: analytics.json with every figure, and one CSV per view,
with the people's slugs so that anyone can recompute them. Each CSV column is defined
once, with its documentation, which the analytics page lists."""
from __future__ import annotations

import json
from typing import Any, Sequence

from atlas.compute.analytics.attrition import Attrition, attrition
from atlas.compute.analytics.boomerangs import boomerangs_of
from atlas.compute.analytics.founders import founder_origins
from atlas.compute.analytics.netflow import MIN_SUPPORT, RECENT_MONTHS, net_flows
from atlas.compute.analytics.releases import first_releases
from atlas.compute.analytics.retention import FOREVER, HORIZONS, MIN_ARRIVALS, Retention, retention
from atlas.compute.graph import Graph
from atlas.site.data import Column, csv_bytes


def _slugs(moves: Sequence[Any]) -> str:
    return " ".join(m.person.slug for m in moves)


FLOW_COLUMNS: tuple[Column, ...] = (
    Column("gains", "slug of the organisation that gains ('~' and its name for one without a page)", lambda p: p.here[0]),
    Column("gains_name", "its name", lambda p: p.here[2]),
    Column("from", "slug of the other organisation (the same way)", lambda p: p.there[0]),
    Column("from_name", "its name", lambda p: p.there[2]),
    Column("moves_in", "moves from the other organisation to the one that gains", lambda p: len(p.inflow)),
    Column("moves_back", "moves the other way", lambda p: len(p.outflow)),
    Column("net", "moves_in less moves_back", lambda p: p.net),
    Column("ratio", f"moves_in : moves_back, only with at least {MIN_SUPPORT} moves; 'n : 0' without a reverse move",
           lambda p: p.ratio),
    Column("recent_in", f"moves_in dated surely within the last {RECENT_MONTHS} months", lambda p: p.recent_in.surely),
    Column("recent_in_maybe", "more moves_in whose dates may fall within them", lambda p: p.recent_in.maybe),
    Column("recent_back", "moves_back dated surely within them", lambda p: p.recent_out.surely),
    Column("recent_back_maybe", "more moves_back that may fall within them", lambda p: p.recent_out.maybe),
    Column("people_in", "slugs of the people who moved in, separated by spaces", lambda p: _slugs(p.inflow)),
    Column("people_back", "slugs of the people who moved back", lambda p: _slugs(p.outflow)),
)

FOUNDER_COLUMNS: tuple[Column, ...] = (
    Column("company", "slug of the company founded", lambda f: f.company.slug),
    Column("founded", "its founding date, as written", lambda f: str(f.company.founded or "")),
    Column("person", "slug of the founder", lambda f: f.person.slug),
    Column("from_company", "slug of the company of the founder's last stint before (empty: none recorded, or no page)",
           lambda f: (f.move.origin.company or "") if f.move else ""),
    Column("from_organization", "that organisation's name (empty when no earlier stint is recorded)",
           lambda f: f.move.origin.organization or "" if f.move and not f.move.origin.company else ""),
    Column("left", "when the founder left it (the move's date, as written)", lambda f: str(f.move.date) if f.move else ""),
)

BOOMERANG_COLUMNS: tuple[Column, ...] = (
    Column("person", "slug of the person", lambda r: r[0].person.slug),
    Column("family", "slug of the company family returned to", lambda r: r[0].family.slug),
    Column("left_company", "slug of the company (or unit) left", lambda r: r[1].left.last.company or ""),
    Column("left", "when the person left, as written", lambda r: str(r[1].move.date)),
    Column("returned_company", "slug of the company (or unit) returned to", lambda r: r[1].back.stints[0].company or ""),
    Column("returned", "when the return began, as written", lambda r: str(r[1].back.start)),
    Column("away_days_min", "the shortest time away, in days", lambda r: r[1].away.lo),
    Column("away_days_max", "the longest time away, in days (empty: unbounded)", lambda r: "" if r[1].away.hi is None else r[1].away.hi),
    Column("meanwhile", "slugs (or names) of the organisations of the stints in between", lambda r: " ".join(
        s.company or s.organization or "" for s in r[1].meanwhile)),
    Column("certain", "'yes' when the return surely began by the as-of date", lambda r: "yes" if r[1].certain else "no"),
)

ATTRITION_COLUMNS: tuple[Column, ...] = (
    Column("model", "slug of the model", lambda r: r[0].model.slug),
    Column("company", "slug of the company family its authors are counted at", lambda r: r[0].company.slug),
    Column("authors", "the number of its authors", lambda r: r[0].authors),
    Column("from", "the day from which the counts hold (until the next row's)", lambda r: r[1].day.isoformat()),
    Column("surely_there", "authors surely at the company on that day", lambda r: r[1].low),
    Column("at_most", "authors who may be there (surely there plus those the dates cannot place)", lambda r: r[1].high),
    Column("left", "slugs of the authors surely gone since the row before", lambda r: " ".join(p.slug for p in r[1].gone)),
    Column("may_have_left", "slugs of the authors no longer surely there since the row before",
           lambda r: " ".join(p.slug for p in r[1].unsure)),
)


FIRST_RELEASE_COLUMNS: tuple[Column, ...] = (
    Column("company", "slug of the company", lambda f: f.company.slug),
    Column("founded", "its founding date, as written", lambda f: str(f.company.founded)),
    Column("model", "slug of its first model recorded here (its own or a unit's)", lambda f: f.model.slug),
    Column("released", "that model's release date, as written", lambda f: str(f.model.released)),
    Column("days_min", "the shortest time from founding to release, in days", lambda f: f.time.lo),
    Column("days_max", "the longest, in days", lambda f: "" if f.time.hi is None else f.time.hi),
    Column("maybe_first", "slugs of other models whose release may have come first", lambda f: " ".join(m.slug for m in f.maybe_first)),
)


def _rate(index: int, side: str) -> Any:
    def get(r: Retention) -> object:
        value = getattr(r.rates[index], side)
        return "" if value is None else (round(value, 4) if isinstance(value, float) else value)
    return get


RETENTION_COLUMNS: tuple[Column, ...] = (
    Column("company", "slug of the company (with its units)", lambda r: r.company.slug),
    Column("joined", "people who joined it (each once, from their first arrival)", lambda r: len(r.stays)),
    Column("censored", "of them, people still there at the as-of date", lambda r: len(r.censored)),
    Column("enough", f"'yes' when at least {MIN_ARRIVALS} people joined: only then is retention shown",
           lambda r: "yes" if r.enough else "no"),
    *(Column(f"retained_{h}m_{side}", f"share still there after {h} months, {'shortest' if side == 'low' else 'longest'} "
             "stays the dates allow (empty: nobody followed that long)", _rate(i, side))
      for i, h in enumerate(HORIZONS) for side in ("low", "high")),
    *(Column(f"followed_{h}m", f"people still followed after {h} months, on the shortest stays", _rate(i, "at_risk_low"))
      for i, h in enumerate(HORIZONS)),
)

STAY_COLUMNS: tuple[Column, ...] = (
    Column("company", "slug of the company joined", lambda r: r[0].company.slug),
    Column("person", "slug of the person", lambda r: r[1].person.slug),
    Column("joined", "the start of their first stint there, as written", lambda r: str(r[1].joined.start)),
    Column("left", "the end of that stay in the company family, as written (empty: still there)",
           lambda r: str(r[1].end) if r[1].end else ""),
    Column("days_min", "the shortest the stay can be, in days (to the as-of date while it goes on)", lambda r: int(r[1].shortest)),
    Column("left_min", "'yes' when the shortest reading ends with a departure; 'no': censored", lambda r: "yes" if r[1].shortest_left else "no"),
    Column("days_max", "the longest, in days (empty: unbounded)", lambda r: "" if r[1].longest == FOREVER else int(r[1].longest)),
    Column("left_max", "'yes' when the longest reading ends with a departure by the as-of date",
           lambda r: "yes" if r[1].longest_left else "no"),
)


def _retention(graph: Graph) -> list[Retention]:
    return [r for slug in sorted(graph.companies) for r in (retention(graph, slug),) if r is not None]


def _curves(graph: Graph) -> list[Attrition]:
    return [a for slug in sorted(graph.models) for a in (attrition(graph, slug),) if a is not None]


def _returns(graph: Graph) -> list[tuple[Any, Any]]:
    return [(b, r) for slug in sorted(graph.people) for b in boomerangs_of(graph, slug) for r in b.returns]


def flows_csv(graph: Graph) -> bytes:
    """Every pair of organisations with a move between them, largest net first."""
    return csv_bytes(FLOW_COLUMNS, net_flows(graph).pairs)


def founders_csv(graph: Graph) -> bytes:
    """Every founder of every company founded by the as-of date, and where they came from."""
    return csv_bytes(FOUNDER_COLUMNS, founder_origins(graph))


def boomerangs_csv(graph: Graph) -> bytes:
    """Every return of every person to a company family, people by slug."""
    return csv_bytes(BOOMERANG_COLUMNS, _returns(graph))


def attrition_csv(graph: Graph) -> bytes:
    """Every step of every model's attrition curve, models by slug."""
    return csv_bytes(ATTRITION_COLUMNS, [(a, s) for a in _curves(graph) for s in a.steps])


def first_release_csv(graph: Graph) -> bytes:
    """Every company's time to first release, fastest first."""
    return csv_bytes(FIRST_RELEASE_COLUMNS, first_releases(graph))


def retention_csv(graph: Graph) -> bytes:
    """Every company anyone joined, with its retention (companies by slug)."""
    return csv_bytes(RETENTION_COLUMNS, _retention(graph))


def retention_stays_csv(graph: Graph) -> bytes:
    """Every stay behind the retention figures, companies by slug, stays by the date joined."""
    return csv_bytes(STAY_COLUMNS, [(r, s) for r in _retention(graph) for s in r.stays])


def _rows(columns: Sequence[Column], rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [{c.name: c.get(row) for c in columns} for row in rows]


def analytics_json(graph: Graph) -> bytes:
    """Every analytics figure, with the people's slugs: the CSVs' rows as objects, and the
    organisations' balances."""
    flows = net_flows(graph)
    document = {
        "as_of": graph.as_of.isoformat(),
        "recent_since": flows.since.isoformat(),
        "min_support": MIN_SUPPORT,
        "net_flow": [{"organisation": b.org[0], "name": b.org[2], "in": len(b.inflow), "out": len(b.outflow), "net": b.net,
                      "people_in": _slugs(b.inflow).split(), "people_out": _slugs(b.outflow).split()}
                     for b in flows.balances],
        "pairs": _rows(FLOW_COLUMNS, flows.pairs),
        "founders": _rows(FOUNDER_COLUMNS, founder_origins(graph)),
        "boomerangs": _rows(BOOMERANG_COLUMNS, _returns(graph)),
        "attrition": _rows(ATTRITION_COLUMNS, [(a, s) for a in _curves(graph) for s in a.steps]),
        "first_release": _rows(FIRST_RELEASE_COLUMNS, first_releases(graph)),
        "retention": [row | {"stays": _rows(STAY_COLUMNS, [(r, s) for s in r.stays])}
                      for r, row in zip(_retention(graph), _rows(RETENTION_COLUMNS, _retention(graph)))],
    }
    # Without an indent, json runs its C encoder: a tenth of the time at 1,000 people.
    return (json.dumps(document, ensure_ascii=False) + "\n").encode("utf-8")


CSV_DOCS: tuple[tuple[str, str, tuple[Column, ...]], ...] = (
    ("flows.csv", "every pair of organisations with a move between them", FLOW_COLUMNS),
    ("founders.csv", "every founder of every company, and where they came from", FOUNDER_COLUMNS),
    ("boomerangs.csv", "every return to a company family", BOOMERANG_COLUMNS),
    ("attrition.csv", "every step of every paper's attrition curve", ATTRITION_COLUMNS),
    ("first_release.csv", "every company's time to first release", FIRST_RELEASE_COLUMNS),
    ("retention.csv", "every company anyone joined, with its retention", RETENTION_COLUMNS),
    ("retention_stays.csv", "every stay behind the retention figures", STAY_COLUMNS),
)
