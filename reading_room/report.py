"""One report converted: the result of decode -> clean -> metadata -> outline.

``convert`` is a pure function of the raw bytes, the curation data and the
corpus-wide furniture lines, which is what makes it cacheable by hash.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property

from .clean import Removal, clean, furniture_key
from .decode import DecodeError, decode_bytes
from .escape import visible_controls
from .metadata import read_metadata
from .outline import Block, BlockKind, outline
from .settings import Settings


_SPACE = re.compile(r"\s")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


@dataclass
class Report:
    id: str  # URL slug, from the file name
    source_file: str  # path under corpus/, with forward slashes
    encoding: str
    sha256: str
    size: int
    title: str
    year: int | None
    organization: str
    genre: str
    date: str
    source: str
    blocks: list[Block]
    removed: list[Removal]
    warnings: list[str] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)
    date_source: str = ""  # where the date comes from: text, byline, header, file name, posting time, signature
    year_source: str = ""  # where the year comes from: date, title, doc_number (文号), text, catalog
    title_composed: bool = False  # no title line: composed from the body, year and genre
    organizations: list[str] = field(default_factory=list)  # every issuing body; `organization` is the first
    doc_number: str = ""  # 文号 (发文字号)
    speaker: str = ""
    occasion: str = ""  # the meeting a speech or report was delivered at

    @property
    def url(self) -> str:
        return f"reports/{self.id}/"

    @cached_property
    def characters(self) -> int:
        """Characters of body text, white space excluded."""
        return sum(len(_SPACE.sub("", b.text)) for b in self.blocks)

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == BlockKind.HEADING]

    def block_at(self, anchor: str) -> Block:
        return self._by_anchor[anchor][0]

    def section_of(self, anchor: str) -> tuple[str, ...]:
        """The headings above a block, outermost first (an entry page shows a use under them)."""
        return self._by_anchor[anchor][1]

    @cached_property
    def _by_anchor(self) -> dict[str, tuple[Block, tuple[str, ...]]]:
        path: list[Block] = []
        found = {}
        for block in self.blocks:
            if block.kind == BlockKind.HEADING:
                while path and path[-1].level >= block.level:
                    path.pop()
            found[block.anchor] = (block, tuple(b.text for b in path))
            if block.kind == BlockKind.HEADING:
                path.append(block)
        return found

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        """The report a cache entry holds; raises ValueError for anything that is not
        exactly what ``to_dict`` writes (a cache is read, never trusted)."""
        _check_fields(data, _field_types(cls), "report")
        data = dict(data)
        data["blocks"] = [Block(**_check_fields(b, _field_types(Block), "block")) for b in data["blocks"]]
        for block in data["blocks"]:
            block.kind = BlockKind(block.kind)  # ValueError for anything else
        data["removed"] = [Removal(**_check_fields(r, _field_types(Removal), "removal")) for r in data["removed"]]
        anchors = [b.anchor for b in data["blocks"]]
        if len(set(anchors)) != len(anchors):
            raise ValueError("cached report: blocks are not an outline")
        return cls(**data)


class EmptyReport(DecodeError):
    """Nothing of the file is left after cleaning (a page of adverts): skipped, not published."""


_TYPES = {"str": str, "int": int, "bool": bool, "float": float, "int | None": (int, type(None)),
          "str | None": (str, type(None)), "BlockKind": str}


def _field_types(cls) -> dict:
    """Each field of a dataclass with the Python type(s) its value must have, from its
    annotations (``list[str]`` is a list of text; other lists are checked by the caller)."""
    types = {}
    for name, f in cls.__dataclass_fields__.items():
        annotation = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        types[name] = _STRINGS if annotation == "list[str]" else (
            list if annotation.startswith("list[") else _TYPES.get(annotation, object))
    return types


_STRINGS = (list, lambda v: all(isinstance(x, str) for x in v))


def _check_fields(data, fields: dict, what: str) -> dict:
    """``data`` if it is a mapping of exactly these fields with these types, else ValueError."""
    if not isinstance(data, dict) or set(data) != set(fields):
        raise ValueError(f"cached {what}: not the fields of a {what}")
    for name, kind in fields.items():
        value = data[name]
        if isinstance(kind, tuple) and callable(kind[-1]) and not isinstance(kind[-1], type):
            ok = isinstance(value, kind[0]) and kind[1](value)
        else:
            ok = isinstance(value, kind) and not (isinstance(value, bool) and int in (
                kind if isinstance(kind, tuple) else (kind,)))
        if not ok:
            raise ValueError(f"cached {what}: {name} is {type(value).__name__}")
    return data


def furniture_lines(text: str, furniture: frozenset[str]) -> list[str]:
    """The furniture lines present in this text: part of its cache key."""
    return sorted({furniture_key(line) for line in text.split("\n")} & furniture)


def convert(report_id: str, source_file: str, raw: bytes, settings: Settings,
            furniture: frozenset[str]) -> Report:
    """Decode, clean, read metadata and outline one report. Raises DecodeError."""
    decoded = decode_bytes(raw)
    cleaned = clean(decoded.text, settings.cleaning, furniture)
    if decoded.bare_cr:
        cleaned.removed.insert(0, Removal("bare-cr-line-ends", f"{decoded.bare_cr} 处行尾为单独的 CR，按换行读", 1,
                                          "repaired"))
    override = settings.catalog.get(source_file) or settings.catalog.get(source_file.rsplit("/", 1)[-1]) or {}
    stem = source_file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    meta = read_metadata(cleaned.lines, cleaned.metadata, settings.metadata, override, fallback_title=stem)
    # a title is shown on every page that lists the report: its control characters as \x1b
    meta = replace(meta, title=visible_controls(meta.title))
    title_lines = set(meta.title_lines)
    body = [line for i, line in enumerate(cleaned.lines) if i not in title_lines]
    result = outline(body, markdown="markdown" in cleaned.metadata)
    warnings = list(decoded.warnings) + list(result.warnings)
    if not result.blocks:
        raise EmptyReport(f"nothing left after cleaning ({len(cleaned.removed)} lines removed as boilerplate)")
    if meta.title_composed:
        warnings.append(f"no title line found; title composed: {meta.title}")
    # a PDF's own glyphs for characters its font lacked (深水埗, 劏房): shown as boxes
    private = [b.text[max(0, m.start() - 3):m.end() + 3] for b in result.blocks for m in _PRIVATE_USE.finditer(b.text)]
    if private:
        warnings.append(f"{len(private)} private-use characters, shown as boxes: {' / '.join(sorted(set(private))[:5])}")
    return Report(
        id=report_id, source_file=source_file, encoding=decoded.encoding, sha256=decoded.sha256,
        size=decoded.size, title=meta.title, year=meta.year, organization=meta.organization,
        genre=meta.genre, date=meta.date, source=meta.source, blocks=result.blocks,
        removed=cleaned.removed, warnings=warnings, overridden=meta.overridden,
        date_source=meta.date_source, year_source=meta.year_source, title_composed=meta.title_composed, organizations=meta.organizations,
        doc_number=meta.doc_number, speaker=meta.speaker, occasion=meta.occasion,
    )
