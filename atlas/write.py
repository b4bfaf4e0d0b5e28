"""Write the site: into a fresh folder, then swapped in whole."""
from __future__ import annotations

import contextlib
import ctypes
import filecmp
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .fileio import read_bytes, write_bytes

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
    if rel.startswith(("/", "\\")) or "\\" in rel or ".." in rel.split("/"):
        raise OutputError(f"output path '{rel}' would leave the output folder")
    return os.path.join(root, rel)


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
    marker = "This folder is built by build.py and replaced whole on every build.\n"
    return (marker + (f"inputs {stamp}\n" if stamp else "")).encode("ascii")


class Manifest:
    """The files of the build in a folder, as known by the long-lived process that wrote it
    (None: unknown), so that updating it in place need not look at every file."""

    def __init__(self) -> None:
        self.files: set[str] | None = None


def write_site(out_dir: Path, files: Iterable[tuple[str, bytes | Kept | Staged]], static_dir: Path | None,
               stamp: str | None = None, in_place: bool = False, manifest: Manifest | None = None) -> int:
    """Write every file into a temporary sibling folder, then swap it for out_dir.

    With in_place (for a long-lived process that rebuilds often), a previous build in
    out_dir is updated instead: see update_site. A `manifest` is told what was written."""
    check_out_dir(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    if in_place and (out_dir / MARKER).is_file():
        return update_site(out_dir, files, static_dir, stamp, manifest)
    if manifest is not None:
        manifest.files = None
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    place = _Placer(str(out_dir), str(tmp))
    try:
        count = _put_all(place, files, static_dir)
        place(MARKER, _marker(stamp))
        os.chmod(tmp, 0o755)
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if manifest is not None:
        manifest.files = place.placed
    return count


def update_site(out_dir: Path, files: Iterable[tuple[str, bytes | Kept | Staged]], static_dir: Path | None,
                stamp: str | None = None, manifest: Manifest | None = None) -> int:
    """Bring the previous build in out_dir up to date without copying it.

    The files that differ are first written to a staging folder beside it; only when every
    file has been made are they moved in, and the files this build did not make deleted.
    A build that fails leaves out_dir as it was. While the files are moved, the marker
    names no inputs, so a build stopped midway is never taken for a finished one.
    Moving each file in is atomic, but a reader may see old and new files side by side
    for that moment: the swap of write_site is for folders that are served to the public.
    With a `manifest` that knows the folder's files, kept files are not looked at and the
    files to delete are found without walking the folder."""
    root = str(out_dir)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    moves: list[tuple[str, str]] = []  # (staged file, its path in out_dir)
    made: set[str] = {MARKER}
    known = manifest.files if manifest is not None else None
    if manifest is not None:
        manifest.files = None  # unknown until this update is done

    def put(rel: str, data: bytes | Kept | Staged) -> None:
        target = _safe_join(root, rel)
        made.add(rel)
        if isinstance(data, Kept):
            if rel in known if known is not None else _regular(target):
                return
            data = data.make()  # gone from the previous build
        if isinstance(data, Staged):
            try:
                if _regular(target) and filecmp.cmp(target, data.path, shallow=False):
                    return
            except OSError:
                pass
            moves.append((data.path, target))
            return
        if _regular(target, len(data)) and read_bytes(target) == data:
            return
        staged = os.path.join(stage, str(len(moves)))
        write_bytes(staged, data)
        moves.append((staged, target))

    try:
        count = _put_all(put, files, static_dir)
        marker = os.path.join(root, MARKER)
        _write_atomic(marker, _marker(None), stage)
        for staged, target in moves:
            _make_folder(root, os.path.dirname(target))
            if os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target)  # a folder where a file now goes
            os.replace(staged, target)
        if known is None:
            _remove_unmade(root, made)
        else:
            _remove_files(root, known - made)
        _write_atomic(marker, _marker(stamp), stage)
        if manifest is not None:
            manifest.files = made
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return count


def _make_folder(root: str, folder: str) -> None:
    """makedirs, replacing any file (or link) of the previous build where a folder now goes."""
    if os.path.isdir(folder) and not os.path.islink(folder):
        return
    path = root
    for part in os.path.relpath(folder, root).split(os.sep):
        path = os.path.join(path, part)
        if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
            os.unlink(path)
        if not os.path.isdir(path):
            os.mkdir(path)


def _write_atomic(path: str, data: bytes, scratch: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=scratch)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _remove_files(root: str, gone: set[str]) -> None:
    """Delete these files of the previous build, and the folders they leave empty."""
    for rel in sorted(gone):
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


def _remove_unmade(root: str, made: set[str]) -> None:
    """Delete what the previous build wrote and this one did not, and emptied folders."""
    for folder, dirs, names in os.walk(root, topdown=False):
        prefix = folder[len(root) + 1:].replace(os.sep, "/") + "/" if folder != root else ""
        for name in names:
            if prefix + name not in made:
                os.unlink(os.path.join(folder, name))
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                os.unlink(path)
            elif not os.listdir(path):
                os.rmdir(path)


class _Placer:
    """Writes files into the new tree; an unchanged file is hard-linked from the old one,
    so it is not rewritten and keeps its modification time. Plain os calls, not pathlib:
    this runs once per file."""

    def __init__(self, out_dir: str, tmp: str):
        self.out_dir, self.tmp = out_dir, tmp
        self.made: set[str] = {tmp}  # folders that exist in the new tree
        self.placed: set[str] = set()  # the files, by path in the site

    def __call__(self, rel: str, data: bytes | Kept | Staged) -> None:
        self.placed.add(rel)
        path = _safe_join(self.tmp, rel)
        old = _safe_join(self.out_dir, rel)
        folder = os.path.dirname(path)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        if isinstance(data, Staged):
            try:
                if _regular(old) and filecmp.cmp(old, data.path, shallow=False):
                    os.link(old, path)
                    os.unlink(data.path)
                    return
            except OSError:
                pass
            os.replace(data.path, path)
            return
        if isinstance(data, Kept):
            try:
                if not os.path.islink(old):
                    os.link(old, path)
                    return
            except OSError:
                pass
            data = data.make()
        try:
            if _regular(old, len(data)) and read_bytes(old) == data:
                os.link(old, path)
                return
        except OSError:
            pass  # no hard links here (another file system, Windows shares): write it
        write_bytes(path, data)


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


def _remove_leftovers(out_dir: Path) -> None:
    """Delete temporary folders left by a build that was killed."""
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
