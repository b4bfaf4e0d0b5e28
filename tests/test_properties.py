"""Property-based tests (hypothesis): round trips, robustness, ordering and move invariants."""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from pathlib import Path
import tempfile

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.build import load
from atlas.compute import known
from atlas.compute.graph import Graph
from atlas.compute.moves import all_moves, person_moves
from atlas.compute.summaries import departures
from atlas.compute.timeline import company_timeline, person_timeline, site_timeline
from atlas.content.fields import INVALID, Context
from atlas.content.load import load_text
from atlas.content.references import references
from atlas.content.schema import COMPANY, MODEL, PERSON
from atlas.errors import ContentError, SourceLoc
from atlas.kinds import KINDS
from atlas.model.dates import PartialDate
from atlas.model.records import Person, Stint
from atlas.site.figures import TONES, palette

from conftest import SEED, company, make_graph, write_content

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONTENT = SEED
SOURCE = "https://example.com/source"
COMPANY_SLUGS = ["meta", "meta-fair", "mistral-ai", "apple", "google", "google-deepmind"]
PARENTS = {"meta-fair": "meta", "google-deepmind": "google"}

# --- strategies ---------------------------------------------------------------------------

NAME_CHARS = st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Mn", "Nd", "Pd", "Po", "Zs"),
                           blacklist_characters="\u2028\u2029\x85")
names = st.text(NAME_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool) | st.sampled_from(
    ["Timothée Lacroix", "Baptiste Rozière", "Łukasz Kaiser", "李飞飞", "Ольга", "no", "yes", "null", "2023", "~"])


@st.composite
def partial_dates(draw, lo_year=1990, hi_year=2030):
    year = draw(st.integers(lo_year, hi_year))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, calendar.monthrange(year, month)[1])) if month else None
    mark = draw(st.sampled_from(["", "~", "by "]))
    text = mark + f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    return PartialDate.parse(text)


@st.composite
def stints(draw):
    start = draw(partial_dates())
    end = draw(st.none() | partial_dates())
    if end is not None and end.hi < start.lo:
        start, end = end, start
    if end is not None and end.hi < start.lo:
        end = None
    if draw(st.booleans()):
        org = {"company": draw(st.sampled_from(COMPANY_SLUGS))}
    else:
        org = {"organization": draw(names)}
    role = draw(st.just("") | names)
    return Stint(start=start, end=end, role=role, sources=(SOURCE,), **org)


@st.composite
def people(draw, slug="someone"):
    return Person(slug=slug, name=draw(names), src_path=f"people/{slug}.yaml",
                  career=tuple(draw(st.lists(stints(), max_size=5))))


def to_yaml(p: Person) -> str:
    doc: dict = {"name": p.name}
    if p.career:
        doc["career"] = []
        for s in p.career:
            item: dict = {"company": s.company} if s.company else {"organization": s.organization}
            if s.role:
                item["role"] = s.role
            item["start"] = str(s.start)
            if s.end:
                item["end"] = str(s.end)
            item["sources"] = list(s.sources)
            doc["career"].append(item)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def companies_yaml() -> dict[str, str]:
    files = {}
    for slug in COMPANY_SLUGS:
        text = f"name: {slug.title()}\n"
        if slug in PARENTS:
            text += f"parent: {PARENTS[slug]}\n"
        files[f"companies/{slug}.yaml"] = text
    return files


# --- (a) round trip -----------------------------------------------------------------------

@SETTINGS
@given(people(slug="someone"))
def test_generated_person_round_trips_through_content(p):
    with tempfile.TemporaryDirectory() as tmp:
        content = write_content(Path(tmp), {**companies_yaml(), "people/someone.yaml": to_yaml(p)})
        site = load(content).site
    assert site.people["someone"] == p


# --- (b) robustness: nothing but ContentError -----------------------------------------------

