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


def synthetic_reports(n: int, bodies: int = 1, genres: int = 1) -> list:
    """``n`` short reports over ten years (by default all of one body and one genre, as the
    news corpus), each with a few common words (in most reports) and a rare one (in a few)."""
    import random

    from reading_room.outline import Block
    from reading_room.report import Report

    rng = random.Random(n)
    words = ["发展", "改革", "高质量发展", "乡村振兴", "党的建设", "人民群众", "创新驱动", "生态文明"]
    reports = []
    for i in range(n):
        lines = ["、".join(rng.sample(words, 4)) + f"第{i}号。", f"罕见词{i % 97 if i < 1500 else 99}。"]
        blocks = [Block("paragraph", t, anchor=f"p-{k}", ordinal=k + 1) for k, t in enumerate(lines)]
        reports.append(Report(id=f"r{i:05}", source_file=f"r{i:05}.txt", encoding="utf-8", sha256="0" * 64,
                              size=1, title=f"某某单位{rng.randrange(1000)}年度工作总结第{i}号", year=2015 + i % 10,
                              organization=f"第{rng.randrange(bodies)}机关", genre=f"体裁{rng.randrange(genres)}",
                              date="", source="", blocks=blocks, removed=[]))
    return reports


def index_at(tmp_path, n: int, **kw) -> Path:
    from reading_room import search

    site = tmp_path / f"{n}-{sorted(kw.items())}"
    for path, data in search.index_files(synthetic_reports(n, **kw)).items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    return site


QUERIES = ("发展", "高质量", "乡村振兴", "罕见词5")


def test_one_search_does_not_grow_with_the_corpus(tmp_path):
    """Issue 12: what one search downloads (the index's files; the home page does not grow with
    the corpus either), the largest over a few queries, at 4N reports is within a small factor
    of what it is at N. What grows: the report sets of common keys (one bit per report) and how
    many distinct shards a query's keys fall in (few shards at small N)."""
    small, large = index_at(tmp_path, 2000), index_at(tmp_path, 8000)
    assert max(bench.search_bytes(large, q) for q in QUERIES) <= 1.5 * max(bench.search_bytes(small, q) for q in QUERIES)
    # the old layout's meta.json listed every report: 2000 reports of these titles alone were 130 KB
    assert (small / "search" / "meta.json").stat().st_size < 2000


def test_varied_filter_values_cost_a_few_bits_per_report(tmp_path):
    """Where bodies and genres vary from report to report, meta.json holds each report's value
    numbers packed in as few bits as they need: 40 bodies and 4 genres, 8 bits (base64: 1.33 bytes)."""
    site = index_at(tmp_path, 8000, bodies=40, genres=4)
    assert (site / "search" / "meta.json").stat().st_size < 8000 * 8 / 6 + 2000


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
