"""The whole path from corpus/ to docs/: the stages in order, with the cache.

    decode -> clean -> metadata -> outline   (per report, cached, in parallel)
    index                                    (across the corpus)
    render                                   (Markdown pages under docs/)

``publish.py`` then turns docs/ into site/.
"""
from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import cite, data, render, reuse as reuse_module, reuse_pages, reuse_store, search, site
from . import index as index_module
from .cache import code_version, digest, libraries_version, read_json, write_json
from .clean import find_furniture, furniture_key
from .decode import DecodeError, decode_bytes
from .guard import die_with_parent
from .index import Index, Use, build_index
from .report import Report, convert, furniture_lines
from .settings import Settings, load_settings
from .sources import SourceError, SourceFile, read_source, scan_corpus
from .workers import LocalWorkers, workers_for
from .writer import Deferred, RenderMemo, write_tree

log = logging.getLogger("reading_room")

# Bump when a change to the code changes what conversion produces: it invalidates the cache.
PIPELINE_VERSION = "4"  # 3: anchors are simhash fingerprints; 4: control characters in titles made visible
# Not ".cache": Zensical keeps its own cache there and `zensical build --clean` empties it.
CACHE_DIR = ".build-cache"


@dataclass
class Generated:
    reports: list[Report]
    skipped: list[tuple[str, str]]  # (source file, reason)
    slogans: Index
    cited: Index
    converted: int = 0  # reports converted this run (the rest came from the cache)
    changed_files: list[str] = field(default_factory=list)  # docs/ files written or removed
    warnings: list[str] = field(default_factory=list)  # for the curator: renamed ids, …


@dataclass
class Conversion:
    settings: Settings
    reports: list[Report]
    skipped: list[tuple[str, str]]
    converted: int  # reports converted this run (the rest came from the cache)
    # report id -> its cache key: a digest of everything the converted report is made from
    keys: dict[str, str]
    paths: dict[str, Path] = field(default_factory=dict)  # report id -> the file it was read from
    warnings: list[str] = field(default_factory=list)


def find_sources(corpus: Path) -> list[SourceFile]:
    """Every text under corpus/, with an id that is stable and unique (see sources.py).

    A file whose path already is a clean slug (`2020-county-summary.txt`) keeps it
    as its id. Any other name (spaces, Chinese, capitals, sub-folders) gets its slug
    plus a short hash of its path, so an id never depends on which other files exist:
    adding a file can never move an existing report's URL.
    """
    return scan_corpus(corpus).sources


def _cache_key(raw_sha: str, source: SourceFile, settings: Settings, furniture: list[str]) -> str:
    return digest(PIPELINE_VERSION, raw_sha, source.relative, source.id, settings.fingerprint, *furniture)


def _short_lines_job(job) -> dict:
    """A report's short lines as furniture keys, or why it cannot be decoded."""
    raw, max_length = job
    try:
        text = decode_bytes(raw).text
    except DecodeError as err:
        return {"error": str(err)}
    return {"lines": sorted({k for k in map(furniture_key, text.split("\n")) if len(k) <= max_length})}


def _convert_job(job):
    source, raw, settings, furniture = job
    try:
        return convert(source.id, source.relative, raw, settings, furniture), None
    except DecodeError as err:
        return None, str(err)
    except Exception as err:  # a bug must not take the whole site down
        log.debug("conversion of %s failed:\n%s", source.relative, traceback.format_exc())
        return None, f"internal error while converting: {type(err).__name__}: {err}"


def convert_corpus(corpus: Path, cache_dir: Path | None, progress=None, jobs: int | None = None,
                   cluster: str | None = None) -> Conversion:
    """Convert every report, from the cache where the input is unchanged.

    The corpus-wide furniture lines need every report's short lines; those are
    cached too (by raw hash), so an unchanged report is neither decoded nor
    converted again.
    """
    with workers_for(cluster, jobs) as workers:
        return _convert_corpus(corpus, cache_dir, progress, workers)


