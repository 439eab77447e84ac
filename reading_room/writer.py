"""Writing docs/: generated files in, only real changes out.

A file that depends on one report or one index entry comes as a ``Deferred``: a
digest of everything its bytes are made from, and a function that makes them.
The render memo (kept in the build cache) remembers, per file, the digest it was
last made from and the size and modification time it was left with. A deferred
file whose digest is unchanged and whose file on disk is as it was left is not
made again, so a rebuild with one report changed renders the few pages that
report touches, not the thousands of a corpus.

The memo is only a shortcut: it is thrown away whole when the package's code, the
libraries that shape the Markdown, the curation data or the docs/ folder differ from
the build that wrote it, and a file that anything else touched since (an editor, a
half-finished build) no longer matches its stamp and is made again. As in git's
index, a file whose date is not older than the memo file's own is "racy": an edit of
the same size within the same tick of the file system's clock (2 s on FAT, a few ms
on ext4) would keep its stamp, so it is made again, once, and rewritten only if its
bytes differ.
"""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .cache import read_json, write_json
from .site import GENERATED_DIRS

MEMO_FILE = "render-memo.json"


def gzipped(plain: bytes) -> bytes:
    """A file gzip-compressed, with no name or time in its header: the same content, the
    same bytes (data downloads, source files, the search index's parts)."""
    return gzipped_parts((plain,))


def gzipped_parts(parts: Iterable[bytes]) -> bytes:
    """``gzipped`` of the parts joined, compressed as they come, without the whole plain file
    in memory (data/texts.jsonl.gz is the corpus' text: 0.3 GB at 74,545 items). zlib writes
    the gzip member itself (wbits 31): no name, time 0 — the bytes of gzip.compress(…, mtime=0)."""
    stream = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join([*(stream.compress(part) for part in parts), stream.flush()])


def spool_files(files: dict[str, bytes], folder: Path) -> list[str]:
    """``files`` (path -> bytes) written under ``folder``, to be read back one at a time by
    ``spooled`` (in another process, or later); their paths, in order."""
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return list(files)


def spooled(paths: Iterable[str], folder: Path) -> Iterator[tuple[str, bytes]]:
    """The files ``spool_files`` left under ``folder``, read back one at a time, in order."""
    for path in paths:
        yield path, (folder / path).read_bytes()


@dataclass(frozen=True)
class Deferred:
    inputs: str  # digest of everything the file's bytes are made from
    make: Callable[[], bytes]


@dataclass
class RenderMemo:
    """What the last build made each deferred file from: path -> [inputs, size, mtime_ns]."""
    scope: str  # code, libraries, curation data and docs/ folder the entries are valid for
    files: dict[str, list]
    saved_ns: int = 0  # the memo file's date: a stamp not older than it is not trusted

    @classmethod
    def load(cls, cache_dir: Path | None, scope: str) -> "RenderMemo":
        path = cache_dir / MEMO_FILE if cache_dir is not None else None
        data = read_json(path) if path is not None else None
        if isinstance(data, dict) and data.get("scope") == scope and isinstance(data.get("files"), dict):
            try:
                saved_ns = path.stat().st_mtime_ns
            except OSError:
                return cls(scope, {})
            return cls(scope, {name: entry for name, entry in data["files"].items() if _is_entry(entry)}, saved_ns)
        return cls(scope, {})

    def save(self, cache_dir: Path | None) -> None:
        if cache_dir is not None:
            write_json(cache_dir / MEMO_FILE, {"scope": self.scope, "files": self.files})

    def holds(self, relative: str, inputs: str, path: Path) -> bool:
        """Whether ``path`` is still what the last build made from ``inputs``."""
        last = self.files.get(relative)
        return last is not None and last[0] == inputs and _stamp(path) == last[1:] and last[2] < self.saved_ns


def _is_entry(entry) -> bool:
    return (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
            and all(isinstance(n, int) for n in entry[1:]))


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def write_tree(docs: Path, files: Iterable[tuple[str, bytes | Deferred]],
               memo: RenderMemo | None = None) -> list[str]:
    """Write generated files, touching only those whose bytes changed (so MkDocs'
    dirty builds and ``mkdocs serve`` see only real changes), and remove generated
    files that are no longer produced. Hand-written files are never touched.
    ``memo`` is read for deferred files and updated to this build's.
    Returns the paths written or removed, sorted."""
    memo = memo if memo is not None else RenderMemo("", {})
    kept: dict[str, list] = {}
    changed = []
    written: set[str] = set()
    for relative, content in files:
        written.add(relative)
        path = docs / relative
        inputs = None
        if isinstance(content, Deferred):
            inputs = content.inputs
            if memo.holds(relative, inputs, path):
                kept[relative] = memo.files[relative]
                continue
            content = content.make()
        try:
            same = path.read_bytes() == content
        except OSError:
            same = False
            path.parent.mkdir(parents=True, exist_ok=True)
        if not same:
            _replace(path, content)
            changed.append(relative)
        if inputs is not None:
            kept[relative] = [inputs, *(_stamp(path) or [])]
    for top in GENERATED_DIRS:
        changed += prune(docs, docs / top, written)
    memo.files = kept
    return sorted(changed)


def _replace(path: Path, content: bytes) -> None:
    """Write a file as a new file put in the old one's place, never into the old one: the
    published site holds hard links to the files of docs/ (publish.mirror)."""
    temporary = path.with_name(f".{path.name}.writing")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def prune(base: Path, root: Path, keep: set[str]) -> list[str]:
    """Remove every file under ``root`` whose path relative to ``base`` is not in ``keep``,
    then the folders left empty. Returns the removed paths, relative to ``base``.

    One ``os.walk`` from the bottom up (a site holds a folder per page: tens of thousands), no
    Path object per file and no listing of a folder again to see whether it is empty."""
    removed = []
    emptied: set[str] = set()
    prefix = len(os.path.join(str(base), ""))
    for folder, folders, files in os.walk(root, topdown=False):
        left = 0
        for name in folders:  # a link to a folder is a file here: never followed, removed like one
            path = os.path.join(folder, name)
            if os.path.islink(path):
                files.append(name)
            elif path not in emptied:
                left += 1
        for name in files:
            path = os.path.join(folder, name)
            relative = path[prefix:].replace(os.sep, "/")
            if relative in keep:
                left += 1
            else:
                os.unlink(path)
                removed.append(relative)
        if not left and folder != str(root):
            os.rmdir(folder)
            emptied.add(folder)
    return sorted(removed, reverse=True)  # as listed, not as the file system lists them
