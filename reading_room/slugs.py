"""Slugs: the ASCII names in URLs (report ids, formulation entries, bodies), pinyin for
Han characters. Its pinyin is remembered in the build cache between builds, so a rebuild
that meets no new Chinese name never loads pypinyin."""
from __future__ import annotations

import re
from pathlib import Path

from .cache import read_cache_json, write_cache_json

PINYIN_FILE = "pinyin.json"


def load_pypinyin():
    """pypinyin, imported on first use: loading its dictionaries takes 0.4 s, which a
    rebuild that meets no new Chinese name or formulation need not pay."""
    import pypinyin

    return pypinyin


# Pinyin of the Chinese texts slugified so far (``load_pinyin``, ``save_pinyin``).
PINYIN: dict[str, str] = {}


def load_pinyin(cache_dir: Path | None) -> None:
    PINYIN.update({text: slug for text, slug in read_cache_json(cache_dir, PINYIN_FILE).items()
                   if isinstance(slug, str)})


def save_pinyin(cache_dir: Path | None) -> None:
    write_cache_json(cache_dir, PINYIN_FILE, dict(sorted(PINYIN.items())))


def slugify(text: str, limit: int = 48) -> str:
    """An ASCII slug: pinyin for Han characters, letters and digits kept."""
    if text.isascii():
        joined = text
    else:
        joined = PINYIN.get(text)
        if joined is None:
            joined = PINYIN[text] = "-".join(load_pypinyin().lazy_pinyin(
                text, errors=lambda chars: [re.sub(r"[^0-9A-Za-z]+", "-", chars)]))
    slug = re.sub(r"[^0-9a-z]+", "-", joined.lower()).strip("-")
    return slug[:limit].strip("-") or "x"


# Names MkDocs or this site give a meaning of their own in a folder of generated pages
# (``slogans/index.md`` is the overview, ``slogans/g/`` the group pages): never a slug.
RESERVED_SLUGS = frozenset({"index", "readme", "g", "404", "search", "sitemap", "assets", "data", "raw",
                            "timeline", "compare", "series", "once"})  # the slogan index's own pages