def _convert_corpus(corpus: Path, cache_dir: Path | None, progress, workers: LocalWorkers) -> Conversion:
    settings = load_settings(corpus)
    scan = scan_corpus(corpus)
    sources = scan.sources
    max_length = settings.cleaning.furniture.max_length
    raws: dict[str, bytes] = {}
    shas: dict[str, str] = {}
    texts: dict[str, str] = {}  # the short lines of each decodable report, one a line
    skipped: list[tuple[str, str]] = list(scan.skipped)
    seen = _read_lines_cache(cache_dir, max_length)
    unseen: dict[str, bytes] = {}  # raw SHA-256 -> bytes, for reports whose lines are not cached
    for source in sources:
        try:
            raw = read_source(source, settings.max_text_bytes)
        except SourceError as err:
            skipped.append((source.relative, str(err)))
            continue
        raws[source.relative] = raw
        sha = shas[source.relative] = hashlib.sha256(raw).hexdigest()
        if sha not in seen:
            unseen[sha] = raw
    found = workers.map(_short_lines_job, [(raw, max_length) for raw in unseen.values()])
    lines_cache = {**{sha: seen[sha] for sha in shas.values() if sha in seen}, **dict(zip(unseen, found))}
    for relative, sha in shas.items():
        entry = lines_cache[sha]
        if "error" in entry:
            skipped.append((relative, entry["error"]))
        else:
            texts[relative] = "\n".join(entry["lines"])
    _write_lines_cache(cache_dir, max_length, lines_cache, changed=lines_cache.keys() != seen.keys())
    furniture = find_furniture(texts.values(), settings.cleaning.furniture)

    reports: dict[str, Report] = {}
    todo = []
    keys: dict[str, str] = {}
    for source in sources:
        if source.relative not in texts:
            continue
        raw = raws[source.relative]
        own_furniture = furniture_lines(texts[source.relative], furniture)
        key = _cache_key(shas[source.relative], source, settings, own_furniture)
        keys[source.relative] = key
        cached = _read_cache(cache_dir, key)
        if cached is not None and (cached.id, cached.source_file) == (source.id, source.relative):
            reports[source.relative] = cached
        else:
            todo.append((source, raw, settings, frozenset(own_furniture)))

    if progress:
        progress.start("convert", len(todo))
    outcomes = list(zip(todo, workers.map(_convert_job, todo, progress, "convert")))
    for (source, *_), (report, reason) in outcomes:
        if report is None:
            skipped.append((source.relative, reason))
            continue
        reports[source.relative] = report
        _write_cache(cache_dir, keys[source.relative], report)
    if progress:
        progress.done("convert")
    ordered = [reports[s.relative] for s in sources if s.relative in reports]
    skipped.sort()
    return Conversion(
        settings, ordered, skipped,
        converted=len(todo) - sum(1 for _, (r, _) in outcomes if r is None),
        keys={reports[s.relative].id: keys[s.relative] for s in sources if s.relative in reports},
        paths={reports[s.relative].id: s.path for s in sources if s.relative in reports},
        warnings=scan.warnings,
    )


def _report_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "reports" / key[:2] / f"{key}.json"


def _read_cache(cache_dir: Path | None, key: str) -> Report | None:
    data = read_json(_report_path(cache_dir, key)) if cache_dir is not None else None
    try:
        return Report.from_dict(data) if data is not None else None
    except (TypeError, KeyError, AttributeError, ValueError):
        return None  # not what this code writes: converted again, and the entry rewritten


def _write_cache(cache_dir: Path | None, key: str, report: Report) -> None:
    if cache_dir is not None:
        write_json(_report_path(cache_dir, key), report.to_dict())


def _read_lines_cache(cache_dir: Path | None, max_length: int) -> dict[str, dict]:
    """raw SHA-256 -> {"lines": short lines as furniture keys} or {"error": why it cannot be decoded}."""
    data = _read_json(cache_dir, "lines.json")
    if data.get("version") == PIPELINE_VERSION and data.get("max_length") == max_length:
        entries = data.get("entries")
        # an entry that is not what this code writes is dropped: that report is read again
        return {sha: entry for sha, entry in entries.items() if _is_lines_entry(entry)} if isinstance(entries, dict) else {}
    return {}


def _is_lines_entry(entry) -> bool:
    if not isinstance(entry, dict) or len(entry) != 1:
        return False
    if "error" in entry:
        return isinstance(entry["error"], str)
    lines = entry.get("lines")
    return isinstance(lines, list) and all(isinstance(line, str) for line in lines)


