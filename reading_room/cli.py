"""`python build.py`: the command line around pipeline.generate and publish.build_site."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR
from .pipeline import generate
from .guard import build_lock, fault_point
from .progress import Progress
from .publish import PublishError, build_site, publish_warning
from .settings import SettingsError
from .workers import WorkersError, in_own_process

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv):
    p = argparse.ArgumentParser(description="Build the report reading room from corpus/.")
    p.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="folder of report .txt files")
    p.add_argument("--docs", type=Path, default=ROOT / "docs", help="where the Markdown pages go")
    p.add_argument("--site", type=Path, default=ROOT / "site", help="where the HTML site goes")
    p.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="MkDocs configuration")
    p.add_argument("--cache", type=Path, default=ROOT / CACHE_DIR, help="conversion cache folder")
    p.add_argument("--no-cache", action="store_true", help="convert every report again")
    p.add_argument("--docs-only", action="store_true", help="write docs/ but do not run MkDocs")
    p.add_argument("--full", action="store_true",
                   help="rebuild everything (search index, every page, the whole site), trusting nothing "
                        "a previous build left")
    p.add_argument("--strict", action="store_true", help="exit non-zero if any report was skipped")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--cluster", metavar="ADDRESS", default=None,
                   help="run the per-report stages on a Dask scheduler (tcp://host:8786), or 'local' "
                        "for a Dask cluster of this machine's cores (needs requirements-cluster.txt)")
    p.add_argument("-v", "--verbose", action="store_true")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(message)s")
    # one build at a time in a checkout: the lock sits in the cache folder (used even with --no-cache)
    with build_lock(args.cache, say=lambda message: print(message, file=sys.stderr, flush=True)):
        return _build(args)


# From this many source files on, docs/ is generated in a process of its own, so that MkDocs
# starts from a small one (at 74,545 news items the generating process ends at 3.6 GB, most of
# it freed but kept, and MkDocs' second process, forked from it, carried that too).
OWN_PROCESS_FILES = 2000


@dataclass(frozen=True)
class Outcome:
    """What the command line reports of ``generate``: counts and messages, not the reports."""
    built: int
    converted: int
    skipped: list[tuple[str, str]]
    warnings: list[str]


def generate_outcome(args, progress) -> Outcome:
    result = generate(args.corpus, args.docs, None if args.no_cache else args.cache, progress, args.jobs,
                      full=args.full, cluster=args.cluster, config=args.config)
    return Outcome(len(result.reports), result.converted, result.skipped, result.warnings)


def source_files(corpus: Path) -> int:
    """How many files corpus/ holds (all of them: a cheap count, to choose how to run)."""
    return sum(len(files) for _, _, files in os.walk(corpus))


def _here(function, *args):
    return function(*args)


def _build(args) -> int:
    started = time.perf_counter()
    progress = Progress()
    run = in_own_process if source_files(args.corpus) >= OWN_PROCESS_FILES else _here
    try:
        outcome = run(generate_outcome, args, progress)
    except (SettingsError, WorkersError) as err:
        for line in str(err).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    for name, reason in outcome.skipped:
        print(f"skipped {args.corpus.name}/{name}: {reason}", file=sys.stderr)
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    built_count, converted, skipped = outcome.built, outcome.converted, outcome.skipped
    fault_point("docs-written")
    if not args.docs_only:
        progress.stage("mkdocs")
        try:
            built = build_site(args.config, args.site, docs=args.docs, full=args.full)
        except PublishError as err:
            print(f"error: {err}; the previous site/ is left as it was", file=sys.stderr)
            return 1
        for warning in built.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        progress.stage(
            f"site: {built.changed:,} generated files new or changed, {built.removed:,} dropped, "
            f"{built.rendered} Markdown pages rendered; {built.pages:,} pages, {built.seconds:.1f} s; {built.bytes / 1e6:,.1f} MB in {built.files:,} files"
        )
        too_large = publish_warning(built.bytes)
        if too_large:
            print(f"warning: {too_large}", file=sys.stderr)
    seconds = time.perf_counter() - started
    reasons = "; ".join(f"{name}: {reason}" for name, reason in skipped)
    print(
        f"{built_count} reports built ({converted} converted, "
        f"{built_count - converted} from cache), {len(skipped)} skipped"
        + (f" ({reasons})" if reasons else "")
        + f", {seconds:.1f} s"
    )
    return 1 if args.strict and skipped else 0
