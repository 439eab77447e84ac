"""Shared passages: passages planted into other reports (verbatim, two characters changed, a clause
cut) are found with their source paragraph, templates are grouped once, and the page links them."""
from __future__ import annotations

import csv
import gzip
import html as html_module
import io
import json
import itertools
import re
from dataclasses import replace

import pytest

from conftest import CORPUS, captured_build, make_corpus, sample_files
from reading_room.data import reuse_csv, reuse_json
from reading_room.fingerprint import fingerprint, normalize
from reading_room.outline import Block
from reading_room.conversion import convert_corpus
from reading_room.reuse import MIN_CHARS, align, find_reuse
from reading_room.reuse_pages import CONTEXT


@pytest.fixture(scope="module")
def sample_reports():
    return convert_corpus(CORPUS, None).reports


def _long_paragraphs(report, min_chars=80):
    return [b for b in report.blocks if b.kind == "paragraph" and len(normalize(b.text)) >= min_chars]


def test_align_finds_verbatim_changed_and_cut_passages():
    source = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大和二十届历次全会精神，统筹推进各项工作。"
    other = "我们的做法是：" + source[5:50] + "。此外还有别的内容不相干。"
    matched, a0, a1, b0, b1 = align(source, other)
    assert matched >= 45 and source[5:50] in source[a0:a1] and source[5:50] in other[b0:b1]
    changed = source[:20] + "某某" + source[22:]
    assert align(source, changed)[0] == len(source) - 2
    cut = source.replace("全面贯彻落实党的二十大和二十届历次全会精神，", "")
    assert align(source, cut)[0] == 0 or align(source, cut)[0] >= MIN_CHARS  # a cut longer than a gap splits it
    assert align(source, "完全不同的一段文字，讲的是另一件事情，与上面没有关系，长度也够三十个字以上。")[0] == 0
    assert align(source[:25], source[:25])[0] == 0  # shorter than a passage


def test_a_verbatim_passage_is_found_among_chance_matches_after_it():
    """A passage copied into the middle of an unrelated paragraph (a real news item's
    sentence): the few characters the two paragraphs happen to share after it (人, 日, 。)
    are near enough to join its run and thin it below the density; the passage is found
    on its own."""
    copied = "价上升水平温和可控，可以完成全年3.5%的调控目标；世界上最大的社保体系已经建立，"
    source = normalize("这一年来，保障民生的成效日渐显现：截至9月底，全国新开工保障房620万套，完成年度任务的98%；物"
                       + copied + "超过13亿人参加医疗保险，8亿人参加养老保险。")
    other = normalize("央视网消息（新闻联播）：今天（20日）出" + copied
                      + "版的人民日报发表社论，题目是《奋力书写人民政协事业新篇章——庆祝人民政协成立七十周年》。")
    matched, a0, a1, b0, b1 = align(source, other)
    assert matched >= len(normalize(copied))
    assert normalize(copied) in source[a0:a1] and normalize(copied) in other[b0:b1]


