"""Data downloads for researchers, gzip-compressed (README, "Data files": why) but for
reports.csv, the table a spreadsheet opens first: reports.json.gz, texts.jsonl.gz (every
report's cleaned text), slogans.json.gz / cited.json.gz (one object per formulation or cited
document), slogans.csv.gz / cited.csv.gz (one row per use) and reuse.json.gz / reuse.csv.gz;
trends.json and corpus.json, small and read by the pages, stay plain.

The formats are documented on the site's 数据 page (data_page.py) and in the README
("Data files"). Every CSV has the report's
title, year and issuing body; no CSV cell starts with = + - @ or a tab or carriage
return (such a cell gets a leading ', so that a spreadsheet does not run it as a
formula: OWASP's CSV injection rule).
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Iterable, Iterator

from . import timeline
from .cache import digest
from .index import Entry, Index, IndexKind
from .report import Report
from .reuse import Reuse
from .site import entry_url, raw_url
from .writer import gzipped, gzipped_parts
from .views import kwic, use_order


def _json_gz(rows: Iterable) -> bytes:
    """A JSON list with one object per line, compressed: easy to read and to diff, and it keeps
    the json module on its fast C encoder (``indent`` would not). The rows are encoded and
    compressed one at a time: the list of a large corpus' reports or formulations is never
    one string in memory."""
    return gzipped_parts(_json_parts(rows))


def _json_parts(rows: Iterable) -> Iterator[bytes]:
    yield b"[\n"
    for number, row in enumerate(rows):
        yield (b",\n" if number else b"") + json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    yield b"\n]\n"


# A CSV cell that a spreadsheet would read as a formula (OWASP, CSV injection).
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def csv_cell(value) -> str:
    """One cell's text, with a leading ' where it would start a formula."""
    if value is None:
        text = ""
    elif value is True or value is False:
        text = "true" if value else "false"
    else:
        text = str(value)
    return "'" + text if _FORMULA.match(text) else text


def _csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    # a BOM so that Excel opens the UTF-8 file with the right encoding
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def cleaned_text(report: Report) -> str:
    """The report as the site shows it: the title, then every heading and paragraph,
    a blank line between them."""
    return "\n\n".join([report.title] + [b.text for b in report.blocks]) + "\n"


def license_of(report: Report, catalog: dict, default: str) -> str:
    """The report's `license` from corpus/catalog.yml, else the site's (mkdocs.yml extra.license)."""
    entry = catalog.get(report.source_file) or catalog.get(report.source_file.rsplit("/", 1)[-1]) or {}
    value = entry.get("license") if isinstance(entry, dict) else None
    return str(value) if value not in (None, "") else default


def report_rows(reports: Iterable[Report], licenses: dict[str, str] | None = None) -> Iterator[dict]:
    """The object of each report in reports.json (and, its lists counted, its row of reports.csv)."""
    licenses = licenses or {}
    return (
        {
            "id": r.id,
            "title": r.title,
            "url": r.url,
            "raw_url": raw_url(r.id),
            "source_file": r.source_file,
            "encoding": r.encoding,
            "sha256": r.sha256,
            "year": r.year,
            "organization": r.organization,
            "genre": r.genre,
            "date": r.date,
            "date_source": r.date_source,
            "year_source": r.year_source,
            "title_composed": r.title_composed,
            "organizations": r.organizations,
            "doc_number": r.doc_number,
            "speaker": r.speaker,
            "occasion": r.occasion,
            "source": r.source,
            "license": licenses.get(r.id, ""),
            "characters": r.characters,
            "headings": [{"level": h.level, "text": h.text, "anchor": h.anchor} for h in r.headings],
            "removed": [{"rule": x.rule, "text": x.text, "action": x.action} for x in r.removed],
            "warnings": r.warnings,
        }
        for r in reports
    )


# reports.csv: one row per report (the lists of reports.json as counts)
REPORT_COLUMNS = ["id", "title", "year", "organization", "organizations", "genre", "date", "date_source", "year_source",
                  "doc_number", "speaker", "occasion", "source", "license", "title_composed", "characters", "url",
                  "raw_url", "source_file", "encoding", "sha256", "headings", "removed", "warnings"]
_JOINED = {"organizations"}  # lists a CSV cell holds joined by ；(the others as counts)


def reports_csv(rows: Iterable[dict]) -> bytes:
    def cell(row: dict, column: str):
        value = row[column]
        if isinstance(value, list):
            return "；".join(value) if column in _JOINED else len(value)
        return value

    return _csv(REPORT_COLUMNS, ([cell(row, c) for c in REPORT_COLUMNS] for row in rows))


TEXTS_JSONL = "data/texts.jsonl.gz"
REPORTS_JSON = "data/reports.json.gz"
REPORTS_CSV = "data/reports.csv"  # plain: the table readers open in a spreadsheet, asked for by name (issue 15; 0.3x the text at 10,649 news items, 0.07x gzipped)
REUSE_JSON = "data/reuse.json.gz"
REUSE_CSV = "data/reuse.csv.gz"


def texts_jsonl(reports: list[Report], licenses: dict[str, str]) -> bytes:
    """data/texts.jsonl.gz: one report a line, its facts and its cleaned text, gzip-compressed.
    It is the one file of the site with each report's text as plain text (the report's page
    shows the same text, and its 纯文本 link saves it, made in the browser from the page:
    docs/assets/reading-room.js); programs read gzip as they read the plain file —
    pandas.read_json(…, lines=True), `zcat … | jq`. Compressed with no name or time in the
    header, so the bytes depend on the texts only."""
    lines = (json.dumps({
        "id": r.id, "title": r.title, "year": r.year, "organization": r.organization, "genre": r.genre,
        "date": r.date, "source": r.source, "license": licenses.get(r.id, ""), "url": r.url,
        "text": cleaned_text(r),
    }, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n" for r in reports)
    return gzipped_parts(lines)


def index_json(idx: Index, reports: dict[str, Report]) -> Iterator[dict]:
    """One object per formulation (or cited document): its forms, counts, evidence and life
    over time. Its uses are the rows of <kind>.csv.gz with the same ``key`` (one copy of them)."""
    return (
        {
            "slogan": entry.display,
            "key": entry.key,
            "variants": sorted(entry.variants, key=lambda f: (-entry.variants[f], f)),
            "url": entry_url(idx.kind, entry),
            "reports": entry.report_count,
            "uses": len(entry.uses),
            **(_slogan_fields(entry, reports) if idx.kind == IndexKind.SLOGANS else {}),
        }
        for entry in idx.entries
    )


def index_columns(name_field: str = "slogan") -> list[str]:
    return [name_field, "key", "reports", "report", "title", "year", "organization", "date", "url", "quoted",
            "left", "match", "right", "section"]


def _slogan_fields(entry: Entry, reports: dict[str, Report]) -> dict:
    """A formulation's evidence and its life over time (README, "Data files")."""
    return {"evidence": entry.evidence, **timeline.entry_time(entry, reports)}


