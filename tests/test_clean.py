"""Cleaning: each boilerplate rule on real and invented text, byline metadata, artefact repair,
furniture across reports, and the promise that nothing is lost (property tests)."""
from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings as hsettings, strategies as st

from conftest import CORPUS, REAL_TEXTS, han, sample_files
from reading_room.clean import clean, find_furniture
from reading_room.decode import decode_bytes

SPEECH = CORPUS / "2023-police-party-committee-political-training-speech.txt"
MUNICIPAL = CORPUS / "2020-municipal-party-office-party-branch-summary.txt"
PROVINCIAL = CORPUS / "2020-provincial-police-unit-party-branch-summary.txt"
COUNTY = CORPUS / "2019-county-police-bureau-party-building-summary.txt"

# An invented report inside an invented government-site page frame.
BODY = [
    "某县市场监管局2022年度党建工作总结",
    "一、主要工作",
    "一年来，局党组坚持以党的政治建设为统领，围绕市场监管中心工作，扎实推进机关党建各项任务，取得了明显成效。",
    "（一）强化理论武装。全年组织党组理论学习中心组集中学习十二次，开展专题研讨四次，撰写心得体会三十余篇。",
    "二、存在问题",
    "个别支部“三会一课”质量不高，党员教育管理方式较为单一，党建与业务融合还不够紧密。",
]
FRAME_HEAD = [
    "当前位置：首页 > 政务公开 > 工作总结",
    "发布时间：2022-12-30 09:15:00 来源：县市场监管局",
    "【字体：大 中 小】",
    "分享",
]
FRAME_TAIL = [
    "打印本页",
    "关闭窗口",
    "扫一扫在手机打开当前页",
    "第1页 共2页",
]


def _lines(path):
    return decode_bytes(path.read_bytes()).text.split("\n")


def _line_with(path, needle):
    return next(line for line in _lines(path) if needle in line)


def _line_ending(path, end):
    return next(line for line in _lines(path) if line.strip().endswith(end))


def _clean_file(path, settings, furniture=frozenset()):
    return clean(decode_bytes(path.read_bytes()).text, settings.cleaning, furniture)


def _rule_of(cleaned, text):
    rules = [r.rule for r in cleaned.removed if r.text == text.strip()]
    return rules[0] if rules else None


def assert_nothing_lost(text: str, cleaned) -> None:
    """Every Han character of the input is in a removal or in the output, in order."""
    lines = text.split("\n")
    kept = []
    for number, line in enumerate(lines, start=1):
        for removal in cleaned.removed:
            if removal.line == number and removal.action != "repaired":
                assert removal.text in line, (removal, line)
                line = line.replace(removal.text, "", 1)
        kept.append(line)
    assert han("".join(kept)) == han("".join(cleaned.lines))


# --- each rule on real text -------------------------------------------------------

@pytest.mark.parametrize("path, needle, rule", [
    (COUNTY, "仅供学习参考", "study-only-notice"),
    (PROVINCIAL, "仅供内部交流", "study-only-notice"),
    (MUNICIPAL, "现在订阅", "advert-subscription"),
    (MUNICIPAL, "举报倒卖", "advert-subscription"),
    (MUNICIPAL, "咨询QQ", "qq-wechat-group"),
    (SPEECH, "小编", "editor-intro"),
    (SPEECH, "(精选文档)", "title-advert-copy"),
    (SPEECH, "推荐访问", "recommended-keywords"),
    (SPEECH, "当前位置", "breadcrumb"),
    (SPEECH, "来源:网友投稿", "byline"),
])
def test_rule_on_real_text(settings, path, needle, rule):
    line = _line_ending(path, needle) if rule == "title-advert-copy" else _line_with(path, needle)
    cleaned = _clean_file(path, settings)
    assert _rule_of(cleaned, line) == rule
    assert not any(needle in kept for kept in cleaned.lines)


def test_real_byline_becomes_metadata(settings):
    cleaned = _clean_file(SPEECH, settings)
    byline = _line_with(SPEECH, "来源:网友投稿")
    date = re.search(r"\d{4}-\d{2}-\d{2}", byline).group(0)
    assert cleaned.metadata["date"] == date
    assert cleaned.metadata["source"] == byline.rsplit(":", 1)[1].strip()


