"""Stage 4: body lines -> headings and paragraphs.

Headings come from 公文 numbering (GB/T 9704 order 一、 > （一） > 1. > （1）, with
第一部分 / 第一章 above them). Levels are assigned per report from the styles it
actually uses, so a report whose top level is （一） gets ``##`` for it.
Paragraph-initial 一是 / 二是 items become one level below the current heading.
"""
from __future__ import annotations

import re
from collections import Counter
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from .fingerprint import fingerprint
from .patterns import CAPITAL_NUMERALS, HAN_NUMERALS, SENTENCE_SPLIT

MAX_HEADING = 60  # characters; a longer first sentence makes the line a numbered paragraph (or is cut at a colon)
MAX_ITEM_LEAD = 60

_N = f"[{HAN_NUMERALS}]+"
_NC = f"[{HAN_NUMERALS}{CAPITAL_NUMERALS}]+"  # 壹、貳、 number a report's parts too
STYLE_RANK = {"part": 0, "chapter": 1, "section": 2, "han": 3, "paren_han": 4, "arabic": 5, "paren_arabic": 6}
_STYLES = (
    # traditional forms too (a Taiwan or Hong Kong law: 第一編, 第二節, 第三條)
    ("part", re.compile(rf"^(第({_N})(?:部分|篇|编|編))[\s、：:，,．.]*(.*)$")),
    ("chapter", re.compile(rf"^(第({_N})章)[\s、：:，,．.]*(.*)$")),
    ("section", re.compile(rf"^(第({_N})[节節])[\s、：:，,．.]*(.*)$")),
    # the probe is NFKC-normalised, so a full-width 一． arrives as 一.
    ("han", re.compile(rf"^(({_NC})[、．.])\s*(.*)$")),
    ("paren_han", re.compile(rf"^([（(]({_N})[)）])\s*(.*)$")),
    ("arabic", re.compile(r"^(([0-9]{1,2})[.．、])(?![0-9])\s*(.*)$")),
    ("paren_arabic", re.compile(r"^([（(]([0-9]{1,2})[)）])\s*(.*)$")),
)
# "第十二条 ……": a law's article, a paragraph with a citable anchor (art-12)
_ARTICLE = re.compile(rf"^第({_N})[条條](?=[\s\u3000：:，,]|[^\s，。、；]|$)")
LAW_HEADINGS = ("part", "chapter", "section", "annex")
# "一" alone on its line (old national reports): a heading numeral without text
_NUMERAL_ALONE = re.compile(rf"^({_NC})$")
# "## 总则" in a Markdown-shaped text
_MARKDOWN = re.compile(r"^(#{1,6})\s+(\S.*)$")
# "附件1" / "附件二": an annex after the report restarts the numbering
_ANNEX = re.compile(rf"^附件\s*([0-9]{{1,2}}|{_N})?\s*[:：]?$")
# "19.…" then "20.2026年…": the number of a list item directly followed by digits
_DECIMAL_LIKE = re.compile(r"^(([0-9]{1,2})\.)(?=[0-9])")
_ITEM = re.compile(rf"^(({_N})(?:是|要))(.+)$")
# "一、二等奖": a numeral list inside text, not a heading
_NUMERAL_LIST = re.compile(rf"^{_N}(?:[、，,]|等|级|类|至|到|和|或)")
_DIGITS = "一二三四五六七八九"


def _approximate(number: int, body: str) -> bool:
    """"三、四十年前" (thirty or forty years ago): the numeral after 、 is the next one, times ten
    or a hundred — an approximate number in running text, not heading 三 about forty years."""
    return 1 <= number <= 8 and len(body) >= 2 and body[0] == _DIGITS[number] and body[1] in "十百千万"
