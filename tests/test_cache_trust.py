"""A cache that is valid JSON but not what the build wrote is not trusted: what it stood for
is made again, and the result is the build from scratch, byte for byte."""
from __future__ import annotations

import json
import sqlite3

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

    memo = sqlite3.connect(cache / "index-memo.sqlite")
    damaged = 0
    for name, value in memo.execute("SELECT name, value FROM memo").fetchall():
        data = json.loads(value)
        if name.startswith("q:") and data:
            data[0][1] = "p-nosuch"  # a use in a paragraph the report does not have
        elif name.startswith("k:"):
            data = "x"
        elif name.startswith("w:"):
            memo.execute("UPDATE memo SET value = '{\"x' WHERE name = ?", (name,))  # not JSON
            damaged += 1
            continue
        else:
            continue
        memo.execute("UPDATE memo SET value = ? WHERE name = ?", (json.dumps(data, ensure_ascii=False), name))
        damaged += 1
    memo.commit()
    memo.close()
    assert damaged > 10
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


def test_a_memo_file_that_is_not_a_database_is_made_again(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "corpus", sample_files())
    first = run_build(tmp_path, corpus, capsys, site=False, cache=True)
    expected = tree_hashes(first.docs)
    memo = tmp_path / "cache" / "index-memo.sqlite"
    memo.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)  # a header, then nothing a database holds

    second = run_build(tmp_path, corpus, capsys, site=False, cache=True)
    assert second.exit_code == 0 and "Traceback" not in second.err
    assert tree_hashes(second.docs) == expected
    rows = sqlite3.connect(memo).execute("SELECT count(*) FROM memo WHERE name LIKE 'q:%'").fetchone()[0]
    assert rows == 2 * 5  # each report's quoted uses, for each of the two indexes, kept again


def test_the_memo_keeps_what_a_build_used_and_drops_the_rest(tmp_path):
    from reading_room.memo import Memo

    path = tmp_path / "memo.sqlite"
    with Memo.open(path, "v1") as memo:
        memo.put("a", [1, 2])
        memo.put("b", {"x": 1})
        memo.put("c", "kept without being read")
    with Memo.open(path, "v1") as memo:
        assert memo.get("b") == {"x": 1}
        memo.keep("c")
    with Memo.open(path, "v1") as memo:
        assert memo.get("a") is None  # neither read nor written: dropped
        assert memo.get("b") == {"x": 1}
        assert memo.get("c") == "kept without being read"
    with Memo.open(path, "v2") as memo:  # other code: nothing of the old kept
        assert memo.get("b") is None
    with Memo.open(None, "v1") as memo:  # no cache: remembers nothing, computes everything
        memo.put("a", 1)
        assert memo.get("a") is None
