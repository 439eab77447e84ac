"""Metadata: title, year, issuing body, genre, date and source; catalog.yml overrides."""
from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import CORPUS
from reading_room.metadata import genre_of, organization_of, organizations_of_title, read_metadata
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


def test_where_the_year_came_from_is_recorded_and_shown(sample_build):
    """An undated report's year is read from its title (or its first lines): reports.json says
    which, and its page says so beside the year; a dated report's year is its date's."""
    for report in sample_build.reports:
        page = sample_build.html(report["id"])
        if str(report["year"]) in report["title"] and not report["date"]:
            assert report["year_source"] == "title"
            assert "年份据标题 · " in page
        elif report["year_source"] == "date":
            assert report["date"].startswith(str(report["year"])) and "年份据" not in page
    assert {r["year_source"] for r in sample_build.reports} >= {"title"}


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
    ("香港特別行政區行政長官2013年施政報告", "施政报告"),
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
    # news headlines: a body only right before an issuing verb; a column label is not a name
    ("[视频]国务院办公厅印发《关于成立联合工作组的通知》", "国务院办公厅"),
    ("[视频]中共中央政治局召开会议 审议通过《国家安全战略纲要》", "中共中央政治局"),
    ("[视频]李克强主持召开国务院常务会议", ""),
    ("[视频]海军三大舰队实兵实弹演习南海举行", ""),
    ("[视频]【科学发展 成就辉煌】就业增长超预期 中西部拉动强劲", ""),
    ("[视频]内蒙古：创新乡土文化 惠及各族群众", ""),
    ("[视频]关注叙利亚局势", ""),
    ("粤港澳大湾区建设正在有序推进", ""),  # 正在 is not a topic's 在
])
def test_organizations(settings, title, organization):
    assert organization_of(title, settings.metadata) == organization


def _news_item(settings, title):
    """A 新闻联播 item as it is written: title, blank, posting time and source, blank, text."""
    text = f"{title}\n\n2019-01-01 19:00:00 央视网\n\n央视网消息（新闻联播）：会议在北京举行，审议有关事项。\n"
    return _convert(settings, "news.txt", text.encode("utf-8"), catalog={})


# Real 新闻联播 titles (2012–2025): the bodies read from them before this rule, beside the title.
@pytest.mark.parametrize("title", [
    "[视频]栗战书主持召开十三届全国人大常委会第二十次委员长会议 决定十三届全国人大常委会第八次会议1月29日至30日举行",
    "[视频]赵乐际主持召开十四届全国人大常委会第十六次委员长会议 决定十四届全国人大常委会第七次会议12月25日至29日在京举行",
    "[视频]尤权受中共中央委托向党外人士通报中共十九届四中全会精神",  # 尤权受中共中央
    "[视频]受中共中央委托孙春兰向党外人士通报中央统战工作会议和《中国共产党统一战线工作条例（试行）》精神",
    "[视频]李克强主持召开教科文卫体界人士和基层群众代表座谈会 听取对政府工作报告的意见建议",  # 李克强主持召开教科
    "[视频]李克强主持召开国务院第七次全体会议 决定任命李家超为香港特别行政区第六任行政长官",
    "[视频]关注乌克兰局势：俄通过在乌动用军事力量决议",  # 关注乌克兰局: 局 in 局势
    "[视频]关注叙利亚局势 俄反对可能导致对叙动武决议草案",
    "[视频]六盘山片区区域发展与扶贫攻坚规划启动实施",  # 六盘山片区区: 区 in 区域
    "[视频]习近平对近期东北地区防汛抗洪工作作出重要指示 要求把确保人民群众生命安全放在第一位 全力搜救失踪人员 及时组织群众避险 妥善安排受灾群众生活",
    "[视频]习近平同朝鲜劳动党委员长金正恩在大连举行会晤",  # 党委 in 朝鲜劳动党/委员长
    "[视频]习主席视察军委联合作战指挥中心在全军和武警部队引起强烈反响",
    "[视频]国务院正式批准中原经济区规划",
    "[视频]全国政协召开优秀提案和先进承办单位表彰会 贾庆林出席并讲话",
    "[视频]新进中央委员会的委员、候补委员学习贯彻党的十八大精神研讨班结业 刘云山出席结业式作总结讲话",
    "[视频]香港各界欢迎全国人大常委会决定",
    "[视频]中央民族工作会议暨国务院第六次全国民族团结进步表彰大会在北京举行",
    "[视频]全国首家知识产权法院在京成立",
    "[视频]中意企业家委员会成立大会暨中意经贸合作论坛在京举行 李克强与意大利总理共同出席并致辞",
    "[视频]中科院报告：西藏高原生态总体趋好",  # 中科: 科 in 中科院
    "[视频]科学规划“十四五” 擘画发展新蓝图",  # 科
    "[视频]全国城市民族工作会议在京召开",  # 全国城市
    "[视频]港区代表委员热议“十三五”规划 新发展新蓝图 香港当自强",  # 港区
    "[视频]美方所谓溯源报告又是闹剧一场",  # 美方所: 所 in 所谓
    "[视频]李强赴莫斯科举行中俄总理第二十九次定期会晤并对俄罗斯进行正式访问",
])
def test_a_news_headline_names_no_body_through_a_person_or_a_word_cut(settings, title):
    """A person's verb before the suffix (主持召开, 受, 对, 同, 视察, 批准, 欢迎, 关注 …), a suffix
    inside a word (局势, 区域, 科学, 所谓), a word that names no body (城市), a fragment (港区), a
    body the news founds or that modifies a noun (…的委员): no body, rather than a guess."""
    assert organization_of(title, settings.metadata) == ""
    assert _news_item(settings, title).organizations == []


