"""Stage 5: the cross-document index of formulations (提法) and cited documents.

What is a formulation is decided from the corpus and the curation data
(``corpus/slogans.yml``), never from one quoted use alone (see ``judge``):

- candidates are the quoted strings (“四个意识”), numbered shapes (两个维护, 三严三实,
  八项规定), phrases used bare by many reports (mined from the text: 供给侧结构性改革)
  and the curator's allow list;
- names of people, places and organisations, ordinals and numbers, and ordinary
  dictionary words are not formulations (jieba's part-of-speech tags and dictionary,
  asked about the candidates only), nor what the curator's stop list and patterns name;
- a candidate is kept on its evidence: the share of its uses in quotation marks, the
  reports and issuing bodies that use it, its numbered shape.

Once an entry, every use counts, quoted or bare, whatever its length, but a bare use
only where jieba puts a word boundary at both ends (so 管好班子 is not a use of “好班子”).
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache, partial
from typing import Iterable, NamedTuple, Protocol, Sequence

import ahocorasick

from . import segment
from .cache import code_version, digest, libraries_version
from .memo import Memo
from .patterns import HAN_CHAR, SENTENCE_SPLIT
from .slugs import RESERVED_SLUGS, load_pypinyin, slugify

NUMERAL_GROUPS = "一二两三四五六七八九十百千"
BODIES_KNOWN_SHARE = 0.5  # of the reports naming their issuing body, for the bodies to count (judge)


class IndexKind(StrEnum):
    SLOGANS = "slogans"  # formulations: what the reports put in quotation marks, and use bare
    CITED = "cited"  # documents the reports cite in 《》


_QUOTES = {
    IndexKind.SLOGANS: [("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’"), ('"', '"')],
    IndexKind.CITED: [("《", "》")],
}
_EVERY_QUOTE = [pair for pairs in _QUOTES.values() for pair in pairs]
INDEX_VERSION = "6"  # bump when extraction changes: it invalidates the memo of earlier builds
_HAN = HAN_CHAR
_SENTENCE = SENTENCE_SPLIT
# Variants that are one entry: full-width forms, and the separators 、 ， , ； inside.
_FOLD = str.maketrans({"，": "、", ",": "、", "；": "、", ";": "、", "　": " "})


log = logging.getLogger("reading_room")


@dataclass(frozen=True)
class IndexSettings:
    min_length: int = 2
    max_length: int = 20
    unquoted_min_length: int = 2
    stop: frozenset[str] = frozenset()
    merges: tuple[tuple[str, str], ...] = ()
    # --- what is a formulation (see ``judge``; the values are documented in slogans.yml)
    allow: frozenset[str] = frozenset()
    stop_patterns: tuple[str, ...] = ()
    name_tags: frozenset[str] = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})
    function_tags: frozenset[str] = frozenset({"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "d", "y",
                                               "e", "o", "x", "t", "tg", "f", "q", "m", "mq", "z", "zg"})
    head_tags: frozenset[str] = frozenset({"n", "vn", "ng", "an", "nz", "l", "i", "j"})
    verb_tags: frozenset[str] = frozenset({"v", "vd", "vg"})
    before_formulation_tags: frozenset[str] = frozenset({"v", "vd", "vg", "vn", "d", "a", "ad"})
    after_formulation_tags: frozenset[str] = frozenset({"v", "vd", "vg", "vn"})
    name_heads: tuple[str, ...] = ()
    surnames: frozenset[str] = frozenset()
    given_name_max_frequency: int = 10
    plain_starts: frozenset[str] = frozenset()
    place_ends: frozenset[str] = frozenset()
    people_ends: tuple[str, ...] = ()
    min_quoted_share: float = 0.1
    min_quoted_reports: int = 3
    min_reports_share: float = 0.0001
    dictionary_quoted_share: float = 0.5
    numbered_min_reports: int = 3
    numbered_concentration: float = 0.8
    bare_min_reports: int = 10
    bare_min_share: float = 0.002
    bare_min_bodies: int = 3
    bare_max_length: int = 12
    bare_boundary_share: float = 0.6
    bare_max_counting: float = 0.2
    bare_max_continuation: float = 0.65
    bare_inside_ratio: float = 0.65
    bare_min_context: float = 0.4
    bare_context_lift: float = 1.4
    context_quoted_share: float = 0.3
    bare_max_share: float = 0.3
    bare_min_cohesion: float = 0.3
    bare_closed_ratio: float = 0.8
    mining_sample_chars: int = 3_000_000
    shapes: tuple[str, ...] = ()
    cited_min_length: int = 2
    cited_max_length: int = 60
    uses_per_page: int = 20  # uses on an entry's page as it opens (the rest load from the CSV)
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
        values["allow"] = frozenset(normalise(s) for s in data.get("allow", []) or [])
        for name in ("name_tags", "function_tags", "head_tags", "verb_tags", "before_formulation_tags",
                     "after_formulation_tags", "surnames", "plain_starts",
                     "place_ends"):
            if name in data:
                values[name] = frozenset(data[name] or [])
        for name in ("stop_patterns", "name_heads", "shapes", "people_ends"):
            values[name] = tuple(data.get(name) or ())
        for pattern in values["stop_patterns"] + values["shapes"]:
            re.compile(pattern)  # a bad pattern fails the build with its message
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


class Source(Protocol):
    """What the index reads of a report (report.Report, not imported: the report is made
    below this module): its id, its first issuing body ("" when unknown), and its blocks,
    each with an ``anchor`` and a ``text``."""
    id: str
    organization: str
    blocks: Sequence


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
    # why it is a formulation: {"reason", "quoted_share", "reports", "bodies", …} (see ``judge``)
    evidence: dict = field(default_factory=dict)

    @property
    def report_count(self) -> int:
        return len({u.report for u in self.uses})


@dataclass
class Index:
    kind: IndexKind
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
            # white space just inside the marks is not quoted (“一國兩制 ”, from a PDF's layout):
            # the span is the words, so the use is one use, not a quoted and a bare one
            inner = m.group(1)
            start, end = m.start(1) + len(inner) - len(inner.lstrip()), m.end(1) - len(inner) + len(inner.rstrip())
            if start < end:
                spans.append((start, end))
    return sorted(spans)


def _accept(form: str, kind: IndexKind, settings: IndexSettings) -> bool:
    lo, hi = ((settings.min_length, settings.max_length) if kind == IndexKind.SLOGANS
              else (settings.cited_min_length, settings.cited_max_length))
    return (
        lo <= len(form) <= hi
        and len(_HAN.findall(form)) >= lo  # “15条”, “1+6” are not formulations
        and not _SENTENCE.search(form)
        and normalise(form) not in settings.stop
    )


def build_index(sources: list[Source], kind: IndexKind, settings: IndexSettings,
                memo: Memo | None = None, fingerprints: list[str] | None = None) -> Index:
    """The index of one kind (formulations or cited documents) over every report.

    ``memo`` (memo.py, on disk) holds each report's uses from an earlier build, keyed by the
    report's text and the settings (and, for unquoted uses, the set of known formulations),
    and the word-boundary decisions of each report's last scan (so an edited report,
    or a new formulation, sends jieba only the sentences it has not seen); what this build
    computes goes into it for the next one. So a rebuild with one report changed scans only
    that report. ``fingerprints``,
    one per source, stand for the reports' text in those keys (by default a digest
    of it; the pipeline passes its conversion cache keys, which it has already).
    """
    memo = memo if memo is not None else Memo()
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

    quoted_lists = [_recalled(memo, f"q:{tag}:{fp}", lambda source=source: _quoted_uses(source, kind, settings),
                                _uses_in(source))
                    for source, fp in zip(sources, prints)]

    verdicts: dict[str, dict] = {}
    if kind == IndexKind.CITED:  # every quoted title is a cited document
        for source, uses in zip(sources, quoted_lists):
            add(uses, source.id)
    else:
        verdicts = _select(sources, prints, quoted_lists, settings, tag, memo)
        for source, uses in zip(sources, quoted_lists):
            add([use for use in uses if use[0] in verdicts], source.id)
        keys = sorted(k for k in verdicts if len(k) >= settings.unquoted_min_length)
        keyset = digest(*keys)
        automaton = None
        for source, fp in zip(sources, prints):
            name = f"u:{tag}:{keyset}:{fp}"
            decisions = f"w:{tag}:{source.id}"  # this report's word-boundary decisions
            uses = _checked(memo.get(name), _uses_in(source))
            if uses is None:
                automaton = automaton or _automaton(keys)
                decided: dict[str, int] = {}
                known = _checked(memo.get(decisions), _decisions) or {}
                uses = _unquoted_uses(source, automaton, known, decided) if automaton else []
                memo.put(name, uses)
                memo.put(decisions, decided)
            else:
                memo.keep(decisions)
            add(uses, source.id)
        # a phrase found bare must be whole words where it is used: in most of the reports
        # that hold the string, jieba cuts at both its ends (not so 中两国国歌, of 中X两国国歌)
        for key in [k for k, e in entries.items() if verdicts[k]["reason"] == "bare"]:
            if entries[key].report_count < settings.bare_boundary_share * verdicts[key]["reports"]:
                del entries[key]
        # and not merely part of a longer entry: 国情怀 where every use is in 家国情怀, 发展理念
        # where most are in 新发展理念
        for key in [k for k, e in entries.items() if verdicts[k]["reason"] == "bare"]:
            spans = {(u.report, u.anchor, u.start, u.end) for u in entries[key].uses}
            inside: Counter = Counter()
            for longer in [k for k in entries if key in k and k != key]:
                for u in entries[longer].uses:
                    offset = fold_text(u.form).find(key)
                    if offset >= 0 and (u.report, u.anchor, u.start + offset, u.start + offset + len(key)) in spans:
                        inside[longer] += 1
            if inside and max(inside.values()) >= settings.bare_inside_ratio * len(spans):
                del entries[key]
        # and not the vocabulary of statistics: a phrase that writers use bare where they count
        # (国内生产总值增长5.2%, 森林覆盖率达到25%, 设计时速350公里) is what is counted, not a formulation
        texts = None
        for key in [k for k, e in entries.items() if verdicts[k]["reason"] == "bare"]:
            texts = texts if texts is not None else {(s.id, b.anchor): b.text for s in sources for b in s.blocks}
            share = counting_share(entries[key].uses, texts)
            verdicts[key]["counting"] = round(share, 3)
            if share > settings.bare_max_counting:
                del entries[key]
        # and not the start of a longer phrase that is cut off: most of its uses followed by the
        # same word (坚定不移走中国特色|社会主义…, 人民群众生命|财产安全); a formulation is followed
        # by all sorts of words, or by the end of its clause
        for key in [k for k, e in entries.items() if verdicts[k]["reason"] == "bare"]:
            texts = texts if texts is not None else {(s.id, b.anchor): b.text for s in sources for b in s.blocks}
            share = continuation_share(entries[key].uses, texts, settings.function_tags)
            verdicts[key]["continuation"] = round(share, 3)
            if share >= settings.bare_max_continuation:
                del entries[key]

    slugs = {}
    for entry in entries.values():
        entry.uses.sort(key=lambda u: (u.report, u.position, u.start))
        entry.display = min(entry.variants, key=lambda f: (-entry.variants[f], f))
        entry.group, slugs[entry.key] = _recalled(
            memo, f"k:{entry.key}", lambda key=entry.key: [group_of(key), slugify(key)], _group_and_slug)
    _assign_slugs(entries.values(), slugs)
    if kind == IndexKind.SLOGANS:
        bodies = {source.id: source.organization for source in sources}
        for entry in entries.values():
            quoted = sum(1 for use in entry.uses if use.quoted)
            entry.evidence = {
                "reason": verdicts[entry.key]["reason"],
                "quoted_share": round(quoted / len(entry.uses), 3),
                "reports": entry.report_count,
                "bodies": len({bodies[use.report] for use in entry.uses} - {""}),
            }
    # ranked by the number of reports that use it (then by uses)
    ordered = sorted(entries.values(), key=lambda e: (-e.report_count, -len(e.uses), e.key))
    return Index(kind, ordered)


def _recalled(memo: Memo, name: str, make, valid):
    """The memo's value under ``name`` if ``valid`` accepts it, else ``make()``, kept for the next build."""
    value = _checked(memo.get(name), valid)
    if value is None:
        value = make()
        memo.put(name, value)
    return value


