"""Word boundaries from jieba, shared by cleaning (artefact repair) and the slogan index.

jieba is imported on first use and loads its dictionary lazily (about a second in
all), so builds and stages that never need a segmentation never pay for it.
"""
from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=65536)
def boundaries(text: str) -> frozenset[int]:
    """Offsets in ``text`` where jieba puts a word boundary (0 and len included)."""
    cuts = {0}
    offset = 0
    for token in _jieba().cut(text, HMM=False):
        offset += len(token)
        cuts.add(offset)
    return frozenset(cuts)


def splits_word(left: str, right: str) -> bool:
    """True when ``left + right`` has a word running across the point between them."""
    return len(left) not in boundaries(left + right)


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """jieba's words for a short text (a formulation), new words guessed by its HMM."""
    return tuple(_jieba().cut(text, HMM=True))


def is_word(text: str) -> bool:
    """Whether ``text`` is a word in jieba's dictionary."""
    jieba = _jieba()
    jieba.dt.check_initialized()
    return bool(jieba.dt.FREQ.get(text))


@lru_cache(maxsize=1)
def _posseg():
    _jieba()
    import jieba.posseg

    return jieba.posseg


@lru_cache(maxsize=65536)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words of a short text (a candidate formulation) with their part-of-speech
    tags (nr person, ns place, nt organisation, m numeral, n noun, vn verbal noun …)."""
    return tuple((pair.word, pair.flag) for pair in _posseg().cut(text, HMM=True))


def frequency(text: str) -> int:
    """The word's frequency in jieba's dictionary (0: not a dictionary word)."""
    jieba = _jieba()
    jieba.dt.check_initialized()
    return int(jieba.dt.FREQ.get(text) or 0)


def dictionary_tag(text: str) -> str:
    """The part-of-speech tag jieba's dictionary gives the word ("" when it is none)."""
    return _posseg().dt.word_tag_tab.get(text, "")
