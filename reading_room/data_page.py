"""The 数据 page (data/index.md): every download data.py makes, and the fields of each, in
Chinese; the README ("Data files") says the same in English."""
from __future__ import annotations

from .render import front_matter


REPORT_FIELDS = [
    ("id", "编号，由文件名而来，不随重建改变"),
    ("title", "标题"),
    ("year", "年份（可能为空）"),
    ("organization", "发文机关（可能为空），即 `organizations` 的第一个"),
    ("organizations", "全部发文机关，规范名称的列表（CSV 中以“；”分隔）"),
    ("genre", "体裁：总结、讲话、报告等"),
    ("date", "日期，按原文写法"),
    ("year_source", "年份的出处：日期、标题、文号、正文开头、目录文件（`date`、`title`、`doc_number`、`text`、`catalog`）"),
    ("date_source", "日期的出处：正文、网页署名、文件头、文件名、发布时间、落款（`text`、`byline`、`header`、`file name`、`posting time`、`signature`）"),
    ("doc_number", "发文字号，如 国发〔2016〕12号"),
    ("speaker", "讲话人（讲话人一行中的姓名）"),
    ("occasion", "报告或讲话所在的会议"),
    ("source", "来源（署名行里的“来源：”）"),
    ("title_composed", "原文没有标题行、标题由机关、年份与体裁拼成时为 `true`"),
    ("license", "权利说明：`corpus/catalog.yml` 中该篇的 `license`，否则为全站默认（`mkdocs.yml` 的 `extra.license`）"),
    ("characters", "正文字数（不计空白）"),
    ("url", "报告页面，相对站点根目录"),
    ("raw_url", "原始文件，gzip 压缩；解压后逐字节与收录时相同"),
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
    ("section", "出现处所在的各级标题，由外到内，以 › 相隔（无标题则为空）"),
]
TEXT_FIELDS = [
    ("id, title, year, organization, genre, date, source, license, url", "同 reports.json.gz"),
    ("text", "清洗后的全文：标题，然后每个标题与段落各一段，段与段之间空一行"),
]
SEARCH_FIELDS = [
    ("query", "检索式，按输入原样"),
    ("filters", "导出时的筛选与排序，写法同网址（如 `year=2018-2020&body=国务院&sort=hits`；无则为空）"),
    ("corpus_version", "语料版本，与 version.json、数据页和引用中的相同（原文最后改动之日与全部原文的摘要）"),
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


def data_page(report_count: int, default_license: str) -> str:
    """data/index.md, the 数据 page."""
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
        "- 原始文件：`raw/<id>.txt.gz`（`raw_url`），gzip 压缩，解压后逐字节与收录时相同"
        "（报告页面上的“下载原文”链接直接存为解压后的原文件）。\n",
        "## 提法索引与引用文件\n",
        "- [slogans.json.gz](slogans.json.gz)、[cited.json.gz](cited.json.gz)：每条提法（或文件）一个对象，字段如下；"
        "各处使用在下面的 CSV 中（按 `key` 对应）：\n",
        _field_table(ENTRY_FIELDS),
        '- <a href="slogans.csv.gz" data-gunzip="slogans.csv">slogans.csv</a>、'
        '<a href="cited.csv.gz" data-gunzip="cited.csv">cited.csv</a>（解压保存；存放为 '
        "[slogans.csv.gz](slogans.csv.gz)、[cited.csv.gz](cited.csv.gz)）：全部使用，"
        "每处使用一行，按条目排列、条目内按日期先后（与条目页上的编号一致）。条目页先列出前几处使用，"
        "“显示其余”与“下载全部使用（CSV）”即取其中该条目的各行"
        "（浏览器只取 CSV 中含这些行的一段：[slogans.uses.json](slogans.uses.json)、[cited.uses.json](cited.uses.json) "
        "记着每个条目在哪一段——文件由若干个 gzip 段首尾相接而成，`members` 是各段的字节范围，"
        "`entries` 是每个条目的段号与 `key`）：\n",
        _field_table(INDEX_FIELDS),
        "## 引用与共用段落\n",
        '- <a href="reports.bib.gz" data-gunzip="reports.bib">reports.bib</a>（BibTeX）、'
        '<a href="reports.csl.json.gz" data-gunzip="reports.csl.json">reports.csl.json</a>（CSL-JSON）（解压保存；'
        "存放为 [reports.bib.gz](reports.bib.gz)、[reports.csl.json.gz](reports.csl.json.gz)）：每篇报告一条，"
        "发文机关为团体作者；[version.json](version.json)：语料版本（原文最后改动之日与全部原文的摘要）。\n"
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