def test_real_title_survives_its_advert_copy(settings):
    cleaned = _clean_file(SPEECH, settings)
    copy = _line_ending(SPEECH, "(精选文档)").strip()
    title = copy.replace("(精选文档)", "")
    title = title[re.match(r"\d{4}年", title).end():]  # the advert puts the year in front
    assert title in cleaned.lines
    assert cleaned.lines.index(title) < 3


def test_sample_reports_lose_nothing(settings):
    texts = [decode_bytes(p.read_bytes()).text for p in sample_files()]
    furniture = find_furniture(texts, settings.cleaning)
    for text in texts:
        assert_nothing_lost(text, clean(text, settings.cleaning, furniture))


def test_real_text_repairs_han_spaces(settings):
    text = MUNICIPAL.read_text(encoding="utf-8")
    split = re.findall(r"[\u4e00-\u9fff]\u00a0[\u4e00-\u9fff]", text)
    assert split  # the file has non-breaking spaces inside words
    cleaned = _clean_file(MUNICIPAL, settings)
    body = "\n".join(cleaned.lines)
    for pair in split:
        assert pair[0] + pair[2] in body
        assert pair not in body
    assert sum(1 for r in cleaned.removed if r.rule == "space-between-han") >= len(split)
    assert "责任制" in body and "《中国共产党" in body


def test_real_text_indented_with_full_width_spaces_cleans_the_same(settings):
    text = COUNTY.read_text(encoding="utf-8")
    indented = "\n".join("\u3000\u3000" + line if line.strip() else line for line in text.split("\n"))
    assert clean(indented, settings.cleaning).lines == clean(text, settings.cleaning).lines


def _long_paragraph(path):
    return max(_lines(path), key=len).strip()


@hsettings(max_examples=60, deadline=None)
@given(data=st.data())
def test_real_paragraph_broken_mid_sentence_is_rejoined(settings, data):
    paragraph = _long_paragraph(COUNTY)
    # break the paragraph anywhere except right after a mark that may end a line
    candidates = [k for k in range(40, len(paragraph) - 5)
                  if paragraph[k - 1] not in "。！？!?；;：:…”」』）)】>》"
                  and not re.match(r"[一二三四五六七八九十]+[是要、]|[（(]", paragraph[k:])]
    k = data.draw(st.sampled_from(candidates))
    broken = paragraph[:k] + "\n" + paragraph[k:]
    assert clean(broken, settings.cleaning).lines == [paragraph]


def test_real_paragraphs_are_not_joined_to_each_other(settings):
    cleaned = _clean_file(COUNTY, settings)
    body_lines = [line.strip() for line in _lines(COUNTY) if line.strip()][2:]
    assert len(cleaned.lines) == len(body_lines) + 1  # the title line stays


# --- each rule on invented text -----------------------------------------------------

def _page(*body):
    return "\n".join(FRAME_HEAD + list(body or BODY) + FRAME_TAIL)


def test_invented_page_frame_is_removed(settings):
    cleaned = clean(_page(), settings.cleaning)
    assert cleaned.lines == BODY
    rules = {r.text: r.rule for r in cleaned.removed}
    assert rules["当前位置：首页 > 政务公开 > 工作总结"] == "breadcrumb"
    assert rules["【字体：大 中 小】"] == "font-size-widget"
    for furniture in ("分享", "打印本页", "关闭窗口", "扫一扫在手机打开当前页"):
        assert rules[furniture] == "page-furniture"
    assert rules["第1页 共2页"] == "page-counter"
    assert cleaned.metadata == {"date": "2022-12-30", "source": "县市场监管局", "date_source": "byline"}


