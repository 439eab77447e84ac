"""Search stage: the site's search index, a static character n-gram index.

Readers search for exact strings of Chinese text: a formulation (三会一课), a
word (堡垒), part of a word (初心), a phrase (民主评议党员). Word segmenters
split such strings differently in the index and in the query, which loses
reports that contain the string and finds reports that do not (see
bench/search_quality.py, which measures this index against SearchViewfind). So the
index does not segment at all: it maps every character and every pair of
adjacent characters (within one heading or paragraph) to the reports that
contain it, and every string of 3 to GRAM_MAX characters whose prefix one
character shorter is a key of more than a tenth of the reports (gram_reports). A term is looked
up as its prefixes (:func:`term_reports`): it is a key (its reports, exactly),
or absent from the corpus, or a prefix of it is a key of at most that many
reports, which the browser confirms against their texts. So the count of
results is mostly exact without loading texts beyond the first screen's; the
browser loads the texts of the results on screen for their passages.

What one search downloads must not grow with the corpus (issue 12: home page and
one search within 0.5 MB at 74,545 reports). So no file lists every report: the
reports are numbered newest first (year, then title, then URL: the order results
are shown in), and a search fetches the key shards of its pairs, then the rows
(URL, title) and texts of the results on screen only. The filters' values per
report are columns in ``meta.json`` in that order, run-length coded when that is
shorter (a year is one run of numbers; a body or genre shared by the whole corpus
one run), so the counts per filter are made in the browser from the report
numbers alone.

Layout under ``docs/search/``, copied to ``site/search/`` (written by
:func:`index_files` from the converted reports, so only the files whose bytes
change are rewritten; read by docs/assets/search.js):

* ``meta.json``: the number of reports and of key shards, ``grams``
  ([gram_reports(docs), GRAM_MAX]), the filter values
  (``values``: year, issuing body, genre) and, per filter, the value of every
  report as a column (``cols``: ``"r" + "value*count,..."`` runs, or ``"p<w>:"``
  + base64 of ``w`` bits per report, bit ``j`` of report ``i`` at bit
  ``i*w+j``, least significant first); ``rows``, reports per ``d/`` file;
  ``numbering``, a digest of what the numbers stand for (an update keeps them
  only when no report was added, removed, retitled or refiled), and ``check``,
  a digest of every part (key shards, rows, texts), so
  a build trusts a previous index only when its parts still agree (written after
  the key shards and rows; the texts come after it, written by the build from each
  report once the index's process is done reading the previous ones: a build killed
  in between leaves parts that disagree, and the next one builds the index whole);
Every file under ``k/``, ``d/`` and ``t/`` is its JSON gzip-compressed (``.json.gz``, no
name or time in the header): a quarter to half the bytes on disk and over the wire, which the
browser unpacks with ``DecompressionStream`` (:func:`part_path`, :func:`pack`, :func:`unpack`).

* ``k/<n>.json``: one shard of keys (``key -> report set``); the shard of a key
  is ``fnv1a(key) % shards`` over its UTF-16 code units. A report set is
  ``"l"`` + comma-separated gaps between report numbers (sparse keys) or
  ``"b"`` + a base64 bitmap, bit ``i`` of byte ``i // 8`` (dense keys);
* ``bodies.json``, when the issuing bodies would make meta.json long (more than
  BODIES_INLINE bytes): ``[values, column]`` of that filter, whose ``values`` and
  ``cols`` entries in meta.json are then null (``"bodies": "bodies.json"``); loaded
  when the reader filters by body;
* ``d/<n>.json``: the rows of reports ``n*ROWS`` to ``n*ROWS+ROWS-1``,
  ``[[url, title], ...]`` (``[url, title, body]`` with bodies.json): loaded for the
  results on screen only;
* ``t/<id>.json``: the blocks of one report, ``[[anchor, text], ...]``, the
  title first with an empty anchor: loaded for the results on screen only.

Only report pages are indexed, with the same text, anchors and filter values
their pages show (the page title, then every heading and paragraph).
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import zlib
from array import array
import json
import logging
import math
import re
import time
from collections import defaultdict
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path
from typing import Iterable, Sequence

from .index import fold_text
from .site import fnv1a
from .views import SearchView, search_view
from .writer import gzipped, spool_files

log = logging.getLogger("reading_room")

INDEX_DIR = "search"
# 2: keys folded as the formulation index folds (、，,；;) and lower-cased;
# 3: reports numbered newest first, their rows in d/, filter values as columns;
# 4: longer keys where their prefix is common (gram_reports, GRAM_MAX): exact counts;
# 5: the parts (k/, d/, t/) gzip-compressed
FORMAT = 5
# A key (two characters or more) in more than gram_reports(reports) is extended by each
# character that follows it somewhere, up to GRAM_MAX characters. So a term of up to
# GRAM_MAX characters is either a key (its reports exactly), or absent from the corpus, or
# among the reports of a rarer prefix, which the browser confirms against their texts (all
# at once up to AUTO_CHECK, else as the reader asks: the count says 至多 until then).
# The threshold is a share of the corpus, not a number of reports: a fixed 10 made the key
# shards five times larger at 10,649 news items (19 -> 95 MB) and the site with them; a
# tenth adds about a fifth. Four characters cover the formulations (四个意识, 三会一课).
GRAM_SHARE = 10
AUTO_CHECK = 30  # search.js: up to this many candidates are confirmed at once
GRAM_MAX = 4
FIRST_PARTS = 3  # the characters and pairs of the corpus are gathered a third at a time


def gram_reports(total: int) -> int:
    """How many reports a key must be in for its longer keys to be indexed, in a corpus of ``total``."""
    return max(AUTO_CHECK, total // GRAM_SHARE)


SHARD_BYTES = 6_000  # aimed size of one key shard, compressed (12 KB of JSON)
ROWS = 16  # reports per d/<n>.json: the first results on screen are one or two files
# White space as search.js has it (an explicit class: Python's and JavaScript's \s differ).
_SPACE = re.compile("[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
FACETS = ("年份", "机关", "体裁")
# The issuing bodies' names and column go to their own file (bodies.json, loaded when the
# reader uses that filter) when they would make meta.json longer than this; each report's
# body is then in its row (the results on screen show it).
BODIES_INLINE = 2_000


@lru_cache(maxsize=1)
def _search_table() -> dict[int, str]:
    """Character by character, the formulation index's folding (NFKC where it gives one
    character; 、，,；; as one), then lower case where that is one character: what
    search.js's ``foldChar`` does, so index and query are folded alike."""
    folded = fold_text
    table = {}
    for code in range(0x10000):
        ch = chr(code)
        f = folded(ch)
        low = f.lower()
        if len(low) == 1:
            f = low
        if f != ch:
            table[code] = f
    return table