_SENTENCE_SPLIT = SENTENCE_SPLIT
_CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
_LEAD_COLON = re.compile(r"[：:]")
# a heading is a phrase or a sentence: text that stops at a comma or a semicolon goes on, so the
# line is a numbered paragraph or list item (三、如果当时的法律不认为是犯罪，…； （五）规定选举日期；)
_CLAUSE_END = ("，", ",", "；", ";", "、")
# nor does a heading hold a semicolon, or three clauses in more than this many characters: such a
# line is a provision or a list item (六、本市支持“一业一证”改革，将…整合为…，通过…集成办理。), while a
# report's heading of three clauses is short (一是奋力推进产业振兴，巩固壮大…，建设…体系。: 37)
MAX_CLAUSED_HEADING = 45


def _lead(body: str) -> tuple[str, str] | None:
    """The heading text at the start of a numbered line's body and the rest, or None when the line
    is a provision or list item: its first sentence, or else a term before a colon (24.VEP核算：…,
    二、工作要求：…; no comma or bracket before it, so not 实现…，…（牵头单位：)."""
    heading, rest = _split_lead(body, MAX_HEADING, _SENTENCE_SPLIT, _LEAD_COLON)
    if _is_heading_text(heading):
        return heading, rest
    colon = _LEAD_COLON.search(body)
    if colon and colon.start() <= MAX_HEADING and not re.search(r"[，,（(\[【]", body[:colon.start()]):
        return body[:colon.end()], body[colon.end():].strip()
    return None


def _is_heading_text(heading: str) -> bool:
    text = heading.strip()
    if not text or text.endswith(_CLAUSE_END) or re.search("[；;]", text):
        return False
    return len(re.findall("[，,]", text)) < 2 or len(text.rstrip("。！？!?")) <= MAX_CLAUSED_HEADING
_ITEM_LEAD_SPLIT = re.compile(r"[。！？!?；;：:]")


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"


@dataclass
class Block:
    kind: BlockKind
    text: str  # full text as shown (a heading keeps its number)
    level: int = 0  # 2..6 for headings
    style: str = ""  # numbering style of a heading: part, han, paren_han, arabic, paren_arabic, item, annex
    number: int = 0
    anchor: str = ""
    ordinal: int = 0  # paragraph number shown to readers (¶n), headings 0


@dataclass
class Outline:
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == BlockKind.HEADING]


def han_number(numeral: str) -> int:
    """一 -> 1, 十一 -> 11, 二十三 -> 23, 一百 -> 100; 0 when not a numeral."""
    digits = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4,
              "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9}
    total, current = 0, 0
    for ch in numeral:
        if ch in digits:
            current = digits[ch]
        elif ch in "十拾":
            total += (current or 1) * 10
            current = 0
        elif ch in "百佰":
            total += (current or 1) * 100
            current = 0
        else:
            return 0
    return total + current


def _to_int(text: str) -> int:
    return int(text) if text.isdigit() else han_number(text)


@dataclass
class _Candidate:
    style: str
    number: int
    heading: str  # number + lead text
    rest: str  # text that follows on the same line, becomes a paragraph
    ambiguous: bool = False  # "20.2026年…": a heading only where the numbering expects 20
    provision: bool = False  # numbered, but a provision or list item (``_lead``): a paragraph


