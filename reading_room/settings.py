"""Curation data under corpus/: loaded once per build, hashed into the cache key."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from .clean import CleaningRules
from .index import IndexSettings
from .labels import Labels
from .metadata import MetadataRules

DATA_FILES = ("boilerplate.yml", "metadata.yml", "catalog.yml", "slogans.yml", "labels.yml")


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    cleaning: CleaningRules
    metadata: MetadataRules
    catalog: dict
    index: IndexSettings
    fingerprint: str  # changes when any curation file changes
    labels: Labels = Labels()  # the site's Chinese names for rule and field ids


def _load(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise SettingsError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a mapping at the top level")
    return data


def load_settings(corpus: Path) -> Settings:
    digest = hashlib.sha256()
    for name in DATA_FILES:
        path = corpus / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    try:
        return Settings(
            cleaning=CleaningRules.from_dict(_load(corpus / "boilerplate.yml")),
            metadata=MetadataRules.from_dict(_load(corpus / "metadata.yml")),
            catalog=_load(corpus / "catalog.yml"),
            index=IndexSettings.from_dict(_load(corpus / "slogans.yml")),
            fingerprint=digest.hexdigest(),
            labels=Labels.from_dict(_load(corpus / "labels.yml")),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise SettingsError(f"curation data in {corpus}: {err}") from None