@pytest.mark.parametrize("line, rule", [
    ("本资料仅供学习交流，请勿转载", "study-only-notice"),
    ("开通会员即可下载全部范文", "advert-subscription"),
    ("欢迎加入公文写作QQ群：123456789", "qq-wechat-group"),
    ("关注微信公众号获取更多材料", "qq-wechat-group"),
    ("以下是小编整理的述职报告，供大家参考。", "editor-intro"),
    ("某县市场监管局2022年度党建工作总结（通用5篇）", "title-advert-copy"),
    ("某县市场监管局2022年度党建工作总结(精选文档)", "title-advert-copy"),
    ("<!-- 正文开始 -->", "html-comment"),
    ("县长作工作报告。本报记者 张三 摄", "photo-caption"),
    ("【打印】", "page-furniture"),
    ("【", "page-furniture"),
    ("第 2 页 / 共 3 页", "page-counter"),
    ("============", "decoration-line"),
    ("![GitHub](https://example.org/images/banner.png)", "markdown-image"),
    ("-----------------", "decoration-line"),
    ("——————————", "decoration-line"),
])
def test_invented_line_rules(settings, line, rule):
    cleaned = clean(_page(BODY[0], line, *BODY[1:]), settings.cleaning)
    assert _rule_of(cleaned, line) == rule
    assert cleaned.lines == BODY


@pytest.mark.parametrize("tail", [
    ["推荐访问：党建工作总结 述职报告 心得体会"],
    ["相关报道：", "某县召开党建工作推进会", "某县开展主题党日活动"],
    ["相关链接>>", "3f2a9c0e:", "某县召开党建工作推进会"],
    ["责任编辑：王五"],
    ["责任编辑：", "王五"],
])
def test_invented_tail_widgets(settings, tail):
    cleaned = clean("\n".join(BODY + tail), settings.cleaning)
    assert cleaned.lines == BODY
    assert len(cleaned.removed) == len(tail)


def test_a_markdown_law_with_setext_headings_keeps_its_words_not_its_underlines(settings):
    """A Taiwan law as stored in a Markdown corpus (real excerpt, 決算法): each chapter and article
    caption underlined with = or -. The underlines go (recorded); every word stays, and the
    chapter is a heading, the articles articles."""
    from reading_room.outline import outline

    text = ("第一章  總則\n============\n第一條 (適用範圍)\n-----------------\n"
            "　　中華民國中央政府決算之編造、審核及公告，依本法之規定。  \n\n\n"
            "第二條 (決算之辦理時期)\n-----------------------\n"
            "　　政府之決算，每一會計年度辦理一次，年度終了後二個月，為該會計年度之結束期間。  \n"
            "第三條 (決算之分類)\n-------------------\n　　政府之決算，應按其預算分左列各種：  \n"
            "　　一、總決算。  \n　　二、單位決算。  \n")
    cleaned = clean(text, settings.cleaning)
    assert not any(re.fullmatch(r"[=\-]+", line) for line in cleaned.lines)
    assert sorted(r.rule for r in cleaned.removed if r.rule == "decoration-line") == ["decoration-line"] * 4
    assert "".join(cleaned.lines).replace(" ", "") == "".join(
        line.strip() for line in text.split("\n") if line.strip() and not re.fullmatch(r"[=\-]+", line.strip())
    ).replace(" ", "")
    result = outline(cleaned.lines)
    assert [b.text.replace(" ", "") for b in result.blocks if b.kind == "heading"] == ["第一章總則"]
    assert [b.anchor for b in result.blocks if b.anchor.startswith("art-")] == ["art-1", "art-2", "art-3"]


def test_tail_rules_do_not_touch_the_head(settings):
    """推荐访问 and related-article lists are page footers; in a report's first lines they are text."""
    text = "\n".join([BODY[0], "相关报道：", *BODY[1:]] + [f"（{n}）第{n}项具体工作已经完成。" for n in range(1, 40)])
    cleaned = clean(text, settings.cleaning)
    assert "相关报道：" in cleaned.lines


@pytest.mark.parametrize("lines, metadata", [
    (["时间:2023-10-11 10:05:03 来源:网友投稿"], {"date": "2023-10-11", "source": "网友投稿"}),
    (["发布时间：2021年3月5日"], {"date": "2021-03-05"}),
    (["来源：县委组织部"], {"source": "县委组织部"}),
    (["（来源：县委组织部）"], {"source": "县委组织部"}),
    (["作者：李四"], {"author": "李四"}),
    (["2022-01-05 08:30"], {"date": "2022-01-05"}),
    (["来源:", "县委组织部", "发表时间：", "2022-01-05 08:30:00"], {"source": "县委组织部", "date": "2022-01-05"}),
])
def test_invented_bylines_become_metadata(settings, lines, metadata):
    cleaned = clean("\n".join([BODY[0], *lines, *BODY[1:]]), settings.cleaning)
    assert {k: v for k, v in cleaned.metadata.items() if k in ("date", "source", "author")} == metadata
    assert cleaned.metadata.get("date_source") == ("byline" if "date" in metadata else None)
    # the line before a byline is the text's title, and cleaning says so
    assert cleaned.metadata["title"] == BODY[0]
    assert cleaned.lines == BODY
    assert len(cleaned.removed) == len(lines)


