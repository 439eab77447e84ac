"""Stage 2: decoded text -> body lines, with every removal recorded.

Cleaning removes web-scrape boilerplate (rules in ``corpus/boilerplate.yml``),
turns bylines into metadata and repairs extraction artefacts. It never drops
a line silently: each removed line becomes a ``Removal`` naming its rule.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from . import extract, segment
from .patterns import CAPITAL_NUMERALS, HAN, HAN_NUMERALS, HEADING_START, SENTENCE_END

_HAN = HAN
_HAN_SPACE_HAN = re.compile(rf"(?<=[{_HAN}])[ \u3000\u00a0\t]+(?=[{_HAN}])")
# Punctuation after which a line break is a real paragraph end.
_LINE_END_OK = "。！？!?；;：:…”」』）)】>》"
_SUBTITLE = re.compile(r"^(——|--|―)")
_ONLY_OPENING = re.compile(r"[（(【\[“‘《〔]+")
_ONLY_CLOSING = re.compile(r"[）)】\]”’》〕。，、；：！？,.;:!?]+")
_AT_MEETING = re.compile(r"上(的(讲话|发言|报告|致辞))?$")
_RUNNING_TEXT = re.compile(r"[，。；,;]")
_NEVER = re.compile(r"(?!)")


def title_end_pattern(genre_words: Iterable[str]) -> re.Pattern:
    """A line that ends in a genre word (……工作总结, ……的意见) is shaped like a title: it is
    not furniture, not half of a broken sentence, and keeps its spaces. The words are the
    genre keywords of metadata.yml; a one-character keyword (法) is left out, because
    ordinary words end in it too (方法, 做法)."""
    words = sorted({w.rstrip("$") for w in genre_words if len(w.rstrip("$")) >= 2}, key=lambda w: (-len(w), w))
    return re.compile("(" + "|".join(map(re.escape, words)) + ")$") if words else _NEVER


@dataclass(frozen=True)
class LineRule:
    name: str
    pattern: re.Pattern
    max_length: int | None = None
    zone: str = "anywhere"
    not_numbered: bool = False  # the rule never takes a numbered line (一、 （五） 第三条): that is text


@dataclass(frozen=True)
class BlockRule:
    name: str
    start: re.Pattern
    cont: re.Pattern
    after_separator_only: bool = False
    zone: str = "anywhere"


@dataclass(frozen=True)
class MetadataRule:
    name: str
    pattern: re.Pattern
    value_on_next_line: bool = False
    zone: str = "anywhere"
    date_source: str = "byline"  # where a date read by this rule comes from (reports.json `date_source`)
    fields: tuple[tuple[str, str], ...] = ()  # label as written -> metadata field (发文字号 -> doc_number)


@dataclass(frozen=True)
class FurnitureSettings:
    min_reports: int = 3
    min_share: float = 0.02
    max_length: int = 50


@dataclass(frozen=True)
class CleaningRules:
    lines: tuple[LineRule, ...] = ()
    blocks: tuple[BlockRule, ...] = ()
    metadata: tuple[MetadataRule, ...] = ()
    prefixes: tuple[LineRule, ...] = ()
    furniture: FurnitureSettings = FurnitureSettings()
    zone_lines: int = 30
    title_end: re.Pattern = _NEVER  # title_end_pattern of metadata.yml's genre words

    @classmethod
    def from_dict(cls, data: dict, genre_words: Iterable[str] = ()) -> "CleaningRules":
        def rx(p: str) -> re.Pattern:
            return re.compile(p)

        return cls(
            lines=tuple(
                LineRule(r["name"], rx(r["pattern"]), r.get("max_length"), r.get("zone", "anywhere"),
                         bool(r.get("not_numbered")))
                for r in data.get("lines", [])
            ),
            blocks=tuple(
                BlockRule(
                    r["name"], rx(r["start"]), rx(r["continue"]),
                    bool(r.get("after_separator_only")), r.get("zone", "anywhere"),
                )
                for r in data.get("blocks", [])
            ),
            metadata=tuple(
                MetadataRule(r["name"], rx(r["pattern"]), bool(r.get("value_on_next_line")),
                             r.get("zone", "anywhere"), r.get("date_source", "byline"),
                             tuple((r.get("fields") or {}).items()))
                for r in data.get("metadata", [])
            ),
            prefixes=tuple(LineRule(r["name"], rx(r["pattern"])) for r in data.get("prefixes", [])),
            furniture=FurnitureSettings(**data.get("furniture", {})),
            zone_lines=int(data.get("zone_lines", 30)),
            title_end=title_end_pattern(genre_words),
        )


@dataclass(frozen=True)
class Removal:
    rule: str
    text: str
    line: int  # 1-based line number in the decoded file
    # removed (boilerplate), repaired (an extraction artefact put right: the text stays),
    # metadata (a byline or header field taken into the report's metadata)
    action: str = "removed"


@dataclass
class Cleaned:
    lines: list[str]  # body lines in order, stripped, repaired
    removed: list[Removal] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # date, source, author, editor


def strip_line(line: str) -> str:
    """Remove indentation and trailing space, full-width space included."""
    return line.strip(" \t\u3000\u00a0\u200b\ufeff")


def furniture_key(line: str) -> str:
    return unicodedata.normalize("NFKC", strip_line(line))


def looks_like_text(line: str, title_end: re.Pattern) -> bool:
    """Lines that may repeat across reports and still be a report's own text."""
    line = re.sub(r"^#{1,6}\s+", "", line)  # "## 第一章 总则" in a Markdown text
    return bool(
        HEADING_START.match(line)
        or _NUMERAL_ALONE.fullmatch(line)  # "一" alone: a heading of an old national report
        or _ARTICLE_START.match(line)
        or line.endswith((":", "："))
        or line.endswith(tuple(SENTENCE_END))
        or title_end.search(line)
    )


