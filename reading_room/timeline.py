"""Formulations over time: when each appears, spreads, peaks and fades, and who uses it.

Made from the index (``index.py``) and the reports' own dates; the years are those of
each report's date (else its year), and undated reports are counted apart. The corpus'
coverage (reports per year) is what shares are taken of, and why pages say "first
seen in the corpus": a corpus that starts in July 2012 cannot see earlier uses.
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict

from .index import Entry

UNDATED = "undated"
_DAY = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")


def report_day(report) -> str:
    """The report's date as YYYY-MM-DD, or YYYY when only its year is known, or ""."""
    m = _DAY.search(report.date or "")
    if m:
        return "-".join(m.groups())
    return str(report.year) if report.year else ""


def report_year(report) -> str:
    """The year a report is counted in: that of its date, else its year, else "undated"."""
    day = report_day(report)
    return day[:4] if day else UNDATED


def coverage(reports) -> dict:
    """data/corpus.json: reports per year (and undated), first and last date."""
    by_year = Counter(report_year(r) for r in reports)
    days = sorted(d for d in map(report_day, reports) if d)
    return {
        "reports": len(reports),
        "by_year": {y: by_year[y] for y in sorted(by_year, key=_year_order)},
        "first": days[0] if days else None,
        "last": days[-1] if days else None,
    }


def _year_order(year: str) -> tuple[int, str]:
    return (1, year) if year == UNDATED else (0, year)


def _earliest(days: list[str]) -> str | None:
    """The earliest of dates that may be YYYY-MM-DD or YYYY (a full date wins within its year)."""
    return min(days, key=lambda d: (d[:4], len(d) == 4, d)) if days else None


def _latest(days: list[str]) -> str | None:
    return max(days, key=lambda d: (d[:4], len(d) != 4, d)) if days else None


def entry_time(entry: Entry, reports: dict) -> dict:
    """by_year {"YYYY": {"reports", "uses"}} (and "undated"), first_seen, last_seen, and
    by_body {"body": {"reports", "first_seen"}}."""
    year_reports: dict[str, set] = defaultdict(set)
    year_uses: Counter = Counter()
    body_reports: dict[str, set] = defaultdict(set)
    body_days: dict[str, list] = defaultdict(list)
    days = []
    for use in entry.uses:
        report = reports[use.report]
        year = report_year(report)
        year_reports[year].add(use.report)
        year_uses[year] += 1
        day = report_day(report)
        if day:
            days.append(day)
        body = report.organization or ""
        if body:
            body_reports[body].add(use.report)
            if day:
                body_days[body].append(day)
    by_body = {
        body: {"reports": len(body_reports[body]), "first_seen": _earliest(body_days[body])}
        for body in sorted(body_reports, key=lambda b: (_earliest(body_days[b]) or "9999", -len(body_reports[b]), b))
    }
    return {
        "by_year": {y: {"reports": len(year_reports[y]), "uses": year_uses[y]}
                    for y in sorted(year_reports, key=_year_order)},
        "first_seen": _earliest(days),
        "last_seen": _latest(days),
        "by_body": by_body,
    }


def years_span(cover: dict) -> list[str]:
    """Every year from the corpus' first to its last dated year."""
    years = [int(y) for y in cover["by_year"] if y != UNDATED]
    return [str(y) for y in range(min(years), max(years) + 1)] if years else []


def _year_ranges(years: list[str]) -> str:
    """["2012", "2013", "2014", "2016"] -> "2012–2014、2016"."""
    runs: list[list[int]] = []
    for y in map(int, years):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return "、".join(f"{a}–{b}" if b > a else str(a) for a, b in runs)


