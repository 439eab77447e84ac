"""Data downloads for researchers: reports.json/.csv, slogans.json/.csv.gz, cited.json/.csv.gz,
each report's cleaned text (texts/<id>.txt) and all of them in texts.jsonl.gz.

The formats are documented on the site's 数据 page (``data_page``, made from the
field lists below) and in the README ("Data files"). Every CSV has the report's
title, year and issuing body; no CSV cell starts with = + - @ or a tab or carriage
return (such a cell gets a leading ', so that a spreadsheet does not run it as a
formula: OWASP's CSV injection rule).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re

from . import timeline
from .index import Entry, Index, context
from .report import Report
from .reuse import Reuse
from .site import entry_url


def _json(rows: list) -> bytes:
    """A JSON list with one object per line: easy to read and to diff, and it keeps
    the json module on its fast C encoder (``indent`` would not)."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
    return ("[\n" + lines + "\n]\n").encode("utf-8")


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


def text_url(report: Report) -> str:
    return f"data/texts/{report.id}.txt"


def cleaned_text(report: Report) -> str:
    """The report as the site shows it: the title, then every heading and paragraph,
    a blank line between them."""
    return "\n\n".join([report.title] + [b.text for b in report.blocks]) + "\n"


def license_of(report: Report, catalog: dict, default: str) -> str:
    """The report's `license` from corpus/catalog.yml, else the site's (mkdocs.yml extra.license)."""
    entry = catalog.get(report.source_file) or catalog.get(report.source_file.rsplit("/", 1)[-1]) or {}
    value = entry.get("license") if isinstance(entry, dict) else None
    return str(value) if value not in (None, "") else default


def reports_json(reports: list[Report], licenses: dict[str, str] | None = None) -> list[dict]:
    licenses = licenses or {}
    return [
        {
            "id": r.id,
            "title": r.title,
            "url": r.url,
            "text_url": text_url(r),
            "raw_url": f"raw/{r.id}.txt",
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
            "license": licenses.get(r.id, ""),
            "characters": r.characters,
            "headings": [{"level": h.level, "text": h.text, "anchor": h.anchor} for h in r.headings],
            "removed": [{"rule": x.rule, "text": x.text, "action": x.action} for x in r.removed],
            "warnings": r.warnings,
        }
        for r in reports
    ]


# reports.csv: one row per report (the lists of reports.json as counts)
REPORT_COLUMNS = ["id", "title", "year", "organization", "organizations", "genre", "date", "date_source",
                  "doc_number", "speaker", "occasion", "source", "license", "title_composed", "characters", "url",
                  "text_url", "raw_url", "source_file", "encoding", "sha256", "headings", "removed", "warnings"]
_JOINED = {"organizations"}  # lists a CSV cell holds joined by ；(the others as counts)


def reports_csv(rows: list[dict]) -> bytes:
    def cell(row: dict, column: str):
        value = row[column]
        if isinstance(value, list):
            return "；".join(value) if column in _JOINED else len(value)
        return value

    return _csv(REPORT_COLUMNS, ([cell(row, c) for c in REPORT_COLUMNS] for row in rows))


TEXTS_JSONL = "data/texts.jsonl.gz"


def gzipped(plain: bytes) -> bytes:
    """A bulk download gzip-compressed, with no name or time in its header (the same
    content, the same bytes)."""
    return gzip.compress(plain, compresslevel=9, mtime=0)


def texts_jsonl(reports: list[Report], licenses: dict[str, str]) -> bytes:
    """data/texts.jsonl.gz: one report a line, its facts and its cleaned text, gzip-compressed
    (the same texts are on the report pages and one by one in texts/<id>.txt: this download
    is for programs, which read gzip as they read the plain file — pandas.read_json(…,
    lines=True), `zcat … | jq` — and a third of the size keeps the site within its host's
    limit). Compressed with no name or time in the header, so the bytes depend on the
    texts only."""
    lines = []
    for r in reports:
        lines.append(json.dumps({
            "id": r.id, "title": r.title, "year": r.year, "organization": r.organization, "genre": r.genre,
            "date": r.date, "source": r.source, "license": licenses.get(r.id, ""), "url": r.url,
            "text": cleaned_text(r),
        }, ensure_ascii=False, separators=(",", ":")))
    plain = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    return gzipped(plain)


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


def index_columns(name_field: str = "slogan") -> list[str]:
    return [name_field, "key", "reports", "report", "title", "year", "organization", "url", "quoted", "context"]


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
    uses = sorted(entry.uses, key=lambda u: (timeline.report_day(reports[u.report]) or "9999", u.report,
                                             u.position, u.start))

    def row(use):
        report = reports[use.report]
        left, match, right = context(report.index_blocks[use.anchor].text, use.start, use.end, width)
        return [entry.display, report.organization, timeline.report_day(report), report.id, report.title,
                report.year, f"{report.url}#{use.anchor}", "true" if use.quoted else "false", left, match, right]

    return _csv(["slogan", "organization", "date", "report", "title", "year", "url", "quoted", "left", "match",
                 "right"], map(row, uses))


