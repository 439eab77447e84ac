"""Citation: the values a report page's Highwire Press meta tags carry, the corpus version,
and every report as BibTeX and CSL-JSON (``data/reports.bib.gz``, ``data/reports.csl.json.gz``,
gzip-compressed like every bulk download: the 数据 page's links save them unpacked).

The report page's front matter gets a ``citation`` mapping (``page_meta``);
``overrides/main.html`` writes it into the page's ``<head>`` as ``citation_*`` meta
tags (escaped), which Zotero reads as a report and ``docs/assets/reading-room.js`` reads to
build the GB/T 7714-2015 and Chicago citations each paragraph's ¶ menu copies.
The corpus version (``data/version.json``) is derived from the corpus alone: the day
its texts last changed (the last commit touching a text when corpus/ is in git, else the
texts' modification days: ``text_changes.last_change``) and a digest of every report's raw
bytes, so a rebuild of the same corpus names the same version, and any change to a text
names a new one.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Iterable, Iterator

from .cache import digest
from .patterns import split_bodies
from .report import Report
from .writer import Deferred, gzipped

SITE_NAME = "公文阅览室"
LANGUAGE = "zh"
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_SITE_URL = re.compile(r"^site_url:[ \t]*(.*?)[ \t]*(?:#.*)?$", re.M)


def authors(report: Report) -> list[str]:
    """The issuing bodies, one per name (corporate authors): the metadata's list of them when it
    has one, else the issuing body split at 、 and the like."""
    listed = [o for o in getattr(report, "organizations", None) or [] if o]
    if listed:
        return list(dict.fromkeys(listed))
    return split_bodies(report.organization or "")


def iso_date(report: Report) -> str:
    """YYYY-MM-DD when the report's full date is known, else YYYY, else ""."""
    m = _DATE.match(report.date or "")
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return str(report.year) if report.year else ""


def doc_number(report: Report) -> str:
    """The 文号 when known (a field the metadata stage may not provide)."""
    return str(getattr(report, "doc_number", "") or "")


def page_meta(report: Report) -> dict:
    """The front matter values the page's citation meta tags are written from."""
    meta = {
        "title": report.title,
        "authors": authors(report),
        "date": iso_date(report).replace("-", "/"),  # Highwire: YYYY/MM/DD or YYYY
        "institution": report.organization or "",
        "number": doc_number(report),
        "language": LANGUAGE,
    }
    return {key: value for key, value in meta.items() if value}


def site_url(docs: Path) -> str:
    """``site_url`` of the MkDocs configuration next to docs/ ("" when unset): the
    data files carry absolute URLs only when the site's public address is known."""
    config = docs.parent / "mkdocs.yml"
    try:
        m = _SITE_URL.search(config.read_text(encoding="utf-8"))
    except OSError:
        return ""
    value = m.group(1).strip().strip("\"'") if m else ""
    return value if not value else value.rstrip("/") + "/"


def corpus_version(reports: Iterable[Report], texts_changed: str = "") -> dict:
    """The corpus version: the day its texts last changed (``text_changes.last_change``; the
    newest report date when that is unknown) and a digest of every text."""
    reports = list(reports)
    h = hashlib.sha256()
    for r in sorted(reports, key=lambda r: r.id):
        h.update(f"{r.id}\0{r.sha256}\n".encode())
    newest = max((d for d in map(iso_date, reports) if d), key=lambda d: (d[:4], d), default="")
    day = texts_changed or newest
    digest = h.hexdigest()[:8]
    return {"version": f"{day} ({digest})" if day else digest, "date": day, "changed": texts_changed,
            "newest_report": newest, "digest": digest, "reports": len(reports), "site": SITE_NAME}


def _absolute(base: str, url: str) -> str:
    return base + url if base else url


def csl_item(report: Report, base: str, version: str) -> dict:
    item = {
        "id": report.id,
        "type": "report",
        "title": report.title,
        "author": [{"literal": a} for a in authors(report)],
        "publisher": report.organization or "",
        "number": doc_number(report),
        "genre": report.genre or "",
        "language": LANGUAGE,
        "URL": _absolute(base, report.url),
        "container-title": SITE_NAME,
        "version": version,
        "source": SITE_NAME,
    }
    date = iso_date(report)
    if date:
        item["issued"] = {"date-parts": [[int(x) for x in date.split("-")]]}
    return {key: value for key, value in item.items() if value}


_BIB_SPECIAL = re.compile(r"([{}%&#_$~^\\])")
_BIB_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bib_escape(text: str) -> str:
    """A BibTeX field value, braces balanced and TeX specials shown literally."""
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def bib_entry(report: Report, base: str, version: str) -> str:
    date = iso_date(report)
    fields = [
        # double braces: a corporate author is one name, not a first and last name
        ("author", " and ".join("{" + bib_escape(a) + "}" for a in authors(report))),
        ("title", "{" + bib_escape(report.title) + "}"),
        ("institution", bib_escape(report.organization or "")),
        ("number", bib_escape(doc_number(report))),
        ("type", bib_escape(report.genre or "")),
        ("year", date[:4]),
        ("date", date if len(date) == 10 else ""),
        ("url", _absolute(base, report.url)),
        ("langid", "chinese"),
        ("note", bib_escape(f"{SITE_NAME}, 语料版本 {version}")),
    ]
    kind = "techreport" if report.organization else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{report.id},\n{body}\n}}\n"


BIB, CSL = "data/reports.bib.gz", "data/reports.csl.json.gz"



def data_files(reports: list[Report], base: str, texts_changed: str = "") -> dict[str, bytes]:
    """data/version.json (the version, plain: reading-room.js reads it), data/reports.bib.gz and
    data/reports.csl.json.gz (gzip, no name or time in the header). ``texts_changed``: the
    day the texts last changed."""
    version = corpus_version(reports, texts_changed)
    ordered = sorted(reports, key=lambda r: r.id)
    items = [csl_item(r, base, version["version"]) for r in ordered]
    return {
        "data/version.json": (json.dumps(version, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        BIB: gzipped("\n".join(bib_entry(r, base, version["version"]) for r in ordered).encode("utf-8")),
        CSL: gzipped(("[\n" + ",\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n]\n").encode("utf-8")),
    }


def deferred_files(reports: list[Report], keys: dict[str, str], docs: Path, texts_changed: str = ""
                   ) -> Iterator[tuple[str, Deferred]]:
    """``data_files`` for the pipeline: made again only when a report, the day of the last
    text change or site_url changed."""
    base = site_url(docs)
    inputs = digest("cite", base, texts_changed, *(keys[r.id] for r in reports))
    made: dict[str, bytes] = {}

    def make(path: str) -> bytes:
        if not made:
            made.update(data_files(reports, base, texts_changed))
        return made[path]

    for path in ("data/version.json", BIB, CSL):
        yield path, Deferred(digest(path, inputs), lambda path=path: make(path))
