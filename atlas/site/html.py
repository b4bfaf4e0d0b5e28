"""HTML fragments used on every page, built in Python rather than in Jinja macros.

Each helper returns markupsafe.Markup, and every piece of content it puts in is escaped
exactly once. The output is the same, byte for byte, as the Jinja macros these helpers
replace (written in Python: the entity pages call them hundreds of thousands of times).
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Callable, Iterable, Sequence

import jinja2
from markupsafe import Markup, escape

from atlas.model.dates import PartialDate, Qualifier
from atlas.site.markup import render_markdown
from atlas.compute.graph import Graph
from atlas.model.records import Confidence, Stint
from atlas.compute.moves import Truth
from atlas.site.sections import Section, site_sections
from atlas.site.urls import Urls

UNKNOWN = Markup('<span class="unknown">unknown</span>')


class Links:
    """Links to entities' pages: <a href="...">name</a>. Each name is read from the graph
    every time (so that what a page shows is what it read); the markup is made once per
    entity and name."""

    def __init__(self, graph: Graph, urls: Urls) -> None:
        self.graph = graph
        self.urls = urls
        self._made: dict[tuple[str, str, str], Markup] = {}

    def ref(self, kind: str, slug: str) -> Markup:
        """The link to the entity `slug` of `kind` (raises KeyError for an unknown one)."""
        name = self.graph.table(kind)[slug].name
        found = self._made.get((kind, slug, name))
        if found is None:
            found = self._made[(kind, slug, name)] = link(self.urls.entity(kind, slug), name)
        return found

    def entity(self, kind: str, entity: Any) -> Markup:
        return self.ref(kind, entity.slug)

    def org(self, stint: Stint | None) -> Markup:
        """The organisation of a stint: a link, an unlisted name, or 'unknown'."""
        if stint is None:
            return UNKNOWN
        if stint.company:
            return self.ref("company", stint.company)
        return Markup('<span class="unlisted">%s</span>') % stint.organization

    def group(self, key: str, company: Any, label: str) -> Markup:
        """The organisation of a group: a link, an unlisted name, or 'unknown' (empty key)."""
        if company:
            return self.ref("company", company.slug)
        return Markup('<span class="unlisted">%s</span>') % label if key else UNKNOWN

    def dated_names(self, moves: Sequence[Any], limit: int | None = None) -> Markup:
        """'Name (date), Name (date)': the people of some moves, linked, with when they moved
        (and a mark on those that may come after as_of, or rest on a low-confidence stint);
        past `limit`, only counted."""
        shown = moves if limit is None else moves[:limit]
        html = Markup(", ".join([f"{self.ref('person', m.person.slug)} ({when(m.date)}){self.maybe_later(m)}{weak(m.confidence)}"
                                 for m in shown]))
        return html + f" and {len(moves) - len(shown)} more" if len(shown) < len(moves) else html

    def maybe_later(self, move: Any) -> Markup:
        """The mark on a move whose date allows after as_of: 'by 26 May 2025' in a build at
        2023 is a bound read from later sources, not a date the snapshot knows."""
        if move.certain:
            return Markup("")
        return Markup(' <span class="badge">may be after %s</span>') % PartialDate.of(self.graph.as_of).display()

    def staff(self, rows: Sequence[Any], here: str) -> Markup:
        """The <li> items of a company's list of people, from StaffRows; the line that calls
        this ends the last one."""
        out = []
        for r in rows:
            s = r.stint
            role = f", {escape(s.role)}" if s.role else ""
            unit = f" at {self.ref('company', s.company)}" if s.company != here else ""
            badge = ' <span class="badge">uncertain</span>' if r.current is Truth.MAYBE else ""
            out.append(f"    <li>{self.ref('person', r.person.slug)}{role}{unit} · {span(s)}{badge}{weak(s.confidence)} {sources(s.sources)}</li>")
        return Markup("\n".join(out))

    def names(self, moves: Sequence[Any], limit: int | None = None, confidence: bool = False) -> Markup:
        """The people of some moves, linked, separated by commas; past `limit`, only counted.
        With `confidence`, a move resting on a low-confidence stint is marked."""
        shown = moves if limit is None else moves[:limit]
        html = Markup(", ".join([f"{self.ref('person', m.person.slug)}{weak(m.confidence) if confidence else ''}"
                                 for m in shown]))  # Markup: a plain join keeps them
        return html + f" and {len(moves) - len(shown)} more" if len(shown) < len(moves) else html


def link(href: str, text: str) -> Markup:
    return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')


@functools.lru_cache(maxsize=65536)
def when(d: PartialDate | dt.date | None) -> Markup:
    """A <time> element for a date at its precision, marked approximate or 'by'."""
    if d is None:
        return Markup('<span class="unknown">date unknown</span>')
    if isinstance(d, dt.date):
        return Markup(f'<time datetime="{escape(d.isoformat())}">{escape(PartialDate.of(d).display())}</time>')
    # Bounds known from elsewhere (compute/known.py), for readers' tools and the tests.
    bounds = (f' data-earliest="{d.lo.isoformat()}"' if d.earliest is not None or d.floor is not None else "") + \
        (f' data-latest="{d.hi.isoformat()}"' if d.latest is not None else "")
    return Markup(f'<time datetime="{escape(d.iso())}"{qualifier_class(d)}{bounds}>{escape(d.display())}</time>')


def qualifier_class(value: PartialDate | dt.date) -> Markup:
    """' class="approx"' or ' class="by"' for qualified dates, so CSS can mark them."""
    if isinstance(value, PartialDate) and value.qualifier is not Qualifier.EXACT:
        return Markup(' class="approx"' if value.qualifier is Qualifier.APPROX else ' class="by"')
    return Markup("")


def span(stint: Stint) -> Markup:
    """'start – end' or 'start – present'."""
    return Markup(f"{when(stint.start)} – {when(stint.end) if stint.end else 'present'}")


def sources(urls: Sequence[str] | None) -> Markup:
    """Numbered links to the sources: [1] [2] ..."""
    return _sources(tuple(urls)) if urls else Markup("")


@functools.lru_cache(maxsize=65536)
def _sources(urls: tuple[str, ...]) -> Markup:
    # No rel=nofollow: sources are citations a maintainer checked in review, not links
    # readers posted (Markdown in bios and notes keeps nofollow, markup.py). A page cites
    # hundreds of them: the attribute was 3 KB of the Meta page.
    items = " ".join(f'<a href="{escape(u)}">[{i}]</a>' for i, u in enumerate(urls, 1))
    return Markup(f'<span class="sources">{items}</span>')


def confidence(c: Confidence | None) -> Markup:
    if not c:
        return Markup("")
    value = escape(c.value)
    return Markup(f'<span class="conf conf-{value}">{value} confidence</span>')


def weak(c: Confidence | None) -> Markup:
    """The confidence mark for a fact used away from its own entry: only when it is low."""
    return Markup(' <span class="conf conf-low">low confidence</span>') if c is Confidence.LOW else Markup("")


class Fragments(Links):
    """Links plus the fragments that need URLs or as_of: timeline entries and moves."""

    def __init__(self, graph: Graph, urls: Urls) -> None:
        super().__init__(graph, urls)
        self._url_for: Callable[[tuple[str, str]], str] = lambda ref: urls.entity(*ref)
        self._part_links: dict[tuple[tuple[str, str], str], Markup] = {}  # (ref, text) -> link
        self._fixed: dict[tuple[str, tuple[Section, ...]], Markup] = {}
        self.as_of = graph.as_of
        self._after = Markup(' <span class="badge">may be after %s</span>') % PartialDate.of(self.as_of).display()

    def parts(self, ps: Iterable[Any]) -> Markup:
        """The text of a timeline entry, its references linked."""
        return Markup("".join([self._part_link(p.ref, p.text) if p.ref else escape(p.text) for p in ps]))

    def _part_link(self, ref: tuple[str, str], text: str) -> Markup:
        found = self._part_links.get((ref, text))
        if found is None:  # the same entities come up on many pages: build each link once
            found = self._part_links[(ref, text)] = link(self._url_for(ref), text)
        return found

    def timeline(self, entries: Sequence[Any], anchors: bool = False) -> Markup:
        """An <ol> of entries with a heading line per year."""
        out = ['<ol class="timeline">\n']
        previous = None
        for e in entries:
            year = e.date.year
            if year != previous:
                out.append(f'<li class="year" id="y{year}">{year}</li>\n' if anchors else f'<li class="year">{year}</li>\n')
                previous = year
            out.append(self.entry(e))
        out.append("</ol>")
        return Markup("".join(out))

    def entry(self, e: Any) -> str:
        future = e.date.hi > self.as_of  # nothing surely later is listed (compute/known.py); this may be
        html = [f'<li class="entry kind-{escape(e.kind)}{" future" if future else ""}"><span class="date">{when(e.date)}</span>\n',
                f'<span class="what">{self.parts(e.parts)}{self._after if future else ""}</span>\n',
                f"{sources(e.sources)} {confidence(e.confidence)}\n"]
        if e.text:
            html.append(f'<div class="detail">{render_markdown(e.text)}</div>')
        if e.note:
            html.append(f'<details class="note"><summary>Note</summary>{render_markdown(e.note)}</details>')
        html.append("</li>\n")
        return "".join(html)

    def career(self, stints: Sequence[tuple[Stint, Any]]) -> Markup:
        """The <li> items of a person's career list, from (stint, is it open) pairs; the
        line that calls this ends the last one."""
        after = " ·" + self._after
        out = []
        for s, open_ in stints:
            future = s.start.hi > self.as_of  # began, or may have, by as_of (compute/known.py)
            role = f", {escape(s.role)}" if s.role else ""
            tenure = f" · reported tenure: {escape(s.tenure.text)}" if s.tenure else ""
            maybe = ' · <span class="badge">may still be there</span>' if open_ is Truth.MAYBE else ""
            note = f'<details class="note"><summary>Note</summary>{render_markdown(s.note)}</details>' if s.note else ""
            out += ['    <li class="future">\n' if future else "    <li>\n",
                    f'      <strong>{self.org(s)}</strong>{role}      <br><span class="small">{span(s)}{tenure}{maybe}',
                    after if future else "", "</span>\n",
                    f"      {sources(s.sources)} {confidence(s.confidence)}\n",
                    f"{note}    </li>\n"]
        return Markup("".join(out).removesuffix("\n"))

    def author_rows(self, rows: Sequence[Any]) -> Markup:
        """The <tr> rows of a model's author table, from AuthorRows; the line that calls this
        ends the last one."""
        out = []
        for r in rows:
            at = ("remains" if r.status is Truth.YES else '<span class="unknown">cannot tell</span>' if r.status is Truth.MAYBE
                  else "left" if r.was_there else "never there")
            first = r.first_move
            moved = f"{self.org(first.destination)} ({when(first.date)}){self.maybe_later(first)}{weak(first.confidence)}" if first else "—"
            now = "; ".join([f"{self.org(s)}, {escape(s.role)}{weak(s.confidence)}" if s.role else f"{self.org(s)}{weak(s.confidence)}"
                             for s in r.now]) or str(UNKNOWN)
            if r.now and not r.now_certain:
                now += ' <span class="badge">uncertain</span>'
            if first and first.tenure:
                tenure = f'{escape(first.tenure.text)}{" (reported)" if first.tenure.reported else ""}'
            else:
                tenure = str(UNKNOWN) if first else "—"
            out.append(f"    <tr>\n      <td>{r.position}</td>\n      <td>{self.ref('person', r.person.slug)}</td>\n"
                       f"      <td>{at}</td>\n      <td>{moved}</td>\n      <td>{now}</td>\n      <td>{tenure}</td>\n    </tr>\n")
        return Markup("".join(out).removesuffix("\n"))

    def move(self, m: Any, show_person: bool = True) -> Markup:
        """'X left A for B (date, after tenure)': the tenure of the whole stay in the family,
        named when the stint left was at one of its units; a tenure a source reported is
        marked as such."""
        html = [f"{self.entity('person', m.person)} left " if show_person else "Left ", self.org(m.origin)]
        if m.destination:
            html.append(f" {'to found' if m.founded else 'for'} {self.org(m.destination)}")
        else:
            html.append('; destination <span class="unknown">unknown</span>')
        html.append(f" ({when(m.date)}")
        if m.tenure:
            where = f" at {self.ref('company', m.family)}" if m.origin.company and m.family != m.origin.company else ""
            html.append(f", after {escape(m.tenure.text)}{where}{' (reported)' if m.tenure.reported else ''}")
        html.append(")")
        html.append(self.maybe_later(m))
        html.append(weak(m.confidence))
        return Markup("".join(html))

    @jinja2.pass_context
    def fixed(self, context: jinja2.runtime.Context, name: str) -> Markup:
        """A template that is the same on every page: it uses only the site-wide globals and
        `sections` (the sections with something in them), and is rendered once per set of
        sections, without its last newline (the line that calls it ends with one). Every
        page reads the sections anew, so that it is made again when one appears or empties."""
        sections = site_sections(self.graph)
        found = self._fixed.get((name, sections))
        if found is None:
            html = context.environment.get_template(name).render(sections=sections)
            found = self._fixed[(name, sections)] = Markup(html.removesuffix("\n"))
        return found

    def helpers(self) -> dict[str, Callable[..., Markup]]:
        """The Jinja globals these fragments provide."""
        return {"ref": self.ref, "entity": self.entity, "org": self.org, "names": self.names, "when": when,
                "group": self.group, "dated_names": self.dated_names, "staff": self.staff,
                "span": span, "sources": sources, "confidence": confidence, "parts": self.parts,
                "timeline": self.timeline, "move": self.move, "fixed": self.fixed, "career": self.career,
                "author_rows": self.author_rows}
