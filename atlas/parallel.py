"""Render pages on every core: forked workers inherit the planned pages, nothing is pickled
but page numbers and the rendered bytes.

Results come back in page order, whatever the number of workers, so the output is
byte-identical to a serial build. At most a few chunks per worker are in flight, so memory
stays bounded while the writer consumes the results. Where fork is not available (or not
safe: other threads running) or there are few pages, pages are rendered in this process.
"""
from __future__ import annotations

import collections
import gc
import multiprocessing
import os
import sys
import threading
from typing import Iterator, Sequence

import jinja2

from .pages import Page, Planned
from .render import render_page

MIN_PAGES = 500  # below this, starting workers costs more than it saves
CHUNK = 16  # pages per task
IN_FLIGHT = 4  # tasks queued per worker

_STATE: tuple[jinja2.Environment, Sequence[Page | Planned]] | None = None  # what forked workers inherit


def default_jobs(pages: int) -> int:
    """How many workers to use: every usable core, or 1 when parallel rendering does not pay or is unsafe."""
    if pages < MIN_PAGES or not can_fork():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


def can_fork() -> bool:
    """Fork only on Linux, from a process with no other thread (a thread may hold a lock the child needs)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def render_all(env: jinja2.Environment, pages: Sequence[Page | Planned], jobs: int | None = None) -> Iterator[tuple[str, bytes]]:
    """Yield (out_path, bytes) for every page, in page order; `jobs` None: default_jobs()."""
    jobs = default_jobs(len(pages)) if jobs is None else jobs
    if jobs <= 1 or not can_fork():
        for page in pages:
            yield page.out_path, render_page(env, page).encode("utf-8")
        return
    yield from _forked(env, pages, jobs)


def _forked(env: jinja2.Environment, pages: Sequence[Page | Planned], jobs: int) -> Iterator[tuple[str, bytes]]:
    global _STATE
    for name in sorted({p.template for p in pages}):
        env.get_template(name)  # compile once, before the fork
    _STATE = (env, pages)
    gc.freeze()  # keep the collector from touching (and so copying) the inherited objects
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            chunks = iter(range(0, len(pages), CHUNK))
            pending: collections.deque = collections.deque()
            for start in chunks:
                pending.append(pool.apply_async(_render_chunk, (start,)))
                if len(pending) >= jobs * IN_FLIGHT:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
    finally:
        _STATE = None
        gc.unfreeze()


def _render_chunk(start: int) -> list[tuple[str, bytes]]:
    """In a worker: render pages[start:start + CHUNK]."""
    assert _STATE is not None, "workers must be forked from render_all"
    env, pages = _STATE
    return [(p.out_path, render_page(env, p).encode("utf-8")) for p in pages[start:start + CHUNK]]
