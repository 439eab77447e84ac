"""The shared-passage search's data on disk: every paragraph's units and each unit's MinHash
band keys, and the alignments already made, in one SQLite file of the build cache.

    occ(report, paragraph, unit)      a unit (64-bit digest of its text) in a paragraph
    sig(unit, bands)                  the unit's LSH band keys (one per band, int64 bytes)
    reports(id, key)                  what each report's rows were made from
    aligned(a, b, result)             align() of two paragraph texts (by digest)

Only reports whose paragraphs changed are read again, and only units never seen before are
hashed, so a rebuild after one edit does not redo the corpus' MinHash (most of the search).
The band keys are read back as arrays (reuse_groups.py groups them): memory is a few integers
per distinct unit, not a dictionary of every band of every unit.
"""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import numpy as np

FILE = "reuse.sqlite"
_BATCH = 50_000  # rows per round trip
_REPORTS_PER_ROUND = 2_000


def unit_key(text: str) -> int:
    """A unit's (or paragraph's) 64-bit digest, as SQLite's signed integer."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class UnitStore:
    def __init__(self, connection: sqlite3.Connection):
        self.db = connection
        # a store with no alignment yet (a first or full build) is not asked for each pair
        self.any_aligned = connection.execute("SELECT 1 FROM aligned LIMIT 1").fetchone() is not None

    @classmethod
    @contextmanager
    def open(cls, path: Path | None, version: str):
        """The store at ``path`` (in memory when None); emptied when ``version`` (the code and
        the search's parameters) differs from what made it, or when it cannot be read."""
        db = None
        try:
            db = _connect(path)
            if _version(db) != version:
                raise sqlite3.DatabaseError("made by other code")
        except sqlite3.DatabaseError:  # not a database, damaged, or another schema: made again
            if db is not None:
                db.close()
            if path is not None:
                for stale in (path, path.with_name(path.name + "-journal")):
                    stale.unlink(missing_ok=True)
            db = _connect(path)
            _create(db, version)
        try:
            yield cls(db)
            db.commit()
        finally:
            db.close()

    def update(self, keys_of: dict[str, str], units_of, signatures) -> int:
        """Bring the rows up to date. ``keys_of``: report id -> digest of its paragraphs;
        ``units_of(report id) -> [(anchor, units)]``, asked only of reports new or changed;
        ``signatures(texts) -> a function that returns the int64 array (len(texts), bands)``, only
        of units never seen: started at once, waited for after the next round's units are made,
        so that the two overlap when the signatures are made by other processes.
        Returns the number of reports read again."""
        db = self.db
        known = dict(db.execute("SELECT id, key FROM reports"))
        stale = [rid for rid, key in known.items() if keys_of.get(rid) != key]
        for start in range(0, len(stale), 500):
            chunk = stale[start:start + 500]
            marks = ",".join("?" * len(chunk))
            db.execute(f"DELETE FROM occ WHERE report IN ({marks})", chunk)
            db.execute(f"DELETE FROM reports WHERE id IN ({marks})", chunk)
        fresh = sorted(rid for rid, key in keys_of.items() if known.get(rid) != key)
        # a round of reports at a time: the units of a whole corpus (2.5 million at 74,545 news
        # items) are never in memory together
        pending = None  # the previous round's units being signed: (keys, a function that waits)
        for start in range(0, len(fresh), _REPORTS_PER_ROUND):
            new_units: dict[int, str] = {}
            rows = []
            for rid in fresh[start:start + _REPORTS_PER_ROUND]:
                for anchor, texts in units_of(rid):
                    for text in texts:
                        key = unit_key(text)
                        new_units.setdefault(key, text)
                        rows.append((rid, anchor, key))
            db.executemany("INSERT INTO occ VALUES (?, ?, ?)", rows)
            missing = sorted(set(new_units) - self._signed(sorted(new_units)))
            started = (missing, signatures([new_units[key] for key in missing])) if missing else None
            self._keep_signatures(pending)
            pending = started
        self._keep_signatures(pending)
        db.executemany("INSERT INTO reports VALUES (?, ?)", [(rid, keys_of[rid]) for rid in fresh])
        if stale:
            db.execute("DELETE FROM sig WHERE unit NOT IN (SELECT unit FROM occ)")
        return len(fresh)

    def _keep_signatures(self, pending) -> None:
        if pending is not None:
            keys, wait = pending
            # OR IGNORE: a unit of this round may be one the previous round was still signing
            self.db.executemany("INSERT OR IGNORE INTO sig VALUES (?, ?)",
                                [(key, row.tobytes()) for key, row in zip(keys, wait())])

    def _signed(self, keys: list[int]) -> set[int]:
        """Those of ``keys`` whose band keys are stored."""
        found: set[int] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            found.update(key for (key,) in self.db.execute(
                f"SELECT unit FROM sig WHERE unit IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def shared_units(self) -> np.ndarray:
        """The units that two reports or more hold (the same text)."""
        return np.fromiter((key for (key,) in self.db.execute(
            "SELECT unit FROM occ GROUP BY unit HAVING count(DISTINCT report) > 1")), dtype=np.int64)

    def holders(self, units: np.ndarray, rows: np.ndarray):
        """(row, report, paragraph) for every occurrence of ``units`` (``rows``: the caller's
        number for each unit, handed back)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS cand(unit INTEGER PRIMARY KEY, row INTEGER)")
        self.db.execute("DELETE FROM cand")
        for start in range(0, len(units), _BATCH):
            self.db.executemany("INSERT INTO cand VALUES (?, ?)",
                                zip(units[start:start + _BATCH].tolist(), rows[start:start + _BATCH].tolist()))
        yield from self.db.execute("SELECT c.row, o.report, o.paragraph FROM occ o JOIN cand c ON o.unit = c.unit")

    def signatures(self) -> tuple[np.ndarray, np.ndarray]:
        """Every unit and its band keys, as two arrays (read in batches: no list of every row)."""
        (count,) = self.db.execute("SELECT count(*) FROM sig").fetchone()
        units, bands, at = np.empty(count, dtype=np.int64), None, 0
        cursor = self.db.execute("SELECT unit, bands FROM sig ORDER BY unit")
        while batch := cursor.fetchmany(_BATCH):
            keys, blobs = zip(*batch)
            block = np.frombuffer(b"".join(blobs), dtype=np.int64).reshape(len(batch), -1)
            if bands is None:
                bands = np.empty((count, block.shape[1]), dtype=np.int64)
            units[at:at + len(batch)], bands[at:at + len(batch)] = keys, block
            at += len(batch)
        return units, bands if bands is not None else np.empty((0, 0), dtype=np.int64)

    def aligned(self, a: int, b: int):
        if not self.any_aligned:
            return None
        row = self.db.execute("SELECT result FROM aligned WHERE a = ? AND b = ?", (a, b)).fetchone()
        return tuple(int(x) for x in row[0].split(",")) if row else None

    def keep_alignments(self, used: dict[tuple[int, int], tuple]) -> None:
        """The alignments of this search replace the stored ones (so the table holds only pairs
        the corpus still has)."""
        self.db.execute("DELETE FROM aligned")
        self.db.executemany("INSERT INTO aligned VALUES (?, ?, ?)",
                            [(a, b, ",".join(map(str, result))) for (a, b), result in sorted(used.items())])


def _connect(path: Path | None) -> sqlite3.Connection:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(":memory:" if path is None else str(path))
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def _version(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
    return row[0] if row else None


def _create(db: sqlite3.Connection, version: str) -> None:
    db.executescript("""
        CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE reports(id TEXT PRIMARY KEY, key TEXT NOT NULL);
        CREATE TABLE occ(report TEXT NOT NULL, paragraph TEXT NOT NULL, unit INTEGER NOT NULL);
        CREATE INDEX occ_report ON occ(report);
        CREATE INDEX occ_unit ON occ(unit, report);
        CREATE TABLE sig(unit INTEGER PRIMARY KEY, bands BLOB NOT NULL);
        CREATE TABLE aligned(a INTEGER, b INTEGER, result TEXT, PRIMARY KEY(a, b));
    """)
    db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
    db.commit()