def _plant(sample_reports):
    """Three passages of the first report planted into the others: verbatim as a paragraph of its own,
    two characters changed inside an existing paragraph, and a whole paragraph with a clause cut."""
    source = sample_reports[0]
    picks = _long_paragraphs(source)[2:5]
    assert len(picks) == 3
    plants = []  # (source anchor, target report id, planted text)
    reports = list(sample_reports)

    def add(i, text, inside: bool):
        target = reports[i]
        blocks = list(target.blocks)
        if inside:
            k = next(j for j, b in enumerate(blocks) if b.kind == "paragraph" and len(b.text) > 40)
            blocks[k] = replace(blocks[k], text=blocks[k].text[:20] + text + blocks[k].text[20:])
            blocks[k] = replace(blocks[k], anchor="p-" + fingerprint(blocks[k].text))
        else:
            blocks.insert(len(blocks) // 2, Block("paragraph", text, anchor="p-" + fingerprint(text), ordinal=999))
        reports[i] = replace(target, blocks=blocks)
        plants.append((source.id, picks[len(plants)].anchor, target.id, text))

    first = picks[0].text
    add(1, first[10:55], inside=False)
    second = picks[1].text[5:60]
    add(2, second[:15] + "某甲" + second[17:], inside=True)
    third = picks[2].text
    clauses = re.split(r"(?<=[，；])", third)
    longest = max(range(len(clauses)), key=lambda j: len(clauses[j]) if 0 < j < len(clauses) - 1 else 0)
    add(3, "".join(c for j, c in enumerate(clauses) if j != longest) if len(clauses) > 2 else third[8:], inside=False)
    return reports, plants


def test_planted_passages_share_a_cluster_with_their_source(sample_reports):
    reports, plants = _plant(sample_reports)
    reuse = find_reuse(reports)
    clusters = [c for c in reuse.clusters if not c.banal]
    found = 0
    for source_id, source_anchor, target_id, text in plants:
        target = next(r for r in reports if r.id == target_id)
        target_anchor = next(b.anchor for b in target.blocks if text in b.text)
        together = [c for c in clusters
                    if {(m.report, m.paragraph) for m in c.members} >= {(source_id, source_anchor), (target_id, target_anchor)}]
        found += bool(together)
        if together:
            member = next(m for m in together[0].members if (m.report, m.paragraph) == (target_id, target_anchor))
            assert 0 < member.similarity <= 1
    assert found == len(plants)
    # nothing else: every other cluster is one the sample shares without the planted passages
    before = {tuple((m.report, m.paragraph) for m in c.members) for c in find_reuse(sample_reports).clusters}
    planted = {(p[0], p[1]) for p in plants}
    extra = [c for c in clusters if tuple((m.report, m.paragraph) for m in c.members) not in before
             and not {(m.report, m.paragraph) for m in c.members} & planted]
    assert not extra


def test_templates_are_grouped_once_and_not_expanded(sample_reports):
    """A line in most reports is one banal cluster with every report in it."""
    line = "各位代表，现在我代表本单位向大会报告工作，请予审议，并请各位同志提出意见和建议。"
    paragraphs = [b for r in sample_reports for b in r.blocks if b.kind == "paragraph"]
    many = []
    for k in range(12):  # twelve reports with nothing else in common
        blocks = [Block("paragraph", line, anchor="p-" + fingerprint(line), ordinal=1)] + paragraphs[k::12]
        many.append(replace(sample_reports[0], id=f"r{k}", blocks=blocks))
    reuse = find_reuse(many)
    banal = [c for c in reuse.clusters if c.banal]
    assert len(banal) == 1 and banal[0].reports == 12 and banal[0].chars == len(normalize(line))
    rows = json.loads(gzip.decompress(reuse_json(reuse)))
    assert {"passage", "chars", "banal", "members"} == set(rows[0])
    table = list(csv.DictReader(io.StringIO(gzip.decompress(reuse_csv(reuse)).decode("utf-8-sig"))))
    assert len(table) == sum(len(c.members) for c in reuse.clusters)
    assert reuse_json(find_reuse(list(reversed(many)))) == reuse_json(reuse)  # deterministic


def test_report_page_marks_a_shared_paragraph_and_links_its_source(tmp_path):
    """A report that copies a paragraph of another: both pages mark it, the mark opens the view."""
    source = sample_files()[0]
    corpus = make_corpus(tmp_path / "corpus", [source, sample_files()[1]])
    text = source.read_text(encoding="utf-8")
    paragraph = max((line.strip() for line in text.splitlines()), key=len)
    (corpus / "copy.txt").write_text("某单位2021年工作总结\n本单位认真学习，扎实推进各项工作。\n"
                                     + paragraph[:80] + "\n最后一段自己的话，讲本单位的情况。\n", encoding="utf-8")
    build = captured_build(tmp_path / "out", corpus)
    assert build.exit_code == 0, build.err
    rows = json.loads(gzip.decompress((build.site / "data" / "reuse.json.gz").read_bytes()))
    copy = next(r for r in build.reports if r["source_file"] == "copy.txt")
    cluster = next(c for c in rows if copy["id"] in {m["report"] for m in c["members"]})
    assert {m["report"] for m in cluster["members"]} >= {copy["id"], source.stem}
    html = build.html(copy["id"])
    mark = re.search(r'<a class="reuse-mark" href="([^"]+)" data-reports="(\d+)"', html)
    assert mark and mark.group(2) == "1"
    share = re.search(r'与其他报告共用 (\d+)%：<a href="([^"]+)">', html)
    assert share and 20 <= int(share.group(1)) <= 90 and share.group(2).endswith(f"/{source.stem}/")
    # the earliest dated report holding the passage: the source (2019) on both pages, "本篇" on its own
    source_year = next(r["year"] for r in build.reports if r["id"] == source.stem)
    assert source_year and source_year < copy["year"]
    assert re.search(rf'最早：<a href="[^"]*/{source.stem}/">[^<]+</a>（{source_year}', html)
    assert f"最早：本篇（{source_year}" in build.html(source.stem)
    view = (build.site / "reports" / copy["id"] / mark.group(1).split("#")[0] / "index.html").resolve()
    page = view.read_text(encoding="utf-8")
    assert f'id="{cluster["passage"]}"' in page and f"/{source.stem}/#" in page
    # side by side: the first member's paragraph (what only it has struck out) beside the other's
    pair = re.search(r'<div class="reuse-pair"><div class="reuse-para">(.*?)</div><div class="reuse-para">(.*?)</div></div>',
                     page.split(f'id="{cluster["passage"]}"')[1])
    assert pair
    left, right = (html_module.unescape(re.sub(r"<del>.*?</del>|<ins>.*?</ins>|<[^>]+>", "", side)) for side in pair.groups())
    assert left.strip("…") == right.strip("…")  # what the two share, the same on both sides (the cuts aside)
    full_sides = [html_module.unescape(re.sub(r"<[^>]+>", "", side)) for side in pair.groups()]
    source_side = next(side for side in full_sides if "最后一段" not in side)
    # beside the copy, the stretch of the source's paragraph that holds what was copied, with at most
    # CONTEXT characters either side (and an ellipsis where it is cut): not the whole paragraph
    assert len(source_side) <= len(left) + 2 * (CONTEXT + 1) < len(paragraph) and source_side.endswith("…")
    assert len(left) >= 60 and left[:60] in source_side  # the copied stretch, unmarked on both sides
    assert "<del>" in pair.group(1) + pair.group(2) or "<ins>" in pair.group(1) + pair.group(2)
    assert (build.site / "reuse" / "index.html").exists() and (build.site / "data" / "reuse.csv.gz").exists()


def _sample_with_a_copy(folder):
    """The sample corpus and a report that copies 80 characters of its longest paragraph (the
    sample reports share no passage of MIN_CHARS matched characters among themselves)."""
    corpus = make_corpus(folder, sample_files())
    text = sample_files()[0].read_text(encoding="utf-8")
    paragraph = max((line.strip() for line in text.splitlines()), key=len)
    (corpus / "copy.txt").write_text("某单位2021年工作总结\n本单位认真学习，扎实推进各项工作。\n"
                                     + paragraph[:80] + "\n最后一段自己的话，讲本单位的情况。\n", encoding="utf-8")
    return corpus


def test_a_rebuild_with_no_report_changed_does_not_search_again(tmp_path, monkeypatch):
    """The shared passages come from the build cache while no report changed, and the pages
    they make are the same bytes as when they were found."""
    from conftest import tree_hashes
    from reading_room import pipeline, reuse

    corpus = _sample_with_a_copy(tmp_path / "corpus")
    docs, cache = tmp_path / "docs", tmp_path / "cache"
    pipeline.generate(corpus, docs, cache)
    before = tree_hashes(docs)
    assert gzip.decompress((docs / "data" / "reuse.json.gz").read_bytes()) != b"[]\n"

    def not_again(reports, store=None, keys=None, min_distinct=None, jobs=None):
        raise AssertionError("shared passages searched again with nothing changed")

    monkeypatch.setattr(reuse, "find_reuse", not_again)
    pipeline.generate(corpus, docs, cache)
    assert tree_hashes(docs) == before
    (cache / "reuse.json").write_text('{"key": "x", "clusters": []}', encoding="utf-8")
    with pytest.raises(AssertionError, match="searched again"):
        pipeline.generate(corpus, docs, cache)


def test_the_store_gives_what_a_search_from_scratch_gives(sample_reports, tmp_path):
    """Units, band keys and alignments kept on disk: after reports change (three passages
    planted, one report removed) the search reads only those reports again, hashes only units
    it has not seen, and finds exactly what a search from scratch finds."""
    from reading_room import reuse

    store = tmp_path / "reuse.sqlite"
    assert reuse_json(find_reuse(sample_reports, store)) == reuse_json(find_reuse(sample_reports))
    planted, _ = _plant(sample_reports)
    changed = planted[:-1]  # the last report removed as well
    hashed: list[str] = []
    real = reuse.band_keys

    def counting(texts):
        hashed.extend(texts)
        return real(texts)

    reuse.band_keys = counting
    try:
        incremental = find_reuse(changed, store)
    finally:
        reuse.band_keys = real
    assert reuse_json(incremental) == reuse_json(find_reuse(changed))
    unchanged = {r.id for r in changed if any(r is s for s in sample_reports)}
    old_units = {u for r in sample_reports if r.id in unchanged for b in r.blocks if b.kind == "paragraph"
                 for u in reuse.units(b.text)}
    assert hashed and not set(hashed) & old_units  # only new units were hashed


def test_a_damaged_store_is_made_again(sample_reports, tmp_path):
    store = tmp_path / "reuse.sqlite"
    expected = reuse_json(find_reuse(sample_reports))
    store.write_bytes(b"not a database at all" * 100)
    assert reuse_json(find_reuse(sample_reports, store)) == expected
    assert reuse_json(find_reuse(sample_reports, store)) == expected  # and it is a good store now


def test_a_change_that_no_passage_shows_makes_no_passage_page_again(tmp_path, monkeypatch):
    """A passage page is keyed by what it shows (its view): text added to a report elsewhere
    finds the passages again but aligns no member again, and the pages are what a build from
    scratch makes."""
    from conftest import tree_hashes
    from reading_room import pipeline, reuse_pages

    corpus = _sample_with_a_copy(tmp_path / "corpus")
    docs, cache = tmp_path / "docs", tmp_path / "cache"
    pipeline.generate(corpus, docs, cache)
    assert list((docs / "reuse").glob("*/index.html"))  # pages of passages
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n本单位另有一段独有的文字，与其他报告都不相同，专门用来检验页面。\n",
                     encoding="utf-8")
    made = []
    real = reuse_pages.bucket_page
    monkeypatch.setattr(reuse_pages, "bucket_page", lambda view: made.append(view.bucket) or real(view))
    pipeline.generate(corpus, docs, cache)
    assert made == []
    scratch = tmp_path / "scratch"
    pipeline.generate(corpus, scratch, tmp_path / "cache2")
    assert {k: v for k, v in tree_hashes(docs).items() if k.startswith("reuse/")} == \
        {k: v for k, v in tree_hashes(scratch).items() if k.startswith("reuse/")}


