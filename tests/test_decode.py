"""Decoding: every supported encoding of real report text, strictness, and bad files in a build."""
from __future__ import annotations

import codecs
import gzip
import json
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import CORPUS, data_json, run_build, sample_files
from reading_room.decode import DecodeError, decode_bytes

SAMPLE = CORPUS / "2019-county-police-bureau-party-building-summary.txt"
SPEECH = CORPUS / "2023-police-party-committee-political-training-speech.txt"

# Invented traditional-character text: the sample reports use simplified characters
# that Big5 cannot encode.
TRADITIONAL = (
    "二零二一年度縣公安局黨建工作總結\n"
    "一、加強組織建設\n"
    "一年來，本局黨委堅持以黨的政治建設為統領，紮實推進各項工作。\n"
    "（一）健全制度。建立健全學習制度，推動黨員幹部學深悟透。\n"
)


def _text(path):
    return path.read_text(encoding="utf-8")


def _encodable(text: str, codec: str) -> str:
    """The characters of ``text`` that ``codec`` can encode, in order (real text, narrowed)."""
    return text.encode(codec, errors="ignore").decode(codec)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name[:30])
@pytest.mark.parametrize("codec, recorded", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),  # Python writes a byte-order mark
    ("gb18030", "gb18030"),
])
def test_sample_text_round_trips(path, codec, recorded):
    text = _text(path)
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == recorded


@pytest.mark.parametrize("codec", ["gbk", "gb2312"])
def test_gbk_and_gb2312_decode_as_gb18030(codec):
    text = _encodable(_text(SPEECH), codec)
    assert len(text) > 3000  # nearly all of the speech is in GB2312
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == "gb18030"


def test_big5_traditional_text():
    decoded = decode_bytes(TRADITIONAL.encode("big5"))
    assert decoded.text == TRADITIONAL
    assert decoded.encoding == "big5"


def test_big5_real_text_narrowed_to_big5():
    text = _encodable(_text(SAMPLE), "big5")
    decoded = decode_bytes(text.encode("big5"))
    assert decoded.text == text
    assert decoded.encoding == "big5"


def test_utf16_big_endian_with_bom():
    text = _text(SAMPLE)
    raw = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    decoded = decode_bytes(raw)
    assert decoded.text == text and decoded.encoding == "utf-16"


def test_bom_is_not_part_of_the_text():
    decoded = decode_bytes(codecs.BOM_UTF8 + "一、总结".encode("utf-8"))
    assert decoded.text == "一、总结"


def test_windows_and_old_mac_newlines_are_normalised():
    decoded = decode_bytes("第一行\r\n第二行\r第三行".encode("gb18030"))
    assert decoded.text == "第一行\n第二行\n第三行"


def test_sha256_and_size_are_of_the_raw_bytes():
    import hashlib
    raw = _text(SAMPLE).encode("utf-16")
    decoded = decode_bytes(raw)
    assert decoded.sha256 == hashlib.sha256(raw).hexdigest()
    assert decoded.size == len(raw)


