"""Hostile input: no markup from a text, a file name or curation data becomes markup on the site.

A corpus whose titles, file names, catalog values, cited titles and quoted formulations
carry script, image, base and javascript: payloads is built with MkDocs; then every HTML
page is parsed (no element or attribute made from the payloads) and every page is opened
in headless Chromium (no dialog, no request to another host).
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import captured_build, make_corpus

# Each payload would, if it reached the page unescaped, make an element or attribute
# that the checks below look for.
SCRIPT = '<script>alert("title")</script>'
IMG = "<img src=x onerror=alert(1)>"
BASE = "<base href=//example.cn>"
LINK = "[点我](javascript:alert(1))"
SVG = '"><svg onload=alert(2)>'

TEXTS = {
    # a title line with a script and an attribute break-out
    "title-script.txt": f"关于{SCRIPT}加强基层党建工作{SVG}的总结\n\n一、主要做法\n　　深入学习贯彻“两个维护”，{BASE}。\n",
    # a title line with an image; a cited title and a quoted formulation with payloads, used twice
    "title-img.txt": (f"{IMG}2021年党支部工作总结\n\n一、学习情况\n"
                      f"　　组织学习《{IMG}党建文件》和“{BASE}”，落实“两个维护”。\n"
                      f"　　再次学习《{IMG}党建文件》，“{BASE}”要求贯彻始终。\n"),
    # no title line of its own: the title is composed; the file name is shown where files are named
    f"{LINK} x.txt": "　　全年共开展主题党日活动12次，“三会一课”制度有效落实。\n",
    # catalog.yml gives this one a hostile title and issuing body
    "catalogued.txt": "2022年机关党委工作总结\n\n　　坚持“三会一课”，落实“两个维护”。\n",
}
CATALOG = {"catalogued.txt": {"title": f"目录标题{SCRIPT}{SVG}", "organization": f"{IMG}某机关{BASE}"}}

OUR_HOST = "127.0.0.1"


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.script_text: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._script = False

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script:
            self.script_text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    import yaml

    root = tmp_path_factory.mktemp("hostile")
    corpus = make_corpus(root / "corpus")
    for name, text in TEXTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "catalog.yml").write_text(yaml.safe_dump(CATALOG, allow_unicode=True), encoding="utf-8")
    build = captured_build(root, corpus)
    assert build.exit_code == 0, build.err
    return build


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_payloads_reach_the_site_as_text(hostile_site):
    """The checks below would pass on a site that dropped the hostile reports: they are there, as text."""
    titles = {r["title"] for r in hostile_site.reports}
    assert any(SCRIPT in t for t in titles) and any(IMG in t for t in titles)
    # the file name reaches the site (cleaning page, download name); a title is composed, never the file name
    assert any(LINK in r["source_file"] and r["title_composed"] for r in hostile_site.reports), titles
    catalogued = hostile_site.report("catalogued.txt")
    assert catalogued["title"] == CATALOG["catalogued.txt"]["title"]
    assert catalogued["organization"] == CATALOG["catalogued.txt"]["organization"]
    # the cited title and the quoted formulation became index entries with pages of their own
    cited = list((hostile_site.site / "cited").rglob("index.html"))
    slogans = list((hostile_site.site / "slogans").rglob("index.html"))
    assert any("党建文件" in p.read_text(encoding="utf-8") and p.parent.name != "cited" for p in cited)
    assert any("example.cn" in p.read_text(encoding="utf-8") and p.parent.name != "slogans" for p in slogans)


def test_no_element_or_attribute_comes_from_a_payload(hostile_site):
    pages = _pages(hostile_site.site)
    assert len(pages) > 15
    for page in pages:
        parser = _Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(hostile_site.site)
        for tag, attrs in parser.elements:
            assert tag != "base", where
            assert tag != "img" or attrs.get("src") != "x", where
            assert tag != "svg" or "onload" not in attrs, where
            for name, value in attrs.items():
                assert not name.startswith("on"), (where, tag, name)
                assert not value.strip().lower().startswith("javascript:"), (where, tag, name, value)
            if tag == "script":
                # only the site's own scripts: files of the site, or Material's inline configuration
                assert "example.cn" not in attrs.get("src", ""), where
        assert not any("alert(" in s for s in parser.script_text), where


def test_no_dialog_and_no_other_host_in_the_browser(hostile_site, browser):
    from browsing import serve

    dialogs, foreign = [], []
    with serve(hostile_site.site) as base:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: foreign.append(r.url)
                if not r.url.startswith(("data:", "blob:")) and f"//{OUR_HOST}:" not in r.url else None)
        opened = 0
        for path in _pages(hostile_site.site):
            url = base + path.relative_to(hostile_site.site).as_posix()
            page.goto(url, wait_until="load")
            opened += 1
        context.close()
    assert opened > 15
    assert dialogs == []
    assert foreign == []
