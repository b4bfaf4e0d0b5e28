"""Render page contexts with Jinja: autoescaped, and strict about missing variables."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Callable, Sequence

import jinja2
from markupsafe import Markup

from atlas.compute.graph import Graph
from atlas.model.dates import PartialDate
from atlas.model.records import Label
from atlas.site import svg
from atlas.site.stepchart import step_chart_svg
from atlas.site.html import Fragments, qualifier_class
from atlas.site.lists import FLOW_NAMES
from atlas.site.markup import render_markdown
from atlas.site.meta import JsonLd, dump_jsonld
from atlas.site.pages import Page
from atlas.site.sections import kind_labels
from atlas.site.urls import moves_path, repo_links, site_urls, timeline_path


class TemplateError(Exception):
    """A template failed: names the template and line."""


def make_env(templates: Sequence[Path], graph: Graph, bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja environment with the site's helpers as globals and filters; templates are
    looked for in each folder of `templates` in turn (a site's own before the built-in)."""
    urls = site_urls(graph)
    config = graph.config
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in templates]),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one set of templates: no mtime check on every page
    )
    labels = kind_labels(graph.kinds, config)
    env.globals.update(config=config, urls=urls, as_of=config.as_of, url_for=lambda ref: urls.entity(*ref), asset=urls.asset,
                       labels=labels)
    env.globals.update(Fragments(graph, urls).helpers())
    env.globals.update(sankey=svg.sankey, career_chart=svg.career_chart, step_chart=step_chart_svg)
    env.globals.update(timeline_path=timeline_path, moves_path=moves_path, flow_names=FLOW_NAMES)
    env.globals.update(repo_links=lambda page: repo_links(config.repository, config.branch, page.src_path, page.title,
                                                          urls.absolute(page.out_path)))
    env.filters.update(markdown=render_markdown, date=_date, iso=_iso,
                       years=_years, host=_host, plural=_plural, jsonld=_jsonld, qualifier_class=qualifier_class,
                       relabel=_relabel(labels["model"]))
    return env


def _relabel(label: Label) -> Callable[[str], str]:
    """Documentation written in code (a download's columns) says 'model' and 'models': say
    them as the site calls the third kind ('product', 'products')."""
    words = {"model": label.singular_text, "models": label.plural_text}
    return lambda text: re.sub(r"\bmodels?\b", lambda m: words[m.group(0)], text)


def _jsonld(data: JsonLd) -> Markup:
    """JSON-LD for a <script> element; dump_jsonld escapes what could end the element."""
    return Markup(dump_jsonld(data))


def _date(value: PartialDate | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return PartialDate.of(value).display()
    return value.display()


def _iso(value: PartialDate | dt.date) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value.iso()


def _years(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.1f}".removesuffix(".0")


def _host(url: str) -> str:
    """Show a source URL by its host: 'www.example.com/a' -> 'example.com'."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    """Render one page, turning template failures into a TemplateError that names the
    template file (a site's own or the built-in one) and line."""
    try:
        template = env.get_template(page.template)
        return template.render(page=page, ctx=page.context).encode("utf-8")
    except jinja2.TemplateSyntaxError as err:
        where = _shown(err.filename) if err.filename else f"templates/{err.name or page.template}"
        raise TemplateError(f"{where}:{err.lineno}: {err.message}") from None
    except jinja2.UndefinedError as err:
        filename, line = _template_line(err)
        where = _shown(filename) if filename else f"templates/{page.template}"
        raise TemplateError(f"{where}:{line}: {err.message} (rendering {page.out_path})") from None


def _template_line(err: BaseException) -> tuple[str, Any]:
    """The template file and line the error was raised in (the innermost template frame)."""
    tb = err.__traceback__
    filename, line = "", "?"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return filename, line


def _shown(filename: str) -> str:
    """A template's path as a reader finds it: relative to the working folder when inside it."""
    relative = os.path.relpath(filename)
    return Path(filename if relative.startswith("..") else relative).as_posix()
