"""Shared fixtures: the real sample corpus built once per session into temporary folders.

Nothing here writes into the project: every build goes to pytest's temporary
directories, with its own MkDocs configuration whose docs_dir is the temporary
docs folder (the hand-written pages are copied next to the generated ones).
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from reading_room import cli
from reading_room.settings import DATA_FILES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REAL_TEXTS = ROOT.parent / "shared" / "real-texts"
CURATION = DATA_FILES
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def han(text: str) -> str:
    """The Han characters of ``text``, in order."""
    return "".join(HAN.findall(text))


def sample_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def write_mkdocs_config(where: Path, docs: Path) -> Path:
    """A copy of the project's mkdocs.yml that reads ``docs`` (absolute paths throughout)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(ROOT / h) for h in config.get("hooks", [])]
    for hand_written in ("about.md", "assets"):
        source = ROOT / "docs" / hand_written
        if source.is_dir():
            shutil.copytree(source, docs / hand_written, dirs_exist_ok=True)
        elif source.exists():
            docs.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, docs / hand_written)
    path = where / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def data_json(folder: Path, name: str):
    """A JSON download of ``folder``/data (e.g. "reports.json"), kept gzip-compressed as name.gz."""
    packed = (folder / "data" / (name + ".gz")).read_bytes()
    assert packed[4:8] == b"\0\0\0\0"  # no time in the gzip header: the same content, the same bytes
    return json.loads(gzip.decompress(packed).decode("utf-8"))


def data_csv(path: Path) -> list[dict]:
    """The rows of a CSV download (gzip-compressed when its name ends in .gz)."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        assert raw[4:8] == b"\0\0\0\0"
        raw = gzip.decompress(raw)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def data_uses(folder: Path, kind: str = "slogans") -> dict[str, list[dict]]:
    """Each entry's uses: key -> its rows of ``folder``/data/<kind>.csv.gz, each with its
    ``context`` (left + match + right) and ``quoted`` as a bool."""
    uses: dict[str, list[dict]] = {}
    for row in data_csv(folder / "data" / f"{kind}.csv.gz"):
        row["context"] = row["left"] + row["match"] + row["right"]
        row["quoted"] = row["quoted"] == "true"
        uses.setdefault(row["key"], []).append(row)
    return uses


@dataclass
class Build:
    root: Path
    corpus: Path
    docs: Path
    site: Path
    config: Path
    exit_code: int
    out: str
    err: str

    @property
    def reports(self) -> list[dict]:
        return data_json(self.docs, "reports.json")

    def report(self, source_file: str) -> dict:
        return next(r for r in self.reports if r["source_file"] == source_file)

    def page(self, report_id: str) -> str:
        return (self.docs / "reports" / report_id / "index.html").read_text(encoding="utf-8")

    def html(self, report_id: str) -> str:
        return (self.site / "reports" / report_id / "index.html").read_text(encoding="utf-8")


def make_corpus(folder: Path, files=()) -> Path:
    """A corpus folder with the project's curation files and copies of ``files``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in CURATION:
        if (CORPUS / name).exists():
            shutil.copy2(CORPUS / name, folder / name)
    for path in files:
        shutil.copy2(path, folder / path.name)
    return folder


def run_build(root: Path, corpus: Path, capsys, *extra: str, site: bool = True, cache: bool = False) -> Build:
    """``python build.py`` in-process, into folders under ``root`` (its cache in root/cache,
    used only when ``cache``)."""
    docs, out_site = root / "docs", root / "site"
    docs.mkdir(parents=True, exist_ok=True)
    config = write_mkdocs_config(root, docs)
    args = ([] if cache else ["--no-cache"]) + [
        "--corpus", str(corpus), "--docs", str(docs), "--site", str(out_site),
        "--config", str(config), "--cache", str(root / "cache"), *extra]
    if not site:
        args.append("--docs-only")
    if capsys is not None:
        capsys.readouterr()
    code = cli.main(args)
    out, err = capsys.readouterr() if capsys is not None else ("", "")
    return Build(root, corpus, docs, out_site, config, code, out, err)


class _Capture:
    """capsys is function-scoped; session fixtures capture with this instead."""

    def __init__(self):
        import io
        import contextlib
        self._out, self._err = io.StringIO(), io.StringIO()
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(contextlib.redirect_stdout(self._out))
        self._stack.enter_context(contextlib.redirect_stderr(self._err))

    def readouterr(self):
        out, err = self._out.getvalue(), self._err.getvalue()
        self._out.seek(0), self._out.truncate()
        self._err.seek(0), self._err.truncate()
        return out, err

    def close(self):
        self._stack.close()


def captured_build(root: Path, corpus: Path, *extra: str, **options) -> Build:
    """``run_build`` for session and module fixtures, which have no capsys."""
    capture = _Capture()
    try:
        return run_build(root, corpus, capture, *extra, **options)
    finally:
        capture.close()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Build:
    """The real five-report corpus, built from corpus/ itself (read-only) into a temporary site."""
    root = tmp_path_factory.mktemp("sample")
    before = tree_hashes(CORPUS)
    build = captured_build(root, CORPUS)
    build.corpus_hashes_before = before
    build.corpus_hashes_after = tree_hashes(CORPUS)
    assert build.exit_code == 0, build.err
    return build


@pytest.fixture(scope="session")
def sample_rebuild(tmp_path_factory) -> Build:
    """A second build of the same corpus into other folders, for determinism checks."""
    root = tmp_path_factory.mktemp("sample-again")
    build = captured_build(root, CORPUS)
    assert build.exit_code == 0, build.err
    return build


@pytest.fixture(scope="session")
def settings():
    from reading_room.settings import load_settings
    return load_settings(CORPUS)


@pytest.fixture
def tmp_corpus(tmp_path) -> Path:
    """An empty corpus folder with the project's curation files."""
    return make_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright, shared by the browser tests."""
    from browsing import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
