"""Stage 5: the cross-document index of formulations (提法) and cited documents.

A formulation is known from a quoted use anywhere in the corpus (“四个意识”);
once known, its unquoted uses in every report count too, but only where jieba
puts a word boundary at both ends (so 管好班子 is not a use of “好班子”).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import ahocorasick
from pypinyin import Style, lazy_pinyin

from . import segment

NUMERAL_GROUPS = "一二两三四五六七八九十百千"
_QUOTES = {
    "slogans": [("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’"), ('"', '"')],
    "cited": [("《", "》")],
}
_HAN = re.compile(r"[\u3400-\u9fff]")
_SENTENCE = re.compile(r"[。！？!?]")
# Variants that are one entry: full-width forms, and the separators 、 ， , ； inside.
_FOLD = str.maketrans({"，": "、", ",": "、", "；": "、", ";": "、", "　": " "})


@dataclass(frozen=True)
class IndexSettings:
    min_length: int = 2
    max_length: int = 20
    unquoted_min_length: int = 3
    stop: frozenset[str] = frozenset()
    merges: tuple[tuple[str, str], ...] = ()
    cited_min_length: int = 2
    cited_max_length: int = 60
    uses_per_page: int = 200
    context: int = 20

    @classmethod
    def from_dict(cls, data: dict) -> "IndexSettings":
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"slogans.yml: unknown setting(s) {', '.join(sorted(unknown))}")
        values = dict(data)
        values["stop"] = frozenset(normalise(s) for s in data.get("stop", []) or [])
        values["merges"] = tuple((normalise(k), normalise(v)) for k, v in (data.get("merges") or {}).items())
        return cls(**values)


def normalise(form: str) -> str:
    """The key that makes variants one entry (length-preserving except for NFKC expansions)."""
    return unicodedata.normalize("NFKC", form).translate(_FOLD).strip()


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Every BMP character whose NFKC form (then folded) is one other character."""
    table = {}
    for code in range(0x10000):
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch).translate(_FOLD)
        if len(folded) == 1 and folded != ch:
            table[code] = folded
    return table


def fold_text(text: str) -> str:
    """Like ``normalise`` but always the same length as ``text``, for searching in it."""
    return text.translate(_fold_table())


@dataclass(frozen=True)
class Block:
    """The part of a report block the index needs."""
    anchor: str
    text: str
    path: tuple[str, ...]  # headings above this block, outermost first


@dataclass(frozen=True)
class Source:
    report: str  # report id
    url: str  # report page URL relative to the site root
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Use:
    report: str
    anchor: str
    start: int  # the formulation's span in the block text (quotes excluded)
    end: int
    quoted: bool
    form: str
    position: int = 0  # the block's place in its report, for listing uses in reading order


@dataclass
class Entry:
    key: str
    display: str = ""
    variants: Counter = field(default_factory=Counter)
    uses: list[Use] = field(default_factory=list)
    slug: str = ""
    group: str = ""

    @property
    def report_count(self) -> int:
        return len({u.report for u in self.uses})


@dataclass
class Index:
    kind: str  # "slogans" or "cited"
    entries: list[Entry]

    def by_key(self) -> dict[str, Entry]:
        return {e.key: e for e in self.entries}


@lru_cache(maxsize=None)
def _quotation_pattern(left: str, right: str) -> re.Pattern:
    inside = re.escape(left if left == right else left + right)
    return re.compile(re.escape(left) + r"([^" + inside + r"\n]+)" + re.escape(right))


def find_quotations(text: str, pairs: Iterable[tuple[str, str]]) -> list[tuple[int, int]]:
    """Spans (start, end) of the text inside each pair of quotation marks."""
    spans = []
    for left, right in pairs:
        if left not in text:
            continue
        for m in _quotation_pattern(left, right).finditer(text):
            spans.append((m.start(1), m.end(1)))
    return sorted(spans)


def _accept(form: str, kind: str, settings: IndexSettings) -> bool:
    lo, hi = ((settings.min_length, settings.max_length) if kind == "slogans"
              else (settings.cited_min_length, settings.cited_max_length))
    return (
        lo <= len(form) <= hi
        and len(_HAN.findall(form)) >= lo  # “15条”, “1+6” are not formulations
        and not _SENTENCE.search(form)
        and normalise(form) not in settings.stop
    )


