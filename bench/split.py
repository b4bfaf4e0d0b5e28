#!/usr/bin/env python3
"""Run `build.py` with part of the page rendering left out, to see what the rest costs.

    python bench/split.py templates -- --content C --out O --quiet
    python bench/split.py pages -- --content C --out O --quiet

`templates`: every page's context is computed (summaries, charts, flow diagrams), but no
page template is run; each page's file is written empty. `pages`: not even the entity
pages' contexts are computed. Everything else runs as in a full build: loading and
checking, moves, the whole-site pages' contexts, downloads, feeds, caches and writes (and
compiling the templates, about 0.2 s).
bench/run.py --split times both beside the full build; nothing else uses this script.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import atlas.build  # noqa: E402  # after the path: the checkout's package, as build.py uses
import atlas.commands.cli  # noqa: E402

MODES = {
    # build.all_files calls render_page(env, planned) for each page it must make.
    "templates": lambda env, planned: (planned.page(), "")[1],
    "pages": lambda env, planned: "",
}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in MODES or argv[1] != "--":
        print(f"usage: split.py {{{','.join(MODES)}}} -- BUILD_ARGS...", file=sys.stderr)
        return 2
    atlas.build.render_page = MODES[argv[0]]  # type: ignore[assignment]
    return atlas.commands.cli.main(argv[2:], exiting=True)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # as build.py ends: the build's objects are left to the system
