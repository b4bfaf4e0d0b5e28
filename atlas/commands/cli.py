"""Command line: parse arguments, run a command, turn errors into messages and exit codes."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path
from typing import Callable

from atlas.commands.annotate import Reporter, in_github_actions
from atlas.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]  # the repository; commands import what they need


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


# Options shared by several commands, by name; each command takes those that apply to it.
OPTIONS: dict[str, Callable[[argparse.ArgumentParser], object]] = {
    "content": lambda p: p.add_argument("--content", type=Path, default=ROOT / "content",
                                        help="content folder (default: content/)"),
    "out": lambda p: p.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)"),
    "as_of": lambda p: p.add_argument("--as-of", type=_date, help="date of the computed summaries (overrides site.yaml)"),
    "base_url": lambda p: p.add_argument("--base-url", help="URL or path the site is served under (overrides site.yaml)"),
    "quiet": lambda p: p.add_argument("--quiet", action="store_true", help="print only errors"),
    "no_cache": lambda p: p.add_argument("--no-cache", action="store_true",
                                         help="neither read nor write the build cache (~/.cache/talent-atlas); "
                                              "always rebuild everything"),
}


def _options(*names: str) -> argparse.ArgumentParser:
    """A parent parser with the named OPTIONS."""
    chosen = argparse.ArgumentParser(add_help=False)
    for name in names:
        OPTIONS[name](chosen)
    return chosen


def _common() -> argparse.ArgumentParser:
    return _options(*OPTIONS)


def parser() -> argparse.ArgumentParser:
    common = _common()
    top = argparse.ArgumentParser(prog="build.py", description="Build the Talent Atlas site.", parents=[common])
    commands = top.add_subparsers(dest="command")
    commands.add_parser("build", parents=[common], help="validate and build the site (the default)")
    check = commands.add_parser("check", parents=[_options("content", "as_of", "quiet", "no_cache")],
                                help="validate the content and write nothing")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too (files not in canonical form, reminders left by 'new', unlikely dates)")
    new = commands.add_parser("new", parents=[_options("content")], help="write a skeleton file: new person \"Ada Lovelace\"")
    new.add_argument("kind", choices=("person", "company", "model"))
    new.add_argument("name", help="display name; the file name (slug) is made from it")
    new.add_argument("--company", help="person: company slug of a first job; model: the developer's slug")
    new.add_argument("--role", help="person: job title of the first job")
    new.add_argument("--start", help="person: start date of the first job (YYYY, YYYY-MM or YYYY-MM-DD)")
    new.add_argument("--source", help="a URL that supports the facts")
    schemas = commands.add_parser("schemas", parents=[common], help="regenerate schemas/*.schema.json and docs/fields.md")
    schemas.add_argument("--check", action="store_true", help="only report whether they are up to date")
    fmt = commands.add_parser("fmt", parents=[_options("content", "quiet")], help="rewrite content files in canonical form")
    fmt.add_argument("--check", action="store_true", help="only list the files that are not in canonical form")
    diff = commands.add_parser("diff", parents=[_options("content", "as_of")],
                               help="Markdown: how this change alters the computed summaries")
    diff.add_argument("--base", required=True, help="git revision to compare with, e.g. origin/main")
    serve = commands.add_parser("serve", parents=[common], help="build, serve on localhost and rebuild on change")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    commands.add_parser("linkcheck", parents=[common], help="check the internal links of the built site in --out")
    return top


def main(argv: list[str]) -> int:
    """Run a command; the exit code."""
    args = parser().parse_args(argv)
    reporter = Reporter(args.content, Path(os.environ.get("GITHUB_WORKSPACE") or ROOT), in_github_actions())
    command = COMMANDS.get(args.command or "build", _build)
    try:
        if command in READS_CONTENT and not args.content.is_dir():
            raise UserError(f"{args.content} is not a folder; give the content folder with --content DIR")
        return command(args, reporter)
    except ContentError as err:
        for problem in err.problems:
            print(reporter.problem(problem), file=sys.stderr)
        print(f"{len(err.problems)} problem{'s' if len(err.problems) != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


class UserError(Exception):
    """A command could not do what was asked; the message says why."""


def _build(args: argparse.Namespace, reporter: Reporter) -> int:
    from atlas.build import Options, build
    from atlas.site.render import TemplateError
    from atlas.site.write import OutputError

    options = Options(args.content, args.out, args.as_of or _today(args.content), args.base_url)
    try:
        if args.no_cache:
            report = build(options)
        else:
            from atlas.speed.engine import cached_build
            from atlas.speed.inputs import default_cache_dir

            report = cached_build(options, default_cache_dir())
    except (TemplateError, OutputError) as err:
        raise UserError(str(err)) from None
    if args.quiet:
        return 0
    if report.unchanged:
        print(f"nothing changed since the build in {args.out} ({report.seconds:.2f}s); --no-cache rebuilds it anyway")
    elif report.made < report.files:
        print(f"made {report.made} of {report.files} files in {args.out} in {report.seconds:.2f}s")
    else:
        print(f"built {report.files} files into {args.out} in {report.seconds:.2f}s")
    return 0


def _today(content: Path) -> dt.date | None:
    """Today, when site.yaml says 'as_of: today': given as an option, it is part of what a
    rebuild compares, so a new day rebuilds the site even when no file changed."""
    from atlas.content.folder import load_config

    config = load_config(content.resolve(), [])
    return config.as_of if config is not None and config.today else None


NOTES_SHOWN = 20  # facts after the as-of date listed by check; an early --as-of can date hundreds


def _check(args: argparse.Namespace, reporter: Reporter) -> int:
    from atlas.build import load
    from atlas.commands.fmt import file_warnings
    from atlas.commands.pending import located, pending
    from atlas.content.warnings import date_warnings
    from atlas.kinds import KINDS
    from atlas.speed.inputs import default_cache_dir

    graph = load(args.content, args.as_of)
    if not args.quiet:
        set_in = "--as-of" if args.as_of else "site.yaml"
        notes = pending(graph)
        for note in located(args.content, notes[:NOTES_SHOWN], graph.as_of, set_in):
            print(reporter.problem(note, "note"), file=sys.stderr)
        if len(notes) > NOTES_SHOWN:
            print(f"note: {len(notes) - NOTES_SHOWN} more facts are dated after the as-of date "
                  f"({graph.as_of.isoformat()}); they are recorded, but not counted yet", file=sys.stderr)
    warnings = file_warnings(args.content, None if args.no_cache else default_cache_dir()).problems
    warnings = sorted([*warnings, *date_warnings(args.content.resolve(), graph.site, KINDS)])
    for warning in warnings:
        print(reporter.problem(warning, "warning"), file=sys.stderr)
    if warnings and args.strict:
        count = len(warnings)
        print(f"{count} warning{'s' if count != 1 else ''}; --strict makes them fail the check.", file=sys.stderr)
        return 1
    if not args.quiet:
        site = graph.site
        print(f"ok: {len(site.companies)} companies, {len(site.people)} people, "
              f"{len(site.models)} models, {len(site.claims)} claims")
    return 0


def _new(args: argparse.Namespace, reporter: Reporter) -> int:
    from atlas.commands.scaffold import ScaffoldError, Stub, create

    stub = Stub(args.kind, args.name, args.company, args.role, args.start, args.source)
    try:
        path = create(args.content, stub)
    except ScaffoldError as err:
        raise UserError(str(err)) from None
    shown = reporter.path_of(path.relative_to(args.content).as_posix())
    print(f"wrote {shown}; edit it, then run: python build.py check")
    return 0


def _schemas(args: argparse.Namespace, reporter: Reporter) -> int:
    from atlas.commands.schemas import stale_files, write_generated

    if args.check:
        stale = stale_files(ROOT)
        for rel in stale:
            print(f"{rel}: out of date; run 'python build.py schemas'", file=sys.stderr)
        return 1 if stale else 0
    changed = write_generated(ROOT)
    if not args.quiet:
        print("updated " + ", ".join(changed) if changed else "schemas and docs/fields.md are up to date")
    return 0


def _fmt(args: argparse.Namespace, reporter: Reporter) -> int:
    from atlas.commands.fmt import file_warnings, format_content

    if args.check:
        loose = [w for w in file_warnings(args.content).problems if "canonical form" in w.message]
        for warning in loose:
            print(reporter.problem(warning), file=sys.stderr)
        return 1 if loose else 0
    done = format_content(args.content)
    for problem in done.unreadable:
        print(reporter.problem(problem), file=sys.stderr)
    for bug in done.bugs:
        print(f"error: {bug}; the file was left as it is (a bug in fmt: please report it)", file=sys.stderr)
    unread = len({p.loc.path for p in done.unreadable})
    if unread:
        print(f"{unread} file{'s' if unread != 1 else ''} not formatted: fix the problems above first "
              "(check lists them too)", file=sys.stderr)
    if not args.quiet:
        for src_path in done.changed:
            print(f"formatted {reporter.path_of(src_path)}")
        print(f"{len(done.changed)} file{'s' if len(done.changed) != 1 else ''} changed")
    return 1 if done.unreadable or done.bugs else 0


def _diff(args: argparse.Namespace, reporter: Reporter) -> int:
    from atlas.commands.diff import DiffError, diff_report

    try:
        print(diff_report(args.content, args.base, args.as_of), end="")
    except DiffError as err:
        raise UserError(str(err)) from None
    return 0


def _serve(args: argparse.Namespace, reporter: Reporter) -> int:
    from atlas.commands.serve import DevServer

    # `kill`, `docker stop` and CI send SIGTERM: stop as on Ctrl-C, so the private build folder is removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server = DevServer(args.content, host=args.host, port=args.port, base_url=args.base_url,
                           log=lambda message: print(message, flush=True), describe=reporter.problem)
    except OSError as err:
        raise UserError(f"cannot listen on {args.host}:{args.port}: {err.strerror}; try --port 0") from None
    try:  # from here on, a stop (at any point) removes the folder
        print(f"serving {server.url} (rebuilds on every change; Ctrl-C stops)", flush=True)
        server.start()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _linkcheck(args: argparse.Namespace, reporter: Reporter) -> int:
    from atlas.build import load
    from atlas.commands.linkcheck import broken_links
    from atlas.site.urls import site_urls

    base_path = site_urls(load(args.content, base_url=args.base_url)).base_path
    broken = broken_links(args.out, base_path)
    for line in broken:
        print(f"broken link: {line}", file=sys.stderr)
    if not args.quiet and not broken:
        print(f"ok: no broken internal link in {args.out}")
    return 1 if broken else 0


COMMANDS = {"build": _build, "check": _check, "new": _new, "schemas": _schemas, "fmt": _fmt,
            "diff": _diff, "serve": _serve, "linkcheck": _linkcheck}
READS_CONTENT = {_build, _check, _new, _fmt, _diff, _serve}
