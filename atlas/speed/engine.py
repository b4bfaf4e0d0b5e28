"""The build made fast: the plain pipeline (atlas/build.py) with its steps replaced.

    the site        a first build parses every file on every core and keeps each entity;
                    a rebuild parses only the edited files and reads the others lazily
    the graph       a recording graph (record.py): what each file of the site reads is noted
    making          a first build makes every file on every core; a rebuild makes only the
                    files whose recorded facts an edit changed (changes.py, memos.py)
    writing         a fresh folder, or the changed files moved into the previous build (update.py)

What is kept between builds lives in one database per output folder (store.py). A build
whose inputs all equal those of the build in the output folder does nothing.
"""
from __future__ import annotations

import gc
import hashlib
import time
from pathlib import Path

from atlas.build import Options, Report, build
from atlas.speed.cached import Cached, built_from
from atlas.speed.first import Full
from atlas.speed.incremental import Incremental
from atlas.speed.inputs import code_version, input_fingerprint
from atlas.speed.store import open_store


def cached_build(options: Options, cache_dir: Path, jobs: int | None = None) -> Report:
    """Build with the speed layer; the same output as build(options), byte for byte."""
    started = time.perf_counter()
    stamp = input_fingerprint(options.content, options.templates, options.static,
                              [f"as_of={options.as_of}", f"base_url={options.base_url}"])
    if built_from(options.out) == stamp:
        return Report(0, 0, time.perf_counter() - started, unchanged=True)
    name = hashlib.sha256(f"{options.content.resolve()}\0{options.out.resolve()}".encode()).hexdigest()[:16]
    store = open_store(cache_dir / f"build-{name}-{code_version()}.sqlite", f"build-{name}-*")
    old = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)  # millions of objects live to the end: rescanning them finds nothing
    try:
        steps: Cached = Incremental(store, options, stamp, jobs)
        if not steps.possible():
            steps = Full(store, options, stamp, jobs)
        store.begin()
        report = build(options, steps)
        return Report(report.files, report.made, time.perf_counter() - started)
    except BaseException:
        store.rollback()
        raise
    finally:
        gc.set_threshold(*old)
        store.close()

