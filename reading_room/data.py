"""Data downloads for researchers, gzip-compressed (README, "Data files": why) but for the one
table a spreadsheet opens first, reports.csv: reports.json.gz, texts.jsonl.gz (every report's cleaned text), slogans.json.gz / cited.json.gz
(one object per formulation or cited document) and slogans.csv.gz / cited.csv.gz (one row per use);
trends.json and corpus.json, small and read by the pages, stay plain.

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
from .cache import digest
from .index import Entry, Index
from .report import Report
from .reuse import Reuse
from .site import entry_url
from .views import kwic


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
            "raw_url": f"raw/{r.id}.txt",
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
    ]


# reports.csv: one row per report (the lists of reports.json as counts)
REPORT_COLUMNS = ["id", "title", "year", "organization", "organizations", "genre", "date", "date_source", "year_source",
                  "doc_number", "speaker", "occasion", "source", "license", "title_composed", "characters", "url",
                  "raw_url", "source_file", "encoding", "sha256", "headings", "removed", "warnings"]
_JOINED = {"organizations"}  # lists a CSV cell holds joined by ；(the others as counts)


def reports_csv(rows: list[dict]) -> bytes:
    def cell(row: dict, column: str):
        value = row[column]
        if isinstance(value, list):
            return "；".join(value) if column in _JOINED else len(value)
        return value

    return _csv(REPORT_COLUMNS, ([cell(row, c) for c in REPORT_COLUMNS] for row in rows))


TEXTS_JSONL = "data/texts.jsonl.gz"
REPORTS_JSON = "data/reports.json.gz"
REPORTS_CSV = "data/reports.csv"  # plain: the table readers open in a spreadsheet (0.3x the text at 10,649 news items; 0.07x gzipped)
REUSE_JSON = "data/reuse.json.gz"
REUSE_CSV = "data/reuse.csv.gz"


def gzipped(plain: bytes) -> bytes:
    """A download gzip-compressed, with no name or time in its header (the same content,
    the same bytes)."""
    return gzip.compress(plain, compresslevel=9, mtime=0)


def texts_jsonl(reports: list[Report], licenses: dict[str, str]) -> bytes:
    """data/texts.jsonl.gz: one report a line, its facts and its cleaned text, gzip-compressed.
    It is the one file of the site with each report's text as plain text (the report's page
    shows the same text, and its 纯文本 link saves it, made in the browser from the page:
    docs/assets/reading-room.js); programs read gzip as they read the plain file —
    pandas.read_json(…, lines=True), `zcat … | jq`. Compressed with no name or time in the
    header, so the bytes depend on the texts only."""
    lines = []
    for r in reports:
        lines.append(json.dumps({
            "id": r.id, "title": r.title, "year": r.year, "organization": r.organization, "genre": r.genre,
            "date": r.date, "source": r.source, "license": licenses.get(r.id, ""), "url": r.url,
            "text": cleaned_text(r),
        }, ensure_ascii=False, separators=(",", ":")))
    plain = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    return gzipped(plain)


def index_json(idx: Index, reports: dict[str, Report]) -> list[dict]:
    """One object per formulation (or cited document): its forms, counts, evidence and life
    over time. Its uses are the rows of <kind>.csv.gz with the same ``key`` (one copy of them)."""
    return [
        {
            "slogan": entry.display,
            "key": entry.key,
            "variants": sorted(entry.variants, key=lambda f: (-entry.variants[f], f)),
            "url": entry_url(idx.kind, entry),
            "reports": entry.report_count,
            "uses": len(entry.uses),
            **(_slogan_fields(entry, reports) if idx.kind == "slogans" else {}),
        }
        for entry in idx.entries
    ]


def index_columns(name_field: str = "slogan") -> list[str]:
    return [name_field, "key", "reports", "report", "title", "year", "organization", "date", "url", "quoted",
            "left", "match", "right"]


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
    """Every use of one entry as a keyword-in-context row with the report's facts, oldest first
    (the rows of <kind>.csv.gz, in ``index_columns`` order)."""
    uses = sorted(entry.uses, key=lambda u: (timeline.report_day(reports[u.report]) or "9999", u.report,
                                             u.position, u.start))
    rows = []
    for use in uses:
        report = reports[use.report]
        line = kwic(use, report, width)  # the same line an entry page shows
        rows.append([entry.display, entry.key, entry.report_count, report.id, line.title, report.year,
                     report.organization, timeline.report_day(report), line.url,
                     "true" if line.quoted else "false", line.left, line.match, line.right])
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
    rows = reports_json(reports, licenses)
    return {REPORTS_JSON: gzipped(_json(rows)), REPORTS_CSV: reports_csv(rows)}


NAME_FIELDS = {"slogans": "slogan", "cited": "document"}


def index_files(idx: Index, reports: dict[str, Report], width: int) -> dict[str, bytes]:
    """data/<kind>.json.gz (the entries) and data/<kind>.csv.gz (their uses), and for the
    formulations the map of where each one's uses are in the CSV (``index_csv``)."""
    packed, where = index_csv(idx, reports, width, NAME_FIELDS[idx.kind])
    files = {index_json_path(idx.kind): gzipped(_json(index_json(idx, reports))), index_csv_path(idx.kind): packed}
    if idx.kind == "slogans":
        files[USES_MAP] = (json.dumps(where, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    return files


def index_paths(kind: str) -> tuple[str, ...]:
    """The files ``index_files`` makes for an index of this kind."""
    return (index_json_path(kind), index_csv_path(kind)) + ((USES_MAP,) if kind == "slogans" else ())


def index_json_path(kind: str) -> str:
    return f"data/{kind}.json.gz"


def index_csv_path(kind: str) -> str:
    return f"data/{kind}.csv.gz"


USES_MAP = "data/slogans.uses.json"  # where each formulation's rows are in slogans.csv.gz


# ---- the 数据 page: every download and its fields ----

REPORT_FIELDS = [
    ("id", "编号，由文件名而来，不随重建改变"),
    ("title", "标题"),
    ("year", "年份（可能为空）"),
    ("organization", "发文机关（可能为空），即 `organizations` 的第一个"),
    ("organizations", "全部发文机关，规范名称的列表（CSV 中以“；”分隔）"),
    ("genre", "体裁：总结、讲话、报告等"),
    ("date", "日期，按原文写法"),
    ("year_source", "年份的出处：日期、标题、正文开头、目录文件（`date`、`title`、`text`、`catalog`）"),
    ("date_source", "日期的出处：正文、网页署名、文件头、文件名、发布时间、落款（`text`、`byline`、`header`、`file name`、`posting time`、`signature`）"),
    ("doc_number", "发文字号，如 国发〔2016〕12号"),
    ("speaker", "讲话人（讲话人一行中的姓名）"),
    ("occasion", "报告或讲话所在的会议"),
    ("source", "来源（署名行里的“来源：”）"),
    ("title_composed", "原文没有标题行、标题由机关、年份与体裁拼成时为 `true`"),
    ("license", "权利说明：`corpus/catalog.yml` 中该篇的 `license`，否则为全站默认（`mkdocs.yml` 的 `extra.license`）"),
    ("characters", "正文字数（不计空白）"),
    ("url", "报告页面，相对站点根目录"),
    ("raw_url", "原始文件，逐字节与收录时相同"),
    ("source_file", "`corpus/` 下的源文件路径"),
    ("encoding", "原始文件的编码（`utf-8`、`gb18030`、`big5` 等）"),
    ("sha256", "原始文件的 SHA-256"),
    ("headings", "标题层级：`{level, text, anchor}` 的列表（CSV 中为个数）"),
    ("removed", "清洗处理的内容：`{rule, text, action}` 的列表，`rule` 为规则编号（中文名见 `corpus/labels.yml`），"
                "`action` 为 `removed`（删除）、`repaired`（修复，文字保留）或 `metadata`（转为元数据）；CSV 中为条数"),
    ("warnings", "给整理者的提示（CSV 中为条数）"),
]
ENTRY_FIELDS = [
    ("slogan", "提法（最常见的带引号写法）；`cited.json.gz` 中为《》内的文件名"),
    ("key", "归并各种写法的规范形式（全角半角统一，、，,；; 视为同一），与 CSV 的 `key` 列对应"),
    ("variants", "各种写法，常见的在前"),
    ("url", "条目页面，相对站点根目录"),
    ("reports", "使用它的报告篇数"),
    ("uses", "使用处数，即 CSV 中 `key` 相同的行数"),
    ("evidence", "（仅提法）判定依据：`reason`、`quoted_share`、`reports`、`bodies`"),
    ("by_year, first_seen, last_seen, by_body", "（仅提法）逐年的报告篇数与使用处数、首见与最近日期、各机关的篇数与首见日期"),
]
INDEX_FIELDS = [
    ("slogan", "提法（最常见的带引号写法）；`cited.csv.gz` 中此列名为 `document`，即《》内的文件名"),
    ("key", "归并各种写法的规范形式（全角半角统一，、，,；; 视为同一）"),
    ("reports", "使用它的报告篇数"),
    ("report", "报告编号（`reports.json.gz` 的 `id`）"),
    ("title", "报告标题"),
    ("year", "报告年份"),
    ("organization", "报告的发文机关"),
    ("date", "报告日期（如 2024-03-05，可能只有年份或为空）；同一条目的行按日期先后排列"),
    ("url", "出现处：报告页面加段落锚点"),
    ("quoted", "是否在引号内（`false` 为无引号的使用）"),
    ("left, match, right", "出现处前约 20 字、出现的原文写法、后约 20 字（三者相连即上下文）"),
]
TEXT_FIELDS = [
    ("id, title, year, organization, genre, date, source, license, url", "同 reports.json.gz"),
    ("text", "清洗后的全文：标题，然后每个标题与段落各一段，段与段之间空一行"),
]
SEARCH_FIELDS = [
    ("query", "检索式，按输入原样"),
    ("filters", "导出时的筛选与排序，写法同网址（如 `year=2018-2020&body=国务院&sort=hits`；无则为空）"),
    ("corpus_version", "语料版本，与 version.json、数据页和引用中的相同（最新报告日期与全部原文的摘要）"),
    ("index_version", "检索索引的版本号（所收文本或筛选项一变即变）"),
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
        "**压缩**：成批的文件以 gzip 压缩存放（`.gz`，解压即原文件；数据分析软件多可直接读取，如 `zcat`）。"
        "点击下面标明“解压保存”的链接，浏览器即解压后保存为原文件（CSV、BibTeX、CSL-JSON）。\n",
        "## 报告\n",
        "- [reports.json.gz](reports.json.gz)：每篇一个对象，字段如下；"
        "[reports.csv](reports.csv)（不压缩，电子表格直接打开）：每篇一行，同样的字段（列表字段为个数）。\n",
        _field_table(REPORT_FIELDS),
        "## 全文 {#texts}\n",
        "- [texts.jsonl.gz](texts.jsonl.gz)：全部全文，gzip 压缩的 JSONL（解压即 texts.jsonl），每行一篇 JSON 对象，"
        "`id` 即报告编号：\n",
        _field_table(TEXT_FIELDS),
        "- 一篇的全文：报告页面上的“纯文本”链接，把页面上的标题、各级标题与段落存为 `<id>.txt`，"
        "与 texts.jsonl.gz 中该篇的 `text` 相同；用程序取一篇，"
        "如 `zcat texts.jsonl.gz | jq -r 'select(.id==\"<id>\") | .text'`。\n"
        "- 原始文件：`raw/<id>.txt`（`raw_url`），逐字节与收录时相同。\n",
        "## 提法索引与引用文件\n",
        "- [slogans.json.gz](slogans.json.gz)、[cited.json.gz](cited.json.gz)：每条提法（或文件）一个对象，字段如下；"
        "各处使用在下面的 CSV 中（按 `key` 对应）：\n",
        _field_table(ENTRY_FIELDS),
        '- <a href="slogans.csv.gz" data-gunzip="slogans.csv">slogans.csv</a>、'
        '<a href="cited.csv.gz" data-gunzip="cited.csv">cited.csv</a>（解压保存；存放为 '
        "[slogans.csv.gz](slogans.csv.gz)、[cited.csv.gz](cited.csv.gz)）：全部使用，"
        "每处使用一行，按条目排列、条目内按日期先后。条目页上的“下载全部使用（CSV）”即其中该条目的各行"
        "（浏览器只取 slogans.csv.gz 中含这些行的一段：[slogans.uses.json](slogans.uses.json) 记着每条提法在哪一段——"
        "文件由若干个 gzip 段首尾相接而成，`members` 是各段的字节范围，`entries` 是每条提法的段号与 `key`）：\n",
        _field_table(INDEX_FIELDS),
        "## 引用与共用段落\n",
        '- <a href="reports.bib.gz" data-gunzip="reports.bib">reports.bib</a>（BibTeX）、'
        '<a href="reports.csl.json.gz" data-gunzip="reports.csl.json">reports.csl.json</a>（CSL-JSON）（解压保存；'
        "存放为 [reports.bib.gz](reports.bib.gz)、[reports.csl.json.gz](reports.csl.json.gz)）：每篇报告一条，"
        "发文机关为团体作者；[version.json](version.json)：语料版本（最新报告日期与全部原文的摘要）。\n"
        "- [reuse.json.gz](reuse.json.gz)：共用段落，每组一个对象：`passage`、`chars`、`banal`（套话模板）、"
        "`members`（`report`、`paragraph` 段落锚点、`similarity` 对齐字数占该段字数之比）；"
        '<a href="reuse.csv.gz" data-gunzip="reuse.csv">reuse.csv</a>（解压保存；存放为 [reuse.csv.gz](reuse.csv.gz)）：'
        "每个成员一行，另有 `title`、`year`、`organization`。\n",
        "## 页面用的小文件\n",
        "- [trends.json](trends.json)：比较视图用：`years`（年份）、`totals`（每年报告篇数）、"
        "`entries`（使用最多的提法，每条 `[提法, slug, 每年使用它的报告篇数]`）；"
        "[corpus.json](corpus.json)：语料覆盖（每年报告篇数、最早与最晚日期）。\n",
        "## 检索结果\n",
        "搜索框里的“下载 CSV”把当前检索的全部命中连同所在段落存为 CSV，每处命中一行：\n",
        _field_table(SEARCH_FIELDS),
    ])


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
