"""The theme's shell around pages written as HTML (reading_room/shell.py): every part of a page
reaches it, escaped, the outline nests as the headings do, and no placeholder is left."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from reading_room.html_page import Heading, HtmlPage, heading_html, title_html
from reading_room.shell import Shells

SHELLS = Shells(ROOT / "mkdocs.yml")  # one engine for every example: loading MkDocs takes a second
PLACEHOLDER = re.compile(r"rr[a-zA-Z]+rr|\x00")


class _Outlines(HTMLParser):
    """The page's two outlines (the sidebar's list and the phone's 目录) as (depth, href) in
    document order, and the page's <title>."""

    def __init__(self):
        super().__init__()
        self.lists = {"sidebar": [], "phone": []}
        self.where: list[tuple[str, int]] = []  # (which outline, depth of its list tags) while inside one
        self.depth = 0
        self.title, self.in_title = "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self.in_title = True
        if tag == "ul" and attrs.get("data-md-component") == "toc":
            self.where.append(("sidebar", self.depth))
        if tag == "nav" and attrs.get("aria-label") == "本文目录":
            self.where.append(("phone", self.depth))
        if tag in ("ul", "ol"):
            self.depth += 1
        if tag == "a" and self.where:
            name, start = self.where[-1]
            self.lists[name].append((self.depth - start, attrs.get("href")))

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in ("ul", "ol"):
            self.depth -= 1
        if self.where and tag in ("ul", "nav") and self.depth == self.where[-1][1]:
            self.where.pop()

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def _expected_depths(levels: list[int]) -> list[int]:
    """How deep each heading sits in the outline: below the nearest earlier heading of a lower
    level (Python-Markdown's toc nesting, as the theme shows it)."""
    depths, stack = [], []
    for level in levels:
        while stack and stack[-1] >= level:
            stack.pop()
        stack.append(level)
        depths.append(len(stack))
    return depths


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(levels=st.lists(st.integers(2, 5), max_size=8), title=TEXT, words=st.lists(TEXT, min_size=8, max_size=8),
       report=st.booleans(), depth=st.integers(1, 3))
def test_every_part_of_a_page_reaches_its_shell_escaped_and_nested(levels, title, words, report, depth):
    # a first heading deeper than the next is as Markdown's toc nests it; start at level 2 as reports do
    levels = [2, *levels] if levels else []
    outline = tuple(Heading(level, f"h-{n:016x}", words[n % len(words)]) for n, level in enumerate(levels))
    article = title_html(title) + "".join(heading_html(h.level, h.anchor, h.text.replace("<", "&lt;")) for h in outline)
    url = "/".join(["d"] * (depth - 1) + ["page"]) + "/"
    citation = {"title": title, "authors": ["国务院", "<b>机关</b>"], "date": "2020/05/06", "language": "zh"} if report else None
    page = SHELLS.page(HtmlPage(url, title, article, outline, citation)).decode("utf-8")

    # no placeholder of the shell is left (a text may hold the same letters itself: “rrArr”)
    assert set(PLACEHOLDER.findall(page)) <= set(PLACEHOLDER.findall("\x01".join([title, *words])))
    assert page.count(article) == 1
    parsed = _Outlines()
    parsed.feed(page)
    assert parsed.title.startswith(title)  # the text as given: escaped on the page, read back the same
    anchors = [f"#{h.anchor}" for h in outline]
    depths = _expected_depths(levels)
    if report:
        # the outline is on a report page once, as its 目录; the sidebar's is made from it in the
        # browser (reading-room.js; tests/test_reader_browser.py checks it)
        assert [(d, href) for d, href in parsed.lists["phone"]] == list(zip(depths, anchors))
        assert not parsed.lists["sidebar"] and ("data-rr-toc" in page) == bool(outline)
        assert page.count('name="citation_author"') == 2 and "&lt;b&gt;机关&lt;/b&gt;" in page
        assert 'name="citation_technical_report_number"' not in page  # no number given: no tag
        assert "data-pagefind-body" in page
    else:
        assert [href for _, href in parsed.lists["sidebar"]] == anchors
        assert [d for d, _ in parsed.lists["sidebar"]] == depths
        assert "citation_" not in page and "data-pagefind-body" not in page and not parsed.lists["phone"]
    # one style sheet and one script, the theme's and the reading room's joined (a link each is
    # 50 bytes on every page), the ¶ menu's part of them acting on report pages only
    prefix = "../" * depth  # relative to this page
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)">', page) == [prefix + "assets/rr-page.css"]
    assert re.findall(r'<script src="([^"]+)"></script>', page) == [prefix + "assets/rr-chrome.js",
                                                                   prefix + "assets/rr-page.js"]


def test_a_hostile_title_and_heading_stay_text():
    hostile = '<script>alert(1)</script>"onload='
    outline = (Heading(2, "h-0000000000000001", hostile),)
    page = SHELLS.page(HtmlPage("reports/x/", hostile, title_html(hostile), outline, {"title": hostile})).decode()
    assert "<script>alert(1)" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # <title>, the h1, both outlines


def test_a_style_sheet_from_another_host_is_linked_as_it_is(tmp_path):
    """A curator who adds a web font's style sheet (extra_css: https://…) gets it linked as it is,
    after the theme's, which are then not joined either; the scripts still are. Nothing fails."""
    import shutil

    import yaml

    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs" / "assets", project / "docs" / "assets")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra_css"] = [*config["extra_css"], "https://fonts.example.org/noto-serif-sc.css"]
    config["hooks"] = []
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shells = Shells(project / "mkdocs.yml")
    page = shells.page(HtmlPage("reports/x/", "标题", title_html("标题"), (), None)).decode("utf-8")
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)
    assert styles[-1] == "https://fonts.example.org/noto-serif-sc.css" and len(styles) == 4
    assert all("rr-page" not in href for href in styles)
    assert re.findall(r'<script src="([^"]+)"></script>', page)[-1] == "../../assets/rr-page.js"
    assert set(shells.bundle_files()) == {"assets/rr-page.js"}
