"""Mirroring: a folder made to hold exactly the generated files of docs/ (hard links) and
MkDocs' output, whatever it held before. The staging folder of publish.py.

A file is known by its inode number, which a directory listing gives without a ``stat``: a
name that already is the docs/ file stays, anything else goes. The build writes a changed
file of docs/ as a new file (writer.write_tree), so a changed file is a new inode, and no file
that a published site holds is ever written into.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .site import GENERATED_DIRS


def entries(root: Path):
    """(relative POSIX path, ``os.DirEntry``) of everything under ``root``, folders included,
    links never followed; nothing when ``root`` is missing. One ``scandir`` per folder: a site
    holds a folder per page, tens of thousands."""
    stack = [("", str(root))]
    while stack:
        prefix, path = stack.pop()
        try:
            listing = os.scandir(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with listing:
            for entry in listing:
                yield prefix + entry.name, entry
                if entry.is_dir(follow_symlinks=False):
                    stack.append((prefix + entry.name + "/", entry.path))


def _walk(root: Path, links: bool = True) -> tuple[dict[str, int], set[str]]:
    """Every file under ``root`` (its relative POSIX path -> its inode number, which the
    directory listing gives without a ``stat``), symbolic links too unless ``links`` is false,
    and every folder."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    for relative, entry in entries(root):
        if entry.is_dir(follow_symlinks=False):
            folders.add(relative)
        elif links or not entry.is_symlink():
            files[relative] = entry.inode()
    return files, folders


@dataclass(frozen=True)
class Mirrored:
    files: int  # files in the staging folder
    pages: int  # of them, generated pages (index.html)
    changed: int  # generated files new, or not the published site's file
    removed: int  # files of the published site not in the staging folder


def mirror(staging: Path, docs: Path, rendered: Path, published: Path | None) -> Mirrored:
    """Make ``staging`` hold exactly the generated files of ``docs`` (its GENERATED_DIRS, the
    Markdown left out), as hard links, and the files MkDocs ``rendered``, moved in; whatever it
    held before. ``published`` (the site now) is only compared with, for the counts.

    A file is known by its inode, which a directory listing gives without a ``stat``: a name in
    ``staging`` stays when it already is the docs/ file, and goes otherwise. The build writes a
    changed file of docs/ as a new file (writer.write_tree), so a changed file is a new inode,
    and no file that a published site holds is ever written into. Where docs/ and the site are
    on different file systems, files are copied instead, every build."""
    generated: dict[str, int] = {}
    for top in GENERATED_DIRS:
        files, _ = _walk(docs / top, links=False)  # a link in docs/ is never published
        generated.update((f"{top}/{name}", inode) for name, inode in files.items() if not name.endswith(".md"))
    moved, _ = _walk(rendered)
    have, have_folders = _walk(staging)
    old, _ = _walk(published) if published is not None else ({}, set())
    for name in moved:
        generated.pop(name, None)  # MkDocs' page wins (it never writes one the build generates)
    wanted_folders = {name[:i] for name in (*generated, *moved) for i in _slashes(name)}

    for name, inode in have.items():
        if generated.get(name) != inode:
            os.unlink(staging / name)
    for folder in sorted(have_folders - wanted_folders, key=len, reverse=True):  # the deepest first
        path = staging / folder
        try:
            os.rmdir(path)
        except OSError:
            if os.path.lexists(path):
                shutil.rmtree(path)
    made = have_folders & wanted_folders
    for name, inode in sorted(generated.items()):
        if have.get(name) != inode:
            _make_parent(staging, name, made)
            try:
                os.link(docs / name, staging / name)
            except OSError:  # another file system, or one without hard links
                shutil.copy2(docs / name, staging / name, follow_symlinks=False)
    for name in sorted(moved):
        _make_parent(staging, name, made)
        os.replace(rendered / name, staging / name)
    pages = sum(1 for name in generated if name.endswith("index.html"))
    return Mirrored(files=len(generated) + len(moved), pages=pages,
                    changed=sum(1 for name, inode in generated.items() if old.get(name) != inode),
                    removed=len(old.keys() - generated.keys() - moved.keys()))


def _make_parent(root: Path, name: str, made: set[str]) -> None:
    parent = name.rpartition("/")[0]
    if parent and parent not in made:
        (root / parent).mkdir(parents=True, exist_ok=True)
        made.add(parent)


def _slashes(name: str):
    i = name.find("/")
    while i != -1:
        yield i
        i = name.find("/", i + 1)
