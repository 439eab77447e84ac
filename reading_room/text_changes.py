"""When the corpus' texts last changed: the day the corpus version (cite.py) is dated by.

A text as git last committed it changed on the day of the last commit that touched a text
under corpus/ (the same on every clone, whatever the checkout's file times); any other
text (edited, new, ignored, or no git at all) on its file's modification day (UTC).
"""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from .sources import TEXT_SUFFIX


def last_change(corpus: Path, paths: "list[Path]") -> str:
    """The day (``YYYY-MM-DD``) the texts read from ``paths`` last changed; "" for none."""
    committed, commit_day = _committed_texts(corpus)
    days = [commit_day] if commit_day and committed else []
    for path in paths:
        if os.path.normcase(os.path.realpath(path)) in committed:
            continue
        try:
            days.append(time.strftime("%Y-%m-%d", time.gmtime(path.stat().st_mtime)))
        except OSError:
            continue
    return max(days, default="")


def _git(corpus: Path, *args: str) -> "str | None":
    try:
        done = subprocess.run(["git", "-C", str(corpus), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def _committed_texts(corpus: Path) -> "tuple[set[str], str]":
    """The texts under corpus/ whose files are as git last committed them (absolute,
    case-normalised paths), and the day of the last commit that touched a text."""
    top = _git(corpus, "rev-parse", "--show-toplevel")
    tracked = _git(corpus, "ls-files", "-z", "--full-name", "--", ".")
    dirty = _git(corpus, "status", "--porcelain", "-z", "--untracked-files=no", "--", ".")
    day = _git(corpus, "log", "-1", "--format=%cs", "--", ":(icase)*" + TEXT_SUFFIX)
    if not top or tracked is None or dirty is None or not day:
        return set(), ""
    root = Path(top.strip())
    # porcelain -z: "XY path\0", and a rename's old path as its own field after it
    changed = {entry[3:] for entry in dirty.split("\0") if len(entry) > 3 and entry[2] == " "}
    clean = {os.path.normcase(os.path.realpath(root / name)) for name in tracked.split("\0")
             if name and name not in changed}
    return clean, day.strip()
