"""Metadata: title, year, issuing body, genre, date and source; catalog.yml overrides."""
from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import CORPUS
from reading_room.metadata import genre_of, organization_of, read_metadata
from reading_room.report import convert

SPEECH = "2023-police-party-committee-political-training-speech.txt"


def _convert(settings, name, raw, catalog=None):
    if catalog is not None:
        settings = dataclasses.replace(settings, catalog=catalog)
    return convert("x", name, raw, settings, frozenset())


@pytest.mark.parametrize("source_file", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_sample_titles_are_the_reports_own_title_line(settings, source_file):
    raw = (CORPUS / source_file).read_bytes()
    report = _convert(settings, source_file, raw, catalog={})
    lines = [l.strip() for l in raw.decode("utf-8").split("\n")]
    assert report.title in lines  # a line of the file, unchanged
    assert not re.search(r"当前位置|首页|精选文档|小编|仅供|[>›]", report.title)
    # the year in the file name is the report's year; the genre word ends the title
    assert report.year == int(source_file[:4])
    assert report.genre and report.title.endswith(("总结", "发言", "讲话", "报告"))
    assert report.genre in ("总结", "发言")
    assert report.title not in [b.text for b in report.blocks]  # the title is not repeated as text


def test_speech_metadata_from_its_byline_and_catalog(sample_build):
    speech = sample_build.report(SPEECH)
    byline = next(l for l in (CORPUS / SPEECH).read_text(encoding="utf-8").split("\n") if "来源" in l)
    assert speech["date"] == re.search(r"\d{4}-\d{2}-\d{2}", byline).group(0)
    assert speech["source"] and speech["source"] in byline
    assert speech["genre"] == "发言"
    assert speech["organization"] == "**市公安局党委"  # set in corpus/catalog.yml


def test_sample_organizations_come_from_the_title(sample_build):
    for report in sample_build.reports:
        if report["source_file"] == SPEECH:
            continue
        title = re.sub(r"^\d{4}年度?", "", report["title"])
        assert report["organization"] and title.startswith(report["organization"])


@pytest.mark.parametrize("title, genre", [
    ("某县市场监管局2022年度党建工作总结", "总结"),
    ("在全县党建工作会议上的讲话", "讲话"),
    ("在全市组织工作会议上的发言", "发言"),
    ("县委书记2021年度述职述廉报告", "述职"),
    ("2023年度个人述职报告", "述职"),
    ("2026年某省政府工作报告", "政府工作报告"),
    ("在中国共产党某省第十二次代表大会上的报告", "党代会报告"),
    ("国务院关于印发《某某规划》的通知", "通知"),  # 《…》 names a cited document
    ("中华人民共和国仲裁法（2025修订）", "法律"),
    ("依法治国的若干问题", ""),
    ("某市2021年国民经济和社会发展统计公报", "公报"),
    ("某局党组关于2021年度工作的报告", "报告"),
    ("某县人大常委会关于加强生态保护的决议", "决议"),
    ("学习党的二十大精神心得体会", "心得体会"),
])
def test_genres(settings, title, genre):
    assert genre_of(title, settings.metadata) == genre


@pytest.mark.parametrize("title, organization", [
    ("某县市场监管局2022年度党建工作总结", "某县市场监管局"),
    ("2026年某省人民政府工作报告", "某省人民政府"),
    ("某局党组关于2021年度工作的报告", "某局党组"),
    ("某县人大常委会关于加强生态保护的决议", "某县人大常委会"),
    ("县委书记2021年度述职述廉报告", "县委"),
    ("X（直属单位）2020年上半年党建工作总结", "X（直属单位）"),
    ("某某街道2021年工作计划", "某某街道"),
    ("在全县党建工作会议上的讲话", ""),  # 全县: the whole county, not a body
    ("某某同志在市委全会上的讲话", ""),  # a person at a meeting
    ("学习党的二十大精神心得体会", ""),
])
def test_organizations(settings, title, organization):
    assert organization_of(title, settings.metadata) == organization


PAGE = "\n".join([
    "当前位置：首页 > 工作总结 > 述职报告",
    "发布时间：2022-12-30 09:15:00 来源：县委组织部",
    "下面是小编整理的某县市场监管局2022年度述职报告(精选文档)，供大家参考。",
    "某县市场监管局2022年度述职报告(精选文档)",
    "某县市场监管局2022年度述职报告",
    "一、主要工作",
    "一年来，局党组坚持以党的政治建设为统领，扎实推进机关党建各项任务。",
])


def test_invented_page_title_is_not_the_breadcrumb_or_the_advert_copy(settings):
    report = _convert(settings, "page.txt", PAGE.encode("gb18030"), catalog={})
    assert report.title == "某县市场监管局2022年度述职报告"
    assert (report.year, report.organization, report.genre) == (2022, "某县市场监管局", "述职")
    assert (report.date, report.source) == ("2022-12-30", "县委组织部")
    assert report.encoding == "gb18030"


def test_year_from_the_date_when_the_title_has_none(settings):
    text = "在全县党建工作会议上的讲话\n时间：2021-06-30\n同志们：\n今天我们召开会议。"
    report = _convert(settings, "speech.txt", text.encode("utf-8"), catalog={})
    assert report.year == 2021 and report.date == "2021-06-30"


def test_no_title_line_falls_back_to_the_file_name_with_a_warning(settings):
    text = "一年来，局党组坚持以党的政治建设为统领，扎实推进机关党建各项任务，取得明显成效。"
    report = _convert(settings, "untitled-report.txt", text.encode("utf-8"), catalog={})
    assert report.title == "untitled-report"
    assert any("title" in w for w in report.warnings)


@pytest.mark.parametrize("field, value, expected", [
    ("title", "某县市场监管局2022年度述职报告", "某县市场监管局2022年度述职报告"),
    ("year", "2019", 2019),
    ("year", 2020, 2020),
    ("organization", "某县市场监督管理局党组", "某县市场监督管理局党组"),
    ("genre", "汇报", "汇报"),
    ("date", "2023-01-05", "2023-01-05"),
    ("source", "县政府网站", "县政府网站"),
])
def test_catalog_overrides_any_field(settings, field, value, expected):
    report = _convert(settings, "page.txt", PAGE.encode("utf-8"), catalog={"page.txt": {field: value}})
    assert getattr(report, field) == expected
    assert report.overridden == [field]


def test_catalog_title_that_is_a_line_removes_that_line_from_the_body(settings):
    catalog = {"page.txt": {"title": "一、主要工作"}}
    report = _convert(settings, "page.txt", PAGE.encode("utf-8"), catalog=catalog)
    assert report.title == "一、主要工作"
    assert "一、主要工作" not in [b.text for b in report.blocks]


def test_catalog_override_by_relative_path(settings):
    report = convert("x", "sub/page.txt", PAGE.encode("utf-8"),
                     dataclasses.replace(settings, catalog={"sub/page.txt": {"genre": "总结"}}), frozenset())
    assert report.genre == "总结"


def test_real_catalog_override_is_applied_in_the_build(sample_build):
    import yaml
    catalog = yaml.safe_load((CORPUS / "catalog.yml").read_text(encoding="utf-8")) or {}
    for source_file, fields in catalog.items():
        report = sample_build.report(source_file)
        for key, value in fields.items():
            assert report[key] == (int(value) if key == "year" else value)


def test_read_metadata_directly_prefers_a_line_with_a_genre_word(settings):
    lines = ["各位同志：", "某县2021年工作总结", "一、主要工作"]
    meta = read_metadata(lines, {}, settings.metadata)
    assert meta.title == "某县2021年工作总结" and meta.title_line == 1
