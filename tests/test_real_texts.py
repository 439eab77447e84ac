"""Real texts from other sources, read right: regression suite over texts nobody here wrote.

The texts are read from ../shared (never committed); each test is skipped when it is absent.
Expected values are read from the texts' own structure (a news item's first line is its title,
its publication-time line its date), never copied from a run.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REAL_TEXTS, han
from reading_room.clean import find_furniture
from reading_room.decode import decode_bytes
from reading_room.report import convert

NEWS = REAL_TEXTS.parent / "corpora" / "xwlb-sample"
news_items = sorted(NEWS.glob("*.txt")) if NEWS.is_dir() else []
needs_news = pytest.mark.skipif(not news_items, reason="../shared/corpora/xwlb-sample is not present")
_POSTED = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) \d{2}:\d{2}:\d{2} (\S+)$")


def convert_all(paths: list[Path], settings):
    """Convert files as the build does: furniture found across all of them."""
    raws = [p.read_bytes() for p in paths]
    texts = [decode_bytes(raw).text for raw in raws]
    furniture = find_furniture(texts, settings.cleaning.furniture)
    return [convert(p.stem, p.name, raw, settings, furniture) for p, raw in zip(paths, raws)], texts


@pytest.fixture(scope="module")
def news(settings):
    return convert_all(news_items, settings)


@needs_news
def test_news_items_title_date_year_and_source(news):
    reports, texts = news
    assert len(reports) == len(news_items) >= 400
    for report, text in zip(reports, texts):
        lines = text.split("\n")
        posted = _POSTED.match(lines[2])
        assert posted, report.source_file  # the sample's own shape: title, blank, time and source
        # the title is the item's first line as written: [视频] kept, the spaces between clauses kept
        assert report.title == lines[0].strip(), report.source_file
        assert report.date == "-".join(posted.group(1, 2, 3)), report.source_file
        assert report.date_source == "posting time"
        # the item's year is the broadcast's, never a year named in the title
        assert report.year == int(posted.group(1)), (report.source_file, report.title)
        assert report.source == posted.group(4)


@needs_news
def test_news_items_lose_no_body_line(news):
    reports, texts = news
    for report, text in zip(reports, texts):
        lines = text.split("\n")
        removed = [r for r in report.removed if r.action != "repaired"]
        # only the publication line is taken (into date and source); title and body stay
        assert [r.line for r in removed] == [3], (report.source_file, removed)
        body = [line for line in lines[4:] if line.strip()]
        assert han("".join(body)) == han("".join(b.text for b in report.blocks)), report.source_file


@needs_news
def test_a_title_repeated_across_days_is_a_title(news):
    reports, _ = news
    titles = [r.title for r in reports]
    repeated = {t for t in titles if titles.count(t) >= 3}
    assert repeated  # e.g. the daily round-up's fixed title
    for report in reports:
        if report.title in repeated:
            assert not any(r.rule == "repeated-across-reports" for r in report.removed)
