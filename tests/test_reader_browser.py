"""The reader's experience in headless Chromium: a phone's outline, accessibility (axe-core),
the 404 page under a sub-path, the data page and the downloads made in the browser (a report's
plain text, one formulation's uses, a compressed file saved unpacked).

The sample site (conftest's ``sample_build``) is served on 127.0.0.1, at the root and
under /sub/ as a GitHub Pages project site is.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import pytest

from browsing import CHROMIUM, QuietHandler, RangeHandler, serve
from conftest import captured_build, data_json, data_uses, make_corpus, sample_files

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): .ci/run installs it",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
REPORT = "reports/2019-county-police-bureau-party-building-summary/"


class _SubPath(QuietHandler):
    """A GitHub Pages project site: the site under /sub/, its 404.html for anything missing."""
    prefix = "/sub/"

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_under_sub_path(folder: Path):
    return serve(folder, _SubPath, _SubPath.prefix)


@pytest.fixture(scope="module")
def served(sample_build):
    """The sample site under /sub/, as a GitHub Pages project site is served."""
    with serve_under_sub_path(sample_build.site) as base:
        yield base


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    assert not pg.errors, f"script errors: {pg.errors}"
    context.close()


def test_a_phone_reaches_every_section_of_a_report_from_its_outline(phone, served, sample_build):
    phone.goto(served + REPORT)
    headings = [h["anchor"] for h in sample_build.report(REPORT.split("/")[1] + ".txt")["headings"]]
    assert len(headings) > 5
    summary = phone.locator(".rr-outline summary")
    assert summary.is_visible() and summary.text_content().strip() == "目录"
    links = phone.locator(".rr-outline nav a")
    assert [a.get_attribute("href") for a in links.all()] == [f"#{h}" for h in headings]
    for anchor in headings:
        summary.click()
        phone.locator(f".rr-outline nav a[href='#{anchor}']").click()
        phone.wait_for_function("a => location.hash === '#' + a", arg=anchor)
        box = phone.locator(f"[id='{anchor}']").bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["viewport"]["height"], anchor
        assert not phone.evaluate("document.querySelector('.rr-outline').open")


def test_the_outline_control_is_a_phone_thing(browser, served, sample_build):
    """On a desktop the 目录 control is hidden and the theme's sidebar shows the outline, made in
    the browser from the page's one copy of it: every heading, nested as the headings are, and
    followed by the theme as the reader scrolls (its current section marked)."""
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        pg.goto(served + REPORT)
        assert not pg.locator(".rr-outline").is_visible()
        headings = sample_build.report(REPORT.split("/")[1] + ".txt")["headings"]
        links = pg.locator(".md-sidebar--secondary .md-nav__link")
        assert [a.get_attribute("href") for a in links.all()] == [f"#{h['anchor']}" for h in headings]
        assert links.first.is_visible()
        depths = pg.eval_on_selector_all(".md-sidebar--secondary .md-nav__link",
                                         "as => as.map(a => { let d = 0; for (let e = a; e; e = e.parentElement) "
                                         "if (e.tagName === 'UL') d++; return d; })")
        phone = pg.eval_on_selector_all(".rr-outline nav a",
                                        "as => as.map(a => { let d = 0; for (let e = a; e; e = e.parentElement) "
                                        "if (e.tagName === 'OL') d++; return d; })")
        assert depths == phone and max(depths) > 1
        last = headings[-1]["anchor"]
        pg.locator(f"[id='{last}']").scroll_into_view_if_needed()
        pg.wait_for_selector(f".md-sidebar--secondary .md-nav__link--active[href='#{last}']")
        # the back-to-top button (from rr-chrome.js) shows once the reader scrolls back up, and works
        assert pg.locator("main.md-main > .md-top").count() == 1
        pg.mouse.wheel(0, -200)
        pg.wait_for_selector(".md-top", state="visible")
        pg.click(".md-top")
        pg.wait_for_function("scrollY === 0")
    finally:
        pg.close()


AXE_PAGES = ["", REPORT, "slogans/si-ge-yi-shi/", "slogans/", "years/2020/", "cleaning/", "?q=三会一课 堡垒"]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(browser, served, size):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed")
    context = browser.new_context(**(PHONE if size == "phone" else {"viewport": {"width": 1280, "height": 900}}))
    pg = context.new_page()
    try:
        problems = []
        for url in AXE_PAGES:
            pg.goto(served + url)
            if "?q=" in url:
                pg.wait_for_function("""() => document.querySelector('#rr-search-result .rr-confirmed') &&
                    [...document.querySelectorAll('#rr-search-result .md-search-result__item:not(.rr-more)')]
                    .every(li => li.classList.contains('rr-confirmed'))""")
            # colours are judged at rest: a panel still fading in would be judged half transparent
            pg.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
            pg.wait_for_load_state("networkidle")
            results = axe.Axe().run(pg)
            for v in results.response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    problems.append(f"{url or 'home'}: {v['id']} ({v['impact']}): "
                                    + "; ".join(n["target"][0] for n in v["nodes"][:5]))
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def check_404(pg, base: str) -> None:
    response = pg.goto(base + "no/such/page/")
    assert response.status == 404
    assert pg.locator("h1").text_content().strip() == "404 找不到这个页面"
    assert pg.evaluate("document.documentElement.lang") == "zh"
    # styled: the site's red header, and no image (a missing stylesheet once made the logo huge)
    assert pg.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(198, 40, 40)"
    assert pg.locator("img, svg").count() == 0
    pg.wait_for_function("b => document.querySelector('nav a[data-path=\"years/\"]').href === b + 'years/'", arg=base)
    hrefs = pg.eval_on_selector_all("a[data-path]", "as => as.map(a => a.href)")
    assert base in hrefs and base + "slogans/" in hrefs
    for href in hrefs:
        assert pg.request.get(href).status == 200, href
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    serious = [v["id"] for v in axe.Axe().run(pg).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious
    pg.fill("#rr-q", "三会一课")
    pg.press("#rr-q", "Enter")
    pg.wait_for_selector("#rr-search-result .rr-confirmed")
    assert pg.url.startswith(base + "?q=")


def test_404_is_chinese_and_styled_with_working_links_under_a_sub_path(browser, sample_build):
    pg = browser.new_page()
    try:
        with serve_under_sub_path(sample_build.site) as base:
            check_404(pg, base)
    finally:
        pg.close()


def test_links_to_an_entrys_old_or_new_place_find_it(browser, sample_build):
    """An entry found in one report only is a section of a shared page: a link to the page of
    its own it once had (any site before, or a page since removed) lands on its section; a link
    to its section, once it is found in more reports and has its own page, lands there."""
    rows = data_json(sample_build.site, "slogans.json")
    once = next(r for r in rows if r["reports"] == 1)
    own = next(r for r in rows if r["reports"] > 1)
    page, _, slug = once["url"].partition("#")
    pg = browser.new_page()
    try:
        with serve_under_sub_path(sample_build.site) as base:
            pg.goto(base + f"slogans/{slug}/")
            pg.wait_for_url(base + once["url"])
            assert pg.locator(f"[id='{slug}']").is_visible()
            pg.goto(base + page + "#" + own["url"].split("/")[1])
            pg.wait_for_url(base + own["url"])
            assert pg.locator("h1").text_content().startswith(own["slogan"])
            pg.goto(base + "slogans/no-such-entry/")  # not an entry: the 404 page stays
            pg.wait_for_timeout(500)
            assert pg.locator("h1").text_content().strip() == "404 找不到这个页面"
    finally:
        pg.close()


def test_404_with_site_url_set(browser, sample_build, tmp_path):
    """With `site_url`, the links come from its path, with no looking around."""
    import subprocess
    import sys

    import yaml

    config = yaml.safe_load(sample_build.config.read_text(encoding="utf-8"))
    config["site_url"] = "https://example.org/sub/"
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(path), "-d", str(site)], check=True)
    page = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/sub/years/"' in page
    pg = browser.new_page()
    probes = []
    pg.on("request", lambda r: probes.append(r.url) if "reading-room.css" in r.url else None)
    try:
        with serve_under_sub_path(site) as base:
            check_404(pg, base)
        assert not any("/no/" in url for url in probes)
    finally:
        pg.close()


def test_data_page_and_its_downloads_are_reached_from_the_site(browser, served):
    pg = browser.new_page(accept_downloads=True)
    try:
        pg.goto(served)
        pg.click(".md-tabs a:text-is('数据')")
        pg.wait_for_url("**/data/")
        assert pg.locator("h1").text_content().startswith("数据下载")
        for name in ("reports.csv", "reports.json.gz", "texts.jsonl.gz", "slogans.csv.gz", "slogans.json.gz"):
            href = pg.locator(f"a[href='{name}']").first.evaluate("a => a.href")
            assert pg.request.get(href).status == 200, name
        packed = pg.request.get(served + "data/slogans.csv.gz").body()
        header = gzip.decompress(packed).decode("utf-8-sig").splitlines()[0].split(",")
        assert {"title", "year", "organization"} <= set(header)
        assert pg.request.get(served + "data/reports.csv").text().lstrip("\ufeff").startswith("id,title,year,")
        # slogans.csv, kept compressed, is saved unpacked: the file a spreadsheet opens
        with pg.expect_download() as saved:
            pg.click("a[data-gunzip='slogans.csv']")
        assert saved.value.suggested_filename == "slogans.csv"
        unpacked = Path(saved.value.path()).read_bytes()
        assert unpacked == gzip.decompress(packed)
        assert unpacked.decode("utf-8").lstrip("\ufeff").startswith("slogan,key,")
    finally:
        pg.close()


def test_a_reports_plain_text_is_its_page_as_in_texts_jsonl(browser, served, sample_build):
    """纯文本 on a report page saves <id>.txt made from the page: the same text as the report's
    line of data/texts.jsonl.gz (the one stored copy)."""
    lines = gzip.decompress((sample_build.site / "data" / "texts.jsonl.gz").read_bytes()).decode("utf-8")
    texts = {item["id"]: item["text"] for item in map(json.loads, lines.splitlines())}
    pg = browser.new_page(accept_downloads=True)
    try:
        for report in sample_build.reports:
            pg.goto(served + report["url"])
            with pg.expect_download() as saved:
                pg.click("a[data-plain-text]")
            assert saved.value.suggested_filename == report["id"] + ".txt"
            assert Path(saved.value.path()).read_text(encoding="utf-8") == texts[report["id"]], report["id"]
    finally:
        pg.close()


def test_a_reports_source_file_is_saved_as_it_came(browser, served, sample_build):
    """下载原文 on a report page: the site keeps the file compressed (raw/<id>.txt.gz); the
    reader gets the source file itself, under its own name, byte for byte."""
    pg = browser.new_page(accept_downloads=True)
    try:
        for report in sample_build.reports:
            pg.goto(served + report["url"])
            with pg.expect_download() as saved:
                pg.locator(".report-meta a[data-gunzip]").click()
            name = report["source_file"].rsplit("/", 1)[-1]
            assert saved.value.suggested_filename == name
            source = (sample_build.corpus / report["source_file"]).read_bytes()
            assert Path(saved.value.path()).read_bytes() == source, report["id"]
    finally:
        pg.close()


@pytest.mark.parametrize("handler", [RangeHandler, QuietHandler], ids=["range", "whole-file"])
def test_an_entrys_uses_download_is_its_rows_of_slogans_csv(browser, sample_build, handler):
    """下载全部使用（CSV） on an entry page saves <slug>.csv: the header and the rows of
    slogans.csv.gz with the entry's key, whether the host answers the Range request for the
    member that holds them or sends the whole file."""
    folder = sample_build.site / "data"
    every = list(csv.reader(io.StringIO(gzip.decompress((folder / "slogans.csv.gz").read_bytes()).decode("utf-8-sig"))))
    entries = data_json(sample_build.site, "slogans.json")
    RangeHandler.ranges.clear()
    with serve(sample_build.site, handler) as base:
        pg = browser.new_page(accept_downloads=True)
        try:
            once = next(e for e in entries if e["reports"] == 1)  # a section of a shared page
            for entry in (entries[0], entries[len(entries) // 2], entries[-1], once):
                page, _, section = entry["url"].partition("#")
                slug = section or page.strip("/").split("/")[-1]
                pg.goto(base + entry["url"])
                with pg.expect_download() as saved:
                    pg.click((f"[id='{section}'] + p " if section else "") + "a:text('下载全部使用（CSV）')")
                assert saved.value.suggested_filename == slug + ".csv"
                rows = list(csv.reader(io.StringIO(Path(saved.value.path()).read_bytes().decode("utf-8-sig"))))
                assert rows[0] == every[0]
                assert rows[1:] == [r for r in every[1:] if r[1] == entry["key"]] and len(rows) - 1 == entry["uses"]
        finally:
            pg.close()
    assert bool(RangeHandler.ranges) == (handler is RangeHandler)


@pytest.fixture(scope="module")
def few_uses_build(tmp_path_factory):
    """The sample corpus with a curator's ``uses_per_page: 3`` (corpus/slogans.yml): entries with
    more uses than their page shows as it opens."""
    root = tmp_path_factory.mktemp("few-uses")
    corpus = make_corpus(root / "corpus", sample_files())
    settings = corpus / "slogans.yml"
    text = settings.read_text(encoding="utf-8")
    assert "\nuses_per_page:" in text
    settings.write_text(re.sub(r"\nuses_per_page: *\d+", "\nuses_per_page: 3", text), encoding="utf-8")
    build = captured_build(root, corpus)
    assert build.exit_code == 0, build.err
    return build


def test_an_entry_page_shows_its_first_uses_then_the_rest_from_its_csv_rows(browser, few_uses_build):
    """An entry page carries its first uses; 显示其余 adds every other one, numbered on, in the
    order of its CSV rows, each with its context and a link to its paragraph; an address naming a
    use beyond the first (#u5) shows it; an old address of a page 2 of uses lands there too."""
    site = few_uses_build.site
    rows = {row["key"]: row for row in data_json(site, "slogans.json")}
    uses = data_uses(site)
    key = max((k for k in rows if rows[k]["reports"] > 1), key=lambda k: len(uses[k]))
    mine, url = uses[key], rows[key]["url"]
    assert len(mine) >= 6, key
    html = (site / url / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<li id="u\d+"', html)) == 3
    with serve_under_sub_path(site) as base:
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        try:
            pg.goto(base + url)
            pg.click(f"a:text('显示其余 {len(mine) - 3} 处使用')")
            pg.wait_for_function("n => document.querySelectorAll('ol.kwic li').length === n", arg=len(mine))
            lines = pg.eval_on_selector_all("ol.kwic li", """els => els.map(li => ({
                id: li.id, bare: li.classList.contains('bare'), text: li.childNodes.length && [...li.childNodes]
                  .filter(n => n.nodeName !== 'A' && n.nodeName !== 'SMALL' && n.nodeName !== 'BR')
                  .map(n => n.textContent).join(''), href: li.querySelector('a').href }))""")
            assert [line["id"] for line in lines] == [f"u{n}" for n in range(1, len(mine) + 1)]
            for line, use in zip(lines, mine):
                assert line["text"].rstrip(" ") == f"…{use['left']}{use['match']}{use['right']}…"
                assert line["bare"] == (not use["quoted"])
                assert line["href"] == base + use["url"]
            target = mine[4]["url"].split("#")  # the paragraph a line links to is on its report's page
            pg.goto(base + target[0])
            assert pg.locator(f"[id='{target[1]}']").count() == 1
            for address in (url + "#u5", url + "2/#u5"):  # the second is an old page 2 of uses
                pg.goto(base + address)
                pg.wait_for_url(base + url + "#u5")
                pg.wait_for_selector("#u5")
                box = pg.locator("#u5").bounding_box()
                assert 0 <= box["y"] < 900, address
        finally:
            pg.close()
    assert not errors, errors


def test_on_a_phone_the_search_opens_from_the_keyboard_and_esc_returns_to_the_magnifier(phone, served):
    phone.goto(served + REPORT)
    phone.focus("label.md-header__button[for='__search']")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("#rr-search-input:focus")
    phone.keyboard.insert_text("三会一课")
    phone.wait_for_selector("#rr-search-result .rr-confirmed")
    for _ in range(12):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.matches('.md-search-result__link')"):
            break
    assert phone.evaluate("document.activeElement.matches('.md-search-result__link')")
    phone.keyboard.press("Escape")
    assert not phone.evaluate("document.getElementById('__search').checked")
    assert phone.evaluate("document.activeElement.matches(\"label[for='__search']\")")
