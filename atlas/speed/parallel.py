"""Work on every core: forked workers inherit the loaded site and the planned pages, so
nothing is pickled but task numbers and the results.

`fork_map` runs numbered tasks in chunks on a pool and yields the results in task order,
or as they finish. At most a few chunks per worker are in flight, so memory stays bounded
while the caller consumes the results. `fork_split` gives each forked child a fixed share
of the chunks and reads their results itself, with no pool and no threads (for tasks
with large results). Where fork is not available (or not safe: other threads
running) or there is little work, tasks run in this process.
"""
from __future__ import annotations

import collections
import gc
import itertools
import os
import queue
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

if TYPE_CHECKING:  # only stdlib at import time: cache.py and content.py use this module early
    import jinja2

    from atlas.site.pages import Page, Planned

MIN_PAGES = 500  # below this, starting workers costs more than it saves
CHUNK = 16  # pages per task
IN_FLIGHT = 4  # tasks queued per worker

_TASK: Callable[[int], Any] | None = None  # what forked workers inherit


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_jobs(pages: int) -> int:
    """How many workers to use: every usable core, or 1 when parallel rendering does not pay or is unsafe."""
    if pages < MIN_PAGES or not can_fork():
        return 1
    return max(1, cores())


def can_fork() -> bool:
    """Fork only on Linux, from a process with no other thread (a thread may hold a lock the child needs)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def fork_map(task: Callable[[int], Any], count: int, jobs: int, chunk: int = CHUNK,
             ordered: bool = True, here: bool = False) -> Iterator[tuple[int, Any]]:
    """Yield (i, task(i)) for i in range(count): in order, or as they finish when not `ordered`.

    `task` may be any callable (a closure is fine): workers are forked and inherit it. An
    exception in a task is raised here. With `here` (unordered only), this process is one
    of the `jobs`: it runs a chunk itself whenever the workers have enough queued, so its
    share of the results is never pickled (worth it when results are large and the caller
    has little else to do with them).
    """
    if jobs <= 1 or count <= chunk or not can_fork():
        for i in range(count):
            yield i, task(i)
        return
    import multiprocessing  # here, not at the top: the no-op check imports this module

    global _TASK
    _TASK = task
    here = here and not ordered
    workers = jobs - 1 if here else jobs
    gc.freeze()  # keep the collector from touching (and so copying) the inherited objects
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            starts = iter(range(0, count, chunk))
            limit = workers * IN_FLIGHT
            if ordered:
                pending: collections.deque = collections.deque()
                for start in starts:
                    pending.append(pool.apply_async(_run_chunk, (start, min(start + chunk, count))))
                    if len(pending) >= limit:
                        yield from pending.popleft().get()
                while pending:
                    yield from pending.popleft().get()
                return
            done: queue.SimpleQueue = queue.SimpleQueue()
            in_flight = 0
            for start in starts:
                if here and in_flight >= limit:  # the workers are busy: take this chunk
                    yield from _run_chunk(start, min(start + chunk, count))
                    for item in _finished(done):
                        in_flight -= 1
                        yield from _result(item)
                    continue
                pool.apply_async(_run_chunk, (start, min(start + chunk, count)), callback=done.put, error_callback=done.put)
                in_flight += 1
                if in_flight >= limit and not here:
                    yield from _result(done.get())
                    in_flight -= 1
            for _ in range(in_flight):
                yield from _result(done.get())
    finally:
        _TASK = None
        gc.unfreeze()


def fork_split(task: Callable[[int], Any], count: int, jobs: int, chunk: int = CHUNK) -> Iterator[tuple[int, Any]]:
    """Yield (i, task(i)) for i in range(count), in no fixed order, from `jobs` processes:
    this one and jobs - 1 forked children, each taking every jobs-th chunk of tasks.

    For tasks of about equal cost whose results are large (parsed files): no pool and no
    threads. Each child streams its results, pickled a chunk at a time, through its own
    pipe; this process reads what has come between its own chunks. A pool's threads
    must win the GIL from this process to read a result off its pipe, and its worker
    waited for them (about 1 s of a 3.5 s load at 10,000 files). An exception in a task
    is raised here; a child that dies is an error.
    """
    jobs = min(jobs, -(-count // chunk))
    if jobs <= 1 or not can_fork():
        for i in range(count):
            yield i, task(i)
        return
    import select
    import signal

    def share(k: int) -> Iterator[int]:
        for start in range(k * chunk, count, jobs * chunk):
            yield from range(start, min(start + chunk, count))

    children: dict[int, list[Any]] = {}  # read end -> [pid, bytes received, results still to come]
    try:
        gc.freeze()  # the children's collectors then leave the inherited objects (and their pages) alone
        try:
            for k in range(1, jobs):
                read, write = os.pipe()
                _widen(write)
                pid = os.fork()
                if pid == 0:  # a child: never returns
                    os.close(read)
                    for other in children:
                        os.close(other)
                    _stream(write, task, share(k), chunk)
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
        for read, (pid, _, _) in children.items():  # only after an error: a child still running (or forking failed)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)


def _widen(pipe: int) -> None:
    """Let a pipe hold a megabyte (Linux's limit for users), not 64 KB: a child's chunk of
    results is larger, and it would wait, unable to go on, until this process reads it."""
    import fcntl

    try:
        fcntl.fcntl(pipe, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except OSError:
        pass  # not Linux, or a lower limit: the child only waits more


def _stream(pipe: int, task: Callable[[int], Any], indexes: Iterator[int], chunk: int) -> None:
    """In a forked child: run the tasks, send their results a chunk at a time (each a
    length and a pickle of (ok, [(i, result), ...] or an exception)), and exit."""
    import pickle

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
                    out.flush()  # the parent reads it between its own chunks
            except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
                status = 1
                data = _failure(exc)
                out.write(len(data).to_bytes(8, "little") + data)
    finally:
        os._exit(status)


def _received(read: int, children: dict[int, list[Any]]) -> list[tuple[int, Any]]:
    """The results whose bytes have all come from one child; at its end, the child is reaped."""
    import pickle

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


class Forked:
    """Run fn() in a forked child while this process goes on; `result()` waits for it and
    returns what it returned (pickled back through a pipe), or raises what it raised.

    For work that needs what is loaded but not what is computed next, on a core that
    would otherwise wait. Without fork, fn() runs here, at once.
    """

    def __init__(self, fn: Callable[[], Any]):
        self._pid: int | None = None
        self._value: Any = None
        if not can_fork():
            self._value = fn()
            return
        read, write = os.pipe()
        gc.freeze()  # the child's collector then leaves the inherited objects (and their pages) alone
        pid = os.fork()
        gc.unfreeze()
        if pid == 0:  # the child: never returns
            os.close(read)
            _report(write, fn)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> Any:
        if self._pid is not None:
            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()
            os.waitpid(self._pid, 0)
            self._pid = None
            import pickle

            ok, value = pickle.loads(data) if data else (False, RuntimeError("a forked worker died"))
            if not ok:
                raise value
            self._value = value
        return self._value

    def stop(self) -> None:
        """End the child if it is still running (the caller failed and will not ask for the result)."""
        if self._pid is not None:
            import signal

            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._read)
            self._pid = None


def _report(pipe: int, fn: Callable[[], Any]) -> None:
    """In a forked child: run fn, send (ok, value or exception) to the parent, and exit."""
    import pickle

    status = 0
    try:
        try:
            payload = pickle.dumps((True, fn()))
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
            status = 1
            payload = _failure(exc)
        with os.fdopen(pipe, "wb") as out:
            out.write(payload)
    finally:
        os._exit(status)


def _failure(exc: BaseException) -> bytes:
    """(False, exc) pickled for the parent to raise; an exception that does not pickle
    goes as a RuntimeError with its traceback."""
    import pickle

    try:
        return pickle.dumps((False, exc))
    except Exception:  # noqa: BLE001 - any failure to pickle
        import traceback

        return pickle.dumps((False, RuntimeError("".join(traceback.format_exception(exc)))))


def _finished(done: queue.SimpleQueue) -> list[Any]:  # type: ignore[type-arg]
    """The chunks' results (or errors) that have come back, without waiting for more."""
    items = []
    while True:
        try:
            items.append(done.get_nowait())
        except queue.Empty:
            return items


def _result(item: Any) -> list[tuple[int, Any]]:
    if isinstance(item, BaseException):
        raise item
    return item


def _run_chunk(start: int, stop: int) -> list[tuple[int, Any]]:
    """In a worker: run tasks start..stop-1."""
    assert _TASK is not None, "workers must be forked from fork_map"
    return [(i, _TASK(i)) for i in range(start, stop)]


def compile_templates(env: jinja2.Environment, pages: Sequence[Page | Planned]) -> None:
    """Compile every template the pages use, before forking, so workers do not each do it."""
    for name in sorted({p.template for p in pages if p.template}):  # "": a kept page, known by its path only
        env.get_template(name)
