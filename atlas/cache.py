"""Persistent build caches: never trusted across code versions, discarded when corrupt.

- `code_version()` hashes the generator's own source and its libraries' versions; every
  cache key includes it, so a changed template, module or library invalidates everything.
- `EntityCache` keeps validated entities keyed by the SHA-256 of their file's bytes, so an
  unchanged file is not parsed or validated again.
- `fingerprint()` hashes everything a build reads; a build whose fingerprint matches the
  one recorded in the output folder has nothing to do.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=None)
def code_version() -> str:
    """Hash of the generator's source and the versions of what it imports."""
    import jinja2
    import markdown
    import nh3
    import yaml

    digest = hashlib.sha256(sys.version.encode())
    for lib in (jinja2, markdown, nh3, yaml):
        digest.update(f"{lib.__name__}={getattr(lib, '__version__', '?')};".encode())
    for path in sorted(PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def _tree_digest(digest: Any, root: Path, pattern: str = "*") -> None:
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def fingerprint(dirs: Iterable[Path], options: Iterable[str]) -> str:
    """Hash of the code, the given folders' files and the build options."""
    digest = hashlib.sha256(code_version().encode())
    for option in options:
        digest.update(option.encode() + b"\0")
    for root in dirs:
        digest.update(b"\1" + str(root.name).encode())
        _tree_digest(digest, root)
    return digest.hexdigest()


class EntityCache:
    """Validated entities by file hash; saved atomically, ignored when unreadable."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / f"entities-{code_version()}.pickle" if cache_dir else None
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        if self.path is not None:
            try:
                with open(self.path, "rb") as handle:
                    loaded = pickle.load(handle)
                if isinstance(loaded, dict):
                    self.entries = loaded
            except Exception:  # noqa: BLE001 - a corrupt or foreign cache is only a miss
                self.entries = {}

    @staticmethod
    def key(data: bytes, src_path: str) -> str:
        return hashlib.sha256(src_path.encode() + b"\0" + data).hexdigest()

    def get(self, key: str) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Keep only the entries this run used, so the cache never grows stale."""
        if self.path is None or self.used.keys() == self.entries.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entities-", dir=self.path.parent)
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.used, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
            for old in self.path.parent.glob("entities-*.pickle"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # an unwritable cache only costs time
