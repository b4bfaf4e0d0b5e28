"""HTML fragments used on every page, built in Python rather than in Jinja macros.

Each helper returns markupsafe.Markup, and every piece of content it puts in passes through
escape (escape.py: markupsafe's escaping, as a str) exactly once. Entity links are built once per build (see Links), dates
once per distinct value. The output is the same, byte for byte, as the macros these
helpers replace.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Callable, Iterable, Sequence

import jinja2
from markupsafe import Markup

from atlas.model.dates import PartialDate, Qualifier
from atlas.site.escape import as_markup, escape
from atlas.site.markup import render_markdown
from atlas.model.records import Confidence, Site, Stint
from atlas.compute.moves import Truth
from atlas.site.urls import Urls

UNKNOWN = Markup('<span class="unknown">unknown</span>')


class _LinkTable(dict):  # type: ignore[type-arg]
    """(kind, slug) -> <a href="...">name</a>, each made when first asked for (a rebuild
    after one edit renders a few pages, which link to a few hundred entities of 13,000)."""

    def __init__(self, site: Site, urls: Urls) -> None:
        super().__init__()
        self.tables = {"company": site.companies, "person": site.people, "model": site.models}
        self.urls = urls

    def __missing__(self, key: tuple[str, str]) -> Markup:
        kind, slug = key
        made = self[key] = link(self.urls.entity(kind, slug), self.tables[kind][slug].name)  # KeyError if unknown
        return made


class Links:
    """The link to every entity's page, made once: (kind, slug) -> <a href="...">name</a>."""

    def __init__(self, site: Site, urls: Urls) -> None:
        self._links: dict[tuple[str, str], Markup] = _LinkTable(site, urls)

    def ref(self, kind: str, slug: str) -> Markup:
        """The link to the entity `slug` of `kind` (raises KeyError for an unknown one)."""
        return self._links[(kind, slug)]

    def entity(self, kind: str, entity: Any) -> Markup:
        return self._links[(kind, entity.slug)]

    def org(self, stint: Stint | None) -> Markup:
        """The organisation of a stint: a link, an unlisted name, or 'unknown'."""
        if stint is None:
            return UNKNOWN
        if stint.company:
            return self._links[("company", stint.company)]
        return Markup('<span class="unlisted">%s</span>') % stint.organization

    def group(self, key: str, company: Any, label: str) -> Markup:
        """The organisation of a group: a link, an unlisted name, or 'unknown' (empty key)."""
        if company:
            return self._links[("company", company.slug)]
        return Markup('<span class="unlisted">%s</span>') % label if key else UNKNOWN

    def dated_names(self, moves: Sequence[Any]) -> Markup:
        """'Name (date), Name (date)': the people of some moves, linked, with when they moved."""
        links = self._links
        return as_markup(", ".join([f"{links[('person', m.person.slug)]} ({when(m.date)})" for m in moves]))

    def staff(self, rows: Sequence[Any], here: str) -> Markup:
        """The <li> items of a company's list of people, from StaffRows; the line that calls
        this ends the last one."""
        links = self._links
        out = []
        for r in rows:
            s = r.stint
            role = f", {escape(s.role)}" if s.role else ""
            unit = f" at {links[('company', s.company)]}" if s.company != here else ""
            badge = ' <span class="badge">uncertain</span>' if r.current is Truth.MAYBE else ""
            out.append(f"    <li>{links[('person', r.person.slug)]}{role}{unit} · {span(s)}{badge} {sources(s.sources)}</li>")
        return as_markup("\n".join(out))

    def names(self, moves: Sequence[Any], limit: int | None = None) -> Markup:
        """The people of some moves, linked, separated by commas; past `limit`, only counted."""
        shown = moves if limit is None else moves[:limit]
        links = self._links  # already Markup: a plain join keeps them as they are
        html = as_markup(", ".join([links[("person", m.person.slug)] for m in shown]))
        return html + f" and {len(moves) - len(shown)} more" if len(shown) < len(moves) else html


def link(href: str, text: str) -> Markup:
    return as_markup(f'<a href="{escape(href)}">{escape(text)}</a>')


@functools.lru_cache(maxsize=65536)
def when(d: PartialDate | dt.date | None) -> Markup:
    """A <time> element for a date at its precision, marked approximate or 'by'."""
    if d is None:
        return as_markup('<span class="unknown">date unknown</span>')
    if isinstance(d, dt.date):
        return as_markup(f'<time datetime="{escape(d.isoformat())}">{escape(PartialDate.of(d).display())}</time>')
    return as_markup(f'<time datetime="{escape(d.iso())}"{qualifier_class(d)}>{escape(d.display())}</time>')


def qualifier_class(value: PartialDate | dt.date) -> Markup:
    """' class="approx"' or ' class="by"' for qualified dates, so CSS can mark them."""
    if isinstance(value, PartialDate) and value.qualifier is not Qualifier.EXACT:
        return as_markup(' class="approx"' if value.qualifier is Qualifier.APPROX else ' class="by"')
    return as_markup("")


def span(stint: Stint) -> Markup:
    """'start – end' or 'start – present'."""
    return as_markup(f"{when(stint.start)} – {when(stint.end) if stint.end else 'present'}")


