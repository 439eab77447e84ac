"""The search index: built whole, or updated from the previous build's index, it is the same."""
from __future__ import annotations

import json

import pytest

from reading_room import search
from reading_room.views import search_view
from reading_room.outline import Block
from reading_room.report import Report


def report(rid: str, *paragraphs: str, year=2020, title=None, organization="县公安局") -> Report:
    blocks = [Block("paragraph", text, anchor=f"p-{i}", ordinal=i + 1) for i, text in enumerate(paragraphs)]
    return Report(id=rid, source_file=f"{rid}.txt", encoding="utf-8", sha256="0" * 64, size=1,
                  title=title or f"{rid}报告", year=year, organization=organization, genre="总结", date="",
                  source="", blocks=blocks, removed=[])


def urls(files: dict[str, bytes]) -> list[str]:
    """The report URLs in number order, from the index's rows (d/)."""
    meta = json.loads(files["search/meta.json"])
    return [url for n in range(-(-meta["docs"] // meta["rows"]))
            for url, _ in json.loads(search.unpack(files[f"search/{search.part_path('d', n)}"]))]


def pages(reports):
    return search.order([search_view(r) for r in reports])


def write(tmp_path, files):
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return tmp_path / search.INDEX_DIR


def test_update_equals_a_whole_build(tmp_path):
    before = [report("a", "落实“三会一课”制度。"), report("b", "增强四个意识。"), report("c", "战斗堡垒作用。")]
    previous = write(tmp_path, search.index_files(before))
    after = [before[0], report("b", "增强四个意识，坚定四个自信。新词甲乙。"), before[2]]
    assert search.update_index(pages(after), previous) is not None
    assert search.index_files(after, previous) == search.index_files(after)


def test_one_changed_report_rewrites_few_files(tmp_path):
    before = [report(f"r{i:03}", f"第{i}篇：落实三会一课制度。", year=2015 + i % 10) for i in range(300)]
    old = search.index_files(before)
    previous = write(tmp_path, old)
    after = list(before)
    after[123] = report("r123", "第123篇：落实三会一课制度，新词甲乙丙。", year=2015 + 123 % 10)
    new = search.index_files(after, previous)
    assert new == search.index_files(after)
    changed = sorted(path for path in new if old.get(path) != new[path])
    assert "search/t/r123.json.gz" in changed and "search/meta.json" in changed
    assert len(changed) <= 10, changed  # the text, meta.json and the shards of the new keys
    assert not any(path.startswith("search/d/") for path in changed)


def test_reports_are_numbered_newest_first_and_a_retitled_or_refiled_report_renumbers(tmp_path):
    before = [report("a", "甲。", year=2019), report("b", "乙。", year=2021), report("c", "丙。", year=None),
              report("d", "丁。", year=2021, title="a报告")]
    files = search.index_files(before)
    assert urls(files) == ["reports/d/", "reports/b/", "reports/a/", "reports/c/"]  # year, then title
    meta = json.loads(files["search/meta.json"])
    years = search.decode_column(meta["cols"][0], meta["docs"])
    assert [meta["values"][0][y] for y in years] == ["2021", "2021", "2019", "未知"]
    previous = write(tmp_path, files)
    for after in ([report("a", "甲。", year=2022)] + before[1:],
                  [report("a", "甲。", year=2019, title="新标题")] + before[1:]):
        assert search.update_index(pages(after), previous) is None
        assert search.index_files(after, previous) == search.index_files(after)


def test_filter_columns_round_trip():
    for values in ([], [0], [3] * 500, [0, 1, 2, 3, 4, 5, 6, 7] * 40, [i * 7919 % 300 for i in range(1000)]):
        coded = search.encode_column(values)
        assert search.decode_column(coded, len(values)) == values
    assert search.encode_column([0] * 74545) == "r0*74545"  # one body for the whole corpus: one run
    assert search.encode_column([i * 7919 % 300 for i in range(1000)]).startswith("p9:")


def test_added_report_rebuilds_whole(tmp_path):
    before = [report("a", "落实“三会一课”制度。")]
    previous = write(tmp_path, search.index_files(before))
    after = before + [report("b", "三会一课")]
    assert search.update_index(pages(after), previous) is None
    files = search.index_files(after, previous)
    assert urls(files) == ["reports/a/", "reports/b/"]
    keys = {}
    for path, content in files.items():
        if path.startswith("search/k/"):
            keys.update(json.loads(search.unpack(content)))
    assert search.decode_set(keys["会一"], 2) == [0, 1]
    assert search.decode_set(keys["制度"], 2) == [0]


def _members(files: dict[str, bytes], key: str) -> list[str]:
    """The report URLs the index lists for ``key``."""
    meta, numbered = json.loads(files["search/meta.json"]), urls(files)
    for path, content in files.items():
        if path.startswith("search/k/") and key in (shard := json.loads(search.unpack(content))):
            return [numbered[n] for n in search.decode_set(shard[key], meta["docs"])]
    return []


BEFORE = [report("a", "落实“三会一课”制度。"), report("b", "增强四个意识。"), report("c", "战斗堡垒作用。")]
AFTER = [BEFORE[0], report("b", "增强四个意识，坚定文化自信。"), BEFORE[2]]


def test_a_build_killed_between_shards_and_texts_heals(tmp_path):
    """Killed after the new key shards were written but before the report texts and meta.json:
    the next build must not patch the new shards as if they were the old ones."""
    previous = write(tmp_path, search.index_files(BEFORE))
    new = search.index_files(AFTER)
    write(tmp_path, {path: data for path, data in new.items() if path.startswith("search/k/")})
    healed = search.index_files(AFTER, previous)
    assert healed == new
    assert _members(healed, "自信") == ["reports/b/"]


@pytest.mark.parametrize("packed", [True, False])  # False: not even gzip any more
def test_a_text_file_replaced_by_hand_heals(tmp_path, packed):
    previous = write(tmp_path, search.index_files(BEFORE))
    forged = json.dumps([["", "b报告"], ["p-0", "坚定文化自信。"]], ensure_ascii=False)
    (previous / search.part_path("t", "b")).write_bytes(search.pack(forged) if packed else forged.encode("utf-8"))
    healed = search.index_files(AFTER, previous)
    assert healed == search.index_files(AFTER)
    assert _members(healed, "自信") == ["reports/b/"]


def test_the_parts_are_gzip_and_half_the_bytes_or_less():
    """k/, d/ and t/ are written compressed (search.js unpacks them); meta.json stays plain."""
    files = search.index_files(BEFORE + [report("d", "坚定文化自信，" * 40)])
    parts = {p: data for p, data in files.items() if p.split("/")[1] in "kdt"}
    assert parts and all(p.endswith(".json.gz") and data[:2] == b"\x1f\x8b" for p, data in parts.items())
    text = files["search/" + search.part_path("t", "d")]
    assert len(text) * 2 <= len(search.unpack(text).encode("utf-8"))
    json.loads(files["search/meta.json"])


def test_meta_is_written_after_the_parts_it_vouches_for():
    """The index's process writes the key shards and rows, then meta.json; the texts come
    from the build, after (search.text_file)."""
    paths = list(search.index_files_of(search_view(r) for r in BEFORE))
    assert paths[-1] == "search/meta.json"
    assert all(any(p.startswith(f"search/{part}/") for p in paths) for part in "kd")
    assert not any(p.startswith("search/t/") for p in paths)


def test_a_build_killed_before_the_texts_were_written_heals(tmp_path):
    """meta.json and the keys of the new texts written, the texts still the old ones: the
    parts disagree, and the next build makes the index whole rather than patch it."""
    previous = write(tmp_path, search.index_files(BEFORE))
    write(tmp_path, search.index_files_of((search_view(r) for r in AFTER), previous))
    assert search.update_index(pages(AFTER), previous) is None
    assert search.index_files(AFTER, previous) == search.index_files(AFTER)


def test_full_build_trusts_no_previous_index(tmp_path):
    """An index whose parts agree with each other but not with the texts (left by an older,
    buggy build, say) misleads an update; ``--full`` makes it again from the texts."""
    from conftest import make_corpus, sample_files, tree_hashes
    from reading_room.pipeline import generate

    corpus = make_corpus(tmp_path / "corpus", sample_files()[:2])
    docs, cache = tmp_path / "docs", tmp_path / "cache"
    generate(corpus, docs, cache)
    fresh = tree_hashes(docs / "search")

    def forge():
        index = docs / "search"
        meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
        rows = [search.read(index, "d", n) for n in range(-(-meta["docs"] // meta["rows"]))]
        texts = [url.split("/")[1] for part in rows for url, _ in json.loads(part)]
        first = index / search.part_path("t", texts[0])
        first.write_bytes(search.pack(search.unpack(first.read_bytes()).replace("党", "兑", 1)))
        shards = [search.read(index, "k", n) for n in range(meta["shards"])]
        meta["check"] = search.parts_digest(shards, rows, [search.read(index, "t", t) for t in texts])
        (index / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")),
                                         encoding="utf-8")

    forge()
    generate(corpus, docs, cache)
    assert tree_hashes(docs / "search") != fresh  # the forgery is one an update cannot see
    forge()
    generate(corpus, docs, cache, full=True)
    after = tree_hashes(docs / "search")
    assert {k for k in fresh if fresh[k] != after.get(k)} | (set(fresh) ^ set(after)) == set()


def test_search_folds_as_the_formulation_index_folds():
    from reading_room.index import normalise
    variants = ["不忘初心，牢记使命", "不忘初心、牢记使命", "不忘初心；牢记使命", "不忘初心,牢记使命", "不忘初心 ；牢记使命"]
    assert len({search.normalize(v) for v in variants}) == 1
    assert search.normalize("ＡＢＣ　三会一课") == "abc三会一课"
    # what the index makes one entry, the search finds as one string
    for a in variants:
        for b in variants:
            if normalise(a).replace(" ", "") == normalise(b).replace(" ", ""):
                assert search.normalize(a) == search.normalize(b)


def test_a_rows_file_changed_by_hand_is_not_trusted(tmp_path):
    previous = write(tmp_path, search.index_files(BEFORE))
    (previous / search.part_path("d", 0)).write_bytes(search.pack('[["reports/x/","x"]]'))
    assert search.update_index(pages(AFTER), previous) is None
    assert search.index_files(AFTER, previous) == search.index_files(AFTER)


def _lookup(files: dict[str, bytes]):
    """(value_of, total, urls): a key's encoded set from the index's shards, as the box reads them."""
    meta = json.loads(files["search/meta.json"])
    shards = {}
    for path, content in files.items():
        if path.startswith("search/k/"):
            shards[int(path.rsplit("/", 1)[1].split(".")[0])] = json.loads(search.unpack(content))

    def value_of(key):
        return shards[search.fnv1a(key) % meta["shards"]].get(key)
    return value_of, meta["docs"], urls(files)


def _corpus(n=120):
    """Reports sharing phrases (each in more than gram_reports reports) with near misses: the
    pairs of 乡村振兴 in reports that do not hold it, 高质量 beside 高质 and 质量."""
    import random
    rng = random.Random(5)
    words = ["乡村振兴", "乡村", "振兴", "村振", "高质量发展", "高质", "质量", "发展", "三会一课", "一课",
             "会一", "三会", "两个确立", "新质生产力", "生产力", "改革开放", "开放", "坚持", "落实"]
    reports = []
    for i in range(n):
        paragraphs = ["，".join(rng.choice(words) for _ in range(rng.randint(3, 12))) + "。"
                      for _ in range(rng.randint(1, 4))]
        reports.append(report(f"r{i:03}", *paragraphs, year=2010 + i % 12))
    return reports


def test_the_index_is_exact_or_names_its_few_candidates():
    """A term the index is sure of lists exactly the reports that contain it; one it is not
    sure of lists every report that contains it among at most gram_reports candidates
    (GRAM_MAX characters or fewer), which the box confirms against their texts."""
    import random
    reports = _corpus()
    files = search.index_files(reports)
    value_of, total, numbered = _lookup(files)
    texts = {f"reports/{r.id}/": search.joined(search_view(r).blocks) for r in reports}
    rng = random.Random(9)
    terms = ["乡村振兴", "高质量", "三会一课", "两个确立", "新质生产力", "改革开放", "振兴乡村", "质量高", "一课三会",
             "乡村振兴，高质量发展"]
    for _ in range(400):
        text = rng.choice(list(texts.values()))
        at, n = rng.randrange(len(text)), rng.randint(1, 11)
        terms.append(text[at:at + n].replace("\n", ""))
    sure = 0
    for term in filter(None, (search.normalize(t) for t in terms)):
        found, exact = search.term_reports(term, value_of, total)
        truth = [n for n, url in enumerate(numbered) if term in texts[url]]
        if exact:
            sure += 1
            assert found == truth, term
        else:
            assert set(truth) <= set(found), term
            assert len(found) <= search.gram_reports(total) or len(term) > search.GRAM_MAX, term
    for term in ("乡村振兴", "高质量", "三会一课"):  # in more than gram_reports reports, pairs elsewhere too
        found, exact = search.term_reports(term, value_of, total)
        assert exact and len(found) > search.gram_reports(total)
        pairs = set.intersection(*(set(search.decode_set(value_of(term[i:i + 2]), total))
                                   for i in range(len(term) - 1)))
        assert len(pairs) > len(found), f"the corpus should hold {term}'s pairs without {term}"
    assert search.term_reports("振兴乡村", value_of, total) == ([], True)
    assert sure > 150


def test_an_update_that_makes_a_key_common_builds_the_index_whole(tmp_path):
    """A key that comes to be in more than gram_reports reports (or no longer is) changes which
    longer keys exist: the update gives way to a whole build, which the result equals."""
    common = search.gram_reports(search.AUTO_CHECK + 5)
    before = [report(f"r{i:02}", "落实三会一课制度。" if i < common else "增强四个意识。")
              for i in range(search.AUTO_CHECK + 5)]
    previous = write(tmp_path, search.index_files(before))
    after = list(before)
    after[-1] = report(before[-1].id, "落实三会一课制度。")  # 三会一课 in common + 1 reports
    assert search.update_index(pages(after), previous) is None
    files = search.index_files(after, previous)
    assert files == search.index_files(after)
    value_of, total, numbered = _lookup(files)
    found, exact = search.term_reports("三会一", value_of, total)
    assert exact and len(found) == common + 1
    # a change that leaves every key on its side is patched, with its longer keys
    again = list(after)
    again[0] = report(after[0].id, "落实三会一课制度。坚持三会一课。")
    previous = write(tmp_path / "2", files)
    assert search.update_index(pages(again), previous) is not None
    patched = search.index_files(again, previous)
    assert patched == search.index_files(again)
    value_of, total, numbered = _lookup(patched)
    assert search.term_reports("坚持三会一课", value_of, total)[0] == [numbered.index("reports/r00/")]


def test_many_bodies_go_to_their_own_file_and_each_row_names_its_body():
    """meta.json, which every search loads, stays small when bodies differ from report to
    report: their names and column are in bodies.json (loaded when that filter is used)."""
    reports = [report(f"r{i:03}", "落实三会一课制度。", organization=f"第{i}县公安局") for i in range(200)]
    files = search.index_files(reports)
    meta = json.loads(files["search/meta.json"])
    assert meta["values"][1] is None and meta["cols"][1] is None and meta["bodies"] == "bodies.json"
    assert len(files["search/meta.json"]) < 1_000
    names, column = json.loads(files["search/bodies.json"])
    bodies = [names[v] for v in search.decode_column(column, meta["docs"])]
    rows = [row for n in range(-(-meta["docs"] // meta["rows"]))
            for row in json.loads(search.unpack(files["search/" + search.part_path("d", n)]))]
    assert [row[2] for row in rows] == bodies
    assert {row[0]: row[2] for row in rows}["reports/r007/"] == "第7县公安局"
    few = search.index_files(reports[:3])  # a few bodies stay in meta.json, rows without them
    meta = json.loads(few["search/meta.json"])
    assert "bodies" not in meta and len(meta["values"][1]) == 3 and "search/bodies.json" not in few
    assert all(len(row) == 2 for row in json.loads(search.unpack(few["search/" + search.part_path("d", 0)])))
