"""Write the site: into a fresh folder, then swapped in whole."""
from __future__ import annotations

import ctypes
import filecmp
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable

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


def write_site(out_dir: Path, files: Iterable[tuple[str, bytes | Kept | Staged]], static_dir: Path | None,
               stamp: str | None = None) -> int:
    """Write every file into a temporary sibling folder, then swap it for out_dir."""
    check_out_dir(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    count = 0
    place = _Placer(str(out_dir), str(tmp))
    try:
        if static_dir is not None and static_dir.is_dir():
            for source in sorted(p for p in static_dir.rglob("*") if p.is_file() and not p.is_symlink()):
                place("static/" + source.relative_to(static_dir).as_posix(), source.read_bytes())
        for rel, data in files:
            place(rel, data)
            count += 1
        marker = "This folder is built by build.py and replaced whole on every build.\n"
        if stamp:
            marker += f"inputs {stamp}\n"
        place(MARKER, marker.encode("ascii"))
        os.chmod(tmp, 0o755)
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return count


class _Placer:
    """Writes files into the new tree; an unchanged file is hard-linked from the old one,
    so it is not rewritten and keeps its modification time. Plain os calls, not pathlib:
    this runs once per file."""

    def __init__(self, out_dir: str, tmp: str):
        self.out_dir, self.tmp = out_dir, tmp
        self.made: set[str] = {tmp}  # folders that exist in the new tree

    def __call__(self, rel: str, data: bytes | Kept | Staged) -> None:
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
            if _regular(old, len(data)) and _read(old) == data:
                os.link(old, path)
                return
        except OSError:
            pass  # no hard links here (another file system, Windows shares): write it
        with open(path, "wb") as handle:
            handle.write(data)


def _regular(path: str, size: int | None = None) -> bool:
    """Is path a regular file (not a link), of `size` bytes if given?"""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (size is None or info.st_size == size)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


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