def sources(urls: Sequence[str] | None) -> Markup:
    """Numbered links to the sources: [1] [2] ..."""
    return _sources(tuple(urls)) if urls else as_markup("")


@functools.lru_cache(maxsize=65536)
def _sources(urls: tuple[str, ...]) -> Markup:
    items = " ".join(f'<a href="{escape(u)}" rel="nofollow">[{i}]</a>' for i, u in enumerate(urls, 1))
    return as_markup(f'<span class="sources">{items}</span>')


def confidence(c: Confidence | None) -> Markup:
    if not c:
        return as_markup("")
    value = escape(c.value)
    return as_markup(f'<span class="conf conf-{value}">{value} confidence</span>')


class Fragments(Links):
    """Links plus the fragments that need URLs or as_of: timeline entries and moves."""

    def __init__(self, site: Site, urls: Urls) -> None:
        super().__init__(site, urls)
        self._url_for: Callable[[tuple[str, str]], str] = lambda ref: urls.entity(*ref)
        self._part_links: dict[tuple[tuple[str, str], str], Markup] = {}  # (ref, text) -> link
        self._fixed: dict[str, Markup] = {}
        self.as_of = site.config.as_of
        self._after = Markup(' <span class="badge">after %s</span>') % PartialDate.of(self.as_of).display()

    def parts(self, ps: Iterable[Any]) -> Markup:
        """The text of a timeline entry, its references linked."""
        return as_markup("".join([self._part_link(p.ref, p.text) if p.ref else escape(p.text) for p in ps]))

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
        return as_markup("".join(out))

    def entry(self, e: Any) -> str:
        future = e.date.lo > self.as_of
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
            future = s.start.lo > self.as_of
            role = f", {escape(s.role)}" if s.role else ""
            tenure = f" · reported tenure: {escape(s.tenure.text)}" if s.tenure else ""
            maybe = ' · <span class="badge">may still be there</span>' if open_ is Truth.MAYBE else ""
            note = f'<details class="note"><summary>Note</summary>{render_markdown(s.note)}</details>' if s.note else ""
            out += ['    <li class="future">\n' if future else "    <li>\n",
                    f'      <strong>{self.org(s)}</strong>{role}      <br><span class="small">{span(s)}{tenure}{maybe}',
                    after if future else "", "</span>\n",
                    f"      {sources(s.sources)} {confidence(s.confidence)}\n",
                    f"{note}    </li>\n"]
        return as_markup("".join(out).removesuffix("\n"))

    def author_rows(self, rows: Sequence[Any]) -> Markup:
        """The <tr> rows of a model's author table, from AuthorRows; the line that calls this
        ends the last one."""
        out = []
        for r in rows:
            at = ("remains" if r.status is Truth.YES else '<span class="unknown">cannot tell</span>' if r.status is Truth.MAYBE
                  else "left" if r.was_there else "never there")
            first = r.first_move
            moved = f"{self.org(first.destination)} ({when(first.date)})" if first else "—"
            now = "; ".join([f"{self.org(s)}, {escape(s.role)}" if s.role else str(self.org(s)) for s in r.now]) or str(UNKNOWN)
            if r.now and not r.now_certain:
                now += ' <span class="badge">uncertain</span>'
            if first and first.tenure:
                tenure = f'{escape(first.tenure.text)}{" (reported)" if first.tenure.reported else ""}'
            else:
                tenure = str(UNKNOWN) if first else "—"
            out.append(f"    <tr>\n      <td>{r.position}</td>\n      <td>{self._links[('person', r.person.slug)]}</td>\n"
                       f"      <td>{at}</td>\n      <td>{moved}</td>\n      <td>{now}</td>\n      <td>{tenure}</td>\n    </tr>\n")
        return as_markup("".join(out).removesuffix("\n"))

    def move(self, m: Any, show_person: bool = True) -> Markup:
        """'X left A for B (date, after tenure)'."""
        html = [f"{self.entity('person', m.person)} left " if show_person else "Left ", self.org(m.origin)]
        if m.destination:
            html.append(f" {'to found' if m.founded else 'for'} {self.org(m.destination)}")
        else:
            html.append('; destination <span class="unknown">unknown</span>')
        html.append(f" ({when(m.date)}")
        if m.tenure:
            html.append(f", after {escape(m.tenure.text)}")
        html.append(")")
        if not m.certain:
            html.append(' <span class="badge">date uncertain</span>')
        return as_markup("".join(html))

    @jinja2.pass_context
    def fixed(self, context: jinja2.runtime.Context, name: str) -> Markup:
        """A template that uses only the site-wide globals, and so is the same on every page:
        rendered once, without its last newline (the line that calls it ends with one)."""
        found = self._fixed.get(name)
        if found is None:
            html = context.environment.get_template(name).render()
            found = self._fixed[name] = as_markup(html.removesuffix("\n"))
        return found

    def helpers(self) -> dict[str, Callable[..., Markup]]:
        """The Jinja globals these fragments provide."""
        return {"ref": self.ref, "entity": self.entity, "org": self.org, "names": self.names, "when": when,
                "group": self.group, "dated_names": self.dated_names, "staff": self.staff,
                "span": span, "sources": sources, "confidence": confidence, "parts": self.parts,
                "timeline": self.timeline, "move": self.move, "fixed": self.fixed, "career": self.career,
                "author_rows": self.author_rows}