def find_furniture(texts: Iterable[str], rules: CleaningRules) -> frozenset[str]:
    """Lines that occur verbatim in many reports: the frame of the site they came from."""
    counts: Counter[str] = Counter()
    settings = rules.furniture
    total = 0
    for text in texts:
        total += 1
        keys = {furniture_key(line) for line in text.split("\n")}
        counts.update(k for k in keys if k and len(k) <= settings.max_length)
    threshold = max(settings.min_reports, settings.min_share * total)
    return frozenset(k for k, n in counts.items() if n >= threshold and not looks_like_text(k, rules.title_end))


def _in_zone(zone: str, index: int, total: int, zone_lines: int) -> bool:
    if zone == "head":
        return index < zone_lines
    if zone == "tail":
        return index >= total - zone_lines
    if zone == "ends":
        return index < zone_lines or index >= total - zone_lines
    return True


def clean(text: str, rules: CleaningRules, furniture: frozenset[str] = frozenset()) -> Cleaned:
    """Remove boilerplate, lift bylines into metadata, repair extraction artefacts."""
    out = Cleaned(lines=[])
    repaired_lines, repairs = extract.repair(text)
    out.removed.extend(Removal(r.rule, r.text, r.line, r.action) for r in repairs)
    numbered = [(n, strip_line(line)) for n, line in repaired_lines]
    numbered = _front_matter(numbered, out)
    if _is_markdown_shaped(numbered, out):
        out.metadata["markdown"] = "yes"
    breaks = paragraph_breaks(numbered)
    numbered = [(n, _strip_prefixes(line, n, rules, out) if "markdown" in out.metadata else line)
                for n, line in numbered if line]
    total = len(numbered)
    kept: list[tuple[int, str]] = []
    title_at = find_title_before_byline(numbered, rules)
    pages = page_furniture(numbered, rules.title_end)

    i = 0
    while i < total:
        number, line = numbered[i]
        if i == title_at:
            # the text's own title: no rule removes it, however often it repeats across days
            kept.append((number, line))
            i += 1
            continue
        if i in pages:
            out.removed.append(Removal(pages[i], line, number))
            i += 1
            continue
        consumed = _match_metadata(numbered, i, total, rules, out)
        if not consumed:
            consumed = _match_block(numbered, i, total, rules, out, stop=title_at)
        if not consumed:
            rule = _match_line(line, i, total, rules, furniture)
            if rule:
                out.removed.append(Removal(rule, line, number))
                consumed = 1
        if consumed:
            i += consumed
            continue
        kept.append((number, line))
        i += 1

    kept = _drop_head_duplicates(kept, rules.zone_lines, out)
    title_number = numbered[title_at][0] if title_at is not None else None
    repaired = [
        (_repair_title_spaces(line, n, out, rules.title_end) if n == title_number
         else _repair_spaces(line, n, out, rules.title_end), n, n == title_number)
        for n, line in kept
    ]
    out.lines = _join_broken_lines(repaired, out, rules.title_end, breaks)
    out.removed.sort(key=lambda r: r.line)
    if title_number is not None and repaired and repaired[0][2]:
        out.metadata["title"] = repaired[0][0]  # the first line, and the title by its place
    return out


