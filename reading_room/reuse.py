"""Shared passages: for every paragraph, the other reports that hold the same passage of at least
``MIN_CHARS`` characters, verbatim or nearly (characters changed, a clause cut).

    paragraphs -> units (clauses, short ones joined to the next)
    each unit's MinHash (datasketch) cut into LSH bands; units with a band key in common are
        near-identical (reuse_store.py: kept on disk, found by sorting each band's keys)
    a unit group with a key held by a large share of the corpus is a template (banal): kept as
        one cluster, never expanded into pairs
    every other group: each paragraph aligned with the group's first (rapidfuzz), kept when the
        alignment holds a passage of MIN_CHARS+ matched characters at least MIN_DENSITY of its
        span, MIN_DISTINCT+ of them outside template units (a frame a few reports fill with
        other words holds fewer)
    a star split into the sets of members that share such a passage with each other too, not
        only with the hub (maximal cliques)
    paragraphs joined by kept alignments -> clusters

A group is aligned as a star (one alignment per member), so the cost grows with the corpus, not
with its square, as long as no group is large: a group held by many reports is banal and skipped.
Units, band keys and alignments stay in the store between builds: a rebuild hashes only units
never seen and aligns only pairs never aligned. Everything is ordered before it is hashed or
written, so the result is the same on every build.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Indel

from .cache import code_version, digest
from .cite import iso_date
from .fingerprint import normalize
from .outline import BlockKind
from .report import Report
from .reuse_groups import band_keys, unit_groups
from .reuse_store import UnitStore, unit_key
from .workers import LocalWorkers
from .site import cluster_url

MIN_CHARS = 30  # a shared passage is at least this long
MIN_DENSITY = 0.8  # matched characters / span of the aligned passage
MAX_GAP = 8  # characters changed between two matched stretches of one passage
MAX_CUT = 40  # characters cut from one side only (a clause) between two matched stretches
MIN_UNIT = 12  # shorter sentences are joined to the next
BANAL_SHARE = 0.02  # a unit in at least this share of the reports (and BANAL_MIN) is a template
BANAL_MIN = 8
MIN_DISTINCT = 25  # matched characters outside template units (corpus/reuse.yml: min_distinct_chars)
SIGN_PART = 1_000  # units hashed per job on a core
CLIQUE_MAX = 60  # a larger star is not split by its members' pairs (1,770 alignments at most)
HUBS = 6  # stars tried per group of near-identical clauses
# units end at a clause: a passage copied into the middle of another paragraph, or with a clause
# cut, still shares whole units with its source
_CLAUSE = re.compile(r"(?<=[，,、；;：:。！？!?])")


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

    @cached_property
    def reports(self) -> int:
        """Reports among the members (counted once: a template has thousands of members, and
        every shared paragraph's marker compares the clusters it is in)."""
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

    @classmethod
    def of(cls, clusters: list[Cluster]) -> "Reuse":
        by_paragraph: dict[tuple[str, str], list[str]] = defaultdict(list)
        for cluster in clusters:
            for m in cluster.members:
                by_paragraph[(m.report, m.paragraph)].append(cluster.passage)
        return cls(clusters, dict(by_paragraph))

    def to_cache(self) -> list[dict]:
        """The clusters with what the pages need beyond reuse.json (kept in the build cache)."""
        return [{**c.to_dict(), "text": c.text, "first": list(c.first)} for c in self.clusters]

    @classmethod
    def from_cache(cls, data: list[dict]) -> "Reuse":
        """Inverse of ``to_cache``; raises KeyError, TypeError or ValueError on anything else."""
        clusters = [Cluster(str(c["passage"]), int(c["chars"]), bool(c["banal"]),
                            [Member(str(m["report"]), str(m["paragraph"]), float(m["similarity"]))
                             for m in c["members"]],
                            text=str(c["text"]), first=(str(c["first"][0]), str(c["first"][1])))
                    for c in data]
        return cls.of(clusters)


def units(text: str) -> list[str]:
    """A paragraph's units: from each clause on, that clause and the ones after it until the unit
    has MIN_UNIT characters (normalised text). Units overlap, so a passage copied from the middle
    of a paragraph, or into the middle of another, still shares whole units with its source."""
    return [unit for _, unit in unit_spans(normalize(text))]


def unit_spans(text: str) -> list[tuple[int, str]]:
    """``units`` of a normalised text, each with where it starts."""
    clauses = [c for c in _CLAUSE.split(text) if c]
    starts = [0]
    for clause in clauses:
        starts.append(starts[-1] + len(clause))
    out = []
    for i in range(len(clauses)):
        unit, j = clauses[i], i + 1
        while len(unit) < MIN_UNIT and j < len(clauses):
            unit += clauses[j]
            j += 1
        if len(unit) >= MIN_UNIT:
            out.append((starts[i], unit))
    return out


def align(a: str, b: str) -> tuple[int, int, int, int, int]:
    """The best near-verbatim passage shared by ``a`` and ``b``: (matched characters, start and end in
    a, start and end in b); matched is 0 when there is none of MIN_CHARS+ characters.

    Matched stretches (difflib) separated by a few changed characters on both sides are one run;
    two runs separated by a clause cut from one side only (MAX_CUT) are one passage too."""
    return passage(a, b)[:5]


def passage(a: str, b: str) -> tuple[int, ...]:
    """``align`` followed by the matched stretches of the passage, three numbers each (start in
    a, start in b, length)."""
    blocks = [blk for blk in Indel.opcodes(a, b).as_matching_blocks() if blk.size]
    runs: list[list] = []  # the matched stretches (a, b, size) of each run, in order
    for blk in blocks:
        if runs:
            last = runs[-1][-1]
            if blk.a - (last[0] + last[2]) <= MAX_GAP and blk.b - (last[1] + last[2]) <= MAX_GAP:
                runs[-1].append(tuple(blk))
                continue
        runs.append([tuple(blk)])
    cuts = [(first, second) for first, second in zip(runs, runs[1:])
            if min(second[0][0] - _end(first)[0], second[0][1] - _end(first)[1]) <= 2
            and max(second[0][0] - _end(first)[0], second[0][1] - _end(first)[1]) <= MAX_CUT]
    best: tuple[int, ...] = (0, 0, 0, 0, 0)
    for run in runs:
        best = _densest(run, best)
    for first, second in cuts:
        matched, span_a, span_b = _sums(first + second)
        if matched >= MIN_CHARS and matched >= MIN_DENSITY * min(span_a, span_b) and matched > best[0]:
            best = _result(first + second)
    return best


def _end(run: list[tuple[int, int, int]]) -> tuple[int, int]:
    a, b, size = run[-1]
    return a + size, b + size


def _sums(stretches: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    """Matched characters and the span on each side."""
    end_a, end_b = _end(stretches)
    return sum(s[2] for s in stretches), end_a - stretches[0][0], end_b - stretches[0][1]


def _result(stretches: list[tuple[int, int, int]]) -> tuple[int, ...]:
    end_a, end_b = _end(stretches)
    return (sum(s[2] for s in stretches), stretches[0][0], end_a, stretches[0][1], end_b,
            *(x for s in stretches for x in s))


def _densest(run: list[tuple[int, int, int]], best: tuple[int, ...]) -> tuple[int, ...]:
    """The stretch of consecutive matches in ``run`` with the most matched characters that is
    a passage (MIN_CHARS+, MIN_DENSITY of its span), if it beats ``best``: a run can pick up a
    few one-character coincidences at its ends that would thin a verbatim passage below the
    density (41 characters copied, then 一 … 的 … 了 a few characters apart)."""
    before = [0]
    for stretch in run:
        before.append(before[-1] + stretch[2])
    for i in range(len(run)):
        if before[-1] - before[i] <= best[0]:
            break
        for j in range(len(run) - 1, i - 1, -1):
            matched = before[j + 1] - before[i]
            if matched <= best[0] or matched < MIN_CHARS:
                break
            span = min(run[j][0] + run[j][2] - run[i][0], run[j][1] + run[j][2] - run[i][1])
            if matched >= MIN_DENSITY * span:
                best = _result(run[i:j + 1])
                break
    return best


def distinctive(result: tuple[int, ...], fixed_a: bytearray, fixed_b: bytearray) -> int:
    """The matched characters of a ``passage`` result that are in no template unit on either side
    (``fixed_a``, ``fixed_b``: 1 for each character of the paragraph inside one)."""
    count = 0
    for k in range(5, len(result), 3):
        at_a, at_b, size = result[k:k + 3]
        count += size - sum(x | y for x, y in zip(fixed_a[at_a:at_a + size], fixed_b[at_b:at_b + size]))
    return count


def _store_version() -> str:
    return digest(code_version(), "reuse-store")


def find_reuse(reports: list[Report], store: Path | None = None, keys: dict[str, str] | None = None,
               min_distinct: int = MIN_DISTINCT, jobs: int | None = None) -> Reuse:
    """The shared-passage clusters of the corpus. ``store``: the SQLite file that keeps units,
    band keys and alignments between builds (in memory when None); ``keys``: report id -> a
    digest of what the report was made from (the conversion cache key), so that only reports
    whose key changed are read again (without it, a digest of each report's paragraphs);
    ``min_distinct``: the matched characters outside template units a shared passage holds;
    ``jobs``: the cores that hash the units."""
    paragraph_blocks = {r.id: [b for b in r.blocks if b.kind == BlockKind.PARAGRAPH] for r in reports}
    keys_of = {rid: keys[rid] if keys else digest(rid, *(part for b in blocks for part in (b.anchor, b.text)))
               for rid, blocks in paragraph_blocks.items()}
    texts: dict[tuple[str, str], str] = {}

    def paragraph(key: tuple[str, str]) -> str:
        """A paragraph's normalised text (read when a group needs it)."""
        if key not in texts:
            for block in paragraph_blocks[key[0]]:
                texts[(key[0], block.anchor)] = normalize(block.text)
        return texts[key]

    def units_of(rid: str) -> list[tuple[str, list[str]]]:
        found = []
        for block in paragraph_blocks[rid]:
            text = normalize(block.text)  # not kept: only the paragraphs of a group are read again
            if len(text) >= MIN_CHARS:
                found.append((block.anchor, list(dict.fromkeys(units(text)))))
        return found

    banal_reports = max(BANAL_MIN, math.ceil(BANAL_SHARE * len(reports)))
    templates: list[tuple[list[tuple[str, str]], list[int]]] = []
    used: dict[tuple[int, int], tuple] = {}  # (hub text, other text) -> align(), this search's
    # passage clusters by their members: the clauses of one passage give the same members
    found: dict[tuple, dict] = {}
    fixed: dict[tuple[str, str], bytearray] = {}

    def template_chars(key: tuple[str, str]) -> bytearray:
        """1 for each character of a paragraph inside a template unit."""
        if key not in fixed:
            text = paragraph(key)
            mask = bytearray(len(text))
            for start, unit in unit_spans(text):
                if unit_key(unit) in template_units:
                    mask[start:start + len(unit)] = b"\x01" * len(unit)
            fixed[key] = mask
        return fixed[key]

    def shared(x: tuple[str, str], y: tuple[str, str]) -> tuple[int, ...]:
        """align() of two paragraphs when they share a passage by the rule, else ()."""
        pair = (unit_key(paragraph(x)), unit_key(paragraph(y)))
        result = used.get(pair) or db.aligned(*pair)
        if result is None:
            result = passage(paragraph(x), paragraph(y))
        used[pair] = result
        if result[0] and distinctive(result, template_chars(x), template_chars(y)) >= min_distinct:
            return result[:5]
        return ()

    with UnitStore.open(store, _store_version()) as db:
        with LocalWorkers(jobs, fresh=True) as workers:  # ended before the grouping's peak
            db.update(keys_of, units_of, lambda texts: _band_keys_on(workers, texts))
        groups, template_units = unit_groups(db, banal_reports)
        for group_units, keys, banal in groups:
            if banal:
                templates.append((keys, group_units))  # a template: grouped once, never expanded
                continue
            # a star around the first paragraph; those it does not share the passage with try
            # again around the next (at most HUBS times: a group is a handful of near-identical clauses)
            remaining = keys
            for _ in range(HUBS):
                if len({rid for rid, _ in remaining}) < 2:
                    break
                hub, matches = remaining[0], {}
                for other in remaining[1:]:
                    if other[0] == hub[0]:
                        continue
                    result = shared(hub, other)
                    if result:
                        matches[other] = result
                remaining = [k for k in remaining[1:] if k not in matches]
                for star in (clique for region in _by_region(matches) for clique in _cliques(region, shared)):
                    members = tuple(sorted([hub, *star]))
                    entry = found.setdefault(members, {"scores": {}, "chars": 0, "text": "", "first": hub})
                    longest = max(star.values())
                    if longest[0] > entry["chars"]:
                        entry["chars"], entry["first"] = longest[0], hub
                        entry["text"] = paragraph(hub)[longest[1]:longest[2]]
                    for key, n in [(hub, longest[0])] + [(k, r[0]) for k, r in star.items()]:
                        score = round(min(1.0, n / len(paragraph(key))), 3)
                        entry["scores"][key] = max(entry["scores"].get(key, 0.0), score)
        db.keep_alignments(used)
    clusters = []
    for members, entry in found.items():
        clusters.append(Cluster(_passage_id(list(members)), entry["chars"], False,
                                [Member(rid, anchor, entry["scores"][(rid, anchor)]) for rid, anchor in members],
                                text=entry["text"], first=entry["first"]))
    # the clauses of one formulaic line, held by the same paragraphs, are one template
    lines: dict[tuple, set[int]] = defaultdict(set)
    for keys, group_units in templates:
        lines[tuple(keys)].update(group_units)
    for keys, line_units in lines.items():
        first = paragraph(keys[0])
        held = [u for u in units(first) if unit_key(u) in line_units]
        spans = [(first.find(u), first.find(u) + len(u)) for u in held]
        text = first[min(a for a, _ in spans):max(b for _, b in spans)] if spans else first
        members = [Member(rid, anchor, round(min(1.0, len(text) / len(paragraph((rid, anchor)))), 3))
                   for rid, anchor in keys]
        clusters.append(Cluster(_passage_id(list(keys)), len(text), True, members, text=text, first=keys[0]))
    clusters.sort(key=lambda c: (-c.reports, -c.chars, c.passage))
    return Reuse.of(clusters)


def _band_keys_on(workers: LocalWorkers, texts: list[str]):
    """``band_keys`` of ``texts``, in parts on every core (hashing the units is most of a full
    search: 125 s of one core at 74,545 news items): started now, returns a function that waits
    for the array."""
    parts = [texts[start:start + SIGN_PART] for start in range(0, len(texts), SIGN_PART)]
    results = workers.started(band_keys, parts)
    return lambda: np.vstack(results())


def _by_region(matches: dict) -> list[dict]:
    """A hub's matches split by the part of the hub they share: every paragraph of a star holds
    one stretch of MIN_CHARS+ characters of the hub (the star's common part), so any two of them
    share it too; paragraphs that share different passages of the hub share nothing with each
    other, and are not one cluster."""
    stars: list[tuple[int, int, dict]] = []
    for key, result in sorted(matches.items(), key=lambda kv: (kv[1][1], kv[1][2], kv[0])):
        start, end = result[1], result[2]
        for k, (s0, s1, star) in enumerate(stars):
            overlap = min(s1, end) - max(s0, start)
            if overlap >= 0.5 * min(s1 - s0, end - start):
                star[key] = result
                stars[k] = (min(s0, start), max(s1, end), star)
                break
        else:
            stars.append((start, end, {key: result}))
    return [star for _, _, star in stars]


def _cliques(star: dict, shared) -> list[dict]:
    """A star's members split so that any two in one part share a passage when aligned directly
    (``shared``), not only each with the hub: the maximal cliques of that relation (Bron-Kerbosch),
    so two members that share one are always in one part. A star of more than CLIQUE_MAX members
    is kept whole (its pairs would cost too many alignments)."""
    members = sorted(star)
    if len(members) < 2 or len(members) > CLIQUE_MAX:
        return [star]
    near = {m: set() for m in members}
    for i, x in enumerate(members):
        for y in members[i + 1:]:
            if shared(x, y):
                near[x].add(y)
                near[y].add(x)
    if all(len(n) == len(members) - 1 for n in near.values()):
        return [star]
    found: list[list] = []

    def grow(clique: list, candidates: set, excluded: set) -> None:
        if not candidates and not excluded:
            found.append(sorted(clique))
            return
        pivot = max(sorted(candidates | excluded), key=lambda m: len(near[m] & candidates))
        for m in sorted(candidates - near[pivot]):
            grow(clique + [m], candidates & near[m], excluded & near[m])
            candidates = candidates - {m}
            excluded = excluded | {m}

    grow([], set(members), set())
    return [{m: star[m] for m in clique} for clique in sorted(found)]


def _passage_id(keys: list[tuple[str, str]]) -> str:
    h = hashlib.blake2b("\n".join(f"{r}#{a}" for r, a in keys).encode(), digest_size=5)
    return "s-" + h.hexdigest()


def marks_by_report(reuse: Reuse) -> dict[str, dict[str, tuple[str, int]]]:
    """report id -> anchor -> (url of the passage's view, number of other reports), for the marker
    on each shared paragraph (templates only where the paragraph shares nothing else)."""
    by_id = {c.passage: c for c in reuse.clusters}
    result: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for (rid, anchor), ids in sorted(reuse.by_paragraph.items()):
        best = max((by_id[i] for i in ids), key=lambda c: (not c.banal, c.reports, c.passage))
        result[rid][anchor] = (cluster_url(best.passage, len(reuse.clusters)), best.reports - 1)
    return dict(result)


@dataclass(frozen=True)
class Summary:
    """What a report shares with the rest of the corpus (templates left out)."""
    share: float  # characters of its paragraphs found elsewhere / its characters
    partners: tuple[tuple[str, int], ...]  # (report id, paragraphs shared with it), most first, at most 3
    # (date, report id) of the earliest dated report among those holding its shared passages, itself
    # included: the report may be where the passage first appears
    earliest: tuple[str, str] = ("", "")


def summaries(reuse: Reuse, reports: list[Report]) -> dict[str, Summary]:
    """report id -> Summary, for every report that shares a passage."""
    by_id = {r.id: r for r in reports}
    found: dict[str, dict[str, float]] = defaultdict(dict)  # report -> anchor -> similarity
    partners: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for cluster in reuse.clusters:
        if cluster.banal:
            continue
        held: dict[str, set] = defaultdict(set)  # report -> its paragraphs in the cluster
        for m in cluster.members:
            found[m.report][m.paragraph] = max(found[m.report].get(m.paragraph, 0.0), m.similarity)
            held[m.report].add(m.paragraph)
        for rid, paragraphs in held.items():  # pairs of reports, not of members: a cluster can hold hundreds
            mine = partners[rid]
            for other in held:
                if other != rid:
                    mine[other].update(paragraphs)
    result = {}
    for rid, anchors in found.items():
        lengths = {b.anchor: len(normalize(b.text)) for b in by_id[rid].blocks}
        total = sum(lengths.values()) or 1
        shared = sum(sim * lengths[a] for a, sim in anchors.items())
        ranked = sorted(((o, len(p)) for o, p in partners[rid].items()), key=lambda x: (-x[1], x[0]))
        dated = sorted((iso_date(by_id[o]), o) for o in [rid, *partners[rid]] if iso_date(by_id[o]))
        result[rid] = Summary(round(min(1.0, shared / total), 3), tuple(ranked[:3]), dated[0] if dated else ("", ""))
    return result