def _write_lines_cache(cache_dir: Path | None, max_length: int, entries: dict[str, dict], changed: bool) -> None:
    """Written whole (entries of reports no longer in the corpus are dropped), only when it changed."""
    if changed:
        _write_json(cache_dir, "lines.json", {"version": PIPELINE_VERSION, "max_length": max_length,
                                              "entries": entries})


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
    index_module.PINYIN.update({text: slug for text, slug in _read_json(cache_dir, "pinyin.json").items()
                                if isinstance(slug, str)})
    conversion = convert_corpus(corpus, cache_dir, progress, jobs, cluster)
    settings, reports = conversion.settings, conversion.reports
    if progress:
        progress.stage("search index (alongside the next stages)")
    previous_index = None if full or cache_dir is None else docs / search.INDEX_DIR
    search_files = _start_search(reports, previous_index, jobs)
    sources = [r.index_source for r in reports]
    if progress:
        progress.stage("index")
    memo, memo_out = _read_json(cache_dir, "index-memo.json"), {}
    keys = [conversion.keys[r.id] for r in reports]
    slogans = build_index(sources, "slogans", settings.index, memo, memo_out, keys)
    cited = build_index(sources, "cited", settings.index, memo, memo_out, keys)
    _write_json(cache_dir, "index-memo.json", memo_out)
    if progress:
        progress.stage("shared passages")
    shared, shared_inputs = _shared_passages(reports, conversion.keys, cache_dir)

    if progress:
        progress.stage("render")
    scope = digest(code_version(), libraries_version(), settings.fingerprint, str(docs.resolve()))
    render_memo = RenderMemo.load(None if full else cache_dir, scope)
    files = _generated_files(corpus, conversion, slogans, cited, search_files, site_license(config), shared)
    files = itertools.chain(files, cite.deferred_files(reports, conversion.keys, docs), _reuse_files(shared, reports, shared_inputs))
    changed = write_tree(docs, files, render_memo)
    render_memo.save(cache_dir)
    _write_json(cache_dir, "pinyin.json", dict(sorted(index_module.PINYIN.items())))
    return Generated(reports, conversion.skipped, slogans, cited, conversion.converted, changed,
                     warnings=conversion.warnings)


def _shared_passages(reports: list[Report], keys: dict[str, str],
                     cache_dir: Path | None) -> tuple[reuse_module.Reuse, str]:
    """The shared passages and the digest of what they are found from (every report's cache
    key and the code): from the cache when no report changed (finding them again costs most
    of a rebuild otherwise); anything unreadable there is found again."""
    key = digest(code_version(), *(keys[r.id] for r in reports))
    cached = _read_json(cache_dir, "reuse.json")
    if cached.get("key") == key:
        try:
            return reuse_module.Reuse.from_cache(cached["clusters"]), key
        except (KeyError, TypeError, ValueError, IndexError):
            pass
    shared = reuse_module.find_reuse(reports, cache_dir / reuse_store.FILE if cache_dir else None, keys)
    _write_json(cache_dir, "reuse.json", {"key": key, "clusters": shared.to_cache()})
    return shared, key


def _reuse_files(shared: reuse_module.Reuse, reports: list[Report], inputs: str):
    """The shared passages' data and overview, made again only when a report changed (``inputs``
    covers every report), and their pages, each only when what it shows changed (a page aligns
    every member with the first, which takes seconds over all of them)."""
    by_id = {r.id: r for r in reports}
    yield "data/reuse.json", Deferred(digest("reuse.json", inputs), lambda: data.reuse_json(shared))
    yield "data/reuse.csv", Deferred(digest("reuse.csv", inputs), lambda: data.reuse_csv(shared, by_id))
    yield "reuse/index.md", Deferred(digest("reuse/index.md", inputs),
                                     lambda: reuse_pages.overview(shared, by_id).encode("utf-8"))
    for path, view in reuse_pages.bucket_views(shared, by_id).items():
        # keyed by what the page shows: a change elsewhere does not align its members again
        yield path, Deferred(digest(path, view), lambda view=view: reuse_pages.bucket_page(view).encode("utf-8"))


