"""Data downloads (JSON of every entity, CSV of stints and of moves) and the list of sources.

Each CSV column is defined once, with its documentation, so the "About the data" page
always describes exactly what the files contain.
"""
from __future__ import annotations

import csv
import dataclasses
import enum
import functools
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Sequence

from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.compute.moves import all_moves
from atlas.model.dates import EARLIEST, PartialDate
from atlas.model.records import Money, Stint, Tenure
from atlas.site.urls import site_urls

DATA_FILES = ("atlas.json", "stints.csv", "moves.csv", "sources.csv")


@dataclass(frozen=True)
class Column:
    name: str
    doc: str
    get: Callable[[Any], object]


def _day(d: PartialDate | None, bound: str) -> str:
    if d is None:
        return ""
    day = d.lo if bound == "lo" else d.hi
    return "" if day == EARLIEST else day.isoformat()


def _org(graph: Graph, stint: Stint | None) -> str:
    if stint is None:
        return ""
    return graph.companies[stint.company].name if stint.company else (stint.organization or "")


STINT_COLUMNS: tuple[Column, ...] = (
    Column("person", "slug of the person (the file name in content/people/)", lambda r: r[0].slug),
    Column("person_name", "the person's name", lambda r: r[0].name),
    Column("company", "slug of the company, empty for an organisation without a page", lambda r: r[1].company or ""),
    Column("organization", "name of the organisation", lambda r: r[2]),
    Column("role", "job title, as sources give it", lambda r: r[1].role),
    Column("start", "start as written: YYYY, YYYY-MM or YYYY-MM-DD; '~' approximate, 'by ' no later than, "
           "'between A and B'", lambda r: str(r[1].start)),
    Column("start_earliest", "earliest day the start can be, with the bounds from the sequence (empty when unbounded)",
           lambda r: _day(r[1].start, "lo")),
    Column("start_latest", "latest day the start can be", lambda r: _day(r[1].start, "hi")),
    Column("end", "end as written; empty while the stint goes on (or ends after the as-of date)",
           lambda r: str(r[1].end) if r[1].end else ""),
    Column("end_earliest", "earliest day the end can be", lambda r: _day(r[1].end, "lo")),
    Column("end_latest", "latest day the end can be", lambda r: _day(r[1].end, "hi")),
    Column("tenure_reported", "tenure as a source reported it, e.g. 'about 7 years'", lambda r: r[1].tenure.text if r[1].tenure else ""),
    Column("confidence", "high, medium or low, when given", lambda r: r[1].confidence.value if r[1].confidence else ""),
    Column("sources", "source URLs, separated by spaces", lambda r: " ".join(r[1].sources)),
)

MOVE_COLUMNS: tuple[Column, ...] = (
    Column("person", "slug of the person", lambda m: m[0].person.slug),
    Column("person_name", "the person's name", lambda m: m[0].person.name),
    Column("from_company", "slug of the company of the last stint before the move", lambda m: m[0].origin.company or ""),
    Column("from_organization", "name of that organisation", lambda m: m[1]),
    Column("to_company", "slug of the destination company; empty when it has no page or is unknown",
           lambda m: m[0].destination.company or "" if m[0].destination else ""),
    Column("to_organization", "name of the destination; empty when unknown (no recorded stint qualifies)", lambda m: m[2]),
    Column("founded", "'yes' when the person is among the destination's founders", lambda m: "yes" if m[0].founded else "no"),
    Column("date", "date of the move (the end of the stay), as written", lambda m: str(m[0].date)),
    Column("date_earliest", "earliest day of the move", lambda m: _day(m[0].date, "lo")),
    Column("date_latest", "latest day of the move", lambda m: _day(m[0].date, "hi")),
    Column("certain", "'yes' when the move is surely on or before the as-of date", lambda m: "yes" if m[0].certain else "no"),
    Column("tenure_years_low", "shortest possible stay, in years", lambda m: m[0].tenure.lo if m[0].tenure else ""),
    Column("tenure_years_high", "longest possible stay, in years", lambda m: m[0].tenure.hi if m[0].tenure else ""),
    Column("tenure_reported", "'yes' when the tenure comes from a source's words rather than dates",
           lambda m: ("yes" if m[0].tenure.reported else "no") if m[0].tenure else ""),
)

