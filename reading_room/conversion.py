"""Stages 1–4 for the whole corpus: every text in corpus/ to a converted Report
(decode -> clean -> metadata -> outline, report.convert), in parallel, from the cache
where the input is unchanged.

Two caches in the build cache folder: each text's short lines (by the raw file's hash;
the corpus-wide furniture lines need every report's), and each converted report (keyed by
``cache_key``: a digest of everything the report is made from).
"""
from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .cache import code_version, digest, read_cache_json, read_json, write_cache_json, write_json
from .clean import find_furniture, furniture_key
from .decode import DecodeError, decode_bytes
from .report import Report, convert, furniture_lines
from .settings import Settings, load_settings
from .sources import SourceError, SourceFile, read_source, scan_corpus
from .workers import LocalWorkers, workers_for

log = logging.getLogger("reading_room")

# Bump when a change to the code changes what conversion produces: it invalidates the cache.
PIPELINE_VERSION = "6"  # 3: anchors are simhash fingerprints; 4: control characters in titles made visible;
# 5: a closing date line is the text's signature date; 6: portal fragments and XML read, PDF page
# frames and hard wraps, 文号 and dates under a title, 一是 items begun inside a paragraph


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


# The modules a converted report is made by: a change to any of them converts every report again
# (PIPELINE_VERSION is for a change elsewhere that changes what conversion produces).
STAGE_MODULES = ("decode.py", "extract.py", "clean.py", "segment.py", "metadata.py", "outline.py", "report.py",
                 "patterns.py", "fingerprint.py", "escape.py", "settings.py", "schema.py")


def _cache_key(raw_sha: str, source: SourceFile, settings: Settings, furniture: list[str]) -> str:
    return digest(PIPELINE_VERSION, _stage_version(), raw_sha, source.relative, source.id, settings.fingerprint,
                  *furniture)


@lru_cache(maxsize=1)
def _stage_version() -> str:
    return code_version(STAGE_MODULES)


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
    furniture = find_furniture(texts.values(), settings.cleaning)

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
    data = read_cache_json(cache_dir, "lines.json")
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
        write_cache_json(cache_dir, "lines.json", {"version": PIPELINE_VERSION, "max_length": max_length,
                                              "entries": entries})
