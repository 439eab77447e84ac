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
    warnings: tuple[str, ...] = ()  # for the curator: lines decoded in another encoding
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
        mixed = _mixed_lines(raw)
        if mixed is not None:
            text, encoding, warning = mixed
            return _checked(text, encoding, raw, (warning,))
        encoding = _detect(raw)
    try:
        text = raw.decode(encoding, errors="strict")
    except UnicodeDecodeError as err:
        raise DecodeError(f"does not decode as {encoding}: {err.reason} at byte {err.start}") from None
    return _checked(text, encoding, raw)


def _checked(text: str, encoding: str, raw: bytes, warnings: tuple[str, ...] = ()) -> Decoded:
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    bare_cr = text.count("\r")
    text = text.replace("\r", "\n")
    if not text.strip():
        raise DecodeError("empty file (only white space)")
    if _control_ratio(text) > 0.01:
        raise DecodeError(f"binary file (too many control characters after decoding as {encoding})")
    return Decoded(text=text, encoding=encoding, sha256=sha256_of(raw), size=len(raw), warnings=warnings,
                   bare_cr=bare_cr)


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


# What a Chinese text's UTF-8 line holds besides ASCII: Han characters, CJK and
# full-width punctuation, general punctuation (“” — …), circled and Roman numerals.
# The UTF-8 reading of a GBK or Big5 line is almost never made of these alone.
_NOT_CJK_TEXT = re.compile(
    "[^\x00-\x7f\u00a0\u00b7\u00d7\u00f7\u2000-\u206f\u2100-\u218f\u2460-\u24ff\u2e80-\u2eff"
    "\u3000-\u303f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)

# What a line in GBK, GB18030 or Big5 may hold besides: the Latin, Greek and Cyrillic
# letters, arrows, box drawing, shapes, kana and bopomofo those code pages have. What
# is left (private use, other scripts) is what random bytes decode to.
_NOT_LEGACY_TEXT = re.compile(_NOT_CJK_TEXT.pattern.replace(
    "\x00-\x7f", "\x00-\x7f\u00a0-\u024f\u02c7-\u02d9\u0370-\u04ff\u2190-\u23ff\u2500-\u27bf"
    "\u3040-\u312f"))


def _utf8_line(line: bytes) -> str | None:
    """The line as UTF-8, if it decodes and reads as Chinese text (two non-ASCII characters at least)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _NOT_CJK_TEXT.search(text) or sum(1 for c in text if c > "\x7f") < 2:
        return None
    return text


def _mixed_lines(raw: bytes) -> tuple[str, str, str] | None:
    """A file whose lines are in two encodings (a GBK file with a UTF-8 line pasted in),
    decoded line by line: (text, "gb18030+utf-8", a warning naming the UTF-8 lines).

    None when the file is not mixed: no line that fails UTF-8, or none that reads as
    UTF-8 Chinese text. A line is UTF-8 when it decodes as UTF-8 into Chinese text (see
    ``_NOT_CJK_TEXT``: in 5,897 non-ASCII lines of the real texts re-encoded as GB18030 or
    Big5, none did); every other line must decode strictly in the one legacy codec that
    decodes all of them, or the file is rejected: it is never published as mojibake.
    """
    lines = raw.split(b"\n")  # 0x0A is never part of a GBK, GB18030 or Big5 character
    utf8: dict[int, str] = {}
    legacy: list[int] = []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        text = _utf8_line(line)
        if text is not None:
            utf8[i] = text
        else:
            legacy.append(i)
    if not utf8 or not legacy or all(_valid_utf8(lines[i]) for i in legacy):
        return None
    rest = b"\n".join(lines[i] for i in legacy)
    guess = (chardet.detect(rest).get("encoding") or "").lower()
    candidates = [c for c in (_CANONICAL.get(guess), *_FALLBACKS) if c and c not in ("utf-8", "utf-8-sig")]
    for codec in dict.fromkeys(candidates):
        try:
            decoded = {i: lines[i].decode(codec) for i in legacy}
        except UnicodeDecodeError:
            continue
        odd = next((i for i in legacy if _NOT_LEGACY_TEXT.search(decoded[i])), None)
        if odd is not None:
            raise DecodeError(f"{_utf8_failure(raw)}; lines in different encodings, and line {odd + 1} reads "
                              f"as neither UTF-8 nor {codec.upper()} text: not published (it would be mojibake)")
        out = [utf8.get(i) or decoded.get(i) or line.decode("ascii") for i, line in enumerate(lines)]
        numbers = ", ".join(str(i + 1) for i in sorted(utf8)[:10]) + (" …" if len(utf8) > 10 else "")
        warning = (f"lines in two encodings: {len(utf8)} line(s) decoded as UTF-8 (line {numbers}), "
                   f"the rest as {codec.upper()}")
        return "\n".join(out), f"{codec}+utf-8", warning
    raise DecodeError(f"{_utf8_failure(raw)}; lines in different encodings, and the lines that are not "
                      "UTF-8 decode in no one supported encoding: not published (it would be mojibake)")


def _utf8_failure(raw: bytes) -> str:
    try:
        raw.decode("utf-8")
        return "decodes as UTF-8"
    except UnicodeDecodeError as err:
        return f"does not decode as UTF-8 ({err.reason} at byte {err.start})"


def _valid_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