def normalize(text: str) -> str:
    """The form both the index and the query are compared in: folded, lower case, no white space."""
    return _SPACE.sub("", text.translate(_search_table()))


def keys_of(text: str) -> set[str]:
    """Every character and every pair of adjacent characters of normalized ``text``."""
    keys = set(text)
    keys.update(text[i:i + 2] for i in range(len(text) - 1))
    return keys


def encode_set(members: Sequence[int], total: int) -> str:
    """A sorted set of report numbers, as gaps (sparse) or a base64 bitmap (dense)."""
    gaps = ",".join(str(b - a) for a, b in zip(chain((0,), members), members))  # the first is members[0]
    bitmap_len = (total + 7) // 8 * 4 // 3 + 4
    if len(gaps) <= bitmap_len:
        return "l" + gaps
    bits = bytearray((total + 7) // 8)
    for m in members:
        bits[m >> 3] |= 1 << (m & 7)
    return "b" + base64.b64encode(bytes(bits)).decode("ascii")


def decode_set(value: str, total: int) -> list[int]:
    """Inverse of :func:`encode_set` (used by tests and the benchmark)."""
    if value[0] == "l":
        out, at = [], 0
        for i, gap in enumerate(value[1:].split(",")):
            at = int(gap) if i == 0 else at + int(gap)
            out.append(at)
        return out
    bits = base64.b64decode(value[1:])
    return [i for i in range(total) if bits[i >> 3] >> (i & 7) & 1]


def term_chains(term: str, gram_max: int = GRAM_MAX) -> list[list[str]]:
    """The keys a normalized term is looked up as (search.js's termChains): a term of one or two
    characters is a key; a longer one its prefixes of two characters and more (up to
    ``gram_max``), and, beyond ``gram_max`` characters, the prefixes of its last ``gram_max``."""
    if len(term) <= 2:
        return [[term]]
    chains = [[term[:k] for k in range(2, min(len(term), gram_max) + 1)]]
    if len(term) > gram_max:
        tail = term[-gram_max:]
        chains.append([tail[:k] for k in range(2, gram_max + 1)])
    return chains


def term_pairs(term: str) -> list[str]:
    """The pairs of characters of a term longer than two, beyond its first (search.js's
    termPairs): every report holding the term holds them, so they narrow the candidates when
    the index is not sure of it (四个意 in 341 reports, 四个意识 in 131, all four pairs in 141)."""
    return [term[i:i + 2] for i in range(1, len(term) - 1)]


def term_reports(term: str, value_of, total: int, threshold: int | None = None,
                 gram_max: int = GRAM_MAX) -> tuple[list[int], bool]:
    """The reports of a normalized ``term`` as the browser finds them (search.js's termSet):
    (report numbers, exact). ``value_of(key)``: the key's encoded set or None. Not exact:
    a term longer than ``gram_max``, or one whose prefix is a key of at most ``threshold``
    reports while the prefix one character longer is none (then these, less those missing one
    of its pairs, are the candidates, to be confirmed against their texts)."""
    threshold = gram_reports(total) if threshold is None else threshold
    found: set[int] | None = None
    exact = True
    for chain in term_chains(term, gram_max):
        members: list[int] | None = None
        for key in chain:
            value = value_of(key)
            if value is None:
                if members is None or len(members) > threshold:
                    return [], True  # absent from the corpus
                exact = False
                break
            members = decode_set(value, total)
        if len(chain[-1]) < len(term):
            exact = False
        found = set(members) if found is None else found & set(members)
    if not exact:
        for key in term_pairs(term):
            value = value_of(key)
            if value is None:
                return [], True  # a pair absent from the corpus: so is the term
            found &= set(decode_set(value, total))
    return sorted(found or ()), exact


def order(pages: list[SearchView]) -> list[SearchView]:
    """The reports as numbered: newest year first (unknown years last), then by title (in
    UTF-16 code units, as JavaScript compares), then URL. Results are shown in this order."""
    def key(page: SearchView):
        year = page.facets.get(FACETS[0], "")
        return (0, -int(year)) if year.isdigit() else (1, 0), page.title.encode("utf-16-be"), page.url
    return sorted(pages, key=key)


def build_index(pages: list[SearchView]) -> tuple[dict, dict[int, dict[str, str]], dict[str, str], list[str]]:
    """(meta.json, shards, texts as JSON by report id, rows files) for ``pages`` (in :func:`order`)."""
    return _layout(pages, gram_sets([joined(page.blocks) for page in pages]))


def joined(blocks: list[list[str]]) -> str:
    """A report's blocks normalized, one a line: no key spans two ("\n" is white space, so
    never part of a normalized block)."""
    return "\n".join(normalize(text) for _, text in blocks)


def page_keys(blocks: list[list[str]]) -> set[str]:
    """The characters and pairs of characters of a report (the keys of any length ≤ 2)."""
    keys: set[str] = set()
    for _, text in blocks:
        keys |= keys_of(normalize(text))
    return keys


def gram_sets(texts: list[str]) -> dict[str, str]:
    """Every key -> the reports (``texts``: :func:`joined`, by number) that hold it, encoded
    (:func:`encode_set`): every character and pair of characters, and every string of 3 to
    GRAM_MAX characters whose prefix one character shorter is a key of more than
    :func:`gram_reports` reports. Encoded a length at a time (strings take less memory than lists)."""
    total = len(texts)
    threshold = gram_reports(total)
    encoded: dict[str, str] = {}
    common: set[str] = set()
    # the characters and pairs a part at a time (by their first character), each part's report
    # numbers in compact arrays: the postings of all of them at once were most of the search
    # index's memory (0.7 GB at 74,545 news items)
    for part in range(FIRST_PARTS):
        postings: dict[str, array] = defaultdict(partial(array, "I"))
        for number, text in enumerate(texts):
            for key in keys_of(text):
                if ord(key[0]) % FIRST_PARTS == part and "\n" not in key:
                    postings[key].append(number)
        common.update(key for key, members in postings.items() if len(key) == 2 and len(members) > threshold)
        encoded.update((key, encode_set(members, total)) for key, members in postings.items())
        del postings
    starts: list | None = None  # per report: where a key one character shorter starts
    for n in range(3, GRAM_MAX + 1):
        if not common:
            break
        level: dict[str, array] = defaultdict(partial(array, "I"))
        found = []
        for number, text in enumerate(texts):
            keys, here = longer_keys(text, n, common, range(len(text) - n + 1) if starts is None else starts[number])
            found.append(here)
            for key in keys:
                level[key].append(number)
        common = {key for key, members in level.items() if len(members) > threshold}
        encoded.update((key, encode_set(members, total)) for key, members in level.items())
        del level
        starts = found
    return encoded


def longer_keys(text: str, n: int, common, positions) -> tuple[set[str], array]:
    """The keys of ``n`` characters in ``text`` (those whose prefix is in ``common``), and
    where they start (of ``positions``)."""
    keys: set[str] = set()
    here = array("I")
    for i in positions:
        if text[i:i + n - 1] in common:
            key = text[i:i + n]
            if len(key) == n and key[-1] != "\n":
                keys.add(key)
                here.append(i)
    return keys, here


def report_grams(text: str, common) -> set[str]:
    """The keys of ``text`` (:func:`joined`) longer than two characters, given
    ``common(key)``: whether a key is in more than :func:`gram_reports` reports."""
    keys: set[str] = set()
    layer = {k for k in keys_of(text) if len(k) == 2 and "\n" not in k and common(k)}
    positions = range(len(text) - 2)
    for n in range(3, GRAM_MAX + 1):
        if not layer:
            break
        found, positions = longer_keys(text, n, layer, positions)
        keys |= found
        layer = {k for k in found if common(k)}
    return keys


def set_size(value: str) -> int:
    """How many reports an encoded set (:func:`encode_set`) holds."""
    if value[0] == "l":
        return value.count(",") + 1
    return int.from_bytes(base64.b64decode(value[1:]), "little").bit_count()


def _shard_count(encoded: dict[str, str]) -> int:
    """The fewest shards of at most SHARD_BYTES on average, in steps of a quarter power of two
    (doubling left a shard anywhere from 6 to 12 KB, and what one search fetches with it);
    a function of the keys alone, so an update and a whole build agree. The size is the
    compressed one, estimated: a bitmap (dense keys) compresses less than a list of gaps, and
    dense keys grow with the corpus (fitted on the news corpus' shards, within 2 %)."""
    # fsum: exactly rounded, so the same keys give the same count in whatever order they come
    size = math.fsum(0.45 * (len(k) * 3 + len(v)) + 4 + (0.26 * len(v) if v[0] == "b" else 0)
                     for k, v in encoded.items())
    step, shards = 0, 1
    while size / shards > SHARD_BYTES and shards < 1 << 16:
        step += 1
        shards = round(2 ** (step / 4))
    return shards


def _layout(pages: list[SearchView], encoded: dict[str, str], shards: int | None = None,
            shard_of: dict[str, int] | None = None):
    """``shard_of``: the shard of keys already known (from the previous index), so that
    only new keys are hashed."""
    shards = shards or _shard_count(encoded)
    shard_of = shard_of or {}
    by_shard: dict[int, dict[str, str]] = {i: {} for i in range(shards)}
    for key in sorted(encoded):
        shard = shard_of.get(key)
        by_shard[fnv1a(key) % shards if shard is None else shard][key] = encoded[key]
    values = {facet: sorted({p.facets.get(facet, "") for p in pages}) for facet in FACETS}
    numbers = {facet: {value: n for n, value in enumerate(values[facet])} for facet in FACETS}
    columns = [[numbers[f][p.facets.get(f, "")] for p in pages] for f in FACETS]
    texts = {}
    version = hashlib.sha256()
    for page in pages:
        texts[page.id] = page.text
        version.update(f"{page.id}\0{page.text}\0".encode("utf-8"))
    cols = [encode_column(c) for c in columns]
    bodies = None
    if len(_dump(values[FACETS[1]])) + len(cols[1]) > BODIES_INLINE:
        bodies = _dump([values[FACETS[1]], cols[1]])
    rows = [_dump([[p.url, p.title] + ([p.facets.get(FACETS[1], "")] if bodies else []) for p in pages[at:at + ROWS]])
            for at in range(0, len(pages), ROWS)]
    numbering = rows_digest(pages)
    version.update(numbering.encode("ascii"))
    # "version": the corpus as searched (its reports' text and filter values); a search's
    # CSV download names it
    meta = {"format": FORMAT, "version": version.hexdigest()[:12], "docs": len(pages), "rows": ROWS,
            "shards": shards, "grams": [gram_reports(len(pages)), GRAM_MAX], "facets": list(FACETS),
            "values": [None if bodies and f == FACETS[1] else values[f] for f in FACETS],
            "cols": [None if bodies and i == 1 else c for i, c in enumerate(cols)], "numbering": numbering}
    if bodies:
        meta["bodies"] = bodies  # written as bodies.json by index_files
    return meta, by_shard, texts, rows


def rows_digest(pages: list[SearchView]) -> str:
    """What the report numbers stand for: every report's URL, title and filter values, in order."""
    return hashlib.sha256(_dump([[p.url, p.title, [p.facets.get(f, "") for f in FACETS]]
                                 for p in pages]).encode("utf-8")).hexdigest()[:16]


def encode_column(values: list[int]) -> str:
    """One filter's value number for every report: as runs (``"r3*120,0*5"``) or packed
    in as few bits as the largest needs (``"p<w>:"`` + base64), whichever is shorter."""
    runs: list[list[int]] = []
    for v in values:
        if runs and runs[-1][0] == v:
            runs[-1][1] += 1
        else:
            runs.append([v, 1])
    coded = "r" + ",".join(f"{v}*{n}" for v, n in runs)
    width = max(1, max(values, default=0).bit_length())
    bits = bytearray((len(values) * width + 7) // 8)
    for i, v in enumerate(values):
        for j in range(width):
            if v >> j & 1:
                at = i * width + j
                bits[at >> 3] |= 1 << (at & 7)
    packed = f"p{width}:" + base64.b64encode(bytes(bits)).decode("ascii")
    return coded if len(coded) <= len(packed) else packed


def decode_column(value: str, total: int) -> list[int]:
    """Inverse of :func:`encode_column` (used by tests and the benchmark)."""
    if value[0] == "r":
        out: list[int] = []
        for run in filter(None, value[1:].split(",")):
            v, n = run.split("*")
            out += [int(v)] * int(n)
        return out
    width, data = value[1:].split(":", 1)
    width, bits = int(width), base64.b64decode(data)
    return [sum((bits[(i * width + j) >> 3] >> ((i * width + j) & 7) & 1) << j for j in range(width))
            for i in range(total)]


def part_path(kind: str, name: str | int) -> str:
    """Where a part of the index is, under the index's folder: ``kind`` is k (key shards),
    d (rows) or t (texts); search.js asks for the same names."""
    return f"{kind}/{name}.json.gz"


def pack(text: str) -> bytes:
    return gzipped(text.encode("utf-8"))


def unpack(data: bytes) -> str:
    return gzip.decompress(data).decode("utf-8")


def update_index(pages: list[SearchView], previous: Path):
    """The index of ``pages`` (in :func:`order`) from the index of an earlier build in
    ``previous``, when the reports are numbered alike (the same ones, with the same titles
    and filter values): only the keys of reports whose text changed are re-encoded. The
    result is byte for byte what ``build_index`` gives; None when an update is not
    possible (then build it whole)."""
    try:
        meta = json.loads((previous / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("numbering") != rows_digest(pages) \
                or meta.get("rows") != ROWS or meta.get("docs") != len(pages):
            return None
        # each part read once and let go: the digest of the parts is taken as they are read
        # (holding them all was 0.3 GB at 74,545 news items, beside the build's own process)
        changed = []
        encoded: dict[str, str] = {}
        shard_of: dict[str, int] = {}

        def old_shards():
            for shard in range(meta["shards"]):
                text = read(previous, "k", shard)
                keys = json.loads(text)
                encoded.update(keys)
                shard_of.update(dict.fromkeys(keys, shard))
                yield text

        def old_texts():
            for number, page in enumerate(pages):
                old = read(previous, "t", page.id)
                if old != page.text:
                    changed.append((number, json.loads(old), page.blocks))
                yield old

        old_rows = (read(previous, "d", n) for n in range((len(pages) + ROWS - 1) // ROWS))
        if meta.get("check") != parts_digest(old_shards(), old_rows, old_texts()):
            # a build killed while writing the index, or a part changed by hand: the keys
            # no longer describe the texts, so they are not patched but made again
            log.warning("search: the previous index's parts disagree with each other; building it whole")
            return None
    except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError):
        return None
    total = len(pages)
    threshold = gram_reports(total)
    if meta.get("grams") != [threshold, GRAM_MAX]:
        return None  # other longer keys: built whole
    sizes: dict[str, int] = {}

    def size(key: str) -> int:
        if key not in sizes:
            sizes[key] = set_size(encoded[key]) if key in encoded else 0
        return sizes[key]

    def patch(keys: set[str], number: int) -> bool:
        """Report ``number`` added to or removed from the sets of ``keys``; False when a key
        changes sides of the threshold (then which longer keys exist changes too)."""
        for key in keys:
            before = size(key)
            members = set(decode_set(encoded[key], total)) if key in encoded else set()
            members.symmetric_difference_update({number})
            if members:
                encoded[key] = encode_set(sorted(members), total)
            else:
                encoded.pop(key, None)
            sizes[key] = len(members)
            if len(key) >= 2 and (before > threshold) != (len(members) > threshold):
                return False
        return True

    def common(key: str) -> bool:
        return size(key) > threshold

    for number, old_blocks, new_blocks in changed:
        if not patch(page_keys(old_blocks) ^ page_keys(new_blocks), number):
            return None
    for number, old_blocks, new_blocks in changed:
        # the pairs' sides are as before, so which longer keys a text has is decided as before
        if not patch(report_grams(joined(old_blocks), common) ^ report_grams(joined(new_blocks), common), number):
            return None
    if _shard_count(encoded) != meta["shards"]:
        return None  # the layout changes: a whole build is as cheap
    return _layout(pages, encoded, meta["shards"], shard_of)


def read(index: Path, kind: str, name: str | int) -> str:
    """A part of the index in folder ``index`` (docs/search of a build), unpacked."""
    return unpack((index / part_path(kind, name)).read_bytes())


def parts_digest(shards: Iterable[str], rows: Iterable[str], texts: Iterable[str]) -> str:
    """A digest of the index's key shards, rows and report texts as written. meta.json,
    written after them, records it: an update trusts the previous index only when its parts
    on disk still give the digest its meta.json recorded."""
    h = hashlib.blake2b(digest_size=16)
    for part in chain(shards, "\0", rows, "\0", texts):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def index_files(reports, previous: Path | None = None) -> dict[str, bytes]:
    """The files of the search index, by path under docs/; updated from the index of
    the previous build in ``previous`` (docs/search) where that is possible."""
    views = [search_view(r) for r in reports]
    return {**index_files_of(views, previous), **{text_path(v.id): text_file(v) for v in views}}


def text_file(view: SearchView) -> bytes:
    """One report's ``t/`` file (at ``text_path``). The build writes it from the report itself (a Deferred keyed by
    the report: outputs.py), not the search index's process, so that a report that did not
    change costs nothing (at 10,650 news items the process packed and spooled 10,650 texts a
    build, which the build read back and compared, to write one)."""
    return pack(view.text)


def text_path(report_id: str) -> str:
    return INDEX_DIR + "/" + part_path("t", report_id)


def spool_index_files(views: Iterable[SearchView], previous: Path | None, spool: Path) -> list[str]:
    """``index_files_of`` left in the folder ``spool`` (what the search index's process does):
    the build reads them back one at a time as it writes docs/ (``writer.spooled``), so the index
    (0.14 GB at 74,545 news items) is never held by the build's own process."""
    return spool_files(index_files_of(views, previous), spool)


def index_files_of(views: Iterable[SearchView], previous: Path | None = None) -> dict[str, bytes]:
    """``index_files`` of the reports' search views (what the search index's process is sent),
    but for their texts (``text_file``); ``meta.json``'s check covers the texts all the same."""
    started = time.perf_counter()
    pages = order(list(views))
    meta, shards, texts, rows = (previous and update_index(pages, previous)) or build_index(pages)
    files = {}
    key_count = sum(len(keys) for keys in shards.values())

    def shard_texts():  # packed one at a time, each shard let go once packed (less memory held)
        for number in range(meta["shards"]):
            text = _dump(shards.pop(number))
            files[INDEX_DIR + "/" + part_path("k", number)] = pack(text)
            yield text

    check = parts_digest(shard_texts(), rows, (texts[p.id] for p in pages))
    for number, text in enumerate(rows):
        files[INDEX_DIR + "/" + part_path("d", number)] = pack(text)
    bodies = meta.pop("bodies", None)
    if bodies:
        files[f"{INDEX_DIR}/bodies.json"] = bodies.encode("utf-8")
        meta["bodies"] = "bodies.json"
    meta["check"] = check
    # last: the parts are on disk before the meta.json that vouches for them
    files[f"{INDEX_DIR}/meta.json"] = _dump(meta).encode("utf-8")
    log.info("search: %d report pages, %d keys in %d shards, %.2f s", len(pages),
             key_count, meta["shards"], time.perf_counter() - started)
    return files
