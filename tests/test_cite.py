"""Citation: Highwire meta tags on report pages (escaped), BibTeX and CSL-JSON downloads, the ¶
menu's GB/T 7714 and Chicago citations in Chromium, and an old link to an edited paragraph."""
from __future__ import annotations

import datetime
import gzip
import json
import re
import os
import shutil
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from browsing import serve
from conftest import CORPUS, captured_build, data_json, make_corpus, sample_files
from reading_room import cite, text_changes
from reading_room.outline import Block
from reading_room.report import Report


class _Head(HTMLParser):
    """The <meta name=…> tags and the tags of a page's <head>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.meta: list[tuple[str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.tags.append(tag)
            if tag == "meta" and attrs.get("name", "").startswith("citation_"):
                self.meta.append((attrs["name"], attrs.get("content")))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def head(html: str) -> _Head:
    parser = _Head()
    parser.feed(html)
    return parser


def _report(**fields) -> Report:
    base = dict(id="r", source_file="r.txt", encoding="utf-8", sha256="0" * 64, size=1, title="T", year=2024,
                organization="国务院", genre="报告", date="", source="", blocks=[Block("paragraph", "正文。")],
                removed=[])
    return Report(**{**base, **fields})


def test_authors_dates_and_bibtex_escapes():
    assert cite.authors(_report(organization="中共中央、国务院")) == ["中共中央", "国务院"]
    assert cite.authors(_report(organization="")) == []
    assert cite.iso_date(_report(date="2024年3月5日")) == "2024-03-05"
    assert cite.iso_date(_report(date="", year=2024)) == "2024" and cite.iso_date(_report(year=None)) == ""
    assert cite.page_meta(_report(date="2024-03-05"))["date"] == "2024/03/05"
    entry = cite.bib_entry(_report(title="关于{未闭合}的%通知\\", id="x"), "https://e.org/", "v")
    assert entry.count("{") - entry.count("\\{") == entry.count("}") - entry.count("\\}")
    assert "url = {https://e.org/reports/x/}" in entry and "author = {{国务院}}" in entry


def test_corpus_version_is_derived_from_the_texts():
    a, b = _report(id="a", sha256="1" * 64, date="2024-03-05"), _report(id="b", sha256="2" * 64, year=2025)
    version = cite.corpus_version([a, b])
    assert version == cite.corpus_version([b, a])  # no dependence on order or on the clock
    # without the day of the last text change, the newest report date stands in
    assert version["date"] == "2025" and version["version"].startswith("2025 (")
    assert cite.corpus_version([a, _report(id="b", sha256="3" * 64, year=2025)])["digest"] != version["digest"]
    dated = cite.corpus_version([a, b], "2026-11-30")
    assert dated["version"] == f"2026-11-30 ({version['digest']})" and dated["newest_report"] == "2025"


def _day(stamp: str) -> float:
    return datetime.datetime.fromisoformat(stamp + "T12:00:00+00:00").timestamp()


def test_the_version_day_is_the_last_text_change_not_the_newest_report(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = [corpus / "a.txt", corpus / "b.txt"]
    for path, stamp in zip(texts, ("2021-05-01", "2022-06-02")):
        path.write_text("二〇二五年工作报告\n正文。\n", encoding="utf-8")
        os.utime(path, (_day(stamp), _day(stamp)))
    # no git: the newest modification day of a text
    assert text_changes.last_change(corpus, texts) == "2022-06-02"
    assert text_changes.last_change(corpus, []) == ""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {**os.environ, "GIT_AUTHOR_DATE": "2023-07-03T10:00:00+08:00",
           "GIT_COMMITTER_DATE": "2023-07-03T10:00:00+08:00", "GIT_CONFIG_GLOBAL": os.devnull}
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@e.org"]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "texts"], check=True, env=env)
    # committed: the day of the commit, whatever the files' times (a fresh clone's are today)
    for path in texts:
        os.utime(path, (_day("2026-01-09"), _day("2026-01-09")))
    assert text_changes.last_change(corpus, texts) == "2023-07-03"
    # a curation file's commit is not a text change
    (corpus / "limits.yml").write_text("max_text_mb: 5\n", encoding="utf-8")
    env.update(GIT_AUTHOR_DATE="2024-08-04T10:00:00+08:00", GIT_COMMITTER_DATE="2024-08-04T10:00:00+08:00")
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "limits"], check=True, env=env)
    assert text_changes.last_change(corpus, texts) == "2023-07-03"
    # a text changed and not committed yet: its modification day
    texts[1].write_text("改过的正文。\n", encoding="utf-8")
    os.utime(texts[1], (_day("2025-02-05"), _day("2025-02-05")))
    assert text_changes.last_change(corpus, texts) == "2025-02-05"


def test_the_built_version_names_the_day_the_texts_last_changed(sample_build):
    version = json.loads((sample_build.site / "data" / "version.json").read_text(encoding="utf-8"))
    texts = [p for p in sample_build.corpus.rglob("*") if p.suffix.lower() == ".txt"]
    assert version["changed"] == text_changes.last_change(sample_build.corpus, texts) != ""
    assert version["version"].startswith(version["changed"] + " (")


def test_report_pages_carry_highwire_tags(sample_build):
    for report in sample_build.reports:
        page = head(sample_build.html(report["id"]))
        tags = dict(page.meta)
        assert tags["citation_title"] == report["title"]
        bodies = report.get("organizations") or ([report["organization"]] if report["organization"] else [])
        assert [v for k, v in page.meta if k == "citation_author"] == bodies
        assert re.fullmatch(r"\d{4}(/\d\d/\d\d)?", tags["citation_publication_date"])
        assert tags["citation_publication_date"][:4] == str(report["year"])
        assert tags["citation_language"] == "zh"
        assert "citation_public_url" not in tags  # no site_url: reading-room.js adds it from the page's address (below)
        if report["organization"]:
            assert tags["citation_technical_report_institution"] == report["organization"]
    about = head((sample_build.site / "about" / "index.html").read_text(encoding="utf-8"))
    assert not about.meta  # only report pages are citable reports


def test_bibtex_and_csl_json_hold_every_report(sample_build):
    reports = sample_build.reports
    items = data_json(sample_build.site, "reports.csl.json")
    assert sorted(i["id"] for i in items) == sorted(r["id"] for r in reports)
    for item in items:
        report = next(r for r in reports if r["id"] == item["id"])
        assert item["type"] == "report" and item["title"] == report["title"]
        bodies = report.get("organizations") or ([report["organization"]] if report["organization"] else [])
        assert item.get("author", []) == [{"literal": b} for b in bodies]
        assert item["issued"]["date-parts"][0][0] == report["year"]
    bib = gzip.decompress((sample_build.site / "data" / "reports.bib.gz").read_bytes()).decode("utf-8")
    assert sorted(re.findall(r"^@\w+\{([^,]+),$", bib, re.M)) == sorted(r["id"] for r in reports)
    version = json.loads((sample_build.site / "data" / "version.json").read_text(encoding="utf-8"))
    assert bib.count(version["version"]) == len(reports)


HOSTILE_TITLE = '"><script>alert(1)</script>工作总结'


@pytest.fixture(scope="module")
def hostile_title_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("cite-hostile")
    corpus = make_corpus(root / "corpus", sample_files()[:1])
    name = sample_files()[0].name
    catalog = yaml.safe_load((corpus / "catalog.yml").read_text(encoding="utf-8")) or {}
    catalog[name] = {"title": HOSTILE_TITLE, "organization": '单位"><b>x</b>', "date": "2021-07-01",
                     "doc_number": "国发〔2021〕<1>号"}
    (corpus / "catalog.yml").write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    build = captured_build(root / "out", corpus)
    assert build.exit_code == 0, build.err
    return build


def test_a_hostile_title_never_becomes_markup_in_the_head(hostile_title_site):
    report = hostile_title_site.reports[0]
    assert report["title"] == HOSTILE_TITLE
    html = hostile_title_site.html(report["id"])
    page = head(html)
    assert dict(page.meta)["citation_title"] == HOSTILE_TITLE
    assert dict(page.meta)["citation_author"] == '单位"><b>x</b>'
    assert dict(page.meta)["citation_publication_date"] == "2021/07/01"
    assert "b" not in page.tags
    tags = re.findall(r'<meta name="citation_[^>]*>', html[:html.index("</head>")])
    assert len(tags) == len(page.meta) and not [t for t in tags if "<script" in t or '"><' in t]
    assert dict(page.meta)["citation_technical_report_number"] == '国发〔2021〕<1>号'
    assert "<script>alert(1)" not in html[:html.index("</head>")]


# ---- in Chromium ----------------------------------------------------------------------------------

def _browser_page(browser, url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(url)
    return context, pg


def test_paragraph_menu_copies_gbt_and_chicago_citations(browser, sample_build):
    report = next(r for r in sample_build.reports if r["organization"])
    with serve(sample_build.site) as base:
        context, pg = _browser_page(browser, base + report["url"])
        try:
            url = pg.eval_on_selector('meta[name="citation_public_url"]', "m => m.content")
            assert url == base + report["url"]  # no site_url: filled in from the page's address
            para = pg.locator("p[id^='p-']").nth(3)
            anchor = para.get_attribute("id")
            para.hover()
            para.locator("a.pn").click()
            version = json.loads((sample_build.site / "data" / "version.json").read_text(encoding="utf-8"))
            copied = {}
            for fmt in ("gbt", "chicago", "link"):
                pg.click(f".rr-cite button[data-format={fmt}]")
                pg.wait_for_selector(f".rr-cite output[data-copied={fmt}]")
                copied[fmt] = pg.evaluate("navigator.clipboard.readText()")
            assert pg.url.endswith("#" + anchor)
            link = base + report["url"] + "#" + anchor
            gbt = re.escape(report["organization"]) + r"\. " + re.escape(report["title"]) + r"\[EB/OL\]\. "
            assert re.fullmatch(gbt + r"公文阅览室, 语料版本 " + re.escape(version["version"]) +
                                r"\. \(\d{4}(-\d\d-\d\d)?\)\[\d{4}-\d\d-\d\d\]\. " + re.escape(link) + r"\.",
                                copied["gbt"]), copied["gbt"]
            assert copied["chicago"].startswith(f"{report['organization']}. \u201c{report['title']}.\u201d ")
            assert f"corpus version {version['version']}" in copied["chicago"]
            assert re.search(r"Accessed [A-Z][a-z]+ \d{1,2}, \d{4}\. " + re.escape(link) + r"\.$", copied["chicago"])
            assert copied["link"] == link
            assert not pg.errors
        finally:
            context.close()


def _paragraph_anchors(build, report_id) -> dict[str, str]:
    html = build.html(report_id)
    return {m.group(1): re.sub(r"<[^>]+>", "", m.group(2))
            for m in re.finditer(r'<p id="(p-[0-9a-f]{16}(?:-\d+)?)">(.*?)</p>', html, re.S)}


def test_an_old_link_to_an_edited_paragraph_opens_the_nearest_one(browser, tmp_path):
    """Cite a paragraph, change one character of it, rebuild: the old link lands on the edited paragraph."""
    source = CORPUS / "2019-county-police-bureau-party-building-summary.txt"
    corpus = make_corpus(tmp_path / "corpus", [source])
    first = captured_build(tmp_path / "out", corpus, cache=True)
    report = first.reports[0]
    before = _paragraph_anchors(first, report["id"])
    body = (corpus / source.name).read_bytes().decode(report["encoding"])
    lines = body.splitlines()
    cited, plain = next((a, unescape(t)) for a, t in list(before.items())[5:]
                        if len(t) > 40 and any(unescape(t) in line for line in lines))
    line = next(line for line in lines if plain in line)
    k = line.index(plain) + len(plain) // 2
    edited = line[:k] + ("某" if line[k] != "某" else "甲") + line[k + 1:]
    (corpus / source.name).write_bytes(body.replace(line, edited, 1).encode(report["encoding"]))
    second = captured_build(tmp_path / "out", corpus, cache=True)
    after = _paragraph_anchors(second, report["id"])
    assert cited not in after  # the id moved with the text
    new_anchor = next(a for a, t in after.items() if t not in before.values())
    with serve(second.site) as base:
        context, pg = _browser_page(browser, base + report["url"] + "#" + cited)
        try:
            pg.wait_for_selector(".rr-moved")
            assert "已修改" in pg.text_content(".rr-moved")
            assert pg.eval_on_selector(".rr-resolved", "p => p.id") == new_anchor
            assert pg.eval_on_selector(".rr-resolved", "p => p.dataset.resolvedFrom") == cited
            top = pg.eval_on_selector(".rr-resolved", "p => p.getBoundingClientRect().top")
            assert 0 <= top <= pg.viewport_size["height"]
            # the notice is in view with it, right above it (it was under the title, out of sight)
            box = pg.eval_on_selector(".rr-moved", "b => [b.getBoundingClientRect().top, b.getBoundingClientRect().bottom]")
            assert 0 <= box[0] and box[1] <= pg.viewport_size["height"]
            assert pg.eval_on_selector(".rr-moved", "b => b.nextElementSibling.classList.contains('rr-resolved')")
            # a link to a paragraph that exists opens it without a notice
            pg.goto(base + report["url"] + "#" + new_anchor)
            pg.reload()
            assert pg.locator(".rr-moved").count() == 0
            assert not pg.errors
        finally:
            context.close()
    shutil.rmtree(tmp_path / "out" / "cache", ignore_errors=True)


def test_site_url_gives_absolute_urls_in_the_data(tmp_path):
    (tmp_path / "mkdocs.yml").write_text('site_name: x\nsite_url: "https://example.org/rr"  # public\n',
                                         encoding="utf-8")
    assert cite.site_url(tmp_path / "docs") == "https://example.org/rr/"
    (tmp_path / "mkdocs.yml").write_text('site_url: ""\n', encoding="utf-8")
    assert cite.site_url(tmp_path / "docs") == ""
    assert cite.site_url(Path(tmp_path / "nowhere" / "docs")) == ""
