"""Extraction artefacts (reading_room/extract.py): each repaired, recorded as a repair with its
rule, and no character of the text lost."""
from __future__ import annotations

import pytest

from conftest import han
from reading_room.clean import clean
from reading_room.outline import outline

PARAGRAPHS = [
    "政府工作报告",
    "一、过去一年工作回顾",
    "过去一年，我们坚持稳中求进工作总基调，经济运行总体平稳，发展质量稳步提升。",
    "（一）着力稳增长。全年地区生产总值增长百分之五点二，一般公共预算收入增长百分之三点一。",
    "二、今年工作安排",
    "今年是实施规划的开局之年，做好政府工作意义重大，我们要坚定信心、真抓实干。",
]


def _rules(cleaned, action=None):
    return [r.rule for r in cleaned.removed if action is None or r.action == action]


@pytest.mark.parametrize("escaped, rule", [
    ("<U+00A0><U+00A0><U+00A0><U+00A0>一、过去一年工作回顾", "literal-escape"),
    ("\\u3000\\u3000一、过去一年工作回顾", "literal-escape"),
    ("&nbsp;&nbsp;一、过去一年工作回顾", "html-entity"),
    ("&#12288;&#12288;一、过去一年工作回顾", "html-entity"),
    ("\ufeff一、过去一年工作回顾", "stray-bom"),
])
def test_escaped_indentation_is_repaired_and_the_heading_found(settings, escaped, rule):
    text = "\n".join([PARAGRAPHS[0], escaped, *PARAGRAPHS[2:]])
    cleaned = clean(text, settings.cleaning)
    assert cleaned.lines == PARAGRAPHS
    assert rule in _rules(cleaned, "repaired")
    headings = [b.text for b in outline(cleaned.lines[1:]).headings]
    assert headings[0] == "一、过去一年工作回顾"


def test_entities_inside_text_become_their_characters(settings):
    cleaned = clean("学习&ldquo;两个确立&rdquo;的决定性意义&amp;重大成就。", settings.cleaning)
    assert cleaned.lines == ["学习“两个确立”的决定性意义&重大成就。"]
    assert _rules(cleaned) == ["html-entity"]


def test_a_bare_ampersand_is_text(settings):
    assert clean("研究与开发 R&D 投入强度达到百分之二点五。", settings.cleaning).lines == [
        "研究与开发 R&D 投入强度达到百分之二点五。"]


def test_unicode_line_separators_split_lines(settings):
    text = PARAGRAPHS[1] + "\u2028" + PARAGRAPHS[2] + "\u2029" + PARAGRAPHS[3]
    cleaned = clean(text, settings.cleaning)
    assert cleaned.lines == PARAGRAPHS[1:4]
    assert _rules(cleaned, "repaired") == ["line-separator"]


def test_lines_of_only_nbsp_and_tag_debris_go(settings):
    text = "\n".join([PARAGRAPHS[0], "\u00a0\u00a0\u00a0", '<div class="TRS_Editor">', *PARAGRAPHS[1:], "</div>"])
    cleaned = clean(text, settings.cleaning)
    assert cleaned.lines == PARAGRAPHS
    assert _rules(cleaned, "removed") == ["tag-debris", "tag-debris"]


def test_text_with_markup_inside_a_sentence_stays_as_written(settings):
    line = "（一）<b>粗体</b>与<script>照原文显示</script>。"
    assert clean(line, settings.cleaning).lines == [line]


def test_a_whole_html_page_gives_its_text(settings):
    page = (
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head><meta charset=\"utf-8\"><title>政府工作报告_某省人民政府</title>\n"
        "<style>p{margin:0}</style><script>var x = '不是正文';</script></head>\n<body>\n"
        "<div class=\"nav\">当前位置：<a href=\"/\">首页</a> &gt; <a>政务公开</a></div>\n"
        f"<h1>{PARAGRAPHS[0]}</h1>\n"
        + "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS[1:3])
        + f"<p>{PARAGRAPHS[3][:10]}<span>{PARAGRAPHS[3][10:]}</span></p>\n"
        + "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS[4:])
        + "</body>\n</html>\n"
    )
    cleaned = clean(page, settings.cleaning)
    assert cleaned.lines[-len(PARAGRAPHS):] == PARAGRAPHS
    assert not any("不是正文" in line or "<" in line for line in cleaned.lines)
    assert "html-page" in _rules(cleaned, "removed")
    # each line is numbered by the line of the file it came from
    lines = page.split("\n")
    first = next(r for r in cleaned.removed if r.rule == "breadcrumb")
    assert "当前位置" in lines[first.line - 1]