def build_index(sources: list[Source], kind: str, settings: IndexSettings) -> Index:
    merges = dict(settings.merges)
    entries: dict[str, Entry] = {}
    quoted_spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    every_quote = [p for pairs in _QUOTES.values() for p in pairs]

    for source in sources:
        for position, block in enumerate(source.blocks):
            for start, end in find_quotations(block.text, _QUOTES[kind]):
                form = block.text[start:end]
                if not _accept(form, kind, settings):
                    continue
                key = merges.get(normalise(form), normalise(form))
                entry = entries.setdefault(key, Entry(key))
                entry.variants[form] += 1
                entry.uses.append(Use(source.report, block.anchor, start, end, True, form, position))
            # any quoted stretch, formulation or not, is excluded from unquoted matching
            quoted_spans[(source.report, block.anchor)] = find_quotations(block.text, every_quote)

    if kind == "slogans":
        _add_unquoted_uses(sources, entries, quoted_spans, settings)

    for entry in entries.values():
        entry.uses.sort(key=lambda u: (u.report, u.position, u.start))
        entry.display = min(entry.variants, key=lambda f: (-entry.variants[f], f))
        entry.group = group_of(entry.key)
    _assign_slugs(entries.values())
    ordered = sorted(entries.values(), key=lambda e: (-len(e.uses), e.key))
    return Index(kind, ordered)


def _add_unquoted_uses(sources, entries, quoted_spans, settings: IndexSettings) -> None:
    """Unquoted uses of known formulations, at word boundaries only."""
    automaton = ahocorasick.Automaton()
    for key in entries:
        if len(key) >= settings.unquoted_min_length:
            automaton.add_word(key, key)
    if len(automaton) == 0:
        return
    automaton.make_automaton()
    for source in sources:
        for position, block in enumerate(source.blocks):
            folded = fold_text(block.text)
            spans = quoted_spans[(source.report, block.anchor)]
            for end_index, key in automaton.iter(folded):
                end = end_index + 1
                start = end - len(key)
                if any(s - 1 <= start and end <= e + 1 for s, e in spans):
                    continue  # inside (or exactly) a quotation: counted as quoted or not a use
                if not _at_word_boundaries(block.text, start, end):
                    continue
                form = block.text[start:end]
                entries[key].variants[form] += 0  # seen, but quoted forms decide the display
                entries[key].uses.append(Use(source.report, block.anchor, start, end, False, form, position))


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether jieba, reading the sentence around the match, cuts at both ends of it."""
    left = max(text.rfind(ch, 0, start) for ch in "。！？；，、：") + 1
    stops = [i for i in (text.find(ch, end) for ch in "。！？；，、：") if i >= 0]
    right = min(stops) if stops else len(text)
    sentence = text[left:right]
    cuts = segment.boundaries(sentence)
    if (start - left) not in cuts or (end - left) not in cuts:
        return False
    # A formulation that starts or ends with a one-character word (“好班子” = 好 + 班子)
    # is not used where that character forms a word with its neighbour (带好班子).
    parts = segment.words(text[start:end])
    if len(parts[0]) == 1 and start > 0 and segment.is_word(text[start - 1:start + 1]):
        return False
    if len(parts[-1]) == 1 and end < len(text) and segment.is_word(text[end - 1:end + 1]):
        return False
    return True


def group_of(key: str) -> str:
    """Numbered formulations (两个…, 三…, 四个…) by numeral, the rest by pinyin initial."""
    first = key[0]
    if first in NUMERAL_GROUPS and len(key) > 1:
        return first
    initial = lazy_pinyin(first, style=Style.FIRST_LETTER, errors="default")[0][:1].upper()
    return initial if "A" <= initial <= "Z" else "#"


def group_order(group: str) -> tuple[int, str]:
    if group in NUMERAL_GROUPS:
        return (0, f"{NUMERAL_GROUPS.index(group):02d}")
    return (1 if group != "#" else 2, group)


def slugify(text: str, limit: int = 48) -> str:
    """An ASCII slug: pinyin for Han characters, letters and digits kept."""
    parts = lazy_pinyin(text, errors=lambda chars: [re.sub(r"[^0-9A-Za-z]+", "-", chars)])
    slug = re.sub(r"[^0-9a-z]+", "-", "-".join(parts).lower()).strip("-")
    return slug[:limit].strip("-") or "x"


def _assign_slugs(entries: Iterable[Entry]) -> None:
    """Stable, distinct slugs: two keys with the same pinyin get a short hash suffix."""
    import hashlib

    by_slug: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_slug[slugify(entry.key)].append(entry)
    for slug, group in by_slug.items():
        if len(group) == 1:
            group[0].slug = slug
            continue
        for entry in group:
            digest = hashlib.blake2b(entry.key.encode("utf-8"), digest_size=3).hexdigest()
            entry.slug = f"{slug}-{digest}"


def context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """Keyword in context: (left, match, right), about ``width`` characters either side."""
    return text[max(0, start - width):start], text[start:end], text[end:end + width]
