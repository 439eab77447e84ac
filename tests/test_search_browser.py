"""The search box of the built site, driven in headless Chromium (Debian's /usr/bin/chromium).

The sample corpus is built once (conftest's ``sample_build``), served on
127.0.0.1, and queries are typed into the search box as a reader would: every
report containing the query must be listed, and none that lacks it.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from browsing import CHROMIUM, search, serve, texts
from reading_room import search as search_index
from conftest import data_uses

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
    href = first.locator("a.md-search-result__link").get_attribute("href")
    assert re.search(r"#(p|h)-[0-9a-f]{16}(-\d+)?$", href), href
    page.goto(href)
    anchor = href.rsplit("#", 1)[1]
    assert page.locator(f"[id='{anchor}'] mark.rr-hit").first.text_content() == "三会一课"


def choose(pg, facet: str, label: str) -> None:
    """Pick the option of filter ``facet`` whose label starts with ``label`` ("" for all)."""
    pg.evaluate("""([facet, label]) => {
        const sel = document.querySelector(`select[data-facet='${facet}']`);
        const opt = [...sel.options].find(o => label ? o.text.startsWith(label + '（') : o.value === '');
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
    page.fill("input[data-facet='机关']", "县公安局")
    page.wait_for_function("() => document.querySelector('#rr-search-result .md-search-result__meta')"
                           ".textContent.startsWith('1 篇')")
    page.focus("#rr-search-input")
    assert search(page, "堡垒") == ["reports/2019-county-police-bureau-party-building-summary/"]


def test_keyboard_opens_moves_and_closes(page):
    page.keyboard.press("s")
    assert page.evaluate("document.getElementById('__search').checked")
    search(page, "初心")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


def folded(text: str) -> str:
    from reading_room.search import normalize
    return normalize(text)


def meta_text(pg) -> str:
    return pg.text_content("#rr-search-result .md-search-result__meta")


@pytest.mark.parametrize("first, second", [("四个意识", "两个维护"), ("三会一课", "疫情防控")])
def test_terms_separated_by_spaces_must_all_occur(page, served, first, second):
    _, reports = served
    both = sorted(url for url, text in reports.items() if first in text and second in text)
    assert both
    assert sorted(search(page, f"{first} {second}")) == both
    assert meta_text(page).startswith(f"{len(both)} 篇报告")


def test_and_is_not_or(served):
    _, reports = served
    either = {url for url, text in reports.items() if "三会一课" in text or "疫情防控" in text}
    both = {url for url, text in reports.items() if "三会一课" in text and "疫情防控" in text}
    assert len(either) > len(both), "the sample should tell AND from OR"


def test_minus_excludes_a_term(page, served):
    _, reports = served
    expected = sorted(url for url, text in reports.items() if "堡垒" in text and "疫情" not in text)
    assert expected and len(expected) < sum("堡垒" in t for t in reports.values())
    assert sorted(search(page, "堡垒 -疫情")) == expected


def test_quoted_phrase_is_folded_as_the_formulation_index_folds(page, served, sample_build):
    _, reports = served
    phrase = "不忘初心，牢记使命"
    expected = sorted(url for url, text in reports.items() if folded(phrase) in folded(text))
    uses = data_uses(sample_build.site)["不忘初心、牢记使命"]
    indexed = {reports_url for reports_url in (o["url"].split("#")[0] for o in uses)}
    assert indexed <= set(expected) and len(expected) > 1
    for query in (f"「{phrase}」", "“不忘初心、牢记使命”", '"不忘初心；牢记使命"'):
        assert sorted(search(page, query)) == expected, query


def test_address_opens_the_box_with_its_results_and_follows_typing(browser, served):
    base, reports = served
    pg = browser.new_page()
    try:
        pg.goto(base + "?q=三会一课")
        pg.wait_for_selector("#rr-search-result .rr-confirmed")
        assert pg.evaluate("document.getElementById('__search').checked")
        expected = sum("三会一课" in t for t in reports.values())
        pg.wait_for_function("n => document.querySelector('#rr-search-result .md-search-result__meta')"
                             ".textContent.startsWith(n + ' 篇')", arg=expected)
        pg.keyboard.insert_text(" 堡垒")
        pg.wait_for_function("() => new URLSearchParams(location.search).get('q') === '三会一课 堡垒'")
        # a year range and a body from the address
        pg.goto(base + "reports/2023-police-party-committee-political-training-speech/?q=堡垒&year=2019-2020&body=公安")
        pg.wait_for_selector("#rr-search-result .rr-confirmed")
        urls = pg.eval_on_selector_all("#rr-search-result .md-search-result__item[data-url]",
                                       "items => items.map(li => li.dataset.url)")
        assert urls and all(re.match(r"reports/20(19|20)-", u) for u in urls)
        assert pg.input_value("select[data-facet='年份']") == "2019"
        assert pg.input_value("select[data-facet='年份至']") == "2020"
        assert pg.input_value("input[data-facet='机关']") == "公安"
    finally:
        pg.close()


def test_filter_counts_are_those_of_the_query(page, served, sample_build):
    _, reports = served
    years = {r["url"]: str(r["year"]) for r in sample_build.reports}
    search(page, "三会一课")
    matching = [url for url, text in reports.items() if "三会一课" in text]
    labels = page.eval_on_selector_all("select[data-facet='年份'] option[data-label]",
                                       "os => os.map(o => [o.value, o.textContent])")
    for year, label in labels:
        assert label == f"{year}（{sum(years[u] == year for u in matching)}）"


def test_each_result_shows_up_to_three_passages_and_sorts_by_hits(page, served):
    _, reports = served
    search(page, "党员")
    for li in page.locator("#rr-search-result .rr-confirmed").all():
        passages = li.locator(".rr-passage")
        assert 1 <= passages.count() <= 3
        assert all(p.locator("mark").count() for p in passages.all())
    page.select_option("select[data-role='sort']", "hits")
    page.wait_for_function("() => new URLSearchParams(location.search).get('sort') === 'hits'")
    page.wait_for_function("() => [...document.querySelectorAll('#rr-search-result .md-search-result__item:not(.rr-more)')]"
                           ".every(li => li.classList.contains('rr-confirmed'))")
    shown = page.eval_on_selector_all("#rr-search-result .md-search-result__item[data-url]",
                                      "items => items.map(li => li.dataset.url)")
    hits = [reports[u].count("党员") for u in shown]
    assert hits == sorted(hits, reverse=True) and len(set(hits)) > 1


def test_hits_download_as_csv_with_the_query_and_the_corpus_version(page, served, sample_build):
    _, reports = served
    search(page, "-疫情 堡垒")
    with page.expect_download() as info:
        page.click("button[data-role='download']")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = {u: t.count("堡垒") for u, t in reports.items() if "堡垒" in t and "疫情" not in t}
    assert len(rows) == sum(expected.values())
    assert {r["query"] for r in rows} == {"'-疫情 堡垒"}  # a cell starting with - would be a formula
    assert all(r["corpus_version"] and r["exported"] and r["title"] and r["year"] for r in rows)
    assert all("堡垒" in r["passage"] and r["term"] == "堡垒" for r in rows)
    # the version the 数据 page and the citations name, so an export can be matched to a release
    version = json.loads((sample_build.site / "data" / "version.json").read_text(encoding="utf-8"))["version"]
    assert {r["corpus_version"] for r in rows} == {version}
    assert {r["filters"] for r in rows} == {""}


def test_hits_download_records_the_filters(page, served, sample_build):
    """A file exported with a filter says so: its rows name the filters as the address does."""
    base, reports = served
    years = {str(r["year"]) for r in sample_build.reports
             if "堡垒" in reports.get(f"reports/{r['id']}/", "")}
    assert len(years) > 1  # so the filter leaves some out
    year = min(years)
    page.goto(base + f"?q=堡垒&year={year}")
    page.wait_for_selector("#rr-search-result .md-search-result__item[data-url]")
    with page.expect_download() as info:
        page.click("button[data-role='download']")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows and {r["filters"] for r in rows} == {f"year={year}"}
    assert {r["year"] for r in rows} == {year}


def test_tab_from_the_box_reaches_the_results_and_stays_in_the_box(page):
    search(page, "初心")
    page.focus("#rr-search-input")
    reached = False
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('.md-search__inner').contains(document.activeElement)")
        if page.evaluate("document.activeElement.matches('.md-search-result__link, .rr-passage')"):
            reached = True
    assert reached
    page.focus("#rr-search-input")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.querySelector('.md-search__inner').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.id") == "rr-search-input"


# --- the real news sample (497 items): exact counts without downloading the reports' texts ---------

NEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "xwlb-sample"


@pytest.fixture(scope="module")
def news_served(tmp_path_factory):
    if not NEWS.is_dir():
        pytest.skip("needs ../shared/corpora/xwlb-sample")
    from conftest import captured_build, make_corpus

    root = tmp_path_factory.mktemp("news")
    with pytest.MonkeyPatch.context() as patch:
        # the bodies' names leave meta.json for bodies.json at a lower size than a site's: the
        # headlines name few bodies (test_real_texts), and that file is what the bodies test opens
        patch.setattr(search_index, "BODIES_INLINE", 40)
        build = captured_build(root, make_corpus(root / "corpus", sorted(NEWS.glob("*.txt"))))
    assert build.exit_code == 0, build.err
    with serve(build.site) as base:
        yield base, texts(build.site), build.site


def index_is_sure(site: Path, term: str) -> tuple[bool, int]:
    """Whether the built index knows ``term``'s reports exactly, and how many candidates it names."""
    root = site / search_index.INDEX_DIR
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))

    def value_of(key: str):
        return json.loads(search_index.read(root, "k", search_index.fnv1a(key) % meta["shards"])).get(key)

    found, exact = search_index.term_reports(search_index.normalize(term), value_of, meta["docs"], *meta["grams"])
    return exact, len(found)


