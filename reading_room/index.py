"""Stage 5: the cross-document index of formulations (提法) and cited documents.

A formulation is known from a quoted use anywhere in the corpus (“四个意识”);
once known, its unquoted uses in every report count too, but only where jieba
puts a word boundary at both ends (so 管好班子 is not a use of “好班子”).
"""
from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, NamedTuple

import ahocorasick

from . import segment
from .cache import code_version, digest, libraries_version

NUMERAL_GROUPS = "一二两三四五六七八九十百千"
_QUOTES = {
    "slogans": [("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’"), ('"', '"')],
    "cited": [("《", "》")],
}
_EVERY_QUOTE = [pair for pairs in _QUOTES.values() for pair in pairs]
INDEX_VERSION = "1"  # bump when extraction changes: it invalidates the memo of earlier builds
_HAN = re.compile(r"[\u3400-\u9fff]")
_SENTENCE = re.compile(r"[。！？!?]")
# Variants that are one entry: full-width forms, and the separators 、 ， , ； inside.
_FOLD = str.maketrans({"，": "、", ",": "、", "；": "、", ";": "、", "　": " "})


log = logging.getLogger("reading_room")


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


class Use(NamedTuple):
    """One use of a formulation. A tuple: a corpus has hundreds of thousands, and
    the pipeline digests them to tell which pages changed."""
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


def build_index(sources: list[Source], kind: str, settings: IndexSettings,
                memo: dict | None = None, memo_out: dict | None = None,
                fingerprints: list[str] | None = None) -> Index:
    """The index of one kind ("slogans" or "cited") over every report.

    ``memo`` holds each report's uses from an earlier build, keyed by the report's
    text and the settings (and, for unquoted uses, the set of known formulations),
    and the word-boundary decisions of each report's last scan (so an edited report,
    or a new formulation, sends jieba only the sentences it has not seen);
    ``memo_out`` receives the entries this build used, to be kept for the next one.
    So a rebuild with one report changed scans only that report. ``fingerprints``,
    one per source, stand for the reports' text in those keys (by default a digest
    of it; the pipeline passes its conversion cache keys, which it has already).
    """
    memo = memo if memo is not None else {}
    memo_out = memo_out if memo_out is not None else {}
    tag = _settings_tag(kind, settings)
    if fingerprints is not None and len(fingerprints) != len(sources):
        raise ValueError(f"{len(fingerprints)} fingerprints for {len(sources)} sources")
    prints = fingerprints if fingerprints is not None else [_fingerprint(source) for source in sources]
    entries: dict[str, Entry] = {}

    def add(uses: list[list], report: str) -> None:
        for key, anchor, start, end, quoted, form, position in uses:
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = Entry(key)
            entry.variants[form] += 1 if quoted else 0  # quoted forms decide the display
            entry.uses.append(Use(report, anchor, start, end, quoted, form, position))

    for source, fp in zip(sources, prints):
        name = f"q:{tag}:{fp}"
        uses = memo[name] if name in memo else _quoted_uses(source, kind, settings)
        memo_out[name] = uses
        add(uses, source.report)

    if kind == "slogans":
        keys = sorted(k for k in entries if len(k) >= settings.unquoted_min_length)
        keyset = digest(*keys)
        automaton = None
        for source, fp in zip(sources, prints):
            name = f"u:{tag}:{keyset}:{fp}"
            decisions = f"w:{tag}:{source.report}"  # this report's word-boundary decisions
            if name not in memo:
                automaton = automaton or _automaton(keys)
                decided: dict[str, int] = {}
                memo[name] = _unquoted_uses(source, automaton, memo.get(decisions, {}), decided) if automaton else []
                memo[decisions] = decided
            memo_out[name] = memo[name]
            if decisions in memo:
                memo_out[decisions] = memo[decisions]
            add(memo[name], source.report)

    for entry in entries.values():
        entry.uses.sort(key=lambda u: (u.report, u.position, u.start))
        entry.display = min(entry.variants, key=lambda f: (-entry.variants[f], f))
        name = f"k:{entry.key}"
        memo_out[name] = memo[name] if name in memo else [group_of(entry.key), slugify(entry.key)]
        entry.group = memo_out[name][0]
    _assign_slugs(entries.values(), {key: memo_out[f"k:{key}"][1] for key in entries})
    ordered = sorted(entries.values(), key=lambda e: (-len(e.uses), e.key))
    return Index(kind, ordered)


def _settings_tag(kind: str, settings: IndexSettings) -> str:
    """What every memo entry depends on besides the report. The code is part of it: the
    memo is keyed by the reports' conversion cache keys, which stand for their text only
    as long as the code that converts them is the same; and jieba's dictionary decides
    word boundaries."""
    return digest(kind, INDEX_VERSION, code_version(), libraries_version(), settings.min_length,
                  settings.max_length, settings.unquoted_min_length, sorted(settings.stop), sorted(settings.merges),
                  settings.cited_min_length, settings.cited_max_length)


def _fingerprint(source: Source) -> str:
    return digest(source.report, *(f"{block.anchor}\0{block.text}" for block in source.blocks))


def _quoted_uses(source: Source, kind: str, settings: IndexSettings) -> list[list]:
    """[key, anchor, start, end, quoted, form, position] for every quoted formulation."""
    merges = dict(settings.merges)
    uses = []
    for position, block in enumerate(source.blocks):
        for start, end in find_quotations(block.text, _QUOTES[kind]):
            form = block.text[start:end]
            if _accept(form, kind, settings):
                key = merges.get(normalise(form), normalise(form))
                uses.append([key, block.anchor, start, end, True, form, position])
    return uses


