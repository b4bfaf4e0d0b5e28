"""What a build's output depends on besides the content files: the code, the templates,
the options; and a quick fingerprint of all its inputs, to skip a build with nothing to do."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any, Sequence

PACKAGE = Path(__file__).resolve().parents[1]
LIBRARIES = ("jinja2", "markdown", "nh3", "yaml", "markupsafe")  # those whose output the site holds


@functools.lru_cache(maxsize=None)
def code_version() -> str:
    """Hash of the generator's source and of its libraries' installed files (known by
    their names, sizes and times, as make knows files: any upgrade or reinstall changes
    them). Nothing kept by one version is trusted by another."""
    digest = hashlib.sha256(sys.version.encode())
    for lib in LIBRARIES:
        spec = importlib.util.find_spec(lib)
        digest.update(f"{lib}\0".encode())
        if spec is not None and spec.origin:
            with os.scandir(os.path.dirname(spec.origin)) as entries:
                files = sorted((entry.name, entry.stat()) for entry in entries if entry.is_file())
            digest.update("".join(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n" for name, info in files).encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def tree_listing(root: Path) -> list[str]:
    """Every file under root as 'relative path, size, modification time' lines, sorted (as
    make looks at files: no reads). Empty if root is not a folder."""
    if not root.is_dir():
        return []
    stack, start, lines = [str(root)], len(str(root)) + 1, []
    while stack:
        with os.scandir(stack.pop()) as scan:
            for entry in scan:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    lines.append(f"{entry.path[start:]}\0{info.st_size}\0{info.st_mtime_ns}\n")
    lines.sort()
    return lines


def input_fingerprint(content: Path, templates: Sequence[Path], static: Sequence[Path], options: list[str]) -> str:
    """Hash of the code, the options, and the list of input files with their sizes and
    modification times (in every folder templates and static files are looked for, in
    order): equal to the one in the output folder's marker, the build in it was made from
    exactly these inputs."""
    digest = hashlib.sha256(code_version().encode())
    for option in options:
        digest.update(option.encode() + b"\0")
    for group, roots in (("content", (content,)), ("templates", templates), ("static", static)):
        digest.update(f"\2{group}".encode())
        for root in roots:
            digest.update(b"\1" + str(root.resolve()).encode())
            digest.update("".join(tree_listing(root)).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def templates_digest(templates: Sequence[Path]) -> str:
    """Hash of every template's path and bytes, folder by folder in search order: any edit,
    and any template a site's own folder adds or takes away, makes every page again."""
    digest = hashlib.sha256()
    for number, folder in enumerate(templates):
        digest.update(f"\1{number}\0".encode())
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def site_key(config: Any, templates: Sequence[Path]) -> str:
    """What every page depends on: the code, the templates and the site's settings (with
    the build's as-of date and base URL). When it changes, every file is made again."""
    digest = hashlib.sha256(f"{code_version()}\0{templates_digest(templates)}\0{config!r}".encode())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """Where caches live: outside the repository, so no pull request can plant one."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "talent-atlas"
