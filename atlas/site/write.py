"""Write the site: into a fresh folder, then swapped in whole."""
from __future__ import annotations

import contextlib
import ctypes
import filecmp
import json
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator

from atlas.fileio import read_bytes, write_bytes

MARKER = ".talent-atlas"  # marks a folder as our output, so we never replace anything else


class OutputError(Exception):
    """The output folder cannot be written safely."""


class Staged:
    """A file already written to a staging path (on the output's file system) by a worker,
    so that its bytes never travel through memory or a pipe; the writer moves it in place."""

    def __init__(self, path: str):
        self.path = path


class Kept:
    """A file to keep as it is in the previous build; `make()` gives its bytes if that fails."""

    def __init__(self, make: Callable[[], bytes]):
        self.make = make


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace a non-empty folder that is not a previous build."""
    if out_dir.is_symlink():
        raise OutputError(f"{out_dir} is a symbolic link; give the real folder")
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MARKER).exists())):
        raise OutputError(f"{out_dir} exists and is not a Talent Atlas build; refusing to replace it (remove it or choose another --out)")


def safe_join(root: Path, rel: str) -> Path:
    """Join a relative output path to root, refusing anything that escapes it."""
    return Path(_safe_join(str(root), rel))


def _safe_join(root: str, rel: str) -> str:
    _check(rel)
    return os.path.join(root, rel)


def _check(rel: str) -> None:
    """Refuse an output path that would leave the output folder."""
    if rel.startswith(("/", "\\")) or "\\" in rel or (".." in rel and ".." in rel.split("/")):
        raise OutputError(f"output path '{rel}' would leave the output folder")


def built_from(out_dir: Path) -> str | None:
    """The fingerprint of the inputs of the build in out_dir, if it recorded one."""
    try:
        lines = (out_dir / MARKER).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((line.split(" ", 1)[1] for line in lines if line.startswith("inputs ")), None)


def _static_files(static_dir: Path | None) -> Iterator[tuple[str, bytes]]:
    """The files of static/, as (path in the site, bytes); links are not followed."""
    if static_dir is not None and static_dir.is_dir():
        for source in sorted(p for p in static_dir.rglob("*") if p.is_file() and not p.is_symlink()):
            yield "static/" + source.relative_to(static_dir).as_posix(), source.read_bytes()


def _put_all(put: Callable[[str, bytes | Kept | Staged], None], files: Iterable[tuple[str, bytes | Kept | Staged]],
             static_dir: Path | None) -> int:
    """Hand static/ and then every file to `put`; the number of files (static/ not counted)."""
    for rel, data in _static_files(static_dir):
        put(rel, data)
    count = 0
    for rel, data in files:
        put(rel, data)
        count += 1
    return count


def _marker(stamp: str | None) -> bytes:
    marker = "This folder is built by build.py, which brings it up to date on every build; do not edit it.\n"
    return (marker + (f"inputs {stamp}\n" if stamp else "")).encode("ascii")


class Manifest:
    """The files of the build in a folder (None: unknown), as known by the long-lived
    process that wrote it or as listed at the start of this build, so that updating it
    in place need not look at every file."""

    def __init__(self, files: set[str] | None = None) -> None:
        self.files = files


def write_site(out_dir: Path, files: Iterable[tuple[str, bytes | Kept | Staged]], static_dir: Path | None,
               stamp: str | None = None, in_place: bool = False, manifest: Manifest | None = None) -> int:
    """Write the site into out_dir; nothing in it changes unless every file has been made.

    A previous build in out_dir is brought up to date (see update_site). Otherwise every
    file is written into a fresh sibling folder, which then takes out_dir's place. A
    `manifest` is told what was written; `in_place` is update_site's."""
    check_out_dir(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    if (out_dir / MARKER).is_file():
        return update_site(out_dir, files, static_dir, stamp, manifest, in_place)
    if manifest is not None:
        manifest.files = None
    place = _Placer(out_dir)
    try:
        count = _put_all(place, files, static_dir)
        place.swap_in(_marker(stamp))
    except BaseException:
        place.discard()
        raise
    if manifest is not None:
        manifest.files = place.placed
    return count


def update_site(out_dir: Path, files: Iterable[tuple[str, bytes | Kept | Staged]], static_dir: Path | None,
                stamp: str | None = None, manifest: Manifest | None = None, in_place: bool = False) -> int:
    """Bring the previous build in out_dir up to date; unchanged files are not rewritten.

    The files that differ are first made in a staging folder beside it: a build that fails
    leaves out_dir as it was. Then, when they are few (a tenth of the files at most, or
    always with in_place), they are moved in one by one, with Ctrl-C and SIGTERM held off,
    under an undo journal (see _commit_in_place). When more change, a new folder is made of
    links to the unchanged files and the new ones, and swapped in whole, so that a site
    served from out_dir never shows old and new pages side by side for long.
    With a `manifest` that knows the folder's files, kept files are not looked at and the
    files to delete are found without walking the folder."""
    root = str(out_dir)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    moves: dict[str, str] = {}  # path in the site -> its new bytes, staged
    made: list[str] = []
    blocked = False  # a file goes where a folder is, or under a file: only a swap undoes that
    known = manifest.files if manifest is not None else None
    if manifest is not None:
        manifest.files = None  # unknown until this update is done

    def put(rel: str, data: bytes | Kept | Staged) -> None:
        nonlocal blocked
        _check(rel)
        made.append(rel)
        if isinstance(data, Kept) and known is not None and rel in known:
            return  # nearly every file after one edit: not even its path is made
        target = os.path.join(root, rel)
        if isinstance(data, Kept):
            if known is None and _regular(target):
                return
            data = data.make()  # gone from the previous build
        if isinstance(data, Staged):
            try:
                if _regular(target) and filecmp.cmp(target, data.path, shallow=False):
                    os.unlink(data.path)  # unchanged
                    return
            except OSError:
                pass
            moves[rel] = data.path
        else:
            if _regular(target, len(data)) and read_bytes(target) == data:
                return
            moves[rel] = staged = os.path.join(stage, str(len(moves)))
            write_bytes(staged, data)
        blocked = blocked or _blocked(root, target)

    try:
        count = _put_all(put, files, static_dir)
        made.append(MARKER)
        done = set(made)
        gone = sorted((known - done) if known is not None else (rel for rel in _files(root) if rel not in done))
        few = in_place or 10 * (len(moves) + len(gone)) <= len(made)
        if blocked or not few or not _commit_in_place(out_dir, moves, gone, _marker(stamp), stage):
            _commit_by_swap(out_dir, made, moves, _marker(stamp))
        if manifest is not None:
            manifest.files = done
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return count


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


def listing(out_dir: Path) -> set[str] | None:
    """The files (and links) of the build in out_dir, by path in the site; None when out_dir
    holds no build. A build may list them on another core while it computes, and give them
    to write_site as a Manifest: update_site then neither walks the folder nor looks at
    each kept file."""
    if not (out_dir / MARKER).is_file():
        return None
    return set(_files(str(out_dir)))


def _files(root: str) -> list[str]:
    """The files (and links) under root, by path relative to it."""
    found: list[str] = []

    def scan(folder: str, prefix: str) -> None:  # os.walk, without its cost per folder (13,000 here)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    scan(entry.path, prefix + entry.name + "/")
                else:
                    found.append(prefix + entry.name)

    scan(root, "")
    return found


def _commit_in_place(out_dir: Path, moves: dict[str, str], gone: list[str], marker: bytes, scratch: Path) -> bool:
    """Move the staged files into out_dir and delete the gone ones, as one undoable step.

    Every file about to be replaced or deleted is first hard-linked into an undo folder
    beside out_dir, with a journal of what was where. If this process stops midway, by an
    error or by Ctrl-C, it puts everything back; if it is killed, the next build does
    (recover). While files move, the marker names no inputs, so a folder left
    midway is never taken for a finished build. The journal is deleted once every file
    is in place: that is when the update counts as done. False, with nothing changed,
    where files cannot be hard-linked."""
    root = str(out_dir)
    undo = tempfile.mkdtemp(prefix=f".{out_dir.name}.undo-", dir=out_dir.parent)
    try:
        journal = []
        for i, rel in enumerate([MARKER, *moves, *gone]):
            target = _safe_join(root, rel)
            if os.path.lexists(target):
                _link(target, os.path.join(undo, str(i)))
                journal.append((rel, str(i)))
            else:
                journal.append((rel, None))
        _write_atomic(os.path.join(undo, JOURNAL), json.dumps(journal).encode("utf-8"), Path(undo))
    except OSError:  # no hard links on this file system
        shutil.rmtree(undo, ignore_errors=True)
        return False
    with _signals_held():
        try:
            _write_atomic(os.path.join(root, MARKER), _marker(None), scratch)
            for rel, staged in moves.items():
                target = _safe_join(root, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(staged, target)
            _remove_files(root, gone)
            os.unlink(os.path.join(undo, JOURNAL))  # done: from here on, nothing is undone
        except BaseException:
            _undo(root, undo)
            raise
        _write_atomic(os.path.join(root, MARKER), marker, scratch)
    shutil.rmtree(undo, ignore_errors=True)
    return True


JOURNAL = "journal.json"


def _link(path: str, to: str) -> None:
    """Hard-link path (a link itself, not what it points to, where the system can say so)."""
    if os.link in os.supports_follow_symlinks:
        os.link(path, to, follow_symlinks=False)
    else:
        os.link(path, to)  # Windows, where links in a built site are rarer still


def _undo(root: str, undo: str) -> None:
    """Put back what an update in place had changed, from its undo folder; then remove it."""
    try:
        with open(os.path.join(undo, JOURNAL), "rb") as handle:
            journal = json.load(handle)
    except FileNotFoundError:
        journal = []  # stopped before the journal was complete, so before anything moved
    except ValueError:
        journal = []  # damaged: nothing can be put back, but the marker names no inputs, so the next build compares every file
    if not (isinstance(journal, list) and all(isinstance(e, list) and len(e) == 2 and isinstance(e[0], str)
                                              and isinstance(e[1], (str, type(None))) for e in journal)):
        journal = []
    for rel, backup in reversed(journal):
        target = _safe_join(root, rel)
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
def _signals_held() -> Iterator[None]:
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


def _commit_by_swap(out_dir: Path, made: list[str], moves: dict[str, str], marker: bytes) -> None:
    """A new folder of the staged files and links to the unchanged ones, swapped in whole."""
    place = _Placer(out_dir)
    try:
        for rel in made:
            staged = moves.get(rel)
            if staged is not None:
                place(rel, Staged(staged))
            elif rel != MARKER:
                place.link(rel, _safe_join(str(out_dir), rel))
        place.swap_in(marker)
    except BaseException:
        place.discard()
        raise


def _write_atomic(path: str, data: bytes, scratch: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=scratch)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _remove_files(root: str, gone: Iterable[str]) -> None:
    """Delete these files of the previous build, and the folders they leave empty."""
    for rel in gone:
        path = _safe_join(root, rel)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        folder = os.path.dirname(path)
        while folder != root:
            try:
                os.rmdir(folder)  # fails when not empty
            except OSError:
                break
            folder = os.path.dirname(folder)


class _Placer:
    """Writes files into a new, empty folder beside out_dir, which swap_in() then puts in
    its place. Plain os calls, not pathlib: this runs once per file."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.tmp = tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent)
        self.made: set[str] = {self.tmp}  # folders that exist in the new tree
        self.placed: set[str] = set()  # the files, by path in the site

    def _path(self, rel: str) -> str:
        self.placed.add(rel)
        path = _safe_join(self.tmp, rel)
        folder = os.path.dirname(path)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        return path

    def __call__(self, rel: str, data: bytes | Kept | Staged) -> None:
        path = self._path(rel)
        if isinstance(data, Staged):
            os.replace(data.path, path)
            return
        write_bytes(path, data.make() if isinstance(data, Kept) else data)

    def link(self, rel: str, old: str) -> None:
        """An unchanged file of the previous build: the same file, with its modification time."""
        path = self._path(rel)
        try:
            os.link(old, path)
        except OSError:
            shutil.copy2(old, path)  # no hard links here (another file system, Windows shares)

    def swap_in(self, marker: bytes) -> None:
        self(MARKER, marker)
        os.chmod(self.tmp, 0o755)
        _swap(Path(self.tmp), self.out_dir)

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def _regular(path: str, size: int | None = None) -> bool:
    """Is path a regular file (not a link), of `size` bytes if given?"""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (size is None or info.st_size == size)


def stage_dir(out_dir: Path) -> Path:
    """Where this build puts files made before the new tree exists (removed by the caller)."""
    return out_dir.parent / f".{out_dir.name}.stage-{os.getpid()}"


def recover(out_dir: Path) -> None:
    """Undo an update in place that was killed midway, and delete the temporary folders
    of a killed build."""
    for path in sorted(out_dir.parent.glob(f".{out_dir.name}.undo-*")):
        if path.is_dir() and not path.is_symlink():
            _undo(str(out_dir), str(path))
    ours = stage_dir(out_dir)
    for pattern in (f".{out_dir.name}.tmp-*", f".{out_dir.name}.old-*", f".{out_dir.name}.stage-*"):
        for path in sorted(out_dir.parent.glob(pattern)):
            if path != ours and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def _swap(new: Path, out_dir: Path) -> None:
    """Put new in place of out_dir; out_dir is never missing if the process dies midway.

    On Linux, renameat2(RENAME_EXCHANGE) swaps the two folders in one atomic step.
    Elsewhere two renames are used, and a crash between them leaves the previous build
    in a sibling folder named .<out>.old-*.
    """
    if out_dir.exists() and _exchange(new, out_dir):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous build
        return
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rename(out_dir, old / "site")
    os.rename(new, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
