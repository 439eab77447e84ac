"""Shared passages: for every paragraph, the other reports that hold the same passage of at least
``MIN_CHARS`` characters, verbatim or nearly (characters changed, a clause cut).

    paragraphs -> units (sentences, short ones joined to the next)
    identical units grouped; near-identical ones found by MinHash LSH (datasketch)
    a unit group held by a large share of the corpus is a template (banal): kept as one cluster,
        never expanded into pairs
    every other group: each paragraph aligned with the group's first (difflib), kept when the
        alignment holds a passage of MIN_CHARS+ characters at least MIN_DENSITY matched
    paragraphs joined by kept alignments -> clusters (union-find)

Each unit is queried once, and a group is aligned as a star (one alignment per member), so the
cost grows with the corpus, not with its square, as long as no group is large: a group held by
many reports is banal and skipped. Everything is ordered before it is hashed or written, so the
result is the same on every build.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .fingerprint import normalize
from .report import Report

MIN_CHARS = 30  # a shared passage is at least this long
MIN_DENSITY = 0.8  # matched characters / span of the aligned passage
MAX_GAP = 8  # characters changed or cut between two matched stretches of one passage
MIN_UNIT = 12  # shorter sentences are joined to the next
SHINGLE = 3
NUM_PERM = 64
THRESHOLD = 0.5  # Jaccard of the units' 3-gram sets that LSH looks for
BANAL_SHARE = 0.02  # a unit in at least this share of the reports (and BANAL_MIN) is a template
BANAL_MIN = 8
_SENTENCE = re.compile(r"(?<=[。！？；!?;])")


@dataclass(frozen=True)
class Member:
    report: str
    paragraph: str  # anchor on the page
    similarity: float  # aligned characters / paragraph characters


@dataclass
class Cluster:
    passage: str  # id
    chars: int  # characters of the longest aligned passage (of the template, for a banal one)
    banal: bool
    members: list[Member]
    text: str = ""  # the passage as the first member has it
    first: tuple[str, str] = ("", "")  # (report, anchor) of the member the others were aligned with

    @property
    def reports(self) -> int:
        return len({m.report for m in self.members})

    def to_dict(self) -> dict:
        return {"passage": self.passage, "chars": self.chars, "banal": self.banal,
                "members": [{"report": m.report, "paragraph": m.paragraph, "similarity": m.similarity}
                            for m in self.members]}


@dataclass
class Reuse:
    clusters: list[Cluster] = field(default_factory=list)
    # (report, anchor) -> the cluster ids it belongs to
    by_paragraph: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def marks(self, report_id: str) -> dict[str, tuple[str, int]]:
        """anchor -> (cluster id, number of other reports) for one report's shared paragraphs."""
        by_id = {c.passage: c for c in self.clusters}
        result = {}
        for (rid, anchor), ids in self.by_paragraph.items():
            if rid != report_id:
                continue
            best = max((by_id[i] for i in ids), key=lambda c: (not c.banal, c.reports, c.passage))
            result[anchor] = (best.passage, best.reports - 1)
        return dict(sorted(result.items()))


def units(text: str) -> list[str]:
    """A paragraph's sentences (normalised), short ones joined to the next."""
    out, pending = [], ""
    for sentence in _SENTENCE.split(normalize(text)):
        pending += sentence
        if len(pending) >= MIN_UNIT:
            out.append(pending)
            pending = ""
    if pending:
        if out and len(pending) < MIN_UNIT:
            out[-1] += pending
        else:
            out.append(pending)
    return [u for u in out if len(u) >= MIN_UNIT]


def align(a: str, b: str) -> tuple[int, int, int, int, int]:
    """The best near-verbatim passage shared by ``a`` and ``b``: (matched characters, start and end in
    a, start and end in b); matched is 0 when there is none of MIN_CHARS+ characters."""
    blocks = [blk for blk in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if blk.size]
    best = (0, 0, 0, 0, 0)
    i = 0
    while i < len(blocks):
        start, matched, j = blocks[i], blocks[i].size, i
        while j + 1 < len(blocks):
            prev, nxt = blocks[j], blocks[j + 1]
            if nxt.a - (prev.a + prev.size) > MAX_GAP or nxt.b - (prev.b + prev.size) > MAX_GAP:
                break
            j += 1
            matched += nxt.size
        end = blocks[j]
        span = max(end.a + end.size - start.a, end.b + end.size - start.b)
        if span >= MIN_CHARS and matched >= MIN_DENSITY * span and matched > best[0]:
            best = (matched, start.a, end.a + end.size, start.b, end.b + end.size)
        i = j + 1
    return best


class _Union:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _shingles(unit: str) -> list[bytes]:
    return sorted({unit[i:i + SHINGLE].encode("utf-8") for i in range(max(1, len(unit) - SHINGLE + 1))})


