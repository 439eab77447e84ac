"""bench/run.py's figures of issue 12, checked against what they define.

"Home + one search" is computed from the site's files the way docs/assets/search.js fetches
them; here headless Chromium opens the home page with a cold cache, runs the query in the box,
and the files it received must be exactly those, byte for byte.
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browsing import CHROMIUM, serve

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run as bench  # noqa: E402


def test_site_parts_add_up_to_the_site(sample_build):
    site = sample_build.site
    parts = bench.site_parts(site)
    assert sum(parts.values()) == bench.du(site)
    assert {"reports/", "search/", "assets/", "(root)"} <= set(parts)
    assert bench.text_bytes(sample_build.corpus)[0] == len(sample_build.reports)


def test_text_is_the_corpus_decoded_as_utf8(tmp_path):
    text = "二〇二一年党支部工作总结\n\n一、主要做法\n　　落实“三会一课”制度。\n"
    for name, codec in (("a.txt", "utf-16"), ("b.txt", "gb18030"), ("c.txt", "utf-8-sig")):
        (tmp_path / name).write_bytes(text.encode(codec))
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))  # skipped, as the build does
    assert bench.text_bytes(tmp_path) == (3, 3 * len(text.encode("utf-8")))


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)")
@pytest.mark.parametrize("query", ["三会一课", "党建", "初心"])
def test_home_and_one_search_is_what_the_browser_receives(browser, sample_build, query):
    site = sample_build.site
    expected = {p.resolve(): p.stat().st_size
                for p in bench.home_files(site) + bench.search_files(site, query)}
    with serve(site) as base:
        context = browser.new_context()
        page = context.new_page()
        responses = []
        page.on("response", lambda r: responses.append(r))
        page.goto(base)
        page.keyboard.press("/")
        page.wait_for_selector("#rr-search-input:focus")
        page.keyboard.insert_text(query)
        page.wait_for_function(
            """q => document.querySelector('#rr-search-result .md-search-result__meta').textContent
                    .includes('“' + q + '”')""", arg=query)
        page.wait_for_function(
            """() => [...document.querySelectorAll('#rr-search-result .md-search-result__item:not(.rr-more)')]
                     .every(li => li.classList.contains('rr-confirmed'))""")
        page.wait_for_load_state("networkidle")
        received = {}
        for r in responses:
            path = unquote(urlsplit(r.url).path).lstrip("/")
            target = (site / path / "index.html") if path.endswith("/") or not path else site / path
            received[target.resolve()] = len(r.body())
        context.close()
    assert received == expected
