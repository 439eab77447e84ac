"""Stage 6: reports and indexes -> pages (path under docs/ -> page).

Most pages (a report's, an entry's, a year's or a body's, the lists' later pages) are
``HtmlPage``s: their article as HTML, which shell.py puts into the theme's page, so the site
engine only copies them. The pages in the navigation are Markdown that MkDocs renders.

Report text is always escaped: HTML-escaped in HTML, and in Markdown written as HTML
blocks or with every special character backslash-escaped. So `**个`, `<script>`,
`[x](javascript:…)` and `{{ … }}` are shown exactly as the report has them.
"""
from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Iterable

import yaml

from . import cite, timeline
from .escape import shown, visible_controls
from .html_page import Heading, HtmlPage, heading_html, title_html
from .index import Entry, Index, IndexKind, group_order
from .slugs import slugify
from .labels import Labels
from .outline import BlockKind
from .site import (CLEANING_ANCHOR, raw_url, UNKNOWN_BODY, body_url, facets, cleaning_url, entry_url, list_url, paged_url,
                   rel, source_of, uses_csv_url, year_url)

Pages = dict[str, "str | HtmlPage"]  # path under docs/ -> Markdown, or a page written as HTML
from .report import Report
from .views import EntryView, OnceView, ReportView

# Python-Markdown's backslash escapes (with the tables extension's |); < > & become entities.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
INDEX_TITLES = {IndexKind.SLOGANS: "提法索引", IndexKind.CITED: "引用文件索引"}
LIST_PAGE = 100  # reports on one page of the full list (all/) and of the cleaning log
RECENT = 20  # the newest reports on the home page


def md_escape(text: str) -> str:
    """Text for a Markdown heading or table cell, shown literally."""
    text = visible_controls(html.escape(text, quote=False))
    return _MD_SPECIAL.sub(r"\\\1", text)


# The site's search is its own index (reading_room/search.py, report text only). An engine
# that brings a search of its own (Zensical always does) is told to leave every page out.
ENGINE_SEARCH_OFF = {"search": {"exclude": True}}


def front_matter(data: dict) -> str:
    """YAML front matter, written by PyYAML's safe dumper: the C one (libyaml, the same
    output, 8 times faster) where PyYAML has it, else ``yaml.safe_dump`` itself."""
    data = {**data, **ENGINE_SEARCH_OFF}
    options = dict(allow_unicode=True, sort_keys=False, width=1000)
    if hasattr(yaml, "CSafeDumper"):
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, **options)
    else:
        text = yaml.safe_dump(data, **options)
    return "---\n" + text + "---\n\n"


def _linked_html(text: str, links: list[tuple[int, int, str]], page_url: str) -> str:
    out, last = [], 0
    for start, end, url in links:
        if start < last:
            continue  # overlapping quotations: the first one wins
        out.append(html.escape(text[last:start]))
        # styled by where it points (reading-room.css): a class was 15 bytes a link
        out.append(f'<a href="{rel(page_url, url)}">{html.escape(text[start:end])}</a>')
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


# where a report's date was read (Report.date_source), as the page says it
DATE_SOURCES = {"text": "正文", "byline": "网页署名", "header": "文件头", "file name": "文件名", "posting time": "发布时间",
                "catalog": "目录文件", "signature": "落款"}
YEAR_SOURCES = {"title": "标题", "doc_number": "文号", "text": "正文开头", "catalog": "目录文件"}  # "date": the date shown beside it


