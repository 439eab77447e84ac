"""Stage 7: docs/ -> site/: MkDocs renders the Markdown, the build adds what it generated;
never half-built, and incremental.

MkDocs renders the Markdown pages only: the hand-written ones and the generated overviews (a
dozen). It reads a *view* of docs/ (``.site.source``, symbolic links): everything hand-written,
the generated Markdown and the files beside it (so that its links to the downloads are
checked), never the tens of thousands of pages the build wrote as HTML, which MkDocs would
only walk, check and copy (5 s of every rebuild at 10,650 reports). It renders them whole into
a fresh folder (``.site.pages``) every time: under a second.

The site is assembled in a staging folder beside site/ (``.site.building-*``) and swapped in
only when it is complete, so a failed or interrupted build leaves the previous site/ as it was.
The staging folder is the site before last, kept after the swap (``.site.spare``), and
assembling it is *mirroring* (mirror.py): each generated file of docs/ is hard-linked in,
MkDocs' output is moved in, and whatever else the folder holds goes; a name that already is
the docs/ file (the same inode) stays. So a rebuild with one report changed links the few
files it changed, where linking a whole new tree and then removing the old one took 5 s at
10,650 reports. The published site shares its files with docs/: the build never writes into
a file of docs/, it writes a new file in its place (writer.write_tree), so nothing is ever
written into a file of the published site. The generated folders of docs/ are build output:
edit corpus/, the curation files or the templates, never them.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .guard import fault_point, rename_exchange
from .mirror import entries, mirror
from .site import GENERATED_DIRS


class PublishError(RuntimeError):
    pass


@dataclass
class SiteBuild:
    spare: bool  # the staging folder was the site before last, brought up to date (else it started empty)
    pages: int  # HTML pages in the site
    rendered: int  # pages MkDocs rendered (its Markdown, every build)
    changed: int  # generated files new or changed since the published site
    removed: int  # files of the published site that the new one no longer has
    seconds: float
    warnings: list[str] = field(default_factory=list)  # e.g. an old folder that could not be removed
    bytes: int = 0  # the published site: the sum of its files' sizes
    files: int = 0


# GitHub Pages refuses to publish a site larger than this (its documented limit, 1 GB).
PAGES_LIMIT = 1_000_000_000


def site_size(site: Path) -> tuple[int, int]:
    """(bytes, files) of a site folder: the sum of its files' sizes, as a host counts them."""
    total = files = 0
    for _, entry in entries(site):
        if not entry.is_dir(follow_symlinks=False):
            total += entry.stat(follow_symlinks=False).st_size
            files += 1
    return total, files


def publish_warning(size: int) -> str | None:
    """What to say when the site is too large for GitHub Pages (README, "Publishing a large site")."""
    if size <= PAGES_LIMIT:
        return None
    return (f"site/ is {size / 1e9:.2f} GB, over GitHub Pages' limit of {PAGES_LIMIT / 1e9:.0f} GB: "
            "publish it to another static host or to object storage instead "
            "(README, \"Publishing a large site\"; the workflow's object-storage job)")


def beside(site: Path, role: str) -> Path:
    """What the build keeps beside site/: ``spare`` (the site before last, the next build's
    staging folder), ``source`` (MkDocs' view of docs/), ``pages`` (MkDocs' output)."""
    return site.with_name(f".{site.name}.{role}")


# --- what MkDocs sees and renders -----------------------------------------------------------

def source_view(docs: Path, view: Path) -> None:
    """``view`` becomes what MkDocs reads of ``docs``: a link to each hand-written file and
    folder; of each generated folder, the files at its top when one of them is Markdown
    (the overview page and the downloads it links), nothing deeper."""
    view.mkdir()
    docs = docs.resolve()
    with os.scandir(docs) as listing:
        for entry in listing:
            if entry.name not in GENERATED_DIRS or not entry.is_dir():
                os.symlink(entry.path, view / entry.name)
                continue
            with os.scandir(entry.path) as inside:
                files = [f for f in inside if f.is_file()]
            if any(f.name.endswith(".md") for f in files):
                (view / entry.name).mkdir()
                for f in files:
                    os.symlink(f.path, view / entry.name / f.name)


class _Generated:
    """A MkDocs plugin: the generated files MkDocs sees (the downloads beside an overview) are
    there for its link checks; once the pages are read, they are left to ``mirror``, not copied."""

    def __init__(self):
        self.pages = 0

    def on_env(self, env, config, files):
        for file in [f for f in files if not f.is_documentation_page() and f.src_uri.split("/")[0] in GENERATED_DIRS]:
            files.remove(file)
        self.pages = len(files.documentation_pages())
        return env


def _register(config, name: str, plugin) -> None:
    from mkdocs.plugins import BasePlugin, event_priority

    class Wrapped(BasePlugin):
        @event_priority(-1000)  # after every other plugin
        def on_env(self, env, config, files):
            return plugin.on_env(env, config, files)

    wrapped = Wrapped()
    wrapped.load_config({})
    config.plugins[name] = wrapped


@dataclass(frozen=True)
class Rendered:
    docs: Path  # the docs/ folder MkDocs was configured with
    pages: int


