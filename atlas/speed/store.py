"""What a build keeps for the next one: one SQLite database per output folder.

It holds each content file's stat and hash, the validated entity of each file (by its
bytes' hash), the references between entities, each memoized view (its reads and its
value), and what each file of the site was made from. A rebuild
reads from it only what the files it makes need. It is written in one transaction with
the output folder's marker, and trusted only while the marker names the same build;
a database that cannot be read is set aside and the build made whole.
"""
from __future__ import annotations

import array
import os
import pickle
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Iterator


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS files(src_path TEXT PRIMARY KEY, kind TEXT, slug TEXT, stat BLOB, hash TEXT);
CREATE TABLE IF NOT EXISTS entities(hash TEXT PRIMARY KEY, data BLOB);
CREATE TABLE IF NOT EXISTS refs(via INTEGER, target TEXT, src_path TEXT, slug TEXT, at BLOB);
CREATE INDEX IF NOT EXISTS refs_target ON refs(via, target);
CREATE INDEX IF NOT EXISTS refs_source ON refs(src_path);
CREATE TABLE IF NOT EXISTS memos(id INTEGER PRIMARY KEY, fn TEXT, key BLOB, deps BLOB, value BLOB);
CREATE INDEX IF NOT EXISTS memos_fn ON memos(fn);
CREATE TABLE IF NOT EXISTS outputs(path TEXT PRIMARY KEY, deps BLOB);
"""


def pack(facts: Iterable[int]) -> bytes:
    """Facts as the store keeps them: sorted 64-bit ints."""
    return array.array("q", sorted(facts)).tobytes()


def unpack(data: bytes) -> array.array[int]:
    found = array.array("q")
    found.frombytes(data)
    return found


class Store:
    """The database of one output folder (see the module's docstring)."""

    def __init__(self, path: Path):
        self.path = path
        self.pid = os.getpid()
        self.db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        return db

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection of this process: a forked worker opens its own."""
        if os.getpid() != self.pid:
            self.pid, self.db = os.getpid(), sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        return self.db

    # -- the whole build's state --

    def get(self, key: str) -> Any:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def put(self, key: str, value: Any) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)))

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def clear(self) -> None:
        """Forget everything (a full build follows)."""
        for table in ("meta", "files", "entities", "refs", "memos", "outputs"):
            self.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names

    # -- content files and their entities --

    def files(self) -> dict[str, tuple[str, str, tuple[int, ...], str]]:
        """src_path -> (kind, slug, stat, hash of its bytes)."""
        rows = self.conn.execute("SELECT src_path, kind, slug, stat, hash FROM files")
        return {src: (kind, slug, pickle.loads(stat), digest) for src, kind, slug, stat, digest in rows}

    def put_files(self, files: Iterable[tuple[str, str, str, tuple[int, ...], str]]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                              ((src, kind, slug, pickle.dumps(stat), digest) for src, kind, slug, stat, digest in files))

    def drop_files(self, src_paths: Iterable[str]) -> None:
        self.conn.executemany("DELETE FROM files WHERE src_path = ?", ((src,) for src in src_paths))

    def entity(self, digest: str) -> Any:
        row = self.conn.execute("SELECT data FROM entities WHERE hash = ?", (digest,)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def entities_of(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """(hash, pickled entity) of every file of one kind."""
        return iter(self.conn.execute("SELECT e.hash, e.data FROM entities e JOIN files f ON f.hash = e.hash "
                                      "WHERE f.kind = ?", (kind,)))

    def put_entities(self, entities: Iterable[tuple[str, bytes]]) -> None:
        """(hash, pickled entity) pairs."""
        self.conn.executemany("INSERT OR REPLACE INTO entities VALUES (?, ?)", entities)

    def drop_unused_entities(self, candidates: Iterable[str]) -> None:
        """Forget the entities of these hashes that no file has any more."""
        self.conn.executemany("DELETE FROM entities WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM files WHERE hash = ?)",
                              ((digest, digest) for digest in candidates))

    # -- references --

    def referrers(self, via: int, target: str) -> list[tuple[str, tuple[int, ...]]]:
        """(referring slug, where in it) for each reference to `target` through via number
        `via`, in the order of the graph's (by slug, then by place)."""
        rows = self.conn.execute("SELECT slug, at FROM refs WHERE via = ? AND target = ?", (via, target))
        return sorted((slug, tuple(array.array("i", at))) for slug, at in rows)

    def put_refs(self, refs: Iterable[tuple[int, str, str, str, tuple[int, ...]]]) -> None:
        """(via number, target slug, referring file, referring slug, where in it) rows."""
        self.conn.executemany("INSERT INTO refs VALUES (?, ?, ?, ?, ?)",
                              ((via, target, src, slug, array.array("i", at).tobytes()) for via, target, src, slug, at in refs))

    def drop_refs_from(self, src_paths: Iterable[str]) -> None:
        """Forget the references these files made."""
        self.conn.executemany("DELETE FROM refs WHERE src_path = ?", ((src,) for src in src_paths))

    # -- memoized views --

    def memo_facts(self) -> Iterator[tuple[int, bytes]]:
        return iter(self.conn.execute("SELECT id, deps FROM memos"))

    def memo_key(self, memo_id: int) -> Any:
        row = self.conn.execute("SELECT key FROM memos WHERE id = ?", (memo_id,)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def memo_value(self, memo_id: int) -> bytes | None:
        """The value of a kept view, pickled."""
        row = self.conn.execute("SELECT value FROM memos WHERE id = ?", (memo_id,)).fetchone()
        return None if row is None else row[0]

    def memo_values(self, fn: str) -> Iterator[tuple[int, bytes]]:
        """(id, pickled value) of every kept view of one function."""
        return iter(self.conn.execute("SELECT id, value FROM memos WHERE fn = ?", (fn,)))

    def put_memos(self, memos: Iterable[tuple[int, str, bytes, bytes, bytes]]) -> None:
        """(id, function, key, facts, value) rows."""
        self.conn.executemany("INSERT OR REPLACE INTO memos VALUES (?, ?, ?, ?, ?)", memos)

    # -- the files of the site --

    def outputs(self) -> Iterator[tuple[str, bytes]]:
        """(path in the site, facts it was made from)."""
        return iter(self.conn.execute("SELECT path, deps FROM outputs"))

    def put_outputs(self, outputs: Iterable[tuple[str, bytes]]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?)", outputs)

    def drop_outputs(self, paths: Iterable[str]) -> None:
        self.conn.executemany("DELETE FROM outputs WHERE path = ?", ((path,) for path in paths))

    def close(self) -> None:
        self.rollback()
        self.db.close()


def open_store(path: Path, others: str = "") -> Store:
    """The store at path; one that cannot be read is removed and made anew. Files matching
    the pattern `others` beside it (the stores of other versions of the code) are removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(others) if others else ():
        if old.name.split(".sqlite")[0] != path.name.split(".sqlite")[0]:
            old.unlink(missing_ok=True)
    try:
        store = Store(path)
        store.get("stamp")
        return store
    except sqlite3.DatabaseError:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return Store(path)