def _checked(value, valid):
    """``value`` if it is there and ``valid`` accepts it, else None."""
    return value if value is not None and valid(value) else None


# What the memo may hand back: anything else (from a damaged or foreign cache) is computed again.
def _uses_in(source: Source):
    """[[key, anchor, start, end, quoted, form, position], …] inside ``source``'s blocks."""
    def valid(value) -> bool:
        blocks = {b.anchor: len(b.text) for b in source.blocks}
        return isinstance(value, list) and all(_is_use(use, blocks) for use in value)
    return valid


def _decisions(value) -> bool:  # a report's word-boundary decisions
    return isinstance(value, dict) and all(isinstance(v, int) for v in value.values())


def _group_and_slug(value) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) and v for v in value)


def _counts(value) -> bool:  # a report's raw counts of the keys; mined phrases with their reports
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in value.items())


def _strings(value) -> bool:  # the shape keys a report holds
    return isinstance(value, list) and all(isinstance(k, str) for k in value)


def _features(value) -> bool:  # a candidate's features
    return isinstance(value, dict)


def _is_use(use, blocks: dict[str, int]) -> bool:
    """[key, anchor, start, end, quoted, form, position], inside the block it names."""
    if not (isinstance(use, list) and len(use) == 7):
        return False
    key, anchor, start, end, quoted, form, position = use
    return (isinstance(key, str) and isinstance(form, str) and isinstance(quoted, bool)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end, position))
            and anchor in blocks and 0 <= start < end <= blocks[anchor])


