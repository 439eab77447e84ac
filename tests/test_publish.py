"""publish.build_site: the swap, failures and interruptions, the Markdown MkDocs renders, mirroring."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import make_corpus, run_build, sample_files, tree_hashes, write_mkdocs_config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reading_room import pipeline, publish
from reading_room.mirror import mirror
from reading_room.site import GENERATED_DIRS

_NAMES = ["reports/a/index.html", "reports/b/index.html", "reports/a/x.gz", "raw/a.txt.gz", "data/t.csv", "search/k/1.json.gz"]
_ODD = ["reports", "reports/a", "raw/a.txt.gz/inner", "data", "search/k"]  # in the way of wanted files and folders


@pytest.fixture
def built(tmp_path):
    """Five sample reports generated into docs/ and built once into site/ (every file copied)."""
    corpus = make_corpus(tmp_path / "corpus", sample_files())
    docs = tmp_path / "docs"
    docs.mkdir()
    config = write_mkdocs_config(tmp_path, docs)
    site = tmp_path / "site"
    pipeline.generate(corpus, docs, tmp_path / "cache")
    first = publish.build_site(config, site)
    generated = [p for top in GENERATED_DIRS for p in (docs / top).rglob("*") if p.is_file() and p.suffix != ".md"]
    assert not first.spare and first.changed == len(generated) > 0 and first.removed == 0
    markdown = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    assert first.rendered == len(markdown) and first.pages == first.rendered + sum(
        p.name == "index.html" for p in generated)
    return tmp_path, corpus, docs, config, site


def _leftovers(folder: Path) -> list[str]:
    """What a build left beside site/ (the spare site aside, which the next build reuses)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site.") and p.name != ".site.spare")


def _change_a_report(root, corpus, docs):
    name = sample_files()[0].name
    (corpus / name).write_bytes((corpus / name).read_bytes() + "\n中断测试新增段落，检验中断后旧站点不变。\n".encode())
    pipeline.generate(corpus, docs, root / "cache")


def test_failed_build_leaves_the_previous_site(built, monkeypatch):
    root, corpus, docs, config, site = built
    publish.build_site(config, site)  # leaves a spare site, which the failed build takes up
    before = tree_hashes(site)
    broken = yaml.safe_load(config.read_text(encoding="utf-8"))
    broken["theme"]["name"] = "no-such-theme"
    config.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(publish.PublishError):
        publish.build_site(config, site)
    assert tree_hashes(site) == before
    assert _leftovers(root) == []


def test_failure_inside_mkdocs_leaves_the_previous_site(built):
    root, corpus, docs, config, site = built
    before = tree_hashes(site)
    hook = root / "failing_hook.py"
    hook.write_text("def on_post_build(config):\n    raise SystemExit('boom')\n", encoding="utf-8")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["hooks"] = [*data.get("hooks", []), str(hook)]
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(publish.PublishError):
        publish.build_site(config, site)
    assert tree_hashes(site) == before
    assert _leftovers(root) == []


@pytest.mark.parametrize("full", [False, True])
def test_interrupted_build_leaves_the_previous_site(built, monkeypatch, full):
    root, corpus, docs, config, site = built
    publish.build_site(config, site)
    before = tree_hashes(site)
    _change_a_report(root, corpus, docs)

    def interrupted(staging, site):
        raise KeyboardInterrupt  # after the staging folder is assembled, before the swap

    monkeypatch.setattr(publish, "swap_in", interrupted)
    with pytest.raises(KeyboardInterrupt):
        publish.build_site(config, site, full=full)
    assert tree_hashes(site) == before
    assert _leftovers(root) == []
    assert any((root / "cache" / "reports").rglob("*.json"))  # the cache is intact


def test_search_index_is_published_with_the_site(built):
    root, corpus, docs, config, site = built
    reports = sorted(p.name for p in (site / "reports").iterdir())
    assert (site / "search" / "meta.json").exists()
    assert sorted(p.name.removesuffix(".json.gz") for p in (site / "search" / "t").iterdir()) == reports