# --- real news items (issue 14): a shared frame is not a shared passage --------------------------

from conftest import REAL_TEXTS  # noqa: E402

NEWS = REAL_TEXTS.parent / "corpora" / "xwlb-sample"
needs_news = pytest.mark.skipif(not NEWS.is_dir(), reason="../shared/corpora/xwlb-sample is not present")
_ANNOUNCED = re.compile(r"出版的人民日报.{0,6}评论员文章")


@pytest.fixture(scope="module")
def news_reports():
    return convert_corpus(NEWS, None).reports


def _plant_changed(reports):
    """60 characters of one item's longest paragraph, two of them changed, inside a paragraph
    of another item: (reports, (source id, anchor), target id, planted text)."""
    source = max(reports[:50], key=lambda r: max((len(normalize(b.text)) for b in _long_paragraphs(r, 100)), default=0))
    block = max(_long_paragraphs(source, 100), key=lambda b: len(b.text))
    text = block.text[10:70]
    text = text[:30] + "某甲" + text[32:]
    index = next(i for i, r in enumerate(reports) if r.id != source.id and _long_paragraphs(r, 41))
    target = reports[index]
    blocks = list(target.blocks)
    k = blocks.index(_long_paragraphs(target, 41)[0])
    host = blocks[k].text
    blocks[k] = replace(blocks[k], text=host[:20] + text + host[20:], anchor="p-" + fingerprint(host[:20] + text + host[20:]))
    reports = list(reports)
    reports[index] = replace(target, blocks=blocks)
    return reports, (source.id, block.anchor), target.id, text


