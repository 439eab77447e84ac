"""The site's routes: every URL a generated page or file has, the generated folders of
docs/, and the relative links between pages. The one place a URL is made: pages, data
files, the search index and the writer all take them from here.
"""
from __future__ import annotations

import hashlib
import posixpath

from .index import Entry
from .slugs import RESERVED_SLUGS, slugify
from .report import Report

GENERATED_DIRS = ("reports", "years", "bodies", "slogans", "cited", "cleaning", "raw", "data", "search", "all", "reuse")
# the joined style sheets and scripts every generated page links (shell.py joins them)
BUNDLES = {"css": "assets/rr-page.css", "js": "assets/rr-page.js"}
GENERATED_FILES = ("index.md", *BUNDLES.values())
UNKNOWN_BODY = "（未标明）"
CLEANING_ANCHOR = "cleaning"  # a report's cleaning record, a section of its page


def _relative(target: str, base_dir: str) -> str:
    """``posixpath.relpath(target, base_dir)`` for clean site paths, without its cost
    (it runs for every link of every page)."""
    t = target.split("/") if target else []
    b = base_dir.split("/") if base_dir else []
    common = 0
    while common < len(t) and common < len(b) and t[common] == b[common]:
        common += 1
    return "/".join([".."] * (len(b) - common) + t[common:]) or "."


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two directory-style site URLs ("reports/x/" -> "../../slogans/y/")."""
    to_path, _, fragment = to_url.partition("#")
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    target = _relative(to_path.rstrip("/"), base.rstrip("/"))
    if to_path.endswith("/") and target != ".":
        target += "/"
    elif target == ".":
        target = "./"
    return target + ("#" + fragment if fragment else "")


SECTION_ROOTS = {"", "years/", "bodies/", "slogans/", "cited/", "cleaning/", "data/", "all/"}


def source_of(url: str) -> str:
    """The Markdown file under docs/ that a site URL is built from ("reports/x/" -> "reports/x.md")."""
    if url in SECTION_ROOTS:
        return url + "index.md"
    return url[:-1] + ".md" if url.endswith("/") else url


def html_file(url: str) -> str:
    """The HTML file under docs/ of a page written without the engine ("reports/x/" ->
    "reports/x/index.html"): copied into the site as it is, at the same URL."""
    return url + "index.html"


def facets(report: Report) -> dict[str, str]:
    """The values a reader filters search results by (shown on the page, used by the search index)."""
    return {
        "年份": str(report.year or "未知"),
        "机关": report.organization or UNKNOWN_BODY,
        "体裁": report.genre or "其他",
    }


def year_url(year: int | None) -> str:
    return f"years/{year or 'unknown'}/"


def body_url(organization: str) -> str:
    """A body's page. Its slug is its name when the name is a slug already; any other name
    (pinyin loses tones and drops what it cannot spell, so 公安局 and 公安剧, or two
    names made only of such characters, would share one) gets a short hash of the name,
    and so does a name the site needs (``index``)."""
    name = organization or UNKNOWN_BODY
    slug = slugify(name)
    if slug != name or slug in RESERVED_SLUGS:
        slug += "-" + hashlib.blake2b(name.encode("utf-8"), digest_size=3).hexdigest()
    return f"bodies/{slug}/"


def raw_url(report_id: str) -> str:
    """A report's source file, byte for byte as it came, gzip-compressed (the page's link
    saves it unpacked, under its own name: reading-room.js)."""
    return f"raw/{report_id}.txt.gz"


def paged_url(url: str, number: int) -> str:
    """Page ``number`` of a list of reports whose first page is ``url`` (all/, all/2/, …;
    years/2019/, years/2019/2/, …)."""
    return url if number == 1 else f"{url}{number}/"


def list_url(number: int) -> str:
    """Page ``number`` of the full list of reports."""
    return paged_url("all/", number)


def cleaning_url(number: int) -> str:
    """Page ``number`` of the cleaning log's list of reports."""
    return "cleaning/" if number == 1 else f"cleaning/page/{number}/"


# Entries found in one report only (most entries of a large corpus: 1,154 of 1,359 on 1,007 news
# items) are not a page each, with a page's chrome for a line or two of context: they are shown
# together, ONCE_GROUPS pages of them (slogans/once/3f/#ba-xiang-gui-ding), the page chosen by a
# hash of the slug, so it never depends on the rest of the corpus and an old link to the
# entry's own page is sent there from the slug alone (overrides/404.html).
ONCE = "once"
ONCE_GROUPS = 256


def grouped(entry) -> bool:
    """Whether an entry (an index Entry, or an EntryView) is shown on its group's page."""
    return entry.report_count == 1


def fnv1a(key: str) -> int:
    """32-bit FNV-1a over UTF-16 code units (the same in docs/assets/search.js and 404.html)."""
    h = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def once_group(slug: str) -> str:
    """The page of an entry found in one report: two hex digits of its slug's hash."""
    return f"{fnv1a(slug) % ONCE_GROUPS:02x}"


def once_url(kind: str, group: str) -> str:
    return f"{kind}/{ONCE}/{group}/"


def entry_url(kind: str, entry: Entry) -> str:
    """Where an entry is shown: its own page, or its place on its group's page. (Its pages
    ``<slug>/2/``, ``3/`` … of 200 uses each are gone: overrides/404.html sends them here.)"""
    if grouped(entry):
        return once_url(kind, once_group(entry.slug)) + "#" + entry.slug
    return f"{kind}/{entry.slug}/"


def uses_csv_url(entry) -> str:
    """Where an entry page's "下载全部使用（CSV）" and "显示其余" point: the entry's rows are in
    the one data/<kind>.csv.gz; docs/assets/reading-room.js fetches their part alone
    (data.index_csv, its map data/<kind>.uses.json)."""
    return f"data/{entry.kind}.csv.gz#{entry.slug}"


def reuse_bucket(passage: str, clusters: int) -> str:
    return passage[2:3] if clusters < 2000 else passage[2:4]


def cluster_url(passage: str, clusters: int) -> str:
    """The page that shows a passage's members side by side, with its anchor."""
    return f"reuse/{reuse_bucket(passage, clusters)}/#{passage}"