@pytest.mark.parametrize("title, body", [
    ("[视频]国务院印发关于建立统一的城乡居民基本养老保险制度的意见", "国务院"),
    ("[视频]中共中央 国务院印发《关于加大改革创新力度加快农业现代化建设的若干意见》", "中共中央"),
    ("[视频]中共中央办公厅 国务院办公厅印发《关于创新机制扎实推进农村扶贫开发工作的意见》", "中共中央办公厅"),
    ("[视频]国务院办公厅印发《关于成立联合工作组的通知》", "国务院办公厅"),
    ("[视频]十三届全国人大常委会第七次会议在京闭幕", "十三届全国人民代表大会常务委员会"),
    ("[视频]中共中央政治局召开会议 研究部署党风廉政建设和反腐败工作 中共中央总书记习近平主持会议", "中共中央政治局"),
    ("[视频]中央纪委国家监委公开通报八起违反中央八项规定精神典型问题", "中央纪委国家监委"),
    ("[视频]国务院新闻办公室发表白皮书《钓鱼岛是中国的固有领土》", "国务院新闻办公室"),
    ("[视频]全国政协外事委员会就美国国会众议院通过“2019年维吾尔人权政策法案”发表声明", "全国政协外事委员会"),
    ("[视频]国家航天局发布天问一号拍摄火星侧身影像", "国家航天局"),
    # a suffix inside 所谓 is passed over for the name before it
    ("[视频]全国人大外事委员会就美国所谓“2020年维吾尔人权政策法案”签署成法发表声明", "全国人大外事委员会"),
])
def test_a_news_headline_keeps_the_body_that_issued_or_held_something(settings, title, body):
    assert _news_item(settings, title).organization == body


@pytest.mark.parametrize("title, organization", [
    # the sample corpus's party-building summaries
    ("2019年度县公安局党建工作总结", "县公安局"),  # 县: a level of place before the suffix, a name
    ("市委办公室党总支2020年党建工作总结", "市委办公室党总支"),
    ("X公安厅党总支部2020年工作总结", "X公安厅党总支部"),
    ("X（直属单位）2020年上半年党建工作总结", "X（直属单位）"),
    ("2026年四川省人民政府工作报告", "四川省人民政府"),
    ("团市委2022年工作总结", "团市委"),  # one character before the suffix, an organisation jieba knows
    ("某某局局长2022年述职报告", "某某局"),  # not 某某局局: the second 局 begins 局长
])
def test_a_summary_title_keeps_its_body(settings, title, organization):
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


# --- titles, bodies, dates from the shapes of real official texts ------------------------------

