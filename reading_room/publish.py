"""Stage 7: docs/ -> site/ with MkDocs, never half-built, and incremental.

The site is built into a temporary folder beside site/ and swapped in only
when the build succeeded; a failed or interrupted build leaves the previous
site/ as it was.

Incremental ("dirty") builds: when the previous site/ was built from the same
MkDocs configuration, theme overrides, hooks and MkDocs/Material versions (the
*site fingerprint*, kept in ``.site.state.json`` beside site/), the staging
folder starts as a copy of site/ made of hard links, and MkDocs runs with
``dirty=True``: it renders only the pages whose Markdown is newer than their
HTML. ``writer.write_tree`` rewrites a generated page only when its bytes
changed, so a changed report rebuilds its own page and the index pages that
mention it, nothing else. The navigation lists only hand-written section pages
with their titles given in mkdocs.yml, so an unchanged page's HTML stays right
when other pages change.

Before MkDocs writes anything, every hard link it could write through is
removed from the staging folder: the HTML of each page or asset MkDocs will
rebuild, the theme's templates (404.html, sitemap.xml[.gz]), and every file
that no longer corresponds to a source (the page of a report removed from
corpus/). So MkDocs always creates new files and
the published site/ is never written into. Anything that ever runs on the staging
folder after MkDocs must likewise create or replace
files, never rewrite one in place.

Any change to the fingerprint, a missing or unreadable state file or
``full=True`` gives a full (clean) build.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import digest, read_json, write_json
from .guard import fault_point, rename_exchange
from .shell import engine_fingerprint
from .writer import prune

log = logging.getLogger("reading_room")

STATE_VERSION = "1"  # bump when the way sites are built changes what a dirty build may reuse
PARALLEL_PAGES = 400  # below this many pages, a second MkDocs process costs more than it saves
MAX_JOBS = 4  # MkDocs processes of a parallel full build at a time, at most
SHARE_PAGES = 12_000  # pages per MkDocs process, at most: about 0.4 GB of memory each


class PublishError(RuntimeError):
    pass


@dataclass
class SiteBuild:
    dirty: bool  # True when the previous site was reused
    pages: int  # documentation pages in the site
    rebuilt: int  # pages MkDocs rendered this time
    removed: int  # files of the previous site dropped (removed sources, stale outputs)
    seconds: float
    warnings: list[str] = field(default_factory=list)  # e.g. an old folder that could not be removed
    bytes: int = 0  # the published site: the sum of its files' sizes
    files: int = 0


# GitHub Pages refuses to publish a site larger than this (its documented limit, 1 GB).
PAGES_LIMIT = 1_000_000_000


def site_size(site: Path) -> tuple[int, int]:
    """(bytes, files) of a site folder: the sum of its files' sizes, as a host counts them."""
    total = files = 0
    stack = [site]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
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


def state_path(site: Path) -> Path:
    return site.with_name(f".{site.name}.state.json")


def site_fingerprint(config, config_file: Path) -> str:
    """What the HTML of an unchanged page depends on besides its Markdown."""
    return digest(STATE_VERSION, engine_fingerprint(config, config_file))


def read_state(site: Path) -> dict:
    state = read_json(state_path(site))
    return state if isinstance(state, dict) else {}


def write_state(site: Path, fingerprint: str) -> None:
    write_json(state_path(site), {"fingerprint": fingerprint, "built": time.time()})


def link_tree(source: Path, target: Path) -> None:
    """``target`` becomes a copy of ``source`` made of hard links (copies across file systems)."""
    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True, symlinks=True)