def convert(text: str, record=PERSON):
    """Load and convert one file the way load_site does; return the problems."""
    try:
        raw = load_text(text, "people/x.yaml")
    except ContentError as err:
        assert err.problems
        return err.problems
    problems: list = []
    value = record.convert(raw, SourceLoc("people/x.yaml", 1, 1), "", Context(problems),
                           slug="x", src_path="people/x.yaml")
    assert (value is INVALID) == bool(problems)
    return problems


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text_gives_only_content_errors(text):
    convert(text)


VALID = """name: Ada Lovelace
aliases: [Ada King]
summary: "Mathematician: first programmer"
links:
  - title: Home
    url: https://example.com/ada
career:
  - company: acme
    role: Analyst
    start: ~1842-05
    end: by 1852
    tenure: about 10 years
    confidence: high
    sources:
      - https://example.com/a
  - organization: The Analytical Society
    start: 1843
    sources: [https://example.com/b]
"""
YAML_BITS = list(":-[]{}#&*!|>'\"%@`,?~\t\n ") + ["\r\n", "\ufeff", "- ", ": ", "  ", "by ", "~", "13",
                                                   "\x00", "\x85", "é", "---", "<<: ", "!!binary ", "&a ", "*a"]


@st.composite
def mutated(draw, base=VALID):
    text = base
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 5)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        bit = draw(st.sampled_from(YAML_BITS) | st.text(max_size=3))
        text = text[:i] + bit + text[i:] if op == "insert" else text[:i] + text[j:] if op == "delete" else text[:i] + bit + text[j:]
    return text


@SETTINGS
@given(mutated())
def test_mutated_person_gives_only_content_errors(text):
    convert(text)


@FEW
@given(mutated("name: Acme\nkind: lab\nparent: meta\nfounded: 2023-04\nfunding:\n  - date: 2023-06\n    round: Seed\n"
               "    amount: EUR 105M\n    lead: [lightspeed]\n    sources: [https://e.com/a]\n"))
def test_mutated_company_gives_only_content_errors(text):
    convert(text, COMPANY)


@FEW
@given(mutated("name: M\ncompany: [acme]\nreleased: 2023-02-24\npaper: {title: P, published: 2023-02}\n"
               "authors: [ada]\nopen_weights: false\nsources: [https://e.com/a]\n"))
def test_mutated_model_gives_only_content_errors(text):
    convert(text, MODEL)


date_texts = st.builds(lambda mark, y, m, dd: mark + y + m + dd,
                       st.sampled_from(["", "~", "by ", "by  ", " ~"]),
                       st.integers(1000, 9998).map(lambda y: f"{y:04d}"),  # 9999: see test_approximate_year_9999
                       st.sampled_from(["", "-00", "-01", "-02", "-12", "-13"]),
                       st.sampled_from(["", "-00", "-01", "-28", "-29", "-30", "-31", "-32"]))


@SETTINGS
@given(date_texts, date_texts)
def test_any_start_and_end_give_only_content_errors(start, end):
    convert(f"name: A\ncareer:\n  - company: acme\n    start: '{start}'\n    end: '{end}'\n    sources: [https://e.com/a]\n")


@pytest.mark.parametrize("end", ["~9999", "~9999-12", "~9999-12-31"])
def test_approximate_year_9999_is_a_content_error(end):
    # Widened by its precision, ~9999 would pass the last day Python can represent.
    problems = convert(f"name: A\ncareer:\n  - company: acme\n    start: 2020\n    end: '{end}'\n"
                       "    sources: [https://e.com/a]\n")
    assert [(p.loc.line, p.loc.col) for p in problems] == [(5, 10)]
    assert problems[0].message.startswith(f"career[0].end: '{end}' ")


# --- (c) timelines are sorted ---------------------------------------------------------------

def assert_sorted(entries):
    keys = [e.date.sort_key() for e in entries]
    assert keys == sorted(keys)


@st.composite
def sites(draw):
    companies = [company(slug, PARENTS.get(slug)) for slug in COMPANY_SLUGS]
    slugs = [f"p{i}" for i in range(draw(st.integers(1, 4)))]
    return make_graph(companies, [draw(people(slug=s)) for s in slugs])