def _generated_files(corpus: Path, conversion: Conversion, slogans: Index, cited: Index, search_files,
                     default_license: str = "", shared: reuse_module.Reuse | None = None):
    """Every generated file as (path under docs/, bytes or Deferred), one at a time: the
    whole of docs/ (hundreds of MB at thousands of reports) is never held in memory at once."""
    reports, keys = conversion.reports, conversion.keys
    entry_pages = _entry_pages((slogans, cited), {r.id: r for r in reports}, conversion.settings)
    for path, page in render_site(conversion, slogans, cited, entry_pages, shared):
        yield path, page.encode("utf-8") if isinstance(page, str) else page
    licenses = {r.id: data.license_of(r, conversion.settings.catalog, default_license) for r in reports}
    yield "data/index.md", data.data_page(len(reports), default_license, render.front_matter).encode("utf-8")
    yield from data_files(reports, keys, (slogans, cited), conversion.settings.index.context, entry_pages,
                          licenses)
    yield from search_files().items()
    for report in reports:
        source = SourceFile(conversion.paths[report.id], report.source_file, report.id)
        yield f"raw/{report.id}.txt", Deferred(keys[report.id], lambda source=source: read_source(source, None))


def _encoded(make, *args):
    """A Deferred's maker for a page: the page's text, as UTF-8."""
    return lambda: make(*args).encode("utf-8")


class UsesShown:
    """Digests of what an index page or data row reads of the report around a use: the
    report's title and year (shown, and used to order the uses) and the block the use is
    in (its text and the headings above it). An edit elsewhere in a report leaves them,
    and those pages, unchanged."""

    def __init__(self, reports: dict[str, Report]):
        self.reports = reports
        self.blocks: dict[tuple[str, str], str] = {}

    def digests(self, uses: list[Use]) -> list[str]:
        result = []
        for use in uses:
            known = self.blocks.get((use.report, use.anchor))
            if known is None:
                report = self.reports[use.report]
                block = report.index_blocks[use.anchor]
                known = self.blocks[use.report, use.anchor] = digest(report.title, report.year, block.text,
                                                                     block.path)
            result.append(known)
        return result


def _entry_pages(indexes: tuple[Index, ...], reports: dict[str, Report],
                 settings: Settings) -> dict[str, list[tuple[render.EntryPage, str]]]:
    """Every page of every entry, by index kind, with a digest of all it shows: the
    entry's forms and counts, the uses on the page and the report text around them."""
    shown = UsesShown(reports)
    width, per_page = settings.index.context, settings.index.uses_per_page
    pages = {}
    for idx in indexes:
        pages[idx.kind] = []
        for page in render.entry_pages(idx, reports, per_page):
            entry = page.entry
            inputs = digest(idx.kind, entry.key, entry.display, entry.slug, sorted(entry.variants.items()),
                            len(entry.uses), entry.report_count, sum(u.quoted for u in entry.uses),
                            page.number, page.total, width, page.uses, shown.digests(page.uses),
                            entry.evidence, page.time, page.cover, page.body_links)
            pages[idx.kind].append((page, inputs))
    return pages


def _made_together(make_all):
    """A Deferred's maker for one of several files made at once (whichever is needed first
    makes them all; the others wait here until asked for, or are dropped if their memo held)."""
    made: dict[str, bytes] = {}

    def make(path: str) -> bytes:
        if not made:
            made.update(make_all())
        return made.pop(path)

    return make


def data_files(reports: list[Report], keys: dict[str, str], indexes: tuple[Index, ...], width: int,
               entry_pages: dict[str, list[tuple[render.EntryPage, str]]],
               licenses: dict[str, str] | None = None) -> Iterator[tuple[str, Deferred]]:
    """The downloadable data (made by data.py), each file made again only when a report,
    or what the pages of its index show, changed."""
    by_id = {r.id: r for r in reports}
    licenses = licenses or {}
    every = digest(*(keys[r.id] for r in reports), sorted(licenses.items()))
    make = _made_together(lambda: data.reports_files(reports, licenses))
    for path in (data.REPORTS_JSON, data.REPORTS_CSV):
        yield path, Deferred(digest(path, every), lambda path=path, make=make: make(path))
    yield data.TEXTS_JSONL, Deferred(digest(data.TEXTS_JSONL, every), lambda: data.texts_jsonl(reports, licenses))
    yield "data/corpus.json", data.corpus_file(reports)
    for idx in indexes:
        if idx.kind == "slogans":
            yield "data/trends.json", data.trends_file(idx, by_id)
        # the entry pages together show every use of every entry, with its context
        inputs = digest(width, *(inputs for _, inputs in entry_pages[idx.kind]))
        # The JSON and the CSV come from the same rows, so whichever is needed first makes
        # both; the other waits here until it is asked for (or is dropped, if its memo held).
        made: dict[str, bytes] = {}

        def make(path: str, idx=idx, made=made) -> bytes:
            if not made:
                made.update(data.index_files(idx, by_id, width))
            return made.pop(path)

        for path in data.index_paths(idx.kind):
            yield path, Deferred(digest(path, inputs), lambda path=path, make=make: make(path))


