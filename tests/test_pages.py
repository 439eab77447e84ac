"""Report pages: URLs, text shown as written (checked in the HTML MkDocs makes), anchors, strict build."""
from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path
from html.parser import HTMLParser

import pytest

from conftest import data_json


HOSTILE = [
    "某单位2021年工作总结",
    "一、加强**个方面工作<script>alert(1)</script>",
    "全年共完成**个项目、*件实事，XX同志和X单位受到表彰。",
    "#话题# 开展主题党日活动。",
    "详见[通知](javascript:alert(2))，以及<img src=x onerror=alert(3)>。",
    "模板写法{{ config.site_name }}和{% include 'x' %}保持原样。",
    "（一）<b>粗体</b>与_下划线_、`代码`、~~删除~~都照原文显示",
    "1.表格| a | b |和\\反斜杠原样显示。",
]


class _Page(HTMLParser):
    """Text, elements and ids of the article part of a MkDocs page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.h1: list[str] = []
        self._in_h1 = False
        self._in_script = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        if self.depth:
            self.tags.append((tag, attrs))
        if tag == "h1" and self.depth:
            self._in_h1 = True
            self.h1.append("")
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag == "h1":
            self._in_h1 = False
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        if self.depth:
            self.text.append(data)
            if self._in_h1:
                self.h1[-1] += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    from conftest import make_corpus
    corpus = make_corpus(root / "corpus")
    (corpus / "hostile report.txt").write_text("\n".join(HOSTILE) + "\n", encoding="utf-8")
    # two reports with the same title, and file names that differ only in spaces and case
    (corpus / "same-title-a.txt").write_text("\n".join(HOSTILE[:3]), encoding="utf-8")
    (corpus / "same title a.txt").write_text("\n".join(HOSTILE[:3]), encoding="utf-8")
    (corpus / "党建 总结.txt").write_text("\n".join(HOSTILE[:3]), encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "a.txt").write_text("\n".join(HOSTILE[:3]), encoding="utf-8")
    (corpus / "sub-a.txt").write_text("\n".join(HOSTILE[:3]), encoding="utf-8")
    from conftest import captured_build
    build = captured_build(root / "out", corpus)
    assert build.exit_code == 0, build.err
    return build


def test_urls_are_stable_distinct_and_without_spaces(hostile_site):
    reports = hostile_site.reports
    urls = [r["url"] for r in reports]
    assert len(set(urls)) == len(urls) == 6
    for report in reports:
        assert " " not in report["url"] and re.fullmatch(r"reports/[^/\s]+/", report["url"])
        assert (hostile_site.site / report["url"] / "index.html").exists()
    by_file = {r["source_file"]: r["id"] for r in reports}
    assert by_file["hostile report.txt"].startswith("hostile")
    assert by_file["same-title-a.txt"] != by_file["same title a.txt"]
    assert by_file["sub/a.txt"] != by_file["sub-a.txt"]


def test_urls_come_from_the_file_name_not_the_content(sample_build, sample_rebuild):
    assert [r["id"] for r in sample_build.reports] == [r["id"] for r in sample_rebuild.reports]
    for report in sample_build.reports:
        assert report["id"] == report["source_file"][:-4]  # the sample file names are already slugs


def test_report_text_is_shown_literally_in_the_html(hostile_site):
    report = hostile_site.report("hostile report.txt")
    page = parse(hostile_site.html(report["id"]))
    text = re.sub(r"\s+", "", "".join(page.text))
    for line in HOSTILE[1:]:
        # every line is on the page as written (a heading loses only the 。 that ends its lead)
        for part in re.sub(r"\s+", "", line).split("。"):
            assert part in text, part
    # the markup in the report never became markup on the page
    assert not [tag for tag, _ in page.tags if tag in ("img", "b", "del", "strong", "em", "table", "code", "script")]
    assert not [a for tag, a in page.tags if tag == "a" and "javascript" in (a.get("href") or "")]
    assert not [s for s in page.scripts if "alert" in s]
    assert "**个" in text and "*件" in text and "XX同志" in text and "X单位" in text
    assert "{{config.site_name}}" in text and "#话题#" in text


def test_title_is_the_only_h1(hostile_site, sample_build):
    for build in (hostile_site, sample_build):
        for report in build.reports:
            page = parse(build.html(report["id"]))
            assert len(page.h1) == 1
            assert page.h1[0].strip().rstrip("#").strip() == report["title"]


def test_every_heading_and_paragraph_has_its_anchor_in_the_html(sample_build):
    for report in sample_build.reports:
        page = parse(sample_build.html(report["id"]))
        ids = [a.get("id") for _, a in page.tags if a.get("id")]
        md = sample_build.page(report["id"])
        anchors = re.findall(r'\{#([hp]-[0-9a-f]{16}(?:-\d+)?)\}|id="([hp]-[0-9a-f]{16}(?:-\d+)?)"', md)
        anchors = [a or b for a, b in anchors]
        assert anchors and set(anchors) <= set(ids)
        assert all(re.fullmatch(r"[hp]-[0-9a-f]{16}(-\d+)?", a) for a in anchors)


def test_anchors_do_not_change_on_rebuild(sample_build, sample_rebuild):
    for report in sample_build.reports:
        first = re.findall(r'id="([hp]-[^"]+)"', sample_build.html(report["id"]))
        second = re.findall(r'id="([hp]-[^"]+)"', sample_rebuild.html(report["id"]))
        assert first == second and len(first) > 10


def test_placeholders_in_the_sample_reports_stay_visible(sample_build):
    speech = next(r for r in sample_build.reports if r["source_file"].startswith("2023"))
    text = "".join(parse(sample_build.html(speech["id"])).text)
    assert "**市公安局" in text and "**个" in text
    unit = next(r for r in sample_build.reports if "h1" in r["id"])
    text = "".join(parse(sample_build.html(unit["id"])).text)
    assert "X党委" in text and "《X》" in text


def test_strict_mkdocs_build_of_the_sample_corpus_has_no_warnings(sample_build, tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                records.append(record.getMessage())

    handler = Keep()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(sample_build.config), site_dir=str(tmp_path / "site"), strict=True)
        build(config)
    finally:
        logger.removeHandler(handler)
    assert records == []


def _article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def test_generated_pages_link_one_style_sheet_and_one_script_that_hold_every_part(sample_build):
    """A page the engine renders itself (the home page) links the theme's style sheets and
    scripts and ours one by one; a generated page links their joined copies, which hold every
    part's text in the same order (reading_room/shell.py), and carries no palette attributes
    (rr-chrome.js sets them)."""
    site = sample_build.site
    home = (site / "index.html").read_text(encoding="utf-8")
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)">', home)
    scripts = re.findall(r'<script src="([^"]+)"></script>', home.partition("</head>")[2])
    assert len(styles) >= 3 and len(scripts) >= 3
    for links, joined in ((styles, "rr-page.css"), (scripts, "rr-page.js")):
        whole = (site / "assets" / joined).read_text(encoding="utf-8")
        at = 0
        for href in links:
            text = (site / href.split("?")[0]).read_text(encoding="utf-8")
            text = re.sub(r"\n?(//# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)\s*$", "", text)
            found = whole.find(text, at)
            assert found >= at, (joined, href)
            at = found + len(text)
    for report in sample_build.reports:
        page = (site / "reports" / report["id"] / "index.html").read_text(encoding="utf-8")
        assert re.findall(r'<link rel="stylesheet" href="([^"]+)">', page) == ["../../assets/rr-page.css"]
        assert re.findall(r'<script src="([^"]+)"></script>', page) == ["../../assets/rr-chrome.js",
                                                                       "../../assets/rr-page.js"]
        assert "data-md-color" not in page.partition("</head>")[2][:200]


def test_generated_pages_are_slim_and_the_report_text_is_untouched(sample_build):
    """Report and entry pages use overrides/slim.html: no navigation sidebar or footer repeated on
    every page, the chrome's white space collapsed, the article exactly as MkDocs rendered it."""
    site = sample_build.site
    pages = [site / "reports" / r["id"] / "index.html" for r in sample_build.reports]
    entries = [row["url"].partition("#")[0] for row in data_json(site, "slogans.json")]
    pages += [site / url / "index.html" for url in sorted(set(entries))[:8]]  # own pages and shared ones
    assert any("/once/" in str(p) for p in pages) and any("/once/" not in str(p) for p in pages)
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert "md-nav--primary" not in page and "md-footer" not in page, path
        # the header, search box and tabs come from the one shared script, called once where they go
        assert page.count("<script>rrChrome()</script>") == 1 and 'assets/rr-chrome.js"></script>' in page, path
        for chrome in ('id="rr-search-input"', "md-tabs", "md-header", "md-toggle", "__md_scope", "__config",
                       "md-dialog", "__tabbed_", "generator"):
            assert chrome not in page, (path, chrome)
        assert "\n  " not in page.replace(_article(page), ""), path  # no indentation outside the article
    chrome = (site / "assets" / "rr-chrome.js").read_text(encoding="utf-8")
    for part in ('id="rr-search-input"', 'class="md-tabs rr-slim"', "md-header", 'id="__search"', "md-dialog"):
        assert json.dumps(part)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e") in chrome, part
    # the article is the one Material's own page has: the same Markdown built with the default template
    report = sample_build.reports[0]
    # written as HTML by the build, copied into the site as it is
    assert sample_build.page(report["id"]) == sample_build.html(report["id"])
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "md-nav--primary" in home  # the overviews keep Material's page
    slim = _article(sample_build.html(report["id"]))
    assert "\n<p id=\"p-" in slim  # paragraphs still one a line, as MkDocs wrote them


