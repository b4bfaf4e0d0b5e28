"""Persistent build caches: never trusted across code versions, discarded when corrupt.

- `code_version()` hashes the generator's own source and its libraries' versions; every
  cache key includes it, so a changed template, module or library invalidates everything.
- `EntityCache` keeps validated entities keyed by the SHA-256 of their file's bytes, so an
  unchanged file is not parsed or validated again.
- `FragmentCache` keeps text made from one entity file (its atlas.json entry) the same way.
- Both are saved whole, then as a small delta file while few entries change (`_Store`).
- `fingerprint()` hashes the list of files a build reads with their sizes and modification
  times (as make does, so it costs no reads); a build whose fingerprint matches the one
  recorded in the output folder has nothing to do.
"""
from __future__ import annotations

import copyreg
import functools
import gc
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from atlas.speed.parallel import can_fork

PACKAGE = Path(__file__).resolve().parents[1]
RACY_NS = 2_000_000_000  # coarser than any file system's modification times (FAT: 2 s)
# Folders under a content folder (by relative path) and their entries, as a fingerprint found them.
Found = dict[str, list[os.DirEntry[str]]]


LIBRARIES = ("jinja2", "markdown", "nh3", "yaml", "markupsafe")  # those whose output the site holds


@functools.lru_cache(maxsize=None)
def code_version() -> str:
    """Hash of the generator's source and of its libraries' installed files.

    The libraries are found without importing them, and known by their files' names,
    sizes and times (as make knows files), which any upgrade or reinstall changes:
    importlib.metadata would give their versions, but importing it takes 33 ms."""
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


def tree_listing(root: Path, found: Found | None = None) -> list[str]:
    """Every file under root as 'relative path, size, modification time' lines, sorted
    (as make looks at files: no reads). Empty if root is not a folder. `found`, when
    given, gets each folder's entries by its path relative to root ("" for root): they
    keep their types and the files' stats, so the loader need not look again."""
    if not root.is_dir():
        return []
    stack = [str(root)]
    start = len(str(root)) + 1  # entry paths are root + separator + the relative path
    lines = []
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as scan:
            entries = list(scan)
        if found is not None:
            found[folder[start:]] = entries
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                info = entry.stat(follow_symlinks=False)
                lines.append(f"{entry.path[start:]}\0{info.st_size}\0{info.st_mtime_ns}\n")
    lines.sort()
    return lines


def _tree_digest(digest: Any, root: Path, found: Found | None = None) -> None:
    """Add every file under root by path, size and modification time (as make does)."""
    if root.is_dir():
        digest.update("".join(tree_listing(root, found)).encode("utf-8", "surrogateescape"))


def fingerprint(dirs: Iterable[Path], options: Iterable[str], found: Found | None = None) -> str:
    """Hash of the code, the given folders' file list (sizes, times) and the build options;
    `found` gets the entries of the first folder's folders (see tree_listing)."""
    digest = hashlib.sha256(code_version().encode())
    for option in options:
        digest.update(option.encode() + b"\0")
    for i, root in enumerate(dirs):
        digest.update(b"\1" + str(root.resolve()).encode())
        _tree_digest(digest, root, found if i == 0 else None)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """Where caches live: outside the repository, so no pull request can plant one."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "talent-atlas"


def build_fingerprint(content_dir: Path, templates_dir: Path, static_dir: Path, as_of: Any, base_url: str | None,
                      found: Found | None = None) -> str:
    """Everything a build reads: content, templates, static files, code and options;
    `found` gets the content folder's entries, for load_site."""
    return fingerprint([content_dir, templates_dir, static_dir], [f"as_of={as_of}", f"base_url={base_url}"], found)


# Saved beside the entities (whose keys are hex digests), each under its own key so that a
# delta holds only what changed: (_MOVES, slug), (_STAT, src_path) and (_SHAPE, key).
_MOVES, _BASIS, _STAT, _SHAPE = "moves", "moves-basis", "stat", "shape"
_TOKEN = "token"
_MISSING = object()


def delta_of(base: dict[Any, Any], data: dict[Any, Any], by_identity: bool = False) -> tuple[dict[Any, Any], list[Any]]:
    """What changed from base to data: (the new or changed items, the keys dropped). With
    `by_identity`, a value is unchanged only when it is the very object in base."""
    if by_identity:
        changed = {key: value for key, value in data.items() if base.get(key, _MISSING) is not value}
    else:
        changed = {key: value for key, value in data.items() if base.get(key, _MISSING) != value}
    return changed, [key for key in base if key not in data]


