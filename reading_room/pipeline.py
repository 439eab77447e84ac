"""The whole path from corpus/ to docs/: the stages in order.

    decode -> clean -> metadata -> outline   (per report, cached, in parallel: conversion.py)
    search index                             (in a process forked first, fed the reports, alongside what follows)
    formulation and cited-document indexes   (across the corpus, memoised on disk: index.py, memo.py)
    shared passages                          (across the corpus, on disk: reuse.py)
    pages and data files                     (each from its view, only when it changed: outputs.py)

``publish.py`` then turns docs/ into site/.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import memo as memo_module, reuse as reuse_module, reuse_store, search, slugs
from .cache import code_version, digest, libraries_version, read_cache_json, write_cache_json
from .conversion import Conversion, convert_corpus
from .index import Index, IndexKind, build_index
from .memo import Memo
from .outputs import generated_files
from .report import Report
from .shell import Shells
from .text_changes import last_change
from .workers import Feed, give_back_memory
from .writer import RenderMemo, spooled, write_tree

FEED_BATCH = 2_000  # search views per message to the search index's process
SPOOL_PREFIX = "search-spool-"  # the search index's files, on their way to docs/ (in the cache folder)
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"  # the theme's shell, when none is given


@dataclass
class Generated:
    reports: list[Report]
    skipped: list[tuple[str, str]]  # (source file, reason)
    slogans: Index
    cited: Index
    converted: int = 0  # reports converted this run (the rest came from the cache)
    changed_files: list[str] = field(default_factory=list)  # docs/ files written or removed
    warnings: list[str] = field(default_factory=list)  # for the curator: renamed ids, …


def site_license(config: Path | None) -> str:
    """mkdocs.yml's ``extra.license``: every report's licence unless catalog.yml gives its own."""
    import yaml

    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8")) if config else None
    except (OSError, yaml.YAMLError):
        return ""
    extra = data.get("extra") if isinstance(data, dict) else None
    value = extra.get("license") if isinstance(extra, dict) else None
    return str(value) if value else ""


def generate(corpus: Path, docs: Path, cache_dir: Path | None = None, progress=None,
             jobs: int | None = None, full: bool = False, cluster: str | None = None,
             config: Path | None = None) -> Generated:
    """Regenerate every generated page and data file under docs/ from corpus/.

    ``full`` (or no cache) trusts nothing a previous build left: the search index is
    built whole and every page rendered again. ``cluster``: the address of a Dask
    scheduler (or "local") that runs the per-report stages (workers.py). ``config``:
    the MkDocs configuration, for the site-wide licence of the data files."""
    previous_index = None if full or cache_dir is None else docs / search.INDEX_DIR
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for stale in cache_dir.glob(SPOOL_PREFIX + "*"):  # left by a build that was killed (builds hold a lock)
            shutil.rmtree(stale, ignore_errors=True)
    # the search index is built in a process of its own while this one builds the other indexes
    # and renders the pages; forked now, before this one holds the corpus, it is sent what it needs,
    # and it leaves its files in a spool folder on disk (beside the cache, not in a tmpfs /tmp)
    with tempfile.TemporaryDirectory(prefix=SPOOL_PREFIX, dir=cache_dir) as spool_dir:
        spool = Path(spool_dir)
        with Feed(search.spool_index_files, previous_index, spool, jobs=jobs) as search_index:
            slugs.load_pinyin(cache_dir)
            conversion = convert_corpus(corpus, cache_dir, progress, jobs, cluster)
            if progress:
                progress.stage("search index (alongside the next stages)")
            for start in range(0, len(conversion.reports), FEED_BATCH):
                search_index.send([search.search_view(r) for r in conversion.reports[start:start + FEED_BATCH]])
            search_paths = search_index.close()
        texts_changed = last_change(corpus, list(conversion.paths.values()))
        return _generate(conversion, docs, cache_dir, progress, full, config,
                         lambda: spooled(search_paths(), spool), jobs, texts_changed)


def _generate(conversion: Conversion, docs: Path, cache_dir: Path | None, progress, full: bool, config: Path | None,
              search_files, jobs: int | None, texts_changed: str = "") -> Generated:
    settings, reports = conversion.settings, conversion.reports
    if progress:
        progress.stage("index")
    keys = [conversion.keys[r.id] for r in reports]
    with Memo.open(cache_dir / memo_module.FILE if cache_dir else None, code_version()) as memo:
        slogans = build_index(reports, IndexKind.SLOGANS, settings.index, memo, keys)
        cited = build_index(reports, IndexKind.CITED, settings.index, memo, keys)
    give_back_memory()
    if progress:
        progress.stage("shared passages")
    shared, shared_inputs = _shared_passages(reports, conversion.keys, cache_dir, settings.reuse_min_distinct, jobs)
    give_back_memory()

    if progress:
        progress.stage("render")
    shells = Shells(config or DEFAULT_CONFIG)
    scope = digest(code_version(), libraries_version(), settings.fingerprint, str(docs.resolve()), shells.fingerprint)
    render_memo = RenderMemo.load(None if full else cache_dir, scope)
    files = generated_files(reports, conversion.keys, conversion.paths, conversion.skipped, settings,
                            (slogans, cited), shared, shared_inputs, search_files, site_license(config), docs, shells, texts_changed)
    changed = write_tree(docs, files, render_memo)
    render_memo.save(cache_dir)
    slugs.save_pinyin(cache_dir)
    return Generated(reports, conversion.skipped, slogans, cited, conversion.converted, changed,
                     warnings=conversion.warnings)


def _shared_passages(reports: list[Report], keys: dict[str, str], cache_dir: Path | None,
                     min_distinct: int = reuse_module.MIN_DISTINCT, jobs: int | None = None
                     ) -> tuple[reuse_module.Reuse, str]:
    """The shared passages and the digest of what they are found from (every report's cache
    key and the code): from the cache when no report changed (finding them again costs most
    of a rebuild otherwise); anything unreadable there is found again."""
    key = digest(code_version(), f"min_distinct={min_distinct}", *(keys[r.id] for r in reports))
    cached = read_cache_json(cache_dir, "reuse.json")
    if cached.get("key") == key:
        try:
            return reuse_module.Reuse.from_cache(cached["clusters"]), key
        except (KeyError, TypeError, ValueError, IndexError):
            pass
    shared = reuse_module.find_reuse(reports, cache_dir / reuse_store.FILE if cache_dir else None, keys, min_distinct,
                                     jobs)
    write_cache_json(cache_dir, "reuse.json", {"key": key, "clusters": shared.to_cache()})
    return shared, key
