"""Work on every core: forked children inherit what is loaded, so only task numbers go
out and results come back.

`fork_map` gives each child a fixed share of the tasks (every jobs-th chunk) and runs a
share itself; each child streams its results, pickled a chunk at a time, through its
own pipe, and this process reads whatever has come between its own chunks. No pool and
no threads: a pool's threads compete with this process for the interpreter to read
results off their pipes. Where fork is not available or not safe (other threads
running), or there is little work, the tasks run here.
"""
from __future__ import annotations

import gc
import itertools
import os
import pickle
import select
import signal
import sys
import threading
from typing import Any, Callable, Iterator

CHUNK = 16  # tasks per message
MIN_TASKS = 400  # below this, forking costs more than it saves


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork only on Linux, from a process with no other thread (a thread may hold a lock the child needs)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def default_jobs(tasks: int) -> int:
    return cores() if tasks >= MIN_TASKS and can_fork() else 1


def fork_map(task: Callable[[int], Any], count: int, jobs: int, chunk: int = CHUNK,
             here: bool = True) -> Iterator[tuple[int, Any]]:
    """Yield (i, task(i)) for i in range(count), in no fixed order, from `jobs` processes:
    this one and jobs - 1 forked children; or, without `here`, `jobs` children while
    this process only takes their results in (when what it does with each result is
    work enough). An exception in a task is raised here; a child that dies is an error."""
    workers = min(jobs, -(-count // chunk)) if count else 1
    if workers <= 1 or not can_fork():
        for i in range(count):
            yield i, task(i)
        return
    shares = workers if here else workers + 1  # share 0 is this process's, empty without `here`

    def share(k: int) -> Iterator[int]:
        if k == 0 and not here:
            return
        first_chunk = k if here else k - 1
        for first in range(first_chunk * chunk, count, workers * chunk):
            yield from range(first, min(first + chunk, count))

    children: dict[int, list[Any]] = {}  # read end -> [pid, bytes received, results still to come]
    try:
        gc.freeze()  # the children's collectors then leave the inherited objects alone (no copy on write)
        try:
            for k in range(1, shares):
                read, write = os.pipe()
                _widen(write)
                pid = os.fork()
                if pid == 0:  # a child: never returns
                    os.close(read)
                    for other in children:
                        os.close(other)
                    _serve(write, task, share(k), chunk)
                os.close(write)
                children[read] = [pid, bytearray(), sum(1 for _ in share(k))]
        finally:
            gc.unfreeze()
        mine = iter(share(0))
        while True:
            done = [(i, task(i)) for i in itertools.islice(mine, chunk)]
            yield from done
            if not done and not children:
                return
            for read in select.select(list(children), [], [], 0 if done else None)[0]:
                yield from _received(read, children)
    finally:
        for read, (pid, _, _) in children.items():  # only after an error: a child still running
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)


def _widen(pipe: int) -> None:
    """Let a pipe hold a megabyte, not 64 KB, so that a child seldom waits for this process."""
    try:
        import fcntl

        fcntl.fcntl(pipe, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass


def _serve(pipe: int, task: Callable[[int], Any], indexes: Iterator[int], chunk: int) -> None:
    """In a forked child: run the tasks, send their results a chunk at a time (a length,
    then a pickle of (ok, [(i, result), ...]) or of (False, the exception)), and exit."""
    status = 0
    try:
        with os.fdopen(pipe, "wb") as out:
            try:
                while True:
                    done = [(i, task(i)) for i in itertools.islice(indexes, chunk)]
                    if not done:
                        break
                    data = pickle.dumps((True, done), protocol=pickle.HIGHEST_PROTOCOL)
                    out.write(len(data).to_bytes(8, "little") + data)
                    out.flush()
            except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
                status = 1
                data = _failure(exc)
                out.write(len(data).to_bytes(8, "little") + data)
    finally:
        # A forked child must not run the parent's exit handlers or flush its buffers
        # (they would write the parent's pending output twice): the documented way out is _exit.
        os._exit(status)


def _received(read: int, children: dict[int, list[Any]]) -> list[tuple[int, Any]]:
    """The results whose bytes have all come from one child; at its end, the child is reaped."""
    child = children[read]
    pid, buffer = child[0], child[1]
    data = os.read(read, 1 << 20)
    buffer += data
    results: list[tuple[int, Any]] = []
    while len(buffer) >= 8 and len(buffer) >= 8 + (size := int.from_bytes(buffer[:8], "little")):
        ok, value = pickle.loads(buffer[8:8 + size])
        del buffer[:8 + size]
        if not ok:
            raise value
        results += value
    child[2] -= len(results)
    if not data:  # the child is done, or died midway
        os.waitpid(pid, 0)
        os.close(read)
        del children[read]
        if child[2]:
            raise RuntimeError("a forked worker died")
    return results


def _failure(exc: BaseException) -> bytes:
    """(False, exc) pickled for the parent to raise; one that does not pickle goes as a RuntimeError."""
    try:
        return pickle.dumps((False, exc))
    except Exception:  # noqa: BLE001 - any failure to pickle
        import traceback

        return pickle.dumps((False, RuntimeError("".join(traceback.format_exception(exc)))))
