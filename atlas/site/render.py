"""Render page contexts with Jinja: autoescaped, and strict about missing variables."""
from __future__ import annotations

import datetime as dt
import types
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.runtime
import markupsafe
from markupsafe import Markup

from atlas.speed.cache import code_version, read_dict, write_dict
from atlas.model.dates import PartialDate
from atlas.site.escape import escape
from atlas.site import svg
from atlas.site.html import Fragments, qualifier_class
from atlas.site.lists import FLOW_NAMES
from atlas.site.markup import render_inline, render_markdown
from atlas.site.meta import JsonLd, dump_jsonld
from atlas.model.records import Site
from atlas.site.pages import Page, Planned
from atlas.site.urls import Urls, moves_path, timeline_path


class TemplateError(Exception):
    """A template failed: names the template and line."""


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept by a long-lived process between builds. Jinja checks each
    template's source checksum on load, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class DiskBytecodeCache(MemoryBytecodeCache):
    """Compiled templates kept in the build cache, so that a new build.py process compiles
    only the templates that changed: a rebuild after one edit compiled five, 0.03 to 0.07
    s of its time. One file per code version (the options templates are compiled with are
    in the code); Jinja checks each template's source checksum on load, and anything it
    cannot read (a corrupt file) is only a miss."""

    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.path = cache_dir / f"templates-{code_version()}.pickle"
        self.store = {key: code for key, code in read_dict(self.path).items() if isinstance(key, str) and isinstance(code, bytes)}
        self.changed = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable: compile the template again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().dump_bytecode(bucket)
        self.changed = True

    def save(self) -> None:
        """Write the file if a template was compiled in this process."""
        if self.changed:
            write_dict(self.path, self.store, "templates-*.pickle")
            self.changed = False


class _Template(jinja2.Template):
    """A template made faster to render, with the same output. Its output expressions
    escape with escape.escape: the compiled code only joins what it outputs, so the Markup
    that markupsafe.escape makes of each value (a million at 10,000 people) is thrown away
    at once."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any, uptodate: Any = None) -> Any:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__  # the compiled module's, shared by its blocks and macros
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape
        # Every render copies the globals into its context; from Jinja's ChainMap that is a
        # Python-level lookup per name. make_env sets all globals before any template loads.
        template.globals = dict(template.globals)
        return template


_PLAIN_CALLABLES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType)
# Whether each function (a method's, for a method) is plain: asked once per function, as
# asking a bound method (the helpers are methods) costs a failed lookup on every call.
_PLAIN: dict[Any, bool] = {}


class _Context(jinja2.runtime.Context):
    """A render context that calls plain functions and methods at once. Jinja's own call
    asks every callable four times whether it wants the context passed (pass_context and
    the like), on each of the 300,000 helper calls of a 10,000-person site; here each
    function (a method's own, for a method) is asked once, and anything else goes the
    usual way."""

    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        kind = type(obj)
        if kind not in _PLAIN_CALLABLES:
            return super().call(obj, *args, **kwargs)
        key = obj.__func__ if kind is types.MethodType else obj
        plain = _PLAIN.get(key)
        if plain is None:
            if len(_PLAIN) > 1000:  # functions made per page would otherwise pile up
                _PLAIN.clear()
            plain = _PLAIN[key] = not hasattr(obj, "jinja_pass_arg")
        if not plain:
            return super().call(obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:  # as Jinja does
            return self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


def make_env(templates_dir: Path, site: Site, urls: Urls,
             bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja environment with the site's helpers as globals and filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one set of templates: no mtime check on every page
    )
    env.template_class = _Template
    env.context_class = _Context
    env.globals.update(site=site, config=site.config, urls=urls, as_of=site.config.as_of,
                       url_for=lambda ref: urls.entity(*ref), asset=urls.asset)
    env.globals.update(Fragments(site, urls).helpers())
    env.globals.update(sankey=svg.sankey, career_chart=svg.career_chart)
    env.globals.update(timeline_path=timeline_path, moves_path=moves_path, flow_names=FLOW_NAMES)
    env.filters.update(markdown=render_markdown, inline=render_inline, date=_date, iso=_iso,
                       years=_years, host=_host, plural=_plural, jsonld=_jsonld, qualifier_class=qualifier_class)
    return env


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
    return f"{count} {one if count == 1 else (many or one + 's')}"


def render_page(env: jinja2.Environment, planned: Page | Planned) -> str:
    """Render one page (computing its context first if it is only planned), turning template
    failures into a TemplateError."""
    page = planned.page()
    try:
        template = env.get_template(page.template)
        return template.render(page=page, ctx=page.context)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(f"templates/{err.name or page.template}:{err.lineno}: {err.message}") from None
    except jinja2.UndefinedError as err:
        raise TemplateError(f"templates/{page.template}:{_template_line(err)}: {err.message} (rendering {page.out_path})") from None


def _template_line(err: BaseException) -> Any:
    tb = err.__traceback__
    line = "?"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
