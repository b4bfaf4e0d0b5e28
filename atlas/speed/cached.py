"""What first builds (first.py) and rebuilds (incremental.py) share: the recording graph
and its views, compiled templates kept on disk, making files with what each read noted,
keeping it all in the store, and the marker that ties an output folder to its build."""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import jinja2

from atlas.build import Options, Steps
from atlas.site.outputs import Output
from atlas.site.write import MARKER, write_file
from atlas.speed.ids import Ids
from atlas.speed.inputs import code_version
from atlas.speed.memos import Memos
from atlas.speed.record import Recorder, RecordingGraph
from atlas.speed.store import Store, pack
from atlas.speed.workers import default_jobs, fork_map


def built_from(out_dir: Path) -> str | None:
    """The input fingerprint of the build in out_dir, if its marker records one."""
    return _marker_line(out_dir, "inputs")


def marker_note(stamp: str, build_id: str) -> str:
    return f"inputs {stamp}\nbuild {build_id}"


def build_id(out_dir: Path) -> str | None:
    """Which build of the store the output folder holds, as its marker says."""
    return _marker_line(out_dir, "build")


def _marker_line(out_dir: Path, name: str) -> str | None:
    """The value of the `name value` line of the output folder's marker (marker_note)."""
    try:
        lines = (out_dir / MARKER).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((line.split(" ", 1)[1] for line in lines if line.startswith(name + " ")), None)


class Cached(Steps):
    """What first builds and rebuilds share: the recording graph, its memos, compiled
    templates kept on disk, and making files with what each read noted."""

    def __init__(self, store: Store, options: Options, stamp: str, jobs: int | None):
        self.store, self.options, self.stamp, self.jobs = store, options, stamp, jobs
        self.recorder = Recorder()
        self.ids: Ids = Ids()
        self.graph_: RecordingGraph | None = None
        self.memos: Memos | None = None
        self.facts: dict[str, bytes] = {}  # path in the site -> what it was made from, packed
        self.memo_rows: dict[int, tuple[int, str, bytes, bytes, bytes]] = {}  # views made by workers
        self.build_id = os.urandom(8).hex()
        self.count_made = 0

    def templates(self) -> jinja2.BytecodeCache | None:
        """Compiled templates, kept beside the store (Jinja compiles a template again when
        its source changed); those of other versions of the code are removed."""
        folder = self.store.path.parent / f"templates-{code_version()}"
        for old in self.store.path.parent.glob("templates-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(folder))

    def recorded(self, outputs: Sequence[Output], make: Callable[[Output], bytes],
                 into: Path | None = None) -> Iterator[tuple[str, bytes | None]]:
        """Make each output, noting what it read; on every core when there are many. With
        `into`, each process writes the files it makes into that folder itself (and None
        stands for their bytes), so that no page travels through a pipe."""
        memos = self.memos
        assert memos is not None
        memos.take_fresh()  # those made so far are this process's, kept by save()

        def task(i: int) -> tuple[str, bytes | None, bytes, list[tuple[int, str, bytes, bytes, bytes]]]:
            output = outputs[i]
            with self.recorder.frame() as deps:
                data: bytes | None = make(output)
            if into is not None:
                write_file(into, output.path, data)  # type: ignore[arg-type]
                data = None
            return output.path, data, pack(deps), [self.memo_row(key) for key in memos.take_fresh()]

        jobs = default_jobs(len(outputs)) if self.jobs is None else self.jobs
        # The workers make the files; this process takes in what they read and keeps it.
        for _, (path, data, facts, rows) in fork_map(task, len(outputs), jobs, here=into is None):
            self.facts[path] = facts
            for row in rows:
                self.memo_rows.setdefault(row[0], row)
            self.count_made += 1
            yield path, data

    def memo_row(self, key: Any) -> tuple[int, str, bytes, bytes, bytes]:
        """A view made in this process, as the store keeps it."""
        assert self.memos is not None
        return (self.ids.memo(key), key[0], pickle.dumps(key), pack(self.memos.made[key].deps),
                self.memos.kept(key))

    def made(self) -> int | None:
        return self.count_made

    def all_memo_rows(self) -> None:
        """The views made in this process (before forking, or for its own share)."""
        assert self.memos is not None
        for key in self.memos.made:
            if self.ids.memo(key) not in self.memo_rows:
                row = self.memo_row(key)
                self.memo_rows[row[0]] = row

    def save(self) -> None:
        """Keep what the next build needs, and the numbers given to entities and views."""
        self.all_memo_rows()
        self.store.put_memos(self.memo_rows.values())
        self.store.put_outputs(self.facts.items())
        self.store.put("key", self.key)
        self.store.put("build", self.build_id)
        self.store.put("version", code_version())
        self.store.commit()

    key = ""  # site_key() of this build



def stat_of(path: str) -> tuple[int, ...]:
    """What tells a file changed without reading it (as git's index does): inode, size,
    modification and change times, and whether that look can be trusted: a file changed
    again within the clock's resolution of the look keeps its times, so a look within 2 s
    of the last change is not."""
    info = os.stat(path)
    trusted = info.st_mtime_ns < time.time_ns() - 2_000_000_000
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, int(trusted))


def content_hash(src_path: str, data: bytes) -> str:
    return hashlib.sha256(src_path.encode() + b"\0" + data).hexdigest()