JSON_FIELDS: tuple[tuple[str, str], ...] = (
    ("as_of", "the date every computed figure on the site refers to; nothing dated surely after it is included"),
    ("companies, people, models, claims", "one object per content file, with every field of the file "
     "(see docs/content.md) plus slug and url; empty fields are left out. Stints, funding rounds and events "
     "after the as-of date are left out, and an end after it is not given"),
    ("after_as_of", ("true on an entry released, founded or, for a claim, made after the as-of date: "
                     "it counts nowhere on the site")),
    ("dates", ("written as in content: '2023', '2023-05', '~2023-05' (approximate), 'by 2025-03' (no later than) "
               "or 'between 2025-05-30 and 2025-11'")),
    ("money", "an object with amount (a decimal string) and currency (ISO 4217)"),
)


def csv_bytes(columns: Sequence[Column], rows: Sequence[Any]) -> bytes:
    """A CSV file of the rows, one column each; the analytics downloads are written the same way."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(c.name for c in columns)
    for row in rows:
        writer.writerow(c.get(row) for c in columns)
    return buffer.getvalue().encode("utf-8")


def stints_csv(graph: Graph) -> bytes:
    """One row per stint known at the as-of date of every person, people by slug, stints in file order."""
    people = graph.people
    rows = [(p, s, _org(graph, s)) for slug in sorted(people) for p in (people[slug],) for s in known.career(graph, slug)]
    return csv_bytes(STINT_COLUMNS, rows)


def moves_csv(graph: Graph) -> bytes:
    """One row per move, oldest first."""
    return csv_bytes(MOVE_COLUMNS, [(m, _org(graph, m.origin), _org(graph, m.destination)) for m in all_moves(graph)])


def _json(value: Any, level: int) -> str:
    """`value`, a model value, as json.dumps(..., ensure_ascii=False, indent=1) writes it
    when nested `level` deep. Model values are converted on the way (dates as written,
    enums by value, dataclasses as objects without their empty fields and source
    positions), in one pass: json.dumps with an indent runs its pure-Python encoder, and
    converting to dicts first doubled the work (atlas.json at 10,000 people: 1.4 s, now 0.7 s)."""
    write = _WRITERS.get(type(value))
    if write is None:
        write = _WRITERS[type(value)] = _writer_for(type(value))
    return write(value, level)


def _object(items: list[tuple[str, Any]], level: int) -> str:
    if not items:
        return "{}"
    inner = "\n" + " " * (level + 1)
    body = ("," + inner).join([_string(name) + ": " + (_string(v) if type(v) is str else _json(v, level + 1))
                               for name, v in items])  # most values are strings: written without _json's lookup
    return "{" + inner + body + "\n" + " " * level + "}"


def _array(values: Any, level: int) -> str:
    if not values:
        return "[]"
    inner = "\n" + " " * (level + 1)
    body = ("," + inner).join([_string(v) if type(v) is str else _json(v, level + 1) for v in values])
    return "[" + inner + body + "\n" + " " * level + "]"


def _fields(value: Any) -> list[tuple[str, Any]]:
    """A dataclass's fields for the JSON: empty ones and source positions are left out."""
    return [(name, v) for name in _field_names(type(value)) for v in (getattr(value, name),) if v not in (None, "", (), [])]