class _Reuse:
    """A MkDocs plugin added for dirty builds: once MkDocs knows every file it will
    write, remove from the staging site each file it must not reuse."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir
        self.pages = 0
        self.rebuilt = 0
        self.removed = 0

    def on_files(self, files, config):
        keep = set()
        for file in files:
            page = _is_page(file)
            self.pages += page
            if file.is_modified():
                self.rebuilt += page
            else:
                keep.add(Path(os.path.normpath(file.dest_path)).as_posix())
        self.removed = len(prune(self.site_dir, self.site_dir, keep))
        return files


class _Count:
    """A MkDocs plugin added for full builds, where every page is rendered."""

    def __init__(self):
        self.pages = self.rebuilt = self.removed = 0

    def on_files(self, files, config):
        self.pages = self.rebuilt = sum(map(_is_page, files))
        return files


def _is_page(file) -> bool:
    """A page of the site: Markdown MkDocs renders, or a page the build wrote as HTML."""
    return file.is_documentation_page() or file.src_uri.endswith("index.html")


def _unmodified() -> bool:
    return False


class _Share:
    """A full build split across processes: this one renders every ``shares``-th page.

    Every other page (and, except in share 0, every static file) is marked unmodified,
    so MkDocs, run with ``dirty=True`` on an empty folder, neither reads nor writes it
    but still knows it for links. The shares' outputs are then moved into one folder
    (``_parallel_full_build``)."""

    def __init__(self, site_dir: Path, share: int, shares: int):
        self.site_dir, self.share, self.shares = site_dir, share, shares
        self.mine: list[str] = []
        self.all: list[str] = []
        self.count = 0  # every page, those written as HTML too

    def on_files(self, files, config):
        self.count = sum(map(_is_page, files))
        pages = sorted((f for f in files if f.is_documentation_page()), key=lambda f: f.src_uri)
        self.all = [f.dest_path for f in pages]
        others = [f for i, f in enumerate(pages) if i % self.shares != self.share]
        self.mine = [f.dest_path for i, f in enumerate(pages) if i % self.shares == self.share]
        if self.share:
            others += [f for f in files if not f.is_documentation_page()]
        for f in others:
            if f.abs_src_path and not f.generated_by:
                f.is_modified = _unmodified  # MkDocs 1.6 asks each file this in a dirty build
        return files


def _build_share(config_file: str, overrides: dict, site_dir: str, strict: bool, share: int,
                 shares: int) -> tuple[list[str], list[str], int]:
    """One process's part of a parallel full build: (the pages it rendered, every page MkDocs
    renders, the number of pages with those written as HTML)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=config_file, site_dir=site_dir, strict=strict, **overrides)
    watcher = _Share(Path(site_dir), share, shares)
    _register(config, "reading-room-publish", watcher)
    with _quiet_dirty():
        build(config, dirty=True)
    return watcher.mine, watcher.all, watcher.count


