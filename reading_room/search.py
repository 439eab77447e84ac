"""Stage 8: the site's search index, a static character n-gram index.

Readers search for exact strings of Chinese text: a formulation (三会一课), a
word (堡垒), part of a word (初心), a phrase (民主评议党员). Word segmenters
split such strings differently in the index and in the query, which loses
reports that contain the string and finds reports that do not (see
bench/search_quality.py, which measures this index against Pagefind). So the
index does not segment at all: it maps every character and every pair of
adjacent characters (within one heading or paragraph) to the reports that
contain it. A query of n characters is looked up as its n-1 pairs; the reports
that have all of them are the candidates, and the browser confirms each one
against the report's text before it shows the passage.

Layout under ``site/search/`` (written by :func:`index_site`; read by
docs/assets/search.js):

* ``meta.json``: the reports (id, title, year, issuing body, genre: the facets
  are indices into the value lists) and the number of key shards;
* ``k/<n>.json``: one shard of keys (``key -> report set``); the shard of a key
  is ``fnv1a(key) % shards`` over its UTF-16 code units. A report set is
  ``"l"`` + comma-separated gaps between report numbers (sparse keys) or
  ``"b"`` + a base64 bitmap, bit ``i`` of byte ``i // 8`` (dense keys);
* ``t/<id>.json``: the blocks of one report, ``[[anchor, text], ...]``, the
  title first with an empty anchor: loaded for the results on screen only.

Only report pages are indexed: those whose content is wrapped in
``data-pagefind-body`` by overrides/main.html (front matter ``pagefind: true``).
"""
from __future__ import annotations

import base64
import json
import logging
import re
import shutil
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

log = logging.getLogger("reading_room")

INDEX_DIR = "search"
FORMAT = 1
SHARD_BYTES = 12_000  # aimed size of one key shard, before compression
_SPACE = re.compile(r"[\s\u3000\ufeff\u200b]+")
FACETS = ("年份", "机关", "体裁")


def normalize(text: str) -> str:
    """The form both the index and the query are compared in: lower case, no white space."""
    return _SPACE.sub("", text).lower()


def fnv1a(key: str) -> int:
    """32-bit FNV-1a over UTF-16 code units (the same in docs/assets/search.js)."""
    h = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def keys_of(text: str) -> set[str]:
    """Every character and every pair of adjacent characters of normalized ``text``."""
    keys = set(text)
    keys.update(text[i:i + 2] for i in range(len(text) - 1))
    return keys


@dataclass
class Page:
    url: str
    title: str = ""
    facets: dict[str, str] = field(default_factory=dict)
    blocks: list[list[str]] = field(default_factory=list)  # [anchor, text]


class _ReportParser(HTMLParser):
    """Headings and paragraphs inside ``data-pagefind-body``; ignored elements and permalinks left out."""

    BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p"}
    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, opens body, ignored
        self.in_body = 0
        self.ignored = 0
        self.block: list[str] | None = None
        self.block_tag = ""
        self.anchor = ""
        self.blocks: list[list[str]] = []
        self.facets: dict[str, str] = {}
        self.facet: str | None = None
        self.found_body = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.VOID:
            return
        body = "data-pagefind-body" in a
        if body:
            self.in_body += 1
            self.found_body = True
        ignore = "data-pagefind-ignore" in a or "headerlink" in (a.get("class") or "").split()
        if ignore:
            self.ignored += 1
        self.stack.append((tag, body, ignore))
        if "data-pagefind-filter" in a and self.in_body:
            self.facet = a["data-pagefind-filter"]
            self.facets.setdefault(self.facet, "")
        if self.in_body and not self.ignored and tag in self.BLOCKS and self.block is None:
            self.block, self.block_tag, self.anchor = [], tag, a.get("id") or ""

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, body, ignore = self.stack.pop()
            if body:
                self.in_body -= 1
            if ignore:
                self.ignored -= 1
            if self.facet is not None:
                self.facet = None
            if open_tag == self.block_tag and self.block is not None:
                text = re.sub(r"\s+", " ", "".join(self.block)).strip()
                if text:
                    self.blocks.append([self.anchor, text])
                self.block, self.block_tag = None, ""
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.facet is not None:
            self.facets[self.facet] += data
        if self.block is not None and not self.ignored:
            self.block.append(data)


