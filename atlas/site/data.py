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
from typing import Any, Callable, Iterator, Protocol, Sequence

from atlas.model.dates import EARLIEST, PartialDate
from atlas.model.records import Money, Person, Site, Stint, Tenure
from atlas.compute.moves import Move
from atlas.model.graph import Graph
from atlas.site.urls import Urls, entity_path

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
    return graph.site.companies[stint.company].name if stint.company else (stint.organization or "")


STINT_COLUMNS: tuple[Column, ...] = (
    Column("person", "slug of the person (the file name in content/people/)", lambda r: r[0].slug),
    Column("person_name", "the person's name", lambda r: r[0].name),
    Column("company", "slug of the company, empty for an organisation without a page", lambda r: r[1].company or ""),
    Column("organization", "name of the organisation", lambda r: r[2]),
    Column("role", "job title, as sources give it", lambda r: r[1].role),
    Column("start", "start as written: YYYY, YYYY-MM or YYYY-MM-DD; '~' approximate, 'by ' no later than", lambda r: str(r[1].start)),
    Column("start_earliest", "earliest day the start can be (empty for a 'by' date)", lambda r: _day(r[1].start, "lo")),
    Column("start_latest", "latest day the start can be", lambda r: _day(r[1].start, "hi")),
    Column("end", "end as written; empty while the stint goes on", lambda r: str(r[1].end) if r[1].end else ""),
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
    ("as_of", "the date every computed figure on the site refers to"),
    ("companies, people, models, claims", "one object per content file, with every field of the file "
     "(see docs/content.md) plus slug and url; empty fields are left out"),
    ("dates", "written as in content: '2023', '2023-05', '~2023-05' (approximate) or 'by 2025-03' (no later than)"),
    ("money", "an object with amount (a decimal string) and currency (ISO 4217)"),
)


def _csv(columns: Sequence[Column], rows: Sequence[Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(c.name for c in columns)
    for row in rows:
        writer.writerow(c.get(row) for c in columns)
    return buffer.getvalue().encode("utf-8")


def stints_csv(graph: Graph) -> bytes:
    """One row per stint of every person, people by slug, stints in file order."""
    site = graph.site
    rows = [(p, s, _org(graph, s)) for slug in sorted(site.people) for p in (site.people[slug],) for s in p.career]
    return _csv(STINT_COLUMNS, rows)


def moves_csv(graph: Graph, moves: Sequence[Move]) -> bytes:
    """One row per move, oldest first."""
    return _csv(MOVE_COLUMNS, [(m, _org(graph, m.origin), _org(graph, m.destination)) for m in moves])


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


def entry_json(entity: Any, url: str, level: int) -> str:
    """One entity of atlas.json: its fields, then its page's URL when it has a page."""
    items = _fields(entity)
    if url:
        items.append(("url", url))
    return _object(items, level)


def atlas_json(site: Site, urls: Urls) -> bytes:
    """Every entity, with its page URL."""
    return b"".join(atlas_json_chunks(site, urls))


class Fragments(Protocol):
    def get(self, key: str, make: Callable[[], str]) -> str: ...


def atlas_json_chunks(site: Site, urls: Urls, fragments: Fragments | None = None,
                      hashes: dict[str, str] | None = None,
                      spans: dict[str, tuple[int, int]] | None = None) -> Iterator[bytes]:
    """atlas.json one entity at a time, so that the document (200 MB at 100,000 people) is
    never whole in memory; the bytes are those of json.dumps(..., indent=1) of all of it.

    With `fragments` and `hashes` (src_path -> key of the file's bytes, as loaded), each
    entity's entry is taken from the cache when its file has not changed. With `spans`,
    where each entry lies in the bytes made is put there: fragment key -> (offset, length)."""
    def entry(kind: str, entity: Any) -> tuple[str | None, str]:
        url = urls.absolute(entity_path(kind, entity.slug)) if kind != "claim" else ""

        def make() -> str:
            return entry_json(entity, url, 2)

        file_key = hashes.get(entity.src_path) if hashes is not None else None
        key = f"{file_key}\0{url}" if file_key is not None else None  # the file's key covers its path, so its kind
        if fragments is None or key is None:
            return key, make()
        return key, fragments.get(key, make)

    def table(kind: str, items: dict[str, Any]) -> Iterator[tuple[str | None, str]]:
        return (entry(kind, items[s]) for s in sorted(items))

    position = 0

    def encoded(text: str) -> bytes:
        nonlocal position
        data = text.encode("utf-8")
        position += len(data)
        return data

    sections = [("companies", table("company", site.companies)), ("people", table("person", site.people)),
                ("models", table("model", site.models)), ("claims", table("claim", site.claims))]
    yield encoded(f'{{\n "as_of": {_json(site.config.as_of, 1)},\n "title": {_json(site.config.title, 1)},\n')
    for n, (name, items) in enumerate(sections):
        out = [f' "{name}": ']
        count = 0
        for key, item in items:
            out.append("[\n  " if count == 0 else ",\n  ")
            count += 1
            if spans is not None:  # each entry encoded alone, to know where it lies
                yield encoded("".join(out))
                out = []
                data = encoded(item)
                if key is not None:
                    spans[key] = (position - len(data), len(data))
                yield data
                continue
            out.append(item)
            if len(out) >= 512:
                yield encoded("".join(out))
                out = []
        out.append(("\n ]" if count else "[]") + (",\n" if n < len(sections) - 1 else "\n"))
        yield encoded("".join(out))
    yield encoded("}\n")


def cited_sources(site: Site) -> list[tuple[str, tuple[str, ...]]]:
    """Every source URL cited on the site, grouped by host (hosts and URLs sorted)."""
    urls: set[str] = set()
    for company in site.companies.values():
        urls.update(company.sources)
        for item in (*company.funding, *company.events):
            urls.update(item.sources)
    for person in site.people.values():
        urls.update(_person_sources(person))
    for model in site.models.values():
        urls.update(model.sources)
    urls.update(c.source.url for c in site.claims.values())
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[url.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")].append(url)
    return [(host, tuple(sorted(by_host[host]))) for host in sorted(by_host)]


SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("host", "the website, without 'www.'", lambda r: r[0]),
    Column("url", "the source's address, as cited", lambda r: r[1]),
)


def sources_csv(sources: Sequence[tuple[str, tuple[str, ...]]]) -> bytes:
    """Every source cited, by host, from cited_sources()."""
    return _csv(SOURCE_COLUMNS, [(host, url) for host, urls in sources for url in urls])


def _person_sources(person: Person) -> set[str]:
    return {u for s in person.career for u in s.sources}