NATIONAL = [
    "政府工作报告",
    "——2017年3月5日在第十二届全国人民代表大会第五次会议上",
    "国务院总理 李克强",
    "各位代表：",
    "现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协各位委员提出意见。",
    "一、2016年工作回顾",
    "过去一年，我国发展面临国内外诸多矛盾叠加、风险隐患交汇的严峻挑战。",
]


def _report(settings, lines, name="x.txt"):
    return _convert(settings, name, "\n".join(lines).encode("utf-8"), catalog={})


def test_national_report_subtitle_and_speaker(settings):
    report = _report(settings, NATIONAL)
    assert report.title == "政府工作报告" and not report.title_composed
    assert (report.date, report.date_source, report.year) == ("2017-03-05", "text", 2017)
    assert report.occasion == "第十二届全国人民代表大会第五次会议"
    assert report.speaker == "李克强"
    assert report.organizations == ["国务院"] and report.genre == "政府工作报告"
    # subtitle and speaker line stay in the text
    assert [b.text for b in report.blocks[:2]] == NATIONAL[1:3]


@pytest.mark.parametrize("title_lines, title", [
    (["政 府 工 作 报 告"], "政府工作报告"),
    (["政府 工作 报告"], "政府工作报告"),
    (["中共某某市委员会关于", "加强基层党组织建设的意见"], "中共某某市委员会关于加强基层党组织建设的意见"),
])
def test_spaced_and_split_titles(settings, title_lines, title):
    report = _report(settings, [*title_lines, *NATIONAL[1:]])
    assert report.title == title
    assert report.blocks[0].text == NATIONAL[1]  # no piece of the title left in the body


@pytest.mark.parametrize("first", [
    "——2017年2月11日在某市第十五届人民代表大会第一次会议上",
    "—2017年2月11日在某市第十五届人民代表大会第一次会议上",
    "【法宝引证码】CLI.12.123456",
    "x",
    "012",
    "---",
    '[<div class="TRS_Editor">',
    "2017年3月5日",
])
def test_a_title_is_never_a_date_line_header_field_file_name_or_markup(settings, first):
    report = _report(settings, [first, *NATIONAL[3:]], name="012.txt")
    assert report.title != first and report.title != "012"
    assert "<" not in report.title and "CLI" not in report.title


def test_a_text_without_a_title_line_gets_a_composed_title(settings):
    report = _report(settings, NATIONAL[1:], name="012.txt")
    assert report.title_composed and report.title != "012"
    assert report.organizations == ["国务院"] and report.year == 2017
    assert report.title == "国务院2017年文件"
    assert any("composed" in w for w in report.warnings)


LEGAL = [
    "国务院关于加强某某工作的意见",
    "【法宝引证码】CLI.2.123456",
    "发布部门：中华人民共和国国务院",
    "发文字号：国发〔2016〕12号",
    "发布日期：2016.03.01",
    "实施日期：2016.03.01",
    "时效性：现行有效",
    "效力级别：国务院规范性文件",
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "为加强某某工作，现提出以下意见。",
    "一、总体要求",
    "（一）指导思想。全面贯彻党的精神，坚持稳中求进工作总基调。",
    "原文链接：https://example.org/chl/abc.html",
]


def test_legal_database_header_becomes_metadata(settings):
    report = _report(settings, LEGAL)
    assert report.title == LEGAL[0] and report.genre == "意见"
    assert report.doc_number == "国发〔2016〕12号"
    assert (report.date, report.date_source, report.year) == ("2016-03-01", "header", 2016)
    assert report.organizations == ["国务院"]  # 中华人民共和国国务院 is the same body
    texts = [b.text for b in report.blocks]
    assert texts[0] == LEGAL[8] and not any("：" in t and len(t) < 30 and "号" in t for t in texts)
    assert not any(t.startswith(("【法宝", "原文链接", "发布", "时效", "效力")) for t in texts)
    assert {r.action for r in report.removed} == {"metadata"}


def test_two_bodies_in_a_title(settings):
    report = _report(settings, ["中共中央 国务院关于全面推进乡村振兴的意见", *LEGAL[8:12]])
    assert report.title == "中共中央 国务院关于全面推进乡村振兴的意见"
    assert report.organizations == ["中共中央", "国务院"] and report.organization == "中共中央"
    assert organizations_of_title("中共中央国务院关于全面推进乡村振兴的意见", settings.metadata) == ["中共中央", "国务院"]


