"""Near-identical units grouped for the shared-passage search (reuse.py): each unit's MinHash
(datasketch) cut into the LSH bands datasketch chooses, units with a band key in common joined
(transitively: scipy's connected components over sorted band keys), and the groups that are
templates marked. Pure array work over what the store (reuse_store.py) keeps."""
from __future__ import annotations

import zlib
from array import array

import numpy as np

from .reuse_store import UnitStore

SHINGLE = 3
NUM_PERM = 64
THRESHOLD = 0.5  # Jaccard of the units' character-trigram sets that LSH looks for


def _shingles(unit: str) -> list[bytes]:
    return sorted({unit[i:i + SHINGLE].encode("utf-8") for i in range(max(1, len(unit) - SHINGLE + 1))})


def band_keys(texts: list[str]) -> np.ndarray:
    """Each unit's LSH band keys (int64, one column per band): its MinHash (datasketch) cut into
    the bands datasketch chooses for THRESHOLD, each band mixed into one integer. Units with an
    equal key in any band are candidates."""
    from datasketch import MinHash, MinHashLSH

    hashranges = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges
    # each shingle hashed with CRC-32 (zlib, C) rather than datasketch's default, the first
    # 4 bytes of SHA-1: the same 32 bits for MinHash, which mixes them again (murmur's
    # finaliser) before its permutations, in half the time of the signatures
    values = np.vstack([m.hashvalues for m in MinHash.bulk([_shingles(t) for t in texts], num_perm=NUM_PERM,
                                                           hashfunc=zlib.crc32)])
    values = values.astype(np.uint64)
    columns = []
    for start, end in hashranges:
        key = np.zeros(len(texts), dtype=np.uint64)
        for col in range(start, end):
            key = (key ^ values[:, col]) * _MIX  # wraps modulo 2**64, as intended
        columns.append(key)
    return np.stack(columns, axis=1).view(np.int64)


_MIX = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime


def unit_groups(store: UnitStore, banal_reports: int) -> tuple[list[tuple[list[int], list[tuple[str, str]], bool]], set[int]]:
    """Near-identical units grouped (a band key in common, transitively), each group as
    (its units, the (report, paragraph) that hold one, banal), for groups held by two
    reports or more, in a fixed order; and the template units. A group is banal (a template)
    when one unit with its near-duplicates is held by ``banal_reports`` reports or more: a
    chain of variants each in a few reports does not make a template, one clause that many
    reports share does. A template unit is such a unit itself (a band key of it held by that
    many reports), not every unit of its group: a group chained through common clauses also
    holds clauses of a few reports."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    units, bands = store.signatures()
    if not len(units):
        return [], set()
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
    candidate |= np.isin(units, store.shared_units())
    picked = np.flatnonzero(candidate)
    # millions of occurrences at 74,545 news items: numbers in arrays (one entry per occurrence),
    # and one tuple per paragraph; each group's sets are made only as the group is written out
    held_rows, held_reports, held_paragraphs = array("q"), array("q"), array("q")
    reports: dict[str, int] = {}
    paragraphs: dict[tuple[str, str], int] = {}
    for row, report, paragraph in store.holders(units[picked], picked):
        held_rows.append(row)
        held_reports.append(reports.setdefault(report, len(reports)))
        held_paragraphs.append(paragraphs.setdefault((report, paragraph), len(paragraphs)))
    paragraph_keys = list(paragraphs)  # number -> (report, paragraph)
    del paragraphs
    rows = np.frombuffer(held_rows, dtype=np.int64)
    report_numbers = np.frombuffer(held_reports, dtype=np.int64)
    paragraph_numbers = np.frombuffer(held_paragraphs, dtype=np.int64)
    group_of = labels[rows].astype(np.int64)
    # the reports that hold each group: distinct (group, report) pairs counted per group
    pairs = np.unique(group_of * max(1, len(reports)) + report_numbers)
    report_counts = np.bincount(pairs // max(1, len(reports)), minlength=int(labels.max()) + 1)
    large = set(np.flatnonzero(report_counts >= banal_reports).tolist())
    held = np.stack([rows, report_numbers], axis=1)
    banal, common = _banal_labels(held, bands, labels, banal_reports, large)
    del held
    # the groups in the order their first occurrence came, their occurrences together
    order = np.argsort(group_of, kind="stable")
    grouped = group_of[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(order) else np.empty(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(order)].astype(np.int64)
    result = []
    for at in np.argsort(order[starts], kind="stable").tolist():
        label = int(grouped[starts[at]])
        if report_counts[label] < 2:
            continue
        here = order[starts[at]:ends[at]]
        keys = sorted({paragraph_keys[n] for n in paragraph_numbers[here].tolist()})
        result.append((sorted(set(units[rows[here]].tolist())), keys, label in banal))
    result.sort(key=lambda group: group[1])
    return result, set(units[common].tolist())


def _banal_labels(held: np.ndarray, bands: np.ndarray, labels: np.ndarray, banal_reports: int,
                  large: set[int]) -> tuple[set[int], np.ndarray]:
    """The groups in which one unit's near-duplicates (the units sharing any of its band
    keys) are held by ``banal_reports`` reports or more, and the rows of the units with a band
    key held by that many (the template units). ``held``: rows of (unit row, report
    number), one per occurrence of a candidate unit; ``large``: the groups held by that many
    reports (no other can be banal)."""
    if not large:
        return set(), np.empty(0, dtype=np.int64)
    held = held[np.isin(labels[held[:, 0]], np.fromiter(large, dtype=np.int64, count=len(large)))]
    banal: set[int] = set()
    common_rows = [np.empty(0, dtype=np.int64)]
    # first one band key at a time: a key held by that many reports decides it for its group
    for band in range(bands.shape[1]):
        keys = bands[held[:, 0], band]
        values, counts = np.unique(keys, return_counts=True)
        heavy = np.isin(keys, values[counts >= banal_reports])  # (counting repeats: a bound)
        if not heavy.any():
            continue
        common = _held_by_at_least(keys[heavy], held[heavy, 1], banal_reports)
        if len(common):
            rows = held[np.isin(keys, common), 0]
            banal.update(labels[rows].tolist())
            common_rows.append(rows)
    common_rows = np.unique(np.concatenate(common_rows))
    # then each unit's keys together, in the large groups left (chains of variants of one line)
    held = held[~np.isin(labels[held[:, 0]], np.fromiter(banal, dtype=np.int64, count=len(banal)))]
    if not len(held):
        return banal, common_rows
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
    return banal, common_rows


def _held_by_at_least(keys: np.ndarray, reports: np.ndarray, least: int) -> np.ndarray:
    """The keys that occur with ``least`` different reports or more (each occurrence a
    (key, report) pair)."""
    order = np.lexsort((reports, keys))
    keys, reports = keys[order], reports[order]
    first_of_pair = np.ones(len(keys), dtype=bool)
    first_of_pair[1:] = (keys[1:] != keys[:-1]) | (reports[1:] != reports[:-1])
    values, counts = np.unique(keys[first_of_pair], return_counts=True)
    return values[counts >= least]
