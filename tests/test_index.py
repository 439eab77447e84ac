"""The slogan (提法) index and the cited-documents index: extraction, variants,
unquoted-use precision, and links that resolve in the built site."""
from __future__ import annotations

import gzip
import html
import json
import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from hypothesis import given, settings, strategies as st

from conftest import data_json, data_uses
from reading_room.index import (
    IndexSettings, bodies_told_apart, build_index, find_quotations, group_of, normalise, slugify,
)
from reading_room.outline import Block, BlockKind

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = IndexSettings(min_length=2, max_length=20)  # bare uses of any length count (issue 13)


@dataclass(frozen=True)
class Text:
    """What the index reads of a report (index.Source)."""
    id: str
    blocks: tuple[Block, ...]
    organization: str = ""


def source(report: str, *paragraphs: str) -> Text:
    return Text(report, tuple(Block(BlockKind.PARAGRAPH, text, anchor=f"p-{i}") for i, text in enumerate(paragraphs)))


def test_bodies_count_as_evidence_only_where_most_reports_name_theirs():
    assert bodies_told_apart(["国务院", "某省人民政府", "", "某市委"])
    assert not bodies_told_apart(["国务院"] * 10)  # one body: nothing told apart
    assert not bodies_told_apart(["国务院", "中共中央"] + [""] * 30)  # news: a few headlines name one


def entry(index, key):
    return index.by_key().get(normalise(key))


# --- extraction --------------------------------------------------------------

def test_every_quote_style_is_found():
    text = "增强“四个意识”，落实「三会一课」和『一岗双责』，坚持‘两个维护’，践行\"公安姓党\"。"
    found = {text[s:e] for s, e in find_quotations(text, [("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’"), ('"', '"')])}
    assert {"四个意识", "三会一课", "一岗双责", "两个维护", "公安姓党"} <= found


def test_a_quotation_padded_with_spaces_is_one_quoted_use():
    """A PDF's text pads its quotation marks (the LegCo record: “一國兩制 ” 122 times): the use is
    the words, quoted once, not a quoted use with a space and a bare one at the same place."""
    text = "堅持“一國兩制 ”、“ 港人治港”和“一國兩制”方針，落實一國兩制。"
    assert [text[s:e] for s, e in find_quotations(text, [("“", "”")])] == ["一國兩制", "港人治港", "一國兩制"]
    idx = build_index([source("a", text), source("b", "“一國兩制”")], "slogans", SETTINGS)
    uses = entry(idx, "一國兩制").uses
    assert len(uses) == 4 and sum(u.quoted for u in uses) == 3
    assert set(entry(idx, "一國兩制").variants) == {"一國兩制"}


def test_length_range_and_sentences_are_settings():
    long_quote = "“" + "我们要坚持党的全面领导并且不断推进各项工作取得新的更大成效" + "”"
    idx = build_index([source("a", f"他说{long_quote}，又强调“四风”问题和“严”字当头，“要学习。要落实”")], "slogans", SETTINGS)
    keys = {e.key for e in idx.entries}
    assert "四风" in keys
    assert not any(len(k) > 20 for k in keys), "long quotations of speeches are not formulations"
    assert "严" not in keys, "one character is below the minimum length"
    assert not any("。" in k for k in keys), "a quoted sentence is not a formulation"
    wider = IndexSettings(min_length=1, max_length=40)
    assert "严" in {e.key for e in build_index([source("a", "“严”字当头")], "slogans", wider).entries}


def test_cited_documents_are_a_separate_index():
    paragraphs = ("学习《中国共产党支部工作条例（试行）》，落实“三会一课”。",)
    slogans = build_index([source("a", *paragraphs)], "slogans", SETTINGS)
    cited = build_index([source("a", *paragraphs)], "cited", SETTINGS)
    assert [e.key for e in cited.entries] == ["中国共产党支部工作条例(试行)"]
    assert "中国共产党支部工作条例(试行)" not in {e.key for e in slogans.entries}
    assert cited.entries[0].display == "中国共产党支部工作条例（试行）"


# --- variants ----------------------------------------------------------------

def test_separator_and_width_variants_are_one_entry():
    idx = build_index([
        source("a", "持续巩固“不忘初心、牢记使命”主题教育成果。"),
        source("b", "扎实开展“不忘初心，牢记使命”主题教育。"),
        source("c", "开展「不忘初心,牢记使命」主题教育。"),
    ], "slogans", SETTINGS)
    e = entry(idx, "不忘初心、牢记使命")
    assert e is not None and e.report_count == 3
    assert set(e.variants) == {"不忘初心、牢记使命", "不忘初心，牢记使命", "不忘初心,牢记使命"}
    assert len([x for x in idx.entries if "初心" in x.key]) == 1