def test_front_matter_becomes_metadata(settings):
    lines = ["---", "title: 某县2021年度工作总结", "date: 2022-01-05", "author: 县委办", "tags: [总结]", "---",
             "# 某县2021年度工作总结", "## 一、主要工作", "一年来，我们扎实推进各项工作，取得明显成效。",
             "## 存在的问题", "有些工作还不够扎实。"]
    report = _report(settings, lines)
    assert report.title == "某县2021年度工作总结" and report.year == 2021
    assert (report.date, report.date_source) == ("2022-01-05", "header")
    assert [(h.level, h.text) for h in report.headings] == [(2, "一、主要工作"), (2, "存在的问题")]
    assert [b.text for b in report.blocks if b.kind == "paragraph"] == [lines[8], lines[10]]


def test_a_portal_byline_gives_date_and_source(settings):
    lines = [NATIONAL[0], "中央政府门户网站 www.gov.cn 2009年03月16日 来源：新华社", *NATIONAL[1:]]
    report = _report(settings, lines)
    assert report.source == "新华社"
    assert report.date == "2017-03-05"  # the day it was delivered, not the day it was posted
    assert report.blocks[0].text == NATIONAL[1]


def test_a_file_of_nothing_but_adverts_is_skipped(settings):
    from reading_room.report import EmptyReport
    lines = ["仅供学习 禁止外传", "现在订阅立享前3年的所有权益和资料", "举报倒卖会员资料的人，举报成功免费赠送一年会员材料！",
             "咨询QQ206157060"]
    with pytest.raises(EmptyReport):
        _report(settings, lines)


def test_traditional_chinese_texts_read_by_the_same_rules(settings):
    lines = ["2023年廣東省政府工作報告", "——2023年1月12日在廣東省第十四屆人民代表大會第一次會議上", "各位議員：",
             "壹、過去一年工作回顧", "過去一年，我們堅持穩中求進，經濟運行總體平穩。", "貳、今年工作安排", "推動高質量發展。"]
    raw = "\n".join(lines).encode("big5")
    report = _convert(settings, "tw.txt", raw, catalog={})
    assert report.encoding == "big5"
    assert report.title == lines[0] and report.genre == "政府工作报告"
    assert report.date == "2023-01-12" and report.year == 2023
    assert report.organizations == ["廣東省人民政府"]
    assert [h.text for h in report.headings] == ["壹、過去一年工作回顧", "貳、今年工作安排"]


def test_a_date_in_the_file_name_when_the_text_has_none(settings):
    lines = ["# 某市档案条例", "第一条 为了加强档案管理，制定本条例。", "第二条 本条例适用于本市。", "第三条 本条例自公布之日起施行。"]
    report = _report(settings, lines, name="某市档案条例(2017-11-23).txt")
    assert (report.date, report.date_source, report.year) == ("2017-11-23", "file name", 2017)
    assert report.title == "某市档案条例" and report.genre == "条例"
    assert [b.anchor for b in report.blocks] == ["art-1", "art-2", "art-3"]


def test_law_adoption_lines_give_date_body_and_document_number(settings):
    lines = ["# 某某管理条例", "2003年7月30日 国务院第16次常务会议通过", "2003年8月5日 中华人民共和国国务院令第386号公布",
             "## 第一章 总则", "第一条 为了加强管理，制定本条例。", "第二条 本条例适用于全国：", "（一）甲；", "（二）乙。",
             "## 第二章 附则", "第三条 本条例自2004年1月1日起施行。"]
    report = _report(settings, lines)
    assert (report.date, report.year) == ("2003-08-05", 2003)
    assert report.doc_number == "中华人民共和国国务院令第386号"
    assert report.organizations == ["国务院"]
    # a law's headings are its chapters; (一) inside an article is the article's own list
    assert [h.text for h in report.headings] == ["第一章 总则", "第二章 附则"]
    assert [b.anchor for b in report.blocks if b.style == "article"] == ["art-1", "art-2", "art-3"]


