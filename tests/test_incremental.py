"""The conversion cache and incremental builds: no-op, one report changed, one removed.

Each test builds its own copy of the sample corpus into temporary folders,
with the cache on (the shared fixtures in conftest build with --no-cache).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, data_json, data_uses, make_corpus, run_build, sample_files, write_mkdocs_config
from reading_room import conversion, pipeline
from reading_room.site import GENERATED_DIRS

sys.path.insert(0, str(ROOT / "bench"))
import generate_corpus  # noqa: E402


class Project:
    def __init__(self, root: Path):
        self.root = root
        self.corpus = root / "corpus"
        self.docs = root / "docs"
        self.site = root / "site"
        self.cache = root / "cache"
        self.docs.mkdir(parents=True, exist_ok=True)
        self.config = write_mkdocs_config(root, self.docs)

    def build(self, capsys, *extra: str, site: bool = True) -> str:
        build = run_build(self.root, self.corpus, capsys, *extra, site=site, cache=True)
        assert build.exit_code == 0, build.err
        return build.out + build.err

    def generate(self) -> pipeline.Generated:
        return pipeline.generate(self.corpus, self.docs, self.cache)

    def reports(self) -> list[dict]:
        return data_json(self.docs, "reports.json")

    def mtimes(self, folder: Path) -> dict[str, int]:
        return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path) -> Project:
    p = Project(tmp_path / "project")
    make_corpus(p.corpus, sample_files())
    return p


def _append(path: Path, text: str) -> None:
    path.write_bytes(path.read_bytes() + text.encode("utf-8"))


ADDED = "\n这是为检验增量构建而新增的一段文字，内容独一无二：增量构建试金石。\n"


def test_first_build_converts_everything_and_fills_the_cache(project):
    result = project.generate()
    assert result.converted == len(sample_files())
    assert len(list((project.cache / "reports").rglob("*.json"))) == len(sample_files())


def test_no_op_rebuild_converts_nothing_and_writes_nothing(project):
    project.generate()
    before = project.mtimes(project.docs)
    again = project.generate()
    assert again.converted == 0
    assert again.changed_files == []
    assert project.mtimes(project.docs) == before


def test_search_index_spool_is_gone_after_a_build_and_a_killed_builds_is_cleared(project):
    # the search index's process leaves its files in a spool folder in the cache; the build
    # reads them into docs/ and removes it, and a spool a killed build left is removed too
    stale = project.cache / (pipeline.SPOOL_PREFIX + "killed")
    (stale / "search").mkdir(parents=True)
    (stale / "search" / "meta.json").write_text("{}", encoding="utf-8")
    project.generate()
    assert not list(project.cache.glob(pipeline.SPOOL_PREFIX + "*"))
    meta = json.loads((project.docs / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta["docs"] == len(sample_files())
    for number in range(meta["shards"]):
        assert (project.docs / "search" / "k" / f"{number}.json.gz").is_file()


def test_no_op_rebuild_decodes_nothing(project, monkeypatch):
    project.generate()
    calls = []
    original = conversion.decode_bytes
    monkeypatch.setattr(conversion, "decode_bytes", lambda raw: calls.append(1) or original(raw))
    assert project.generate().converted == 0
    assert calls == []


def test_one_report_changed_converts_only_that_report(project):
    first = project.generate()
    target = sorted(project.corpus.glob("*.txt"))[0]
    report_id = next(r.id for r in first.reports if r.source_file == target.name)
    others = [f"reports/{r.id}/index.html" for r in first.reports if r.id != report_id]
    _append(target, ADDED)
    again = project.generate()
    assert again.converted == 1
    assert f"reports/{report_id}/index.html" in again.changed_files
    assert not set(others) & set(again.changed_files)  # the other reports' pages are not rewritten
    assert "增量构建试金石" in (project.docs / "reports" / report_id / "index.html").read_text(encoding="utf-8")
    # what is rewritten is the report's own files and pages that list or index it
    allowed = ("reports/", "cleaning/", "raw/", "data/", "years/", "bodies/", "slogans/", "cited/", "search/", "all/",
               "index.md")
    assert all(path.startswith(allowed) for path in again.changed_files)


def test_changed_curation_data_converts_everything_again(project):
    project.generate()
    _append(project.corpus / "boilerplate.yml", "\n# a comment changes the fingerprint\n")
    assert project.generate().converted == len(sample_files())


def test_pipeline_version_is_part_of_the_cache_key(project, monkeypatch):
    project.generate()
    monkeypatch.setattr(conversion, "PIPELINE_VERSION", conversion.PIPELINE_VERSION + "-next")
    assert project.generate().converted == len(sample_files())


def test_a_change_to_a_conversion_stages_code_converts_everything_again(project, monkeypatch, tmp_path):
    """The conversion cache is keyed by the code of the stages that make a report (clean.py,
    metadata.py …): an edit there converts again with no version to bump by hand; an edit
    elsewhere (render.py) does not."""
    from reading_room import cache

    project.generate()
    package = tmp_path / "package"
    package.mkdir()
    for path in cache.PACKAGE.glob("*.py"):
        (package / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(cache, "PACKAGE", package)
    conversion._stage_version.cache_clear()
    _append(package / "render.py", "\n# a comment in a page renderer\n")
    assert project.generate().converted == 0
    conversion._stage_version.cache_clear()
    _append(package / "clean.py", "\n# a comment in the cleaning stage\n")
    assert project.generate().converted == len(sample_files())
    conversion._stage_version.cache_clear()


def test_corrupt_cache_entries_are_converted_again(project):
    project.generate()
    for path in (project.cache / "reports").rglob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    (project.cache / "lines.json").write_text("[]", encoding="utf-8")
    memo = json.loads((project.cache / "render-memo.json").read_text(encoding="utf-8"))
    junk = [5, None, "x", [], ["a", "b", "c"], {"a": 1}]
    memo["files"] = {path: junk[n % len(junk)] for n, path in enumerate(memo["files"])}
    (project.cache / "render-memo.json").write_text(json.dumps(memo), encoding="utf-8")
    before = _generated_tree(project.docs)
    again = project.generate()
    assert again.converted == len(sample_files())
    assert len(again.reports) == len(sample_files())
    assert _generated_tree(project.docs) == before


def test_removed_report_loses_its_page_and_index_entries(project):
    first = project.generate()
    target = sorted(project.corpus.glob("*.txt"))[1]
    report_id = next(r.id for r in first.reports if r.source_file == target.name)
    target.unlink()
    again = project.generate()
    # (with five reports, removing one can change which lines count as furniture, and so
    # reconvert the reports that have them; never more than the reports left)
    assert again.converted <= len(sample_files()) - 1
    for path in (f"reports/{report_id}/index.html", f"raw/{report_id}.txt.gz"):
        assert not (project.docs / path).exists(), path
        assert path in again.changed_files
    assert report_id not in {r["id"] for r in project.reports()}
    for kind in ("slogans", "cited"):
        assert all(u["report"] != report_id for rows in data_uses(project.docs, kind).values() for u in rows)
    assert not (project.docs / "reports" / report_id).exists()  # nor its folder
    for page in [*project.docs.rglob("*.md"), *project.docs.rglob("*.html")]:
        assert f"reports/{report_id}/" not in page.read_text(encoding="utf-8"), page
    assert (project.docs / "about.md").exists()  # hand-written pages stay


def test_undecodable_file_is_remembered_and_still_skipped(project):
    (project.corpus / "broken.txt").write_bytes(b"\x00\xff\xfe" * 50 + bytes(range(256)) * 4)
    first = project.generate()
    again = project.generate()
    assert [name for name, _ in first.skipped] == [name for name, _ in again.skipped]
    assert "broken.txt" in [name for name, _ in again.skipped]


def _site_line(out: str) -> tuple[int, int]:
    """(generated files new or changed, files dropped) from the build's "site:" line."""
    line = out.split("site: ", 1)[1].split("\n", 1)[0]
    return int(line.split(" generated files", 1)[0].replace(",", "")), int(line.split("changed, ", 1)[1].split(" dropped")[0])