# The frame of a printed page carried into the text by a PDF extraction: "- 12 -", "第 3 页",
# "12/40", or a bare number, running in order; a short line repeated through the text.
_PAGE_NUMBER = re.compile(r"^(?:[-－—]\s*)?(?:第\s*)?(\d{1,4})(?:\s*页)?(?:\s*[-－—])?(?:\s*/\s*\d{1,4})?$")
PAGE_MIN = 3  # a page frame shows on at least this many pages
PAGE_GAP = 5  # lines between two of its appearances, at least (a page holds more than a few)


def page_furniture(numbered: list[tuple[int, str]], title_end: re.Pattern) -> dict[int, str]:
    """Positions in ``numbered`` of a printed page's frame inside one text: page numbers that
    run in order, and, in a text that has them, a running header (立法會 ─ 2013年 1月 16日)
    repeated on page after page — a short line, never a heading, a sentence or a title, at
    least PAGE_GAP lines apart."""
    found: dict[int, str] = {}
    numbers = [(i, int(m.group(1))) for i, (_, line) in enumerate(numbered) if (m := _PAGE_NUMBER.match(line))]
    rising = sum(1 for (_, a), (_, b) in zip(numbers, numbers[1:]) if b > a)
    if len(numbers) < PAGE_MIN or rising < 2 * (len(numbers) - 1) / 3:
        return found  # no pages: a line repeated through the text is the text's own (a 公告's 落款)
    found.update((i, "page-number") for i, _ in numbers)
    where: dict[str, list[int]] = {}
    for i, (_, line) in enumerate(numbered):
        if 4 <= len(line) <= 40 and i not in found:
            where.setdefault(re.sub(r"\s+", " ", line), []).append(i)
    for line, places in where.items():
        if len(places) >= PAGE_MIN and min(b - a for a, b in zip(places, places[1:])) >= PAGE_GAP \
                and not looks_like_text(line, title_end) and not _RUNNING_TEXT.search(line):
            # the first too, even as the text's first line: a line shaped like a title (ending in
            # a genre word) is never taken for a header
            found.update((i, "running-header") for i in places)
    return found


# front matter keys -> metadata fields
_FRONT_MATTER_FIELDS = {"title": "front_title", "date": "date", "author": "author", "source": "source",
                        "organization": "organization", "doc_number": "doc_number", "speaker": "speaker"}
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S")
_MARKDOWN_ITEM = re.compile(r"^(?:[*+-]|>)[ \t\u3000]+\S")


def _front_matter(numbered: list[tuple[int, str]], out: Cleaned) -> list[tuple[int, str]]:
    """YAML front matter (`---` … `---` at the top) becomes metadata, never title or body."""
    content = [k for k, (_, line) in enumerate(numbered) if line]
    if not content or numbered[content[0]][1] != "---":
        return numbered
    start = content[0]
    end = next((k for k in content[1:41] if numbered[k][1] in ("---", "...")), None)
    if end is None:
        return numbered
    try:
        import yaml
        data = yaml.safe_load("\n".join(line for _, line in numbered[start + 1:end]))
    except Exception:  # not YAML after all: leave the lines to the other rules
        return numbered
    if not isinstance(data, dict):
        return numbered
    for key, value in data.items():
        field_name = _FRONT_MATTER_FIELDS.get(str(key).lower())
        if field_name and value not in (None, "") and field_name not in out.metadata:
            out.metadata[field_name] = normalise_date(str(value)) if field_name == "date" else str(value).strip()
            if field_name == "date":
                out.metadata["date_source"] = "header"
    for n, line in numbered[start:end + 1]:
        if line:
            out.removed.append(Removal("front-matter", line, n, "metadata"))
    out.metadata["markdown"] = "front matter"
    return numbered[:start] + numbered[end + 1:]