def test_noop_rebuild_copies_nothing_and_links_the_published_files(built):
    root, corpus, docs, config, site = built
    before = tree_hashes(site)
    page = next((site / "reports").iterdir()) / "index.html"
    inode = page.stat().st_ino
    for spare in (False, True):  # the second build has no spare site yet; the third has
        again = publish.build_site(config, site)
        assert again.spare == spare and again.changed == 0 and again.removed == 0
        assert page.stat().st_ino == inode  # the same file, linked into each new site
    after = tree_hashes(site)
    pages = {k: v for k, v in before.items() if k.endswith(".html") and k != "404.html"}
    assert {k: after.get(k) for k in pages} == pages
    assert sorted(after) == sorted(before)


def test_rebuild_never_writes_into_the_published_site(built):
    root, corpus, docs, config, site = built
    publish.build_site(config, site)  # a spare site: the next build assembles the site in it
    target = next(p for p in (site / "reports").iterdir() if p.name.startswith(sample_files()[0].name[:12]))
    target = target / "index.html"
    keep = root / "kept-link.html"
    os.link(target, keep)  # a second name of the published file's inode
    digest = hashlib.sha256(keep.read_bytes()).hexdigest()
    _change_a_report(root, corpus, docs)  # its page in docs/ is written again
    again = publish.build_site(config, site)
    assert again.spare and again.changed >= 1
    assert "中断测试新增段落" in target.read_text(encoding="utf-8")
    assert hashlib.sha256(keep.read_bytes()).hexdigest() == digest  # the old inode was not written
    assert "中断测试新增段落" not in (root / ".site.spare" / target.relative_to(site)).read_text(encoding="utf-8")


def test_rebuild_drops_pages_whose_source_is_gone(built):
    root, corpus, docs, config, site = built
    victim = sample_files()[2].name
    report_id = next(p.name for p in (docs / "reports").iterdir() if p.name.startswith(victim[:12]))
    (corpus / victim).unlink()
    pipeline.generate(corpus, docs, root / "cache")
    again = publish.build_site(config, site)
    assert again.removed > 0
    assert not (site / "reports" / report_id).exists()
    assert not (site / "cleaning" / report_id).exists()
    assert not (site / "raw" / f"{report_id}.txt.gz").exists()
    assert report_id not in (site / "index.html").read_text(encoding="utf-8")
    assert "sitemap.xml" in os.listdir(site)


def test_configuration_change_reaches_the_markdown_pages(built):
    root, corpus, docs, config, site = built
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["site_name"] = "另一个名字"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    publish.build_site(config, site)
    assert "另一个名字" in (site / "about" / "index.html").read_text(encoding="utf-8")


def test_full_flag_assembles_the_same_site_from_an_empty_folder(built):
    root, corpus, docs, config, site = built
    publish.build_site(config, site)
    before = tree_hashes(site)
    (root / ".site.spare" / "stray.html").write_text("left in the spare site", encoding="utf-8")
    full = publish.build_site(config, site, full=True)
    assert not full.spare and full.changed == 0
    assert tree_hashes(site) == before


def test_markdown_is_all_mkdocs_renders(built):
    """MkDocs renders the Markdown pages and sees no generated page: a page written as HTML that
    MkDocs would render if it saw it (a Markdown file deep in a generated folder) is not rendered."""
    root, corpus, docs, config, site = built
    stray = docs / "reports" / "stray" / "page.md"
    stray.parent.mkdir(parents=True)
    stray.write_text("# 不应渲染\n", encoding="utf-8")
    again = publish.build_site(config, site)
    assert again.rendered == len(list(docs.rglob("*.md"))) - 1
    assert not (site / "reports" / "stray").exists()
    assert not any(p.name.startswith(".site.source") or p.name.startswith(".site.pages") for p in root.iterdir())


