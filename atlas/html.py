"""HTML fragments used on every page, built in Python rather than in Jinja macros.

Each helper returns markupsafe.Markup, and every piece of content it puts in passes through
markupsafe.escape exactly once. Entity links are built once per build (see Links), dates
once per distinct value. The output is the same, byte for byte, as the macros these
helpers replace.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Callable, Iterable, Sequence

from markupsafe import Markup, escape

from .dates import PartialDate, Qualifier
from .markup import render_markdown
from .model import Confidence, Site, Stint
from .urls import Urls

UNKNOWN = Markup('<span class="unknown">unknown</span>')
_KINDS = ("company", "person", "model")


class Links:
    """The link to every entity's page, built once: (kind, slug) -> <a href="...">name</a>."""

    def __init__(self, site: Site, urls: Urls) -> None:
        tables = {"company": site.companies, "person": site.people, "model": site.models}
        self._links: dict[tuple[str, str], Markup] = {}
        for kind in _KINDS:
            for slug, entity in tables[kind].items():
                self._links[(kind, slug)] = link(urls.entity(kind, slug), entity.name)

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

    def names(self, moves: Sequence[Any], limit: int | None = None) -> Markup:
        """The people of some moves, linked, separated by commas; past `limit`, only counted."""
        shown = moves if limit is None else moves[:limit]
        html = Markup(", ").join(self._links[("person", m.person.slug)] for m in shown)
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
    return Markup(f'<time datetime="{escape(d.iso())}"{qualifier_class(d)}>{escape(d.display())}</time>')


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
    items = " ".join(f'<a href="{escape(u)}" rel="nofollow">[{i}]</a>' for i, u in enumerate(urls, 1))
    return Markup(f'<span class="sources">{items}</span>')


def confidence(c: Confidence | None) -> Markup:
    if not c:
        return Markup("")
    value = escape(c.value)
    return Markup(f'<span class="conf conf-{value}">{value} confidence</span>')


class Fragments(Links):
    """Links plus the fragments that need URLs or as_of: timeline entries and moves."""

    def __init__(self, site: Site, urls: Urls) -> None:
        super().__init__(site, urls)
        self._url_for: Callable[[tuple[str, str]], str] = lambda ref: urls.entity(*ref)
        self.as_of = site.config.as_of
        self._after = Markup(' <span class="badge">after %s</span>') % PartialDate.of(self.as_of).display()

    def parts(self, ps: Iterable[Any]) -> Markup:
        """The text of a timeline entry, its references linked."""
        return Markup("".join(link(self._url_for(p.ref), p.text) if p.ref else escape(p.text) for p in ps))

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
        return Markup("".join(html))

    def helpers(self) -> dict[str, Callable[..., Markup]]:
        """The Jinja globals these fragments provide."""
        return {"ref": self.ref, "entity": self.entity, "org": self.org, "names": self.names, "when": when,
                "span": span, "sources": sources, "confidence": confidence, "parts": self.parts,
                "timeline": self.timeline, "move": self.move}