@pytest.mark.parametrize("raw, reason", [
    (b"", "empty"),
    (b"   \r\n\n\t\n", "empty"),
    ("\ufeff  \n".encode("utf-8"), "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    (bytes(range(256)) * 4, "binary"),
])
def test_empty_and_binary_files_are_rejected_with_a_reason(raw, reason):
    with pytest.raises(DecodeError) as err:
        decode_bytes(raw)
    assert reason in str(err.value)


def test_control_characters_without_nul_are_binary():
    raw = bytes(b for b in range(1, 32) if b not in b"\n\r\t\f\v") * 50 + "总结".encode("utf-8")
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(raw)


def test_corrupted_utf8_is_rejected_not_guessed():
    """A UTF-8 report with one damaged byte must not be published as GB18030 gibberish."""
    raw = bytearray(_text(SPEECH).encode("utf-8"))
    raw[1001] = 0xFF
    with pytest.raises(DecodeError) as err:
        decode_bytes(bytes(raw))
    # the reason says where the UTF-8 breaks: at the damaged character, which starts at most
    # two bytes before the damaged byte
    m = re.search(r"UTF-8 \(.*? at byte (\d+)\)", str(err.value))
    assert m, str(err.value)
    assert 999 <= int(m.group(1)) <= 1001


def test_truncated_multibyte_character_is_rejected():
    raw = _text(SPEECH).encode("utf-8")
    with pytest.raises(DecodeError):
        decode_bytes(raw[:1001])  # cuts a three-byte character


def test_bad_utf16_is_rejected_strictly():
    raw = codecs.BOM_UTF16_LE + "总结".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    with pytest.raises(DecodeError, match="utf-16"):
        decode_bytes(raw)


# --- in a build ------------------------------------------------------------------

ENCODINGS = {
    "utf8.txt": ("utf-8", "utf-8"),
    "utf8-bom.txt": ("utf-8-sig", "utf-8-sig"),
    "utf16.txt": ("utf-16", "utf-16"),
    "gb18030.txt": ("gb18030", "gb18030"),
}


def _mixed_corpus(corpus):
    text = _text(SPEECH)
    for name, (codec, _) in ENCODINGS.items():
        (corpus / name).write_bytes(text.encode(codec))
    (corpus / "gbk.txt").write_bytes(_encodable(text, "gbk").encode("gbk"))
    (corpus / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    broken = bytearray(text.encode("utf-8"))
    broken[2001] = 0xFF
    (corpus / "broken.txt").write_bytes(bytes(broken))


def test_build_with_every_encoding_and_bad_files(tmp_corpus, tmp_path, capsys):
    _mixed_corpus(tmp_corpus)
    build = run_build(tmp_path / "out", tmp_corpus, capsys, site=False)
    assert build.exit_code == 0
    reports = {r["source_file"]: r for r in build.reports}
    assert set(reports) == set(ENCODINGS) | {"gbk.txt", "big5.txt"}
    for name, (_, recorded) in ENCODINGS.items():
        assert reports[name]["encoding"] == recorded
    assert reports["gbk.txt"]["encoding"] == "gb18030"
    assert reports["big5.txt"]["encoding"] == "big5"
    # the same text in four encodings gives the same page apart from the report id (and the
    # cleaning record at its end, which names the file, its encoding and its checksum)
    pages = {name: build.page(reports[name]["id"]).replace(reports[name]["id"], "ID") for name in ENCODINGS}
    text = {p.split('<div class="report-meta"', 1)[1].split("</div>", 1)[1].split('<details class="cleaning"', 1)[0]
            for p in pages.values()}
    assert len(text) == 1
    assert reports["big5.txt"]["title"] == "二零二一年度縣公安局黨建工作總結"
    # each bad file is named with its reason
    for name, reason in [("empty.txt", "empty"), ("picture.txt", "binary"), ("broken.txt", "UTF-8")]:
        line = next((l for l in build.err.splitlines() if name in l), "")
        assert line.startswith("skipped") and reason in line, build.err
    assert "6 reports built" in build.out and "3 skipped" in build.out
    # the raw download is the file as it is, whatever its encoding
    for name in ENCODINGS:
        assert gzip.decompress((build.docs / reports[name]["raw_url"]).read_bytes()) == (tmp_corpus / name).read_bytes()
    home = (build.docs / "index.md").read_text(encoding="utf-8")
    assert "picture" in home and "broken" in home  # the home page lists what was left out


def test_strict_build_fails_when_a_file_is_skipped(tmp_corpus, tmp_path, capsys):
    (tmp_corpus / "good.txt").write_bytes(_text(SAMPLE).encode("gb18030"))
    (tmp_corpus / "empty.txt").write_bytes(b"")
    build = run_build(tmp_path / "out", tmp_corpus, capsys, "--strict", site=False)
    assert build.exit_code != 0
    assert "empty.txt" in build.err
    assert [r["source_file"] for r in build.reports] == ["good.txt"]  # still built


def test_strict_build_passes_on_a_clean_corpus(tmp_corpus, tmp_path, capsys):
    (tmp_corpus / "good.txt").write_bytes(_text(SAMPLE).encode("utf-16"))
    build = run_build(tmp_path / "out", tmp_corpus, capsys, "--strict", site=False)
    assert build.exit_code == 0
    data = data_json(build.docs, "reports.json")
    assert data[0]["encoding"] == "utf-16"


@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=200))
def test_control_characters_are_unicode_category_cc_less_text_white_space(text):
    """The fast count of control characters is Unicode's own definition of them."""
    from reading_room.decode import _control_ratio

    expected = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v")
    assert _control_ratio(text) == expected / max(len(text), 1)


# --- lines in two encodings -----------------------------------------------------------------

def _gbk_with_utf8_lines(text: str, utf8_every: int) -> bytes:
    lines = text.split("\n")
    return b"\n".join(line.encode("utf-8" if i % utf8_every == 3 else "gb18030") for i, line in enumerate(lines))


@pytest.mark.parametrize("path", sample_files())
def test_gbk_file_with_utf8_lines_is_decoded_line_by_line(path):
    text = _text(path)
    decoded = decode_bytes(_gbk_with_utf8_lines(text, 7))
    assert decoded.text == text.lstrip("\ufeff").replace("\r\n", "\n")
    assert decoded.encoding == "gb18030+utf-8"
    assert decoded.warnings and "decoded as UTF-8" in decoded.warnings[0]


@pytest.mark.parametrize("path", sample_files())
def test_a_plain_gbk_file_is_not_taken_for_a_mixed_one(path):
    decoded = decode_bytes(_text(path).encode("gb18030"))
    assert decoded.encoding == "gb18030" and not decoded.warnings


def test_mixed_file_whose_other_lines_are_not_text_is_rejected():
    text = _text(SAMPLE).split("\n")
    raw = "\n".join(text[:5]).encode("utf-8") + b"\n\x81\x30\x81\x30\xa1\xa1\x84\x31\xa4\x39\n" + text[5].encode("gb18030")
    with pytest.raises(DecodeError, match="mojibake"):
        decode_bytes(raw)


def test_mixed_file_in_a_build_says_so_on_its_cleaning_page(tmp_path, capsys):
    from conftest import make_corpus
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "mixed.txt").write_bytes(_gbk_with_utf8_lines(_text(SAMPLE), 5))
    build = run_build(tmp_path, corpus, capsys, site=False)
    assert build.exit_code == 0, build.err
    (report,) = build.reports
    assert report["encoding"] == "gb18030+utf-8"
    assert any("two encodings" in w for w in report["warnings"])
    page = re.sub(r"<[^>]+>", "", build.page("mixed"))  # the text, without the tags' attributes
    from conftest import han
    body = [line for line in _text(SAMPLE).split("\n") if len(line) > 30]
    missing = [line for line in body if han(line) not in han(page)]
    assert len(body) > 5 and not missing, missing[:2]
