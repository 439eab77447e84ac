"""MkDocs hook, thin glue: during `mkdocs serve`, watch corpus/ and regenerate docs/; in every
build, leave out the theme's files the site never loads.

`python build.py` generates docs/ itself before running MkDocs, so the regeneration
only acts when MkDocs was started with `serve`.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("mkdocs.hooks.corpus")
_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


# Files of the theme the site never loads: Material's own search (lunr and its worker: the
# search box is docs/assets/search.js, and Material's search code stays asleep without its
# component, overrides/partials/search.html) and the source maps of its minified scripts and
# styles (fetched only by a browser's developer tools). 2.2 MB, 1.4 times the text of 1,000
# news items; tests/test_bench.py checks that the home page and a search fetch none of them.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def on_files(files, config):
    docs = str(Path(config["docs_dir"]).resolve())  # once: 260,000 files at 74,545 reports
    unused = [file for file in files
              if (file.src_uri.startswith(UNUSED_THEME_FILES) or file.src_uri.endswith(".map"))
              and not file.is_documentation_page() and file.abs_src_path
              and not file.abs_src_path.startswith(docs)]
    for file in unused:
        files.remove(file)
    return files


def on_serve(server, config, builder):
    server.watch(str(ROOT / "corpus"))
    return server


def on_pre_build(config):
    if not _serving:
        return
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from reading_room.guard import build_lock
    from reading_room.cache import CACHE_DIR
    from reading_room.pipeline import generate

    # a `python build.py` of this checkout running meanwhile is waited for, not raced
    with build_lock(ROOT / CACHE_DIR, say=log.warning):
        result = generate(ROOT / "corpus", Path(config["docs_dir"]), ROOT / CACHE_DIR,
                          config=Path(config.config_file_path) if config.config_file_path else None)
    for name, reason in result.skipped:
        log.warning("skipped corpus/%s: %s", name, reason)
    for warning in result.warnings:
        log.warning("%s", warning)
    log.info("corpus: %d reports, %d converted", len(result.reports), result.converted)
