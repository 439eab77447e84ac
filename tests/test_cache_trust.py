"""A cache that is valid JSON but not what the build wrote is not trusted: what it stood for
is made again, and the result is the build from scratch, byte for byte."""
from __future__ import annotations

import json

from conftest import make_corpus, run_build, sample_files, tree_hashes


def _edit_json(path, edit):
    data = json.loads(path.read_text(encoding="utf-8"))
    data = edit(data) or data
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_wrong_cache_is_rebuilt_not_crashed_on(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "corpus", sample_files())
    first = run_build(tmp_path, corpus, capsys, site=False, cache=True)
    assert first.exit_code == 0, first.err
    expected = tree_hashes(first.docs)
    cache = tmp_path / "cache"

    reports = sorted((cache / "reports").rglob("*.json"))
    assert len(reports) == 5
    _edit_json(reports[0], lambda d: d.update(title=5))  # a wrong type
    _edit_json(reports[1], lambda d: d["blocks"].append({"kind": "heading"}))  # a block missing its fields
    # another report's entry under this key: valid in every field, but not this report
    reports[2].write_bytes(reports[3].read_bytes())
    _edit_json(reports[4], lambda d: d.update(blocks=d["blocks"] * 2))  # anchors twice: not an outline

    def lines(data):
        for entry in data["entries"].values():
            entry["lines"] = 7
    _edit_json(cache / "lines.json", lines)

    def memo(data):
        for name, value in data.items():
            if name.startswith("q:") and value:
                value[0][1] = "p-nosuch"  # a use in a paragraph the report does not have
            elif name.startswith("k:"):
                data[name] = "x"
    _edit_json(cache / "index-memo.json", memo)
    _edit_json(cache / "pinyin.json", lambda d: {k: 5 for k in d})
    (cache / "render-memo.json").write_text(json.dumps({"scope": 1, "files": []}), encoding="utf-8")

    second = run_build(tmp_path, corpus, capsys, site=False, cache=True)
    assert second.exit_code == 0, second.err
    assert "Traceback" not in second.err
    assert tree_hashes(second.docs) == expected

    # and the cache was written again: a third build uses it and gives the same
    third = run_build(tmp_path, corpus, capsys, site=False, cache=True)
    assert third.exit_code == 0 and "5 from cache" in third.out
    assert tree_hashes(third.docs) == expected
