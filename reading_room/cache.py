"""The build cache's building blocks: digests, and JSON files written whole or not at all.

Every cache in ``.build-cache/`` (converted reports, short lines, the index memo, the
render memo, pinyin) is a JSON file keyed by digests of what it was made from.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The build cache folder, beside corpus/. Not ".cache": Zensical keeps its own cache there
# and `zensical build --clean` empties it.
CACHE_DIR = ".build-cache"


def digest(*parts: object) -> str:
    """A digest of bytes, strings (and the ``repr`` of anything else), in order."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if not isinstance(part, bytes):
            part = (part if isinstance(part, str) else repr(part)).encode("utf-8")
        h.update(part + b"\0")
    return h.hexdigest()


def code_version(modules: tuple[str, ...] = ()) -> str:
    """Every module of the package (or only ``modules``, by file name), hashed: any change to
    the code invalidates what was made by the code before it."""
    paths = sorted(PACKAGE.glob("*.py")) if not modules else sorted(PACKAGE / name for name in modules)
    return digest(*(part for path in paths for part in (path.name, path.read_bytes())))


def versions(*dists: str) -> list[str]:
    """"name version" of each installed distribution ("name -" when it is not installed)."""
    from importlib import metadata

    result = []
    for dist in dists:
        try:
            result.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            result.append(f"{dist} -")
    return result


def libraries_version() -> str:
    """Python and the libraries whose output goes into the pages (front matter, slugs, words)."""
    import sys

    import yaml

    return digest(sys.version, str(hasattr(yaml, "CSafeDumper")), *versions("PyYAML", "pypinyin", "jieba"))


def read_json(path: Path):
    """The value in a JSON file, or None if it is missing or not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, value) -> None:
    """Write a JSON file whole or not at all, even if the build is killed meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def read_cache_json(cache_dir: Path | None, name: str) -> dict:
    """A JSON object kept in the build cache, or {} (no cache, missing, not an object)."""
    value = read_json(cache_dir / name) if cache_dir is not None else None
    return value if isinstance(value, dict) else {}


def write_cache_json(cache_dir: Path | None, name: str, value: dict) -> None:
    if cache_dir is not None:
        write_json(cache_dir / name, value)
