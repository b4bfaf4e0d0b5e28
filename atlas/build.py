"""The build, top to bottom.

    load and validate  content/   every file read into typed records; every problem at once
    graph              compute/   references resolved both ways; views computed from it on demand
    plan               site/      every file of the site: its path and what makes it
    make               site/      page contexts built from the computed views, rendered with Jinja
    write              site/      a fresh folder, swapped in whole

Run as it is, this is the reference build (`build.py --no-cache`): serial, no cache.
The speed layer (atlas/speed) does the same build faster by replacing the steps of
`Steps`: where the site comes from, which graph the pages read, where compiled templates
are kept, which files are made and on how many cores, and how they are written. Its
output is the same, byte for byte.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import jinja2

from atlas.compute.graph import Graph
from atlas.content.folder import load_site
from atlas.kinds import KINDS
from atlas.model.kind import Kind
from atlas.model.records import Site
from atlas.site.outputs import Output, make_output, plan_outputs
from atlas.site.render import make_env, render_page
from atlas.site.write import OutputError, write_site

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def builtin(name: str) -> Path:
    """The generator's own templates/ or static/: inside the package when it is installed
    from a wheel (pyproject.toml puts them there), beside it in a checkout."""
    packaged = PACKAGE / name
    return packaged if packaged.is_dir() else ROOT / name


def search_path(content: Path, name: str) -> tuple[Path, ...]:
    """Where templates (name "templates") or static files ("static") are looked for: a
    site's own folder of that name beside its content folder first, which overrides the
    built-in one file by file, then the built-in one."""
    own, built_in = content.parent / name, builtin(name)
    if own.is_dir() and own.resolve() != built_in.resolve():
        return own, built_in
    return (built_in,)


@dataclass(frozen=True)
class Options:
    """What to build, from where, to where."""

    content: Path
    out: Path
    as_of: dt.date | None = None  # overrides site.yaml's
    base_url: str | None = None  # overrides site.yaml's
    templates: tuple[Path, ...] = (builtin("templates"),)  # searched in order: a file in the first wins
    static: tuple[Path, ...] = (builtin("static"),)  # the same: a site's own static/ first
    kinds: Sequence[Kind] = field(default=KINDS)

    @classmethod
    def of_site(cls, content: Path, out: Path, **options: Any) -> Options:
        """Options for the site in `content`, with its own templates/ and static/ (beside
        the content folder) in front of the built-in ones."""
        return cls(content, out, templates=search_path(content, "templates"), static=search_path(content, "static"),
                   **options)


@dataclass(frozen=True)
class Report:
    files: int  # files the site holds (static/ not counted)
    made: int  # files made by this build; the others were kept as they were
    seconds: float
    unchanged: bool = False  # nothing changed since the build in the output folder; nothing was written


class Steps:
    """How the plain build does the steps the speed layer replaces."""

    def load(self, options: Options) -> Site:
        """Read and validate every file."""
        return load_site(options.content, options.kinds, options.as_of, options.base_url)

    def graph(self, site: Site, kinds: Sequence[Kind]) -> Graph:
        return Graph(site, kinds)

    def templates(self) -> jinja2.BytecodeCache | None:
        """Where compiled templates are kept between builds (nowhere)."""
        return None

    def make(self, outputs: Sequence[Output], make: Callable[[Output], bytes]) -> Iterator[tuple[str, bytes]]:
        """Make every file, one after the other."""
        for output in outputs:
            yield output.path, make(output)

    def write(self, out_dir: Path, files: Iterable[tuple[str, bytes]], static: Sequence[Path]) -> int:
        return write_site(out_dir, files, static)

    def made(self) -> int | None:
        """How many files this build made, when it kept some; None: all of them."""
        return None


def build(options: Options, steps: Steps | None = None) -> Report:
    """Build the site from options.content into options.out; nothing is written unless
    everything succeeds (raises ContentError, TemplateError or OutputError)."""
    steps = steps or Steps()
    started = time.perf_counter()
    site = steps.load(options)
    graph = steps.graph(site, options.kinds)
    outputs = plan_outputs(graph)
    check_collisions(outputs)
    env = make_env(options.templates, graph, steps.templates())

    def make(output: Output) -> bytes:
        return make_output(graph, output, lambda page: render_page(env, page))

    count = steps.write(options.out, steps.make(outputs, make), options.static)
    made = steps.made()
    return Report(count, count if made is None else made, time.perf_counter() - started)


def load(content: Path, as_of: dt.date | None = None, base_url: str | None = None, kinds: Sequence[Kind] = KINDS) -> Graph:
    """Load and validate a content folder, and build its graph (raises ContentError)."""
    return Graph(load_site(content, kinds, as_of, base_url), kinds)


def check_collisions(outputs: Sequence[Output]) -> None:
    """Two files for one path, even differing only in case, stop the build, naming both."""
    seen: dict[str, Output] = {}
    for output in outputs:
        key = output.path.lower()
        if key in seen:
            raise OutputError(f"{output} and {seen[key]} both want to write {output.path}")
        seen[key] = output