def test_a_report_on_one_physical_line_is_split_at_its_headings(settings):
    body = []
    for n in "一二三四五六七八":
        body += [f"{n}、第{n}方面工作", PARAGRAPHS[2], PARAGRAPHS[3], "（二）" + PARAGRAPHS[5]]
    text = PARAGRAPHS[0] + "\n" + "\u3000\u3000".join(body)
    assert len(text.split("\n")[1]) > 1000
    cleaned = clean(text, settings.cleaning)
    assert cleaned.lines == [PARAGRAPHS[0], *body]
    assert "one-line-split" in _rules(cleaned, "repaired")
    # also without the indents: split before each numbered heading that follows a sentence end
    text = PARAGRAPHS[0] + "\n" + "".join(body)
    cleaned = clean(text, settings.cleaning)
    headings = outline(cleaned.lines[1:]).headings
    assert [h.style for h in headings] == ["han", "paren_han", "paren_han"] * 8
    assert headings[1].text == "（一）着力稳增长。"  # the lead sentence keeps its mark
    assert han("".join(cleaned.lines)) == han(text)


def test_a_page_captured_twice_is_kept_once(settings):
    text = "\n".join(PARAGRAPHS + [""] + PARAGRAPHS)
    cleaned = clean(text, settings.cleaning)
    assert cleaned.lines == PARAGRAPHS
    dropped = [r for r in cleaned.removed if r.rule == "duplicate-capture"]
    assert [r.text for r in dropped] == PARAGRAPHS and all(r.action == "removed" for r in dropped)
    assert dropped[0].line == len(PARAGRAPHS) + 2


def test_a_repeated_paragraph_is_not_a_second_capture(settings):
    text = "\n".join(PARAGRAPHS + PARAGRAPHS[2:4])
    assert clean(text, settings.cleaning).lines == PARAGRAPHS + PARAGRAPHS[2:4]


def test_line_joins_and_space_repairs_are_logged_as_repairs(settings):
    text = "全面落实党建工作责任 制，认真学习党章党规，不断提高机关党建工作质量和水平，\n推动各项工作落地见效。"
    cleaned = clean(text, settings.cleaning)
    assert cleaned.lines == ["全面落实党建工作责任制，认真学习党章党规，不断提高机关党建工作质量和水平，推动各项工作落地见效。"]
    assert [(r.rule, r.action) for r in cleaned.removed] == [("space-between-han", "repaired"), ("line-join", "repaired")]


def test_bare_cr_line_ends_are_read_as_lines_and_logged(settings):
    from reading_room.report import convert
    raw = "\r".join(PARAGRAPHS).encode("utf-8")
    report = convert("x", "x.txt", raw, settings, frozenset())
    assert report.title == PARAGRAPHS[0]
    assert [b.text for b in report.blocks][:2] == ["一、过去一年工作回顾", PARAGRAPHS[2]]
    assert report.removed[0].rule == "bare-cr-line-ends" and report.removed[0].action == "repaired"


def test_an_xml_export_gives_its_text(settings):
    from reading_room.report import convert
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n<document>\n<title>某某管理规定</title>\n<body>\n'
           "<p>第一条 为了规范管理，制定本规定。</p>\n<p>第二条 本规定适用于本市。</p>\n<p>第三条 本规定自发布之日起施行。</p>\n"
           "</body>\n</document>\n")
    report = convert("x", "x.txt", xml.encode("utf-8"), settings, frozenset())
    assert report.title == "某某管理规定" and report.genre == "规定"
    assert [b.anchor for b in report.blocks] == ["art-1", "art-2", "art-3"]
    assert not any("<" in b.text for b in report.blocks)