def _is_markdown_shaped(numbered: list[tuple[int, str]], out: Cleaned) -> bool:
    """`#` marks a heading only in a Markdown-shaped text: front matter, a `# ` title on the first
    line, at least two `#` heading lines, or a fifth of the lines list items or quotations
    (`* `, `- `, `> `); in a plain text a line-initial `#` is text."""
    if "markdown" in out.metadata:
        return True
    lines = [line for _, line in numbered if line]
    marked = [line for line in lines if _MARKDOWN_HEADING.match(line)]
    listed = [line for line in lines if _MARKDOWN_ITEM.match(line)]
    return bool(lines) and (bool(_MARKDOWN_HEADING.match(lines[0])) or len(marked) >= 2
                            or (len(listed) >= 3 and len(listed) >= 0.2 * len(lines)))


# "——2026年1月31日在…会议上", "（2026年1月27日在…）", "2026年1月27日在…会议上 …省长 某某":
# between a title and its byline
_SUBTITLE_LINE = re.compile(r"^([—―\-]{1,2}|[（(])|^\d{4}年\d{1,2}月\d{1,2}日在|会议上")


def find_title_before_byline(numbered: list[tuple[int, str]], rules: CleaningRules) -> int | None:
    """The line just before the first byline near the top (a subtitle between them skipped):
    on a news item or a portal page that is the text's title. None when there is no byline."""
    for i in range(min(len(numbered), rules.zone_lines)):
        line = numbered[i][1]
        if not any(r.pattern.search(line) for r in rules.metadata if r.zone != "tail"):
            continue
        j = i - 1
        while j >= 0 and _SUBTITLE_LINE.search(numbered[j][1]) and j > 0:
            j -= 1
        if j < 0 or any(r.pattern.search(numbered[j][1]) for r in rules.metadata):
            return None
        if any(r.start.search(numbered[j][1]) for r in rules.blocks):
            return None
        return j
    return None


def _strip_prefixes(line: str, number: int, rules: CleaningRules, out: Cleaned) -> str:
    for rule in rules.prefixes:
        m = rule.pattern.search(line)
        if m and m.group(0):
            out.removed.append(Removal(rule.name, m.group(0), number))
            line = line[:m.start()] + line[m.end():]
    return line


def _match_line(line: str, i: int, total: int, rules: CleaningRules, furniture: frozenset[str]) -> str | None:
    for rule in rules.lines:
        if rule.max_length is not None and len(line) > rule.max_length:
            continue
        if rule.not_numbered and (HEADING_START.match(line) or _ARTICLE_START.match(line)):
            continue
        if _in_zone(rule.zone, i, total, rules.zone_lines) and rule.pattern.search(line):
            return rule.name
    if furniture_key(line) in furniture:
        return "repeated-across-reports"
    return None


# named groups a metadata rule may fill directly (any other field comes through `label`)
DATE_FIELDS = ("date", "effective_date")
_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