def _settings_tag(kind: IndexKind, settings: IndexSettings) -> str:
    """What every memo entry depends on besides the report. The code is part of it: the
    memo is keyed by the reports' conversion cache keys, which stand for their text only
    as long as the code that converts them is the same; and jieba's dictionary decides
    word boundaries."""
    return digest(kind, INDEX_VERSION, code_version(), libraries_version(),
                  *(repr(getattr(settings, name)) if not isinstance(getattr(settings, name), frozenset)
                    else sorted(getattr(settings, name))
                    for name in sorted(settings.__dataclass_fields__) if name not in ("uses_per_page", "context")))


def _fingerprint(source: Source) -> str:
    return digest(source.id, *(f"{block.anchor}\0{block.text}" for block in source.blocks))


def _quoted_uses(source: Source, kind: IndexKind, settings: IndexSettings) -> list[list]:
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


# --- what is a formulation --------------------------------------------------------------

_NUMERALS = "零〇一二两三四五六七八九十百千双"
_NUMERAL = re.compile(f"[{_NUMERALS}]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{3,}")
_VERB_MAX = 4  # characters of the verbs before a formulation (推动, 全面贯彻, 携手构建)
_PARTS = re.compile(r"[、，,；;+＋\s]")  # what joins the parts of a slogan
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
_VERB_SHARE = 0.9  # a phrase is another's verb + it in less than this share of its reports


