"""Write the site: every file into a fresh folder beside the output folder, swapped in whole.

Nothing in the output folder changes unless every file has been made; a folder that is
not a previous build is never replaced.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import rcssmin
import rjsmin

MARKER = ".talent-atlas"  # marks a folder as our output, so we never replace anything else


class OutputError(Exception):
    """The output folder cannot be written safely."""


def write_site(out_dir: Path, files: Iterable[tuple[str, bytes]], static: Sequence[Path], note: str = "") -> int:
    """Write the files (path in the site, bytes) and the static files (see static_files)
    into a new folder that then takes out_dir's place; `note` goes into the marker file.
    Returns the number of files."""
    check_out_dir(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir)
    new = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        count = 0
        for rel, data in static_files(static):
            write_file(new, rel, data)
        for rel, data in files:
            write_file(new, rel, data)
            count += 1
        write_file(new, MARKER, marker(note))
        new.chmod(0o755)
        swap(new, out_dir)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return count


def write_file(root: Path, rel: str, data: bytes) -> None:
    path = safe_join(root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace a non-empty folder that is not a previous build."""
    if out_dir.is_symlink():
        raise OutputError(f"{out_dir} is a symbolic link; give the real folder")
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MARKER).exists())):
        raise OutputError(f"{out_dir} exists and is not a Talent Atlas build; refusing to replace it (remove it or choose another --out)")


def safe_join(root: Path, rel: str) -> Path:
    """Join a relative output path to root, refusing anything that escapes it."""
    check_path(rel)
    return root / rel


def check_path(rel: str) -> None:
    """Refuse an output path that would leave the output folder."""
    if rel.startswith(("/", "\\")) or "\\" in rel or (".." in rel and ".." in rel.split("/")):
        raise OutputError(f"output path '{rel}' would leave the output folder")


def marker(note: str = "") -> bytes:
    text = "This folder is built by build.py, which brings it up to date on every build; do not edit it.\n"
    return (text + (f"{note}\n" if note else "")).encode("ascii")


def static_files(folders: Sequence[Path]) -> Iterator[tuple[str, bytes]]:
    """The static files, as (path in the site, bytes), sorted: each file of every folder,
    under static/ in the site; a file of an earlier folder hides the one of the same path
    in a later one (a site's own static/ comes before the built-in one). Links are not
    followed. Stylesheets and scripts are minified (MINIFIERS)."""
    found: dict[str, Path] = {}
    for folder in reversed(folders):
        if folder.is_dir():
            found.update((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    for rel in sorted(found):
        data = found[rel].read_bytes()
        minify = MINIFIERS.get(Path(rel).suffix)
        yield "static/" + rel, minify(data) if minify else data


# Stylesheets and scripts are minified as they are written: every page loads them, and the
# comments and indentation that keep them readable in static/ are a fifth to a third of them.
MINIFIERS: dict[str, Callable[[bytes], bytes]] = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def remove_leftovers(out_dir: Path) -> None:
    """Delete the temporary folders a killed build left beside out_dir."""
    for pattern in (f".{out_dir.name}.tmp-*", f".{out_dir.name}.old-*"):
        for path in sorted(out_dir.parent.glob(pattern)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def swap(new: Path, out_dir: Path) -> None:
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
