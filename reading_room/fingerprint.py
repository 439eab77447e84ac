"""Locality-sensitive fingerprints of paragraphs: the ids of citable anchors.

A paragraph's anchor is a 64-bit simhash of its character shingles (2 characters,
white space left out, NFKC-normalised), written as 16 hex digits. Editing a
character changes only the few shingles around it, so it flips only a few of the
64 bits: the edited paragraph keeps an id *near* its old one (in Hamming
distance), while two unrelated paragraphs differ in about half the bits. A link
to an id that no longer exists is resolved in the page (docs/assets/reading-room.js) to
the paragraph with the nearest fingerprint. The fingerprint is a pure function of
the text: no build history, the same id on every build.

Each shingle's 64-bit hash (BLAKE2b) is spread into 64 lanes of ``_LANE`` bits of
one Python integer, so that summing the spread hashes of a paragraph adds all 64
bit positions at once (in C); the sign of each lane against half the count gives
the bit. Spread shingles are memoised: Chinese text repeats its trigrams a lot.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

BITS = 64
SHINGLE = 2
_LANE = 24  # bits per lane: a paragraph of up to 16 million shingles cannot overflow one
_LANE_MASK = (1 << _LANE) - 1
_SPACE = re.compile(r"\s+")
# every byte value spread over 8 lanes: bit i of the byte -> bit 0 of lane i
_SPREAD_BYTE = [sum(((b >> i) & 1) << (_LANE * i) for i in range(8)) for b in range(256)]
_memo: dict[str, int] = {}
_MEMO_LIMIT = 1 << 20


def _spread(shingle: str) -> int:
    spread = _memo.get(shingle)
    if spread is None:
        h = hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest()
        spread = 0
        for i, byte in enumerate(h):  # little-endian: byte i holds bits 8i..8i+7 of the hash
            spread |= _SPREAD_BYTE[byte] << (_LANE * 8 * i)
        if len(_memo) >= _MEMO_LIMIT:
            _memo.clear()
        _memo[shingle] = spread
    return spread


def normalize(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def shingles(text: str, size: int = SHINGLE) -> list[str]:
    """Overlapping character ``size``-grams of the normalised text (the text itself when shorter)."""
    text = normalize(text)
    if len(text) <= size:
        return [text]
    return [text[i:i + size] for i in range(len(text) - size + 1)]


def simhash(text: str) -> int:
    """The 64-bit simhash of ``text``'s character shingles."""
    grams = shingles(text)
    total = sum(map(_spread, grams))
    # bit i is set when more than half the shingles have it (ties: set when exactly half, so
    # that a one-shingle text keeps its own hash)
    n = len(grams)
    value = 0
    for i in range(BITS):
        if 2 * ((total >> (_LANE * i)) & _LANE_MASK) >= n:
            value |= 1 << i
    return value


def fingerprint(text: str) -> str:
    """The simhash as 16 lowercase hex digits (the id's body)."""
    return f"{simhash(text):016x}"


def distance(a: str, b: str) -> int:
    """Hamming distance between two fingerprints in hex."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
