"""The whole build on the real sample corpus: data file, determinism, raw downloads, corpus untouched."""
from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import re

from conftest import CORPUS, data_json, han, sample_files, tree_hashes

REPORT_FIELDS = {"id", "title", "url", "source_file", "encoding", "sha256", "year", "organization",
                 "genre", "characters", "headings", "removed"}


def test_every_sample_report_is_built(sample_build):
    built = {r["source_file"] for r in sample_build.reports}
    assert built == {p.name for p in sample_files()}
    assert "5 reports built" in sample_build.out
    assert "0 skipped" in sample_build.out


def test_corpus_is_not_modified_by_the_build(sample_build):
    assert sample_build.corpus_hashes_before == sample_build.corpus_hashes_after
    assert sample_build.corpus_hashes_after  # the corpus was really there


def test_reports_json_has_the_documented_fields(sample_build):
    for report in sample_build.reports:
        assert REPORT_FIELDS <= set(report), REPORT_FIELDS - set(report)
        for heading in report["headings"]:
            assert set(heading) == {"level", "text", "anchor"}
        for removal in report["removed"]:
            assert {"rule", "text"} <= set(removal)


def test_reports_json_values_describe_the_raw_file(sample_build):
    for report in sample_build.reports:
        raw = (CORPUS / report["source_file"]).read_bytes()
        assert report["sha256"] == hashlib.sha256(raw).hexdigest()
        assert report["encoding"] == "utf-8"  # the sample files are UTF-8 without BOM
        assert report["url"] == f"reports/{report['id']}/"
        page = sample_build.page(report["id"])
        # characters counts the body text shown on the page, white space excluded
        body = [b for b in re.findall(r'<p id="p-[^"]*">(.*?)</p>', page)]
        assert report["characters"] >= len(han("".join(body)))
        assert report["characters"] > 1000


def test_headings_in_json_are_the_headings_on_the_page(sample_build):
    for report in sample_build.reports:
        page = sample_build.page(report["id"])
        headings = re.findall(r'<h([2-6]) id="(h-[0-9a-f]+(?:-\d+)?)">', page)
        assert [anchor for _, anchor in headings] == [h["anchor"] for h in report["headings"]]
        assert [int(level) for level, _ in headings] == [h["level"] for h in report["headings"]]


def test_removed_lines_are_listed_with_their_rule(sample_build):
    speech = sample_build.report("2023-police-party-committee-political-training-speech.txt")
    rules = {r["rule"] for r in speech["removed"]}
    assert {"breadcrumb", "byline", "editor-intro", "title-advert-copy", "recommended-keywords"} <= rules
    raw = (CORPUS / speech["source_file"]).read_text(encoding="utf-8")
    for removal in speech["removed"]:
        assert removal["text"] in raw  # the log quotes the file, it does not paraphrase it


def test_raw_file_is_downloadable_byte_for_byte(sample_build):
    for report in sample_build.reports:
        raw = (CORPUS / report["source_file"]).read_bytes()
        assert report["raw_url"] == f"raw/{report['id']}.txt.gz"
        assert gzip.decompress((sample_build.docs / report["raw_url"]).read_bytes()) == raw
        packed = (sample_build.site / report["raw_url"]).read_bytes()
        assert gzip.decompress(packed) == raw and len(packed) < 0.7 * len(raw)
        # and the report page links to it, to be saved unpacked under the file's own name
        name = report["source_file"].rsplit("/", 1)[-1]
        assert f'raw/{report["id"]}.txt.gz" download="{name}.gz" data-gunzip="{name}"' in sample_build.html(report["id"])


def test_build_is_deterministic(sample_build, sample_rebuild):
    first, second = tree_hashes(sample_build.docs), tree_hashes(sample_rebuild.docs)
    assert first == second
    for name in ("reports.json.gz", "slogans.json.gz", "cited.json.gz", "slogans.csv.gz", "slogans.uses.json"):
        a = (sample_build.site / "data" / name).read_bytes()
        b = (sample_rebuild.site / "data" / name).read_bytes()
        assert a == b, name
    data_json(sample_build.site, "reports.json")