def bodies_told_apart(bodies: list[str]) -> bool:
    """Whether a corpus tells its reports' issuing bodies apart (one name per report, "" when
    unknown), so that a phrase's bodies are evidence: two bodies or more, named by at least
    BODIES_KNOWN_SHARE of the reports. News items' headlines rarely name one (351 of 10,649):
    there, a few reports' bodies would decide for every phrase."""
    named = [body for body in bodies if body]
    return len(set(named)) >= 2 and len(named) >= BODIES_KNOWN_SHARE * len(bodies)


def _select(sources: list[Source], prints: list[str], quoted_lists: list[list], settings: IndexSettings,
            tag: str, memo: Memo) -> dict[str, dict]:
    """The formulations of the corpus: key -> {"reason", evidence …} (see ``judge``)."""
    quoted_uses: Counter = Counter()
    quoted_reports: dict[str, set] = defaultdict(set)
    for source, uses in zip(sources, quoted_lists):
        for use in uses:
            quoted_uses[use[0]] += 1
            quoted_reports[use[0]].add(source.id)
    shapes = _shape_counts(sources, prints, settings, tag, memo)
    numbered = {key for key, n in shapes.items() if n >= settings.numbered_min_reports}
    numbered = _closed({key: shapes[key] for key in numbered}, settings.bare_closed_ratio)
    features = {}

    def features_of(key: str) -> dict:
        if key not in features:
            features[key] = _recalled(memo, f"c:{tag}:{key}", lambda: candidate_features(key, settings), _features)
        return features[key]

    frequent = _mined(sources, prints, settings, tag, memo)
    mined = _bare_phrases(frequent, settings)
    candidates = set(quoted_uses) | set(numbered) | set(mined) | settings.allow
    for key in sorted(candidates):
        features_of(key)
    plausible = sorted(
        key for key in candidates
        if key in settings.allow or not features[key]["reject"] and (
            key in quoted_uses or key in numbered and features[key]["shape"]
            or features[key]["bare"] and not features[key]["dictionary"]))
    # every report that holds the string anywhere, quoted or bare, inside a word or not;
    # and the same for the two sides of each cut of a bare candidate (its cohesion)
    parts = set()
    for key in plausible:
        if _may_be_bare(key, features[key], quoted_reports, frequent, settings):
            parts.update(part for cut in _splits(features[key]["words"]) for part in cut)
            if len(features[key]["words"][-1]) == 1:
                parts.add(key[:-1])  # for its ``tail``
            if len(features[key]["words"][0]) == 1:
                parts.add(key[1:])  # for its ``head``
    plausible_set = set(plausible)
    counted = sorted(plausible_set | parts)
    keyset = digest(*counted)
    automaton = None
    # key -> the numbers of the reports that hold it, in compact arrays (sets of report ids were
    # 0.6 GB at 74,545 news items)
    raw_reports: dict[str, array] = defaultdict(partial(array, "I"))
    raw_uses: Counter = Counter()
    for number, (source, fp) in enumerate(zip(sources, prints)):
        counts = _checked(memo.get(f"r:{tag}:{keyset}:{fp}"), _counts)
        if counts is None:
            automaton = automaton or _automaton(counted)
            counts = _raw_counts(source, automaton) if automaton else {}
            memo.put(f"r:{tag}:{keyset}:{fp}", counts)
        for key, n in counts.items():
            raw_reports[key].append(number)
            raw_uses[key] += n
    body_of = [source.organization for source in sources]
    bodies_known = bodies_told_apart(body_of)

    def reports(key: str) -> int:
        return len(raw_reports.get(key, ()))

    groups: Counter = Counter()
    for key, n in shapes.items():
        groups[_NUMERAL.sub("#", key)] += n
    verdicts = {}
    later = []  # phrases that may be formulations used bare: judged once the others are known
    for key in plausible:
        evidence = {
            "uses": raw_uses[key], "reports": reports(key),
            "bodies": len({body_of[r] for r in raw_reports.get(key, ())} - {""}) if bodies_known else None,
            "quoted_uses": quoted_uses[key], "quoted_reports": len(quoted_reports[key]),
            "concentration": shapes[key] / groups[_NUMERAL.sub("#", key)] if key in shapes else 0.0,
            # how much of the use of its rarer side this phrase accounts for, at its best cut:
            # 高质量|发展 is most uses of 高质量; 有关|部门 is few of either
            "cohesion": max((reports(key) / max(1, min(reports(a), reports(b)))
                             for a, b in _splits(features[key]["words"])), default=1.0),
            # ending in a one-character word, how much of the use of the rest it is: 粤港澳大湾|区
            # all of it, 人民群众|生(命), 框架|内, 新时代|人 a little
            "frequent": key in frequent,
            "tail": (reports(key) / max(1, reports(key[:-1]))
                     if len(features[key]["words"][-1]) == 1 else 1.0),
            # starting with a one-character word, how much of the use of the rest it is: 新|发展格局
            # most of it, 方|维护国家 (of 双方维护国家…) a little
            "head": (reports(key) / max(1, reports(key[1:]))
                     if len(features[key]["words"][0]) == 1 else 1.0),
        }
        reason = judge(key, features[key], evidence, settings, len(sources))
        if reason == "bare":
            later.append((key, evidence))
        elif reason:
            verdicts[key] = {"reason": reason, **evidence}
    # The company a phrase keeps: the reports that quote a formulation, most of whose uses are
    # quoted, are political text; a phrase used bare mostly elsewhere (确诊病例, 黄色预警 in
    # news bulletins) is the vocabulary of other subjects.
    # Political text is a report that uses (quoted or not) a formulation that writers quote
    # in several reports and in a good share of its uses (两个维护, 一带一路). A phrase keeps
    # political company when at least `bare_min_context` of its reports are political text, or
    # `bare_context_lift` times the corpus' own share of political reports (a news corpus,
    # where a fourth of the items are political, has a lower bar than a corpus of party-building
    # summaries, where nearly every report is).
    political = bytearray(len(sources))  # 1 for a report that is political text
    for key, verdict in verdicts.items():
        if (verdict["quoted_reports"] >= settings.min_quoted_reports  # the evidence, whatever the reason
                and verdict["quoted_uses"] >= settings.context_quoted_share * max(verdict["uses"], 1)):
            for number in raw_reports.get(key, ()):
                political[number] = 1
    required = min(settings.bare_min_context, settings.bare_context_lift * political.count(1) / max(1, len(sources)))
    for key, evidence in later:
        evidence["context"] = sum(political[number] for number in raw_reports.get(key, ())) / max(1, reports(key))
        words = features[key]["words"]
        if (not features[key]["bare"] and len(words) > 1 and segment.dictionary_tag(words[0]) in settings.verb_tags
                and "".join(words[1:]) in plausible_set):
            continue  # a verb and a formulation: 构建|新发展格局, 贯彻|新发展理念
        if evidence["context"] >= required:
            verdicts[key] = {"reason": "bare", **evidence}
    # a formulation with a verb before it or a verb after it is a use of that formulation, not
    # another one, when the formulation is used at least as widely: 推动|高质量发展,
    # 全面|贯彻新发展理念, 命运共同体|建设 (新时代|新征程 is two formulations)
    accepted = dict(verdicts)
    for key in sorted(accepted):
        if accepted[key]["reason"] != "curator" and _use_of_another(key, features[key]["words"], accepted, settings):
            del verdicts[key]
    return verdicts


