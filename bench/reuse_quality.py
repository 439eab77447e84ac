"""How well the shared-passage search finds planted passages, and how precise its clusters are.

    python bench/reuse_quality.py CORPUS_DIR [--plants N] [--seed S]

Plants N passages of 40-90 characters taken from one report into another (a third verbatim, a
third with two characters changed, a third with a clause cut; half as a paragraph of their own,
half inside an existing paragraph), searches, and prints:

- recall: planted passages that share a non-template cluster with their source paragraph;
- precision: of the member pairs (from different reports) of non-template clusters, the share
  that hold a common passage of MIN_CHARS+ characters when aligned directly;
- the misses and a sample of the pairs that share nothing, to read.
"""
from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reading_room.fingerprint import fingerprint, normalize  # noqa: E402
from reading_room.outline import Block, BlockKind  # noqa: E402
from reading_room.conversion import convert_corpus  # noqa: E402
from reading_room.reuse import MIN_CHARS, align, find_reuse  # noqa: E402

_CLAUSE = re.compile(r"(?<=[，；])")


def plant(reports, count: int, rng: random.Random):
    """(reports with passages planted, [(source id, source anchor, target id, planted text, kind)]).
    A source paragraph that a later plant went into has that paragraph's new anchor."""
    reports = list(reports)
    long_paragraphs = [(i, b) for i, r in enumerate(reports) for b in r.blocks
                       if b.kind == BlockKind.PARAGRAPH and len(normalize(b.text)) >= 100]
    plants = []
    renamed = {}  # (report, anchor) -> the anchor of the paragraph after a plant went into it
    kinds = ["verbatim", "changed", "cut"]
    for n in range(count):
        source_index, block = rng.choice(long_paragraphs)
        anchor = block.anchor
        while (reports[source_index].id, anchor) in renamed:
            anchor = renamed[(reports[source_index].id, anchor)]
        block = next(b for b in reports[source_index].blocks if b.anchor == anchor)  # as it is now
        target_index = rng.choice([i for i in range(len(reports)) if i != source_index])
        length = rng.randint(40, 90)
        start = rng.randint(0, max(0, len(block.text) - length))
        text = block.text[start:start + length]
        kind = kinds[n % 3]
        if kind == "changed":
            k = rng.randint(10, len(text) - 12)
            text = text[:k] + "某甲" + text[k + 2:]
        elif kind == "cut":
            clauses = _CLAUSE.split(block.text)
            inner = [j for j in range(1, len(clauses) - 1) if 4 <= len(clauses[j]) <= 40]
            if len(clauses) < 4 or not inner:
                continue
            j = rng.choice(inner)
            text = "".join(c for i, c in enumerate(clauses) if i != j)
        target = reports[target_index]
        blocks = list(target.blocks)
        inside = n % 2 == 1
        hosts = [j for j, b in enumerate(blocks) if b.kind == BlockKind.PARAGRAPH and len(b.text) > 40
                 and not any(p[3] in b.text for p in plants)]  # a plant is never split by another
        if inside and hosts:
            j = rng.choice(hosts)
            host = blocks[j].text
            anchor = "p-" + fingerprint(host[:20] + text + host[20:])
            plants = [(s, anchor if (s, a) == (target.id, blocks[j].anchor) else a, *rest) for s, a, *rest in plants]
            renamed[(target.id, blocks[j].anchor)] = anchor
            blocks[j] = replace(blocks[j], text=host[:20] + text + host[20:], anchor=anchor)
        else:
            blocks.insert(len(blocks) // 2, Block(BlockKind.PARAGRAPH, text, anchor="p-" + fingerprint(text), ordinal=999))
        reports[target_index] = replace(target, blocks=blocks)
        plants.append((reports[source_index].id, block.anchor, target.id, text, kind))
    return reports, plants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--plants", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    reports = convert_corpus(args.corpus, None).reports
    planted, plants = plant(reports, args.plants, random.Random(args.seed))
    started = time.perf_counter()
    reuse = find_reuse(planted)
    seconds = time.perf_counter() - started
    text = {(r.id, b.anchor): normalize(b.text) for r in planted for b in r.blocks if b.kind == BlockKind.PARAGRAPH}
    clusters = [c for c in reuse.clusters if not c.banal]
    found, misses = 0, []
    for source, anchor, target, passage, kind in plants:
        target_anchor = next(b.anchor for r in planted if r.id == target for b in r.blocks if passage in b.text)
        members = [{(m.report, m.paragraph) for m in c.members} for c in clusters]
        if any({(source, anchor), (target, target_anchor)} <= m for m in members):
            found += 1
        else:
            misses.append((kind, passage))
    pairs = good = 0
    bad = []
    for c in clusters:
        for a, b in itertools.combinations(c.members, 2):
            if a.report == b.report:
                continue
            pairs += 1
            if align(text[(a.report, a.paragraph)], text[(b.report, b.paragraph)])[0] >= MIN_CHARS:
                good += 1
            elif len(bad) < 8:
                bad.append((text[(a.report, a.paragraph)][:60], text[(b.report, b.paragraph)][:60]))
    print(f"{args.corpus}: {len(reports)} reports, {len(plants)} plants, search {seconds:.1f} s")
    print(f"recall {found}/{len(plants)} = {found / max(1, len(plants)):.1%}")
    print(f"precision {good}/{pairs} = {good / max(1, pairs):.1%} of member pairs in {len(clusters)} clusters")
    for kind, passage in misses:
        print("  missed", kind, passage)
    for a, b in bad:
        print("  shares nothing:", a, "|", b)


if __name__ == "__main__":
    main()
