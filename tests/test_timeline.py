"""Formulations over time on real news text: reports per year, first and last use, the
corpus' coverage, the chart on each entry page, the 时间线 page and the uses as CSV."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import data_json, data_uses
from reading_room import pipeline, timeline
from reading_room.index import normalise
from reading_room.render import md_escape

ROOT = Path(__file__).resolve().parent.parent
XWLB = ROOT.parent / "shared" / "corpora" / "xwlb-sample"
pytestmark = pytest.mark.skipif(not XWLB.is_dir(), reason="needs ../shared/corpora/xwlb-sample")


def _date(path: Path) -> str:
    """The item's own publication date, from its third line (YYYY-MM-DD HH:MM:SS source)."""
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    return re.match(r"\d{4}-\d\d-\d\d", lines[1]).group(0)


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    """Every 4th item of the news sample (all years), dated through catalog.yml, built to docs/."""
    root = tmp_path_factory.mktemp("news")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("boilerplate.yml", "metadata.yml", "slogans.yml"):
        shutil.copy2(ROOT / "corpus" / name, corpus / name)
    items = sorted(XWLB.glob("*.txt"))[::4]
    catalog = {}
    for path in items:
        shutil.copy2(path, corpus / path.name)
        catalog[path.name] = {"date": _date(path)}
    (corpus / "catalog.yml").write_text(yaml.safe_dump(catalog), encoding="utf-8")
    docs = root / "docs"
    generated = pipeline.generate(corpus, docs)
    return docs, items, generated


def test_corpus_coverage_counts_reports_per_year(news):
    docs, items, generated = news
    cover = json.loads((docs / "data" / "corpus.json").read_text(encoding="utf-8"))
    built = {r.source_file for r in generated.reports}
    expected = Counter(_date(p)[:4] for p in items if p.name in built)
    assert cover["by_year"] == dict(sorted(expected.items()))
    assert cover["reports"] == len(built)
    assert cover["first"] == min(_date(p) for p in items) and cover["last"] == max(_date(p) for p in items)


def test_reports_per_year_and_first_use_match_the_texts(news):
    docs, items, generated = news
    rows = {row["key"]: row for row in data_json(docs, "slogans.json")}
    allow = yaml.safe_load((ROOT / "corpus" / "slogans.yml").read_text(encoding="utf-8"))["allow"]
    checked = 0
    for key in allow:  # the curator's formulations: entries whenever they are used
        having = [p for p in items if key in p.read_text(encoding="utf-8").split("\n", 3)[-1]]
        if len(having) < 3:
            continue
        row = rows.get(normalise(key))
        assert row is not None, key
        raw = Counter(_date(p)[:4] for p in having)
        counted = {y: v["reports"] for y, v in row["by_year"].items()}
        for year, n in raw.items():  # word boundaries may drop a use inside a longer word
            assert 0.8 * n <= counted.get(year, 0) <= n, (key, year, counted, raw)
        assert row["first_seen"] == min(_date(p) for p in having)
        assert row["last_seen"] == max(_date(p) for p in having)
        checked += 1
    assert checked >= 4


def test_entry_pages_show_a_chart_with_its_table(news):
    docs, items, generated = news
    top = generated.slogans.entries[0]
    page = (docs / "slogans" / top.slug / "index.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg class=\"rr-chart\".*?</svg>", page, re.S).group(0)
    years = timeline.years_span(timeline.coverage({r.id: r for r in generated.reports}.values()))
    time = timeline.entry_time(top, {r.id: r for r in generated.reports})
    bars = re.findall(r"<title>(\d{4})：(\d+) 篇", svg)
    assert {y: int(n) for y, n in bars} == {y: v["reports"] for y, v in time["by_year"].items() if y in years}
    assert "首见" in svg and "语料中首见" in page and "<summary>数据表</summary>" in page
    assert len(svg.encode("utf-8")) < 12_000, "the chart stays light"


def test_timeline_page_lists_first_appearances(news):
    docs, items, generated = news
    page = (docs / "slogans" / "timeline.md").read_text(encoding="utf-8")
    times = {e.key: timeline.entry_time(e, {r.id: r for r in generated.reports}) for e in generated.slogans.entries}
    for entry in generated.slogans.entries[:20]:
        year = times[entry.key]["first_seen"][:4]
        section = page.split(f"## {year} 年")[1].split("\n## ")[0]
        # a link whose text is the entry's name (an <a>: the entry pages are written as HTML)
        assert f">{md_escape(entry.display)}</a>" in section, (entry.display, year)


def test_uses_csv_has_every_use_with_body_and_date(news):
    docs, items, generated = news
    entry = generated.slogans.entries[0]
    rows = data_uses(docs)[entry.key]
    assert len(rows) == len(entry.uses)
    assert all(row["match"] and normalise(row["match"]) == entry.key for row in rows)
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)


def test_a_year_with_one_use_beside_a_peak_keeps_a_bar():
    cover = {"by_year": {str(y): 5000 for y in range(2012, 2027)}}
    time = {"by_year": {"2013": {"reports": 1000, "uses": 1000}, "2020": {"reports": 1, "uses": 1}},
            "first_seen": "2013-01-01", "last_seen": "2020-05-01"}
    bars = re.findall(r'<rect x="\d+" y="(\d+)" width="\d+" height="(\d+)"><title>(\d{4})：', timeline.chart("x", time, cover))
    assert {year: int(height) for _, height, year in bars} == {"2013": 132, "2020": 1}
    assert all(int(y) + int(height) == 146 for y, height, _ in bars)  # every bar stands on the axis