def test_the_page_shows_the_date_with_where_it_came_from(sample_build):
    speech = sample_build.report(SPEECH)
    assert speech["date_source"] == "byline"
    page = sample_build.page(speech["id"])
    assert f"{speech['date']}（据网页署名）" in page
    # and the contract's fields are in reports.json for every report
    for report in sample_build.reports:
        assert {"title_composed", "organizations", "date_source", "doc_number", "speaker", "occasion"} <= report.keys()
        assert report["organization"] == (report["organizations"][0] if report["organizations"] else "")


@pytest.mark.parametrize("subtitle, body", [
    ("——在中国共产党第二十次全国代表大会上的报告", "中共中央"),
    ("——在中国共产党某某省第十二次代表大会上的报告", "中共某某省委员会"),
])
def test_party_congress_report_genre_and_body_from_its_subtitle(settings, subtitle, body):
    lines = ["高举伟大旗帜 为全面建设现代化国家而团结奋斗", subtitle, "同志们：",
             "现在，我代表委员会向大会作报告。", "一、过去五年的工作", "过去五年，我们坚持稳中求进。"]
    report = _report(settings, lines)
    assert report.title == lines[0] and report.genre == "党代会报告"
    assert report.organizations == [body]
    assert report.occasion == subtitle[3:-4]


@pytest.mark.parametrize("speaker_line, speaker", [
    ("某市市长 龚 正", "龚正"),
    ("自治区主席 艾尔肯·吐尼亚孜", "艾尔肯·吐尼亚孜"),
    ("毛伟明", "毛伟明"),  # a name alone, just before the salutation
])
def test_speaker_lines(settings, speaker_line, speaker):
    lines = ["2026年某省政府工作报告", "——2026年2月3日在某省第十四届人民代表大会第四次会议上", speaker_line, *NATIONAL[3:]]
    report = _report(settings, lines)
    assert report.speaker == speaker
    assert report.organizations == ["某省人民政府"]


def test_a_spaced_label_and_its_value_are_no_speaker(settings):
    """"地　　點　本院議場" (a label spaced out to fill its cell, then its value) is no office and
    name: an office is two characters at least."""
    lines = ["某某委员会会议纪录", "时　　间　2012年10月26日上午10时", "地　　點　本院議場", "主席　王金平",
             "主席：现在开会，进行报告事项。"]
    assert _report(settings, lines).speaker == "王金平"


def test_a_report_without_a_title_line_is_named_from_its_opening_sentence(settings):
    """No title line, a salutation first: the salutation is never the title; the opening
    sentence says who delivers what (我代表…向大会作政府工作报告)."""
    from reading_room.report import convert
    text = ("各位代表：\n现在，我代表市人民政府，向大会作政府工作报告，请予审议。\n一、2023年工作回顾\n"
            "过去一年，全市经济运行稳中向好，民生福祉持续增进。\n二、2024年主要任务\n今年要着力扩大内需，推动高质量发展。\n")
    report = convert("x", "x.txt", text.encode("utf-8"), settings, frozenset())
    assert report.title != "各位代表" and report.title_composed
    assert report.organization == "市人民政府" and report.genre == "政府工作报告"
    congress = ("同志们：\n现在，我代表第十九届中央委员会向大会作报告。\n一、过去五年的工作\n"
                "五年来，我们坚持稳中求进，推动各项事业取得新的重大成就。\n")
    report = convert("y", "y.txt", congress.encode("utf-8"), settings, frozenset())
    assert report.organization == "中共中央" and report.genre == "党代会报告"