def _use_of_another(key: str, words: list[str], accepted: dict[str, dict], settings: IndexSettings) -> str:
    """The formulation ``key`` is a use of, "" when there is none: its end after a verb or two
    (words of at most _VERB_MAX characters that start with a verb, adverb or adjective of two
    characters or more, ``before_formulation_tags``, and are no formulation themselves), or all
    of it but its last word, a verb (``after_formulation_tags``); a formulation of three
    characters or more, in as many reports. A slogan of parts (无禁区、全覆盖、零容忍;
    互联网+旅游) is never one: its parts are its words."""
    reports = accepted[key]["reports"]
    if len(words) < 2 or _PARTS.search(key):
        return ""

    def formulation(rest: str) -> bool:
        return len(rest) >= 3 and rest in accepted and accepted[rest]["reports"] >= reports

    if len(words[0]) >= 2 and segment.dictionary_tag(words[0]) in settings.before_formulation_tags:
        for before, rest in _splits(words):
            if len(before) <= _VERB_MAX and formulation(rest) and before not in accepted:
                return rest
    rest = key[:len(key) - len(words[-1])]
    if formulation(rest) and segment.dictionary_tag(words[-1]) in settings.after_formulation_tags:
        return rest
    return ""


def judge(key: str, features: dict, evidence: dict, settings: IndexSettings, total_reports: int) -> str:
    """Why ``key`` is a formulation ("curator", "quoted", "numbered", "bare"), or "" when it is not.

    ``features`` are what the key itself says (``candidate_features``); ``evidence`` what
    the corpus says: ``uses`` and ``reports`` of the string anywhere, ``quoted_uses`` and
    ``quoted_reports``, ``bodies`` (None when the corpus does not tell bodies apart) and,
    for numbered shapes, ``concentration``: the share of this numeral among all numerals
    seen with the same words (四个意识 has no 三个意识; 三个方面 has 两个/四个方面 beside it).
    """
    if key in settings.allow:
        return "curator"
    if features["reject"]:
        return ""
    # in a large corpus, a string in one report or two is someone's phrase, not the corpus'
    # formulation (a headline, a quoted sentence, a programme's title): 4 % of the strings
    # quoted in one report of 10,650 news items are formulations, 19 % of those in two
    if evidence["reports"] < math.ceil(settings.min_reports_share * total_reports):
        return ""
    share = evidence["quoted_uses"] / max(evidence["uses"], evidence["quoted_uses"], 1)
    if features["dictionary"]:  # an ordinary word, unless writers mostly quote it
        return "quoted" if evidence["quoted_uses"] and share >= settings.dictionary_quoted_share else ""
    if evidence["quoted_uses"] and (share >= settings.min_quoted_share
                                    or evidence["quoted_reports"] >= settings.min_quoted_reports):
        return "quoted"
    if (features["shape"] and evidence["reports"] >= settings.numbered_min_reports
            and evidence["concentration"] >= settings.numbered_concentration):
        return "numbered"
    threshold = max(settings.bare_min_reports, math.ceil(settings.bare_min_share * total_reports))
    # used bare by many reports: a noun phrase (``bare``), or any phrase that writers quote at
    # times (乡村振兴, 脱贫攻坚, 全面从严治党 are quoted now and then, used bare mostly)
    if ((features["bare"] or features.get("phrase") and evidence["quoted_reports"] and evidence.get("frequent"))
            and evidence["reports"] >= threshold
            and evidence["reports"] <= settings.bare_max_share * total_reports
            and evidence["cohesion"] >= settings.bare_min_cohesion
            and evidence.get("tail", 1.0) >= settings.bare_min_cohesion
            and evidence.get("head", 1.0) >= settings.bare_min_cohesion
            and (evidence["bodies"] is None or evidence["bodies"] >= settings.bare_min_bodies)):
        return "bare"
    return ""


