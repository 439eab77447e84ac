"""The formulation index's memo on disk: what each report gave the index last time, in one
SQLite file of the build cache (``index-memo.sqlite``), so that a rebuild scans only the
reports that changed.

    memo(name, value, build)   name -> the JSON of a value; build: the last build that used it
    meta(name, value)          'version' (the code that wrote it), 'build' (the last build's number)

A build reads a value when it needs it and writes what it computes at once: the memo is
never a dictionary in memory (at 74,545 news items it is 1 GB of Python objects). What a
build neither read nor wrote is dropped when it ends, so the file holds the corpus as it is.
Every value read is checked by the caller: a damaged or foreign value is computed again, never
trusted.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path

FILE = "index-memo.sqlite"
LEGACY_FILE = "index-memo.json"  # the memo of earlier code, a dictionary read whole: removed
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class Memo:
    """name -> value, remembered between builds (or, with no file, not at all)."""

    def __init__(self, db: sqlite3.Connection | None = None, build: int = 0):
        self.db, self.build = db, build

    @classmethod
    @contextmanager
    def open(cls, path: Path | None, version: str):
        """The memo at ``path``; a memo that remembers nothing when ``path`` is None. Emptied
        when ``version`` differs from what wrote it or the file cannot be read."""
        if path is None:
            yield cls()
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_name(LEGACY_FILE).unlink(missing_ok=True)
        db = None
        try:
            db = _connect(path)
            meta = dict(db.execute("SELECT name, value FROM meta"))
            if meta.get("version") != version:
                raise sqlite3.DatabaseError("written by other code")
            build = int(meta.get("build", 0)) + 1
        except (sqlite3.DatabaseError, ValueError):  # not a database, damaged, another schema
            if db is not None:
                db.close()
            for stale in (path, path.with_name(path.name + "-journal")):
                stale.unlink(missing_ok=True)
            db, build = _connect(path), 1
            _create(db, version)
        memo = cls(db, build)
        try:
            yield memo
            db.execute("DELETE FROM memo WHERE build != ?", (build,))  # what this corpus no longer needs
            db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (str(build),))
            db.commit()
        finally:
            db.close()

    def get(self, name: str):
        """The value kept under ``name`` (marked as used), or None. The caller checks it: a value
        it does not accept is computed again and put back."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT value FROM memo WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None
        self.keep(name)
        return value

    def put(self, name: str, value) -> None:
        if self.db is not None:
            self.db.execute("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)", (name, _dumps(value), self.build))

    def keep(self, name: str) -> None:
        """Keep ``name``'s value for the next build without reading it."""
        if self.db is not None:
            self.db.execute("UPDATE memo SET build = ? WHERE name = ?", (self.build, name))


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(str(path))
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def _create(db: sqlite3.Connection, version: str) -> None:
    db.executescript("""
        CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE memo(name TEXT PRIMARY KEY, value TEXT NOT NULL, build INTEGER NOT NULL);
    """)
    db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
    db.commit()