def test_site_rebuild_renders_only_changed_pages(project, capsys):
    out = project.build(capsys)
    generated = [p for top in GENERATED_DIRS for p in (project.docs / top).rglob("*") if p.is_file()]
    assert _site_line(out) == (sum(p.suffix != ".md" for p in generated), 0)  # the first: every file new
    out = project.build(capsys)
    assert _site_line(out) == (0, 0)
    target = sorted(project.corpus.glob("*.txt"))[0]
    report_id = next(r["id"] for r in project.reports() if r["source_file"] == target.name)
    other_id = next(r["id"] for r in project.reports() if r["source_file"] != target.name)
    other_html = project.site / "reports" / other_id / "index.html"
    other_inode = other_html.stat().st_ino
    _append(target, ADDED)
    out = project.build(capsys)
    assert "1 converted" in out
    changed, dropped = _site_line(out)
    assert 1 <= changed < 40 and dropped == 0
    assert "增量构建试金石" in (project.site / "reports" / report_id / "index.html").read_text(encoding="utf-8")
    assert other_html.stat().st_ino == other_inode  # the same file, not copied again
    # the home page and listings still list every report
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert all(r["title"] in home for r in project.reports())


def test_generated_corpus_keeps_its_body_text(tmp_path):
    """The benchmark's generated reports lose their boilerplate, never their paragraphs."""
    corpus = tmp_path / "corpus"
    paths = generate_corpus.generate(40, corpus, seed=3)
    assert len(paths) == 40
    result = pipeline.generate(corpus, tmp_path / "docs", None)
    encodings = {r.encoding for r in result.reports}
    assert {"utf-8", "gb18030"} <= {e.lower().replace("-sig", "") for e in encodings} or len(encodings) >= 3
    assert not result.skipped
    from reading_room.decode import decode_bytes
    for report in result.reports:
        text = decode_bytes((corpus / report.source_file).read_bytes()).text
        body = "".join(b.text for b in report.blocks)
        paragraphs = [line.strip() for line in text.split("\n") if len(line.strip()) >= 60
                      and "会员" not in line and "推荐访问" not in line and "小编" not in line]
        kept = sum(1 for line in paragraphs if line[-30:] in body)  # (a leading 一是… may become a heading)
        assert kept >= 0.95 * len(paragraphs), (report.source_file, kept, len(paragraphs))
        assert report.year and 2015 <= report.year <= 2024
        for removal in report.removed:
            assert removal.rule != "repeated-across-reports" or len(removal.text) <= 50


