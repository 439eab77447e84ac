"""Which files under corpus/ are reports, and how they are read.

Only what is really inside corpus/ is ever published:

- a symbolic link (to a file or a folder) that resolves outside corpus/ is not
  followed; it is skipped and named, like every other file that is not read;
- a link inside corpus/ is followed (a folder reached twice is walked once);
- a folder that cannot be listed, a file that cannot be read and a file larger
  than the size limit (``max_text_mb`` in ``corpus/limits.yml``) are skipped
  and named;
- ``.txt`` in any case (``.TXT``, ``.Txt``) is a text;
- a file name that is not valid UTF-8 (``caf\\xe9.txt`` from a Windows zip) is
  read through its real name and shown as ``caf\\xe9.txt``: every name this
  module hands on is printable text.

Report ids are made from the names (``conversion.find_sources`` documented the
rule, unchanged): a clean slug keeps its name, anything else gets its slug plus
a short hash of its path. An id never equals a page name the site needs
(``index``…) or another report's id: such an id gets a suffix and a warning.
"""
from __future__ import annotations

import hashlib
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .slugs import RESERVED_SLUGS, slugify

log = logging.getLogger("reading_room")

TEXT_SUFFIX = ".txt"


@dataclass(frozen=True)
class SourceFile:
    path: Path  # the file to read (a link inside corpus/ is already resolved)
    relative: str  # under corpus/, forward slashes, printable (see display_name)
    id: str


@dataclass
class Scan:
    sources: list[SourceFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name under corpus/, reason)
    warnings: list[str] = field(default_factory=list)


class SourceError(OSError):
    """A source file that is not read; ``str(error)`` is the reason."""


def display_name(name: str) -> str:
    """A file name as printable text: bytes that are not UTF-8 (surrogate-escaped by
    the OS layer) become ``\\xe9``, control characters ``\\n``, ``\\x1b``…, a backslash
    stays one backslash. Never raises."""
    raw = os.fsencode(name) if any("\udc80" <= c <= "\udcff" for c in name) else None
    text = raw.decode("utf-8", "backslashreplace") if raw is not None else name
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def is_text_name(name: str) -> bool:
    return name.lower().endswith(TEXT_SUFFIX)


def scan_corpus(corpus: Path) -> Scan:
    """Every text under ``corpus``, in a stable order, with what was left out and why."""
    scan = Scan()
    root = Path(os.path.realpath(corpus))
    found: list[tuple[Path, str]] = []  # (path to read, relative name)

    def inside(real: Path) -> bool:
        return real == root or root in real.parents

    def walk(folder: Path, prefix: str, above: frozenset[Path]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as err:
            scan.skipped.append((display_name(prefix) or ".", f"cannot read folder: {err.strerror or err}"))
            return
        for entry in entries:
            relative = prefix + entry.name
            try:
                is_link = entry.is_symlink()
                if is_link:
                    real = Path(os.path.realpath(entry.path))
                    if not os.path.exists(entry.path):
                        if is_text_name(entry.name):
                            scan.skipped.append((display_name(relative), "broken symbolic link"))
                        continue
                    if not inside(real):
                        if os.path.isdir(entry.path) or is_text_name(entry.name):
                            kind = "folder" if os.path.isdir(entry.path) else "file"
                            scan.skipped.append((display_name(relative),
                                                 f"symbolic link to a {kind} outside corpus/: not published"))
                        continue
                else:
                    real = Path(entry.path)
                if entry.is_dir():  # follows a link, which is inside corpus/ by now
                    key = Path(os.path.realpath(entry.path))
                    if key in above:
                        continue  # a link back up to a folder being walked
                    walk(real, relative + "/", above | {key})
                elif is_text_name(entry.name):
                    if not entry.is_file():
                        continue
                    found.append((real, relative))
            except OSError as err:
                scan.skipped.append((display_name(relative), f"cannot read: {err.strerror or err}"))

    walk(root, "", frozenset({root}))
    scan.sources = assign_ids(found, scan.warnings)
    scan.skipped.sort()
    return scan


def assign_ids(found: list[tuple[Path, str]], warnings: list[str]) -> list[SourceFile]:
    """Stable, distinct ids that never take a name the site needs."""
    result = []
    taken: set[str] = set()
    names: set[str] = set()
    for path, real_relative in sorted(found, key=lambda f: os.fsencode(f[1])):
        relative = display_name(real_relative)
        if relative in names:  # `caf\xe9.txt` as bytes and as typed: two files, one shown name
            relative += f" ({_short_hash(real_relative)})"
        names.add(relative)
        stem = relative[:-len(TEXT_SUFFIX)] if is_text_name(relative) else relative
        report_id = slugify(stem.replace("/", "-"), limit=80)
        if report_id != stem or not relative.endswith(TEXT_SUFFIX):
            report_id += "-" + _short_hash(real_relative)
        if report_id in taken or report_id in RESERVED_SLUGS:
            base, n = report_id, 1
            while report_id in taken or report_id in RESERVED_SLUGS:
                report_id = f"{base}-{_short_hash(real_relative + '#' * n)}"
                n += 1
            why = "a page name the site needs" if base in RESERVED_SLUGS else "another report's id"
            warnings.append(f"{relative}: its id “{base}” is {why}; it is published as reports/{report_id}/")
        taken.add(report_id)
        result.append(SourceFile(path, relative, report_id))
    return result


def _short_hash(relative: str) -> str:
    return hashlib.blake2b(os.fsencode(relative), digest_size=3).hexdigest()


def read_source(source: SourceFile, max_bytes: int | None) -> bytes:
    """The file's bytes, never through a link made after the scan, never more than
    ``max_bytes``; raises SourceError with the reason."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(source.path, flags)
    except OSError as err:
        if os.path.islink(source.path):
            raise SourceError("became a symbolic link during the build: not published") from None
        raise SourceError(f"cannot read: {err.strerror or err}") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise SourceError(too_large(info.st_size, max_bytes))
        # ask for the size the file has (plus one byte, to see it grow): asking for the limit
        # would allocate the limit for every file, and glibc keeps each such buffer in a
        # mapping of its own, past the kernel's 65,530 per process at 70,000 files
        raw = f.read(info.st_size + 1)
        if len(raw) > info.st_size:  # it grew while being read
            raw += f.read(max_bytes + 1 - len(raw) if max_bytes is not None else -1)
    if max_bytes is not None and len(raw) > max_bytes:
        raise SourceError(too_large(len(raw), max_bytes))
    return raw


def too_large(size: int, limit: int) -> str:
    return (f"too large: {size / 2**20:.1f} MB, above the limit of {limit / 2**20:g} MB "
            "(max_text_mb in corpus/limits.yml)")