def _automaton(keys: list[str]):
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(key, key)
    automaton.make_automaton()
    return automaton


def _unquoted_uses(source: Source, automaton, known: dict[str, int] | None = None,
                   decided: dict[str, int] | None = None) -> list[list]:
    """Unquoted uses of known formulations, at word boundaries only.

    ``known`` holds earlier word-boundary decisions (see ``_boundary_key``); every
    decision this scan makes or reuses is put in ``decided``."""
    known = known if known is not None else {}
    decided = decided if decided is not None else {}
    uses = []
    for position, block in enumerate(source.blocks):
        # any quoted stretch, formulation or not, is excluded from unquoted matching
        spans = find_quotations(block.text, _EVERY_QUOTE)
        for end_index, key in automaton.iter(fold_text(block.text)):
            end = end_index + 1
            start = end - len(key)
            if any(s - 1 <= start and end <= e + 1 for s, e in spans):
                continue  # inside (or exactly) a quotation: counted as quoted or not a use
            case = _boundary_key(block.text, start, end)
            if case not in known:
                known[case] = int(_at_word_boundaries(block.text, start, end))
            decided[case] = known[case]
            if decided[case]:
                uses.append([key, block.anchor, start, end, False, block.text[start:end], position])
    return uses


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end]: from the punctuation before it to the one after."""
    left = max(text.rfind(ch, 0, start) for ch in "。！？；，、：") + 1
    stops = [i for i in (text.find(ch, end) for ch in "。！？；，、：") if i >= 0]
    return left, min(stops) if stops else len(text)


def _boundary_key(text: str, start: int, end: int) -> str:
    """Everything ``_at_word_boundaries`` reads: the clause, the match's place in it and
    the characters either side (jieba's answer for them never changes)."""
    left, right = _sentence_around(text, start, end)
    return digest(start - left, end - left, text[start - 1:start], text[end:end + 1], text[left:right])


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether jieba, reading the sentence around the match, cuts at both ends of it."""
    left, right = _sentence_around(text, start, end)
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
    pinyin = _pypinyin()
    initial = pinyin.lazy_pinyin(first, style=pinyin.Style.FIRST_LETTER, errors="default")[0][:1].upper()
    return initial if "A" <= initial <= "Z" else "#"


def group_order(group: str) -> tuple[int, str]:
    if group in NUMERAL_GROUPS:
        return (0, f"{NUMERAL_GROUPS.index(group):02d}")
    return (1 if group != "#" else 2, group)


def _pypinyin():
    """pypinyin, imported on first use: loading its dictionaries takes 0.4 s, which a
    rebuild that meets no new Chinese name or formulation need not pay."""
    import pypinyin

    return pypinyin


# Pinyin of the Chinese texts slugified so far: the pipeline keeps it in its cache
# between builds, so a rebuild that meets no new name never loads pypinyin.
PINYIN: dict[str, str] = {}


def slugify(text: str, limit: int = 48) -> str:
    """An ASCII slug: pinyin for Han characters, letters and digits kept."""
    if text.isascii():
        joined = text
    else:
        joined = PINYIN.get(text)
        if joined is None:
            joined = PINYIN[text] = "-".join(_pypinyin().lazy_pinyin(
                text, errors=lambda chars: [re.sub(r"[^0-9A-Za-z]+", "-", chars)]))
    slug = re.sub(r"[^0-9a-z]+", "-", joined.lower()).strip("-")
    return slug[:limit].strip("-") or "x"


# Names MkDocs or this site give a meaning of their own in a folder of generated pages
# (``slogans/index.md`` is the overview, ``slogans/g/`` the group pages): never a slug.
RESERVED_SLUGS = frozenset({"index", "readme", "g", "404", "search", "sitemap", "assets", "data", "raw"})


def _assign_slugs(entries: Iterable[Entry], slugs: dict[str, str] | None = None) -> None:
    """Stable, distinct slugs: two keys with the same pinyin get a short hash suffix, and so
    does a key whose slug is a page name the site needs (with a warning)."""
    by_slug: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_slug[(slugs or {}).get(entry.key) or slugify(entry.key)].append(entry)
    taken = {slug for slug, group in by_slug.items() if len(group) == 1 and slug not in RESERVED_SLUGS}
    for slug, group in sorted(by_slug.items()):
        if len(group) == 1 and slug not in RESERVED_SLUGS:
            group[0].slug = slug
            continue
        for entry in group:
            suffix, n = hashlib.blake2b(entry.key.encode("utf-8"), digest_size=3).hexdigest(), 0
            while f"{slug}-{suffix}" in taken:  # a suffixed slug that is some other key's slug
                n += 1
                suffix = hashlib.blake2b(f"{entry.key}#{n}".encode("utf-8"), digest_size=3).hexdigest()
            entry.slug = f"{slug}-{suffix}"
            taken.add(entry.slug)
            if slug in RESERVED_SLUGS:
                log.warning("warning: the formulation “%s” would have the page name “%s”, which the site "
                            "needs; its page is %s/", entry.key, slug, entry.slug)


def context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """Keyword in context: (left, match, right), about ``width`` characters either side."""
    return text[max(0, start - width):start], text[start:end], text[end:end + width]
