"""A build at date D mentions nothing dated after D (compute/known.py).

The property test generates small sites whose every dated fact carries a unique marker
(a stint's role, a round's name, an event's title, a claim's text, the note of a stint
that ends after D), builds each at a random date and reads every page, the feed and every
download. What is surely after D may appear only inside an element marked
class="after-snapshot" (the page of a model released later says when it was; the claims
page lists claims made later), and atlas.json may hold it only in an object flagged
after_as_of. Every <time> outside such marks can fall on or before D.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.model.dates import PartialDate
from conftest import build_site, write_content

P = "https://example.com/s"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "path", "rect"}


# -- reading a built site -------------------------------------------------------------

class Unmarked(HTMLParser):
    """The text, attribute values and <time> elements of a page outside class="after-snapshot"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it (or an ancestor) marked?
        self.text: list[str] = []  # text and attribute values
        self.data: list[str] = []  # text only
        self.times: list[dict[str, str]] = []

    @property
    def marked(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        marked = self.marked or "after-snapshot" in values.get("class", "").split()
        if not marked:
            self.text += [v for k, v in values.items() if k != "class"]
            if tag == "time":
                self.times.append(values)
        if tag not in VOID and not tag.endswith("/"):
            self.stack.append(marked)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.marked:
            self.text += [v or "" for k, v in attrs if k != "class"]

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.marked:
            self.text.append(data)
            self.data.append(data)


def unmarked(html: str) -> Unmarked:
    reader = Unmarked()
    reader.feed(html)
    return reader


def json_unflagged(value: Any) -> Any:
    """atlas.json without the objects flagged after_as_of."""
    if isinstance(value, dict):
        if value.get("after_as_of") is True:
            return None
        return {k: json_unflagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_unflagged(v) for v in value]
    return value


def earliest(time: dict[str, str]) -> dt.date:
    """The earliest day a <time> element can mean, from its datetime, class and bounds."""
    if "data-earliest" in time:
        return dt.date.fromisoformat(time["data-earliest"])
    mark = {"approx": "~", "by": "by "}.get(time.get("class", ""), "")
    return PartialDate.parse(mark + time["datetime"]).lo


def readable(out: Path) -> dict[str, str]:
    """What a reader can see of each file: pages outside the marks, downloads without the flagged objects."""
    found = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if not path.is_file() or rel.startswith("static/"):
            continue
        text = path.read_text(encoding="utf-8")
        if rel.endswith(".html"):
            text = " ".join(unmarked(text).text)
        elif rel == "data/atlas.json":
            text = json.dumps(json_unflagged(json.loads(text)), ensure_ascii=False)
        found[rel] = text
    return found


# -- generating sites -----------------------------------------------------------------

def partial(draw: Any, low: int = 2015, high: int = 2026) -> str:
    year = draw(st.integers(low, high))
    text = f"{year}" + draw(st.sampled_from(["", f"-{draw(st.integers(1, 12)):02d}"]))
    form = draw(st.sampled_from(["", "", "~", "by ", "between"]))
    if form == "between":
        return f"between {year - draw(st.integers(0, 3))} and {text}"
    return form + text


@st.composite
def sites(draw: Any) -> tuple[dict[str, str], dt.date, dict[str, list[tuple[str, str]]]]:
    """({path: YAML}, the as-of date, {kind of fact: [(marker, its date as written)]})."""
    as_of = dt.date(draw(st.integers(2016, 2026)), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    facts: dict[str, list[tuple[str, str]]] = {"stint": [], "round": [], "event": [], "claim": [], "release": [], "ending": []}
    files = {"site.yaml": f"title: T\nas_of: {as_of.isoformat()}\nfeatured: [m0]\n"}
    n = iter(range(10_000))
    companies = ["c0", "c1", "c2"]
    for i, slug in enumerate(companies):
        lines = [f"name: Company {i}"]
        if i == 1:
            lines.append("parent: c0")
        if draw(st.booleans()):
            lines.append(f"founded: {draw(st.integers(2000, 2016))}")
        rounds = [(f"roundmark{next(n)}q", partial(draw)) for _ in range(draw(st.integers(0, 2)))]
        events = [(f"eventmark{next(n)}q", partial(draw)) for _ in range(draw(st.integers(0, 2)))]
        if rounds:
            lines.append("funding:")
            lines += [f"  - date: {d}\n    round: {m}\n    amount: EUR {draw(st.integers(1, 99))}M\n    lead: [c2]\n"
                      f"    sources: [{P}]" for m, d in rounds]
        if events:
            lines.append("events:")
            lines += [f"  - date: {d}\n    title: {m}\n    people: [p0]\n    models: [m0]\n    sources: [{P}]" for m, d in events]
        facts["round"] += rounds
        facts["event"] += events
        files[f"companies/{slug}.yaml"] = "\n".join(lines) + "\n"
    for p in range(3):
        lines = [f"name: Person {p}", "career:"]
        for _ in range(draw(st.integers(1, 3))):
            role, start = f"rolemark{next(n)}q", partial(draw, 2016, 2025)
            where = draw(st.sampled_from(companies + ["~an unlisted lab"]))
            org = f"organization: {where[1:]}" if where.startswith("~") else f"company: {where}"
            lines += [f"  - {org}", f"    role: {role}", f"    start: {start}"]
            if draw(st.booleans()):
                end_year = PartialDate.parse(start).hi.year + draw(st.integers(1, 4))
                end = draw(st.sampled_from(["", "~", "by "])) + str(end_year)
                note = f"notemark{next(n)}q"
                lines += [f"    end: {end}", f"    tenure: about {draw(st.integers(1, 5))} years", f"    note: {note}"]
                facts["ending"].append((note, end))
            lines.append(f"    sources: [{P}]")
            facts["stint"].append((role, start))
        files[f"people/p{p}.yaml"] = "\n".join(lines) + "\n"
    for m in range(2):
        name, released = f"modelmark{next(n)}q", partial(draw)
        files[f"models/m{m}.yaml"] = (f"name: {name}\ncompany: c{m}\nreleased: {released}\n"
                                      f"authors: [p0, p1, p2]\nsources: [{P}]\n")
        facts["release"].append((f"/models/m{m}/", released))
    for k in range(2):
        text, day = f"claimmark{next(n)}q", dt.date(draw(st.integers(2016, 2026)), draw(st.integers(1, 12)), 1)
        files[f"claims/k{k}.yaml"] = (f"text: {text}\nsource: {{title: T, url: {P}, date: {day.isoformat()}}}\n"
                                      f"date: {day.isoformat()}\nchecks:\n  - metric: authors_remaining\n    model: m0\n"
                                      f"    company: c0\n    expect: 1\n")
        facts["claim"].append((text, day.isoformat()))
    return files, as_of, facts


def after(written: str, as_of: dt.date) -> bool:
    return PartialDate.parse(written).lo > as_of


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(site=sites())
def test_no_page_feed_or_download_at_date_d_mentions_what_is_dated_after_d(tmp_path_factory: Any, site: Any) -> None:
    files, as_of, facts = site
    root = tmp_path_factory.mktemp("as-of")
    build_site(write_content(root, files), root / "out")
    seen = readable(root / "out")
    for kind in ("stint", "round", "event", "claim", "ending"):
        for marker, written in facts[kind]:
            if after(written, as_of):
                where = [rel for rel, text in seen.items() if marker in text]
                assert not where, f"{kind} {marker} ({written}) is after {as_of} but shown in {where}"
    for url, written in facts["release"]:
        if after(written, as_of):
            own = url.strip("/") + "/index.html"
            where = [rel for rel, text in seen.items() if url in text and rel not in (own, "sitemap.xml")]
            assert not where, f"model {url} released {written}, after {as_of}, is linked from {where}"
    out = root / "out"
    for page in out.rglob("*.html"):
        for time in unmarked(page.read_text(encoding="utf-8")).times:
            assert earliest(time) <= as_of, f"{page.relative_to(out)}: {time} is after {as_of}"
    for day in re.findall(r"<entry>.*?<updated>(\d{4}-\d\d-\d\d)T", (out / "feed.xml").read_text(), re.S):
        assert dt.date.fromisoformat(day) <= as_of
    for name, column in (("stints.csv", "start_earliest"), ("stints.csv", "end_earliest"), ("moves.csv", "date_earliest")):
        for row in csv.DictReader(io.StringIO((out / "data" / name).read_text(encoding="utf-8"))):
            assert not row[column] or dt.date.fromisoformat(row[column]) <= as_of, (name, row)


# -- the rules, one by one, on small fixtures ------------------------------------------

from atlas.build import load  # noqa: E402
from atlas.compute import known  # noqa: E402
from atlas.compute.moves import Truth, at, moves_of  # noqa: E402

LAB = {"companies/lab.yaml": "name: Lab\nfounded: 2010\n", "companies/newco.yaml": "name: NewCo\nfounded: 2024-09\n",
       "companies/uni.yaml": "name: Uni\nkind: university\nfounded: 1096\n"}


def person_file(*stints: str) -> str:
    return "name: Ada\ncareer:\n" + "".join(f"  - {s}\n    sources: [{P}]\n" for s in stints)


def graph_of(tmp_path: Path, people: str, as_of: str = "2025-06-01", **more: str) -> Any:
    files = {**LAB, "people/ada.yaml": people, "site.yaml": f"title: T\nas_of: {as_of}\n", **more}
    return load(write_content(tmp_path, files))


def starts(graph: Any) -> list[tuple[str, dt.date, dt.date]]:
    return [(s.company, s.start.lo, s.start.hi) for s in known.bounded_career(graph, "ada")]


def test_a_by_start_begins_after_its_company_was_founded(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, person_file("company: newco\n    start: by 2025-05"))
    assert starts(graph) == [("newco", dt.date(2024, 9, 1), dt.date(2025, 5, 31))]


def test_a_by_start_begins_after_the_previous_stint_at_another_company_ended(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, person_file("company: lab\n    start: 2017\n    end: 2025-05-30",
                                           "company: uni\n    start: by 2025-11"))
    assert starts(graph)[1] == ("uni", dt.date(2025, 5, 30), dt.date(2025, 11, 30))
    early = graph_of(tmp_path / "early", person_file("company: lab\n    start: 2017\n    end: 2025-05-30",
                                                     "company: uni\n    start: by 2025-11"), as_of="2021-01-01")
    assert [s.company for s in known.career(early, "ada")] == ["lab"]  # not 'now at Uni' in 2021


def test_an_open_or_overlapping_previous_stint_bounds_only_by_its_start(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, person_file("company: uni\n    start: 2015", "company: lab\n    start: by 2020"))
    assert starts(graph)[1] == ("lab", dt.date(2015, 1, 1), dt.date(2020, 12, 31))
    overlap = graph_of(tmp_path / "o", person_file("company: uni\n    start: 2015\n    end: 2022", "company: lab\n    start: by 2020"))
    assert starts(overlap)[1] == ("lab", dt.date(2015, 1, 1), dt.date(2020, 12, 31))


def test_a_concurrent_stint_is_bounded_by_its_company_only(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, person_file("company: uni\n    start: 2015\n    end: 2019",
                                           "company: lab\n    start: by 2020\n    concurrent: true"))
    assert starts(graph)[1] == ("lab", dt.date(2010, 1, 1), dt.date(2020, 12, 31))


def test_a_reported_tenure_bounds_a_whole_stay(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, person_file("company: lab\n    start: by 2023-02\n    end: ~2023-05\n    tenure: about 7 years"))
    [stint] = known.bounded_career(graph, "ada")
    assert stint.start.hi == dt.date(2016, 12, 30)  # no later than the latest end less 6.5 years
    assert at(graph, graph.people["ada"], "lab", dt.date(2021, 1, 1)) is Truth.YES


def test_between_dates_bound_both_ways(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, person_file("company: uni\n    start: between 2025-05-30 and 2025-11"), as_of="2025-05-01")
    assert known.career(graph, "ada") == ()
    later = graph_of(tmp_path / "l", person_file("company: uni\n    start: between 2025-05-30 and 2025-11"))
    assert at(later, later.people["ada"], "uni", later.as_of) is Truth.MAYBE


def test_an_end_after_as_of_is_not_known_and_takes_its_tenure_and_note_along(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, person_file("company: lab\n    start: 2015\n    end: 2024\n    tenure: about 9 years\n"
                                           "    note: She left in 2024."), as_of="2020-06-01")
    [stint] = known.career(graph, "ada")
    assert (stint.end, stint.tenure, stint.note) == (None, None, "")
    assert moves_of(graph, "ada") == ()


def test_rounds_and_events_after_as_of_are_not_known(tmp_path: Path) -> None:
    company = (f"name: Acme\nfunding:\n  - date: 2019\n    round: Seed\n    sources: [{P}]\n  - date: 2022\n    round: A\n"
               f"    sources: [{P}]\nevents:\n  - date: by 2021\n    title: x\n    sources: [{P}]\n  - date: 2021-02\n"
               f"    title: y\n    sources: [{P}]\n")
    graph = graph_of(tmp_path, person_file("company: lab\n    start: 2015"), as_of="2021-01-15", **{"companies/acme.yaml": company})
    acme = graph.companies["acme"]
    assert [r.round for r in known.rounds(acme, graph.as_of)] == ["Seed"]
    assert [e.title for e in known.events(acme, graph.as_of)] == ["x"]  # 'by 2021' may be before


def test_a_model_released_later_has_no_card_and_says_when(tmp_path: Path) -> None:
    files = {**LAB, "site.yaml": "title: T\nas_of: 2022-01-01\nfeatured: [m]\n",
             "people/ada.yaml": person_file("company: lab\n    start: 2015"),
             "models/m.yaml": f"name: Emm\ncompany: lab\nreleased: 2023-02-24\nauthors: [ada]\nsources: [{P}]\n"}
    out = tmp_path / "out"
    build_site(write_content(tmp_path, files), out)
    page = (out / "models" / "m" / "index.html").read_text()
    assert "authors remain" not in page
    assert '<p class="notice after-snapshot">Emm was released <time datetime="2023-02-24">24 Feb 2023</time>, after this snapshot' in page
    assert "authors remain" not in (out / "index.html").read_text()
    assert "/models/m/" not in (out / "models" / "index.html").read_text()


def test_a_claim_made_later_is_listed_unchecked(tmp_path: Path) -> None:
    files = {**LAB, "site.yaml": "title: T\nas_of: 2022-01-01\n",
             "people/ada.yaml": person_file("company: lab\n    start: 2015"),
             "models/m.yaml": f"name: Emm\ncompany: lab\nauthors: [ada]\nsources: [{P}]\n",
             "claims/c.yaml": (f"text: All stayed.\nsource: {{title: T, url: {P}, date: 2025-06-01}}\ndate: 2025-06-01\n"
                               "checks:\n  - metric: authors_remaining\n    model: m\n    company: lab\n    expect: 1\n")}
    out = tmp_path / "out"
    build_site(write_content(tmp_path, files), out)
    page = (out / "claims" / "index.html").read_text()
    later = page.split('id="later"', 1)
    assert len(later) == 2 and "All stayed." in later[1] and "All stayed." not in later[0]
    assert "verdict" not in later[1]  # not checked


def uncertainty_site(tmp_path: Path) -> Path:
    """Three authors: one surely still at Lab, one who left for NewCo on a low-confidence
    stint, one who left by May 2025 for somewhere unknown; built at 2025-06-01."""
    files = {**LAB, "site.yaml": "title: T\nas_of: 2025-06-01\nfeatured: [m]\n",
             "people/ada.yaml": person_file("company: lab\n    start: 2015"),
             "people/bo.yaml": "name: Bo\ncareer:\n" + "".join(f"  - {s}\n    sources: [{P}]\n" for s in (
                 "company: lab\n    start: 2016\n    end: 2024-10", "company: newco\n    start: 2024-11\n    confidence: low")),
             "people/cy.yaml": "name: Cy\ncareer:\n" + "".join(f"  - {s}\n    sources: [{P}]\n" for s in (
                 "company: lab\n    start: by 2023-02\n    end: by 2025-05\n    tenure: nearly 3 years",)),
             "models/m.yaml": f"name: Emm\ncompany: lab\nreleased: 2023-02-24\nauthors: [ada, bo, cy]\nsources: [{P}]\n"}
    out = tmp_path / "out"
    build_site(write_content(tmp_path, files), out)
    return out


def words(page: Path) -> str:
    """A page's text outside the after-snapshot marks, its whitespace collapsed."""
    return re.sub(r"\s+", " ", "".join(unmarked(page.read_text()).data))


def test_headlines_give_a_range_and_name_whom_the_data_cannot_place(tmp_path: Path) -> None:
    out = uncertainty_site(tmp_path / "a")
    assert "1 of 3 Emm authors remain at Lab" in words(out / "index.html")  # all placed at 2025-06-01
    early = tmp_path / "b"
    files_dir = write_content(early, {**LAB, "site.yaml": "title: T\nas_of: 2024-12-01\nfeatured: [m]\n",
                                      **{f"people/{p}.yaml": (tmp_path / "a" / "content" / "people" / f"{p}.yaml").read_text()
                                         for p in ("ada", "bo", "cy")},
                                      "models/m.yaml": (tmp_path / "a" / "content" / "models" / "m.yaml").read_text()})
    build_site(files_dir, early / "out")
    text = words(early / "out" / "index.html")
    assert "Between 1 and 2 of 3 Emm authors remain at Lab" in text
    assert "1 has left; the data cannot place 1: Cy." in text


def test_a_move_known_only_by_a_date_is_listed_as_such_in_no_year(tmp_path: Path) -> None:
    out = uncertainty_site(tmp_path)
    moves = (out / "moves" / "index.html").read_text()
    block = moves.split('id="by-bound"', 1)[1]
    assert "Cy" in block and re.search(r'class="by"[^>]*>by May 2025</time>', block)
    assert not (out / "moves" / "2025").exists()  # Cy's is the only move 'in' 2025, and it is not dated
    assert "Cy" not in (out / "moves" / "2024" / "index.html").read_text()


def test_a_move_that_may_be_after_as_of_says_so_wherever_it_is_used(tmp_path: Path) -> None:
    """Built at 2024-12-01, Cy left 'by May 2025': perhaps before, perhaps after. The date
    is a bound from later sources, so every list that gives it marks it."""
    files = {**LAB, "site.yaml": "title: T\nas_of: 2024-12-01\nfeatured: [m]\n",
             "people/cy.yaml": "name: Cy\ncareer:\n  - company: lab\n    start: by 2023-02\n    end: by 2025-05\n"
                               f"    sources: [{P}]\n",
             "models/m.yaml": f"name: Emm\ncompany: lab\nreleased: 2023-02-24\nauthors: [cy]\nsources: [{P}]\n"}
    out = tmp_path / "out"
    build_site(write_content(tmp_path, files), out)
    mark = re.compile(r'by May 2025</time>\)?[^<]*<span class="badge">may be after 1 Dec 2024</span>')
    for page in ("models/m/index.html", "companies/lab/index.html", "moves/index.html"):
        assert mark.search((out / page).read_text()), page


def test_low_confidence_shows_wherever_the_move_is_used(tmp_path: Path) -> None:
    out = uncertainty_site(tmp_path)
    for page in ("index.html", "models/m/index.html", "companies/lab/index.html", "companies/newco/index.html",
                 "moves/2024/index.html", "people/bo/index.html"):
        text = (out / page).read_text()
        assert '<span class="conf conf-low">low confidence</span>' in text, page
    # The flows tables (home page, moves page) and NewCo's arrivals name Bo with the mark too.
    bo = re.compile(r'>Bo</a> <span class="conf conf-low">low confidence</span>')
    for page, section in (("index.html", "<table"), ("moves/index.html", 'id="flow-1"'),
                          ("companies/newco/index.html", 'id="flow-in-1"')):
        part = (out / page).read_text().split(section, 1)[1].split("</table>", 1)[0].split("</li>", 1)[0]
        assert bo.search(part), page


def test_a_reported_tenure_is_shown_as_reported(tmp_path: Path) -> None:
    out = uncertainty_site(tmp_path)
    assert "nearly 3 years (reported)" in (out / "models" / "m" / "index.html").read_text()


def test_as_of_today_tracks_the_day_of_the_build(tmp_path: Path) -> None:
    from atlas.commands.cli import _today

    content = write_content(tmp_path, {"site.yaml": "title: T\nas_of: today\n"})
    graph = load(content)
    assert graph.config.today and graph.as_of == dt.date.today()
    assert _today(content) == dt.date.today()  # passed as an option: a new day makes the cached build rebuild
    fixed = write_content(tmp_path / "fixed", {"site.yaml": "title: T\nas_of: 2025-06-01\n"})
    assert not load(fixed).config.today and _today(fixed) is None


def test_a_round_of_unknown_amount_makes_the_total_raised_a_lower_bound(tmp_path: Path) -> None:
    files = {"site.yaml": "title: T\nas_of: 2025-06-01\n",
             "companies/lab.yaml": "name: Lab\nfunding:\n"
             f"  - round: Seed\n    date: 2023-06\n    amount: EUR 10M\n    sources: [{P}]\n"
             f"  - round: Series A\n    date: 2024-06\n    sources: [{P}]\n"}
    out = tmp_path / "site"
    build_site(write_content(tmp_path / "content", files), out)
    assert "Raised by 1 Jun 2025: at least EUR 10M in 1 round, and 1 round of unknown amount." in words(out / "companies" / "lab" / "index.html")