def test_generator_is_seeded(tmp_path):
    a = generate_corpus.generate(5, tmp_path / "a", seed=11)
    b = generate_corpus.generate(5, tmp_path / "b", seed=11)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert sorted(os.listdir(tmp_path / "a")) == sorted(os.listdir(tmp_path / "b"))


def test_progress_is_plain_lines_in_ci(monkeypatch):
    import io

    from reading_room.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setenv("CI", "true")
    stream = Terminal()
    progress = Progress(stream)
    assert not progress.interactive
    progress.start("convert", 3)
    for _ in range(3):
        progress.advance("convert")
    progress.done("convert")
    progress.stage("mkdocs")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and "convert: 3 report(s) to convert" in lines[0] and lines[1].endswith("mkdocs")
    monkeypatch.delenv("CI")
    assert Progress(Terminal()).interactive


# ---- the render memo: pages made again only when their inputs changed ----

def _generated_tree(docs: Path) -> dict[str, bytes]:
    from reading_room.site import GENERATED_FILES

    tree = {name: (docs / name).read_bytes() for name in GENERATED_FILES}
    for top in GENERATED_DIRS:
        for path in (docs / top).rglob("*"):
            if path.is_file():
                tree[path.relative_to(docs).as_posix()] = path.read_bytes()
    return tree


def _count_calls(monkeypatch, module, name: str) -> list:
    calls = []
    original = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


NEW_FORMULATION = "\n我们坚持“增量构建四个确保”，做到增量构建四个确保落地见效。\n"