def candidate_features(key: str, settings: IndexSettings) -> dict:
    """What a candidate says by itself: ``reject`` (why it can never be a formulation:
    stop list, a stop pattern, a name), ``dictionary`` (an ordinary word in jieba's
    dictionary), ``shape`` (a numbered shape), ``bare`` (whether, never quoted, its words
    read as a formulation: two or more words, none a function word or numeral, ending in
    a noun, not starting with a verb or a person's name)."""
    words = segment.tagged(key)
    tags = [flag for _, flag in words]
    reject = ""
    frequency = segment.frequency(key)
    if key in settings.stop:
        reject = "stop"
    elif len(_HAN.findall(key)) < settings.min_length or _SENTENCE.search(key):
        reject = "length"
    elif any(re.search(pattern, key) for pattern in settings.stop_patterns):
        reject = "pattern"
    elif len(words) == 1 and tags[0] in settings.name_tags:
        reject = "name"
    elif any(key.endswith(head) and key != head for head in settings.name_heads):
        reject = "name"
    elif _person_name(key, words, frequency, settings):
        reject = "name"
    shape = any(re.fullmatch(pattern, key) for pattern in _shape_patterns(settings))
    # read as one phrase: two or more words, none a function word or numeral, not starting
    # with a person's name, no post or body followed by more (法国总统马克龙, 国务院决策部署)
    phrase = (
        len(words) >= 2
        and not any(flag in settings.function_tags for flag in tags)
        and tags[0] not in PERSON_TAGS
        and not any(word in settings.name_heads for word, _ in words[:-1])
    )
    # and, never quoted, a noun phrase: ending in a noun, not starting with a verb or a name
    bare = (
        phrase and len(key) <= settings.bare_max_length
        and tags[-1] in settings.head_tags and tags[0] not in settings.verb_tags
        and not any(flag in PERSON_TAGS | {"ns"} and len(word) > 1 for word, flag in words[-1:])
        # 好朋友, 热烈掌声, 诚挚问候, 上述活动: what a phrase with such a first word describes is
        # said in plain words, not a formulation, unless writers quote it (the quoted route)
        and words[0][0] not in settings.plain_starts
        # 框架内, 合作中, 体系下: a noun with a one-character word of place after it says where
        # something happens (在…框架内), it names nothing
        and words[-1][0] not in settings.place_ends
        # 全国各族人民, 广大干部群众, 华侨华人: who is addressed or praised, not what is said
        and not key.endswith(settings.people_ends)
    )
    return {"reject": reject, "dictionary": frequency > 0, "shape": shape, "bare": bare, "phrase": phrase,
            "words": [word for word, _ in words]}


def _person_name(key: str, words, frequency: int, settings: IndexSettings) -> bool:
    """A name jieba does not know: a surname and a two-character given name that is no common
    word (郑|建邦, 武|维华); 全|覆盖 is a surname's character and a word."""
    return (len(key) == 3 and frequency == 0 and len(words) == 2 and words[0][0] in settings.surnames
            and segment.frequency(words[1][0]) <= settings.given_name_max_frequency)