def test_label_followed_by_text_is_not_a_byline(settings):
    text = "\n".join([BODY[0], "来源：", "一年来，局党组坚持以党的政治建设为统领，扎实推进机关党建各项任务。", *BODY[1:]])
    cleaned = clean(text, settings.cleaning)
    assert "source" not in cleaned.metadata
    assert cleaned.lines[1:3] == ["来源：", "一年来，局党组坚持以党的政治建设为统领，扎实推进机关党建各项任务。"]


def test_markdown_heading_marks_stay_for_the_outline_in_a_markdown_text(settings):
    cleaned = clean("# 某县2022年度党建工作总结\n## 一、主要工作\n一年来做了大量工作。", settings.cleaning)
    assert cleaned.lines == ["# 某县2022年度党建工作总结", "## 一、主要工作", "一年来做了大量工作。"]
    assert cleaned.metadata.get("markdown") and not cleaned.removed


@pytest.mark.parametrize("line", ["#1 号文件已经印发，请各单位认真落实。", "# 这一行以井号开头，是正文。",
                                  "* 星号开头的一行", "> 引用符号开头的一行"])
def test_a_mark_at_the_start_of_a_plain_body_line_is_kept(settings, line):
    lines = [BODY[0], BODY[2], line, BODY[3]]
    cleaned = clean("\n".join(lines), settings.cleaning)
    assert "markdown" not in cleaned.metadata
    assert cleaned.lines == lines


def test_title_repeated_in_the_page_header_is_kept_once(settings):
    cleaned = clean("\n".join([BODY[0], "来源：县委组织部", BODY[0], *BODY[1:]]), settings.cleaning)
    assert cleaned.lines == BODY
    assert [r.rule for r in cleaned.removed] == ["byline-source", "repeated-in-header"]


def test_a_repeated_salutation_is_text_not_a_header_copy(settings):
    body = [BODY[0], "各位代表！", "一年来，我们坚持稳中求进工作总基调，经济运行总体平稳。", "各位代表！", "过去五年极不平凡。"]
    assert clean("\n".join(body), settings.cleaning).lines == body


# --- artefact repair on invented text ----------------------------------------------------

def test_space_inside_a_word_is_removed_in_running_text(settings):
    line = "全面落实党建工作责任 制，认真学习《中 国共产党章程》，不断提高机关党建工作质量和水平。"
    cleaned = clean(line, settings.cleaning)
    assert cleaned.lines == ["全面落实党建工作责任制，认真学习《中国共产党章程》，不断提高机关党建工作质量和水平。"]
    assert [r.rule for r in cleaned.removed] == ["space-between-han"] * 2


def test_space_between_title_and_name_stays_on_a_short_line(settings):
    assert clean("县长 李明", settings.cleaning).lines == ["县长 李明"]


def test_space_inside_a_word_on_a_short_line_is_removed(settings):
    assert clean("严格落实责任 制", settings.cleaning).lines == ["严格落实责任制"]


def test_full_width_indentation_is_removed(settings):
    assert clean("\u3000\u3000一、主要工作\n\u3000\u3000一年来成效明显。\u3000", settings.cleaning).lines == [
        "一、主要工作", "一年来成效明显。"]


@pytest.mark.parametrize("lines, joined", [
    (["一年来，局党组坚持以党的政治建设为统领，围绕中心工作，", "扎实推进机关党建各项任务。"],
     ["一年来，局党组坚持以党的政治建设为统领，围绕中心工作，扎实推进机关党建各项任务。"]),
    (["（", "三）改革开放持续深化。"], ["（三）改革开放持续深化。"]),
    (["——2022年1月5日在某县第十八届", "人民代表大会第一次会议上"], ["——2022年1月5日在某县第十八届人民代表大会第一次会议上"]),
    (["“十四五”时期经济社会发展的", "主要目标"], ["“十四五”时期经济社会发展的主要目标"]),
])
def test_broken_lines_are_joined(settings, lines, joined):
    assert clean("\n".join(lines), settings.cleaning).lines == joined


