"""The search index: built whole, or updated from the previous build's index, it is the same."""
from __future__ import annotations

import json

from reading_room import search
from reading_room.outline import Block
from reading_room.report import Report


def report(rid: str, *paragraphs: str, year=2020) -> Report:
    blocks = [Block("paragraph", text, anchor=f"p-{i}", ordinal=i + 1) for i, text in enumerate(paragraphs)]
    return Report(id=rid, source_file=f"{rid}.txt", encoding="utf-8", sha256="0" * 64, size=1, title=f"{rid}报告",
                  year=year, organization="县公安局", genre="总结", date="", source="", blocks=blocks, removed=[])


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
    assert search.update_index(sorted(map(search.page_of, after), key=lambda p: p.url), previous) is not None
    assert search.index_files(after, previous) == search.index_files(after)


def test_added_report_rebuilds_whole(tmp_path):
    before = [report("a", "落实“三会一课”制度。")]
    previous = write(tmp_path, search.index_files(before))
    after = before + [report("b", "三会一课")]
    assert search.update_index(sorted(map(search.page_of, after), key=lambda p: p.url), previous) is None
    files = search.index_files(after, previous)
    meta = json.loads(files["search/meta.json"])
    assert [d[0] for d in meta["docs"]] == ["reports/a/", "reports/b/"]
    keys = {}
    for path, content in files.items():
        if path.startswith("search/k/"):
            keys.update(json.loads(content))
    assert search.decode_set(keys["会一"], 2) == [0, 1]
    assert search.decode_set(keys["制度"], 2) == [0]
