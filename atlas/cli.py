"""Command line: parse arguments, run a command, turn errors into messages and exit codes."""
from __future__ import annotations

import argparse
import os
import datetime as dt
import sys
from pathlib import Path

from .build import ROOT, load, run
from .errors import ContentError
from .render import TemplateError
from .write import OutputError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    common.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    common.add_argument("--as-of", type=_date, help="date of the computed summaries (overrides site.yaml)")
    common.add_argument("--base-url", help="URL or path the site is served under (overrides site.yaml)")
    common.add_argument("--quiet", action="store_true", help="print only errors")
    top = argparse.ArgumentParser(prog="build.py", description="Build the Talent Atlas site.", parents=[common])
    commands = top.add_subparsers(dest="command")
    commands.add_parser("build", parents=[common], help="validate and build the site (the default)")
    commands.add_parser("check", parents=[common], help="validate the content and write nothing")
    return top


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "check":
            graph = load(args.content, args.as_of, args.base_url)
            if not args.quiet:
                site = graph.site
                print(f"ok: {len(site.companies)} companies, {len(site.people)} people, "
                      f"{len(site.models)} models, {len(site.claims)} claims")
            return 0
        report = run(args.content, args.out, as_of=args.as_of, base_url=args.base_url)
    except ContentError as err:
        for problem in err.problems:
            print(_relative(args.content, str(problem)), file=sys.stderr)
        print(f"{len(err.problems)} problem{'s' if len(err.problems) != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except (TemplateError, OutputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"built {report.pages} pages into {args.out} in {report.seconds:.2f}s")
    return 0


def _relative(content_dir: Path, message: str) -> str:
    """Prefix paths with the content folder as given, so editors can jump to them."""
    shown = os.path.relpath(content_dir)
    if shown.startswith(".."):
        shown = str(content_dir)
    return f"{Path(shown).as_posix().rstrip('/')}/{message}"
