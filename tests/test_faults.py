"""Faults: the build killed with SIGKILL at chosen points, concurrent builds, a site/ that
cannot be removed, orphan workers. The site/ a reader sees is always a whole site.

The build kills itself where ``READING_ROOM_KILL_AT`` names a point (reading_room/guard.py).
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, make_corpus, sample_files, tree_hashes, write_mkdocs_config
from reading_room import guard, publish

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL tests run on Linux")


class Project:
    def __init__(self, root: Path, files):
        self.root = root
        self.corpus = make_corpus(root / "corpus", files)
        self.docs = root / "docs"
        self.docs.mkdir()
        self.config = write_mkdocs_config(root, self.docs)
        self.site = root / "site"
        self.cache = root / "cache"

    def args(self, *extra: str) -> list[str]:
        return [sys.executable, str(ROOT / "build.py"), "--corpus", str(self.corpus), "--docs", str(self.docs),
                "--site", str(self.site), "--config", str(self.config), "--cache", str(self.cache), *extra]

    def build(self, *extra: str, kill_at: str = "", env: dict | None = None, wait: bool = True):
        environment = {**os.environ, **(env or {})}
        environment.pop(guard.KILL_AT, None)
        if kill_at:
            environment[guard.KILL_AT] = kill_at
        if not wait:
            return subprocess.Popen(self.args(*extra), env=environment, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        # files, not pipes: a worker left running would hold a pipe open and hang the test
        out, err = self.root / "build.out", self.root / "build.err"
        with open(out, "w") as stdout, open(err, "w") as stderr:
            code = subprocess.run(self.args(*extra), env=environment, stdout=stdout, stderr=stderr,
                                  timeout=300).returncode
        return code, out.read_text(), err.read_text()

    def leftovers(self) -> list[str]:
        """What builds left beside site/ but the spare site (the site before last, reused)."""
        return sorted(p.name for p in self.root.iterdir() if p.name.startswith(".site.") and p.name != ".site.spare")


def test_a_kill_at_any_point_leaves_a_whole_site(tmp_path):
    project = Project(tmp_path, sample_files()[:1])
    code, _, err = project.build("--jobs", "1")
    assert code == 0, err
    old = tree_hashes(project.site)
    report = project.corpus / sample_files()[0].name
    report.write_text(report.read_text(encoding="utf-8") + "\n新增的一段文字，用于检验中断后的站点。\n", encoding="utf-8")

    # before the swap, just after it (the old site not yet removed), and between the two
    # renames of the fallback swap (where there is no exchange)
    points = [("site-built", {}), ("site-exchanged", {}), ("swap-between-renames", {"READING_ROOM_NO_EXCHANGE": "1"})]
    seen_new = None
    for point, env in points:
        code, _, err = project.build("--jobs", "1", kill_at=point, env=env)
        assert code == -signal.SIGKILL, (point, code, err)
        if point == "swap-between-renames":
            # the one moment without site/: the next build puts the previous one back first
            assert not project.site.exists() and project.leftovers()
            assert publish.recover(project.site)
        hashes = tree_hashes(project.site)
        assert (project.site / "index.html").is_file(), point
        if hashes != old:
            seen_new = seen_new or hashes
            assert hashes == seen_new, point  # the new site, whole
            assert "新增的一段文字" in "".join(p.read_text(encoding="utf-8") for p in project.site.rglob("*.html"))
    assert seen_new is not None  # killed after the swap: the new site is in place

    code, _, err = project.build("--jobs", "1")
    assert code == 0, err
    assert project.leftovers() == []  # the staging and old folders of the killed builds are gone
    assert "新增的一段文字" in (project.site / "reports").joinpath(
        next(p.name for p in (project.site / "reports").iterdir() if p.name.startswith("2019")), "index.html"
    ).read_text(encoding="utf-8")


def _processes_with(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if token.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_a_killed_build_leaves_no_worker_running(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    for i in range(6):  # 30 reports: enough for the process pool
        for path in sample_files():
            shutil.copy2(path, corpus / f"copy{i}-{path.name}")
    project = Project.__new__(Project)
    project.root, project.corpus, project.docs = tmp_path, corpus, tmp_path / "docs"
    project.site, project.cache, project.config = tmp_path / "site", tmp_path / "cache", tmp_path / "mkdocs.yml"
    token = f"RR_TEST_TOKEN={uuid.uuid4().hex}"
    name, value = token.split("=")
    code, _, err = project.build("--docs-only", "--jobs", "2", kill_at="workers-running", env={name: value})
    assert code == -signal.SIGKILL, err
    deadline = time.monotonic() + 10
    while _processes_with(token) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _processes_with(token)
    for pid in left:  # ours: do not leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_a_second_build_waits_for_the_first_and_says_who_holds_the_lock(tmp_path):
    project = Project(tmp_path, sample_files()[:1])
    with guard.build_lock(project.cache):
        process = project.build("--docs-only", "--jobs", "1", wait=False)
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline and "waiting" not in line:
            line = process.stderr.readline()
        assert f"pid {os.getpid()}" in line
        time.sleep(0.5)
        assert process.poll() is None  # still waiting
        assert not (project.docs / "index.md").exists()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert (project.docs / "index.md").exists()
    with pytest.raises(guard.BuildLocked):
        with guard.build_lock(project.cache):
            with guard.build_lock(project.cache, wait=False):
                pass


def test_a_killed_builds_folder_that_cannot_be_removed_is_reported_and_does_not_block_the_next_build(
        tmp_path, monkeypatch):
    project = Project(tmp_path, sample_files()[:1])
    code, _, err = project.build("--jobs", "1")
    assert code == 0, err
    for n in range(2):  # what killed builds leave: staging folders, the Markdown MkDocs was rendering
        stale = tmp_path / (f".site.building-{n}" if n else ".site.pages")
        (stale / "sub").mkdir(parents=True)
        (stale / "sub" / "page.html").write_text(f"stale {n}")
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if str(path).endswith("page.html"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    warnings = publish.recover(project.site)
    monkeypatch.setattr(os, "unlink", real_unlink)
    assert len(warnings) == 2 and all("Permission denied" in w and "next build tries again" in w for w in warnings)
    code, _, err = project.build("--jobs", "1")  # removes them, and builds
    assert code == 0, err
    assert project.leftovers() == []
    assert (project.site / "index.html").is_file()


def test_a_site_that_cannot_be_replaced_stops_the_build_with_the_cause(tmp_path, monkeypatch):
    site, staging = tmp_path / "site", tmp_path / ".site.building-x"
    site.mkdir()
    staging.mkdir()

    def busy(a, b):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(b))

    monkeypatch.setattr(publish, "rename_exchange", busy)
    with pytest.raises(publish.PublishError, match="Device or resource busy"):
        publish.swap_in(staging, site)
    site.rmdir()
    site.write_text("not a folder")
    with pytest.raises(publish.PublishError, match="not a folder"):
        publish.swap_in(staging, site)
