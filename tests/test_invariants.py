"""Invariants of the definitions (docs/definitions.md), on careers generated from the truth.

A person's true career (exact days, one stint after another) is written the way a
contributor might write it: each date at a precision that contains the true day, as an
approximate date, as `by X` (X a day they were there, or had left), or `between W and X`;
companies founded before anyone worked there; tenures reported in words that fit. However
it is written, the site must never contradict the truth:

- a yes or a no about where someone was on a date is the truth; only "cannot tell" is vague;
- "k of n authors remain" brackets the true count, and remaining + left + cannot place +
  never there = the authors;
- a move's date contains the day the person truly left, a certain move is on or before
  the as-of date, and its destination begins within the lookahead of the move;
- a tenure interval, computed or reported, contains the true length of the stay;
- writing one date more precisely can only narrow these answers, never change a yes or a no.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.compute.graph import Graph
from atlas.compute.known import career
from atlas.compute.moves import LOOKAHEAD_MONTHS, Truth, at, moves_of, runs_of, tenure
from atlas.compute.summaries import diaspora
from atlas.model.dates import PartialDate, add_months, years_between
from atlas.model.records import Person, Stint, Tenure

from conftest import SOURCE, company, make_graph, model

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMPANIES = {"meta": None, "meta-fair": "meta", "mistral-ai": None, "google": None, "google-deepmind": "google"}
FAMILIES = {"meta": ["meta", "meta-fair"], "mistral-ai": ["mistral-ai"], "google": ["google", "google-deepmind"],
            "~Inria": ["~Inria"], "~Oxford": ["~Oxford"]}
FIRST, LAST = dt.date(2000, 1, 1), dt.date(2024, 12, 31)


@dataclasses.dataclass(frozen=True)
class TrueStint:
    org: str  # a company slug, or "~Name" for an organisation without a page
    start: dt.date
    end: dt.date | None  # the first day no longer there; None: still there

    def there(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


# --- writing a true day as a contributor might ------------------------------------------

def _month(day: dt.date, shift: int = 0) -> str:
    moved = add_months(day.replace(day=1), shift)
    return f"{moved.year:04d}-{moved.month:02d}"


@st.composite
def containing(draw, day: dt.date) -> str:
    """A date written at some precision, exact or approximate, whose interval holds `day`."""
    form = draw(st.sampled_from(["day", "month", "year", "~day", "~month", "~year"]))
    if form == "day":
        return day.isoformat()
    if form == "month":
        return _month(day)
    if form == "year":
        return f"{day.year:04d}"
    if form == "~day":
        return "~" + (day + dt.timedelta(days=draw(st.integers(-3, 3)))).isoformat()
    if form == "~month":
        return "~" + _month(day, draw(st.integers(-1, 1)))
    return f"~{day.year + draw(st.integers(-1, 1)):04d}"


def _day_or_month(draw, day: dt.date) -> str:
    return day.isoformat() if draw(st.booleans()) else _month(day)


@st.composite
def written_start(draw, truth: TrueStint) -> str:
    """A start as written: containing the true day, or 'by X' / 'between W and X' with X a
    day the person was there."""
    form = draw(st.sampled_from(["plain", "plain", "by", "between"]))
    if form == "plain":
        return draw(containing(truth.start))
    last_there = (truth.end - dt.timedelta(days=1)) if truth.end else truth.start + dt.timedelta(days=1500)
    there = truth.start + dt.timedelta(days=draw(st.integers(0, (last_there - truth.start).days)))
    if form == "by":
        return "by " + _day_or_month(draw, there)
    first = truth.start - dt.timedelta(days=draw(st.integers(0, 800)))
    return f"between {_day_or_month(draw, first) if first.day == 1 else first.isoformat()} and {there.isoformat()}"


@st.composite
def written_end(draw, day: dt.date) -> str:
    """An end as written: containing the true day, 'by X' (X on or after it) or between."""
    form = draw(st.sampled_from(["plain", "plain", "by", "between"]))
    if form == "plain":
        return draw(containing(day))
    latest = day + dt.timedelta(days=draw(st.integers(0, 400)))
    if form == "by":
        return "by " + (latest.isoformat() if draw(st.booleans()) or latest.day < calendar.monthrange(latest.year, latest.month)[1]
                        else _month(latest))
    first = day - dt.timedelta(days=draw(st.integers(0, 400)))
    return f"between {first.isoformat()} and {latest.isoformat()}"


def reported(draw, length: float) -> Tenure | None:
    """A tenure a source might have reported for a stay of `length` years, in words that fit it."""
    words = [("about", round(length))]
    if length > int(length):
        words.append(("over", int(length)))
    if int(length) + 1 - 0.5 <= length:
        words.append(("under", int(length) + 1))
    bound, years = draw(st.sampled_from(words))
    text = {"about": "about", "over": "over", "under": "nearly"}[bound] + f" {years} years"
    return Tenure(float(years), bound, text)


# --- worlds: the truth, and how it was written ------------------------------------------

@dataclasses.dataclass(frozen=True)
class World:
    truth: dict[str, tuple[TrueStint, ...]]  # person slug -> true career
    people: tuple[Person, ...]
    founded: dict[str, str]  # company slug -> founding date as written

    def graph(self, as_of: dt.date, people: tuple[Person, ...] | None = None) -> Graph:
        companies = [dataclasses.replace(company(slug, parent), founded=PartialDate.parse(self.founded[slug]))
                     if slug in self.founded else company(slug, parent) for slug, parent in COMPANIES.items()]
        people = self.people if people is None else people
        authors = [p.slug for p in people]
        return make_graph(companies, people, [model("paper", ["meta"], authors)], as_of=as_of)


@st.composite
def true_careers(draw) -> tuple[TrueStint, ...]:
    """One stint after another, with gaps between: a move to another family, a change of
    unit within one (Meta to FAIR), or a return to one left before."""
    families = draw(st.lists(st.sampled_from(sorted(FAMILIES)), min_size=1, max_size=5))
    day = FIRST + dt.timedelta(days=draw(st.integers(0, 3000)))
    career = []
    for i, family in enumerate(families):
        org = draw(st.sampled_from(FAMILIES[family]))
        length = draw(st.integers(20, 3500))
        end = day + dt.timedelta(days=length)
        if i == len(families) - 1 and draw(st.booleans()) or end > LAST:
            career.append(TrueStint(org, day, None))
            break
        career.append(TrueStint(org, day, end))
        day = end + dt.timedelta(days=draw(st.sampled_from([0, 10, 40, 200, 500])))
        if day > LAST:
            break
    return tuple(career)


@st.composite
def worlds(draw) -> World:
    truth, people = {}, []
    for n in range(draw(st.integers(1, 4))):
        slug = f"p{n}"
        truth[slug] = draw(true_careers())
        stints = []
        for i, t in enumerate(truth[slug]):
            org = {"organization": t.org[1:]} if t.org.startswith("~") else {"company": t.org}
            end = PartialDate.parse(draw(written_end(t.end))) if t.end else None
            # A source reports the length of a whole stay: only for a person's one stint in that family.
            alone = sum(family_of(u.org) == family_of(t.org) for u in truth[slug]) == 1
            told = reported(draw, years_between(t.start, t.end)) if t.end and alone and draw(st.booleans()) else None
            stints.append(Stint(start=PartialDate.parse(draw(written_start(t))), end=end, tenure=told,
                                role=f"s{i}", sources=(SOURCE,), **org))
        people.append(Person(slug=slug, name=slug.upper(), src_path=f"people/{slug}.yaml", career=tuple(stints)))
    founded = {}
    for slug in COMPANIES:
        # Founded before anyone worked there or at one of its units.
        units = {s for s, parent in COMPANIES.items() if s == slug or parent == slug}
        starts = [t.start for career in truth.values() for t in career if t.org in units]
        if starts and draw(st.booleans()):
            founded[slug] = draw(containing(min(starts) - dt.timedelta(days=draw(st.integers(0, 2000)))))
    return World(truth, tuple(people), founded)


def family_of(org: str) -> str:
    return next(family for family, orgs in FAMILIES.items() if org in orgs)


as_of_dates = st.dates(dt.date(1999, 1, 1), dt.date(2030, 12, 31))


def true_stint(world: World, slug: str, stint: Stint) -> TrueStint:
    return world.truth[slug][int(stint.role[1:])]


def truly_at(world: World, slug: str, company_slug: str, day: dt.date) -> bool:
    units = {s for s, parent in COMPANIES.items() if s == company_slug or parent == company_slug}
    return any(t.org in units and t.there(day) for t in world.truth[slug])


# --- the invariants -----------------------------------------------------------------------

@SETTINGS
@given(worlds(), as_of_dates)
def test_a_yes_or_a_no_about_where_someone_was_is_the_truth(world, as_of):
    graph = world.graph(as_of)
    for person in world.people:
        for slug in COMPANIES:
            answer = at(graph, person, slug, as_of)
            if answer is not Truth.MAYBE:
                assert (answer is Truth.YES) == truly_at(world, person.slug, slug, as_of), (person.career, slug)


@SETTINGS
@given(worlds(), as_of_dates)
def test_the_authors_who_remain_are_bracketed_and_every_author_is_counted_once(world, as_of):
    card = diaspora(world.graph(as_of), world.graph(as_of).models["paper"], "meta", as_of)
    never_there = [r for r in card.rows if not r.was_there]
    assert len(card.remain) + len(card.left) + len(card.uncertain) + len(never_there) == len(world.people)
    assert {r.person.slug for r in card.remain + card.left + card.uncertain + tuple(never_there)} == set(world.truth)
    remaining = sum(truly_at(world, slug, "meta", as_of) for slug in world.truth)
    assert len(card.remain) <= remaining <= len(card.remain) + len(card.uncertain)
    for row in card.left:
        assert not truly_at(world, row.person.slug, "meta", as_of)


@SETTINGS
@given(worlds(), as_of_dates)
def test_a_move_is_dated_when_the_person_truly_left_and_goes_where_the_lookahead_allows(world, as_of):
    graph = world.graph(as_of)
    for person in world.people:
        known = career(graph, person.slug, as_of)
        run_of = {run.last: run for run in runs_of(graph, person.slug, as_of)}
        for move in moves_of(graph, person.slug, as_of):
            ends = [true_stint(world, person.slug, s).end for s in run_of[move.origin].stints]
            assert None not in ends
            left = max(ends)
            assert move.date.lo <= left <= move.date.hi
            assert move.date.lo <= as_of
            if move.certain:
                assert left <= as_of
            if move.destination is not None:
                assert move.destination in known
                assert move.destination.start.lo <= add_months(min(move.date.hi, as_of), LOOKAHEAD_MONTHS)
                assert move.destination.start.key <= as_of


@SETTINGS
@given(worlds(), as_of_dates)
def test_a_tenure_computed_or_reported_contains_the_true_length_of_the_stay(world, as_of):
    graph = world.graph(as_of)
    for person in world.people:
        for run in runs_of(graph, person.slug, as_of):
            span = tenure(run, as_of)
            if span is None:
                continue
            stays = [true_stint(world, person.slug, s) for s in run.stints]
            assert all(t.end is not None for t in stays)
            length = years_between(min(t.start for t in stays), max(t.end for t in stays))
            # Computed spans are rounded to 0.01 of a year (under 4 days).
            assert span.lo - 0.005 <= length <= span.hi + 0.005, (span, length, run.stints)


def refined(world: World, slug: str, index: int, which: str) -> tuple[Person, ...]:
    """The same world with one date of one stint written as its true day. A start written
    'by X' also says the person was there at X: it keeps saying so ('between <day> and X')."""
    truth = world.truth[slug][index]
    people = []
    for p in world.people:
        if p.slug == slug:
            stints = list(p.career)
            written = getattr(stints[index], which)
            day = truth.start if which == "start" else truth.end
            exact = PartialDate.of(day)
            if which == "start" and written.qualifier.bounded_above:
                exact = PartialDate.parse(f"between {day.isoformat()} and {written.iso()}")
            stints[index] = dataclasses.replace(stints[index], **{which: exact})
            p = dataclasses.replace(p, career=tuple(stints))
        people.append(p)
    return tuple(people)


@SETTINGS
@given(worlds(), as_of_dates, st.data())
def test_a_date_written_more_precisely_only_narrows_the_answers(world, as_of, data):
    slug = data.draw(st.sampled_from(sorted(world.truth)))
    index = data.draw(st.integers(0, len(world.truth[slug]) - 1))
    which = "end" if world.truth[slug][index].end is not None and data.draw(st.booleans()) else "start"
    before, after = world.graph(as_of), world.graph(as_of, refined(world, slug, index, which))
    for person in world.people:
        for company_slug in COMPANIES:
            was = at(before, person, company_slug, as_of)
            if was is not Truth.MAYBE:
                assert at(after, after.people[person.slug], company_slug, as_of) is was
    old = diaspora(before, before.models["paper"], "meta", as_of)
    new = diaspora(after, after.models["paper"], "meta", as_of)
    assert len(old.remain) <= len(new.remain) <= len(new.remain) + len(new.uncertain) <= len(old.remain) + len(old.uncertain)


def test_a_by_start_is_not_bounded_by_a_stint_it_may_have_preceded():
    # The case the invariants above found: Google "by January 2000" sorts after Meta's
    # 21 January start, but the Google stint ended that day, so it may have come first.
    p0 = Person(slug="p0", name="P0", src_path="people/p0.yaml", career=(
        Stint(start=PartialDate.parse("by 2000-01"), end=PartialDate.parse("2000-01-21"), company="google", sources=(SOURCE,)),
        Stint(start=PartialDate.parse("2000-01-21"), end=PartialDate.parse("2000-02-10"), company="meta", sources=(SOURCE,))))
    graph = make_graph([company("google"), company("meta")], [p0], as_of=dt.date(2000, 1, 1))
    assert [str(s.start) for s in career(graph, "p0")] == ["by 2000-01"]
    assert career(graph, "p0")[0].start.lo < dt.date(2000, 1, 1)
    assert at(graph, p0, "google", dt.date(2000, 1, 1)) is Truth.MAYBE


def test_a_run_ends_on_the_latest_day_any_of_its_ends_may_be():
    # Found by the invariants: FAIR until 1 March 2000 exactly, then Meta until "March 2000".
    # The coarse end sorts first, but the person may have stayed until 31 March.
    p0 = Person(slug="p0", name="P0", src_path="people/p0.yaml", career=(
        Stint(start=PartialDate.parse("2000-01"), end=PartialDate.parse("2000-03-01"), company="meta-fair", sources=(SOURCE,)),
        Stint(start=PartialDate.parse("2000-03-01"), end=PartialDate.parse("2000-03"), company="meta", sources=(SOURCE,))))
    graph = make_graph([company("meta"), company("meta-fair", "meta")], [p0], as_of=dt.date(2001, 1, 1))
    [move] = moves_of(graph, "p0")
    assert (str(move.date), move.date.lo, move.date.hi) == ("2000-03", dt.date(2000, 3, 1), dt.date(2000, 3, 31))


def test_a_tenure_is_measured_from_the_earliest_start_of_the_run():
    # Found by the invariants: Meta until 1 February 2001, Google 'by February 2001' until
    # 21 February, then Google again until 13 March. The 'by' start sorts by its latest
    # day, after 21 February, yet it began first: the stay is 13 to 40 days.
    p0 = Person(slug="p0", name="P0", src_path="people/p0.yaml", career=(
        Stint(start=PartialDate.parse("2000"), end=PartialDate.parse("2001-02-01"), company="meta", sources=(SOURCE,)),
        Stint(start=PartialDate.parse("by 2001-02"), end=PartialDate.parse("2001-02-21"), company="google", sources=(SOURCE,)),
        Stint(start=PartialDate.parse("2001-02-21"), end=PartialDate.parse("2001-03-13"), company="google", sources=(SOURCE,))))
    graph = make_graph([company("google"), company("meta")], [p0], as_of=dt.date(2002, 1, 1))
    [_, run] = runs_of(graph, "p0")
    span = tenure(run, dt.date(2002, 1, 1))
    assert (span.lo, span.hi) == (round(13 / 365.25, 2), round(40 / 365.25, 2))