@pytest.mark.parametrize("lines", [
    ["一、主要工作", "一年来，局党组坚持以党的政治建设为统领。"],
    ["各位代表：", "现在，我代表县人民政府向大会报告工作。"],
    ["一年来，局党组坚持以党的政治建设为统领，扎实推进各项任务。", "二、存在问题"],
    ["——2022年1月5日在某县第十八届人民代表大会第一次会议上", "县长 李明"],
    ["某县2022年度党建工作总结", "各位同志："],
    # a title ending in a genre word is whole, even where jieba reads 总结|局 as 结局
    ["某区政府办公室2015年上半年党建工作总结", "局工会紧紧围绕民警职工最关心的利益问题，扎实为民警办实事。"],
])
def test_whole_lines_are_not_joined(settings, lines):
    assert clean("\n".join(lines), settings.cleaning).lines == lines


def test_title_shape_follows_the_genres_of_metadata_yml(tmp_corpus):
    """Cleaning knows a title by the genre words metadata.yml lists, not by a copy of its own:
    a curator who adds a genre changes both stages."""
    from reading_room.settings import load_settings

    title, first = "某区政府办公室2015年上半年党建工作总结", "局工会紧紧围绕民警职工最关心的利益问题，扎实为民警办实事。"
    metadata = tmp_corpus / "metadata.yml"
    lines = metadata.read_text(encoding="utf-8").splitlines()
    without = [line for line in lines if "总结" not in line]  # every genre with 总结 in it gone
    metadata.write_text("\n".join(without) + "\n", encoding="utf-8")
    assert clean(f"{title}\n{first}", load_settings(tmp_corpus).cleaning).lines == [title + first]
    metadata.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rules = load_settings(tmp_corpus).cleaning
    assert clean(f"{title}\n{first}", rules).lines == [title, first]
    # 法 alone is a genre of metadata.yml (……保护法) but too many words end in it (方法, 做法)
    assert rules.title_end.search("中华人民共和国环境保护法") is None
    assert rules.title_end.search("关于加强基层党组织建设的实施意见")


# --- furniture across reports ------------------------------------------------------------

def test_sample_corpus_furniture(settings):
    texts = [decode_bytes(p.read_bytes()).text for p in sample_files()]
    furniture = find_furniture(texts, settings.cleaning)
    assert "酷乐文行" in furniture  # the advertiser's name, alone on a line in three reports
    for line in furniture:
        assert not line.endswith(("。", "！", "？")), line
        assert not re.match(r"[一二三四五六七八九十]+、", line), line


def test_lines_repeated_across_reports_are_furniture(settings):
    frame = ["网站首页", "机构概况", "政务公开"]
    texts = []
    for n in range(4):
        texts.append("\n".join(frame + [f"某县第{n + 1}号党建工作总结", "一、主要工作", "以上报告，请予审议。"]))
    furniture = find_furniture(texts, settings.cleaning)
    assert set(frame) <= furniture
    assert "一、主要工作" not in furniture and "以上报告，请予审议。" not in furniture
    cleaned = clean(texts[0], settings.cleaning, furniture)
    assert cleaned.lines == ["某县第1号党建工作总结", "一、主要工作", "以上报告，请予审议。"]
    assert {r.rule for r in cleaned.removed} == {"repeated-across-reports"}


def test_a_line_in_too_few_reports_is_not_furniture(settings):
    texts = ["网站首页\n某县总结甲", "网站首页\n某县总结乙", "某县总结丙", "某县总结丁"]
    assert "网站首页" not in find_furniture(texts, settings.cleaning)


# --- nothing is lost: property tests ----------------------------------------------------

def _corpus_lines():
    lines = []
    for path in sample_files():
        lines += [line for line in _lines(path) if line.strip()]
    return lines