def classify(line: str) -> _Candidate | None:
    """The heading this line starts with, or None for a plain paragraph."""
    probe = unicodedata.normalize("NFKC", line[:8]) + line[8:]
    for style, pattern in _STYLES:
        m = pattern.match(probe)
        if not m:
            continue
        number = _to_int(m.group(2))
        if number == 0:
            return None
        label_len = len(m.group(1))
        label, body = line[:label_len], line[label_len:].lstrip()
        if body and line[label_len:label_len + 1].isspace() and not unicodedata.category(label[-1]).startswith("P"):
            label += " "  # "第一部分 工作回顾": the space is part of the heading as written
        if style == "han" and (_NUMERAL_LIST.match(body) or _approximate(number, body)):
            return None
        lead = _lead(body)
        if lead is None:  # a numbered paragraph or list item: the whole line is text
            return _Candidate(style, number, "", line, provision=True)
        return _Candidate(style, number, label + lead[0], lead[1])
    m = _DECIMAL_LIKE.match(unicodedata.normalize("NFKC", line[:8]) + line[8:])
    if m and int(m.group(2)) >= 2:
        label_len = len(m.group(1))
        lead = _lead(line[label_len:])
        if lead is None:
            return _Candidate("arabic", int(m.group(2)), "", line, ambiguous=True, provision=True)
        return _Candidate("arabic", int(m.group(2)), line[:label_len] + lead[0], lead[1], ambiguous=True)
    m = _NUMERAL_ALONE.match(line)
    if m and han_number(m.group(1)):
        return _Candidate("han", han_number(m.group(1)), line, "")
    m = _ANNEX.match(line)
    if m:
        return _Candidate("annex", _to_int(m.group(1)) if m.group(1) else 1, line, "")
    m = _ITEM.match(line)
    if m:
        number = han_number(m.group(2))
        body = m.group(3)
        # an enumeration inside one paragraph (一是…二是…) stays a paragraph
        if number == 0 or re.search(rf"[{HAN_NUMERALS}]+是", body):
            return None
        lead, rest = _split_lead(body, MAX_ITEM_LEAD, _ITEM_LEAD_SPLIT)
        if not lead:
            return None
        return _Candidate("item", number, m.group(1) + lead, rest)
    return None


def _split_lead(body: str, limit: int, splitter: re.Pattern, fallback: re.Pattern = _CLAUSE_SPLIT
                ) -> tuple[str, str]:
    """Heading text is the first sentence; the rest of the line is a paragraph.

    The punctuation mark that ends the lead sentence ends the heading and stays in it
    (`## 一是思想理论武装取得新进步。`, then the paragraph `深入学习…`): every character
    of the line reaches the page. The text after it is kept whole. A first sentence longer
    than ``limit`` is cut at the first ``fallback`` mark within it (二、工作要求：…), else
    there is no heading ("", body).
    """
    m = splitter.search(body)
    lead, rest = (body[:m.end()], body[m.end():]) if m else (body, "")
    if len(lead) - (1 if m else 0) <= limit:
        return lead, rest.strip()
    clause = fallback.search(body)
    if clause and clause.start() <= limit:
        return body[:clause.end()], body[clause.end():].strip()
    return "", body


def short_id(prefix: str, text: str, taken: dict[str, int]) -> str:
    """An ASCII anchor from the text itself, so it survives rebuilds and edits elsewhere: its
    simhash (fingerprint.py), so an edit to the text itself moves it only a few bits away.

    The n-th block with the same text gets ``-n``; ``taken`` counts the blocks per base
    anchor, so a report of thousands of identical lines costs no more than any other
    (a base never ends in ``-<digits>``, so a suffixed anchor never meets another base).
    """
    return numbered_id(prefix + fingerprint(text), taken)


def numbered_id(base: str, taken: dict[str, int]) -> str:
    """``base`` itself the first time, then ``base-2``, ``base-3`` …; ``taken`` counts the uses
    of each base (a base never ends in ``-<digits>`` after its own number, so a suffixed id
    never meets another base)."""
    seen = taken.get(base, 0)
    taken[base] = seen + 1
    return base if seen == 0 else f"{base}-{seen + 1}"


def _markdown_heading(line: str) -> tuple[int, str] | None:
    m = _MARKDOWN.match(line)
    return (len(m.group(1)), m.group(2).strip()) if m else None


