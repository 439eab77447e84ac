"""Chinese throughout: rule and field names from corpus/labels.yml, no English in the site's
own interface (its visible words and accessible names), overviews that stay small."""
from __future__ import annotations

import html
import posixpath
import re

import yaml

from conftest import CORPUS
from reading_room import render
from reading_room.index import Index
from reading_room.outline import Block
from reading_room.report import Report
from reading_room.settings import load_settings

ROOT = CORPUS.parent
WORD = re.compile(r"[A-Za-z]{2,}[A-Za-z_]*(?:-[A-Za-z]+)*")


def rule_ids() -> set[str]:
    rules = yaml.safe_load((CORPUS / "boilerplate.yml").read_text(encoding="utf-8"))
    ids = set()
    for section in rules.values():
        if isinstance(section, list):
            ids |= {r["name"] for r in section if isinstance(r, dict) and "name" in r}
    for path in (ROOT / "reading_room").glob("*.py"):
        code = path.read_text(encoding="utf-8")
        ids |= set(re.findall(r'(?:Removal|Repair)\("([a-z-]+)"', code))
    code = (ROOT / "reading_room" / "clean.py").read_text(encoding="utf-8")
    ids |= set(re.findall(r'return "([a-z]+(?:-[a-z]+)+)"', code))
    return ids


def test_every_cleaning_rule_has_a_chinese_name():
    labels = load_settings(CORPUS).labels
    ids = rule_ids()
    assert len(ids) > 15
    missing = sorted(i for i in ids if i not in labels.rules)
    assert not missing, f"corpus/labels.yml: no Chinese name for {missing}"
    assert all(re.search(r"[\u4e00-\u9fff]", labels.rule(i)) for i in ids)


def test_cleaning_pages_show_rule_names_not_ids(sample_build):
    ids = rule_ids()
    used = {x["rule"] for r in sample_build.reports for x in r["removed"]}
    assert used
    for page in [sample_build.site / "cleaning" / "index.html",
                 *(sample_build.site / "reports" / r["id"] / "index.html" for r in sample_build.reports)]:
        text = page.read_text(encoding="utf-8")
        assert not [i for i in ids if f">{i}<" in text or f"`{i}`" in text or f"<code>{i}</code>" in text], page


def visible_words(page: str) -> set[str]:
    """English words in what a reader sees or hears of the site's own interface: the page
    without its scripts, styles, icons, code and file names, and its titles and labels."""
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", "", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>", "", page, flags=re.S)
    words = set()
    for value in re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', page):
        words |= set(WORD.findall(html.unescape(value)))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"[\w/.-]+\.(?:jsonl|json|csv|txt|yml|bib)\b", " ", text)  # file names
    return words | set(WORD.findall(text))


# product names, and the names of the data files and formats a reader downloads
ALLOWED = {"MkDocs", "Material", "QQ", "CSV", "JSON", "JSONL", "UTF", "BOM", "Excel", "OWASP", "SHA", "ISO",
           "utf", "gb", "big", "json", "csv", "jsonl", "txt", "yml", "UTC",
           "BibTeX", "CSL", "CSL-JSON", "bib",  # citation formats (data/reports.bib, reports.csl.json)
           "gz", "gzip"}  # the compressed bulk downloads (data/texts.jsonl.gz, slogans.csv.gz)


def test_no_english_in_the_interface(sample_build):
    site = sample_build.site
    pages = [site / "index.html", site / "404.html", site / "years" / "index.html", site / "cleaning" / "index.html",
             site / "slogans" / "index.html", site / "data" / "index.html", site / "all" / "index.html",
             *(site / "reports" / r["id"] / "index.html" for r in sample_build.reports)]
    ids = {r["id"] for r in sample_build.reports}
    report_text = " ".join(sample_build.page(i) for i in ids)
    for page in pages:
        words = visible_words(page.read_text(encoding="utf-8")) - ALLOWED
        # what the reports themselves say (an "XXX" placeholder, a file name) is theirs, not the interface's
        words = {w for w in words if w not in report_text and not any(w in i for i in ids)}
        assert not words, f"{page.relative_to(site)}: {sorted(words)}"