def corpus_file(reports: list[Report]) -> bytes:
    """data/corpus.json: the corpus' coverage (reports per year, first and last date)."""
    return (json.dumps(timeline.coverage(reports), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def trends_file(idx: Index, reports: dict[str, Report], limit: int = 2000) -> bytes:
    """data/trends.json for the compare view: per year the corpus' reports, and for the
    ``limit`` most used formulations their reports per year (one small array each)."""
    cover = timeline.coverage(reports.values())
    years = timeline.years_span(cover)
    rows = []
    for entry in idx.entries[:limit]:
        counts: dict[str, set] = {}
        for use in entry.uses:
            counts.setdefault(timeline.report_year(reports[use.report]), set()).add(use.report)
        rows.append([entry.display, entry.slug, [len(counts.get(y, ())) for y in years]])
    data = {"years": years, "totals": [cover["by_year"].get(y, 0) for y in years], "entries": rows}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def use_rows(entry: Entry, reports: dict[str, Report], width: int) -> list[list]:
    """Every use of one entry as a keyword-in-context row with the report's facts, in the order
    of its page's lines (oldest first; the rows of <kind>.csv.gz, in ``index_columns`` order;
    ``section``: the headings above the paragraph, joined by " › ")."""
    uses = sorted(entry.uses, key=use_order(reports))
    report_count = entry.report_count  # counted once: per row it made an entry of n uses cost n²
    rows = []
    for use in uses:
        report = reports[use.report]
        line = kwic(use, report, width)  # the same line an entry page shows
        rows.append([entry.display, entry.key, report_count, report.id, line.title, report.year,
                     report.organization, timeline.report_day(report), line.url,
                     "true" if line.quoted else "false", line.left, line.match, line.right, " › ".join(line.path)])
    return rows


def use_rows_inputs(reports: dict[str, Report]) -> str:
    """What the use rows read of the reports beyond what the entry pages show (their views'
    digests cover the text around each use, the title and the year): each report's body and date."""
    return digest(*((r.id, r.organization, timeline.report_day(r)) for r in reports.values()))


# A gzip member of <kind>.csv.gz holds whole entries, at least this many bytes of CSV (more than
# deflate's 32 KB window, so cutting the file into members costs little of its compression).
MEMBER_BYTES = 64 * 1024


def index_csv(idx: Index, reports: dict[str, Report], width: int, name_field: str = "slogan"
              ) -> tuple[bytes, dict]:
    """<kind>.csv.gz, one row per use, entry after entry, and where each entry's rows are in it.

    The file is a series of gzip members (RFC 1952: gzip, zcat, Python, pandas and R read
    them as one stream), each holding whole entries; the map gives each member's byte range
    and, for each entry's slug, its member and key. The link "下载全部使用（CSV）" of an entry
    page asks for that member alone (an HTTP Range request; where a host ignores it, the
    browser takes the member out of the whole file), unpacks it and keeps the entry's rows:
    the same rows are not stored twice, once for all and once per entry."""
    header = _csv(index_columns(name_field), [])
    members: list[bytes] = []
    entries: dict[str, list] = {}
    chunk, size = [header], len(header)
    for entry in idx.entries:
        text = _csv_rows(use_rows(entry, reports, width))
        entries[entry.slug] = [len(members), csv_cell(entry.key)]  # the key as its cell reads
        chunk.append(text)
        size += len(text)
        if size >= MEMBER_BYTES:
            members.append(gzipped(b"".join(chunk)))
            chunk, size = [], 0
    if chunk:
        members.append(gzipped(b"".join(chunk)))
    ranges, offset = [], 0
    for member in members:
        ranges.append([offset, offset + len(member)])
        offset += len(member)
    return b"".join(members), {"file": index_csv_path(idx.kind).rsplit("/", 1)[1], "columns": index_columns(name_field),
                               "members": ranges, "entries": entries}


def _csv_rows(rows) -> bytes:
    """CSV lines without a header or BOM."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def reports_files(reports: list[Report], licenses: dict[str, str]) -> dict[str, bytes]:
    """data/reports.json.gz and data/reports.csv, made from the same rows."""
    return {REPORTS_JSON: _json_gz(report_rows(reports, licenses)), REPORTS_CSV: reports_csv(report_rows(reports, licenses))}


NAME_FIELDS = {IndexKind.SLOGANS: "slogan", IndexKind.CITED: "document"}


def index_files(idx: Index, reports: dict[str, Report], width: int) -> dict[str, bytes]:
    """data/<kind>.json.gz (the entries) and data/<kind>.csv.gz (their uses), and for the
    formulations the map of where each one's uses are in the CSV (``index_csv``)."""
    packed, where = index_csv(idx, reports, width, NAME_FIELDS[idx.kind])
    return {index_json_path(idx.kind): _json_gz(index_json(idx, reports)), index_csv_path(idx.kind): packed,
            uses_map_path(idx.kind): (json.dumps(where, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")}


def index_paths(kind: IndexKind) -> tuple[str, ...]:
    """The files ``index_files`` makes for an index of this kind."""
    return (index_json_path(kind), index_csv_path(kind), uses_map_path(kind))


def index_json_path(kind: IndexKind) -> str:
    return f"data/{kind}.json.gz"


def index_csv_path(kind: IndexKind) -> str:
    return f"data/{kind}.csv.gz"


def uses_map_path(kind: IndexKind) -> str:
    """Where each entry's rows are in <kind>.csv.gz (an entry page's "显示其余" and its CSV link)."""
    return f"data/{kind}.uses.json"


def reuse_json(reuse: Reuse) -> bytes:
    """data/reuse.json.gz: the clusters, one object a line inside a JSON list."""
    lines = ",\n".join(json.dumps(c.to_dict(), ensure_ascii=False, separators=(",", ":")) for c in reuse.clusters)
    return gzipped(("[\n" + lines + "\n]\n").encode("utf-8") if lines else b"[]\n")


def reuse_csv(reuse: Reuse, reports: dict[str, Report] | None = None) -> bytes:
    """data/reuse.csv.gz: one row per member; like every CSV of the site, with the report's
    title, year and body."""
    reports = reports or {}

    def row(c, m) -> list:
        r = reports.get(m.report)
        return [c.passage, c.chars, c.banal, m.report, m.paragraph, m.similarity,
                r.title if r else "", (r.year or "") if r else "", r.organization if r else ""]

    return gzipped(_csv(["passage", "chars", "banal", "report", "paragraph", "similarity", "title", "year",
                         "organization"], (row(c, m) for c in reuse.clusters for m in c.members)))