@needs_news
def test_news_clusters_share_a_passage_pairwise_and_no_frame(news_reports):
    """In 497 real news items with a passage planted (two characters changed): the planted
    passage and its source are one cluster; any two members of a cluster share a passage when
    aligned with each other, not only each with the first member; and two announcements of a
    commentary (“明天出版的人民日报将发表评论员文章，题目是《…》”) are one cluster only when they
    share more than the announcement: text past the title's opening mark."""
    reports, source, target_id, planted = _plant_changed(news_reports)
    reuse = find_reuse(reports)
    text = {(r.id, b.anchor): normalize(b.text) for r in reports for b in r.blocks if b.kind == "paragraph"}
    target = next((target_id, b.anchor) for r in reports if r.id == target_id for b in r.blocks if planted in b.text)
    clusters = [{(m.report, m.paragraph) for m in c.members} for c in reuse.clusters if not c.banal]
    assert any({source, target} <= members for members in clusters)
    announcements = {k for k, t in text.items() if _ANNOUNCED.search(t[:60]) and "《" in t}
    assert len({rid for rid, _ in announcements}) >= 8  # the frame is there to be told apart
    for members in clusters:
        for a, b in itertools.combinations(sorted(members), 2):
            if a[0] == b[0]:
                continue
            matched, a0, a1, b0, b1 = align(text[a], text[b])
            assert matched >= MIN_CHARS, (text[a][:60], text[b][:60])
            if a in announcements and b in announcements:
                assert a1 > text[a].index("《") + 10 and b1 > text[b].index("《") + 10, (text[a][:60], text[b][:60])


