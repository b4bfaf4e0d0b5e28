"""Bring the previous build in the output folder up to date, touching only what changed.

The files that differ are first written into a staging folder beside it: a build that
fails leaves the output as it was. Then, when they are few, they are moved in one by one
with Ctrl-C and SIGTERM held off, under an undo journal: a build killed midway leaves the
journal, and the next build first puts the previous site back (`recover`). When many
change, or where files cannot be hard-linked, a new folder is made of links to the
unchanged files and the new ones, and swapped in whole. Files that do not change keep
their modification time.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import signal
import stat
import tempfile
import threading
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from atlas.site.write import MARKER, check_path, check_out_dir, marker, remove_leftovers, static_files, swap

JOURNAL = "journal.json"


def update_site(out_dir: Path, made: Iterable[tuple[str, bytes]], kept: Iterable[str], static: Sequence[Path],
                existing: Iterable[str], note: str = "") -> int:
    """Write the made files (path in the site, bytes) that differ from those in out_dir,
    keep the `kept` ones as they are, and delete every other file of `existing` (what
    files_under() found in out_dir). The number of files of the site (static/ not counted)."""
    check_out_dir(out_dir)
    root = str(out_dir)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    moves: dict[str, str] = {}  # path in the site -> its new bytes, staged
    site: set[str] = set(kept)  # every file of the new build
    blocked = False  # a file goes where a folder is, or under a file: only a swap undoes that
    try:
        for rel, data in itertools.chain(static_files(static), made):
            check_path(rel)
            site.add(rel)
            target = os.path.join(root, rel)
            if _regular(target, len(data)) and Path(target).read_bytes() == data:
                continue  # unchanged: it keeps its modification time
            moves[rel] = staged = os.path.join(stage, str(len(moves)))
            Path(staged).write_bytes(data)
            blocked = blocked or _blocked(root, target)
        count = sum(1 for rel in site if not rel.startswith("static/"))
        site.add(MARKER)
        gone = sorted(rel for rel in existing if rel not in site)
        few = 10 * (len(moves) + len(gone)) <= len(site)
        if blocked or not few or not _commit_in_place(out_dir, moves, gone, marker(note), stage):
            _commit_by_swap(out_dir, site, moves, marker(note))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return count


def files_under(root: str) -> list[str]:
    """The files (and links) under root, by path relative to it."""
    found: list[str] = []

    def scan(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    scan(entry.path, prefix + entry.name + "/")
                else:
                    found.append(prefix + entry.name)

    if os.path.isdir(root):
        scan(root, "")
    return found


def _blocked(root: str, target: str) -> bool:
    """Is target a folder, or is a folder on its way a file or a link (put there by hand)?"""
    if os.path.isdir(target) and not os.path.islink(target):
        return True
    folder = os.path.dirname(target)
    while folder != root:
        if os.path.islink(folder) or (os.path.lexists(folder) and not os.path.isdir(folder)):
            return True
        folder = os.path.dirname(folder)
    return False


def _commit_in_place(out_dir: Path, moves: dict[str, str], gone: list[str], new_marker: bytes, scratch: Path) -> bool:
    """Move the staged files into out_dir and delete the gone ones, as one undoable step.

    Every file about to be replaced or deleted is first hard-linked into an undo folder
    beside out_dir, with a journal of what was where. If this process stops midway, by an
    error or by Ctrl-C, it puts everything back; if it is killed, the next build does
    (recover). While files move, the marker names no build, so a folder left midway is
    never taken for a finished one. False, with nothing changed, where files cannot be
    hard-linked."""
    root = str(out_dir)
    undo = tempfile.mkdtemp(prefix=f".{out_dir.name}.undo-", dir=out_dir.parent)
    try:
        journal = []
        for i, rel in enumerate([MARKER, *moves, *gone]):
            target = os.path.join(root, rel)
            if os.path.lexists(target):
                _link(target, os.path.join(undo, str(i)))
                journal.append((rel, str(i)))
            else:
                journal.append((rel, None))
        _write_atomic(os.path.join(undo, JOURNAL), json.dumps(journal).encode("utf-8"), Path(undo))
    except OSError:  # no hard links on this file system
        shutil.rmtree(undo, ignore_errors=True)
        return False
    with signals_held():
        try:
            _write_atomic(os.path.join(root, MARKER), marker(), scratch)
            for rel, staged in moves.items():
                target = os.path.join(root, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(staged, target)
            _remove_files(root, gone)
            os.unlink(os.path.join(undo, JOURNAL))  # done: from here on, nothing is undone
        except BaseException:
            _undo(root, undo)
            raise
        _write_atomic(os.path.join(root, MARKER), new_marker, scratch)
    shutil.rmtree(undo, ignore_errors=True)
    return True


def _link(path: str, to: str) -> None:
    """Hard-link path (a link itself, not what it points to, where the system can say so)."""
    if os.link in os.supports_follow_symlinks:
        os.link(path, to, follow_symlinks=False)
    else:
        os.link(path, to)


def _undo(root: str, undo: str) -> None:
    """Put back what an update in place had changed, from its undo folder; then remove it."""
    try:
        with open(os.path.join(undo, JOURNAL), "rb") as handle:
            journal = json.load(handle)
    except FileNotFoundError:
        journal = []  # stopped before the journal was complete, so before anything moved
    except ValueError:
        journal = []  # damaged: nothing can be put back, but the marker names no build, so the next one starts afresh
    if not (isinstance(journal, list) and all(isinstance(e, list) and len(e) == 2 and isinstance(e[0], str)
                                              and isinstance(e[1], (str, type(None))) for e in journal)):
        journal = []
    for rel, backup in reversed(journal):
        check_path(rel)
        target = os.path.join(root, rel)
        if backup is None:
            _remove_files(root, [rel])  # new in this update
        else:
            with contextlib.suppress(FileNotFoundError):  # already put back
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(os.path.join(undo, backup), target)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(undo, JOURNAL))
    shutil.rmtree(undo, ignore_errors=True)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done: moving the files of one update
    takes milliseconds, and only a hard kill can then stop it midway. Only in a process of
    one thread (the command line; POSIX), as the system gives a signal to any thread that
    does not block it."""
    if not hasattr(signal, "pthread_sigmask") or threading.active_count() > 1:
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _commit_by_swap(out_dir: Path, site: set[str], moves: dict[str, str], new_marker: bytes) -> None:
    """A new folder of the staged files and links to the unchanged ones, swapped in whole."""
    new = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for rel in sorted(site):
            if rel == MARKER:
                continue
            target = new / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            staged = moves.get(rel)
            if staged is not None:
                os.replace(staged, target)
                continue
            try:
                os.link(out_dir / rel, target)
            except OSError:
                shutil.copy2(out_dir / rel, target)  # no hard links here (another file system, Windows shares)
        (new / MARKER).write_bytes(new_marker)
        new.chmod(0o755)
        swap(new, out_dir)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def _write_atomic(path: str, data: bytes, scratch: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=scratch)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _remove_files(root: str, gone: Iterable[str]) -> None:
    """Delete these files of the previous build, and the folders they leave empty."""
    for rel in gone:
        path = os.path.join(root, rel)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        folder = os.path.dirname(path)
        while folder != root:
            try:
                os.rmdir(folder)  # fails when not empty
            except OSError:
                break
            folder = os.path.dirname(folder)


def _regular(path: str, size: int | None = None) -> bool:
    """Is path a regular file (not a link), of `size` bytes if given?"""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (size is None or info.st_size == size)


def recover(out_dir: Path) -> None:
    """Undo an update in place that was killed midway, and delete the temporary folders
    of a killed build."""
    for path in sorted(out_dir.parent.glob(f".{out_dir.name}.undo-*")):
        if path.is_dir() and not path.is_symlink():
            _undo(str(out_dir), str(path))
    remove_leftovers(out_dir)