REAL_LINES = _corpus_lines()
FRAME_LINES = FRAME_HEAD + FRAME_TAIL + [
    "推荐访问：党建 述职", "相关报道：", "【", "】", "首页", ">", "来源：", "县委组织部", "责任编辑：", "王五",
    "时间:2023-10-11 10:05:03 来源:网友投稿", "下面是小编整理的总结，供大家参考。", "# ", "## 一、总体要求",
    "（", "三）深化改革。", "第一部分 工作回顾", "一是加强学习。二是改进作风。",
]
han_chars = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
invented_line = st.lists(
    st.one_of(han_chars, st.sampled_from(list("，。、；：！？“”（）《》 \u3000\u00a0123ABX*#<>"))),
    min_size=0, max_size=60,
).map("".join)
any_line = st.one_of(st.sampled_from(REAL_LINES), st.sampled_from(FRAME_LINES), invented_line)


@hsettings(max_examples=150, deadline=None)
@given(lines=st.lists(any_line, min_size=1, max_size=40))
@example(lines=["中 国共产党", "（", "三）深化改革。"])
def test_every_han_character_is_kept_or_logged(settings, lines):
    text = "\n".join(lines)
    assert_nothing_lost(text, clean(text, settings.cleaning))


@hsettings(max_examples=100, deadline=None)
@given(lines=st.lists(any_line, min_size=1, max_size=40), furniture=st.sets(st.sampled_from(FRAME_LINES + REAL_LINES[:5])))
def test_removals_quote_their_line_and_output_lines_are_clean(settings, lines, furniture):
    text = "\n".join(lines)
    cleaned = clean(text, settings.cleaning, frozenset(furniture))
    raw = text.split("\n")
    for removal in cleaned.removed:
        assert 1 <= removal.line <= len(raw)
        if removal.action != "repaired":
            assert removal.text and removal.text in raw[removal.line - 1]
    for line in cleaned.lines:
        assert line and line == line.strip(" \t\u3000\u00a0")


# --- generalisation: the real texts in ../shared (read-only; skipped when absent) ------

real_texts = sorted(REAL_TEXTS.glob("*.txt")) if REAL_TEXTS.is_dir() else []
needs_real_texts = pytest.mark.skipif(not real_texts, reason="../shared/real-texts is not present")
WIDGET_WORDS = {"下载", "打印", "全屏", "收藏", "加大", "还原", "减小", "大", "中", "小", "【", "】", ">", "|", "×",
                "首页", "分享", "分享：", "分享:", "打印本页", "关闭窗口", "扫一扫在手机打开当前页", "相关报道：", "相关文档："}


@needs_real_texts
def test_real_texts_lose_nothing_and_keep_no_widgets(settings):
    texts = [decode_bytes(p.read_bytes()).text for p in real_texts]
    furniture = find_furniture(texts, settings.cleaning)
    for path, text in zip(real_texts, texts):
        cleaned = clean(text, settings.cleaning, furniture)
        assert_nothing_lost(text, cleaned)
        leftovers = [line for line in cleaned.lines if line in WIDGET_WORDS or re.match(r"【?字[体号][:：]", line)]
        assert not leftovers, (path.name, leftovers)
        # page bylines became metadata: a file with a 来源 line has a source
        if re.search(r"^[（(]?来源[:：]", text, re.M):
            assert cleaned.metadata.get("source"), path.name
        # a lone bracket or line-initial fragment never survives as a paragraph of its own
        assert not [line for line in cleaned.lines if re.fullmatch(r"[（(【\[]", line)], path.name


@pytest.mark.parametrize("line", ["严禁倒卖城市公共供水。", "（五）倒卖城市公共供水的；", "第九条 严禁倒卖城市公共供水。",
                                  "中央纪委下发通知，要求在职干部自行清退所收受的各种名目的会员卡。"])
def test_the_advert_rule_never_takes_a_line_of_the_text(settings, line):
    lines = [BODY[0], BODY[2], line, BODY[3]]
    assert clean("\n".join(lines), settings.cleaning).lines == lines


def test_a_traditional_chinese_page_frame_is_removed(settings):
    body = ["某縣2022年度工作總結", "一、主要工作", "一年來，我們堅持穩中求進，扎實推進各項工作，取得明顯成效。"]
    text = "\n".join(["當前位置：首頁 > 政務公開 > 工作總結", "發布時間：2023-01-05", "來源：縣政府辦公室", "【字體：大 中 小】",
                      *body, "列印", "關閉視窗", "相關報導：", "某縣召開工作會議", "責任編輯：王某"])
    cleaned = clean(decode_bytes(text.encode("big5")).text, settings.cleaning)
    assert cleaned.lines == body
    assert (cleaned.metadata["date"], cleaned.metadata["source"]) == ("2023-01-05", "縣政府辦公室")