def test_manual_merges_from_settings():
    merged = IndexSettings(merges=((normalise("党章"), normalise("中国共产党章程")),))
    idx = build_index([source("a", "学习《党章》"), source("b", "学习《中国共产党章程》")], "cited", merged)
    assert len(idx.entries) == 1 and idx.entries[0].report_count == 2


@given(st.text(alphabet="四个意识两维护三会一课、，,", min_size=2, max_size=12))
@settings(max_examples=200, deadline=None)
def test_normalise_is_idempotent_and_folds_separators(form):
    key = normalise(form)
    assert normalise(key) == key
    assert "，" not in key and "," not in key


# --- unquoted uses -------------------------------------------------------------

def test_unquoted_uses_count_once_the_formulation_is_known():
    idx = build_index([
        source("a", "平台上线后，全体党员都在用“学习强国”学习。"),
        source("b", "抓好全局民警学习强国的学习使用。"),
        source("c", "这一篇没有提到它。"),
    ], "slogans", SETTINGS)
    e = entry(idx, "学习强国")
    assert {(u.report, u.quoted) for u in e.uses} == {("a", True), ("b", False)}


def test_unquoted_match_must_sit_on_word_boundaries():
    idx = build_index([
        source("a", "着眼进一步把“好班子”建成“强班子”。"),
        source("b", "二是管好班子带好队伍。"),
        source("c", "同时还要带好班子和队伍。"),
    ], "slogans", SETTINGS)
    e = entry(idx, "好班子")
    assert [u.report for u in e.uses] == ["a"], "管好班子 and 带好班子 are not uses of “好班子”"


def test_quoted_use_is_not_counted_again_as_unquoted():
    idx = build_index([source("a", "落实“三会一课”制度，三会一课要经常化。")], "slogans", SETTINGS)
    e = entry(idx, "三会一课")
    assert sorted(u.quoted for u in e.uses) == [False, True]


# --- grouping and slugs ------------------------------------------------------------

def test_groups_numbered_formulations_by_numeral_and_others_by_pinyin():
    assert group_of("两个维护") == "两"
    assert group_of("四个意识") == "四"
    assert group_of("三会一课") == "三"
    assert group_of("公安姓党") == "G"
    assert group_of("学习强国") == "X"


def test_slugs_are_ascii_and_distinct():
    idx = build_index([source("a", "“四个意识”“四个意识”“事故意识”“三会一课”")], "slogans", SETTINGS)
    slugs = [e.slug for e in idx.entries]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[0-9a-z-]+", s) for s in slugs)
    assert slugify("四个意识") == "si-ge-yi-shi"


# --- on the sample corpus, through the whole build ----------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], a.get("class", "")))


@pytest.fixture(scope="module")
def sample_site(sample_build):
    return sample_build.site


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_sample_corpus_entries(sample_site):
    rows = {row["key"]: row for row in data_json(sample_site, "slogans.json")}
    uses = data_uses(sample_site)
    reports = data_json(sample_site, "reports.json")
    texts = {r["id"]: (sample_site / r["url"] / "index.html").read_text("utf-8") for r in reports}

    def quoting(form):
        return {rid for rid, html in texts.items() if re.search(f"“(<a[^>]*>)?{form}(</a>)?”", html)}

    sanhui = rows["三会一课"]
    assert {o["report"] for o in uses[sanhui["key"]] if o["quoted"]} == quoting("三会一课")
    buwang = rows[normalise("不忘初心、牢记使命")]
    assert {"不忘初心、牢记使命", "不忘初心，牢记使命"} <= set(buwang["variants"])
    assert buwang["reports"] == 3
    xuexi = rows["学习强国"]
    mentions = {rid for rid, html in texts.items() if "学习强国" in html}
    assert {o["report"] for o in uses[xuexi["key"]]} == mentions
    assert any(not o["quoted"] for o in uses[xuexi["key"]])


