"""Stage 1: raw bytes -> text.

Strict decoding only: a report either decodes cleanly in one of the supported
encodings or it is rejected with a reason; we never guess with replacement
characters, because a wrongly decoded report would be published as gibberish.
"""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass

import chardet

# GBK and GB2312 are subsets of GB18030, so decoding them as GB18030 never
# loses a character that the narrower codec would have read.
_CANONICAL = {
    "ascii": "utf-8",
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "hz-gb-2312": None,
    "big5": "big5",
    "big5hkscs": "big5hkscs",
    "cp950": "big5",
    "utf-16": "utf-16",
    "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be",
}
_FALLBACKS = ("gb18030", "big5")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeError(ValueError):
    """The file cannot be published; ``str(error)`` is the reason."""


@dataclass(frozen=True)
class Decoded:
    text: str  # newlines normalised to \n
    encoding: str  # codec name we decoded with, e.g. "utf-8", "gb18030"
    sha256: str  # of the raw bytes
    size: int  # raw bytes
    bare_cr: int = 0  # line ends that were a bare CR (old Mac files, some exports): an artefact repaired


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def decode_bytes(raw: bytes) -> Decoded:
    """Decode a report's raw bytes, or raise DecodeError saying why not."""
    if not raw.strip():
        raise DecodeError("empty file")
    encoding = _bom_encoding(raw)
    if encoding is None:
        if b"\x00" in raw:
            raise DecodeError("binary file (contains NUL bytes and no UTF-16 byte-order mark)")
        encoding = _detect(raw)
    try:
        text = raw.decode(encoding, errors="strict")
    except UnicodeDecodeError as err:
        raise DecodeError(f"does not decode as {encoding}: {err.reason} at byte {err.start}") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    bare_cr = text.count("\r")
    text = text.replace("\r", "\n")
    if not text.strip():
        raise DecodeError("empty file (only white space)")
    if _control_ratio(text) > 0.01:
        raise DecodeError(f"binary file (too many control characters after decoding as {encoding})")
    return Decoded(text=text, encoding=encoding, sha256=sha256_of(raw), size=len(raw), bare_cr=bare_cr)


def _bom_encoding(raw: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding
    return None


def _detect(raw: bytes) -> str:
    """Pick a supported codec that decodes ``raw`` strictly, asking chardet first."""
    try:
        raw.decode("utf-8")
        return "utf-8"  # the common case, and chardet is least sure on short UTF-8 texts
    except UnicodeDecodeError as err:
        failures = [f"UTF-8 ({err.reason} at byte {err.start})"]
    guess = (chardet.detect(raw).get("encoding") or "").lower()
    candidates = []
    if guess in _CANONICAL and _CANONICAL[guess]:
        candidates.append(_CANONICAL[guess])
    candidates += [c for c in _FALLBACKS if c not in candidates]
    for candidate in candidates:
        try:
            raw.decode(candidate)
            return candidate
        except UnicodeDecodeError as err:
            if candidate != "utf-8":
                failures.append(f"{candidate.upper()} ({err.reason} at byte {err.start})")
    detail = f"; chardet guessed {guess}" if guess else ""
    raise DecodeError("does not decode as " + ", ".join(failures) + detail)


# Unicode's control characters (category Cc: U+0000-001F, U+007F-009F) other than
# the white space a text file may hold (tab, line feed, vertical tab, form feed).
_CONTROL = re.compile("[\x00-\x08\x0d-\x1f\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(len(text), 1)