def _match_metadata(numbered, i, total, rules: CleaningRules, out: Cleaned) -> int:
    number, line = numbered[i]
    for rule in rules.metadata:
        if not _in_zone(rule.zone, i, total, rules.zone_lines):
            continue
        m = rule.pattern.search(line)
        if not m:
            continue
        groups = {k: v for k, v in m.groupdict().items() if v}
        taken = [(number, line)]
        if "label" in groups:
            value = groups.get("value", "").strip()
            if not value and rule.value_on_next_line:
                if i + 1 >= total:
                    return 0
                value = numbered[i + 1][1]
                taken.append(numbered[i + 1])
            if not value:
                if rule.value_on_next_line:
                    return 0
                continue  # a label with nothing after it: not this rule's
            label = re.sub(r"\s+", "", groups["label"])  # 索 引 号 / 标　　题: spaced to fill a table cell
            field_name = dict(rule.fields).get(label) or _label_field(label)
            if field_name in DATE_FIELDS:
                dm = _DATE.search(value)
                if not dm:
                    return 0
                value = dm.group(0)
            elif (len(value) > 40 and field_name != "url") or value.endswith(SENTENCE_END + ("：", ":")):
                return 0  # a label followed by text, not by its value
            groups = {field_name: value}
        for key, value in groups.items():
            if key in ("label", "value") or key in out.metadata:
                continue
            out.metadata[key] = normalise_date(value) if key in DATE_FIELDS else value.strip()
            if key == "date":
                out.metadata["date_source"] = _date_source(rule, line, i, total)
        for n, text in taken:
            out.removed.append(Removal(rule.name, text, n, "metadata"))
        return len(taken)
    return 0


SIGNATURE_LINES = 3  # a bare date among a text's last lines closes it (its 落款), under the body that issued it


def _date_source(rule: MetadataRule, line: str, i: int, total: int) -> str:
    """Where a date a rule read comes from: the rule's own word, except that a bare date line
    at the end of a short text is the text's signature date, not a web page's byline (a
    "head" zone covers the whole of a text of fewer than zone_lines lines)."""
    if rule.date_source == "byline" and i >= total - SIGNATURE_LINES and line.strip()[:1].isdigit():
        return "signature"
    return rule.date_source


def _label_field(label: str) -> str:
    if label in ("来源", "稿源"):
        return "source"
    if label == "作者":
        return "author"
    if label in ("责任编辑", "编辑", "责编"):
        return "editor"
    return "date"


def normalise_date(value: str) -> str:
    parts = re.findall(r"\d+", value)
    if len(parts) >= 3:
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return value


def _match_block(numbered, i, total, rules: CleaningRules, out: Cleaned, stop: int | None = None) -> int:
    number, line = numbered[i]
    for rule in rules.blocks:
        if not _in_zone(rule.zone, i, total, rules.zone_lines) or not rule.start.search(line):
            continue
        taken = [(number, line)]
        seen = {line}
        j = i + 1
        while j < total and j != stop:
            next_line = numbered[j][1]
            previous = taken[-1][1]
            is_separator = bool(re.fullmatch(r"[>›»/]", next_line))
            if next_line in seen and len(next_line) <= 12:
                pass  # a crumb repeated as the page heading
            elif rule.after_separator_only and not is_separator and not re.search(r"[>›»/:：]$|^首页$", previous):
                break
            elif not rule.cont.search(next_line):
                break
            taken.append(numbered[j])
            seen.add(next_line)
            j += 1
        for n, text in taken:
            out.removed.append(Removal(rule.name, text, n))
        return len(taken)
    return 0


def _drop_head_duplicates(kept, zone_lines: int, out: Cleaned):
    """A page header often repeats the title; keep the first copy only."""
    seen: set[str] = set()
    result = []
    for index, (number, line) in enumerate(kept):
        if index < zone_lines and len(line) <= 60 and line in seen and not _is_sentence(line):
            out.removed.append(Removal("repeated-in-header", line, number))
            continue
        seen.add(line)
        result.append((number, line))
    return result


def _is_sentence(line: str) -> bool:
    """A salutation or sentence (各位代表！) may well repeat in a report's own text."""
    return line.endswith(SENTENCE_END + ("：", ":", "；", ";"))