def _splits(words: list[str]) -> list[tuple[str, str]]:
    """The ways to cut a phrase in two between its words."""
    return [("".join(words[:i]), "".join(words[i:])) for i in range(1, len(words))]


def _shape_patterns(settings: IndexSettings) -> tuple[str, ...]:
    return settings.shapes


def _shape_counts(sources, prints, settings, tag, memo: Memo) -> Counter:
    """Reports per numbered-shape string (两个维护, 三严三实, 八项规定 …) over the whole corpus."""
    counts: Counter = Counter()
    if not settings.shapes:
        return counts
    pattern = re.compile("|".join(f"(?=({p}))" for p in settings.shapes))
    for source, fp in zip(sources, prints):
        def shapes_in(source=source) -> list[str]:
            found = set()
            for block in source.blocks:
                for match in pattern.finditer(fold_text(block.text)):
                    found.update(g for g in match.groups() if g)
            return sorted(found)
        counts.update(_recalled(memo, f"s:{tag}:{fp}", shapes_in, _strings))
    return counts


def _mined(sources, prints, settings, tag, memo: Memo) -> dict[str, int]:
    """Strings used by many reports (``mine_phrases``), with their number of reports, in a
    sample of the corpus (every report when it is small; else those whose id's hash
    falls in the sample, so adding a report rarely changes it)."""
    total = sum(len(block.text) for source in sources for block in source.blocks)
    step = max(1, math.ceil(total / settings.mining_sample_chars))
    chosen = [(source, fp) for source, fp in zip(sources, prints)
              if step == 1 or int(hashlib.blake2b(source.id.encode(), digest_size=4).hexdigest(), 16) % step == 0]
    threshold = max(settings.bare_min_reports, math.ceil(settings.bare_min_share * len(sources)))
    min_df = max(2, int(threshold / step * 0.6)) if step > 1 else threshold
    # longer than a bare formulation may be, so that pieces of long phrases are seen as pieces
    return _recalled(memo, f"m:{tag}:{digest(min_df, *(fp for _, fp in chosen))}",
                       lambda: mine_phrases([[b.text for b in source.blocks] for source, _ in chosen], min_df,
                                            settings.bare_max_length + 4), _counts)


def _bare_phrases(found: dict[str, int], settings: IndexSettings) -> list[str]:
    """The mined strings not merely part of a longer one (``_closed``), and the phrase inside
    each without the verbs it starts with, when that too was mined: 构建新发展格局 is most
    uses of 新发展格局, which is the phrase (the verb is the sentence's, not the formulation's)."""
    closed = _closed(found, settings.bare_closed_ratio)
    phrases = set(closed)
    for string in closed:
        # jieba's dictionary tags of the words of two or more characters it may start with
        # (no segmentation of every mined string: there are tens of thousands; and a
        # preposition or a numeral before a phrase says it is a piece of a longer one:
        # 在|人民大会堂会见, 两|国全面战略)
        # -- unless one verb is nearly all its uses: then it is part of the phrase (创新|驱动发展战略)
        inner = string
        while True:
            cut = next((n for n in (4, 3, 2) if n < len(inner) - 2
                        and segment.dictionary_tag(inner[:n]) in settings.verb_tags), 0)
            rest = inner[cut:]
            if not cut or rest not in found or found[inner] >= _VERB_SHARE * found[rest]:
                break
            inner = rest
            phrases.add(inner)
    return sorted(phrases)


def _may_be_bare(key: str, features: dict, quoted_reports: dict, frequent: dict, settings: IndexSettings) -> bool:
    """Whether ``judge`` may find ``key`` a formulation used bare (so its cohesion is needed):
    a noun phrase, or a phrase quoted at times but not often enough to be one by quotation
    and frequent in the mined sample (most quoted strings are neither: they are not counted)."""
    if features["reject"] or features["dictionary"]:
        return False
    return features["bare"] or (features.get("phrase", False) and key in frequent
                                and 0 < len(quoted_reports.get(key, ())) < settings.min_quoted_reports)


def mine_phrases(documents: list[list[str]], min_df: int, max_length: int = 10) -> dict[str, int]:
    """Strings of 3 to ``max_length`` Chinese characters found in at least ``min_df``
    documents, with their number of documents. Grown a character at a time from the
    frequent shorter ones (Apriori), so only strings whose two halves are frequent are
    ever counted."""
    runs = [[fold_text(run) for text in texts for run in _HAN_RUN.findall(fold_text(text))] for texts in documents]
    df: Counter = Counter()
    for doc in runs:
        df.update({run[i:i + 3] for run in doc for i in range(len(run) - 2)})
    frequent = {g: n for g, n in df.items() if n >= min_df}
    found = dict(frequent)
    positions = [[(k, i) for k, run in enumerate(doc) for i in range(len(run) - 2) if run[i:i + 3] in frequent]
                 for doc in runs]
    for n in range(4, max_length + 1):
        df = Counter()
        grown = []
        for doc, spots in zip(runs, positions):
            here = set(spots)
            longer = [(k, i) for k, i in spots if (k, i + 1) in here]
            grown.append(longer)
            df.update({doc[k][i:i + n] for k, i in longer})
        frequent = {g: c for g, c in df.items() if c >= min_df}
        if not frequent:
            break
        found.update(frequent)
        positions = [[(k, i) for k, i in spots if doc[k][i:i + n] in frequent] for doc, spots in zip(runs, grown)]
    return found