def fake(n: int) -> Report:
    blocks = [Block("paragraph", "正文", anchor="p-1", ordinal=1)]
    return Report(id=f"r{n:05d}", source_file=f"r{n}.txt", encoding="utf-8", sha256="0" * 64, size=1,
                  title=f"报告{n}", year=2000 + n % 20, organization=f"机关{n % 50}", genre="总结", date="",
                  source="", blocks=blocks, removed=[])


def test_home_and_cleaning_log_stay_small_as_the_corpus_grows():
    empty = Index("slogans", [])
    small, large = [fake(n) for n in range(300)], [fake(n) for n in range(3000)]
    home_small, home_large = (render.home_page(r, [], empty, empty) for r in (small, large))
    assert home_large.count('href="reports/') == render.RECENT
    assert len(home_large.encode()) < len(home_small.encode()) + 200
    log_small, log_large = render.cleaning_index(small), render.cleaning_index(large)
    # only the pager differs: it names at most eight pages
    assert len(log_large["cleaning/index.md"]) < len(log_small["cleaning/index.md"]) + 400
    for pages in (render.report_list_pages(large), log_large):
        assert len(pages) == 30
        texts = [getattr(page, "article", page) for page in pages.values()]  # an HtmlPage's, or Markdown
        listed = re.findall(r'href="[^"]*?reports/(r\d{5})/(?:#cleaning)?"', "".join(texts))
        assert sorted(listed) == sorted(r.id for r in large)
        assert max(len(text.encode()) for text in texts) < 30_000


def test_year_and_body_pages_are_paginated_and_list_every_report_once():
    # 3,000 reports: 150 a year, 60 a body, and 700 of no named body (a news corpus' usual case)
    reports = [fake(n) for n in range(3000)]
    for r in reports[:700]:
        r.organization = ""
    pages = render.listing_pages(reports)
    html_pages = {path: page.article for path, page in pages.items() if not isinstance(page, str)}
    unnamed = sorted(p for p in html_pages if p.startswith(render.body_url("")))
    assert len(unnamed) == 7  # 700 reports, LIST_PAGE a page
    year = sorted(p for p in html_pages if p.startswith("years/2005/"))
    assert year == ["years/2005/2/index.html", "years/2005/index.html"]
    for prefix in ("years/", "bodies/"):
        texts = [t for p, t in html_pages.items() if p.startswith(prefix)]
        listed = re.findall(r'href="[^"]*?reports/(r\d{5})/"', "".join(texts))
        assert sorted(listed) == sorted(r.id for r in reports)  # each report once, on one page
        assert max(len(re.findall(r"<tr>", t)) - 1 for t in texts) == render.LIST_PAGE
    # the pager of the unnamed body's third page links the pages it names, and they exist
    third = html_pages[render.body_url("") + "3/index.html"]
    for target in re.findall(r'<p class="pager">.*?</p>', third)[0].split('href="')[1:]:
        resolved = posixpath.normpath(posixpath.join(render.body_url("") + "3/", target.split('"')[0]))
        assert resolved + "/index.html" in html_pages


def test_pager_links_every_page_it_names():
    pages = render.report_list_pages([fake(n) for n in range(1000)])
    page5 = pages["all/5/index.html"].article
    assert "第 5 / 10 页" in page5 and "<strong>5</strong>" in page5
    for n in (1, 2, 3, 4, 6, 7, 8, 10):
        target = "../" if n == 1 else f"../{n}/"  # all/5/ -> all/, all/2/, …
        assert f'<a href="{target}">{n}</a>' in page5, n


def test_where_a_date_came_from_is_shown_beside_it_when_recorded():
    from reading_room.views import ReportView

    labels = load_settings(CORPUS).labels
    report = fake(1)
    report.date = "2020-05-06"
    # the facts are separated by " · "; the date's own words end there
    assert "（" not in render.report_page(ReportView(report, "", labels=labels)).article.split("2020-05-06", 1)[1].split(" · ", 1)[0]
    report.date_source = "byline"
    page = render.report_page(ReportView(report, "", labels=labels)).article
    assert "2020-05-06（据网页署名） · " in page
    from reading_room import data
    assert next(data.report_rows([report]))["date_source"] == "byline"