def worth_a_delta(changes: Iterable[tuple[dict[Any, Any], list[Any]]], total: int) -> bool:
    """Whether these changes (delta_of's) go in a delta file: a tenth of `total` entries
    at most; beyond that the base file is rewritten."""
    return 10 * sum(len(changed) + len(dropped) for changed, dropped in changes) <= total


def apply_delta(data: dict[Any, Any], changed: dict[Any, Any], dropped: Iterable[Any]) -> None:
    """Make data what delta_of compared it with."""
    data.update(changed)
    for key in dropped:
        data.pop(key, None)


class _Store:
    """A dict saved to a base file and, when few of its values changed since, to a small
    delta file beside it instead: after one edit, a build rewrites a few kilobytes rather
    than the 20 MB of a 10,000-person site. The delta holds every change from the base
    (so it grows with each build) and is trusted only with the base it was made from, by
    a random token in both; once it holds a tenth of the entries, the base is rewritten."""

    def __init__(self, path: Path | None):
        self.path = path
        self.delta = path.with_name(path.name.replace(".pickle", ".delta.pickle")) if path is not None else None
        self.base: dict[Any, Any] = {}  # what the base file holds
        self.token: str | None = None  # the base file's, once read

    def load(self) -> dict[Any, Any]:
        """The saved dict (the base with its delta applied); {} when there is none or it cannot be read."""
        self.base = read_dict(self.path)
        token = self.base.pop(_TOKEN, None)
        if not isinstance(token, str):
            self.base = {}
            return {}
        merged = dict(self.base)
        delta = read_dict(self.delta)
        if delta.get(_TOKEN) == token and isinstance(delta.get("set"), dict) and isinstance(delta.get("drop"), list):
            apply_delta(merged, delta["set"], delta["drop"])
        self.token = token
        return merged

    def changes(self, data: dict[Any, Any]) -> tuple[dict[Any, Any], list[Any]] | None:
        """What to write in a delta for data ((changed values, dropped keys)), or None when
        the base should be rewritten. A value is unchanged when it is the very object read
        from the base file (entries, stats and moves are reused as they are)."""
        if self.token is None:
            return None
        changes = delta_of(self.base, data, by_identity=True)
        return changes if worth_a_delta([changes], len(data)) else None

    def save(self, data: dict[Any, Any], changes: tuple[dict[Any, Any], list[Any]] | None, pattern: str) -> None:
        """Write the delta of `changes` (see changes()), or else all of data as a new base."""
        assert self.path is not None and self.delta is not None
        if changes is not None:
            write_dict(self.delta, {_TOKEN: self.token, "set": changes[0], "drop": changes[1]}, None)
            return
        data[_TOKEN] = os.urandom(16).hex()  # in data itself: at 100,000 files a copy is 20 MB more
        try:
            write_dict(self.path, data, pattern)  # and deletes the old delta
        finally:
            del data[_TOKEN]


