"""Hostile and unlucky files in corpus/: links out of it, odd names, huge files, clashing ids.

Each test builds docs/ (no MkDocs: what reaches docs/ is what reaches the site) from a
small corpus of real sample reports plus the file under test.
"""
from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pytest

from conftest import make_corpus, run_build, sample_files
from reading_room import sources
from reading_room.sources import display_name, scan_corpus


def _corpus(tmp_path: Path, n: int = 1) -> Path:
    return make_corpus(tmp_path / "corpus", sample_files()[:n])


def _all_generated_bytes(docs: Path) -> bytes:
    """Every generated file's bytes, the gzip-compressed downloads (data/*.gz) uncompressed."""
    return b"".join(gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
                    for p in sorted(docs.rglob("*")) if p.is_file())


def test_links_out_of_corpus_are_skipped_and_named(tmp_path, capsys):
    secret_dir = tmp_path / "outside"
    secret_dir.mkdir()
    secret = secret_dir / "secret.txt"
    secret.write_text("二〇二六年绝密口令：天王盖地虎宝塔镇河妖。\n" * 5, encoding="utf-8")
    corpus = _corpus(tmp_path)
    os.symlink(secret, corpus / "passwd.txt")
    os.symlink(secret_dir, corpus / "elsewhere")
    os.symlink(tmp_path / "missing.txt", corpus / "broken.txt")
    # links that stay inside corpus/ are followed
    inner = corpus / "inner"
    inner.mkdir()
    shutil.copy2(sample_files()[1], inner / "second.txt")
    os.symlink(inner / "second.txt", corpus / "alias.txt")
    os.symlink(corpus, inner / "loop")  # a link back up is not walked again

    build = run_build(tmp_path, corpus, capsys, site=False)
    assert build.exit_code == 0, build.err
    assert "天王盖地虎" not in _all_generated_bytes(build.docs).decode("utf-8")
    assert "skipped corpus/passwd.txt: symbolic link to a file outside corpus/" in build.err
    assert "skipped corpus/elsewhere: symbolic link to a folder outside corpus/" in build.err
    assert "skipped corpus/broken.txt: broken symbolic link" in build.err
    home = (build.docs / "index.md").read_text(encoding="utf-8")
    assert "passwd.txt" in home and "elsewhere" in home
    built = sorted(r["source_file"] for r in build.reports)
    assert built == sorted([sample_files()[0].name, "alias.txt", "inner/second.txt"])


def test_upper_case_suffix_is_a_text_and_ids_stay_distinct(tmp_path, capsys):
    corpus = _corpus(tmp_path, 0)
    one, two = sample_files()[:2]
    shutil.copy2(one, corpus / "report.txt")
    shutil.copy2(two, corpus / "report.TXT")
    shutil.copy2(two, corpus / "Other.Txt")
    build = run_build(tmp_path, corpus, capsys, site=False)
    assert build.exit_code == 0, build.err
    ids = {r["source_file"]: r["id"] for r in build.reports}
    assert set(ids) == {"report.txt", "report.TXT", "Other.Txt"}
    assert len(set(ids.values())) == 3
    assert ids["report.txt"] == "report"


def test_reserved_ids_get_a_suffix_and_a_warning(tmp_path, capsys):
    corpus = _corpus(tmp_path, 0)
    shutil.copy2(sample_files()[0], corpus / "index.txt")
    build = run_build(tmp_path, corpus, capsys, site=False)
    assert build.exit_code == 0, build.err
    (report,) = build.reports
    assert report["id"].startswith("index-") and report["id"] != "index"
    assert "warning: index.txt: its id “index” is a page name the site needs" in build.err
    # the cleaning log's overview is still the overview
    assert "清洗日志" in (build.docs / "cleaning" / "index.md").read_text(encoding="utf-8")


@pytest.mark.skipif(os.name != "posix", reason="byte file names are a POSIX thing")
def test_file_name_that_is_not_utf8_is_read_and_shown_safely(tmp_path, capsys):
    corpus = _corpus(tmp_path, 0)
    raw_name = os.fsencode(str(corpus)) + b"/caf\xe9 \x1b[31m.txt"
    with open(raw_name, "wb") as f:
        f.write(sample_files()[0].read_bytes())
    build = run_build(tmp_path, corpus, capsys, site=False)
    assert build.exit_code == 0, build.err
    (report,) = build.reports
    assert report["source_file"] == "caf\\xe9 \\x1b[31m.txt"
    assert report["id"].isascii()
    raw = gzip.decompress((build.docs / report["raw_url"]).read_bytes())
    assert raw == sample_files()[0].read_bytes()
    assert "\x1b" not in _all_generated_bytes(build.docs).decode("utf-8")