def _unit_groups(texts: list[str], banal_reports: int, holders: dict[str, set]) -> tuple[list[list[int]], set[int]]:
    """Distinct units grouped with their near-duplicates (MinHash LSH); the indices of banal units."""
    from datasketch import MinHash, MinHashLSH

    signatures = MinHash.bulk([_shingles(t) for t in texts], num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for k, sig in enumerate(signatures):
        lsh.insert(k, sig, check_duplication=False)
    union, banal = _Union(), set()
    for k, sig in enumerate(signatures):
        union.find(k)
        if k in banal:
            continue
        found = sorted(lsh.query(sig))
        reports = set().union(*(holders[texts[f]] for f in found))
        if len(reports) >= banal_reports:
            banal.update(found)  # a template: grouped once, its members never queried again
        for f in found:
            union.union(k, f)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(texts)):
        groups[union.find(k)].append(k)
    return sorted(groups.values()), banal


def find_reuse(reports: list[Report]) -> Reuse:
    """The shared-passage clusters of the corpus."""
    paragraphs: dict[tuple[str, str], str] = {}
    holders: dict[str, set] = defaultdict(set)  # unit -> report ids
    held_by: dict[str, list[tuple[str, str]]] = defaultdict(list)  # unit -> paragraphs
    for report in sorted(reports, key=lambda r: r.id):
        for block in report.blocks:
            if block.kind != "paragraph":
                continue
            text = normalize(block.text)
            if len(text) < MIN_CHARS:
                continue
            key = (report.id, block.anchor)
            paragraphs[key] = text
            for unit in dict.fromkeys(units(text)):
                holders[unit].add(report.id)
                held_by[unit].append(key)
    shared = sorted(u for u in holders)
    banal_reports = max(BANAL_MIN, math.ceil(BANAL_SHARE * len(reports)))
    groups, banal_units = _unit_groups(shared, banal_reports, holders) if shared else ([], set())

    union = _Union()
    best: dict[tuple, tuple[int, float]] = {}  # paragraph -> (longest passage, similarity)
    templates: list[tuple[list[tuple[str, str]], str]] = []
    pair_done: set = set()
    for group in groups:
        keys = sorted({key for k in group for key in held_by[shared[k]]})
        if len({rid for rid, _ in keys}) < 2:
            continue
        if any(k in banal_units for k in group):
            templates.append((keys, max((shared[k] for k in group), key=lambda u: (len(held_by[u]), u))))
            continue
        hub = keys[0]
        for other in keys[1:]:
            pair = (hub, other)
            if other[0] == hub[0] or pair in pair_done:
                continue
            pair_done.add(pair)
            matched, a0, a1, b0, b1 = align(paragraphs[hub], paragraphs[other])
            if not matched:
                continue
            union.union(hub, other)
            for key, n in ((hub, matched), (other, matched)):
                old = best.get(key, (0, 0.0))
                sim = round(min(1.0, n / len(paragraphs[key])), 3)
                best[key] = (max(old[0], n), max(old[1], sim))
    components: dict = defaultdict(list)
    for key in best:
        components[union.find(key)].append(key)
    clusters = []
    for keys in components.values():
        keys.sort()
        members = [Member(rid, anchor, best[(rid, anchor)][1]) for rid, anchor in keys]
        if len({m.report for m in members}) < 2:
            continue
        matched, a0, a1, *_ = align(paragraphs[keys[0]], paragraphs[keys[1]]) if len(keys) > 1 else (0, 0, 0)
        clusters.append(Cluster(_passage_id(keys), max(best[k][0] for k in keys), False, members,
                                text=paragraphs[keys[0]][a0:a1] or paragraphs[keys[0]], first=keys[0]))
    for keys, unit in templates:
        members = [Member(rid, anchor, round(min(1.0, len(unit) / len(paragraphs[(rid, anchor)])), 3))
                   for rid, anchor in keys]
        clusters.append(Cluster(_passage_id(keys), len(unit), True, members, text=unit, first=keys[0]))
    clusters.sort(key=lambda c: (-c.reports, -c.chars, c.passage))
    by_paragraph: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cluster in clusters:
        for m in cluster.members:
            by_paragraph[(m.report, m.paragraph)].append(cluster.passage)
    return Reuse(clusters, dict(by_paragraph))


def _passage_id(keys: list[tuple[str, str]]) -> str:
    h = hashlib.blake2b("\n".join(f"{r}#{a}" for r, a in keys).encode(), digest_size=5)
    return "s-" + h.hexdigest()


# ---- data files --------------------------------------------------------------------------------

def reuse_json(reuse: Reuse) -> bytes:
    lines = ",\n".join(json.dumps(c.to_dict(), ensure_ascii=False, separators=(",", ":")) for c in reuse.clusters)
    return ("[\n" + lines + "\n]\n").encode("utf-8") if lines else b"[]\n"


def reuse_csv(reuse: Reuse) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["passage", "chars", "banal", "report", "paragraph", "similarity"])
    for c in reuse.clusters:
        for m in c.members:
            writer.writerow([c.passage, c.chars, "true" if c.banal else "false", m.report, m.paragraph,
                             m.similarity])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