def test_an_entry_page_marks_each_use_without_quotation_marks(sample_site, settings):
    """Each keyword-in-context line of a use without quotation marks is marked 无引号 (by its
    class, the words from the style sheet), and no quoted use is; a page shows its entry's
    first ``uses_per_page`` uses, in the order of the entry's CSV rows."""
    rows = {row["key"]: row for row in data_json(sample_site, "slogans.json")}
    uses = data_uses(sample_site)
    css = (sample_site / "assets" / "reading-room.css").read_text(encoding="utf-8")
    assert re.search(r'li\.bare::before\s*\{[^}]*content:\s*"无引号"', css)
    checked = 0
    for key, row in rows.items():
        mine = uses[key]
        if all(u["quoted"] for u in mine):
            continue
        page, _, slug = row["url"].partition("#")
        if not slug:  # an entry's own page opens with its first uses (a shared page has them all)
            mine = mine[:settings.index.uses_per_page]
        html = (sample_site / page / "index.html").read_text(encoding="utf-8")
        lines = re.findall(rf'<li id="{re.escape(slug + "-") if slug else ""}u\d+"( class="bare")?>', html)
        assert [bool(b) for b in lines] == [not u["quoted"] for u in mine], key
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("kind", ["slogans", "cited"])
def test_entries_found_in_one_report_share_pages_the_rest_have_their_own(sample_site, kind):
    """An entry found in one report only is a section of a shared page (once/<xx>/#<slug>) with
    every use in context; an entry found in more reports has a page of its own."""
    rows, uses = data_json(sample_site, f"{kind}.json"), data_uses(sample_site, kind)
    assert any(r["reports"] == 1 for r in rows) and any(r["reports"] > 1 for r in rows)
    for row in rows:
        page, _, anchor = row["url"].partition("#")
        html = (sample_site / page / "index.html").read_text(encoding="utf-8")
        if row["reports"] == 1:
            assert re.fullmatch(rf"{kind}/once/[0-9a-f]{{2}}/", page), row["url"]
            assert not (sample_site / kind / anchor).exists()  # no page of its own
            assert f'<h2 id="{anchor}">' in html
            section = html.split(f'<h2 id="{anchor}">', 1)[1].split("<h2 ", 1)[0]
            lines = re.findall(rf'<li id="{re.escape(anchor)}-u\d+"', section)
            assert len(lines) == row["uses"] == len(uses[row["key"]]), row["key"]
            assert 'data-md-type="toc"' not in html  # a heading per entry, no outline of them
        else:
            assert not anchor and page.startswith(f"{kind}/") and page.count("/") == 2, row["url"]
            assert re.search(r'<li id="u1"', html)
    assert len({row["url"].partition("#")[0] for row in rows}) <= len(rows)  # never more pages than entries


def test_every_slogan_link_and_use_resolves(sample_site):
    """Report pages link each quoted formulation to its entry; each entry's uses land on a real anchor."""
    pages = {p: _parse(p) for p in sample_site.rglob("*.html") if "pagefind" not in p.parts}
    pages.pop(sample_site / "404.html", None)  # served at any path, so its links are absolute
    checked = 0
    for page, parsed in pages.items():
        for href, cls in parsed.links:
            if href.startswith(("http:", "https:", "mailto:")) or href.startswith("#") and not href[1:]:
                continue
            base = "file://" + str(page)
            target, _, fragment = unquote(urljoin(base, href))[len("file://"):].partition("#")
            target = target.partition("?")[0]  # the compare view keeps its state in the query
            target_path = Path(target)
            if target_path.is_dir():
                target_path = target_path / "index.html"
            assert target_path.exists(), f"{page.relative_to(sample_site)} links to missing {href}"
            if fragment and target_path.suffix == ".html":
                assert fragment in pages[target_path].ids, f"{page.relative_to(sample_site)}: no anchor {href}"
            checked += 1
    assert checked > 100
    report_pages = [p for p in pages if p.relative_to(sample_site).parts[0] == "reports"]
    assert all(any("/slogans/" in href for href, _ in pages[p].links) for p in report_pages)