def test_an_xml_export_keeps_the_text_of_its_cdata_and_unicode_elements(settings):
    """A legal database's XML export: element names in Chinese, the articles in CDATA. The HTML
    parser would drop both; every article's text reaches the report."""
    from reading_room.report import convert
    articles = ["第 1 條\n為規範某某事項，特制定本法。", "第 2 條\n本法所稱主管機關，在中央為某部。"]
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<LAWS>\n  <法規>\n    <法規名稱>某某管理法</法規名稱>\n'
           + "".join(f"    <條文><條文內容><![CDATA[{a}]]></條文內容></條文>\n" for a in articles)
           + "  </法規>\n</LAWS>\n")
    report = convert("x", "x.txt", xml.encode("utf-8"), settings, frozenset())
    body = "".join(b.text for b in report.blocks)
    assert report.title == "某某管理法"
    for article in articles:
        assert han(article) in han(body)
    assert "<" not in body and "CDATA" not in body
    assert "xml-document" in _rules(report)


def test_a_portal_fragment_without_html_or_body_is_read_as_html(settings):
    """A government portal's content <div> saved as .txt (no <html>, no <body>): its document
    table becomes metadata, its title split over two lines is one title, and no markup is text."""
    from reading_room.report import convert
    cell = '<td width="70"><b>{}：</b></td>\n        <td width="360">{}</td>'
    table = "\n".join(f"<tr>\n        {cell.format(a, b)}\n        {cell.format(c, d)}\n       </tr>" for a, b, c, d in [
        ("索 引 号", "000000000/2020-00001", "主题分类", "综合政务"),
        ("发文机关", "某某省人民政府办公厅", "成文日期", "2020年03月05日"),
        ("标\u3000\u3000题", "某某省人民政府办公厅关于加强基层治理工作的意见", "发文字号", "某政办发〔2020〕8号"),
    ])
    page = ('<div class="wrap">\n <table>\n  <tbody>\n' + table + "\n  </tbody>\n </table>\n"
            '<div class="content">\n<p align="center">某某省人民政府办公厅关于</p>\n<p align="center">加强基层治理工作的意见</p>\n'
            "<p>某政办发〔2020〕8号</p>\n<p>各市人民政府，省政府各部门：</p>\n"
            "<p>一、总体要求</p>\n<p>坚持以人民为中心，推动基层治理体系和治理能力现代化，切实提高群众满意度。</p>\n"
            "<p>二、主要任务</p>\n<p>健全基层组织体系，完善网格化管理，推进服务事项下沉到村和社区。</p>\n</div>\n</div>\n")
    report = convert("x", "x.txt", page.encode("utf-8"), settings, frozenset())
    assert report.title == "某某省人民政府办公厅关于加强基层治理工作的意见"
    assert report.organization == "某某省人民政府办公厅"
    assert report.date == "2020-03-05" and report.doc_number == "某政办发〔2020〕8号"
    assert [b.text for b in report.headings] == ["一、总体要求", "二、主要任务"]
    body = "".join(b.text for b in report.blocks)
    assert "<" not in body and "索引号" not in han(body) and "000000000" not in body
    assert "html-page" in _rules(report) and "portal-document-table" in _rules(report)


def test_private_use_characters_are_kept_and_named_in_a_warning(settings):
    """A PDF's own glyphs for characters its font lacked land in the Unicode private-use area:
    kept as they are (nothing is lost), and the curator is told where, in Chinese."""
    from reading_room.report import convert
    text = "某某报告\n深水\ue88c区的旧楼将于年内完成改造，惠及居民三千户。\n"
    report = convert("x", "x.txt", text.encode("utf-8"), settings, frozenset())
    assert "\ue88c" in report.blocks[0].text
    warning = next(w for w in report.warnings if "private-use" in w)
    assert warning.startswith("1 private-use")
    assert "私用区" in settings.labels.warning(warning)
