"""Curation data under corpus/: loaded once per build, hashed into the cache key."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import schema
from .clean import CleaningRules
from .index import IndexSettings
from .labels import Labels
from .metadata import MetadataRules

DATA_FILES = ("boilerplate.yml", "metadata.yml", "catalog.yml", "slogans.yml", "limits.yml", "labels.yml", "reuse.yml")
DEFAULT_MAX_TEXT_MB = 20
DEFAULT_MIN_DISTINCT = 25  # reuse.MIN_DISTINCT (not imported: settings load before the search)


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    cleaning: CleaningRules
    metadata: MetadataRules
    catalog: dict
    index: IndexSettings
    fingerprint: str  # changes when any curation file changes
    max_text_bytes: int = DEFAULT_MAX_TEXT_MB * 2**20  # a larger text is skipped and named
    labels: Labels = Labels()  # the site's Chinese names for rule and field ids
    reuse_min_distinct: int = DEFAULT_MIN_DISTINCT  # shared passages: characters outside templates


def _load(path: Path) -> dict:
    if not path.exists():
        return {}
    real, corpus = Path(os.path.realpath(path)), Path(os.path.realpath(path.parent))
    if corpus not in real.parents:
        raise SettingsError(f"{path}: a symbolic link to a file outside corpus/: not read")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise SettingsError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a mapping at the top level")
    return data


def _checked(corpus: Path, name: str) -> dict:
    """A curation file's data, checked against its schema (schema.py)."""
    try:
        return schema.check(name, _load(corpus / name), label=f"{corpus.name}/{name}")
    except schema.SchemaError as err:
        raise SettingsError(str(err)) from None


def load_settings(corpus: Path) -> Settings:
    digest = hashlib.sha256()
    for name in DATA_FILES:
        path = corpus / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    data = {name: _checked(corpus, name) for name in DATA_FILES}
    try:
        metadata = MetadataRules.from_dict(data["metadata.yml"])
        return Settings(
            # cleaning knows a title by its genre word, from the vocabulary metadata.yml owns
            cleaning=CleaningRules.from_dict(data["boilerplate.yml"], genre_words=(k for k, _ in metadata.genres)),
            metadata=metadata,
            catalog={k: v or {} for k, v in data["catalog.yml"].items()},
            index=IndexSettings.from_dict(data["slogans.yml"]),
            fingerprint=digest.hexdigest(),
            max_text_bytes=int(float(data["limits.yml"].get("max_text_mb", DEFAULT_MAX_TEXT_MB)) * 2**20),
            labels=Labels.from_dict(data["labels.yml"]),
            reuse_min_distinct=int(data["reuse.yml"].get("min_distinct_chars", DEFAULT_MIN_DISTINCT)),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise SettingsError(f"curation data in {corpus}: {err}") from None