def at_date(graph, as_of):
    """The same graph, seen at another date."""
    site = dataclasses.replace(graph.site, config=dataclasses.replace(graph.config, as_of=as_of))
    return Graph(site, KINDS)


@SETTINGS
@given(sites(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
def test_generated_timelines_are_sorted(graph, as_of):
    graph = at_date(graph, as_of)
    assert_sorted(site_timeline(graph))
    for p in graph.people.values():
        assert_sorted(person_timeline(graph, p))
    for c in graph.companies.values():
        assert_sorted(company_timeline(graph, c))


def test_default_dataset_timelines_are_sorted_and_not_empty():
    graph = load(CONTENT)
    timeline = site_timeline(graph)
    assert len(timeline) > 20
    assert_sorted(timeline)
    for p in graph.people.values():
        entries = person_timeline(graph, p)
        assert entries
        assert_sorted(entries)


# --- (d) move invariants ------------------------------------------------------------------

def check_moves(graph):
    as_of = graph.as_of
    for p in graph.people.values():
        stints = known.career(graph, p.slug)  # the person's own stints, bounded and as known at as_of
        for move in person_moves(graph, p, as_of):
            assert move.origin in stints
            assert move.destination is None or move.destination in stints
            if move.destination is not None:
                origin_family = graph.family(move.origin.company) if move.origin.company else move.origin.org_key
                dest_family = (graph.family(move.destination.company) if move.destination.company
                               else move.destination.org_key)
                assert origin_family != dest_family
                assert move.destination.start.key <= as_of
            assert move.date.lo <= as_of
    everything = all_moves(graph)
    for slug in graph.companies:
        found = departures(graph, slug)
        for move in found:
            assert move.origin.company in graph.companies
            assert graph.family(move.origin.company) == graph.family(slug)
        # The same moves as a scan of every move for those leaving from the company or its units:
        units = graph.subtree(slug)
        expected = sorted((m for m in everything if m.origin.company in units), key=lambda m: (m.date.sort_key(), m.person.slug))
        assert found == expected
    keys = [m.date.sort_key() for m in everything]
    assert keys == sorted(keys)


@SETTINGS
@given(sites(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
def test_generated_moves_go_between_the_persons_own_stints(graph, as_of):
    check_moves(at_date(graph, as_of))


def test_default_dataset_moves_go_between_the_persons_own_stints():
    check_moves(load(CONTENT))


# --- (e) the graph's reverse index holds every reference, and nothing else ------------------

def test_the_reverse_index_holds_exactly_the_references_of_the_default_and_a_generated_dataset(tmp_path):
    import subprocess
    import sys

    generated = tmp_path / "content"
    subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "bench" / "generate.py"), "300", str(generated), "--quiet"],
                   check=True)
    for folder in (CONTENT, generated):
        graph = load(folder)
        assert graph.claims or folder == generated
        assert any(c.funding for c in graph.companies.values()) and any(c.events for c in graph.companies.values())
        found = [(ref.via, ref.slug, entity.slug, id(ref.holder)) for kind in KINDS
                 for entity in graph.table(kind.name).values() for ref in references(entity, graph.vias[kind.name])]
        indexed = [(via, slug, entity.slug, id(holder)) for (via, slug), items in graph._referrers.items()
                   for entity, holder in items]
        assert sorted(found, key=repr) == sorted(indexed, key=repr)
        assert {via.name for via, *_ in found} >= {"career[].company", "company[]", "authors[]", "founders[]", "parent",
                                                    "funding[].lead[]", "events[].people[]"}


@FEW
@given(sites())
def test_the_palette_ranks_families_by_their_stints(graph):
    # Counted here stint by stint; palette() counts them by company.
    counts = {}
    for p in graph.people.values():
        for s in p.career:
            if s.company:
                counts[graph.family(s.company)] = counts.get(graph.family(s.company), 0) + 1
    ranked = sorted(counts, key=lambda family: (-counts[family], family))
    assert palette(graph) == {family: f"t{i}" for i, family in enumerate(ranked[:TONES])}