def parse_page(html_text: str, url: str) -> Page | None:
    """The searchable text of one built page, or None when it is not a report page."""
    if "data-pagefind-body" not in html_text:
        return None
    parser = _ReportParser()
    parser.feed(html_text)
    parser.close()
    if not parser.found_body:
        return None
    page = Page(url=url, facets={k: v.strip() for k, v in parser.facets.items()})
    blocks = parser.blocks
    if blocks and blocks[0][0] and blocks[0][1]:
        # the page title (h1): shown as the result's title, searched like the text
        page.title = blocks[0][1]
        blocks[0][0] = ""
    page.blocks = blocks
    return page


def encode_set(members: list[int], total: int) -> str:
    """A sorted set of report numbers, as gaps (sparse) or a base64 bitmap (dense)."""
    gaps = ",".join(str(b - a) for a, b in zip([0] + members[:-1], members))
    gaps = str(members[0]) + gaps[gaps.index(","):] if "," in gaps else str(members[0])
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


def collect(site_dir: Path) -> list[Page]:
    pages = []
    for path in sorted(site_dir.rglob("index.html")):
        rel = path.parent.relative_to(site_dir).as_posix()
        if rel.startswith(INDEX_DIR + "/") or rel == INDEX_DIR:
            continue
        page = parse_page(path.read_text(encoding="utf-8"), "" if rel == "." else rel + "/")
        if page is not None and page.blocks:
            pages.append(page)
    pages.sort(key=lambda p: p.url)
    return pages


def build_index(pages: list[Page]) -> tuple[dict, dict[int, dict[str, str]], dict[str, list]]:
    """(meta.json, shards, texts) for ``pages``."""
    postings: dict[str, list[int]] = {}
    for number, page in enumerate(pages):
        keys: set[str] = set()
        for _, text in page.blocks:
            keys |= keys_of(normalize(text))
        for key in keys:
            postings.setdefault(key, []).append(number)
    total = len(pages)
    encoded = {key: encode_set(members, total) for key, members in postings.items()}
    size = sum(len(k) * 3 + len(v) + 6 for k, v in encoded.items())
    shards = 1
    while size / shards > SHARD_BYTES and shards < 1 << 14:
        shards *= 2
    by_shard: dict[int, dict[str, str]] = {i: {} for i in range(shards)}
    for key in sorted(encoded):
        by_shard[fnv1a(key) % shards][key] = encoded[key]
    values = {facet: sorted({p.facets.get(facet, "") for p in pages}) for facet in FACETS}
    docs = []
    texts = {}
    for page in pages:
        doc_id = page.url.rstrip("/").rsplit("/", 1)[-1] or "index"
        docs.append([page.url, page.title] + [values[f].index(page.facets.get(f, "")) for f in FACETS])
        texts[doc_id] = page.blocks
    meta = {"format": FORMAT, "shards": shards, "facets": list(FACETS),
            "values": [values[f] for f in FACETS], "docs": docs}
    return meta, by_shard, texts


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def index_site(site_dir: Path) -> dict:
    """Write the search index into ``site_dir/search``; returns a summary (also logged)."""
    started = time.perf_counter()
    site_dir = Path(site_dir)
    out = site_dir / INDEX_DIR
    if out.exists():
        shutil.rmtree(out)
    pages = collect(site_dir)
    meta, shards, texts = build_index(pages)
    (out / "k").mkdir(parents=True)
    (out / "t").mkdir()
    (out / "meta.json").write_text(_dump(meta), encoding="utf-8")
    index_bytes = 0
    for number, keys in shards.items():
        data = _dump(keys)
        index_bytes += len(data.encode("utf-8"))
        (out / "k" / f"{number}.json").write_text(data, encoding="utf-8")
    for doc_id, blocks in texts.items():
        (out / "t" / f"{doc_id}.json").write_text(_dump(blocks), encoding="utf-8")
    summary = {
        "engine": "reading-room n-gram index",
        "pages": len(pages),
        "shards": meta["shards"],
        "keys": sum(len(k) for k in shards.values()),
        "index_bytes": index_bytes,
        "seconds": round(time.perf_counter() - started, 2),
    }
    log.info("search: %(engine)s, %(pages)d report pages, %(keys)d keys in %(shards)d shards "
             "(%(index_bytes)d bytes), %(seconds).2f s", summary)
    return summary
