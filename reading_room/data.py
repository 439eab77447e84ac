"""Data downloads for researchers: reports.json, slogans.json/.csv, cited.json/.csv.

The formats are documented in the README ("Data files").
"""
from __future__ import annotations

import csv
import io
import json

from .index import Index, context
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
            "occurrences": occurrences,
        })
    return result


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
