#!/usr/bin/env python3
"""Time the rebuilds of `build.py serve` after editing one person (run by bench/run.py).

    python bench/serve_edit.py CONTENT --edits 3

Starts the development server (atlas.commands.serve.DevServer, on a free port) on CONTENT, which
builds the site once; then, EDITS times, adds a sentence to one person's bio (bench/edits.py)
and times the server's rebuild. Prints one line per rebuild: its wall seconds. The time the
watcher takes to notice a change (it looks every 0.5 s) is not included. The file is
restored at the end.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from atlas.commands.serve import DevServer  # noqa: E402
from atlas.speed.inputs import default_cache_dir  # noqa: E402
from edits import bio  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args(argv)
    messages: list[str] = []
    # As `build.py serve` runs: the HTTP server and the watcher threads started (with
    # threads running, builds do not fork). The watcher waits an hour between looks, so
    # the rebuilds timed here are the only ones.
    server = DevServer(args.content, port=0, cache_dir=default_cache_dir(), log=messages.append, interval=3600)
    server.start()
    edited: tuple[Path, bytes] | None = None
    try:
        for i in range(args.edits):
            if edited is not None:
                edited[0].write_bytes(edited[1])
            edited = bio(args.content, i + 1)
            started = time.perf_counter()
            server.build()
            seconds = time.perf_counter() - started
            if server.state.error:
                raise SystemExit(f"rebuild failed: {server.state.error}")
            print(f"{seconds:.4f}", flush=True)
    finally:
        if edited is not None:
            edited[0].write_bytes(edited[1])
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