def _closed(counts: dict[str, int], ratio: float) -> dict[str, int]:
    """Drop each string that a one-character-longer string (or, for a shape, any longer
    string starting the same way) accounts for: 近平总书记 inside 习近平总书记."""
    best: Counter = Counter()
    for longer, n in counts.items():
        for shorter in {longer[:-1], longer[1:]}:
            if shorter in counts:
                best[shorter] = max(best[shorter], n)
    return {g: n for g, n in counts.items() if best[g] < ratio * n}


def _raw_counts(source: Source, automaton) -> dict[str, int]:
    """How often each key occurs anywhere in the report, quoted or bare, word boundaries or not."""
    counts: Counter = Counter()
    for block in source.blocks:
        for _, key in automaton.iter(fold_text(block.text)):
            counts[key] += 1
    return dict(counts)


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
            if any((s, e) == (start, end) or start < s < end or start < e < end for s, e in spans):
                continue  # exactly a quotation (counted as a quoted use) or across a quotation mark
            case = _boundary_key(block.text, start, end)
            if case not in known:
                known[case] = int(_at_word_boundaries(block.text, start, end))
            decided[case] = known[case]
            if decided[case]:
                uses.append([key, block.anchor, start, end, False, block.text[start:end], position])
    return uses


# a quantity: a number that is not a date, a time or an ordinal (2035年, 10周年), or a percentage
# (full-width forms too: the text is not folded, to spare translating every block again)
_DIGITS = "0123456789０１２３４５６７８９.．"
_QUANTITY = re.compile(r"[%％]|[0-9０-９]+(?:[.．][0-9０-９]+)?(?![0-9０-９.．]*(?:年|月|日|时|号|世纪|届|次|周年))")


def counting_share(uses: list[Use], texts: dict[tuple[str, str], str]) -> float:
    """The share of the bare uses whose clause (``_sentence_around``) states a quantity. A
    number joined to the phrase is part of it, not a count (21|世纪海上丝绸之路)."""
    bare = [use for use in uses if not use.quoted]
    counting = 0
    for use in bare:
        text = texts[(use.report, use.anchor)]
        left, right = _sentence_around(text, use.start, use.end)
        if _QUANTITY.search(text[left:use.start].rstrip(_DIGITS) + " " + text[use.end:right]):
            counting += 1
    return counting / max(1, len(bare))


def continuation_share(uses: list[Use], texts: dict[tuple[str, str], str], function_tags: frozenset[str]) -> float:
    """The share of the uses followed by the one Chinese character that follows most of them,
    a function word (的, 和, 等: a dictionary tag in ``function_tags``) not counted: a clause
    may go on after a formulation with 的 as often as it likes."""
    following: Counter = Counter()
    for use in uses:
        text = texts.get((use.report, use.anchor), "")
        after = unicodedata.normalize("NFKC", text[use.end:use.end + 1])
        if _HAN.fullmatch(after or "") and segment.dictionary_tag(after) not in function_tags:
            following[after] += 1
    return max(following.values(), default=0) / max(1, len(uses))


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
    if (start - left) not in cuts:
        return False
    if (end - left) not in cuts:
        # A formulation of four or more characters may be followed by a suffix that makes its
        # last word a longer one (脱贫|攻坚战 is a use of 脱贫攻坚): the word across its end
        # starts inside it, at a cut. A short one may not (中国|梦想 is no use of 中国梦).
        # The part after the last cut inside must be a word of two or more characters that the
        # suffix lengthens (攻坚|战), not one character of a longer word (人民群众生|命).
        inside = [c for c in cuts if start - left < c < end - left]
        if (end - start < 4 or not inside or end - left - max(inside) < 2
                or not segment.is_word(sentence[max(inside):end - left])):
            return False  # 两个毫不动|摇: 毫不动 is no word that 摇 lengthens, but a piece of 毫不动摇
    # A short formulation that starts or ends with a one-character word (“好班子” = 好 + 班子)
    # is not used where that character forms a word with its neighbour (带好班子); a longer
    # one is (构建新发展格局, though 建新 is a word).
    if end - start > 3:
        return True
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
    pinyin = load_pypinyin()
    initial = pinyin.lazy_pinyin(first, style=pinyin.Style.FIRST_LETTER, errors="default")[0][:1].upper()
    return initial if "A" <= initial <= "Z" else "#"


def group_order(group: str) -> tuple[int, str]:
    if group in NUMERAL_GROUPS:
        return (0, f"{NUMERAL_GROUPS.index(group):02d}")
    return (1 if group != "#" else 2, group)


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