def test_swap_in_replaces_the_site_whole_and_keeps_the_old_one_aside(tmp_path):
    site, staging = tmp_path / "site", tmp_path / ".site.building-x"
    site.mkdir()
    (site / "old.html").write_text("old")
    staging.mkdir()
    (staging / "new.html").write_text("new")
    publish.swap_in(staging, site)
    assert os.listdir(site) == ["new.html"]
    assert os.listdir(staging) == ["old.html"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    docs_files=st.dictionaries(st.sampled_from(_NAMES), st.binary(max_size=3), max_size=8),
    published_names=st.sets(st.sampled_from(_NAMES), max_size=8),
    staging_files=st.dictionaries(st.sampled_from(_NAMES + _ODD), st.binary(max_size=3), max_size=8),
    linked=st.sets(st.sampled_from(_NAMES), max_size=8),
)
def test_mirror_makes_the_staging_folder_exactly_the_wanted_site(tmp_path_factory, docs_files, published_names,
                                                                  staging_files, linked):
    """Whatever the staging folder held (stale files, files where folders are wanted and the
    reverse, links to elsewhere, some of the wanted files already), it ends as the generated
    files of docs/, linked, plus MkDocs' output; no file is written into."""
    root = tmp_path_factory.mktemp("mirror")
    docs, published, staging, rendered = (root / n for n in ("docs", "site", "staging", "pages"))
    outside = root / "outside"
    outside.mkdir()
    (outside / "precious").write_bytes(b"keep")

    def put(path: Path, data: bytes | None, source: Path | None = None) -> None:
        if any(parent.is_file() for parent in path.parents) or path.is_dir():
            return  # a file is in the way of this one's folder, or a folder in its place
        path.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            os.link(source, path)
        elif data == b"\x00":  # a link to a folder elsewhere, never followed, never published
            os.symlink(outside, path)
        else:
            path.write_bytes(data)

    for name, data in docs_files.items():
        put(docs / name, data or b"d")
    docs_tree = _tree(docs)  # the files; links left out
    published.mkdir()
    for name in published_names:  # the site now: the docs/ file itself, or an older one
        put(published / name, b"old", docs / name if name in linked and name in docs_tree else None)
    staging.mkdir()
    for name, data in staging_files.items():
        put(staging / name, data, docs / name if name in linked and name in docs_tree else None)
    (rendered / "index.html").parent.mkdir(parents=True)
    (rendered / "index.html").write_bytes(b"home")
    (docs / "reports" / "page.md").parent.mkdir(parents=True, exist_ok=True)
    (docs / "reports" / "page.md").write_bytes(b"# Markdown: MkDocs renders it, mirror leaves it")
    everything = {p: p.read_bytes() for folder in (docs, published, outside) for p in folder.rglob("*") if p.is_file()}

    done = mirror(staging, docs, rendered, published)
    assert _tree(staging) == {**docs_tree, "index.html": b"home"}
    assert not any(p.is_symlink() for p in staging.rglob("*"))
    assert sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_dir()) == sorted(
        {"/".join(Path(name).parts[:i]) for name in [*docs_tree, "index.html"] for i in range(1, len(Path(name).parts))})
    assert all((staging / name).stat().st_ino == (docs / name).stat().st_ino for name in docs_tree)
    assert {p: p.read_bytes() for p in everything} == everything
    published_tree = _tree(published)
    same = {name for name in docs_tree if name in published_tree
            and (published / name).stat().st_ino == (docs / name).stat().st_ino}
    assert done.changed == len(docs_tree) - len(same)
    assert done.removed == len(set(published_tree) - set(docs_tree) - {"index.html"})


def test_prune_removes_what_is_not_kept_and_the_folders_left_empty(tmp_path):
    """prune: files not kept go, folders left empty go (never the root), a link to a folder is
    removed like a file and never followed; kept files and the folders holding them stay."""
    from reading_room.writer import prune

    root = tmp_path / "site"
    for name in ("a/index.html", "a/b/index.html", "c/d/e/index.html", "keep.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("x", encoding="utf-8")
    os.symlink(outside, root / "a" / "link")
    removed = prune(tmp_path, root, {"site/a/index.html", "site/keep.txt"})
    assert sorted(removed) == ["site/a/b/index.html", "site/a/link", "site/c/d/e/index.html"]
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == ["a", "a/index.html", "keep.txt"]
    assert (outside / "precious.txt").exists()
    assert prune(tmp_path, root, set()) and root.is_dir() and not any(root.iterdir())