@pytest.mark.parametrize("text, title, field, value", [
    # a 文号 alone under the title, and a bracketed date under it
    ("关于调整职工工资折算办法的通知\n某社部发[2008]3号\n各省、自治区人力资源社会保障厅：\n现将有关问题通知如下。\n",
     "关于调整职工工资折算办法的通知", "doc_number", "某社部发[2008]3号"),
    ("中共中央 国务院关于加强基层治理的意见\n（2021年4月28日）\n基层治理是国家治理的基石。\n",
     "中共中央 国务院关于加强基层治理的意见", "date", "2021-04-28"),
    # no date, no year in the title: the 文号 says when it was issued
    ("关于调整职工工资折算办法的通知\n某社部发[2008]3号\n各省、自治区人力资源社会保障厅：\n现将有关问题通知如下。\n",
     "关于调整职工工资折算办法的通知", "year", 2008),
    # a page's <title> saved as the first line: the site's name after it is not the title
    ("某县2022年国民经济和社会发展统计公报 | 某县人民政府\n2022年，全县经济运行稳中有进。\n",
     "某县2022年国民经济和社会发展统计公报", "organization", "某县"),
    # a 范文 whose title names no body, only a level of place
    ("乡镇2022年工作总结\n一年来，我乡镇在县委县政府的领导下，扎实推进各项工作。\n",
     "乡镇2022年工作总结", "organization", ""),
])
def test_what_the_lines_under_a_title_and_the_title_itself_say(settings, text, title, field, value):
    from reading_room.report import convert
    report = convert("x", "x.txt", text.encode("utf-8"), settings, frozenset())
    assert report.title == title
    assert getattr(report, field) == value


def test_a_joint_issuer_set_in_the_catalog_is_each_body_and_each_author(settings):
    """catalog.yml's organization: 中共中央、国务院 names two bodies: two organizations, two
    corporate authors of the citation (one citation_author each, BibTeX and CSL-JSON too)."""
    from reading_room import cite

    raw = "关于加强新时代某项工作的意见\n\n一、总体要求\n认真贯彻落实。\n".encode("utf-8")
    report = _convert(settings, "joint.txt", raw, catalog={"joint.txt": {"organization": "中共中央、国务院"}})
    assert report.organizations == ["中共中央", "国务院"]
    assert cite.authors(report) == ["中共中央", "国务院"]
    one = _convert(settings, "one.txt", raw, catalog={"one.txt": {"organization": "国务院办公厅"}})
    assert one.organizations == ["国务院办公厅"] and one.organization == "国务院办公厅"


@pytest.mark.parametrize("title, genre", [
    ("国务院办公厅关于同意建立某某部际联席会议制度的函", "函"), ("关于某某问题的复函", "函"),
    ("关于对十三届全国人大五次会议第1234号建议的答复", "答复"), ("某省人民政府关于某某事项的请示", "请示"),
    ("国务院关于某某总体规划的批复", "批复"), ("某某工作会议纪要", "纪要"), ("关于提请审议某某法草案的议案", "议案"),
    ("關於某某問題的復函", "函"), ("行政院關於某某案的批覆", "批复"),
    ("关于印发某某方案的通知", "通知"),  # the genre of the notice, not of what it prints
])
def test_every_statutory_kind_of_document_has_its_genre(settings, title, genre):
    """The fifteen kinds of 公文 (党政机关公文处理工作条例, art. 8) and replies to proposals."""
    assert genre_of(title, settings.metadata) == genre


def test_a_birth_date_in_the_first_lines_is_not_the_texts_year(settings):
    """A disciplinary notice opens with the official's biography (real shape, 2020): his birth year
    is not the notice's; the year the notice states is."""
    text = ("北京市华远集团原党委副书记、董事长任志强严重违纪违法被开除党籍\n"
            "任志强，男，1951年3月出生，1974年9月加入中国共产党。\n"
            "2020年7月，北京市西城区纪委区监委对任志强严重违纪违法问题进行了纪律审查和监察调查。\n")
    report = _convert(settings, "notice.txt", text.encode("utf-8"), catalog={})
    assert report.year == 2020 and report.year_source == "text"


def test_a_text_without_a_title_does_not_take_its_signature_for_one(settings):
    """A notice saved without its title (real shape, 2020): its text, then the issuing office and
    the date. The office is the 落款, not the title: it stays where it is, and the title is made
    from the text."""
    text = ("境外媒体将于北京时间4月19日在线直播音乐会。根据网络视频管理节目的有关规定，各平台无论是以转播"
            "或录播的方式播放该节目，都必须经省级以上广播电视管理部门批准和履行内容申报程序。\n\n"
            "国家广播电视总局网络视听节目管理司\n\n2020年4月16日\n")
    report = _convert(settings, "notice.txt", text.encode("utf-8"), catalog={})
    assert report.title != "国家广播电视总局网络视听节目管理司"
    assert "国家广播电视总局网络视听节目管理司" in [b.text for b in report.blocks]