def test_json_and_csv_formats(sample_site):
    rows = data_json(sample_site, "slogans.json")
    uses = data_uses(sample_site)
    reports = {r["id"]: r for r in data_json(sample_site, "reports.json")}
    years = {rid: str(r["year"]) if r["year"] else "undated" for rid, r in reports.items()}
    assert set(uses) == {row["key"] for row in rows}  # the entries' uses are the CSV's rows, by key
    for row in rows:
        assert set(row) == {"slogan", "key", "variants", "url", "reports", "uses",
                            "evidence", "by_year", "first_seen", "last_seen", "by_body"}
        own = uses[row["key"]]
        assert row["uses"] == len(own)
        # over time: reports per year are the distinct reports of the uses, by their year
        used = {o["report"] for o in own}
        assert {y: v["reports"] for y, v in row["by_year"].items()} == {
            y: len({r for r in used if years[r] == y}) for y in {years[r] for r in used}}
        assert sum(v["uses"] for v in row["by_year"].values()) == len(own)
        dated = sorted(years[r] for r in used if years[r] != "undated")
        assert (row["first_seen"] or "")[:4] == (dated[0] if dated else "")
        assert (row["last_seen"] or "")[:4] == (dated[-1] if dated else "")
        assert row["evidence"]["reports"] == row["reports"]
        assert row["evidence"]["reason"] in ("curator", "quoted", "numbered", "bare")
        assert (sample_site / row["url"].partition("#")[0] / "index.html").exists()
        assert row["reports"] == len(used)
        for occ in own:
            assert occ["report"] in reports and occ["slogan"] == row["slogan"]
            assert normalise(occ["match"]) == row["key"]  # the use as written, folded, is the entry
        # oldest first, within the entry
        days = [o["date"] or "9999" for o in own]
        assert days == sorted(days)
    csv_text = gzip.decompress((sample_site / "data/slogans.csv.gz").read_bytes()).decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ("slogan,key,reports,report,title,year,organization,date,url,quoted,"
                                        "left,match,right,section")
    # section: the headings above the use's paragraph on its report's page, outermost first
    checked = 0
    for row in rows:
        for occ in uses[row["key"]]:
            page, _, anchor = occ["url"].partition("#")
            html_text = (sample_site / page / "index.html").read_text(encoding="utf-8")
            above = html_text[:html_text.index(f'id="{anchor}"')]
            path: list[tuple[int, str]] = []
            for level, heading in re.findall(r"<h([2-6])[^>]*>(.*?)</h\1>", above, re.S):
                path = [p for p in path if p[0] < int(level)] + [(int(level), heading)]
            own = re.search(r"<h([2-6]) $", above)  # a use in a heading: the headings above it
            path = [p for p in path if not own or p[0] < int(own.group(1))]
            expected = " › ".join(html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>', "", h))).strip()
                                  for _, h in path)
            assert occ["section"] == expected, (row["key"], occ["url"])
            checked += bool(expected)
    assert checked > 10
    cited = data_json(sample_site, "cited.json")
    assert any(r["key"] == normalise("中国共产党支部工作条例（试行）") for r in cited)


# --- what is a formulation -------------------------------------------------------------

def test_one_quoted_use_does_not_make_an_ordinary_word_or_name_a_formulation():
    bare = ["这是第一次在莫斯科举行，具有建设性，有可能扩大合作。"] * 30
    idx = build_index(
        [source("q", "他说这是“第一次”，“莫斯科”很冷，会谈富有“建设性”，“有可能”达成一致。")]
        + [source(f"b{i}", text) for i, text in enumerate(bare)],
        "slogans", SETTINGS)
    keys = {e.key for e in idx.entries}
    assert not keys & {"第一次", "莫斯科", "建设性", "有可能"}, keys


def test_every_use_counts_once_an_entry_even_two_characters_bare():
    idx = build_index([
        source("a", "坚决纠治“四风”问题。"),
        source("b", "驰而不息纠治四风，防止四风反弹。"),
        source("c", "今年四川风调雨顺。"),
    ], "slogans", SETTINGS)
    e = entry(idx, "四风")
    assert sorted((u.report, u.quoted) for u in e.uses) == [("a", True), ("b", False), ("b", False)]
    assert e.evidence["quoted_share"] == round(1 / 3, 3) and e.evidence["reports"] == 2


def test_curator_allow_and_stop_lists_win():
    curated = IndexSettings(allow=frozenset({"中国梦"}), stop=frozenset({"好班子"}))
    idx = build_index([source("a", "实现中国梦，建设“好班子”。")], "slogans", curated)
    assert entry(idx, "中国梦").evidence["reason"] == "curator"
    assert entry(idx, "好班子") is None


XWLB = ROOT.parent / "shared" / "corpora" / "xwlb-sample"