def _repair_spaces(line: str, number: int, out: Cleaned, title_end: re.Pattern) -> str:
    """`责任 制` -> `责任制`: a space between two Han characters is an extraction artefact
    inside running text; on a short line (a name after a title: `省长 王予波`) it is only
    removed when it splits a word."""
    if not _HAN_SPACE_HAN.search(line):
        return line
    if _is_spaced_title(line, title_end):
        out.removed.append(Removal("letter-spaced-title", line, number, "repaired"))
        return re.sub(r"[ \u3000\u00a0]+", "", line)
    if len(line) <= 60 and title_end.search(line) and not _RUNNING_TEXT.search(line):
        return line  # a title: "中共中央 国务院关于……的意见" keeps its space
    is_running_text = len(line) > 40 and any(p in line for p in "。，；")
    pieces = []
    last = 0
    for m in _HAN_SPACE_HAN.finditer(line):
        left, right = line[max(0, m.start() - 4):m.start()], line[m.end():m.end() + 4]
        if _LABEL_BEFORE.search(line[:m.start()]):
            continue  # "第一条 为了……", "第一章 总则": the space after a label is the text's own
        # in running text a non-breaking space is always an artefact of the extraction; a plain
        # space there may separate two phrases on purpose (“新时代 新阅读”), so it goes only
        # where it splits a word
        if (is_running_text and not _separates_phrases(line, m.start(), m.end())) or segment.splits_word(left, right):
            pieces.append(line[last:m.start()])
            last = m.end()
            out.removed.append(Removal("space-between-han", f"{left}{m.group(0)}{right}", number, "repaired"))
    pieces.append(line[last:])
    return "".join(pieces)


_NUMERAL_ALONE = re.compile(f"[{HAN_NUMERALS}{CAPITAL_NUMERALS}]{{1,4}}")
_ARTICLE_START = re.compile(r"^第[〇零一二三四五六七八九十百两千0-9]+条")
_LABEL_BEFORE = re.compile(r"^第[〇零一二三四五六七八九十百两千0-9]+(条|章|节|编|部分|篇|款|项)$")
_RUN_END = re.compile(r"[\s，。；：、！？“”‘’《》（）()【】,.;:!?\"]")


def _separates_phrases(line: str, start: int, end: int) -> bool:
    """A plain space between two short phrases (“新时代 新阅读”, 《突破结构之困 新常态下怎么干》)
    is written on purpose; a non-breaking space, or a space inside a long clause, is not."""
    if "\u00a0" in line[start:end]:
        return False
    before = _RUN_END.split(line[:start])[-1]
    after = _RUN_END.split(line[end:])[0]
    return 2 <= len(before) <= 8 and 2 <= len(after) <= 8


_LETTER_SPACED = re.compile(rf"^[{_HAN}](?:[ \u3000\u00a0]+[{_HAN}]){{2,}}$")


_WORD_SPACED = re.compile(rf"^[{_HAN}]{{1,2}}(?:[ \u3000\u00a0]+[{_HAN}]{{1,2}}){{2,}}$")


def _is_spaced_title(line: str, title_end: re.Pattern) -> bool:
    """`政 府 工 作 报 告` (every character apart), or `政府 工作 报告` when what it spells ends
    in a genre word (a list of two-character names is not a title)."""
    if len(line) > 40:
        return False
    if _LETTER_SPACED.match(line):
        return True
    return bool(_WORD_SPACED.match(line)) and bool(title_end.search(re.sub(r"[ \u3000\u00a0]+", "", line)))


def _repair_title_spaces(line: str, number: int, out: Cleaned, title_end: re.Pattern) -> str:
    """A title keeps its spaces (news titles separate their clauses with them), unless it is
    letter-spaced as a whole: `政 府 工 作 报 告` -> `政府工作报告`."""
    if not _is_spaced_title(line, title_end):
        return line
    out.removed.append(Removal("letter-spaced-title", line, number, "repaired"))
    return re.sub(r"[ \u3000\u00a0]+", "", line)


def paragraph_breaks(numbered: list[tuple[int, str]]) -> frozenset[int]:
    """The file's line numbers of blank lines that separate paragraphs: every blank line, unless
    the text puts one between almost every two lines (then a blank line says nothing)."""
    blank = [n for n, line in numbered if not line]
    lines = [n for n, line in numbered if line]
    if not blank or not lines:
        return frozenset()
    blanks = set(blank)
    spaced = sum(1 for a, b in zip(lines, lines[1:]) if any(k in blanks for k in range(a + 1, b)))
    return frozenset() if spaced >= 0.8 * (len(lines) - 1) else frozenset(blank)


