"""Persistent build caches: never trusted across code versions, discarded when corrupt.

- `code_version()` hashes the generator's own source and its libraries' versions; every
  cache key includes it, so a changed template, module or library invalidates everything.
- `EntityCache` keeps validated entities keyed by the SHA-256 of their file's bytes, so an
  unchanged file is not parsed or validated again.
- `FragmentCache` keeps text made from one entity file (its atlas.json entry) the same way.
- `fingerprint()` hashes the list of files a build reads with their sizes and modification
  times (as make does, so it costs no reads); a build whose fingerprint matches the one
  recorded in the output folder has nothing to do.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from .parallel import can_fork

PACKAGE = Path(__file__).resolve().parent
RACY_NS = 2_000_000_000  # coarser than any file system's modification times (FAT: 2 s)


@functools.lru_cache(maxsize=None)
def code_version() -> str:
    """Hash of the generator's source and the versions of its libraries (without importing them)."""
    from importlib import metadata

    digest = hashlib.sha256(sys.version.encode())
    for lib in ("jinja2", "markdown", "nh3", "pyyaml", "markupsafe"):
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "?"
        digest.update(f"{lib}={version};".encode())
    for path in sorted(PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def tree_listing(root: Path) -> list[str]:
    """Every file under root as 'relative path, size, modification time' lines, sorted
    (as make looks at files: no reads). Empty if root is not a folder."""
    if not root.is_dir():
        return []
    stack = [str(root)]
    start = len(str(root)) + 1  # entry paths are root + separator + the relative path
    found = []
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    found.append(f"{entry.path[start:]}\0{info.st_size}\0{info.st_mtime_ns}\n")
    found.sort()
    return found


def _tree_digest(digest: Any, root: Path) -> None:
    """Add every file under root by path, size and modification time (as make does)."""
    if root.is_dir():
        digest.update("".join(tree_listing(root)).encode("utf-8", "surrogateescape"))


def fingerprint(dirs: Iterable[Path], options: Iterable[str]) -> str:
    """Hash of the code, the given folders' file list (sizes, times) and the build options."""
    digest = hashlib.sha256(code_version().encode())
    for option in options:
        digest.update(option.encode() + b"\0")
    for root in dirs:
        digest.update(b"\1" + str(root.resolve()).encode())
        _tree_digest(digest, root)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """Where caches live: outside the repository, so no pull request can plant one."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "talent-atlas"


def build_fingerprint(content_dir: Path, templates_dir: Path, static_dir: Path, as_of: Any, base_url: str | None) -> str:
    """Everything a build reads: content, templates, static files, code and options."""
    return fingerprint([content_dir, templates_dir, static_dir], [f"as_of={as_of}", f"base_url={base_url}"])


_MOVES, _FILES = "moves", "files"  # never a file's key (those are hex digests)


class EntityCache:
    """Validated entities by file hash; saved atomically, ignored when unreadable."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / f"entities-{code_version()}.pickle" if cache_dir else None
        self.entries: dict[str, Any] = _read_dict(self.path)
        # Each person's moves (a moves.MovesMemo) from the build that saved the cache, in
        # the same pickle as the entities, so that its people are the objects loaded here.
        self.moves: Any = self.entries.pop(_MOVES, None)
        files = self.entries.pop(_FILES, None)
        self.used: dict[str, Any] = {}
        self.hashes: dict[str, str] = {}  # src_path -> key of the bytes this run loaded
        self.shapes: dict[str, str] = {}  # src_path -> its shape_key (incremental.py), where known
        self.shape_of: dict[str, str] = {}  # key -> shape_key, kept from build to build
        # src_path -> (inode, size, mtime, ctime), key and whether that stat can be trusted,
        # kept from build to build (saved with the entities). None: read every file. The
        # ctime is not set by tools that restore an mtime: a file so restored is read again.
        self.stats: dict[str, tuple[tuple[int, int, int, int], str, bool]] | None = None if self.path is None else {}
        if self.path is not None and isinstance(files, tuple) and len(files) == 2 and all(isinstance(f, dict) for f in files):
            self.stats, self.shape_of = files
        self._seen: dict[str, tuple[int, int, int, int]] = {}  # this run's stats, before the keys are known
        self._stats_changed = False

    @staticmethod
    def key(data: bytes, src_path: str) -> str:
        return hashlib.sha256(src_path.encode() + b"\0" + data).hexdigest()

    def known_key(self, path: Path, src_path: str) -> str | None:
        """The key of a file that has not changed since the last build, by its stat alone
        (as make and git do); None when it may have changed, or without stats."""
        if self.stats is None:
            return None
        info = os.stat(path)
        seen = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        self._seen[src_path] = seen
        known = self.stats.get(src_path)
        if known is not None and known[0] == seen and known[2]:
            return known[1]
        return None

    def record(self, src_path: str, key: str, shape: str | None = None) -> None:
        """Note the key of a file this run loaded, and its shape when the bytes were read."""
        self.hashes[src_path] = key
        if shape is None:
            shape = self.shape_of.get(key)
        if shape is not None:
            self.shapes[src_path] = self.shape_of[key] = shape
        seen = self._seen.get(src_path)
        if self.stats is not None and seen is not None:
            # A file changed again within the clock's resolution of the last look would
            # keep its stat: trust only stats older than that ("racily clean" in git).
            known = (seen, key, seen[2] < time.time_ns() - RACY_NS)
            if self.stats.get(src_path) != known:
                self.stats[src_path] = known
                self._stats_changed = True

    def next_build(self) -> EntityCache:
        """Ready this cache for another build in the same process: keep what the last
        build used, in memory, and the files' stats, so unchanged files are not read."""
        self.wait()
        self.entries, self.used, self.hashes, self._seen = self.used or self.entries, {}, {}, {}
        self.shape_of = {key: self.shape_of[key] for key in self.entries if key in self.shape_of}
        self.shapes = {}
        self.path = None  # saved once, by the first build; later ones stay in memory
        return self

    def get(self, key: str) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    background = False  # save() writes from a forked child, off the build's critical path
    _child: int | None = None

    def save(self) -> None:
        """Keep only the entries this run used, so the cache never grows stale, with the
        moves and the files' stats; only when one of the three changed."""
        if self.path is None or (self.used.keys() == self.entries.keys() and not getattr(self.moves, "computed", 0)
                                 and not self._stats_changed):
            return
        if self.background and can_fork():
            pid = os.fork()
            if pid:
                self._child = pid
                return
            try:
                self._write()
            finally:
                os._exit(0)
        self._write()

    def wait(self) -> None:
        """Wait for a save running in the background."""
        if self._child is not None:
            os.waitpid(self._child, 0)
            self._child = None

    def _write(self) -> None:
        data = dict(self.used)
        if self.moves is not None:
            data[_MOVES] = self.moves
        if self.stats is not None:  # the stats of the files this run saw (a deleted file's go)
            data[_FILES] = ({path: self.stats[path] for path in self.hashes if path in self.stats},
                            {key: self.shape_of[key] for key in self.used if key in self.shape_of})
        _write_dict(self.path, data, "entities-*.pickle")  # type: ignore[arg-type]  # save() checked it


class FragmentCache:
    """Text made from one entity file alone (its entry in atlas.json), by the key of the
    file's bytes and whatever else the text depends on; entries not used by a build are
    dropped when it saves."""

    def __init__(self, cache_dir: Path | None, name: str):
        self.name = name
        self.path = cache_dir / f"{name}-{code_version()}.pickle" if cache_dir else None
        self.entries: dict[str, str] = _read_dict(self.path)
        self.used: dict[str, str] = {}

    def get(self, key: str, make: Callable[[], str]) -> str:
        """The text for key, made by make() if it is not cached."""
        value = self.entries.get(key)
        if not isinstance(value, str):
            value = make()
        self.used[key] = value
        return value

    def save(self) -> None:
        if self.path is not None and self.used.keys() != self.entries.keys():
            _write_dict(self.path, self.used, f"{self.name}-*.pickle")


def _read_dict(path: Path | None) -> dict[str, Any]:
    """A pickled dict, or {} when there is none or it cannot be read."""
    if path is None:
        return {}
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes millions of objects that all live: collecting finds nothing (0.1 s)
    try:
        with open(path, "rb") as handle:
            loaded = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a corrupt or foreign cache is only a miss
        return {}
    finally:
        if enabled:
            gc.enable()
    return loaded if isinstance(loaded, dict) else {}


def _write_dict(path: Path, data: dict[str, Any], pattern: str) -> None:
    """Save atomically, and delete the files of other code versions that match pattern."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob(pattern):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # an unwritable cache only costs time