class EntityCache:
    """Validated entities by file hash; saved atomically, ignored when unreadable."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / f"entities-{code_version()}.pickle" if cache_dir else None
        self.store = _Store(self.path)
        self.entries: dict[str, Any] = self.store.load()
        # Each person's moves (a moves.MovesMemo) from the build that saved the cache, in
        # the same pickle as the entities, so that its people are the objects loaded here.
        parts = _split(self.entries)
        self.moves: Any = _memo(self.entries.pop(_BASIS, None), parts[_MOVES])
        self.used: dict[str, Any] = {}
        self.hashes: dict[str, str] = {}  # src_path -> key of the bytes this run loaded
        self.shapes: dict[str, str] = {}  # src_path -> its shape_key (incremental.py), where known
        self.shape_of: dict[str, str] = {}  # key -> shape_key, kept from build to build
        # src_path -> (inode, size, mtime, ctime), key and whether that stat can be trusted,
        # kept from build to build (saved with the entities). None: read every file. The
        # ctime is not set by tools that restore an mtime: a file so restored is read again.
        self.stats: dict[str, tuple[tuple[int, int, int, int], str, bool]] | None = None if self.path is None else parts[_STAT]
        if self.path is not None:
            self.shape_of = parts[_SHAPE]
        self._seen: dict[str, tuple[int, int, int, int]] = {}  # this run's stats, before the keys are known
        self._stats_changed = False

    @staticmethod
    def key(data: bytes, src_path: str) -> str:
        return hashlib.sha256(src_path.encode() + b"\0" + data).hexdigest()

    def known_key(self, path: str | Path, src_path: str, entry: os.DirEntry[str] | None = None) -> str | None:
        """The key of a file that has not changed since the last build, by its stat alone
        (as make and git do); None when it may have changed, or without stats. The stat
        is the entry's when given: the one the build's fingerprint holds."""
        if self.stats is None:
            return None
        info = os.stat(path) if entry is None else entry.stat(follow_symlinks=False)
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
        self.store = _Store(None)  # nor is the file's content needed: let replaced entities go
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
        moves and the files' stats; only when one of the three changed. After a few
        changes only a delta is written, else a whole new cache. With `background` set,
        both are found and written by a forked child, off the build's critical path."""
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

    def _write(self) -> None:
        data = self._data()
        changes = self.store.changes(data)
        if changes is not None:
            base, hashes = self.store.base, self.hashes
            moved = [key for key, value in changes[0].items() if type(key) is tuple and key[0] == _MOVES
                     and base.get(hashes.get(value[0].src_path)) is value[0]]
            for key in moved:
                # This person's moves were computed again, for the object loaded from the
                # base file: a delta would save a copy of it. Left out, they are computed again.
                del changes[0][key]
                if key in base:
                    changes[1].append(key)
        self.store.save(data, changes, "entities-*.pickle")

    def wait(self) -> None:
        """Wait for a save running in the background."""
        if self._child is not None:
            os.waitpid(self._child, 0)
            self._child = None

    def _data(self) -> dict[Any, Any]:
        """What is saved: the entries used, each person's moves and the files' stats."""
        data: dict[Any, Any] = dict(self.used)
        if self.moves is not None and self.moves.basis is not None:
            data[_BASIS] = self.moves.basis
            for slug, entry in self.moves.saved().items():
                data[(_MOVES, slug)] = entry
        if self.stats is not None:  # the stats of the files this run saw (a deleted file's go)
            stats = self.stats
            data.update(((_STAT, path), stats[path]) for path in self.hashes if path in stats)
            data.update(((_SHAPE, key), self.shape_of[key]) for key in self.used if key in self.shape_of)
        return data


def _split(entries: dict[Any, Any]) -> dict[str, dict[Any, Any]]:
    """Take what _data() saved beside the entities out of entries: by kind, then by name."""
    parts: dict[str, dict[Any, Any]] = {_MOVES: {}, _STAT: {}, _SHAPE: {}}
    for key in [key for key in entries if type(key) is tuple]:
        value = entries.pop(key)
        if len(key) == 2 and key[0] in parts:
            parts[key[0]][key[1]] = value
    return parts


def _memo(basis: Any, people: dict[str, Any]) -> Any:
    """The moves saved by _data(), as a moves.MovesMemo (None if there are none)."""
    if basis is None:
        return None
    from atlas.compute.moves import MovesMemo

    memo = MovesMemo()
    memo.basis, memo.people = basis, people
    return memo


class FragmentCache:
    """Text made from one entity file alone (its entry in atlas.json), by the key of the
    file's bytes and whatever else the text depends on; entries not used by a build are
    dropped when it saves."""

    def __init__(self, cache_dir: Path | None, name: str):
        self.name = name
        self.path = cache_dir / f"{name}-{code_version()}.pickle" if cache_dir else None
        self.store = _Store(self.path)
        self.entries: dict[str, str] = self.store.load()
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
            self.store.save(self.used, self.store.changes(self.used), f"{self.name}-*.pickle")


def read_dict(path: Path | None) -> dict[str, Any]:
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


def write_dict(path: Path, data: dict[Any, Any], pattern: str | None) -> None:
    """Save atomically, and delete the other files that match pattern (other code versions)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            from atlas.model.records import WITHOUT_LOCS  # here: the no-op check imports this module, not the model

            pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = {**copyreg.dispatch_table, **WITHOUT_LOCS}  # entities without their locations
            pickler.dump(data)
        os.replace(tmp, path)
        for old in path.parent.glob(pattern) if pattern else ():
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # an unwritable cache only costs time