def outline(lines: list[str], markdown: bool = False) -> Outline:
    """Find headings and paragraphs in a report's body lines. In a Markdown-shaped text
    (``markdown``) a `#` line is a heading at its own level; in any other text it is text."""
    marked: dict[int, int] = {}
    if markdown:
        lines = list(lines)
        for i, line in enumerate(lines):
            heading = _markdown_heading(line)
            if heading:
                marked[i], lines[i] = heading
    candidates = [classify(line) for line in lines]
    # a numbering style most of whose lines are provisions or list items numbers paragraphs, all of
    # them (a decision's 二、…是…的重要职责。 is as much a provision as its longer siblings)
    provisions = Counter(c.style for c in candidates if c and c.provision)
    headings = Counter(c.style for c in candidates if c and not c.provision)
    candidates = [None if c is None or c.provision or provisions[c.style] >= headings[c.style] else c
                  for c in candidates]
    if sum(1 for line in lines if _ARTICLE.match(line)) >= 3:
        # a law: its headings are 编/章/节; (一) and 1. inside an article are the article's items
        candidates = [c if c is None or c.style in LAW_HEADINGS else None for c in candidates]
    for i, level in marked.items():
        if candidates[i] is None:
            candidates[i] = _Candidate("markdown", min(max(level, 2), 6), lines[i], "")
    expected_arabic = 1
    for i, cand in enumerate(candidates):
        if cand and cand.style == "arabic":
            if cand.ambiguous and cand.number != expected_arabic:
                candidates[i] = None  # 1.5万名党员…, or a decimal out of the list's sequence
            else:
                expected_arabic = cand.number + 1
    used = sorted({c.style for c in candidates if c and c.style in STYLE_RANK}, key=STYLE_RANK.get)
    level_of = {style: min(2 + i, 6) for i, style in enumerate(used)}

    result = Outline()
    taken: dict[str, int] = {}
    expected: dict[str, int] = {}
    parents: list[tuple[int, int]] = []  # (style rank, level) of the headings above
    current_level = 1
    ordinal = 0

    def add_paragraph(text: str, anchor: str | None = None) -> Block:
        nonlocal ordinal
        ordinal += 1
        block = Block(BlockKind.PARAGRAPH, text, anchor=anchor or short_id("p-", text, taken), ordinal=ordinal)
        result.blocks.append(block)
        return block

    for line, cand in zip(lines, candidates):
        if cand is None:
            article = _ARTICLE.match(line)
            if article:  # a law's article: cited as 第十二条, so its anchor says art-12
                number = han_number(article.group(1))
                block = add_paragraph(line, numbered_id(f"art-{number}", taken))
                block.style, block.number = "article", number
            else:
                add_paragraph(line)
            continue
        if cand.style == "markdown":
            level = current_level = cand.number
            parents[:] = [(-1, level)]
            result.blocks.append(Block(BlockKind.HEADING, cand.heading, level=level, style="markdown",
                                       anchor=short_id("h-", cand.heading, taken)))
            continue
        if cand.style == "item" and cand.number > 1 and "item" not in expected:
            # "……政策。一是……" then "二是……" opening the next paragraph: the enumeration began
            # inside a paragraph, so its later items are paragraphs too
            add_paragraph(line)
            continue
        if cand.style == "item":
            level = min(current_level + 1, 6) if current_level > 1 else 2
        elif cand.style == "annex":
            level = current_level = 2
            parents[:] = [(-1, 2)]
            for style in list(expected):  # the annex numbers its own items from 一 again
                if style != "annex":
                    del expected[style]
        else:
            rank = STYLE_RANK[cand.style]
            while parents and parents[-1][0] >= rank:
                parents.pop()
            # never deeper than one below the parent: 一、 then 1. (no （一） in between) is ###
            level = min(level_of[cand.style], (parents[-1][1] if parents else 1) + 1)
            parents.append((rank, level))
            current_level = level
            # a new heading restarts the numbering of every style below it
            for style in list(expected):
                if style == "item" or STYLE_RANK.get(style, -1) > STYLE_RANK[cand.style]:
                    del expected[style]
        want = expected.get(cand.style, 1)
        if cand.number != want:
            result.warnings.append(
                f"numbering out of sequence: expected {want} but found “{cand.heading[:20]}”"
            )
        expected[cand.style] = cand.number + 1
        result.blocks.append(Block(
            BlockKind.HEADING, cand.heading, level=level, style=cand.style, number=cand.number,
            anchor=short_id("h-", cand.heading, taken),
        ))
        if cand.rest:
            add_paragraph(cand.rest)
    return result
