"""The search box of the built site, driven in headless Chromium (Debian's /usr/bin/chromium).

The sample corpus is built once (conftest's ``sample_build``), served on
127.0.0.1, and queries are typed into the search box as a reader would: every
report containing the query must be listed, and none that lacks it.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browsing import CHROMIUM, search, serve, texts

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): .ci/run installs it",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def served(sample_build):
    with serve(sample_build.site) as base:
        yield base, texts(sample_build.site)


@pytest.fixture
def page(browser, served):
    base, _ = served
    context = browser.new_context()
    pg = context.new_page()
    pg.foreign = []
    pg.errors = []
    pg.on("request", lambda r: pg.foreign.append(r.url)
          if urlsplit(r.url).hostname != "127.0.0.1" and not r.url.startswith("data:") else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(base + "reports/2019-county-police-bureau-party-building-summary/")
    yield pg
    assert not pg.foreign, f"requests left the site: {pg.foreign}"
    assert not pg.errors, f"script errors: {pg.errors}"
    context.close()


QUERIES = ["三会一课", "堡垒", "民主评议党员", "初心", "疫情防控", "政治轮训", "不忘初心、牢记使命", "四个意识"]
ABSENT = ["区块链", "两学一做", "堡垒户", "三会两课"]


@pytest.mark.parametrize("query", QUERIES)
def test_lists_every_report_containing_the_query_and_no_other(page, served, query):
    _, reports = served
    expected = sorted(url for url, text in reports.items() if query in text)
    assert expected, f"the sample corpus should contain {query}"
    assert sorted(search(page, query)) == expected
    meta = page.text_content("#rr-search-result .md-search-result__meta")
    assert meta.startswith(f"{len(expected)} 篇报告")


@pytest.mark.parametrize("query", ABSENT)
def test_query_absent_from_the_corpus_lists_nothing(page, served, query):
    _, reports = served
    assert not any(query in text for text in reports.values())
    assert search(page, query) == []
    assert "没有报告包含" in page.text_content("#rr-search-result .md-search-result__meta")


def test_result_shows_the_passage_marked_and_links_to_its_paragraph(page, served):
    base, _ = served
    search(page, "三会一课")
    first = page.locator("#rr-search-result .rr-confirmed").first
    assert first.locator("mark").first.text_content() == "三会一课"
    href = first.locator("a").get_attribute("href")
    assert re.search(r"#(p|h)-[0-9a-f]{16}(-\d+)?$", href), href
    page.goto(href)
    anchor = href.rsplit("#", 1)[1]
    assert page.locator(f"[id='{anchor}'] mark.rr-hit").first.text_content() == "三会一课"


def choose(pg, facet: str, label: str) -> None:
    """Pick the option of filter ``facet`` whose label starts with ``label`` ("" for all)."""
    pg.evaluate("""([facet, label]) => {
        const sel = document.querySelector(`select[data-facet='${facet}']`);
        const opt = [...sel.options].find(o => label ? o.text.startsWith(label + '（') : o.value === '-1');
        sel.value = opt.value; sel.dispatchEvent(new Event('change')); }""", [facet, label])


def test_filters_narrow_by_year_body_and_genre(page, served):
    _, reports = served
    assert len(search(page, "堡垒")) == 5
    choose(page, "年份", "2020")
    page.wait_for_function("() => document.querySelector('#rr-search-result .md-search-result__meta')"
                           ".textContent.startsWith('3 篇')")
    in_2020 = search(page, "堡垒")
    assert len(in_2020) == 3 and all(url.startswith("reports/2020-") for url in in_2020)
    choose(page, "体裁", "发言")
    page.wait_for_function("() => document.querySelector('#rr-search-result .md-search-result__meta')"
                           ".textContent.startsWith('没有报告')")
    choose(page, "年份", "")
    assert search(page, "堡垒") == ["reports/2023-police-party-committee-political-training-speech/"]
    choose(page, "体裁", "")
    choose(page, "机关", "县公安局")
    assert search(page, "堡垒") == ["reports/2019-county-police-bureau-party-building-summary/"]


def test_keyboard_opens_moves_and_closes(page):
    page.keyboard.press("s")
    assert page.evaluate("document.getElementById('__search').checked")
    search(page, "初心")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