def render_markdown(config_file: Path, docs: Path | None, view: Path, out: Path, strict: bool) -> Rendered:
    """MkDocs renders the Markdown of ``docs`` (default: mkdocs.yml's docs_dir), read through
    its view at ``view``, into ``out``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    overrides = {"docs_dir": str(docs)} if docs else {}
    try:
        config = load_config(config_file=str(config_file), site_dir=str(out), strict=strict, **overrides)
    except (MkDocsException, SystemExit) as err:
        raise PublishError(f"MkDocs configuration: {err}") from None
    docs = Path(config["docs_dir"]).resolve()
    remove_tree(view, "MkDocs' view of docs/")
    source_view(docs, view)
    try:
        config["docs_dir"] = str(view)
        watcher = _Generated()
        _register(config, "reading-room-publish", watcher)
        try:
            build(config)
        except (MkDocsException, SystemExit) as err:
            raise PublishError(f"MkDocs failed: {err}") from None
        return Rendered(docs, watcher.pages)
    finally:
        remove_tree(view, "MkDocs' view of docs/")


# --- the build ------------------------------------------------------------------------------

def build_site(config_file: Path, site: Path, strict: bool = False, docs: Path | None = None,
               full: bool = False) -> SiteBuild:
    """Render the Markdown with MkDocs, assemble the site in a staging folder (the spare site,
    when there is one), swap it in and keep the previous site as the next spare.

    ``full`` starts from an empty staging folder."""
    started = time.perf_counter()
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    warnings = recover(site)
    spare, pages_dir, view = beside(site, "spare"), beside(site, "pages"), beside(site, "source")
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    recycled = False
    if full:
        warnings += remove_tree(spare, "the spare site")
    elif spare.is_dir() and not spare.is_symlink():
        os.rename(spare, staging)  # onto the empty folder just made
        recycled = True
    try:
        try:
            rendered = render_markdown(config_file, docs, view, pages_dir, strict)
            published = site if site.is_dir() and not site.is_symlink() else None
            done = mirror(staging, rendered.docs, pages_dir, published)
        finally:
            remove_tree(pages_dir, "MkDocs' output")
        fault_point("site-built")
        warnings += swap_in(staging, site)
        fault_point("site-swapped")
        if os.path.lexists(staging):
            try:
                os.rename(staging, spare)
            except OSError:
                warnings += remove_tree(staging, "the previous site")
    finally:
        if os.path.lexists(staging):
            shutil.rmtree(staging, ignore_errors=True)
    size, files = site_size(site)
    return SiteBuild(spare=recycled, pages=rendered.pages + done.pages, rendered=rendered.pages,
                     changed=done.changed, removed=done.removed, seconds=time.perf_counter() - started,
                     warnings=warnings, bytes=size, files=files)


def swap_in(staging: Path, site: Path) -> list[str]:
    """Put ``staging`` in the place of ``site`` in one atomic step; afterwards the previous
    site is at ``staging``'s path. Returns warnings.

    Linux: ``renameat2(RENAME_EXCHANGE)`` swaps the two folders at once, so at every
    moment ``site`` is either the old site or the new one. Elsewhere (or on a file system
    that cannot exchange): two renames, the old site first moved to a ``.site.old-*``
    folder that the next build moves back should this one be killed in between
    (``recover``), then to ``staging``'s path. A site/ that cannot be moved aside stops the
    build with the cause."""
    if not os.path.lexists(site):
        os.rename(staging, site)
        return []
    if site.is_symlink() or not site.is_dir():
        raise PublishError(f"{site} is not a folder: move it away and build again")
    try:
        exchanged = rename_exchange(staging, site)
    except OSError as err:
        raise PublishError(f"cannot replace {site}: {err.strerror}") from None
    if exchanged:
        fault_point("site-exchanged")
        return []
    old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
    try:
        os.rename(site, old)  # onto the empty folder just made
    except OSError as err:
        shutil.rmtree(old, ignore_errors=True)
        raise PublishError(f"cannot move {site} aside to replace it: {err.strerror}") from None
    fault_point("swap-between-renames")
    os.rename(staging, site)
    try:
        os.rename(old, staging)
    except OSError:
        return remove_tree(old, "the previous site")
    return []


def remove_tree(path: Path, what: str) -> list[str]:
    """Remove a folder (or a file or link in its place); what could not be removed is
    returned as a warning with its cause."""
    failures: list[str] = []

    def failed(function, failed_path, exc_info):
        if not failures:
            err = exc_info[1]
            failures.append(f"could not remove {what} ({path.name}): {getattr(err, 'strerror', None) or err}: "
                            f"{failed_path}; the next build tries again")

    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.lexists(path):
        shutil.rmtree(path, onerror=failed)
    return failures


def recover(site: Path) -> list[str]:
    """Before a build (under the build lock): undo what a killed build left beside site/.

    A missing site/ with a ``.site.old-*`` beside it (a build killed between the two
    renames of the fallback swap) gets the newest of them back; then the staging, old and
    MkDocs folders of killed builds are removed (the spare site, ``.site.spare``, stays).
    Returns warnings."""
    site = site.resolve() if site.exists() else site
    if not site.parent.is_dir():
        return []
    olds = sorted((p for p in site.parent.glob(f".{site.name}.old-*") if p.is_dir()),
                  key=lambda p: p.stat().st_mtime)
    warnings: list[str] = []
    if not os.path.lexists(site) and olds:
        os.rename(olds.pop(), site)
        warnings.append(f"{site.name}/ was missing (a build was killed while swapping it): the previous site "
                        "was put back")
    stale = (sorted(site.parent.glob(f".{site.name}.building-*")) + olds
             + [beside(site, "old"), beside(site, "pages"), beside(site, "source")])
    for path in stale:
        if os.path.lexists(path):
            warnings += remove_tree(path, "a killed build's folder")
    beside(site, "state.json").unlink(missing_ok=True)  # written by earlier versions; nothing reads it now
    return warnings