def _rewrite(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of ``old`` in a report, in the file's own encoding."""
    def replace(text: str) -> str:
        assert old in text, (path.name, old)
        return text.replace(old, new, 1)

    generate_corpus.rewrite_report(path, replace)


def _quoted_uses(report, slogans):
    return [use for entry in slogans.entries for use in entry.uses if use.report == report.id and use.quoted]


def _retitle(path: Path, report) -> None:
    """Add to the report's title line: its uses stay, the index pages that name it must change."""
    _rewrite(path, report.title, report.title + "（修订稿）")


def _edit_next_to_a_use(path: Path, report, slogans) -> None:
    """Insert words just after a quoted use: the use keeps its place, its context changes."""
    def edit(text: str) -> str:
        quoted = next(u.form + "”" for u in _quoted_uses(report, slogans) if text.count(u.form + "”") == 1)
        return text.replace(quoted, quoted + "（增补说明）")

    generate_corpus.rewrite_report(path, edit)


def _edit_heading_above_a_use(path: Path, report, slogans) -> None:
    """Add to the heading above a quoted use: the use stays, the heading path shown with it changes."""
    def edit(text: str) -> str:
        heading = next(h for u in _quoted_uses(report, slogans) for h in report.section_of(u.anchor)[-1:]
                       if text.count(h) == 1)
        return text.replace(heading, heading + "（修订）")

    generate_corpus.rewrite_report(path, edit)


def test_every_incremental_build_equals_a_build_from_scratch(project, tmp_path):
    """After each kind of change, the docs/ that the cache and the render memo produce
    are byte for byte the docs/ of a build with no cache at all."""
    first = project.generate()
    targets = sorted(project.corpus.glob("*.txt"))
    reports = {r.source_file: r for r in first.reports}
    changes = [
        # only the title: the report's uses stay, the index pages that show it must not
        lambda: _retitle(targets[4], reports[targets[4].name]),
        lambda: _edit_next_to_a_use(targets[3], reports[targets[3].name], first.slogans),
        lambda: _edit_heading_above_a_use(targets[2], reports[targets[2].name], first.slogans),
        lambda: _append(targets[0], ADDED),  # text only
        lambda: _append(targets[1], NEW_FORMULATION),  # a new formulation, quoted and unquoted
        lambda: _append(targets[2], "\n同样做到增量构建四个确保。\n"),  # an unquoted use in another report
        # a date only (same year): no entry page shows it, the rows of slogans.csv.gz do
        lambda: _append(targets[0], "\n2019年12月25日\n"),
        lambda: targets[3].unlink(),  # a report removed
        lambda: shutil.copy2(targets[0], project.corpus / "added-copy.txt"),  # a report added
        lambda: _append(project.corpus / "slogans.yml", "\n# curation data changed\n"),
        lambda: None,  # nothing
    ]
    for number, change in enumerate(changes):
        change()
        project.generate()
        fresh = tmp_path / f"fresh-{number}"
        pipeline.generate(project.corpus, fresh, None)
        mine, theirs = _generated_tree(project.docs), _generated_tree(fresh)
        assert sorted(mine) == sorted(theirs), number
        differing = [path for path in mine if mine[path] != theirs[path]]
        assert differing == [], (number, differing[:5])


def test_no_op_rebuild_renders_no_report_or_entry_page(project, monkeypatch):
    from reading_room import render

    project.generate()
    calls = {name: _count_calls(monkeypatch, render, name)
             for name in ("report_page", "entry_page")}
    project.generate()
    assert {name: len(c) for name, c in calls.items()} == {name: 0 for name in calls}


def test_one_report_changed_renders_only_its_own_pages(project, monkeypatch):
    from reading_room import render

    first = project.generate()
    target = sorted(project.corpus.glob("*.txt"))[0]
    report_id = next(r.id for r in first.reports if r.source_file == target.name)
    report_pages = _count_calls(monkeypatch, render, "report_page")
    entry_pages = _count_calls(monkeypatch, render, "entry_page")
    _append(target, ADDED)  # no formulation in it: the index entries keep their uses
    project.generate()
    assert [args[0].report.id for args in report_pages] == [report_id]
    # an entry page is made again only if it shows a use in the changed report
    assert all(any(line.report == report_id for line in args[0].lines) for args in entry_pages)


def test_generated_page_edited_or_deleted_by_hand_is_made_again(project):
    first = project.generate()
    page = project.docs / "reports" / first.reports[0].id / "index.html"
    other = project.docs / "reports" / first.reports[1].id / "index.html"
    expected = page.read_bytes(), other.read_bytes()
    page.write_text("edited by hand", encoding="utf-8")
    other.unlink()
    again = project.generate()
    assert (page.read_bytes(), other.read_bytes()) == expected
    assert {page.relative_to(project.docs).as_posix(),
            other.relative_to(project.docs).as_posix()} <= set(again.changed_files)


def test_same_size_edit_within_one_clock_tick_is_still_caught(project):
    """A file system whose clock ticks slower than the build: the page and the render
    memo get the same date, and then the page is edited within that tick, keeping its
    size. Its stamp cannot be trusted, so it is made again."""
    first = project.generate()
    page = project.docs / "reports" / first.reports[0].id / "index.html"
    memo = project.cache / "render-memo.json"
    tick = memo.stat().st_mtime_ns // 10**9 * 10**9
    good = page.read_bytes()
    bad = good.replace(b"<title>", b"<TITLE>", 1)
    assert bad != good and len(bad) == len(good)
    page.write_bytes(bad)
    for path in (page, memo):
        os.utime(path, ns=(tick, tick))
    memo_json = json.loads(memo.read_text(encoding="utf-8"))
    memo_json["files"][page.relative_to(project.docs).as_posix()][2] = tick  # the date it was left with
    memo.write_text(json.dumps(memo_json), encoding="utf-8")
    os.utime(memo, ns=(tick, tick))
    again = project.generate()
    assert page.read_bytes() == good
    assert again.changed_files == [page.relative_to(project.docs).as_posix()]


def test_changed_code_renders_every_page_again(project, monkeypatch):
    from reading_room import render

    first = project.generate()
    calls = _count_calls(monkeypatch, render, "report_page")
    monkeypatch.setattr(pipeline, "code_version", lambda: "a different version of the code")
    project.generate()
    assert sorted(args[0].report.id for args in calls) == sorted(r.id for r in first.reports)


def test_edited_report_asks_jieba_only_about_clauses_it_has_not_seen(project, monkeypatch):
    from reading_room import index

    project.generate()
    _append(sorted(project.corpus.glob("*.txt"))[1], NEW_FORMULATION)
    project.generate()  # a new formulation: every report is scanned for it
    checks = _count_calls(monkeypatch, index, "_at_word_boundaries")
    target = sorted(project.corpus.glob("*.txt"))[2]
    _append(target, ADDED)
    project.generate()
    assert checks == []  # the report's other clauses were decided in the last build
    _append(target, "\n新的一句话里也要增量构建四个确保。\n")
    project.generate()
    assert len(checks) == 1 and "新的一句话" in checks[0][0]