def report_page(view: ReportView) -> HtmlPage:
    """The page of one report: its facts, its text with the formulation links and the
    shared-passage marks of its view, and its cleaning record. Its citation makes it a report
    page: the <head>'s citation_* tags, the ¶ menu, and data-pagefind-body around the article
    (the search benchmark's ground truth and its Pagefind comparison read it)."""
    report, labels, shared = view.report, view.labels, view.shared
    url = report.url
    lines = [title_html(report.title)]
    # the facts are text between " · " (a <span> each was 14 bytes); the year and the body are
    # the links to their lists (the reports of that year, of that body)
    year, body, genre = facets(report).values()
    facts = [f'<a href="{rel(url, year_url(report.year))}">{html.escape(year)}</a>',
             f'<a href="{rel(url, body_url(report.organization))}">{html.escape(body)}</a>', html.escape(genre)]
    if report.year and report.year_source in YEAR_SOURCES:  # else the date beside it gave the year
        facts.insert(1, f'年份据{YEAR_SOURCES[report.year_source]}')
    if report.date:
        # corpus/labels.yml names it; DATE_SOURCES where it does not
        where = labels.date_sources.get(report.date_source) or DATE_SOURCES.get(report.date_source, report.date_source)
        facts.append(f'{html.escape(report.date)}{"（据" + html.escape(where) + "）" if where else ""}')
    if report.speaker:
        facts.append(html.escape(report.speaker))
    if report.source:
        facts.append(f'来源：{html.escape(report.source)}')
    facts.append(f'{report.characters:,} 字')
    if shared:
        facts.append(shared)
    links_html = (
        f"{_raw_link(report, url)}下载原文（{html.escape(report.encoding)}）</a>"
        f' · <a href="{rel(url, "data/#texts")}" data-plain-text="{html.escape(report.id)}">纯文本</a>'
        f' · <a href="#{CLEANING_ANCHOR}">清洗记录（删除 {removed_count(report)} 处）</a>'
    )
    lines.append(
        f'<div class="report-meta" data-pagefind-ignore>{" · ".join(facts)}<br>{links_html}</div>'
    )
    outline = []
    for block in report.blocks:
        block_links = view.links_of(block.anchor)
        if block.kind == BlockKind.HEADING:
            lines.append(heading_html(block.level, block.anchor, _linked_html(block.text, block_links, url)))
            outline.append(Heading(block.level, block.anchor, visible_controls(block.text)))
        else:
            # the ¶n link to the paragraph's anchor (its number is its place among the report's
            # paragraphs) is added by docs/assets/reading-room.js: 100 bytes a paragraph, on every page
            lines.append(
                f'<p id="{block.anchor}">'
                f"{_linked_html(block.text, block_links, url)}{_reuse_mark(view.mark_of(block.anchor), url)}</p>"
            )
    lines.append(cleaning_section(report, labels))
    return HtmlPage(url, report.title, "\n".join(lines), tuple(outline), cite.page_meta(report))


def _raw_link(report: Report, page_url: str) -> str:
    """The opening tag of a link to the report's source file: compressed on the site, saved
    unpacked under its own name (data-gunzip, reading-room.js); the .gz itself without script."""
    name = html.escape(report.source_file.rsplit("/", 1)[-1])
    return f'<a href="{rel(page_url, raw_url(report.id))}" download="{name}.gz" data-gunzip="{name}">'


def _reuse_mark(mark: tuple[str, int] | None, page_url: str) -> str:
    """The discreet "also in N reports" marker of a shared paragraph (its words come from CSS,
    so the paragraph's text, as read and as searched, is the report's own)."""
    if not mark:
        return ""
    target, others = mark
    # empty: its words (也见于 N 篇, its accessible name too) come from reading-room.css
    return f'<a class="reuse-mark" href="{rel(page_url, target)}" data-reports="{others}"></a>'


def _table(head: list[str], rows: Iterable[list[str]], numbers: int = 1) -> str:
    """An HTML table (a block Markdown leaves alone); cells are HTML already, and the last
    ``numbers`` columns are right-aligned."""
    def row(cells: list[str], tag: str) -> str:
        first = len(cells) - numbers
        return "<tr>" + "".join(f'<{tag} class="num">{c}</{tag}>' if i >= first else f"<{tag}>{c}</{tag}>"
                                for i, c in enumerate(cells)) + "</tr>"
    body = "".join(row(cells, "td") for cells in rows)
    return f"<table><thead>{row(head, 'th')}</thead><tbody>{body}</tbody></table>\n"