def test_no_report_is_empty_or_warns_about_its_title(sample_build):
    for report in sample_build.reports:
        assert report["headings"], report["id"]
        assert not any("title" in w for w in report.get("warnings", [])), report["warnings"]


# --- generalisation: the real texts in ../shared (read-only; skipped when absent) ------

from conftest import REAL_TEXTS, make_corpus  # noqa: E402
import pytest  # noqa: E402

real_texts = sorted(REAL_TEXTS.glob("*.txt")) if REAL_TEXTS.is_dir() else []


@pytest.mark.skipif(not real_texts, reason="../shared/real-texts is not present")
def test_real_texts_build(tmp_path, capsys):
    from conftest import run_build
    corpus = make_corpus(tmp_path / "corpus", real_texts)
    build = run_build(tmp_path / "out", corpus, capsys, site=False)
    assert build.exit_code == 0 and "0 skipped" in build.out
    reports = build.reports
    assert len(reports) == len(real_texts)
    for report in reports:
        # the title is the document's own title line: a genre word ends it, no page frame in it
        assert report["genre"] in ("政府工作报告", "决议", "决定"), report["title"]
        assert not re.search(r"当前位置|首页|[>›]|来源|字[体号]", report["title"])
        assert report["year"] and 2000 <= report["year"] <= 2026
        # a work report's parts are headings; a decision's numbered provisions (一、全省各级检察机关要…，…。)
        # are paragraphs, number and all, and no heading is half a clause
        if report["genre"] == "政府工作报告":
            assert len(report["headings"]) >= 3, report["id"]
        assert not [h for h in report["headings"] if h["text"].endswith(("，", "；"))], report["id"]
        assert not any("title" in w for w in report["warnings"])
        # no numbering warnings: every heading sequence in these documents is regular
        assert not [w for w in report["warnings"] if "sequence" in w], (report["id"], report["warnings"])
        levels = [h["level"] for h in report["headings"]]
        assert not levels or levels[0] == 2 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), report["id"]


def test_a_large_corpus_is_generated_in_its_own_process_with_the_same_result(tmp_path, capsys, monkeypatch,
                                                                               sample_build):
    # From cli.OWN_PROCESS_FILES files on, docs/ is generated in a forked process (so MkDocs starts
    # from a small one); the pages are the same, and what it skipped is still said.
    from conftest import run_build
    from reading_room import cli
    monkeypatch.setattr(cli, "OWN_PROCESS_FILES", 1)
    forked, real = [], cli.in_own_process
    monkeypatch.setattr(cli, "in_own_process", lambda *a: forked.append(1) or real(*a))
    corpus = make_corpus(tmp_path / "corpus", sample_files())
    # the same texts, last changed on the same day as in corpus/ (by its last commit touching one)
    day = json.loads((sample_build.site / "data" / "version.json").read_text(encoding="utf-8"))["changed"]
    noon = datetime.datetime.fromisoformat(day + "T12:00:00+00:00").timestamp()
    for text in corpus.glob("*.txt"):
        os.utime(text, (noon, noon))
    (corpus / "empty.txt").write_bytes(b"")
    build = run_build(tmp_path / "out", corpus, capsys)
    assert build.exit_code == 0 and forked
    assert f"{len(sample_files())} reports built" in build.out
    assert "skipped corpus/empty.txt" in build.err and "empty" in build.err
    ours = tree_hashes(build.docs)
    theirs = tree_hashes(sample_build.docs)
    changed = {path for path in ours.keys() | theirs.keys() if ours.get(path) != theirs.get(path)}
    # only the pages that list skipped files may differ (the build in-process had none)
    assert changed <= {"index.md", "cleaning/index.md"}, sorted(changed)
    assert (build.site / "reports").is_dir()