@contextmanager
def _quiet_dirty():
    """MkDocs warns on every dirty build that navigation may be wrong; here it is not (see above)."""
    def not_the_warning(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")

    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(not_the_warning)
    try:
        yield
    finally:
        logger.removeFilter(not_the_warning)


def share_count(pages: int, jobs: int) -> int:
    """How many processes a full build of ``pages`` pages is split into: one per core at
    least, and more for a large site, so that no process holds more than ``SHARE_PAGES``."""
    return max(jobs, -(-pages // SHARE_PAGES))


def _parallel_full_build(config_file: Path, overrides: dict, staging: Path, strict: bool, shares: int,
                         jobs: int) -> int:
    """Render the pages in ``shares`` forked processes, ``jobs`` at a time, into ``staging``;
    returns the number of pages. MkDocs reads every page of its share before it writes one,
    so a process's memory grows with its share; each share's process ends with it."""
    from .workers import in_background

    folders = [staging] + [Path(tempfile.mkdtemp(prefix=f"{staging.name}-share{k}-", dir=staging.parent))
                           for k in range(1, shares)]
    try:
        running, parts = [], []
        for share, folder in enumerate(folders):
            if len(running) >= jobs:
                parts.append(running.pop(0)())
            running.append(in_background(_build_share, str(config_file), overrides, str(folder), strict,
                                         share, shares, jobs=jobs))
        parts += [wait() for wait in running]
        every = parts[0][1]
        done = set(parts[0][0])
        for folder, (part, _, _) in zip(folders[1:], parts[1:]):
            for relative in part:
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(folder / relative, target)
                done.add(relative)
        if done != set(every):
            raise PublishError(f"parallel build: {len(set(every) - done)} pages were not rendered")
        return parts[0][2]
    finally:
        for folder in folders[1:]:
            shutil.rmtree(folder, ignore_errors=True)


def _register(config, name: str, plugin) -> None:
    from mkdocs.plugins import BasePlugin, event_priority

    class Wrapped(BasePlugin):
        @event_priority(-1000)  # after every other plugin, when the file list is final
        def on_files(self, files, config):
            return plugin.on_files(files, config)

    wrapped = Wrapped()
    wrapped.load_config({})
    config.plugins[name] = wrapped


def build_site(config_file: Path, site: Path, strict: bool = False, docs: Path | None = None,
               full: bool = False, jobs: int | None = None) -> SiteBuild:
    """Run MkDocs into a temporary folder, then swap it into ``site``.

    Reuses the previous site (a dirty build) unless ``full`` or anything but the
    Markdown changed since it was built. A full build of a large site renders its
    pages in ``jobs`` processes (default: every core).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    warnings = recover(site)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    try:
        overrides = {"docs_dir": str(docs.resolve())} if docs else {}
        try:
            config = load_config(config_file=str(config_file), site_dir=str(staging), strict=strict, **overrides)
        except (MkDocsException, SystemExit) as err:
            raise PublishError(f"MkDocs configuration: {err}") from None
        fingerprint = site_fingerprint(config, config_file)
        dirty = (not full and site.is_dir()
                 and read_state(site).get("fingerprint") == fingerprint)
        workers = min(jobs or os.cpu_count() or 1, MAX_JOBS)
        count = 0 if dirty or workers < 2 else _count_pages(config)
        pages = rebuilt = removed = 0
        try:
            if count >= PARALLEL_PAGES:
                pages = rebuilt = _parallel_full_build(config_file, overrides, staging, strict,
                                                       share_count(count, workers), workers)
            else:
                if dirty:
                    link_tree(site, staging)
                    watcher = _Reuse(staging)
                else:
                    watcher = _Count()
                _register(config, "reading-room-publish", watcher)
                with _quiet_dirty():
                    build(config, dirty=dirty)
                pages = watcher.pages
                rebuilt, removed = watcher.rebuilt, watcher.removed
        except (MkDocsException, SystemExit) as err:
            raise PublishError(f"MkDocs failed: {err}") from None
        # the state file is invalidated before the swap and written after it: a build
        # killed in between leaves no state, and the next build is a full one
        state_path(site).unlink(missing_ok=True)
        fault_point("site-built")
        warnings += swap_in(staging, site)
        fault_point("site-swapped")
        write_state(site, fingerprint)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    size, files = site_size(site)
    return SiteBuild(dirty=dirty, pages=pages, rebuilt=rebuilt, removed=removed,
                     seconds=time.perf_counter() - started, warnings=warnings, bytes=size, files=files)


def _count_pages(config) -> int:
    docs = Path(config["docs_dir"])
    return sum(1 for _ in docs.rglob("*.md"))


def swap_in(staging: Path, site: Path) -> list[str]:
    """Put ``staging`` in the place of ``site`` in one atomic step; returns warnings.

    Linux: ``renameat2(RENAME_EXCHANGE)`` swaps the two folders at once, so at every
    moment ``site`` is either the old site or the new one; the old one, now under the
    staging name, is removed after. Elsewhere (or on a file system that cannot
    exchange): two renames, the old site first moved to a ``.site.old-*`` folder that
    the next build moves back should this one be killed in between (``recover``).
    A site/ that cannot be moved aside stops the build with the cause."""
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
        return remove_tree(staging, "the previous site")
    old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
    try:
        os.rename(site, old)  # onto the empty folder just made
    except OSError as err:
        shutil.rmtree(old, ignore_errors=True)
        raise PublishError(f"cannot move {site} aside to replace it: {err.strerror}") from None
    fault_point("swap-between-renames")
    os.rename(staging, site)
    return remove_tree(old, "the previous site")


def remove_tree(path: Path, what: str) -> list[str]:
    """Remove a folder; what could not be removed is returned as a warning with its cause."""
    failures: list[str] = []

    def failed(function, failed_path, exc_info):
        if not failures:
            err = exc_info[1]
            failures.append(f"could not remove {what} ({path.name}): {getattr(err, 'strerror', None) or err}: "
                            f"{failed_path}; the next build tries again")

    if os.path.lexists(path):
        shutil.rmtree(path, onerror=failed)
    return failures


def recover(site: Path) -> list[str]:
    """Before a build (under the build lock): undo what a killed build left beside site/.

    A missing site/ with a ``.site.old-*`` beside it (a build killed between the two
    renames of the fallback swap) gets the newest of them back; then the staging and
    old folders of killed builds are removed. Returns warnings."""
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
    stale = sorted(site.parent.glob(f".{site.name}.building-*")) + olds + [site.with_name(f".{site.name}.old")]
    for path in stale:
        if path.is_dir() and not path.is_symlink():
            warnings += remove_tree(path, "a killed build's folder")
    return warnings