def _writer_for(cls: type) -> Callable[[Any, int], str]:
    """How _json writes a value of type `cls` (looked up once per type)."""
    if cls is bool:
        return lambda v, level: "true" if v else "false"
    if issubclass(cls, enum.Enum):
        return lambda v, level: _json(v.value, level)
    if issubclass(cls, str):
        return lambda v, level: _string(v)
    if issubclass(cls, int):
        return lambda v, level: int.__repr__(v)
    if cls is float or cls is type(None):
        return lambda v, level: json.dumps(v)
    if issubclass(cls, PartialDate):
        return lambda v, level: _string(str(v))
    if issubclass(cls, Money):
        return lambda v, level: _object([("amount", f"{v.amount.normalize():f}"), ("currency", v.currency)], level)
    if issubclass(cls, Tenure):
        return lambda v, level: _string(v.text)
    if issubclass(cls, Decimal):
        return lambda v, level: _string(f"{v.normalize():f}")
    if dataclasses.is_dataclass(cls):
        return lambda v, level: _object(_fields(v), level)
    if issubclass(cls, (list, tuple)):
        return _array
    if issubclass(cls, dict):
        return lambda v, level: _object(list(v.items()), level)
    if hasattr(cls, "isoformat"):
        return lambda v, level: _string(v.isoformat())
    raise TypeError(f"atlas.json cannot hold a {cls.__name__}")


_WRITERS: dict[type, Callable[[Any, int], str]] = {}
_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]  # json's C escaping


@functools.lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a model class that go into the JSON (dataclasses.fields() is slow to ask per value)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in ("locs", "src_path"))




def atlas_json(graph: Graph) -> bytes:
    """Every entity with every field, and its page's URL: the bytes json.dumps(..., indent=1)
    would give for the whole document."""
    config = graph.config
    out = [f'{{\n "as_of": {_json(config.as_of, 1)},\n "title": {_json(config.title, 1)},\n']
    sections = [(kind.folder, kind.name) for kind in graph.kinds.values()]
    for n, (folder, kind) in enumerate(sections):
        entries = [entity_json(graph, kind, slug) for slug in sorted(graph.table(kind))]
        body = "[\n  " + ",\n  ".join(entries) + "\n ]" if entries else "[]"
        out.append(f' "{folder}": {body}' + (",\n" if n < len(sections) - 1 else "\n"))
    out.append("}\n")
    return "".join(out).encode("utf-8")


def entity_json(graph: Graph, kind: str, slug: str) -> str:
    """One entity's entry in atlas.json."""
    return graph.memo(_entity_json, kind, slug)


def _entity_json(graph: Graph, kind: str, slug: str) -> str:
    entity = known.entity_at(graph, kind, slug)
    items = _fields(entity)
    if known.later(graph, kind, slug):
        items.append(("after_as_of", True))
    if graph.kinds[kind].page is not None:
        items.append(("url", site_urls(graph).absolute(site_urls(graph).entity_path(kind, slug))))
    return _object(items, 2)


def cited_sources(graph: Graph) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every source URL cited on the site, grouped by host (hosts and URLs sorted)."""
    return graph.memo(_cited_sources)


def _cited_sources(graph: Graph) -> tuple[tuple[str, tuple[str, ...]], ...]:
    urls: set[str] = set()
    as_of = graph.as_of
    for company in graph.companies.values():
        urls.update(company.sources)
        for item in (*known.rounds(company, as_of), *known.events(company, as_of)):
            urls.update(item.sources)
    for slug in graph.people:
        urls.update(u for s in known.career(graph, slug) for u in s.sources)
    for model in graph.models.values():
        urls.update(model.sources)  # a model released after as_of still has its page, which cites them
    urls.update(c.source.url for c in graph.claims.values() if known.made(c, as_of))
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[url.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")].append(url)
    return tuple((host, tuple(sorted(by_host[host]))) for host in sorted(by_host))


SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("host", "the website, without 'www.'", lambda r: r[0]),
    Column("url", "the source's address, as cited", lambda r: r[1]),
)


def sources_csv(graph: Graph) -> bytes:
    """Every source cited, by host."""
    return csv_bytes(SOURCE_COLUMNS, [(host, url) for host, urls in cited_sources(graph) for url in urls])