def test_a_numeral_alone_repeated_in_every_report_is_a_heading_not_furniture(settings):
    reports = [f"某某{n}年政府工作报告\n\u3000\u3000一\n\u3000\u3000过去一年工作很好。\n\u3000\u3000二\n\u3000\u3000今年任务很重。"
               for n in range(2000, 2006)]
    furniture = find_furniture(reports, settings.cleaning)
    assert "一" not in furniture and "二" not in furniture
    assert clean(reports[0], settings.cleaning, furniture).lines[1:] == ["一", "过去一年工作很好。", "二", "今年任务很重。"]


def test_a_closing_date_line_is_the_texts_signature_not_a_byline(settings):
    """A bare date under the body ends the text (its 落款), even in a text short enough to be
    all "head"; a bare date under the title is still the page's byline."""
    for text in (sample_files()[0].read_text(encoding="utf-8"), "\n".join(BODY)):
        closed = clean(text + "\n某某县公安局\n2021年12月20日\n", settings.cleaning)
        assert closed.metadata["date"] == "2021-12-20" and closed.metadata["date_source"] == "signature"
    opened = clean("\n".join([BODY[0], "2022-01-05 08:30", *BODY[1:]]), settings.cleaning)
    assert opened.metadata["date_source"] == "byline"


def test_a_pdf_texts_page_numbers_and_running_header_are_removed(settings):
    """A text extracted from a PDF carries each printed page's frame: its running header and its
    page number, between the page's last line and the next page's first. Both go, recorded;
    every sentence stays."""
    sentences = [f"第{n}项工作进展顺利，各部门密切配合，按期完成了年度目标任务，群众满意度不断提高。" for n in range(1, 41)]
    lines = ["某市人民政府工作报告"]
    for page in range(4):
        lines += ["某市人民代表大会会刊 ─ 2024年 1月 16日", ""]
        lines += sentences[page * 10:(page + 1) * 10]
        lines += ["", str(101 + page), ""]
    cleaned = clean("\n".join(lines), settings.cleaning)
    assert cleaned.lines == ["某市人民政府工作报告"] + sentences
    rules = {r.text: r.rule for r in cleaned.removed}
    assert rules["101"] == rules["104"] == "page-number"
    assert rules["某市人民代表大会会刊 ─ 2024年 1月 16日"] == "running-header"
    assert sum(r.rule == "running-header" for r in cleaned.removed) == 4


def test_a_line_repeated_in_a_text_without_pages_is_its_own(settings):
    """Four announcements in one news item, each signed with the same two lines: no page
    numbers, so the repeated signature is text, not a running header."""
    lines = ["全国人民代表大会公告"]
    for n in range(1, 5):
        lines += [f"第{n}号公告：大会选举某某为某某委员会主任，现予公告。", "某某代表大会第一次会议主席团", "2018年3月18日于北京"]
    cleaned = clean("\n".join(lines), settings.cleaning)
    assert not any(r.rule in ("running-header", "page-number") for r in cleaned.removed)


def test_a_markdown_lists_markers_and_a_wikisource_notice_go(settings):
    """A law kept as a Markdown list (`* 1 …`, `> 釋：…`): the markers go, the text stays; the
    licence notice Wikisource appends to a text it hosts, broken over short lines, goes."""
    articles = ["* 1 本法依組織法第二條制定之。", "> 釋：明定本法法源。", "* 2 委員應於每年二月一日報到。",
                "> 釋：明定報到日。", "* 3 會議須有委員三分之一出席。"]
    cleaned = clean("\n".join(articles), settings.cleaning)
    assert cleaned.lines == [line[2:] for line in articles]
    assert {r.rule for r in cleaned.removed} == {"markdown-list-marker"}
    body = ["各位代表：", "现在，我代表国务院向大会作政府工作报告，请予审议。", "让我们团结一心，开拓进取，为实现今年目标任务而努力奋斗！"]
    notice = ["本作品是中华人民共和国的", "法律", "、", "法规", "，国家机关的决议、决定、命令和其他文件，属于", "公有领域", "。",
              "Public domain", "false"]
    cleaned = clean("\n".join(body + [""] * 3 + notice), settings.cleaning)
    assert cleaned.lines == body
    assert {r.rule for r in cleaned.removed} == {"wikisource-license"}