@pytest.mark.skipif(not XWLB.is_dir(), reason="needs ../shared/corpora/xwlb-sample")
def test_news_sample_formulations_without_the_allow_list():
    """On real news text, with the curation data minus its allow list: formulations are
    found from quotes, numbered shapes and bare use; names, ordinals and ordinary words are not."""
    from dataclasses import replace

    from reading_room.settings import load_settings

    settings = replace(load_settings(ROOT / "corpus").index, allow=frozenset())
    sources = []
    for path in sorted(XWLB.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        sources.append(source(path.stem, *lines[2:]))
    idx = build_index(sources, "slogans", settings)
    rows = idx.by_key()
    # 乡村振兴 ends in a verb: an entry because writers quote it at times and use it bare a lot
    for key in ("中国特色社会主义", "高质量发展", "一带一路", "两个维护", "两个确立", "一国两制", "新时代", "乡村振兴"):
        assert key in rows, key
        raw = sum(1 for s in sources if any(key in b.text for b in s.blocks))
        assert 0.8 * raw <= rows[key].report_count <= raw, (key, rows[key].report_count, raw)
    top = [e.key for e in idx.entries[:100]]
    for word in ("新闻联播", "第一次", "第一个", "有可能", "建设性", "莫斯科", "大熊猫", "查韦斯",
                 "中华人民共和国", "有关部门", "习近平总书记", "国务院总理", "央视网消息", "一项重要",
                 "犯罪嫌疑人", "人民群众生", "框架内"):
        assert word not in top, word
    assert [e.report_count for e in idx.entries] == sorted((e.report_count for e in idx.entries), reverse=True)
    assert all(e.evidence["reason"] in ("quoted", "numbered", "bare") for e in idx.entries)


def test_a_long_formulation_counts_before_a_suffix_a_short_one_does_not():
    curated = IndexSettings(allow=frozenset({"脱贫攻坚", "中国梦"}))
    idx = build_index([
        source("a", "我们打赢了脱贫攻坚战，巩固脱贫攻坚成果。"),
        source("b", "实现中国梦想是每个人的心愿。"),
        source("c", "共同实现中国梦。"),
    ], "slogans", curated)
    assert {u.report for u in entry(idx, "脱贫攻坚").uses} == {"a"} and len(entry(idx, "脱贫攻坚").uses) == 2
    assert {u.report for u in entry(idx, "中国梦").uses} == {"c"}


# --- what is a formulation on text that is not party-building summaries (issue 13) -------

def _county_report(i: int, rest: str, *paragraphs: str, prefix: str = "r") -> Text:
    """The i-th of a set of county reports that uphold “两个维护” and go on with ``rest`` (and
    ``paragraphs``)."""
    return source(f"{prefix}{i}", f"{'东西南北'[i % 4]}{i}县落实“两个维护”，{rest}", *paragraphs)


def _filler(n: int, start: int = 0) -> list[Text]:
    """Reports about nothing political, each worded differently."""
    words = "春夏秋冬东西南北山水田林湖草"
    return [source(f"f{i}", f"{words[i % 14]}{words[(i // 14) % 14]}地区今天天气晴朗，最高气温{i}度。")
            for i in range(start, start + n)]


def test_a_phrase_after_the_verb_that_usually_precedes_it_is_a_candidate():
    """构建新发展格局 is nearly every use of 新发展格局; the formulation is the phrase without the verb."""
    reports = [source(f"r{i}", f"会议强调，{'构建' if i < 22 else '融入'}新发展格局。落实“两个维护”。")
               for i in range(25)]
    idx = build_index(reports + _filler(75), "slogans", SETTINGS)
    e = entry(idx, "新发展格局")
    assert e is not None and e.evidence["reason"] == "bare" and e.report_count == 25
    assert entry(idx, "构建新发展格局") is None


def test_political_company_is_measured_against_the_corpus():
    """In a corpus where a fifth of the reports are political text, a phrase whose reports are a
    third political keeps political company; a phrase in reports that quote nothing does not."""
    political = [source(f"p{i}", f"深入学习“两个维护”。数字乡村建设。" if i < 4 else "深入学习“两个维护”。")
                 for i in range(20)]
    rural = [source(f"d{i}", f"{'东西南北'[i % 4]}{i}村，数字乡村建设{'成效明显' if i % 2 else '稳步推进'}。")
             for i in range(8)]
    weather = [source(f"w{i}", f"{'东西南北'[i % 4]}{i}市发布高温红色预警。") for i in range(12)]
    idx = build_index(political + rural + weather + _filler(60), "slogans", SETTINGS)
    assert entry(idx, "数字乡村建设") is not None
    assert entry(idx, "高温红色预警") is None


def test_a_bare_use_across_a_word_end_needs_a_whole_last_word():
    """脱贫攻坚|战 is a use of 脱贫攻坚 (攻坚战 lengthens 攻坚); 人民群众生|命 is no use of
    人民群众生 (生 is one character of 生命), nor 两个毫不动|摇 of 两个毫不动 (毫不动 is no word, but
    three characters of 毫不动摇: on 10,650 news items it was an entry of 13 reports, every use of it
    inside “两个毫不动摇”)."""
    curated = IndexSettings(allow=frozenset({"人民群众生", "脱贫攻坚", "两个毫不动"}))
    idx = build_index([source("a", "保障人民群众生命财产安全。"), source("b", "打赢脱贫攻坚战。"),
                       source("c", "要坚持“两个毫不动摇”，支持各类所有制企业发展。"),
                       source("d", "坚持两个毫不动摇，优化营商环境。")], "slogans", curated)
    assert entry(idx, "人民群众生") is None
    assert [u.report for u in entry(idx, "脱贫攻坚").uses] == ["b"]
    assert entry(idx, "两个毫不动") is None


def test_a_post_before_the_last_word_makes_a_name():
    from reading_room.index import candidate_features
    from reading_room.settings import load_settings

    settings = load_settings(ROOT / "corpus").index
    for name in ("法国总统马克龙", "国务院决策部署"):
        features = candidate_features(name, settings)
        assert not features["bare"] and not features["phrase"], name
    assert candidate_features("供给侧结构性改革", settings)["bare"]
    # a body or a place by its head word (slogans.yml name_heads): news uses them bare in many items
    for name in ("中央有关部门", "中东部地区", "辽宁舰", "山东舰"):
        assert candidate_features(name, settings)["reject"] == "name", name


def test_a_surname_and_a_rare_word_is_a_person_s_name():
    """Names jieba does not know, as news prints them after a post (副委员长郑建邦): a surname
    and a two-character word no dictionary has. 全覆盖 starts with a surname's
    character too, but goes on with a common word."""
    from reading_room.index import candidate_features
    from reading_room.settings import load_settings

    settings = load_settings(ROOT / "corpus").index
    for name in ("郑建邦", "武维华"):
        assert candidate_features(name, settings)["reject"] == "name", name
    for phrase in ("全覆盖", "新时代"):
        assert candidate_features(phrase, settings)["reject"] == "", phrase


def test_an_everyday_description_used_bare_is_not_a_formulation_a_quoted_one_may_be():
    """好朋友 and 热烈掌声 are used bare in many political reports, as 生态文明建设 is; only the
    formulation is kept. 好干部, quoted, is judged as any quotation."""
    from reading_room.settings import load_settings

    curated = replace(SETTINGS, plain_starts=load_settings(ROOT / "corpus").index.plain_starts)
    reports = [_county_report(i, f"{('推进', '加强', '抓好', '推动')[i % 4]}生态文明建设，"
                                 f"{('会见', '看望', '欢迎', '送别', '宴请')[i % 5]}好朋友，{('赢得', '响起', '报以')[i % 3]}热烈掌声。",
                                 f"争当“好干部”。" if i % 2 else "今天晴。")
               for i in range(25)]
    idx = build_index(reports + _filler(75), "slogans", curated)
    assert entry(idx, "生态文明建设") is not None and entry(idx, "好干部") is not None
    assert entry(idx, "好朋友") is None and entry(idx, "热烈掌声") is None


def test_in_a_large_corpus_a_string_of_one_report_is_no_formulation():
    """One report in ``1 / min_reports_share`` is the least a formulation needs: a headline
    quoted in one news item of many is no entry, a quotation in two is; a curated one always
    is; in a corpus smaller than that, one report is enough (the party-building sample)."""
    settings = replace(SETTINGS, min_reports_share=0.01, allow=frozenset({"三会一课"}))
    reports = [source("q1", "他说“美国很受伤”。"), source("q2", "落实“两优一先”表彰。"),
               source("q3", "开展“两优一先”评选。"), source("q4", "坚持“三会一课”制度。")]
    idx = build_index(reports + _filler(196), "slogans", settings)  # 200 reports: two needed
    assert entry(idx, "美国很受伤") is None
    assert entry(idx, "两优一先").report_count == 2 and entry(idx, "三会一课") is not None
    small = build_index(reports + _filler(46), "slogans", settings)  # 50 reports: one is enough
    assert entry(small, "美国很受伤") is not None


def test_a_group_of_people_used_bare_is_not_a_formulation():
    """全国各族人民 and 广大干部群众 are used bare in as many political reports as 生态文明建设:
    the curated words for people (``people_ends``) keep them out, and only them."""
    from reading_room.settings import load_settings

    curated = replace(SETTINGS, people_ends=load_settings(ROOT / "corpus").index.people_ends)
    reports = [_county_report(i, f"{('推进', '加强', '抓好', '推动')[i % 4]}生态文明建设，"
                                 f"{('团结', '号召', '带领', '依靠', '动员')[i % 5]}全国各族人民，"
                                 f"{('鼓舞', '激励', '感动')[i % 3]}广大干部群众。")
               for i in range(25)]
    plain = build_index(reports + _filler(75), "slogans", SETTINGS)
    assert entry(plain, "全国各族人民") is not None and entry(plain, "广大干部群众") is not None
    idx = build_index(reports + _filler(75), "slogans", curated)
    assert entry(idx, "生态文明建设") is not None
    assert entry(idx, "全国各族人民") is None and entry(idx, "广大干部群众") is None


def test_a_phrase_of_place_used_bare_is_not_a_formulation():
    """在…框架内 is used bare in as many political reports as 生态文明建设: the curated words of
    place (``place_ends``) keep it out, and only them (without the list it would be an entry)."""
    from reading_room.settings import load_settings

    curated = replace(SETTINGS, place_ends=load_settings(ROOT / "corpus").index.place_ends)
    reports = [_county_report(i, f"{('推进', '加强', '抓好', '推动')[i % 4]}生态文明建设，"
                                 f"在{('上合组织', '二十国集团', '金砖合作', '亚太经合组织', '多边合作')[i % 5]}框架内"
                                 f"{('开展', '深化', '加强')[i % 3]}合作。")
               for i in range(25)]
    assert entry(build_index(reports + _filler(75), "slogans", SETTINGS), "框架内") is not None
    idx = build_index(reports + _filler(75), "slogans", curated)
    assert entry(idx, "生态文明建设") is not None and entry(idx, "框架内") is None


def test_the_cut_off_start_of_a_longer_phrase_is_not_a_formulation():
    """Two phrases used bare in the same political reports: one is followed by the same words
    in most of its uses (人民群众生命|财产安全, now and then |安全和身体健康), the start of longer
    phrases; 生态文明建设 is followed by all sorts of words, and by 的 as often as not, and is kept."""
    after = ("取得成效", "的成果", "迈上新台阶", "。", "的经验", "有力推进", "，")
    reports = [_county_report(i, f"{('推进', '加强', '抓好', '推动')[i % 4]}"
                                 f"生态文明建设{after[i % len(after)]}，{('保障', '保护', '守护')[i % 3]}人民群众生命"
                                 f"{'财产安全' if i % 10 < 7 else '安全和身体健康'}。")
               for i in range(25)]
    idx = build_index(reports + _filler(75), "slogans", SETTINGS)
    kept = entry(idx, "生态文明建设")
    assert kept is not None and kept.evidence["reason"] == "bare"
    assert entry(idx, "人民群众生命") is None
    # this rule alone (人民群众生命财产安全 is an entry too, and holds 70 % of its uses: bare_inside_ratio)
    inside_allowed = IndexSettings(min_length=2, max_length=20, bare_inside_ratio=1.01)
    assert entry(build_index(reports + _filler(75), "slogans", inside_allowed), "人民群众生命") is None
    lenient = replace(inside_allowed, bare_max_continuation=1.01)
    assert entry(build_index(reports + _filler(75), "slogans", lenient), "人民群众生命") is not None


@pytest.mark.parametrize("inside, kept", [(7, False), (5, True)])
def test_a_phrase_mostly_inside_a_longer_entry_is_not_one_of_its_own(inside, kept):
    """低碳发展 written inside 绿色低碳发展 in 7 of 10 uses is that entry's piece; in 5 of 10 it is
    also a phrase of its own (坚持|低碳发展, 实现|低碳发展) and stays beside it."""
    verbs = ("坚持", "实现", "推动", "加快", "促进")
    reports = [_county_report(i, f"{verbs[i % 5]}{'绿色' if i % 10 < inside else ''}低碳发展，{('成效明显', '取得进展', '稳步推进')[i % 3]}。")
               for i in range(40)]
    idx = build_index(reports + _filler(110), "slogans", SETTINGS)
    assert entry(idx, "绿色低碳发展") is not None
    assert (entry(idx, "低碳发展") is not None) == kept
    lenient = IndexSettings(min_length=2, max_length=20, bare_inside_ratio=1.01)
    assert entry(build_index(reports + _filler(110), "slogans", lenient), "低碳发展") is not None


def test_a_phrase_that_starts_inside_a_word_is_not_a_formulation():
    """方维护国家 (of 支持斯方维护国家主权…, where jieba knows no 斯方 and cuts 斯|方) starts with the last
    character of a word: it is a small part of the uses of 维护国家 (its ``head``; 新发展格局 is
    most uses of 发展格局)."""
    objects = ("主权", "利益", "安全", "统一")
    reports = [_county_report(i, f"支持{'斯塔摩刚尼'[i % 5]}方维护国家{objects[i % 4]}。")
               for i in range(30)]
    reports += [_county_report(i, f"坚决维护国家{objects[i % 4]}。", prefix="s")
                for i in range(90)]
    idx = build_index(reports + _filler(300), "slogans", SETTINGS)
    assert entry(idx, "方维护国家") is None
    lenient = replace(SETTINGS, bare_min_cohesion=0.1)
    assert entry(build_index(reports + _filler(300), "slogans", lenient), "方维护国家") is not None


def test_continuation_share_counts_the_commonest_next_character_but_not_function_words():
    from reading_room.index import Use, continuation_share

    texts = {("a", "p"): "坚定不移走中国特色社会主义道路，", ("b", "p"): "坚定不移走中国特色社会主义的路",
             ("c", "p"): "坚定不移走中国特色的道路", ("d", "p"): "坚定不移走中国特色"}
    uses = [Use(r, "p", 0, 9, False, "坚定不移走中国特色") for r in "abcd"]
    function_tags = IndexSettings().function_tags
    assert continuation_share(uses, texts, function_tags) == 0.5  # 社 twice of four; 的 and the end not counted
    assert continuation_share(uses[:2], texts, function_tags) == 1.0
    assert continuation_share(uses[2:], texts, function_tags) == 0.0


@pytest.mark.skipif(not XWLB.is_dir(), reason="needs ../shared/corpora/xwlb-sample")
def test_statistics_vocabulary_is_used_where_news_counts_a_formulation_is_not():
    """On real news text: 国内生产总值, 设计时速 and 实际使用外资 are stated beside a quantity
    (增长7.6%, 350公里) in most of their uses; 全面建成小康社会 and 新发展理念 are not, though
    their clauses carry dates (2016年, “十三五”) — a date is no quantity."""
    from reading_room.index import Use, counting_share
    from reading_room.settings import load_settings

    limit = load_settings(ROOT / "corpus").index.bare_max_counting
    texts, uses = {}, {}
    for path in sorted(XWLB.glob("*.txt")):
        for i, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
            texts[(path.stem, f"p-{i}")] = line
            for key in ("国内生产总值", "设计时速", "实际使用外资", "全面建成小康社会", "新发展理念"):
                start = line.find(key)
                while start >= 0:
                    uses.setdefault(key, []).append(Use(path.stem, f"p-{i}", start, start + len(key), False, key))
                    start = line.find(key, start + 1)
    for key in ("国内生产总值", "设计时速", "实际使用外资"):
        assert len(uses[key]) >= 3 and counting_share(uses[key], texts) > limit, key
    for key in ("全面建成小康社会", "新发展理念"):
        assert len(uses[key]) >= 5 and counting_share(uses[key], texts) <= limit, key


def test_a_phrase_used_bare_where_news_counts_is_not_a_formulation():
    """Two phrases used bare in the same political reports: the one stated with its quantity
    each time (森林覆盖率达到24%) is what is counted; 生态文明建设 is kept."""
    reports = [_county_report(i, f"{('推进', '加强', '抓好', '推动')[i % 4]}生态文明建设，"
                                 f"森林覆盖率{('达到', '提高到', '超过', '升至', '为')[i % 5]}{20 + i}%。")
               for i in range(25)]
    idx = build_index(reports + _filler(75), "slogans", SETTINGS)
    assert entry(idx, "生态文明建设") is not None and entry(idx, "生态文明建设").evidence["reason"] == "bare"
    assert entry(idx, "森林覆盖率") is None
    lenient = IndexSettings(min_length=2, max_length=20, bare_max_counting=1.0)
    assert entry(build_index(reports + _filler(75), "slogans", lenient), "森林覆盖率") is not None


def test_a_formulation_with_a_verb_on_it_is_a_use_of_that_formulation():
    """“推动高质量发展” is quoted as often as “高质量发展”, and 命运共同体建设 is used bare as widely as
    生态文明建设: each is a formulation with a verb on it, counted as a use of the formulation
    (the curated tags ``before_formulation_tags``/``after_formulation_tags`` say which words are
    verbs). A slogan of parts whose last part is a formulation (“无禁区、全覆盖、零容忍”) stays an
    entry of its own."""
    from reading_room.settings import load_settings

    curated = load_settings(ROOT / "corpus").index
    rules = replace(SETTINGS, before_formulation_tags=curated.before_formulation_tags,
                    after_formulation_tags=curated.after_formulation_tags)
    without = replace(SETTINGS, before_formulation_tags=frozenset(), after_formulation_tags=frozenset())
    reports = [_county_report(i, f"{'“推动高质量发展”' if i % 2 else '坚持“高质量发展”'}，"
                                 f"{('推进', '加强', '抓好', '推动')[i % 4]}生态文明建设，"
                                 f"{('参与', '促进', '支持')[i % 3]}{'命运共同体建设' if i % 2 else '“命运共同体”'}，"
                                 f"{'坚持“无禁区、全覆盖、零容忍”' if i % 5 == 0 else '反腐败“零容忍”'}。")
               for i in range(25)]
    plain = build_index(reports + _filler(75), "slogans", without)
    assert entry(plain, "推动高质量发展") is not None and entry(plain, "命运共同体建设") is not None
    idx = build_index(reports + _filler(75), "slogans", rules)
    assert entry(idx, "推动高质量发展") is None and entry(idx, "命运共同体建设") is None
    for kept in ("高质量发展", "命运共同体", "生态文明建设", "无禁区、全覆盖、零容忍", "零容忍"):
        assert entry(idx, kept) is not None, kept
    # the uses of the formulation count where the longer phrase stood: every report with 推动高质量发展
    assert entry(idx, "高质量发展").report_count == 25