def test_display_name():
    assert display_name("普通.txt") == "普通.txt"
    assert display_name(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert display_name("a\nb\tc.txt") == "a\\nb\\tc.txt"
    # a name shown like another file's name is still told apart, and so is its id
    found = [(Path("a"), os.fsdecode(b"caf\xe9.txt")), (Path("b"), "caf\\xe9.txt")]
    shown = sources.assign_ids(found, [])
    assert len({s.relative for s in shown}) == 2 and len({s.id for s in shown}) == 2


def test_unreadable_folder_is_named(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path, 1)
    (corpus / "locked").mkdir()
    shutil.copy2(sample_files()[1], corpus / "locked" / "x.txt")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    scan = scan_corpus(corpus)
    assert [s.relative for s in scan.sources] == [sample_files()[0].name]
    assert scan.skipped == [("locked/", "cannot read folder: Permission denied")]


def test_text_above_the_size_limit_is_skipped_and_named(tmp_path, capsys):
    corpus = _corpus(tmp_path, 1)
    (corpus / "limits.yml").write_text("max_text_mb: 0.03\n", encoding="utf-8")
    big = corpus / "big.txt"
    big.write_text("一、总体情况\n" + "党建工作取得新进展。\n" * 3000, encoding="utf-8")
    build = run_build(tmp_path, corpus, capsys, site=False)
    assert build.exit_code == 0, build.err
    assert "skipped corpus/big.txt: too large: 0.0" not in build.err  # the size is shown usefully
    assert "skipped corpus/big.txt: too large:" in build.err and "max_text_mb" in build.err
    assert [r["source_file"] for r in build.reports] == [sample_files()[0].name]
    assert "big.txt" in (build.docs / "index.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="counts Linux memory mappings")
def test_reading_many_texts_under_the_size_limit_keeps_no_buffer_of_the_limit(tmp_path):
    """Each text is read into a buffer of its own size: a buffer of the 20 MB limit per file
    stays mapped after it shrinks, and at 65,530 files the build could not start a process."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(3000):
        (corpus / f"{k}.txt").write_text(f"第{k}号通知\n党建工作取得新进展。\n", encoding="utf-8")
    scan = scan_corpus(corpus)

    def mappings() -> int:
        return len(Path("/proc/self/maps").read_text().splitlines())

    before = mappings()
    raws = [sources.read_source(source, 20 * 2**20) for source in scan.sources]
    assert len(raws) == 3000 and raws[7].decode("utf-8").startswith("第")
    assert mappings() - before < 300


def test_a_text_that_grows_while_read_is_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes("党建".encode("utf-8") * 10)
    source = scan_corpus(tmp_path).sources[0]
    real_fstat = os.fstat
    monkeypatch.setattr(sources.os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 5, *real_fstat(fd)[7:])))
    assert sources.read_source(source, 1000) == "党建".encode("utf-8") * 10  # fstat said 5 bytes
    with pytest.raises(sources.SourceError, match="too large"):
        sources.read_source(source, 30)


def test_default_size_limit_is_20_mb(settings):
    assert settings.max_text_bytes == 20 * 2**20


def test_entry_slugs_never_take_a_reserved_name_nor_each_others(caplog):
    from types import SimpleNamespace

    from reading_room.index import _assign_slugs
    from reading_room.slugs import RESERVED_SLUGS, slugify

    # Han characters pypinyin cannot spell are dropped from the slug: “index” and two such characters is “index”
    keys = ["index\U0002A700\U0002A701", "g\U0002A700\U0002A702", "学习强国", "学习墙国", "xue-xi-qiang-guo"]
    assert slugify(keys[0]) == "index"
    entries = [SimpleNamespace(key=k, slug="") for k in keys]
    _assign_slugs(entries)
    slugs = [e.slug for e in entries]
    assert len(set(slugs)) == len(slugs)
    assert not set(slugs) & RESERVED_SLUGS
    assert "index" in caplog.text and "needs" in caplog.text


def test_body_pages_never_take_a_reserved_name_nor_each_others():
    from reading_room.site import body_url

    names = ["index", "Index", "公安局", "公安剧", "**县公安局", "县公安局", "", "police"]
    urls = [body_url(n) for n in names]
    assert len(set(urls)) == len(urls)
    assert "bodies/index/" not in urls and body_url("police") == "bodies/police/"
