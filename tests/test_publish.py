"""publish.build_site: the swap, failures and interruptions, incremental (dirty) builds."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import yaml

from conftest import make_corpus, run_build, sample_files, tree_hashes, write_mkdocs_config
from reading_room import pipeline, publish


@pytest.fixture
def built(tmp_path):
    """Five sample reports generated into docs/ and built once into site/ (a full build)."""
    corpus = make_corpus(tmp_path / "corpus", sample_files())
    docs = tmp_path / "docs"
    docs.mkdir()
    config = write_mkdocs_config(tmp_path, docs)
    site = tmp_path / "site"
    pipeline.generate(corpus, docs, tmp_path / "cache")
    first = publish.build_site(config, site)
    assert not first.dirty and first.rebuilt == first.pages > 0
    return tmp_path, corpus, docs, config, site


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site.") and not p.name.endswith("state.json"))


def test_failed_build_leaves_the_previous_site(built, monkeypatch):
    root, corpus, docs, config, site = built
    before = tree_hashes(site)
    state = publish.state_path(site).read_bytes()
    broken = yaml.safe_load(config.read_text(encoding="utf-8"))
    broken["theme"]["name"] = "no-such-theme"
    config.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(publish.PublishError):
        publish.build_site(config, site)
    assert tree_hashes(site) == before
    assert publish.state_path(site).read_bytes() == state
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
    before = tree_hashes(site)
    (corpus / sample_files()[0].name).write_bytes(
        (corpus / sample_files()[0].name).read_bytes() + "\n中断测试新增段落，检验中断后旧站点不变。\n".encode())
    pipeline.generate(corpus, docs, root / "cache")

    def interrupted(staging, site):
        raise KeyboardInterrupt  # after MkDocs has built the staging folder, before the swap

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


def test_noop_rebuild_is_incremental_and_renders_nothing(built):
    root, corpus, docs, config, site = built
    before = tree_hashes(site)
    again = publish.build_site(config, site)
    assert again.dirty and again.rebuilt == 0
    after = tree_hashes(site)
    pages = {k: v for k, v in before.items() if k.endswith(".html") and k != "404.html"}
    assert {k: after.get(k) for k in pages} == pages


def test_dirty_build_never_writes_into_the_published_site(built):
    root, corpus, docs, config, site = built
    reports = sorted((site / "reports").iterdir())
    target = reports[0] / "index.html"
    keep = root / "kept-link.html"
    os.link(target, keep)  # a second name of the published file's inode
    digest = hashlib.sha256(keep.read_bytes()).hexdigest()
    page = docs / "reports" / reports[0].name / "index.html"  # written as HTML, copied into the site
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>追加的一段文字。</p></article>"),
                    encoding="utf-8")
    again = publish.build_site(config, site)
    assert again.dirty and again.rebuilt >= 1
    assert "追加的一段文字" in target.read_text(encoding="utf-8")
    assert hashlib.sha256(keep.read_bytes()).hexdigest() == digest  # the old inode was not written


def test_dirty_build_drops_pages_whose_source_is_gone(built):
    root, corpus, docs, config, site = built
    victim = sample_files()[2].name
    report_id = next(p.name for p in (docs / "reports").iterdir() if p.name.startswith(victim[:12]))
    (corpus / victim).unlink()
    pipeline.generate(corpus, docs, root / "cache")
    again = publish.build_site(config, site)
    assert again.dirty and again.removed > 0
    assert not (site / "reports" / report_id).exists()
    assert not (site / "cleaning" / report_id).exists()
    assert not (site / "raw" / f"{report_id}.txt.gz").exists()
    assert report_id not in (site / "index.html").read_text(encoding="utf-8")
    assert "sitemap.xml" in os.listdir(site)


def test_configuration_change_forces_a_full_build(built):
    root, corpus, docs, config, site = built
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["site_name"] = "另一个名字"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    again = publish.build_site(config, site)
    assert not again.dirty and again.rebuilt == again.pages
    assert "另一个名字" in (site / "about" / "index.html").read_text(encoding="utf-8")


def test_full_flag_and_missing_state_force_a_full_build(built):
    root, corpus, docs, config, site = built
    assert not publish.build_site(config, site, full=True).dirty
    publish.state_path(site).unlink()
    assert not publish.build_site(config, site).dirty
    assert publish.build_site(config, site).dirty


def test_swap_in_replaces_the_site_whole(tmp_path):
    site, staging = tmp_path / "site", tmp_path / ".site.building-x"
    site.mkdir()
    (site / "old.html").write_text("old")
    staging.mkdir()
    (staging / "new.html").write_text("new")
    publish.swap_in(staging, site)
    assert os.listdir(site) == ["new.html"]
    assert not staging.exists() and not (tmp_path / ".site.old").exists()


@pytest.mark.parametrize("shares", [2, 3])
def test_parallel_full_build_gives_the_same_site(built, monkeypatch, shares):
    """Two processes, or, for a large site, more shares than processes (two at a time)."""
    root, corpus, docs, config, site = built
    serial = publish.build_site(config, site, full=True, jobs=1)
    before = {k: v for k, v in tree_hashes(site).items() if not k.startswith("sitemap")}
    monkeypatch.setattr(publish, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(publish, "SHARE_PAGES", -(-serial.pages // shares))
    assert publish.share_count(serial.pages, 2) == shares
    parallel = publish.build_site(config, site, full=True, jobs=2)
    assert parallel.pages == serial.pages and parallel.rebuilt == parallel.pages
    after = {k: v for k, v in tree_hashes(site).items() if not k.startswith("sitemap")}
    assert after == before
    assert _leftovers(root) == []
    assert publish.build_site(config, site).dirty  # and the next build can reuse it


def test_the_build_prints_the_size_of_the_site_it_published(sample_build):
    """The size a host counts (the sum of the files' sizes), taken independently with os.walk."""
    total = files = 0
    for folder, _, names in os.walk(sample_build.site):
        for name in names:
            total += os.lstat(os.path.join(folder, name)).st_size
            files += 1
    assert files > 10 and total > 0
    assert f"{total / 1e6:,.1f} MB in {files:,} files" in sample_build.err + sample_build.out
    assert "GitHub Pages" not in sample_build.err  # a few MB: no warning


def test_a_site_over_the_pages_limit_is_named_with_the_way_to_publish_it(tmp_path, capsys, monkeypatch):
    corpus = make_corpus(tmp_path / "corpus", sample_files()[:1])
    monkeypatch.setattr(publish, "PAGES_LIMIT", 1000)  # any real site is larger
    build = run_build(tmp_path, corpus, capsys)
    assert build.exit_code == 0  # the site is built; where to publish it is the curator's choice
    warning = [line for line in build.err.splitlines() if "GitHub Pages" in line]
    assert len(warning) == 1 and warning[0].startswith("warning: site/ is ")
    assert "object storage" in warning[0] and "Publishing a large site" in warning[0]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "### Publishing a large site" in readme


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
