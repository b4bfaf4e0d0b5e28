"""Parallel rendering: forked workers produce the same bytes, in the same order, as one process."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from atlas.speed import parallel
from atlas.build import run
from conftest import SEED

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini" / "content"
DEFAULT_CONTENT = SEED

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parallel rendering forks, on Linux only")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@linux_only
@pytest.mark.parametrize("content", [MINI, DEFAULT_CONTENT], ids=["mini", "default"])
def test_parallel_build_is_byte_identical_to_a_serial_one(tmp_path: Path, content: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK", 3)  # several chunks even on a small site, so order matters
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # fork even if a test left a thread
    run(content, tmp_path / "serial", jobs=1)
    report = run(content, tmp_path / "parallel", jobs=2)
    serial, forked = tree(tmp_path / "serial"), tree(tmp_path / "parallel")
    assert sorted(serial) == sorted(forked)
    assert [k for k in serial if serial[k] != forked[k]] == []
    assert report.pages == len([k for k in forked if not k.startswith("static/") and not k.startswith(".talent")])


@linux_only
def test_fork_map_keeps_page_order_with_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.build import load
    from atlas.site.pages import plan_pages
    from atlas.site.render import make_env
    from atlas.compute.summaries import index_moves
    from atlas.site.urls import Urls
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel, "IN_FLIGHT", 1)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    graph = load(DEFAULT_CONTENT)
    pages = plan_pages(graph, index_moves(graph, graph.site.config.as_of))
    env = make_env(HERE.parent / "templates", graph.site, Urls(graph.site.config.base_url))
    from atlas.site.render import render_page
    parallel.compile_templates(env, pages)
    results = parallel.fork_map(lambda i: (pages[i].out_path, render_page(env, pages[i])), len(pages), jobs=2)
    paths = [path for _, (path, _) in results]
    assert paths == [p.out_path for p in pages]


@linux_only
@pytest.mark.parametrize("jobs", [2, 3])
def test_fork_map_here_shares_the_tasks_with_this_process(monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    import os
    import time
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)

    def task(i: int) -> tuple[int, int]:
        time.sleep(0.002)  # long enough that the workers fall behind and this process takes chunks
        return i * i, os.getpid()

    results = list(parallel.fork_map(task, 400, jobs, chunk=4, ordered=False, here=True))
    assert sorted(i for i, _ in results) == list(range(400))
    assert all(value == i * i for i, (value, _) in results)
    pids = {pid for _, (_, pid) in results}
    assert os.getpid() in pids and len(pids) == jobs  # this process and jobs - 1 workers


@linux_only
@pytest.mark.parametrize("how, failing", [
    ("fork_map", 0), ("fork_map", 399),  # the first chunk goes to a worker; a late one to either
    ("fork_split", 0), ("fork_split", 5), ("fork_split", 399),  # this process's chunk, a child's, a late one
])
def test_a_task_error_is_raised_wherever_it_ran(monkeypatch: pytest.MonkeyPatch, how: str, failing: int) -> None:
    import os
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    forked, fork = [], os.fork

    def recorded_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded_fork)

    def task(i: int) -> int:
        if i == failing:
            raise ValueError(f"task {i}")
        return i

    with pytest.raises(ValueError, match=f"task {failing}"):
        if how == "fork_map":
            list(parallel.fork_map(task, 400, 2, chunk=4, ordered=False, here=True))
        else:
            list(parallel.fork_split(task, 400, 2, chunk=4))
    assert forked
    for pid in forked:  # no worker or child left behind: each was reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@linux_only
@pytest.mark.parametrize("jobs", [2, 3])
def test_fork_split_gives_every_result_once_from_every_process(monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    import os
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    big = "x" * 50_000  # a chunk of results larger than a pipe's default 64 KB

    def task(i: int) -> tuple[int, int, str]:
        return i * i, os.getpid(), big

    results = list(parallel.fork_split(task, 203, jobs, chunk=4))
    assert sorted(i for i, _ in results) == list(range(203))
    assert all(value == i * i and text == big for i, (value, _, text) in results)
    pids = {pid for _, (_, pid, _) in results}
    assert os.getpid() in pids and len(pids) == jobs  # this process and jobs - 1 children


@linux_only
def test_fork_split_reports_a_child_that_died(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    parent = os.getpid()

    def task(i: int) -> int:
        if i == 54 and os.getpid() != parent:  # a chunk of the child (52-55)
            os._exit(3)  # killed midway, say by the OOM killer
        return i

    with pytest.raises(RuntimeError, match="died"):
        list(parallel.fork_split(task, 100, 2, chunk=4))


def test_small_sites_and_threaded_processes_render_serially(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parallel.default_jobs(parallel.MIN_PAGES - 1) == 1
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert not parallel.can_fork()
    assert parallel.default_jobs(10 * parallel.MIN_PAGES) == 1


def test_a_template_error_in_a_worker_stops_the_build(tmp_path: Path) -> None:
    import shutil
    from atlas.site.render import TemplateError
    templates = tmp_path / "templates"
    shutil.copytree(HERE.parent / "templates", templates)
    (templates / "404.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ no_such_thing }}\n{% endblock %}\n')
    with pytest.raises(TemplateError, match=r"templates/404.html:3: 'no_such_thing' is undefined"):
        run(MINI, tmp_path / "site", templates_dir=templates, jobs=2)
    assert not (tmp_path / "site").exists()


@linux_only
@pytest.mark.parametrize("content", [MINI, DEFAULT_CONTENT], ids=["mini", "default"])
def test_loading_on_every_core_gives_the_same_site(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atlas.content import folder as content_module
    from atlas.content.folder import load_site
    serial = load_site(content)
    monkeypatch.setattr(content_module, "PARALLEL_FILES", 1)
    monkeypatch.setattr(content_module, "cores", lambda: 2)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(content_module, "LOAD_CHUNK", 2)
    forked = load_site(content)
    assert forked == serial
    assert [p.src_path for p in forked.people.values()] == [p.src_path for p in serial.people.values()]


@linux_only
def test_problems_found_by_workers_are_all_reported_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from atlas.content import folder as content_module
    from atlas.content.folder import load_site
    from atlas.errors import ContentError
    shutil.copytree(MINI, tmp_path / "c")
    people = sorted((tmp_path / "c" / "people").glob("*.yaml"))
    for path in people[:2]:
        path.write_text(path.read_text(encoding="utf-8") + "\nunknown_field: 1\n", encoding="utf-8")
    with pytest.raises(ContentError) as serial:
        load_site(tmp_path / "c")
    monkeypatch.setattr(content_module, "PARALLEL_FILES", 1)
    monkeypatch.setattr(content_module, "cores", lambda: 2)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(content_module, "LOAD_CHUNK", 1)
    with pytest.raises(ContentError) as forked:
        load_site(tmp_path / "c")
    assert [str(p) for p in forked.value.problems] == [str(p) for p in serial.value.problems]
    assert len(serial.value.problems) >= 2


class _Unpicklable(Exception):
    def __reduce__(self):  # type: ignore[override]
        raise TypeError("cannot pickle this")


def _fail(exc: BaseException) -> None:
    raise exc


@linux_only
def test_forked_work_returns_its_result_or_raises_its_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    parent = os.getpid()
    done = parallel.Forked(lambda: (os.getpid(), [1, "two"]))
    pid, value = done.result()
    assert pid != parent and value == [1, "two"]
    assert done.result() == (pid, [1, "two"])  # asked twice: the same answer, no second wait
    with pytest.raises(ValueError, match="bad input"):
        parallel.Forked(lambda: _fail(ValueError("bad input"))).result()
    with pytest.raises(RuntimeError, match="_Unpicklable"):
        parallel.Forked(lambda: _fail(_Unpicklable())).result()


def test_forked_work_runs_here_when_fork_is_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert parallel.Forked(os.getpid).result() == os.getpid()


@linux_only
@pytest.mark.parametrize("maker", ["stints_csv", "atlas_json_chunks"])  # made in two children
def test_an_error_in_the_forked_downloads_stops_the_build_and_keeps_the_old_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, maker: str) -> None:
    from atlas.speed import downloads
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    out = tmp_path / "site"
    run(MINI, out, jobs=1)
    before = tree(out)
    monkeypatch.setattr(downloads, maker, lambda *args: _fail(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        run(MINI, out, jobs=1)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging or temporary folder left


@linux_only
def test_forked_work_can_be_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    started = time.perf_counter()
    work = parallel.Forked(lambda: time.sleep(60))
    work.stop()
    work.stop()  # a second stop does nothing
    assert time.perf_counter() - started < 30