def chart(label: str, time: dict, cover: dict) -> str:
    """An SVG chart (made at build time, no script) of the reports per year that use a
    formulation: bars for the number, a line for the share of that year's reports, first
    and last use marked; followed by the table of counts as its text alternative. A
    formulation used in one year only gets the table alone, open."""
    years = years_span(cover)
    if not years:
        return ""
    counts = [time["by_year"].get(y, {}).get("reports", 0) for y in years]
    uses = [time["by_year"].get(y, {}).get("uses", 0) for y in years]
    totals = [cover["by_year"].get(y, 0) for y in years]
    shares = [c / t if t else 0.0 for c, t in zip(counts, totals)]
    width, height, left, right, top, bottom = 360, 170, 30, 34, 14, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / len(years)
    peak = max(counts) or 1
    peak_share = max(shares) or 1.0
    # inline SVG in HTML needs no xmlns; coordinates are whole units of a 360-unit-wide box (a tenth
    # of one is not seen); what the marks share (class, text-anchor, fill) is said once by a group
    # (reading-room.css): the chart is on every entry page, so each attribute it repeats counts
    out = [f'<svg class="rr-chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(label)}：各年使用的报告数与占当年报告的比例">']
    out.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
    out.append(f'<g class="tick end"><text x="{left - 3}" y="{top + 4}">{peak}</text>'
               f'<text x="{left - 3}" y="{top + plot_h}">0</text></g>'
               f'<text class="tick share" x="{left + plot_w + 3}" y="{top + 4}">{peak_share:.0%}</text>')
    label_every = max(1, round(len(years) / 6))
    bars, ticks, points = [], [], []
    for i, (year, count, share) in enumerate(zip(years, counts, shares)):
        x = left + i * step
        if count:  # at least one unit high: a year with a use keeps a bar (and its tooltip) beside a peak
            h = max(1, round(plot_h * count / peak))
            bars.append(f'<rect x="{x + step * 0.15:.0f}" y="{top + plot_h - h}" width="{step * 0.7:.0f}" '
                        f'height="{h}"><title>{year}：{count} 篇（{share:.1%}）</title></rect>')
        points.append(f"{x + step / 2:.0f},{top + plot_h - plot_h * share / peak_share:.0f}")
        if i % label_every == 0 or i == len(years) - 1:
            ticks.append(f'<text x="{x + step / 2:.0f}" y="{height - 8}">{year[2:] if len(years) > 8 else year}</text>')
    out.append(f'<g class="bar">{"".join(bars)}</g><g class="tick mid">{"".join(ticks)}</g>')
    out.append(f'<polyline class="share" points="{" ".join(points)}"/>')
    marks: dict[str, list[str]] = {}  # first and last use in one year: one mark, both names
    for day, name in ((time.get("first_seen"), "首见"), (time.get("last_seen"), "最近")):
        if day and day[:4] in years:
            marks.setdefault(day[:4], []).append(name)
    for year, names in marks.items():
        x = left + years.index(year) * step + step / 2
        out.append(f'<line class="mark" x1="{x:.0f}" y1="{top - 2}" x2="{x:.0f}" y2="{top + plot_h}"/>'
                   f'<text class="mark-label" x="{x:.0f}" y="{top - 4}">{"、".join(names)}</text>')
    out.append("</svg>")
    # the years with a use; the others are said in one line (the chart's zeros), not a row each
    rows = "".join(
        f"<tr><td>{y}</td><td>{c}</td><td>{u}</td><td>{t}</td><td>{s:.1%}</td></tr>"
        for y, c, u, t, s in zip(years, counts, uses, totals, shares) if c)
    idle = [y for y, c, t in zip(years, counts, totals) if t and not c]
    if idle:
        rows += f'<tr><td colspan="5">{_year_ranges(idle)}：0 篇（各年报告总数见提法时间线）</td></tr>'
    undated = time["by_year"].get(UNDATED)
    if undated:
        rows += (f"<tr><td>未注明日期</td><td>{undated['reports']}</td><td>{undated['uses']}</td>"
                 f"<td>{cover['by_year'].get(UNDATED, 0)}</td><td></td></tr>")
    table = ('<details class="rr-chart-table"><summary>数据表</summary><table><thead><tr><th>年份</th>'
             '<th>报告</th><th>使用</th><th>当年报告总数</th><th>占比</th></tr></thead>'
             f"<tbody>{rows}</tbody></table></details>")
    legend = ('<p class="rr-chart-legend"><span class="key-bar"></span>使用该提法的报告数 '
              '<span class="key-share"></span>占当年报告的比例</p>')
    if sum(1 for c in counts if c) < 2:
        # every dated use in one year: the chart would be one bar, saying what the table's one row
        # says; most entries of a large corpus are such, so the table stands alone, open
        return f'<div class="rr-chart-box">{table.replace("<details ", "<details open ", 1)}</div>'
    return f'<div class="rr-chart-box">{"".join(out)}{legend}{table}</div>'


def movements(entries: list[Entry], times: dict[str, dict], cover: dict, min_reports: int = 5) -> dict[str, dict]:
    """Per year: the formulations first seen that year, and those that rose or faded (their
    share of the year's reports up or down by at least half against the previous year,
    with at least ``min_reports`` reports in one of the two years)."""
    years = years_span(cover)
    result = {y: {"appeared": [], "rose": [], "faded": []} for y in years}
    for entry in entries:
        time = times[entry.key]
        first = time.get("first_seen")
        if first and first[:4] in result:
            result[first[:4]]["appeared"].append(entry)
        for before, year in zip(years, years[1:]):
            a = time["by_year"].get(before, {}).get("reports", 0)
            b = time["by_year"].get(year, {}).get("reports", 0)
            ta, tb = cover["by_year"].get(before, 0), cover["by_year"].get(year, 0)
            if not ta or not tb or max(a, b) < min_reports or not a:
                continue
            sa, sb = a / ta, b / tb
            if sb >= 1.5 * sa:
                result[year]["rose"].append((entry, sa, sb))
            elif sb <= 0.5 * sa:
                result[year]["faded"].append((entry, sa, sb))
    return result


def series_changes(entries: list[Entry], reports: dict) -> list[dict]:
    """Series of reports of one body and genre (two or more, in date order): for each report,
    the formulations new in it and those dropped since the previous one."""
    used: dict[str, set] = defaultdict(set)
    for entry in entries:
        for use in entry.uses:
            used[use.report].add(entry.key)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for report in reports.values():
        if report.organization and report_day(report):
            groups[report.organization, report.genre or ""].append(report)
    result = []
    for (body, genre), members in sorted(groups.items()):
        if len(members) < 2:
            continue
        members.sort(key=lambda r: (report_day(r), r.id))
        steps = []
        for before, after in zip(members, members[1:]):
            steps.append({"report": after, "previous": before,
                          "new": sorted(used[after.id] - used[before.id]),
                          "dropped": sorted(used[before.id] - used[after.id])})
        result.append({"body": body, "genre": genre, "first": members[0], "steps": steps})
    return result