def index_csv(rows: list[dict], name_field: str = "slogan", reports: dict[str, Report] | None = None) -> bytes:
    reports = reports or {}

    def facts(report_id: str) -> list:
        r = reports.get(report_id)
        return [r.title, r.year, r.organization] if r else ["", "", ""]

    return _csv(index_columns(name_field), (
        [row["slogan"], row["key"], row["reports"], occ["report"], *facts(occ["report"]), occ["url"],
         occ["quoted"], occ["context"]]
        for row in rows for occ in row["occurrences"]))


def reports_file(reports: list[Report], licenses: dict[str, str] | None = None) -> bytes:
    """data/reports.json"""
    return _json(reports_json(reports, licenses))


def reports_files(reports: list[Report], licenses: dict[str, str]) -> dict[str, bytes]:
    """data/reports.json and data/reports.csv, made from the same rows."""
    rows = reports_json(reports, licenses)
    return {"data/reports.json": _json(rows), "data/reports.csv": reports_csv(rows)}


NAME_FIELDS = {"slogans": "slogan", "cited": "document"}


def index_files(idx: Index, reports: dict[str, Report], width: int) -> dict[str, bytes]:
    """data/<kind>.json and data/<kind>.csv.gz, made from the same rows.

    The CSV (one row per use, for the whole corpus) is gzip-compressed: its rows are also in
    <kind>.json (plain, for programs) and, for each formulation, in uses/<slug>.csv (plain, for
    a spreadsheet, linked from the entry page); at tens of thousands of reports the corpus-wide
    table has more rows than a spreadsheet opens, and it was the largest file of the site."""
    rows = index_json(idx, reports, width)
    return {f"data/{idx.kind}.json": _json(rows),
            index_csv_path(idx.kind): gzipped(index_csv(rows, NAME_FIELDS[idx.kind], reports))}


def index_csv_path(kind: str) -> str:
    return f"data/{kind}.csv.gz"


# ---- the 数据 page: every download and its fields ----

REPORT_FIELDS = [
    ("id", "编号，由文件名而来，不随重建改变"),
    ("title", "标题"),
    ("year", "年份（可能为空）"),
    ("organization", "发文机关（可能为空），即 `organizations` 的第一个"),
    ("organizations", "全部发文机关，规范名称的列表（CSV 中以“；”分隔）"),
    ("genre", "体裁：总结、讲话、报告等"),
    ("date", "日期，按原文写法"),
    ("date_source", "日期的出处：正文、网页署名、文件头、文件名、发布时间（`text`、`byline`、`header`、`file name`、`posting time`）"),
    ("doc_number", "发文字号，如 国发〔2016〕12号"),
    ("speaker", "讲话人（讲话人一行中的姓名）"),
    ("occasion", "报告或讲话所在的会议"),
    ("source", "来源（署名行里的“来源：”）"),
    ("title_composed", "原文没有标题行、标题由机关、年份与体裁拼成时为 `true`"),
    ("license", "权利说明：`corpus/catalog.yml` 中该篇的 `license`，否则为全站默认（`mkdocs.yml` 的 `extra.license`）"),
    ("characters", "正文字数（不计空白）"),
    ("url", "报告页面，相对站点根目录"),
    ("text_url", "清洗后的全文（纯文本），相对站点根目录"),
    ("raw_url", "原始文件，逐字节与收录时相同"),
    ("source_file", "`corpus/` 下的源文件路径"),
    ("encoding", "原始文件的编码（`utf-8`、`gb18030`、`big5` 等）"),
    ("sha256", "原始文件的 SHA-256"),
    ("headings", "标题层级：`{level, text, anchor}` 的列表（CSV 中为个数）"),
    ("removed", "清洗处理的内容：`{rule, text, action}` 的列表，`rule` 为规则编号（中文名见 `corpus/labels.yml`），"
                "`action` 为 `removed`（删除）、`repaired`（修复，文字保留）或 `metadata`（转为元数据）；CSV 中为条数"),
    ("warnings", "给整理者的提示（CSV 中为条数）"),
]
INDEX_FIELDS = [
    ("slogan", "提法（最常见的带引号写法）；`cited.csv.gz` 中此列名为 `document`，即《》内的文件名"),
    ("key", "归并各种写法的规范形式（全角半角统一，、，,；; 视为同一）"),
    ("reports", "使用它的报告篇数"),
    ("report", "报告编号（`reports.json` 的 `id`）"),
    ("title", "报告标题"),
    ("year", "报告年份"),
    ("organization", "报告的发文机关"),
    ("url", "出现处：报告页面加段落锚点"),
    ("quoted", "是否在引号内（`false` 为无引号的使用）"),
    ("context", "前后约 20 字的上下文"),
]
TEXT_FIELDS = [
    ("id, title, year, organization, genre, date, source, license, url", "同 reports.json"),
    ("text", "清洗后的全文：标题，然后每个标题与段落各一段，段与段之间空一行"),
]
SEARCH_FIELDS = [
    ("query", "检索式，按输入原样"),
    ("corpus_version", "检索索引所据语料的版本号（文本或筛选项一变即变）"),
    ("exported", "导出时间（UTC，ISO 8601）"),
    ("report, title, year, organization, genre", "报告编号、标题、年份、机关、体裁"),
    ("hits", "该篇命中的总处数"),
    ("term", "这一行命中的检索词"),
    ("url", "命中所在段落的链接（打开后检索词高亮）"),
    ("passage", "命中处前后的原文"),
]