def test_cleaning_record_is_a_section_of_the_report_page(sample_build):
    site = sample_build.site
    assert not [p for p in (site / "cleaning").iterdir() if p.is_dir()]  # no page per report
    index = (site / "cleaning" / "index.html").read_text(encoding="utf-8")
    removed = 0
    for report in sample_build.reports:
        page = sample_build.html(report["id"])
        section = page[page.index('<details class="cleaning" id="cleaning"'):]
        section = section[:section.index("</details>")]
        assert 'href="#cleaning"' in page
        assert f'reports/{report["id"]}/#cleaning' in index
        taken_out = [item for item in report["removed"] if item["action"] != "repaired"]
        repaired = len(report["removed"]) - len(taken_out)
        counts = f'删除 {len(taken_out)} 处' + (f'，修复 {repaired} 处' if repaired else '（')  # no repair: not named
        assert counts in section
        for item in report["removed"]:
            assert html.escape(item["text"]) in section
        for item in taken_out:
            assert html.escape(item["text"]) not in page.replace(section, "") or item["text"] in report["title"]
        removed += len(taken_out)
        # neither in the outline nor taken for report text
        assert not re.search(r"<(h[1-6]|p)\b", section)
    assert removed > 0


def test_slim_pages_take_the_header_icons_from_the_sprite_the_theme_draws(sample_build):
    """docs/assets/icons.svg holds the theme's own icons, so the slim pages' header looks the same."""
    import material

    icons = Path(material.__file__).parent / "templates" / ".icons" / "material"
    sprite = (sample_build.site / "assets" / "icons.svg").read_text(encoding="utf-8")
    symbols = dict(re.findall(r'<symbol id="([^"]+)" viewBox="0 0 24 24">(.*?)</symbol>', sprite))
    assert set(symbols) >= {"magnify", "close", "arrow-left", "arrow-up", "menu", "library"}
    for name, inner in symbols.items():
        theme = (icons / f"{name}.svg").read_text(encoding="utf-8")
        assert inner in theme, name
    page = sample_build.html(sample_build.reports[0]["id"])
    # the header's icons and the back-to-top button's are in rr-chrome.js, not on the page
    assert "icons.svg#arrow-up" not in page and 'data-md-component="top"' not in page
    chrome = (sample_build.site / "assets" / "rr-chrome.js").read_text(encoding="utf-8")
    assert 'icons.svg#arrow-up' in chrome and 'data-md-component=\\"top\\"' in chrome
    assert symbols["arrow-up"] not in page and "<path" not in page.replace(_article(page), "")
