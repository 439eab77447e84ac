"""Anchors as simhash fingerprints: an edited paragraph keeps an id near its old one."""
from __future__ import annotations

import random

from conftest import CORPUS, REAL_TEXTS
from reading_room.fingerprint import distance, fingerprint, normalize, simhash
from reading_room.outline import outline


def _paragraphs(min_chars: int) -> list[list[str]]:
    """The paragraphs of each sample report (and of the real texts, when present)."""
    files = sorted(CORPUS.glob("*.txt")) + (sorted(REAL_TEXTS.glob("*.txt")) if REAL_TEXTS.is_dir() else [])
    result = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        result.append([line.strip() for line in text.splitlines() if len(normalize(line)) >= min_chars])
    return [p for p in result if len(p) > 1]


def test_fingerprint_is_a_pure_function_of_the_text():
    text = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。"
    assert fingerprint(text) == fingerprint(text) == fingerprint(text.replace("，", "，  "))
    assert len(fingerprint(text)) == 16 and int(fingerprint(text), 16) == simhash(text)
    assert fingerprint("党") != fingerprint("政") and fingerprint("") == fingerprint(" ")


EDITS = 10  # per paragraph


def test_one_character_changed_keeps_the_nearest_fingerprint():
    """Change one character of every paragraph of 20+ characters (ten times, at random places): its
    new fingerprint is nearer to its old one than to any other paragraph's of the same report (so
    an old link resolves) in more than 99 % of the edits."""
    rng = random.Random(7)
    tried = wrong = 0
    near = []
    for paragraphs in _paragraphs(20):
        prints = [fingerprint(p) for p in paragraphs]
        for i, text in enumerate(paragraphs):
            for _ in range(EDITS):
                j = rng.randrange(len(text))
                edited = fingerprint(text[:j] + ("某" if text[j] != "某" else "甲") + text[j + 1:])
                own = distance(edited, prints[i])
                others = [distance(edited, f) for k, f in enumerate(prints) if paragraphs[k] != text]
                tried += 1
                near.append(own)
                wrong += bool(others) and min(others) <= own
    # the sample corpus alone has 78 such paragraphs: 780 edits, enough to measure a rate under 1 %
    assert tried > 500
    assert wrong / tried < 0.01, (wrong, tried)
    assert sorted(near)[len(near) // 2] <= 8  # the median edit moves the id by a few bits of 64


def test_unrelated_paragraphs_are_far_apart():
    paragraphs = [p for report in _paragraphs(30) for p in report]
    prints = sorted({fingerprint(p) for p in paragraphs})
    rng = random.Random(3)
    pairs = [distance(*rng.sample(prints, 2)) for _ in range(2000)]
    assert 24 <= sorted(pairs)[len(pairs) // 2] <= 40  # about half of 64 bits


def test_outline_anchors_are_fingerprints_of_the_text():
    result = outline(["一、加强党的建设", "全面从严治党向纵深发展，党风廉政建设取得新成效。"])
    heading, paragraph = result.blocks
    assert heading.anchor == "h-" + fingerprint("一、加强党的建设")
    assert paragraph.anchor == "p-" + fingerprint("全面从严治党向纵深发展，党风廉政建设取得新成效。")