@pytest.mark.parametrize("query", ["高质量", "习近平总书记", "新时代"])
def test_count_of_many_results_is_exact(browser, news_served, query):
    """More than 30 reports contain the query: the count is the number of reports whose text
    contains it. When the index is sure of the term, or names at most 30 candidates, it is
    given at once, with no 至多 and no 核对全部, before any text beyond the first screen's
    results is loaded; else it says 至多 until 核对全部 confirms every candidate. The list then
    holds exactly those reports."""
    base, reports, site = news_served
    expected = sorted(url for url, text in reports.items() if query in text)
    assert len(expected) > 30
    sure, candidates = index_is_sure(site, query)
    at_once = sure or candidates <= 30
    pg = browser.new_page()
    loaded = []
    pg.on("request", lambda r: loaded.append(r.url) if "/search/t/" in r.url else None)
    try:
        pg.goto(base)
        count = search_count(pg, query)
        if at_once:
            assert count == f"{len(expected)} 篇报告包含“{query}”"
            assert len(loaded) <= (10 if sure else 30), "the count needed no text beyond the first screen's"
            assert pg.locator("button[data-role='check']").is_hidden()
        else:
            assert count.startswith(f"至多 {candidates} 篇报告包含“{query}”")
            pg.click("button[data-role='check']")
            pg.wait_for_function(
                """t => document.querySelector('#rr-search-result .md-search-result__meta').textContent === t""",
                arg=f"{len(expected)} 篇报告包含“{query}”")
            count = meta_text(pg)
        while pg.locator(".rr-more__button").count():
            shown = pg.locator(".md-search-result__item[data-url]").count()
            pg.click(".rr-more__button")
            pg.wait_for_function("n => document.querySelectorAll('.md-search-result__item[data-url]').length > n",
                                 arg=shown)
        pg.wait_for_function(
            """() => [...document.querySelectorAll('#rr-search-result .md-search-result__item:not(.rr-more)')]
                     .every(li => li.classList.contains('rr-confirmed'))""")
        listed = pg.eval_on_selector_all("#rr-search-result .md-search-result__item[data-url]",
                                         "items => items.map(li => li.dataset.url)")
        assert sorted(listed) == expected
        assert meta_text(pg) == count
    finally:
        pg.close()