def _read_json(cache_dir: Path | None, name: str) -> dict:
    value = read_json(cache_dir / name) if cache_dir is not None else None
    return value if isinstance(value, dict) else {}


def _write_json(cache_dir: Path | None, name: str, value: dict) -> None:
    if cache_dir is not None:
        write_json(cache_dir / name, value)


_SEARCH_INPUT = None


def _search_job():
    return _search_files(*_SEARCH_INPUT)


def _start_search(reports, previous: Path | None, jobs):
    """Build the search index in a forked process (which inherits the reports without
    copying them) while this one builds the slogan index and renders the pages.
    Returns a function that waits for the files."""
    global _SEARCH_INPUT
    if (jobs or os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        files = _search_files(reports, previous)
        return lambda: files
    _SEARCH_INPUT = (reports, previous)
    pool = multiprocessing.get_context("fork").Pool(1, initializer=die_with_parent)
    try:
        pending = pool.apply_async(_search_job)
    finally:
        _SEARCH_INPUT = None

    def wait() -> dict[str, bytes]:
        try:
            return pending.get()
        finally:
            pool.terminate()
            pool.join()

    return wait


def _search_files(reports: list[Report], previous: Path | None) -> dict[str, bytes]:
    """The search index, updated from the one the previous build left in ``previous``
    (docs/search/) where that one is whole, else built whole."""
    return search.index_files(reports, previous)


def render_site(conversion: Conversion, slogans: Index, cited: Index,
                entry_pages: dict[str, list[tuple[render.EntryPage, str]]],
                shared: reuse_module.Reuse | None = None) -> Iterator[tuple[str, str | Deferred]]:
    """Every generated Markdown page as (path under docs/, text or Deferred), one page at a time.

    Pages made from one report (its page, which ends with its cleaning record) or one entry's uses
    are Deferred, each with the digest of its inputs: ``write_tree`` renders them only
    when those changed. Overviews, which list every report or entry, are always made."""
    reports, keys, width = conversion.reports, conversion.keys, conversion.settings.index.context
    by_id = {r.id: r for r in reports}
    links: dict[str, dict[str, list[tuple[int, int, str]]]] = {r.id: {} for r in reports}
    for idx in (slogans, cited):
        for entry in idx.entries:
            url = site.entry_url(idx.kind, entry)
            for use in entry.uses:
                if use.quoted:
                    links[use.report].setdefault(use.anchor, []).append((use.start, use.end, url))
    for per_report in links.values():
        for spans in per_report.values():
            spans.sort()
    labels = conversion.settings.labels
    yield "index.md", render.home_page(reports, conversion.skipped, slogans, cited)
    yield from render.report_list_pages(reports).items()
    marks = reuse_module.marks_by_report(shared) if shared else {}
    summaries = reuse_module.summaries(shared, reports) if shared else {}
    for report in reports:
        own, mine = links.pop(report.id), marks.get(report.id, {})
        line = reuse_pages.summary_html(summaries.get(report.id), by_id, report.url)
        yield (f"reports/{report.id}.md", Deferred(digest(keys[report.id], sorted(own.items()), mine, line),
                                                   _encoded(render.report_page, report, own, labels, mine, line)))
    yield from render.listing_pages(reports).items()
    yield from render.cleaning_index(reports, labels).items()  # each report's record ends its page
    for idx in (slogans, cited):
        yield from render.index_pages(idx, by_id).items()
        for page, inputs in entry_pages[idx.kind]:
            yield page.path, Deferred(inputs, _encoded(render.entry_page, idx.kind, page, by_id, width))
