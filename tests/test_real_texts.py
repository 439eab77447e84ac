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
    furniture = find_furniture(texts, settings.cleaning)
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
def test_a_headline_names_a_body_only_as_a_name(news):
    """A body named by a news headline is a name that stands in the headline, right before
    the verb of what it did: never a headline's column label or a clause cut at a character
    that ends names (科, 局, 乡: "【科学发展…", "叙利亚局势", "文明乡风")."""
    reports, _ = news
    named = [r for r in reports if r.organization]
    for report in named:
        assert re.fullmatch(r"[\u4e00-\u9fff（）()]+", report.organization), (report.title, report.organization)
        headline = re.sub(r"^(\[[^\]]*\]|【[^】]*】)+", "", report.title)
        assert headline.startswith(report.organization), (report.title, report.organization)
    # the news items are mostly headlines that name no issuing body
    assert len(named) < len(reports) / 5


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


# --- the provincial reports and congress resolutions in ../shared/real-texts -------------------

real_texts = sorted(REAL_TEXTS.glob("*.txt")) if REAL_TEXTS.is_dir() else []
needs_real_texts = pytest.mark.skipif(not real_texts, reason="../shared/real-texts is not present")


def _sources() -> dict[str, tuple[str, str, int]]:
    """file -> (genre, the body named in SOURCES.tsv, year), as the collector described each text."""
    result = {}
    for row in (REAL_TEXTS / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        name, *_, described = row.split("\t")
        m = re.match(r"(\S+) \((\S+?), (\d{4})", described)
        result[name] = (m.group(1), m.group(2), int(m.group(3)))
    return result


@needs_real_texts
def test_real_reports_title_body_year_date_speaker(settings):
    reports, texts = convert_all(real_texts, settings)
    described = _sources()
    for report, text in zip(reports, texts):
        genre, body, year = described[report.source_file]
        raw_lines = [line.strip(" \u3000#") for line in text.split("\n")]
        assert report.genre == genre, report.source_file
        assert report.year == year, report.source_file
        assert not report.title_composed and report.title.endswith(genre)
        assert any(report.title in line.replace(" ", "") or report.title == line for line in raw_lines)
        # the issuing body: the province's people's government, or its congress standing committee
        expected = body.replace("人大常委会", "人民代表大会常务委员会")
        if genre == "政府工作报告":
            expected += "人民政府"
        assert report.organizations == [expected], (report.source_file, report.organizations)
        assert report.organization == expected
        if genre == "政府工作报告":
            # the subtitle gives the day it was delivered and the session; the speaker line the speaker
            assert report.date_source == "text" and report.date.startswith(f"{year}-0")
            assert body in report.occasion and "人民代表大会" in report.occasion
            assert report.speaker and any(report.speaker in line for line in raw_lines[:40])
        # every numbered line starts a block: a heading, or — a provision of a decision (一、本市…，…。)
        # or a list item (（五）规定选举日期；) — a paragraph that holds the whole line, number and all
        numbered = [line for line in raw_lines if re.match(r"^(第[一二三四五六七八九十]{1,3}(部分|章)|[一二三四五六七八九十]{1,3}[、是])", line)]
        starts = [b.text for b in report.blocks]
        assert numbered, report.source_file
        assert all(any(start and (line.startswith(start) or start.startswith(line[:12])) for start in starts)
                   for line in numbered), report.source_file
        heads = [b.text for b in report.blocks if b.kind == "heading"]
        assert not [h for h in heads if h.endswith(("，", "；", ",", ";"))], report.source_file
        if genre == "政府工作报告":
            assert len(heads) >= 3, report.source_file


@needs_real_texts
def test_real_reports_keep_no_portal_furniture(settings):
    reports, _ = convert_all(real_texts, settings)
    furniture = re.compile(r"^(【?字[体号]|当前位置|您的位置|首页$|分享|打印|关闭|扫一扫|相关(报道|链接|文档|附件)|责任编辑|编辑[:：]|来源[:：])")
    for report in reports:
        left = [b.text for b in report.blocks if furniture.search(b.text)]
        assert not left, (report.source_file, left)
        captions = [b.text for b in report.blocks if re.search(r"记者\s*\S{2,4}\s*摄?$", b.text)]
        assert not captions, (report.source_file, captions)


# --- small committed excerpts of real laws (tests/fixtures/real, SOURCES.tsv says where from) ------

FIXTURES = Path(__file__).parent / "fixtures" / "real"


@pytest.mark.parametrize("name, body, date, doc_number", [
    ("law-state-council-regulation.txt", "国务院", "2003-08-05", "中华人民共和国国务院令第386号"),
    ("law-municipal-regulation.txt", "济南市人民代表大会常务委员会", "2011-11-25", ""),
])
def test_real_law_excerpts(settings, name, body, date, doc_number):
    raw = (FIXTURES / name).read_bytes()
    report = convert(Path(name).stem, name, raw, settings, frozenset())
    lines = raw.decode("utf-8").split("\n")
    assert report.title == lines[0].lstrip("# ").strip() and report.genre == "条例"
    assert report.organizations == [body]
    assert (report.date, report.date_source, report.year) == (date, "text", int(date[:4]))
    assert report.doc_number == doc_number
    chapters = [line.lstrip("# ").split()[0] for line in lines if line.startswith("## 第")]
    assert [h.text.split()[0] for h in report.headings] == chapters and chapters
    articles = [line for line in lines if re.match(r"第[一二三四五六七八九十]+条 ", line)]
    assert [b.text for b in report.blocks if b.style == "article"] == articles
    assert [b.anchor for b in report.blocks if b.style == "article"] == [f"art-{i}" for i in range(1, len(articles) + 1)]
    body_lines = [line for line in lines[1:] if line.strip() and not line.startswith(("#", "<!--"))]
    assert han("".join(body_lines)) == han("".join(b.text for b in report.blocks if b.kind == "paragraph"))
