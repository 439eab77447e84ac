"""The shared-passage search's data on disk: every paragraph's units and each unit's MinHash
band keys, and the alignments already made, in one SQLite file of the build cache.

    occ(report, paragraph, unit)      a unit (64-bit digest of its text) in a paragraph
    sig(unit, bands)                  the unit's LSH band keys (one per band, int64 bytes)
    reports(id, key)                  what each report's rows were made from
    aligned(a, b, result)             align() of two paragraph texts (by digest)

Only reports whose paragraphs changed are read again, and only units never seen before are
hashed, so a rebuild after one edit does not redo the corpus' MinHash (most of the search).
Near-duplicate units are found by sorting each band's keys (equal keys are LSH candidates)
and joining candidates into groups (scipy's connected components): memory is a few arrays
of one integer per distinct unit, not a dictionary of every band of every unit.
"""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import numpy as np

FILE = "reuse.sqlite"
_BATCH = 50_000  # rows per round trip


def unit_key(text: str) -> int:
    """A unit's (or paragraph's) 64-bit digest, as SQLite's signed integer."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class UnitStore:
    def __init__(self, connection: sqlite3.Connection):
        self.db = connection

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
        ``signatures(texts) -> int64 array (len(texts), bands)``, only of units never seen.
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
        new_units: dict[int, str] = {}
        rows = []
        for rid in fresh:
            for anchor, texts in units_of(rid):
                for text in texts:
                    key = unit_key(text)
                    new_units.setdefault(key, text)
                    rows.append((rid, anchor, key))
            if len(rows) >= _BATCH:
                db.executemany("INSERT INTO occ VALUES (?, ?, ?)", rows)
                rows = []
        db.executemany("INSERT INTO occ VALUES (?, ?, ?)", rows)
        db.executemany("INSERT INTO reports VALUES (?, ?)", [(rid, keys_of[rid]) for rid in fresh])
        if stale:
            db.execute("DELETE FROM sig WHERE unit NOT IN (SELECT unit FROM occ)")
        missing = [key for key in sorted(new_units) if not self._has_signature(key)]
        for start in range(0, len(missing), _BATCH):
            chunk = missing[start:start + _BATCH]
            bands = signatures([new_units[key] for key in chunk])
            db.executemany("INSERT INTO sig VALUES (?, ?)", [(key, row.tobytes()) for key, row in zip(chunk, bands)])
        return len(fresh)

    def _has_signature(self, key: int) -> bool:
        return self.db.execute("SELECT 1 FROM sig WHERE unit = ?", (key,)).fetchone() is not None

    def groups(self, banal_reports: int) -> list[tuple[list[int], list[tuple[str, str]], bool]]:
        """Near-identical units grouped (a band key in common, transitively), each group as
        (its units, the (report, paragraph) that hold one, banal), for groups held by two
        reports or more, in a fixed order. A group is banal (a template) when one of its band
        keys is held by ``banal_reports`` reports or more: chains of near-identical clauses do
        not make a template, one clause that many reports share does."""
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        units, bands = self._signatures()
        if not len(units):
            return []
        first, second = [], []
        for band in range(bands.shape[1]):
            order = np.argsort(bands[:, band], kind="stable")
            keys = bands[order, band]
            same = np.flatnonzero(keys[1:] == keys[:-1])
            first.append(order[same])
            second.append(order[same + 1])
        first, second = np.concatenate(first), np.concatenate(second)
        graph = coo_matrix((np.ones(len(first), dtype=np.int8), (first, second)), shape=(len(units),) * 2)
        _, labels = connected_components(graph, directed=False)
        # a unit is a candidate when it has near-duplicates or is itself in two reports
        candidate = np.bincount(labels)[labels] > 1
        shared = np.fromiter((key for (key,) in self.db.execute(
            "SELECT unit FROM occ GROUP BY unit HAVING count(DISTINCT report) > 1")), dtype=np.int64)
        candidate |= np.isin(units, shared)
        picked = np.flatnonzero(candidate)
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS cand(unit INTEGER PRIMARY KEY, row INTEGER)")
        self.db.execute("DELETE FROM cand")
        for start in range(0, len(picked), _BATCH):
            chunk = picked[start:start + _BATCH]
            self.db.executemany("INSERT INTO cand VALUES (?, ?)", zip(units[chunk].tolist(), chunk.tolist()))
        rows, reports, members = [], {}, {}
        for row, report, paragraph in self.db.execute(
                "SELECT c.row, o.report, o.paragraph FROM occ o JOIN cand c ON o.unit = c.unit"):
            rows.append((row, reports.setdefault(report, len(reports))))
            group = members.setdefault(int(labels[row]), (set(), set()))
            group[0].add(int(units[row]))
            group[1].add((report, paragraph))
        large = {label for label, (_, keys) in members.items() if len({rid for rid, _ in keys}) >= banal_reports}
        banal = self._banal_labels(np.array(rows, dtype=np.int64).reshape(-1, 2), bands, labels, banal_reports, large)
        result = [(sorted(group_units), sorted(keys), label in banal)
                  for label, (group_units, keys) in members.items()
                  if len({rid for rid, _ in keys}) >= 2]
        result.sort(key=lambda group: group[1])
        return result

    def _signatures(self) -> tuple[np.ndarray, np.ndarray]:
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

    @staticmethod
    def _banal_labels(held: np.ndarray, bands: np.ndarray, labels: np.ndarray, banal_reports: int,
                      large: set[int]) -> set[int]:
        """The groups in which one unit's near-duplicates (the units sharing any of its band
        keys) are held by ``banal_reports`` reports or more. ``held``: rows of (unit row, report
        number), one per occurrence of a candidate unit; ``large``: the groups held by that many
        reports (no other can be banal)."""
        if not large:
            return set()
        held = held[np.isin(labels[held[:, 0]], np.fromiter(large, dtype=np.int64, count=len(large)))]
        banal: set[int] = set()
        # first one band key at a time: a key held by that many reports decides it for its group
        for band in range(bands.shape[1]):
            keys = bands[held[:, 0], band]
            values, counts = np.unique(keys, return_counts=True)
            heavy = np.isin(keys, values[counts >= banal_reports])  # (counting repeats: a bound)
            if not heavy.any():
                continue
            common = _held_by_at_least(keys[heavy], held[heavy, 1], banal_reports)
            if len(common):
                banal.update(labels[held[np.isin(keys, common), 0]].tolist())
        # then each unit's keys together, in the large groups left (chains of variants of one line)
        held = held[~np.isin(labels[held[:, 0]], np.fromiter(banal, dtype=np.int64, count=len(banal)))]
        if not len(held):
            return banal
        by_key: dict[tuple[int, int], set] = {}
        rows = held[:, 0]
        for band in range(bands.shape[1]):
            for key, report in zip(bands[rows, band].tolist(), held[:, 1].tolist()):
                by_key.setdefault((band, key), set()).add(report)
        for row in np.unique(rows).tolist():
            label = int(labels[row])
            if label in banal:
                continue
            holders = [by_key[(band, int(bands[row, band]))] for band in range(bands.shape[1])]
            if sum(map(len, holders)) >= banal_reports and len(set().union(*holders)) >= banal_reports:
                banal.add(label)  # (the sum bounds the union: most units are decided without it)
        return banal

    def aligned(self, a: int, b: int):
        row = self.db.execute("SELECT result FROM aligned WHERE a = ? AND b = ?", (a, b)).fetchone()
        return tuple(int(x) for x in row[0].split(",")) if row else None

    def keep_alignments(self, used: dict[tuple[int, int], tuple]) -> None:
        """The alignments of this search replace the stored ones (so the table holds only pairs
        the corpus still has)."""
        self.db.execute("DELETE FROM aligned")
        self.db.executemany("INSERT INTO aligned VALUES (?, ?, ?)",
                            [(a, b, ",".join(map(str, result))) for (a, b), result in sorted(used.items())])


def _held_by_at_least(keys: np.ndarray, reports: np.ndarray, least: int) -> np.ndarray:
    """The keys that occur with ``least`` different reports or more (each occurrence a
    (key, report) pair)."""
    order = np.lexsort((reports, keys))
    keys, reports = keys[order], reports[order]
    first_of_pair = np.ones(len(keys), dtype=bool)
    first_of_pair[1:] = (keys[1:] != keys[:-1]) | (reports[1:] != reports[:-1])
    values, counts = np.unique(keys[first_of_pair], return_counts=True)
    return values[counts >= least]


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
