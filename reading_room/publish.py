"""Stage 7: docs/ -> site/ with MkDocs, never half-built.

The site is built into a temporary folder beside site/ and swapped in only
when the build succeeded; a failed or interrupted build leaves the previous
site/ as it was.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from . import search

log = logging.getLogger("reading_room")


class PublishError(RuntimeError):
    pass


def build_site(config_file: Path, site: Path, strict: bool = False, docs: Path | None = None) -> None:
    """Run MkDocs into a temporary folder, then swap it into ``site``."""
    from mkdocs.config import load_config
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    try:
        overrides = {"docs_dir": str(docs.resolve())} if docs else {}
        config = load_config(config_file=str(config_file), site_dir=str(staging), strict=strict, **overrides)
        try:
            build(config)
        except (MkDocsException, SystemExit) as err:
            raise PublishError(f"MkDocs failed: {err}") from None
        search.index_site(staging)
        swap_in(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, site: Path) -> None:
    """Replace ``site`` by ``staging`` with two renames (each atomic on one file system)."""
    old = site.with_name(f".{site.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.rename(site, old)
    os.rename(staging, site)
    shutil.rmtree(old, ignore_errors=True)