def test_a_templates_page_shows_it_in_each_members_context(sample_reports):
    """A template is shown in each member's paragraph as the stretch around it, marked: not the
    whole paragraph fifty times over."""
    from reading_room.reuse_pages import bucket_page, bucket_views, excerpt

    line = "各位代表，现在我代表本单位向大会报告工作，请予审议，并请各位同志提出意见和建议。"
    long = [b for r in sample_reports for b in r.blocks if b.kind == "paragraph" and len(b.text) > 3 * len(line)]
    many = []
    for k in range(12):
        text = long[k % len(long)].text[:60] + line + long[(k + 1) % len(long)].text
        blocks = [Block("paragraph", text, anchor="p-" + fingerprint(text), ordinal=1)]
        many.append(replace(sample_reports[0], id=f"r{k}", blocks=blocks))
    reuse = find_reuse(many)
    [template] = [c for c in reuse.clusters if c.banal]
    views = bucket_views(reuse, {r.id: r for r in many})
    [passage] = [p for v in views.values() for p in v.passages if p.passage == template.passage]
    for member in passage.members:
        text, (at, end) = excerpt(passage, member)
        assert normalize(text[at:end]) in normalize(line) and end - at >= len(template.text) - 2
        assert len(text) <= end - at + 2 * CONTEXT + 2 < len(many[0].blocks[0].text)
    page = bucket_page(next(v for v in views.values() if passage in v.passages))
    assert page.article.count("<mark>") == len(passage.members)


def test_units_hashed_on_every_core_get_the_band_keys_hashed_here():
    import numpy as np

    from reading_room import reuse
    from reading_room.reuse_groups import band_keys
    from reading_room.workers import LocalWorkers, PARALLEL_THRESHOLD

    texts = [f"第{n}条 坚持和加强党的全面领导，推进第{n % 97}项改革任务" for n in range(reuse.SIGN_PART * PARALLEL_THRESHOLD + 7)]
    with LocalWorkers(2, fresh=True) as workers:
        parallel = reuse._band_keys_on(workers, texts)()
        assert workers.pool is not None  # it did run on the workers
    assert np.array_equal(parallel, band_keys(texts))


@pytest.mark.parametrize("width, columns", [(1280, 2), (390, 1)])
def test_a_passage_page_sets_the_versions_side_by_side_with_the_changes_marked(browser, tmp_path, width, columns):
    """In the browser, a passage's page shows each member beside the first (two columns; one on a
    phone), with what only one side has marked by colour: the page loads the style that does it
    (it was left to report pages, so the versions stood one under the other, unmarked)."""
    from browsing import serve

    build = captured_build(tmp_path / "out", _sample_with_a_copy(tmp_path / "corpus"))
    assert build.exit_code == 0, build.err
    page = next(p for p in sorted((build.site / "reuse").rglob("index.html"))
                if 'class="reuse-pair"' in p.read_text(encoding="utf-8"))
    with serve(build.site) as base:
        pg = browser.new_page(viewport={"width": width, "height": 900})
        try:
            pg.goto(base + page.parent.relative_to(build.site).as_posix() + "/")
            tracks = pg.eval_on_selector(".reuse-pair", "e => getComputedStyle(e).gridTemplateColumns.split(' ').length")
            assert pg.eval_on_selector(".reuse-pair", "e => getComputedStyle(e).display") == "grid"
            assert tracks == columns
            colours = pg.eval_on_selector_all(".reuse-members del, .reuse-members ins",
                                              "els => els.map(e => getComputedStyle(e).backgroundColor)")
            assert colours and all(c not in ("rgba(0, 0, 0, 0)", "transparent") for c in colours)
        finally:
            pg.close()
