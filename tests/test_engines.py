"""The generated docs/ is engine-neutral: Zensical (which reads mkdocs.yml but runs no
hooks or plugins) builds the same site from it, and the search box works there too.

Material for MkDocs reaches end of life in May 2027; this keeps the way out open.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from browsing import CHROMIUM, search, serve, texts
from conftest import ROOT

zensical = pytest.importorskip("zensical", reason="zensical is not installed (requirements-dev.txt pins it)")

ANCHOR = re.compile(r'\bid="((?:h|p)-[0-9a-f]{16})"')


@pytest.fixture(scope="module")
def zensical_site(sample_build, tmp_path_factory) -> Path:
    """The sample build's docs/ built by Zensical with the project's own mkdocs.yml.

    Zensical wants the configuration, docs/ and site/ inside one project folder.
    """
    project = tmp_path_factory.mktemp("zensical")
    shutil.copytree(sample_build.docs, project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and config["site_dir"] == "site"
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    done = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"], cwd=project,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_zensical_builds_every_page_mkdocs_builds(sample_build, zensical_site):
    pages = html_pages(sample_build.site)
    assert len(pages) > 50
    assert html_pages(zensical_site) == pages


def test_report_text_and_citable_anchors_are_the_same_under_zensical(sample_build, zensical_site):
    ours, theirs = texts(sample_build.site), texts(zensical_site)
    assert ours.keys() == theirs.keys() and len(ours) == len(list(sample_build.corpus.glob("*.txt")))
    for url, text in ours.items():
        assert theirs[url] == text, url
        page = url + "index.html"
        anchors = ANCHOR.findall((sample_build.site / page).read_text(encoding="utf-8"))
        assert anchors and ANCHOR.findall((zensical_site / page).read_text(encoding="utf-8")) == anchors, url


def test_data_and_search_index_reach_the_zensical_site(sample_build, zensical_site):
    for folder in ("data", "search", "raw"):
        files = {p.relative_to(sample_build.site).as_posix() for p in (sample_build.site / folder).rglob("*")
                 if p.is_file() and p.suffix != ".html"}  # data/index.html, the 数据 page, is a page
        assert files, folder
        for name in files:
            assert (zensical_site / name).read_bytes() == (sample_build.site / name).read_bytes(), name


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed: .ci/run installs it")
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_search_box_is_laid_out_and_finds_under_both_engines(sample_build, zensical_site, engine, browser):
    """Under Material the box keeps Material's own look; under Zensical's theme, which does
    not style that markup, the box lays itself out (a panel over the page) and finds the same reports."""
    site = sample_build.site if engine == "mkdocs" else zensical_site
    expected = sorted(url for url, text in texts(site).items() if "三会一课" in text)
    assert expected
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base)
            standalone = page.evaluate("document.querySelector('.rr-search').classList.contains('rr-search--standalone')")
            assert standalone == (engine == "zensical")
            content_top = page.locator(".md-content").bounding_box()["y"]
            assert sorted(search(page, "三会一课")) == expected
            # the results lie over the page: the page is not pushed down, the header keeps its
            # height, and the first result is what a click at its centre reaches
            assert abs(page.locator(".md-content").bounding_box()["y"] - content_top) < 2
            assert page.locator(".md-header").bounding_box()["height"] < 150
            panel = page.locator(".rr-search .md-search__output").bounding_box()
            assert panel and panel["width"] >= 400 and panel["height"] >= 100, panel
            on_top = page.evaluate("""() => {
                const item = document.querySelector('.md-search-result__item[data-url]'), box = item.getBoundingClientRect();
                return item.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)); }""")
            assert on_top
            assert not errors
        finally:
            page.close()


def test_zensical_own_search_index_leaves_generated_pages_out(sample_build, zensical_site):
    """Zensical always builds a search index of its own; every generated page tells it to leave
    the page out (the site's search is reading_room/search.py), so it stays small at any corpus size."""
    items = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))["items"]
    generated = {p.parent.relative_to(sample_build.site).as_posix() + "/"
                 for p in sample_build.site.rglob("index.html") if p.parent != sample_build.site}
    hand_written = {"about/"}
    assert generated - hand_written
    assert not {item["location"].split("#")[0] for item in items} & (generated - hand_written)
