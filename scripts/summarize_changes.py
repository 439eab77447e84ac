#!/usr/bin/env python3
"""What a change to corpus/ did to the site, for a pull request's job summary.

    python scripts/summarize_changes.py BASE_DATA HEAD_DATA [--out FILE]

BASE_DATA and HEAD_DATA are the data/ folders of two builds (site/data/ or
docs/data/), each with reports.json.gz and slogans.json.gz (or, built before
they were compressed, reports.json and slogans.json); either may be missing
(a first build). Writes Markdown: reports added, changed and removed (by
source file; "changed" means the raw file's SHA-256 or the converted title,
year, issuing body or headings differ), and the formulations whose number of
uses or of reports moved. Appends to --out (e.g. "$GITHUB_STEP_SUMMARY"), or
prints to standard output.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

LIMIT = 50  # rows per table; the rest is counted


def _load(folder: Path | None, name: str) -> list[dict]:
    if folder is None:
        return []
    try:
        packed = folder / (name + ".gz")
        raw = gzip.decompress(packed.read_bytes()) if packed.exists() else (folder / name).read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, EOFError):
        return []
    return data if isinstance(data, list) else []


def _cell(text) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _signature(report: dict) -> tuple:
    return (report.get("sha256"), report.get("title"), report.get("year"), report.get("organization"),
            report.get("genre"), tuple((h.get("level"), h.get("text")) for h in report.get("headings", [])))


def compare_reports(base: list[dict], head: list[dict]) -> tuple[list[dict], list[tuple[dict, dict]], list[dict]]:
    """(added, changed as (before, after), removed), keyed by source file."""
    old = {r.get("source_file") or r.get("id"): r for r in base}
    new = {r.get("source_file") or r.get("id"): r for r in head}
    added = [new[k] for k in sorted(new.keys() - old.keys())]
    removed = [old[k] for k in sorted(old.keys() - new.keys())]
    changed = [(old[k], new[k]) for k in sorted(old.keys() & new.keys()) if _signature(old[k]) != _signature(new[k])]
    return added, changed, removed


def _counts(entries: list[dict]) -> dict[str, tuple[str, int, int]]:
    out = {}
    for e in entries:
        key = e.get("key") or e.get("slogan")
        uses = e["uses"] if isinstance(e.get("uses"), int) else len(e.get("occurrences", []))  # older builds
        out[key] = (e.get("slogan", key), uses, int(e.get("reports", 0)))
    return out


def compare_slogans(base: list[dict], head: list[dict]) -> list[tuple[str, int, int, int, int]]:
    """(formulation, uses before, uses after, reports before, reports after) for each that moved,
    biggest moves first."""
    old, new = _counts(base), _counts(head)
    moved = []
    for key in old.keys() | new.keys():
        name_old, uses_old, reps_old = old.get(key, ("", 0, 0))
        name_new, uses_new, reps_new = new.get(key, ("", 0, 0))
        if (uses_old, reps_old) != (uses_new, reps_new):
            moved.append((name_new or name_old, uses_old, uses_new, reps_old, reps_new))
    moved.sort(key=lambda m: (-abs(m[2] - m[1]), -abs(m[4] - m[3]), m[0]))
    return moved


def summary(base: Path | None, head: Path) -> str:
    base_reports, head_reports = _load(base, "reports.json"), _load(head, "reports.json")
    added, changed, removed = compare_reports(base_reports, head_reports)
    moved = compare_slogans(_load(base, "slogans.json"), _load(head, "slogans.json"))
    lines = ["## What this change does to the reading room", ""]
    lines.append(f"{len(head_reports)} reports after the change ({len(base_reports)} before): "
                 f"**{len(added)} added**, **{len(changed)} changed**, **{len(removed)} removed**; "
                 f"**{len(moved)} formulations** whose counts moved.")
    lines.append("")

    def report_table(title: str, rows: list[dict]) -> None:
        if not rows:
            return
        lines.extend([f"### {title}", "", "| file | title | year | issuing body |", "| --- | --- | --- | --- |"])
        for r in rows[:LIMIT]:
            lines.append(f"| `{_cell(r.get('source_file'))}` | {_cell(r.get('title'))} | {_cell(r.get('year'))} | "
                         f"{_cell(r.get('organization'))} |")
        if len(rows) > LIMIT:
            lines.append(f"\n… and {len(rows) - LIMIT} more.")
        lines.append("")

    report_table("Reports added", added)
    if changed:
        lines.extend(["### Reports changed", "", "| file | title | what changed |", "| --- | --- | --- |"])
        for before, after in changed[:LIMIT]:
            what = [name for name, field in (("text", "sha256"), ("title", "title"), ("year", "year"),
                                               ("issuing body", "organization"), ("genre", "genre"))
                    if before.get(field) != after.get(field)]
            if [h.get("text") for h in before.get("headings", [])] != [h.get("text") for h in after.get("headings", [])]:
                what.append("headings")
            title = after.get("title")
            if before.get("title") != title:
                title = f"{before.get('title')} → {title}"
            lines.append(f"| `{_cell(after.get('source_file'))}` | {_cell(title)} | {', '.join(what)} |")
        if len(changed) > LIMIT:
            lines.append(f"\n… and {len(changed) - LIMIT} more.")
        lines.append("")
    report_table("Reports removed", removed)
    if moved:
        lines.extend(["### Formulations whose counts moved", "",
                      "| formulation | uses | reports |", "| --- | ---: | ---: |"])
        for name, u0, u1, r0, r1 in moved[:LIMIT]:
            lines.append(f"| {_cell(name)} | {u0} → {u1} ({u1 - u0:+d}) | {r0} → {r1} ({r1 - r0:+d}) |")
        if len(moved) > LIMIT:
            lines.append(f"\n… and {len(moved) - LIMIT} more.")
        lines.append("")
    if not (added or changed or removed or moved):
        lines.append("No report and no formulation count changed.")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("base", type=Path, help="data/ folder of the build before the change (may be missing)")
    p.add_argument("head", type=Path, help="data/ folder of the build after the change")
    p.add_argument("--out", type=Path, help="append the Markdown here (default: standard output)")
    args = p.parse_args(argv)
    text = summary(args.base if args.base.is_dir() else None, args.head)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