def search_count(pg, query: str) -> str:
    """The count line once the box has answered ``query`` (typed into the opened box)."""
    pg.keyboard.press("/")
    pg.wait_for_selector("#rr-search-input:focus")
    pg.keyboard.insert_text(query)
    pg.wait_for_function(
        """q => { const m = document.querySelector('#rr-search-result .md-search-result__meta').textContent;
                  return m.includes('“' + q + '”') && !m.includes('正在'); }""", arg=query)
    return meta_text(pg)


def test_bodies_from_their_own_file_filter_and_show(browser, news_served):
    """Many bodies (news_served's threshold): meta.json leaves them to bodies.json, which the box loads
    when the address (or the reader) filters by body; each result still shows its body."""
    base, reports, site = news_served
    meta = json.loads((site / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta.get("bodies") == "bodies.json"
    rows = [row for n in range(-(-meta["docs"] // meta["rows"]))
            for row in json.loads(search_index.read(site / "search", "d", n))]
    body_of = {row[0]: row[2] for row in rows}
    hits = [url for url, text in reports.items() if "发展" in text]
    body = max(set(body_of[u] for u in hits), key=lambda b: sum(body_of[u] == b for u in hits))
    expected = sorted(u for u in hits if body_of[u] == body)
    assert 1 < len(expected) < len(hits)
    pg = browser.new_page()
    try:
        pg.goto(base + "?" + urlencode({"q": "发展", "body": body}))
        pg.wait_for_function("n => document.querySelector('#rr-search-result .md-search-result__meta')"
                             ".textContent.startsWith(n + ' 篇')", arg=len(expected))
        pg.wait_for_selector("#rr-search-result .rr-confirmed")
        facts = pg.eval_on_selector_all("#rr-search-result .md-search-result__item[data-url] .rr-facts",
                                        "ps => ps.map(p => p.textContent)")
        assert facts and all(body in f for f in facts)
    finally:
        pg.close()