def _link(page_url: str, url: str, text: str) -> str:
    return f'<a href="{rel(page_url, url)}">{shown(text)}</a>'


def _md_link(page_url: str, url: str, text: str) -> str:
    """A link on a Markdown page to a page written as HTML: an <a> MkDocs leaves as it is (it
    knows only its Markdown pages), its text still read as Markdown, so escaped for it."""
    return f'<a href="{rel(page_url, url)}">{md_escape(text)}</a>'


def _report_table(reports: Iterable[Report], page_url: str) -> str:
    return _table(["标题", "年份", "机关", "体裁", "字数"],
                  ([_link(page_url, r.url, r.title), str(r.year or ""), shown(r.organization), shown(r.genre),
                    f"{r.characters:,}"] for r in reports))


def sort_reports(reports: Iterable[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (-(r.year or 0), r.title, r.id))


def _pager(urls: list[str], number: int, from_url: str) -> str:
    """第 n / N 页 with links to the first, the last and the pages around this one."""
    total = len(urls)
    if total < 2:
        return ""
    shown = sorted({1, total, *range(max(1, number - 3), min(total, number + 3) + 1)})
    parts, last = [], 0
    for n in shown:
        if n > last + 1:
            parts.append("…")
        parts.append(f"<strong>{n}</strong>" if n == number else f'<a href="{rel(from_url, urls[n - 1])}">{n}</a>')
        last = n
    return f'<p class="pager">第 {number} / {total} 页：' + " ".join(parts) + "</p>\n"


def _pages_of(items: list, per_page: int) -> list[list]:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


def home_page(reports: list[Report], skipped: list[tuple[str, str]], slogans: Index, cited: Index) -> str:
    """The home page: counts, the newest reports and the ways in. Its size does not grow
    with the corpus (the full list is paginated under all/)."""
    years = sorted({r.year for r in reports if r.year}, reverse=True)
    by_year: dict[int | None, int] = defaultdict(int)
    for r in reports:
        by_year[r.year] += 1
    ordered = sort_reports(reports)
    parts = [
        front_matter({"title": "公文阅览室", "hide": ["navigation"]}),
        "# 公文阅览室\n",
        f"本站收录 **{len(reports)}** 篇报告（{years[-1] if years else ''}–{years[0] if years else ''}），"
        f"索引 **{len(slogans.entries)}** 条提法、**{len(cited.entries)}** 份引用文件。"
        "每篇报告保留原文字句，标题层级按公文序号自动识别，段落可单独引用。"
        "按 / 或 s 键搜索全文：空格分开的词须同时出现，-词 排除，引号内为整句。\n",
        f"{_md_link('', list_url(1), '全部报告')} · [按年份](years/index.md) · [按机关](bodies/index.md) · "
        "[提法索引](slogans/index.md) · [引用文件](cited/index.md) · [清洗日志](cleaning/index.md) · "
        "[数据下载](data/index.md)\n",
        "按年份：" + " · ".join(
            f"{_md_link('', year_url(y), str(y or '年份未知'))}（{by_year[y]}）"
            for y in sorted(by_year, key=lambda y: -(y or 0))) + "\n",
        "## 最新报告\n",
        _report_table(ordered[:RECENT], ""),
    ]
    if len(ordered) > RECENT:
        parts.append(_md_link('', list_url(1), f"全部 {len(ordered)} 篇报告 →") + "\n")
    if skipped:
        parts.append("## 未能收录的文件\n")
        parts.append(skipped_list(skipped))
    return "\n".join(parts)


def _html_page(url: str, title: str, *parts: str) -> HtmlPage:
    """A page without an outline: its title, then ``parts`` (HTML)."""
    return HtmlPage(url, title, "\n".join([title_html(title), *parts]))


def report_list_pages(reports: list[Report]) -> Pages:
    """The full list of reports, newest first, LIST_PAGE a page: all/, all/2/, …"""
    return _paged_reports("all/", "全部报告", reports, f"共 {len(reports)} 篇，按年份从新到旧")


def _paged_reports(first_url: str, title: str, reports: list[Report], intro: str) -> Pages:
    """A list of reports, newest first, LIST_PAGE a page (``first_url``, then ``<first_url>2/`` …),
    so that no page of it grows with the corpus."""
    chunks = _pages_of(sort_reports(reports), LIST_PAGE)
    urls = [paged_url(first_url, n) for n in range(1, len(chunks) + 1)]
    pages: Pages = {}
    for number, chunk in enumerate(chunks, start=1):
        url = urls[number - 1]
        pager = _pager(urls, number, url)
        every = f"，每页 {LIST_PAGE} 篇" if len(chunks) > 1 else ""
        page = _html_page(url, title + (f"（第 {number} 页）" if number > 1 else ""), f"<p>{intro}{every}。</p>", pager,
                          _report_table(chunk, url), pager)
        pages[page.path] = page
    return pages


def skipped_list(skipped: list[tuple[str, str]]) -> str:
    """The files not published, as an HTML block (Markdown leaves it alone): each name
    exactly as ``sources.display_name`` gives it, HTML-escaped, never a link."""
    items = "\n".join(f"<li><code>{html.escape(name)}</code>：{html.escape(reason)}</li>" for name, reason in skipped)
    return f'<ul class="skipped">\n{items}\n</ul>\n'


def listing_pages(reports: list[Report]) -> Pages:
    """Browse pages by year and by issuing body (the navigation does not list every report),
    each LIST_PAGE reports a page: a year of a large corpus, or its reports of no named body,
    are thousands."""
    pages: Pages = {}
    by_year: dict[int | None, list[Report]] = defaultdict(list)
    by_body: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        by_year[r.year].append(r)
        by_body[r.organization or UNKNOWN_BODY].append(r)

    years = sorted(by_year, key=lambda y: -(y or 0))
    overview = [front_matter({"title": "按年份"}), "# 按年份浏览\n"]
    for year in years:
        url = year_url(year)
        label = f"{year} 年" if year else "年份未知"
        overview.append(f"- {_md_link('years/', url, label)}（{len(by_year[year])} 篇）")
        pages.update(_paged_reports(url, label, by_year[year], f"共 {len(by_year[year])} 篇"))
    pages["years/index.md"] = "\n".join(overview) + "\n"

    overview = [front_matter({"title": "按机关"}), "# 按机关浏览\n"]
    for body in sorted(by_body, key=lambda b: (-len(by_body[b]), b)):
        url = body_url("" if body == UNKNOWN_BODY else body)
        overview.append(f"- {_md_link('bodies/', url, body)}（{len(by_body[body])} 篇）")
        pages.update(_paged_reports(url, body, by_body[body], f"共 {len(by_body[body])} 篇，按年份从新到旧"))
    pages["bodies/index.md"] = "\n".join(overview) + "\n"
    return pages


# how the cleaning record names what a rule did (clean.Removal.action)
ACTIONS = {"removed": "删除", "repaired": "修复", "metadata": "转为元数据"}


def removed_count(r: Report) -> int:
    """Lines cleaning took out of the text (repairs keep their text, so they do not count)."""
    return sum(item.action != "repaired" for item in r.removed)


def cleaning_section(r: Report, labels: Labels = Labels()) -> str:
    """What cleaning removed or repaired in one report, line by line, with the rule: a
    closed section at the end of the report's page, ``#cleaning`` (it was a page of its own,
    ``cleaning/<id>/``, a full page of chrome for a few lines). HTML only, with no heading or
    paragraph, so it is neither in the page's outline nor taken for the report's text. Being a
    block of HTML, nothing in it is read as Markdown: the file name, rules and removed lines are
    HTML-escaped and stay text (tests/test_hostile.py)."""
    url = r.url
    repaired = len(r.removed) - removed_count(r)
    parts = [
        f'<details class="cleaning" id="{CLEANING_ANCHOR}" data-pagefind-ignore>'
        f"<summary>清洗记录：删除 {removed_count(r)} 处{f'，修复 {repaired} 处' if repaired else ''}"
        "（行号 · 规则 · 处理 · 内容）</summary>",
        f'<div>源文件 <span class="mono">{shown(r.source_file)}</span> · 编码 {shown(r.encoding)} · '
        f'SHA-256 <span class="mono">{r.sha256[:16]}…</span></div>',
    ]
    if r.overridden:
        parts.append("<div>目录文件（catalog.yml）设定的字段：" + "、".join(shown(labels.field(f)) for f in r.overridden) + "</div>")
    if r.warnings:
        parts.append("<div>提示：</div><ul>" + "".join(f"<li>{shown(labels.warning(w))}</li>" for w in r.warnings) + "</ul>")
    if r.removed:
        parts.append('<ul class="removed">')  # 行号 · 规则 · 处理 · 内容
        parts.extend(f'<li><span class="ln">{item.line}</span> {shown(labels.rule(item.rule))} · '
                      f'{ACTIONS.get(item.action, shown(item.action))} · '
                      f"{shown(item.text)}</li>" for item in r.removed)
        parts.append("</ul>")
    else:
        parts.append("<div>（未删除任何内容）</div>")
    parts.append("</details>")
    return "\n".join(parts) + "\n"


def cleaning_index(reports: list[Report], labels: Labels = Labels()) -> Pages:
    """The cleaning log: removals per rule across the corpus, then the reports, LIST_PAGE a
    page (cleaning/, cleaning/page/2/, …), so no page of it grows with the corpus."""
    totals: dict[str, int] = defaultdict(int)
    for r in reports:
        for item in r.removed:
            totals[item.rule] += 1
    chunks = _pages_of(sort_reports(reports), LIST_PAGE)
    urls = [cleaning_url(n) for n in range(1, len(chunks) + 1)]
    pages: Pages = {}
    for number, chunk in enumerate(chunks, start=1):
        url = urls[number - 1]
        rows = _table(["报告", "编码", "删除", "修复", "提示"], (
            [_link(url, f"{r.url}#{CLEANING_ANCHOR}", r.title), shown(r.encoding), str(removed_count(r)),
             str(len(r.removed) - removed_count(r)), shown("；".join(labels.warning(w) for w in r.warnings))]
            for r in chunk), numbers=0)
        pager = _pager(urls, number, url)
        title = "清洗日志" + (f"（第 {number} 页）" if number > 1 else "")
        if number > 1:  # not in the navigation: written as HTML, like the report pages
            page = _html_page(url, title, f'<p><a href="{rel(url, "cleaning/")}">← 清洗日志</a></p>', pager, rows,
                              pager)
            pages[page.path] = page
            continue
        rules = _table(["规则", "行数"], ([shown(labels.rule(k)), str(v)] for k, v in sorted(totals.items())))
        pages[source_of(url)] = "\n".join([
            front_matter({"title": title}), f"# {title}\n",
            "清洗规则见 `corpus/boilerplate.yml`（规则的中文名见 `corpus/labels.yml`）；"
            "每篇报告删除或修复的内容逐行列在报告页末的清洗记录里，原文可下载核对。\n",
            "## 按规则\n", rules, "## 按报告\n", pager, rows, pager])
    return pages


def index_pages(idx: Index, reports: dict[str, Report] | None = None) -> Pages:
    """The overview and group pages of an index; the entry pages are ``entry_pages``.
    With the reports, the slogan index also gets its 时间线, 比较 and 系列 pages."""
    kind, title = idx.kind, INDEX_TITLES[idx.kind]
    pages: Pages = {}
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in idx.entries:
        groups[entry.group].append(entry)
    order = sorted(groups, key=group_order)

    def entry_line(entry: Entry, from_url: str) -> str:
        return (f"- {_md_link(from_url, entry_url(kind, entry), entry.display)} "
                f"<small>{entry.report_count} 篇 · {len(entry.uses)} 处</small>")

    def entry_item(entry: Entry, from_url: str) -> str:
        return (f"<li>{_link(from_url, entry_url(kind, entry), entry.display)} "
                f"<small>{entry.report_count} 篇 · {len(entry.uses)} 处</small></li>")

    overview = [front_matter({"title": title}), f"# {title}\n"]
    overview.append(
        ("报告中引号内的提法（“四个意识”“三会一课”……）。" if kind == IndexKind.SLOGANS else "报告中《》引用的文件与法规。")
        + f"共 {len(idx.entries)} 条，按"
        + ("数字（两个…、三…、四个…）与拼音首字母" if kind == IndexKind.SLOGANS else "拼音首字母")
        + "分组，组内按使用次数排序。\n"
    )
    if kind == IndexKind.SLOGANS and reports is not None:
        overview.append("[时间线：每年新出现、上升、淡出的提法](timeline.md) · [比较几条提法的走势](compare.md) · "
                        "[系列报告中新增与不再使用的提法](series.md)\n")
        pages.update(_time_pages(idx, reports))
    overview.append(" · ".join(f"[{g}](#{_group_anchor(g)})" for g in order) + "\n")
    for g in order:
        group_url = f"{kind}/g/{_group_anchor(g)}/"
        overview.append(f"## {md_escape(g)} {{#{_group_anchor(g)}}}\n")
        overview.extend(entry_line(e, f"{kind}/") for e in groups[g][:12])
        if len(groups[g]) > 12:
            overview.append("\n" + _md_link(kind + "/", group_url, f"全部 {len(groups[g])} 条 →"))
        overview.append("")
        page = _html_page(group_url, f"{title}：{g}", f'<p><a href="{rel(group_url, kind + "/")}">← {title}</a></p>',
                          "<ul>" + "".join(entry_item(e, group_url) for e in groups[g]) + "</ul>")
        pages[page.path] = page
    pages[f"{kind}/index.md"] = "\n".join(overview) + "\n"
    return pages


def _group_anchor(group: str) -> str:
    return "g-" + (slugify(group) if group not in "#" else "other")


def entry_page(view: EntryView) -> HtmlPage:
    """An entry's page: its variants and counts, then its first uses in context and, when it has
    more, the link that shows the rest (one section: no outline)."""
    kind, url = view.kind, view.url
    title = INDEX_TITLES[kind]
    variants = _variants(view)
    parts = [
        f'<p><a href="{rel(url, kind + "/")}">← {title}</a> · {view.report_count} 篇报告 · {view.use_count} 处使用'
        f"（引号内 {view.quoted_count} 处，无引号 {view.use_count - view.quoted_count} 处）</p>",
        f"<p>写法：{variants}</p>",
    ]
    if view.time is not None:
        parts.extend(_entry_time(view, url))
    parts.append(_kwic_list(view, url))
    more = view.use_count - len(view.lines)
    if more > 0:
        # docs/assets/reading-room.js shows them here from the entry's rows of the CSV (the
        # member holding them, as the download does); without a script the link downloads it
        parts.append(f'<p class="kwic-more"><a href="{rel(url, uses_csv_url(view))}" data-more="{len(view.lines)}">'
                     f"显示其余 {more:,} 处使用</a>（共 {view.use_count:,} 处，按日期排列；也可下载 CSV）</p>")
    return _html_page(url, view.display, *parts)


def _variants(view: EntryView) -> str:
    """An entry's written forms with their quoted uses (仅无引号: found bare only)."""
    return "、".join(f"{shown(form)}（{count}）" if count else f"{shown(form)}（仅无引号）"
                    for form, count in view.variants)


def _kwic_list(view: EntryView, url: str, ids: str = "u") -> str:
    """An entry's uses on a page, numbered from 1: item ids ``<ids><n>`` (reading-room.js makes
    the lines it adds from the CSV the same way)."""
    parts = ['<ol class="kwic">']
    for n, line in enumerate(view.lines, start=1):
        path_text = " › ".join(_short(p) for p in line.path)
        # markup kept short: a page holds up to 200 of these lines (无引号 comes from the CSS)
        bare = "" if line.quoted else ' class="bare"'
        parts.append(
            f'<li id="{ids}{n}"{bare}>…{shown(line.left)}<mark>{shown(line.match)}</mark>'
            f'{shown(line.right)}…<br><a href="{rel(url, line.url)}">'
            f"{html.escape(line.title)}</a>"
            + (f" <small>{shown(path_text)}</small>" if path_text else "")
            + "</li>"
        )
    parts.append("</ol>\n")
    return "\n".join(parts)


def once_page(view: OnceView) -> HtmlPage:
    """The entries found in one report only whose slugs fall in one group: each under a heading
    whose id is its slug (where entry_url points), with its forms, counts and every use (a
    heading per entry: no outline)."""
    kind, url, title = view.kind, view.url, INDEX_TITLES[view.kind]
    parts = [
        title_html(f"{title}：只见于一篇报告的条目"),
        f'<p><a href="{rel(url, kind + "/")}">← {title}</a> · 只在一篇报告中出现的条目不各占一页，'
        f"按编号分组列在这样的页面上；本页 {len(view.entries)} 条。</p>",
    ]
    for entry in view.entries:
        variants = _variants(entry)
        evidence = entry.evidence
        why = (f" · 判定依据：{REASONS.get(evidence.get('reason'), '')}（引号内使用占 {evidence.get('quoted_share', 0):.0%}）"
               if evidence else "")
        csv = f' · <a href="{rel(url, uses_csv_url(entry))}">下载全部使用（CSV）</a>' if kind == IndexKind.SLOGANS else ""
        parts += [heading_html(2, entry.slug, shown(entry.display)),
                  f"<p>{entry.use_count} 处使用（引号内 {entry.quoted_count} 处） · 写法：{variants}{why}{csv}</p>",
                  _kwic_list(entry, url, ids=entry.slug + "-u")]
    return HtmlPage(url, f"{title}：只见于一篇报告的条目（{view.group}）", "\n".join(parts))


def _time_pages(idx: Index, reports: dict[str, Report]) -> dict[str, str]:
    """slogans/timeline (per year: appeared, rose, faded), slogans/compare, slogans/series."""
    cover = timeline.coverage(reports.values())
    times = {e.key: timeline.entry_time(e, reports) for e in idx.entries}
    moves = timeline.movements(idx.entries, times, cover)
    url = "slogans/timeline/"

    def link(entry: Entry) -> str:
        return _md_link(url, entry_url('slogans', entry), entry.display)

    page = [front_matter({"title": "提法时间线"}), "# 提法时间线\n",
            f"语料覆盖 {cover['first'] or '?'} 至 {cover['last'] or '?'}，共 {cover['reports']} 篇报告。"
            "“新出现”指在本语料中首见（语料开始前的使用看不到）；“上升”“淡出”指使用该提法的报告占当年报告的比例"
            "比上一年增加或减少至少一半（两年中至少一年有 5 篇报告）。\n"]
    for year in reversed(list(moves)):
        m = moves[year]
        page.append(f"## {year} 年（{cover['by_year'].get(year, 0)} 篇） {{#y{year}}}\n")
        appeared = sorted(m["appeared"], key=lambda e: -e.report_count)
        if appeared:
            shown = appeared[:40]
            page.append("**新出现**：" + "、".join(f"{link(e)} <small>{e.report_count}</small>" for e in shown)
                        + (f" 等 {len(appeared)} 条" if len(appeared) > 40 else "") + "\n")
        for name, label in (("rose", "上升"), ("faded", "淡出")):
            rows = sorted(m[name], key=lambda t: -abs(t[2] - t[1]))[:30]
            if rows:
                page.append(f"**{label}**：" + "、".join(f"{link(e)} <small>{a:.1%}→{b:.1%}</small>"
                                                         for e, a, b in rows) + "\n")
    pages = {"slogans/timeline.md": "\n".join(page) + "\n"}
    pages["slogans/compare.md"] = "\n".join([
        front_matter({"title": "比较提法"}), "# 比较提法\n",
        "输入最多四条提法，比较它们每年占全部报告的比例。所选提法保存在网址中，可以直接分享。\n",
        '<div id="rr-compare" data-trends="../../data/trends.json"><noscript>比较视图需要 JavaScript；'
        '各提法的逐年数据见其条目页的数据表。</noscript></div>',
        '<script src="../../assets/compare.js" defer></script>\n'])
    series = timeline.series_changes(idx.entries, reports)
    url = "slogans/series/"
    lines = [front_matter({"title": "系列报告中的提法变化"}), "# 系列报告中的提法变化\n",
             "同一机关、同一体裁的报告按日期排成系列；每篇列出比上一篇新增和不再使用的提法。\n"]
    if not series:
        lines.append("本语料中没有同一机关、同一体裁的两篇以上有日期的报告。\n")
    for item in series:
        lines.append(f"## {md_escape(item['body'])} · {md_escape(item['genre'] or '其他')}\n")
        lines.append(f"- 起点：{_md_link(url, item['first'].url, item['first'].title)}")
        for step in item["steps"]:
            r = step["report"]
            new = "、".join(md_escape(k) for k in step["new"][:60]) or "无"
            dropped = "、".join(md_escape(k) for k in step["dropped"][:60]) or "无"
            lines.append(f"- {_md_link(url, r.url, r.title)}（{timeline.report_day(r)}）："
                         f"新增 {len(step['new'])} 条：{new}；不再使用 {len(step['dropped'])} 条：{dropped}")
        lines.append("")
    pages["slogans/series.md"] = "\n".join(lines) + "\n"
    return pages


REASONS = {"curator": "编者列入提法表", "quoted": "常加引号使用", "numbered": "数字概括式提法",
           "bare": "多篇报告、多个机关不加引号使用"}


def _entry_time(view: EntryView, url: str) -> list[str]:
    """An entry's evidence, its life over time (chart) and who uses it."""
    entry, time, cover = view, view.time or {}, view.cover or {}
    evidence = view.evidence or {}
    parts = []
    if evidence:
        bodies = f"，{evidence['bodies']} 个机关" if evidence.get("bodies") else ""
        parts.append(f"<p>判定依据：{REASONS.get(evidence.get('reason'), '')}（引号内使用占 "
                     f"{evidence.get('quoted_share', 0):.0%}，{evidence.get('reports', 0)} 篇报告{bodies}）</p>")
    csv = f'<a href="{rel(url, uses_csv_url(entry))}">下载全部使用（CSV）</a>'
    if time.get("first_seen"):
        since = f"（本语料始于 {cover['first']}，更早的使用看不到）" if cover.get("first") else ""
        parts.append(f"<p>语料中首见：<strong>{time['first_seen']}</strong>{since}；最近一次："
                     f"<strong>{time['last_seen']}</strong> · {csv} · "
                     f'<a href="{rel(url, "slogans/compare/")}?f={entry.slug}">与其他提法比较</a></p>')
    else:
        parts.append(f"<p>{csv}</p>")
    svg = timeline.chart(entry.display, time, cover) if time and cover else ""
    if svg:
        parts.append(svg)
    bodies = time.get("by_body") or {}
    if bodies:
        parts.append("<h2>使用机关</h2>")
        parts.append("<p>各机关首次使用的语境见链接；全部使用（含机关、日期）见上方 CSV。</p>")
        first_use = dict(view.body_links)

        def row(body: str, counts: dict) -> list[str]:
            n = first_use.get(body, 0)
            count = f'<a href="#u{n}">{counts["reports"]}</a>' if n else str(counts["reports"])
            return [_link(url, body_url(body), body), count, str(counts["first_seen"] or "")]
        parts.append(_table(["机关", "报告", "首见"], (row(b, c) for b, c in list(bodies.items())[:100]), numbers=0))
        if len(bodies) > 100:
            parts.append(f"<p>（另有 {len(bodies) - 100} 个机关，见 CSV）</p>")
    return parts


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
