"""Data downloads for researchers: reports.json, slogans.json/.csv, cited.json/.csv.

The formats are documented in the README ("Data files").
"""
from __future__ import annotations

import csv
import io
import json

from . import timeline
from .index import Entry, Index, context
from .render import entry_url
from .report import Report


def _json(rows: list) -> bytes:
    """A JSON list with one object per line: easy to read and to diff, and it keeps
    the json module on its fast C encoder (``indent`` would not)."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
    return ("[\n" + lines + "\n]\n").encode("utf-8")


def reports_json(reports: list[Report]) -> list[dict]:
    return [
        {
            "id": r.id,
            "title": r.title,
            "url": r.url,
            "source_file": r.source_file,
            "encoding": r.encoding,
            "sha256": r.sha256,
            "year": r.year,
            "organization": r.organization,
            "genre": r.genre,
            "date": r.date,
            "date_source": r.date_source,
            "title_composed": r.title_composed,
            "organizations": r.organizations,
            "doc_number": r.doc_number,
            "speaker": r.speaker,
            "occasion": r.occasion,
            "source": r.source,
            "characters": r.characters,
            "headings": [{"level": h.level, "text": h.text, "anchor": h.anchor} for h in r.headings],
            "removed": [{"rule": x.rule, "text": x.text, "action": x.action} for x in r.removed],
            "warnings": r.warnings,
        }
        for r in reports
    ]


def index_json(idx: Index, reports: dict[str, Report], width: int) -> list[dict]:
    texts = {rid: {b.anchor: b.text for b in r.blocks} for rid, r in reports.items()}
    result = []
    for entry in idx.entries:
        occurrences = []
        for use in entry.uses:
            left, match, right = context(texts[use.report][use.anchor], use.start, use.end, width)
            occurrences.append({
                "report": use.report,
                "url": f"{reports[use.report].url}#{use.anchor}",
                "quoted": use.quoted,
                "context": left + match + right,
            })
        result.append({
            "slogan": entry.display,
            "key": entry.key,
            "variants": sorted(entry.variants, key=lambda f: (-entry.variants[f], f)),
            "url": entry_url(idx.kind, entry),
            "reports": entry.report_count,
            **(_slogan_fields(entry, reports) if idx.kind == "slogans" else {}),
            "occurrences": occurrences,
        })
    return result


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


def uses_csv(entry: Entry, reports: dict[str, Report], width: int) -> bytes:
    """data/uses/<slug>.csv: every use of one formulation as a keyword-in-context line,
    with the issuing body and date, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["slogan", "body", "date", "report", "title", "url", "quoted", "left", "match", "right"])
    uses = sorted(entry.uses, key=lambda u: (timeline.report_day(reports[u.report]) or "9999", u.report,
                                             u.position, u.start))
    for use in uses:
        report = reports[use.report]
        left, match, right = context(report.index_blocks[use.anchor].text, use.start, use.end, width)
        writer.writerow([entry.display, report.organization, timeline.report_day(report), report.id,
                         report.title, f"{report.url}#{use.anchor}", "true" if use.quoted else "false",
                         left, match, right])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def index_csv(rows: list[dict], name_field: str = "slogan") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name_field, "key", "reports", "report", "url", "quoted", "context"])
    for row in rows:
        for occ in row["occurrences"]:
            writer.writerow([row["slogan"], row["key"], row["reports"], occ["report"], occ["url"],
                             "true" if occ["quoted"] else "false", occ["context"]])
    # a BOM so that Excel opens the UTF-8 file with the right encoding
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def reports_file(reports: list[Report]) -> bytes:
    """data/reports.json"""
    return _json(reports_json(reports))


NAME_FIELDS = {"slogans": "slogan", "cited": "document"}


def index_files(idx: Index, reports: dict[str, Report], width: int) -> dict[str, bytes]:
    """data/<kind>.json and data/<kind>.csv, made from the same rows."""
    rows = index_json(idx, reports, width)
    return {f"data/{idx.kind}.json": _json(rows), f"data/{idx.kind}.csv": index_csv(rows, NAME_FIELDS[idx.kind])}