def _field_table(fields: list[tuple[str, str]]) -> str:
    rows = ["| 字段 | 含义 |", "| --- | --- |"]
    rows += [f"| `{name}` | {meaning} |" for name, meaning in fields]
    return "\n".join(rows) + "\n"


def data_page(report_count: int, default_license: str, front_matter) -> str:
    """data/index.md, the 数据 page (``front_matter`` is render.front_matter)."""
    lic = default_license or "（未设定：见各篇 license 字段）"
    return "\n".join([
        front_matter({"title": "数据"}),
        "# 数据下载\n",
        f"本站 {report_count} 篇报告的元数据、全文与提法索引都可下载，供研究使用。"
        "所有文件为 UTF-8 编码；CSV 文件带 BOM，可直接用 Excel 打开。"
        "每个 CSV 都有报告的标题（`title`）、年份（`year`）与机关（`organization`）列。\n",
        f"**权利**：{lic}。各篇如另有说明，见其 `license` 字段（在 `corpus/catalog.yml` 中设定）。\n",
        "**CSV 公式防护**：以 `=`、`+`、`-`、`@`、制表符或回车开头的单元格，前面加一个英文单引号 `'`，"
        "以免电子表格把它当作公式执行（OWASP 的 CSV 注入防护规则）。读入数据时去掉这个单引号即得原文。\n",
        "## 报告\n",
        "- [reports.json](reports.json)：每篇一个对象，字段如下；"
        "[reports.csv](reports.csv)：每篇一行，同样的字段（列表字段为个数）。\n",
        _field_table(REPORT_FIELDS),
        "## 全文\n",
        "- 每篇清洗后的全文：`texts/<id>.txt`（`text_url`），报告页面上也有链接；原始文件：`raw/<id>.txt`。\n"
        "- [texts.jsonl.gz](texts.jsonl.gz)：全部全文，gzip 压缩的 JSONL（解压即 texts.jsonl），每行一篇 JSON 对象：\n",
        _field_table(TEXT_FIELDS),
        "## 提法索引与引用文件\n",
        "- [slogans.json](slogans.json)、[cited.json](cited.json)：每条提法（或文件）一个对象："
        "`slogan`、`key`、`variants`（各种写法）、`url`、`reports`、`occurrences`（每处使用：`report`、`url`、"
        "`quoted`、`context`）。\n"
        "- [slogans.csv.gz](slogans.csv.gz)、[cited.csv.gz](cited.csv.gz)：全部使用，gzip 压缩的 CSV（解压即 slogans.csv、cited.csv），"
        "每处使用一行（同样的行按提法分开、不压缩的是各条目页上的“下载全部使用（CSV）”，即 `uses/<slug>.csv`）：\n",
        _field_table(INDEX_FIELDS),
        "## 引用与共用段落\n",
        "- [reports.bib](reports.bib)（BibTeX）、[reports.csl.json](reports.csl.json)（CSL-JSON）：每篇报告一条，"
        "发文机关为团体作者；[version.json](version.json)：语料版本（最新报告日期与全部原文的摘要）。\n"
        "- [reuse.json](reuse.json)：共用段落，每组一个对象：`passage`、`chars`、`banal`（套话模板）、"
        "`members`（`report`、`paragraph` 段落锚点、`similarity` 对齐字数占该段字数之比）；"
        "[reuse.csv](reuse.csv)：每个成员一行，另有 `title`、`year`、`organization`。\n",
        "## 检索结果\n",
        "搜索框里的“下载 CSV”把当前检索的全部命中连同所在段落存为 CSV，每处命中一行：\n",
        _field_table(SEARCH_FIELDS),
    ])


def reuse_json(reuse: Reuse) -> bytes:
    lines = ",\n".join(json.dumps(c.to_dict(), ensure_ascii=False, separators=(",", ":")) for c in reuse.clusters)
    return ("[\n" + lines + "\n]\n").encode("utf-8") if lines else b"[]\n"


def reuse_csv(reuse: Reuse, reports: dict[str, Report] | None = None) -> bytes:
    """One row per member; like every CSV of the site, with the report's title, year and body."""
    reports = reports or {}

    def row(c, m) -> list:
        r = reports.get(m.report)
        return [c.passage, c.chars, c.banal, m.report, m.paragraph, m.similarity,
                r.title if r else "", (r.year or "") if r else "", r.organization if r else ""]

    return _csv(["passage", "chars", "banal", "report", "paragraph", "similarity", "title", "year", "organization"],
                (row(c, m) for c in reuse.clusters for m in c.members))