def test_a_data_source_note_in_the_middle_of_a_text_is_its_own(settings):
    """来源：/ 資料來源： at either end of a text is its byline (metadata); in its middle, under a
    table, it is the text's own note and stays."""
    body = [f"第{n}项：全年完成投资{n}亿元，同比增长百分之{n}，超额完成年度计划。" for n in range(1, 80)]
    note = "资料来源：某某统计局"
    lines = ["某某局2023年工作总结", "来源：某某网"] + body[:40] + [note] + body[40:]
    cleaned = clean("\n".join(lines), settings.cleaning)
    assert note in cleaned.lines
    assert cleaned.metadata.get("source") == "某某网"


def test_a_blank_line_between_two_lines_keeps_them_apart(settings):
    """A blank line separates paragraphs: a line ending mid-clause before one is not joined to the
    next — unless the text puts a blank line between almost every two lines (then blank lines say
    nothing, and a broken sentence is still rejoined)."""
    first = "一年来，局党组坚持以党的政治建设为统领，围绕中心工作，"
    second = "扎实推进机关党建各项任务。"
    other = ["全年召开党组会议二十次，研究重大事项四十余项。", "开展主题党日活动十二次，党员参与率百分之百。"]
    assert clean("\n".join([first, "", second, *other]), settings.cleaning).lines == [first, second, *other]
    assert clean("\n".join([first, second, *other]), settings.cleaning).lines == [first + second, *other]
    spaced = "\n\n".join([first, second, *other])
    assert clean(spaced, settings.cleaning).lines == [first + second, *other]


def test_a_government_portals_footer_goes(settings):
    """The footer a portal puts under every page: links, who runs the site, its ICP and security
    filing numbers, the notice shown when a link leaves the site. All of it goes, recorded."""
    body = ["某县2022年国民经济和社会发展统计公报", "2022年，全县地区生产总值增长百分之四点五，经济运行稳中有进。",
            "全年一般公共预算收入十七亿元，比上年增长百分之八。"]
    footer = ["【返回顶部】【关闭本页】", "网站地图", "隐私声明", "关于我们", "主办：某县人民政府  承办：某县人民政府办公室",
              "某ICP备11000000号-1  网站标识码：3600000000   某公网安备 36000000000000号",
              "技术支持：某县信息中心  版权所有", "X", "您访问的链接即将离开'某县人民政府网站'是否继续？", "继续访问\t\t放弃"]
    cleaned = clean("\n".join(body + footer), settings.cleaning)
    assert cleaned.lines == body
    assert len(cleaned.removed) == len(footer)


def test_a_text_hard_wrapped_at_one_width_is_rejoined(settings):
    """A PDF's column: every line 30 characters, cut wherever the column ends, mid-word (學|校).
    jieba cannot vouch for every such cut in traditional Chinese; the width does: a line that ran
    to it and stopped mid-sentence is joined to the next."""
    paragraphs = ["政府會繼續投放資源於教育，包括推行十五年免費教育，優化學校教育，照顧有特殊需要的學生，"
                  "並且加強職業教育，讓青年人有更多的出路和發展機會。",
                  "在房屋方面，政府會增加資助房屋的供應，加快興建公屋，縮短輪候時間，並且研究放寬或解除"
                  "現時適用於港島薄扶林和半山的行政措施，以增加房屋土地供應，讓市民安居樂業。",
                  "在醫療方面，政府會增加公立醫院的病床和醫護人員，縮短輪候專科門診的時間，推動基層醫療，"
                  "讓市民得到適切的照顧。",
                  "在交通方面，政府會興建新的鐵路線，改善巴士服務，減少路面擠塞，並且推動電動車的使用，"
                  "改善空氣質素，讓市民出行更加方便快捷。",
                  "在環境方面，政府會加強廢物管理，推動減廢回收，保護郊野公園，並且發展可再生能源，"
                  "應對氣候變化帶來的挑戰。"]
    lines = [p[i:i + 30] for p in paragraphs for i in range(0, len(p), 30)]
    cleaned = clean("\n".join(lines), settings.cleaning)
    assert cleaned.lines == paragraphs
