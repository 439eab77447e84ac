"""MkDocs hook, thin glue: during `mkdocs serve`, watch corpus/ and regenerate docs/.

`python build.py` generates docs/ itself before running MkDocs, so this hook
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


def on_serve(server, config, builder):
    server.watch(str(ROOT / "corpus"))
    return server


def on_pre_build(config):
    if not _serving:
        return
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from reading_room.guard import build_lock
    from reading_room.pipeline import CACHE_DIR, generate

    # a `python build.py` of this checkout running meanwhile is waited for, not raced
    with build_lock(ROOT / CACHE_DIR, say=log.warning):
        result = generate(ROOT / "corpus", Path(config["docs_dir"]), ROOT / CACHE_DIR,
                          config=Path(config.config_file_path) if config.config_file_path else None)
    for name, reason in result.skipped:
        log.warning("skipped corpus/%s: %s", name, reason)
    for warning in result.warnings:
        log.warning("%s", warning)
    log.info("corpus: %d reports, %d converted", len(result.reports), result.converted)