def _join_broken_lines(lines: list[tuple[str, int, bool]], out: Cleaned, title_end: re.Pattern,
                       breaks: frozenset[int] = frozenset()) -> list[str]:
    """Rejoin a paragraph that the extraction broke mid-sentence (never the title line:
    a news title ends without punctuation and is not the start of its first paragraph; never
    across a blank line that separates paragraphs, ``breaks``).
    Each join is recorded as a repair on the line that was joined to the one before."""
    result: list[str] = []
    previous_fixed = True
    previous_number = 0
    width = wrap_width([line for line, _, _ in lines])
    full = False  # the line before reached the width the text is wrapped at
    for line, number, fixed in lines:
        apart = any(k in breaks for k in range(previous_number + 1, number))
        previous_number = number
        wrapped, full = full, bool(width) and len(line) >= width - 2 and not line.endswith(tuple(_LINE_END_OK))
        if result and not fixed and not previous_fixed and not apart \
                and _is_broken_pair(result[-1], line, title_end, wrapped):
            out.removed.append(Removal("line-join", f"{result[-1][-12:]}⏎{line[:12]}", number, "repaired"))
            result[-1] += line
        else:
            result.append(line)
        previous_fixed = fixed
    return result


WRAP_MIN_LINES = 10  # a text hard-wrapped at one width (a PDF's column) has at least this many lines
WRAP_SHARE = 0.4  # … and this share of its lines of 15+ characters within two of that width
WRAP_MIN_WIDTH = 24  # characters: narrower lines of one length are headlines, not a column


def wrap_width(lines: list[str]) -> int | None:
    """The width a text was hard-wrapped at (a PDF's column: 30 characters, line after line),
    or None: most texts end their lines where their paragraphs end."""
    lengths = [len(line) for line in lines if len(line) >= 15]
    if len(lengths) < WRAP_MIN_LINES:
        return None
    width = Counter(lengths).most_common(1)[0][0]
    near = [line for line in lines if len(line) >= 15 and abs(len(line) - width) <= 2]
    open_ended = sum(1 for line in near if not line.endswith(tuple(_LINE_END_OK)))
    # a column is wide (a headline list is not), and its lines stop mid-sentence
    if width < WRAP_MIN_WIDTH or len(near) < WRAP_SHARE * len(lengths) or open_ended < 0.6 * len(near):
        return None
    return width


def _is_broken_pair(previous: str, line: str, title_end: re.Pattern, wrapped: bool = False) -> bool:
    if previous.startswith("#") or line.startswith("#"):
        return False  # a Markdown heading, or a line that starts with # on purpose
    if _ONLY_OPENING.fullmatch(previous) or _ONLY_CLOSING.fullmatch(line):
        return True  # "（" / "三）改革开放…": a mark the extraction put on a line of its own
    if previous.endswith(tuple(_LINE_END_OK)):
        return False
    if _SUBTITLE.match(previous):
        # "——2026年1月26日在某省第十四届" / "人民代表大会第五次会议上"
        return "在" in previous and not _AT_MEETING.search(previous) and bool(_AT_MEETING.search(line)) \
            and len(line) <= 40 and not HEADING_START.match(line)
    if HEADING_START.match(previous) or HEADING_START.match(line):
        return False
    if title_end.search(previous) and not _RUNNING_TEXT.search(previous):
        return False  # a title: "……工作总结" + "局工会……" is not the word 结局
    if wrapped:
        return True  # the line before ran to the text's wrapping width and stopped mid-sentence
    if len(previous) >= 6 and previous.endswith("的"):
        return True  # a sentence never ends on the particle 的
    if len(previous) < 20:
        return False
    if previous.endswith(("，", "、", ",")):
        return True
    if line[0] in "，。、；：,;:）)”":
        return True
    if len(previous) >= 40 and _RUNNING_TEXT.search(previous):
        return True  # running text stops on a punctuation mark, not mid-clause
    return segment.splits_word(previous[-4:], line[:4])
