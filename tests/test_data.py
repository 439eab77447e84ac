"""The data downloads and the 数据 page: every file documented, linked and readable, title/year/body
in every CSV, the rows of the compressed files against the index, the cleaned texts, licences,
and no CSV cell a spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import gzip
import io
import json
import re

import pytest
from hypothesis import given, settings, strategies as st

from conftest import CORPUS, data_csv, data_json, data_uses, make_corpus, run_build, sample_files
from reading_room import data, pipeline, writer
from reading_room.outline import Block
from reading_room.report import Report


read_csv = data_csv


def test_reports_csv_has_a_row_per_report_with_its_facts(sample_build):
    reports = sample_build.reports
    rows = read_csv(sample_build.site / "data" / "reports.csv")
    assert [r["id"] for r in rows] == [r["id"] for r in reports]
    for row, report in zip(rows, reports):
        assert row["title"] == report["title"] and row["year"] == str(report["year"])
        assert row["organization"] == report["organization"]
        assert int(row["removed"]) == len(report["removed"]) and int(row["characters"]) == report["characters"]


@pytest.mark.parametrize("name", ["slogans.csv.gz", "cited.csv.gz"])
def test_every_index_csv_names_the_report_its_year_and_body(sample_build, name):
    by_id = {r["id"]: r for r in sample_build.reports}
    rows = read_csv(sample_build.site / "data" / name)
    assert rows
    for row in rows:
        report = by_id[row["report"]]
        assert (row["title"], row["year"], row["organization"]) == (
            report["title"], str(report["year"]), report["organization"])


def test_cleaned_texts_all_in_one_jsonl_and_on_each_page(sample_build):
    packed = (sample_build.site / "data" / "texts.jsonl.gz").read_bytes()
    assert packed[4:8] == b"\0\0\0\0"  # no time in the gzip header: the same texts, the same bytes
    lines = gzip.decompress(packed).decode("utf-8").splitlines()
    assert len(lines) == len(sample_build.reports)
    for line, report in zip(lines, sample_build.reports):
        item = json.loads(line)
        text = item["text"]
        assert item["id"] == report["id"] and text.startswith(report["title"] + "\n\n")
        # every heading and paragraph of the page, in order, nothing else
        page = sample_build.page(report["id"])
        for heading in report["headings"]:
            assert heading["text"] in text
        assert text.count("\n\n") == page.count('<p id="p-') + len(report["headings"])
        # the page's 纯文本 link (made in the browser from the page: test_reader_browser.py)
        assert f'data-plain-text="{report["id"]}"' in page
    # one file holds the texts: none per report
    assert not (sample_build.site / "data" / "texts").exists()
    assert all("text_url" not in r for r in sample_build.reports)


def test_the_compressed_rows_are_the_reports_and_the_uses_of_the_index(tmp_path):
    """reports.*.gz hold one row per report, <kind>.csv.gz one row per use, <kind>.json.gz one
    object per entry: counted from the index the build made, not from a previous run."""
    corpus = make_corpus(tmp_path / "corpus", sample_files())
    docs = tmp_path / "docs"
    generated = pipeline.generate(corpus, docs, tmp_path / "cache")
    ids = [r.id for r in generated.reports]
    assert [r["id"] for r in data_json(docs, "reports.json")] == ids
    assert [r["id"] for r in read_csv(docs / "data" / "reports.csv")] == ids
    assert sorted(i["id"] for i in data_json(docs, "reports.csl.json")) == sorted(ids)
    for idx in (generated.slogans, generated.cited):
        entries = data_json(docs, f"{idx.kind}.json")
        assert [e["key"] for e in entries] == [e.key for e in idx.entries]
        assert [e["uses"] for e in entries] == [len(e.uses) for e in idx.entries]
        uses = data_uses(docs, idx.kind)
        assert sum(map(len, uses.values())) == sum(len(e.uses) for e in idx.entries)
        for entry in idx.entries:
            rows = uses[entry.key]
            assert sorted((r["report"], r["url"].split("#")[1]) for r in rows) == sorted(
                (u.report, u.anchor) for u in entry.uses)
            assert {int(r["reports"]) for r in rows} == {entry.report_count}


def test_each_formulations_uses_are_one_member_of_the_csv(tmp_path, monkeypatch):
    """slogans.csv.gz is gzip members end to end (read as one file); slogans.uses.json gives the
    member holding each formulation's rows, which unpacks alone: what an entry page's download
    fetches (a Range request) and keeps (the rows with the entry's key)."""
    monkeypatch.setattr(data, "MEMBER_BYTES", 2000)  # many members from the sample corpus
    corpus = make_corpus(tmp_path / "corpus", sample_files())
    docs = tmp_path / "docs"
    generated = pipeline.generate(corpus, docs, tmp_path / "cache")
    packed = (docs / "data" / "slogans.csv.gz").read_bytes()
    where = json.loads((docs / "data" / "slogans.uses.json").read_text(encoding="utf-8"))
    assert where["file"] == "slogans.csv.gz" and where["columns"][:2] == ["slogan", "key"]
    members = where["members"]
    assert len(members) > 3 and members[0][0] == 0 and members[-1][1] == len(packed)
    assert all(a[1] == b[0] for a, b in zip(members, members[1:]))
    whole = gzip.decompress(packed).decode("utf-8-sig")
    assert whole == "".join(gzip.decompress(packed[a:b]).decode("utf-8") for a, b in members).lstrip("\ufeff")
    every = list(csv.DictReader(io.StringIO(whole)))
    assert set(where["entries"]) == {e.slug for e in generated.slogans.entries}
    for entry in generated.slogans.entries:
        number, key = where["entries"][entry.slug]
        a, b = members[number]
        part = gzip.decompress(packed[a:b]).decode("utf-8").lstrip("\ufeff")
        rows = list(csv.DictReader(io.StringIO(part), fieldnames=where["columns"]))
        own = [r for r in rows if r["key"] == key]
        assert own == [r for r in every if r["key"] == key] and len(own) == len(entry.uses)


def test_licence_is_the_site_default_unless_the_catalog_gives_one(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "corpus", sample_files()[:2])
    first = sample_files()[0].name
    catalog = (CORPUS / "catalog.yml").read_text(encoding="utf-8")
    (corpus / "catalog.yml").write_text(catalog + f"\n{first}:\n  license: CC BY 4.0\n", encoding="utf-8")
    build = run_build(tmp_path / "out", corpus, capsys, site=False)
    assert build.exit_code == 0, build.err
    licences = {r["source_file"]: r["license"] for r in build.reports}
    default = data_default_licence()
    assert default and licences[first] == "CC BY 4.0"
    assert licences[sample_files()[1].name] == default
    assert default in (build.docs / "data" / "index.md").read_text(encoding="utf-8")


def data_default_licence() -> str:
    import yaml
    from conftest import ROOT
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["license"]


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+86 10", "'+86 10"), ("-疫情", "'-疫情"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("三会一课", "三会一课"), ("a=b", "a=b"), (2020, "2020"), (None, ""),
    (True, "true"),
])
def test_a_cell_that_would_be_a_formula_gets_a_leading_quote(value, cell):
    assert data.csv_cell(value) == cell


def test_formula_rule_holds_in_the_written_files():
    blocks = [Block("paragraph", "=HYPERLINK(\"http://x\")", anchor="p-1", ordinal=1)]
    report = Report(id="x", source_file="x.txt", encoding="utf-8", sha256="0" * 64, size=1, title="=cmd|' /C calc'!A0",
                    year=2020, organization="@机关", genre="总结", date="", source="-来源", blocks=blocks, removed=[])
    rows = read_csv_bytes(data.reports_files([report], {"x": "+x"})["data/reports.csv"])
    assert rows[0]["title"] == "'=cmd|' /C calc'!A0" and rows[0]["organization"] == "'@机关"
    assert rows[0]["source"] == "'-来源" and rows[0]["license"] == "'+x"


def read_csv_bytes(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_data_page_documents_every_download_and_field(sample_build):
    page = (sample_build.docs / "data" / "index.md").read_text(encoding="utf-8")
    html = (sample_build.site / "data" / "index.html").read_text(encoding="utf-8")
    folder = sample_build.site / "data"
    # every file of data/ is linked from the page, and every file the page links is there and decodes
    linked = set(re.findall(r'href="([^"#?/:]+\.(?:gz|json|csv))"', html))
    assert linked == {p.name for p in folder.iterdir() if p.is_file() and p.name != "index.html"}
    for name in linked:
        raw = (folder / name).read_bytes()
        if name.endswith(".gz"):
            assert raw[4:8] == b"\0\0\0\0", name
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8-sig")
        if ".json" in name:
            [json.loads(line) for line in text.splitlines()] if ".jsonl" in name else json.loads(text)
        elif ".csv" in name:
            rows = list(csv.reader(io.StringIO(text)))
            # a CSV has its header, and rows unless there is nothing to list (the sample's
            # five reports may share no passage: then reuse.json is empty too)
            assert rows and rows[0], name
            nothing = name.startswith("reuse.") and json.loads(gzip.decompress(
                (folder / "reuse.json.gz").read_bytes())) == []
            assert len(rows) > 1 or nothing, name
    # the links that save a compressed file unpacked name it as it unpacks
    for href, name in re.findall(r'href="([^"]+\.gz)" data-gunzip="([^"]+)"', html):
        assert href == name + ".gz"
    documented = set(re.findall(r"^\| `([^`]+)` \|", page, flags=re.M))
    documented = {f.strip() for line in documented for f in line.split(",")}
    assert set(sample_build.reports[0]) <= documented
    assert set(read_csv(folder / "slogans.csv.gz")[0]) <= documented
    assert set(data_json(sample_build.site, "slogans.json")[0]) <= documented
    assert "OWASP" in page and "'" in page


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=3000), max_size=12))
def test_compressing_a_file_part_by_part_gives_the_bytes_of_compressing_it_whole(parts):
    # data/texts.jsonl.gz is compressed report by report (the corpus' text is never one string
    # in memory); the file must be the one gzip.compress makes of the whole, byte for byte
    whole = b"".join(parts)
    streamed = writer.gzipped_parts(iter(parts))
    assert streamed == writer.gzipped(whole)
    assert gzip.decompress(streamed) == whole


_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                       max_leaves=10)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=8), _VALUES, max_size=5), max_size=8))
def test_a_json_data_file_made_row_by_row_is_the_list_one_object_a_line(rows):
    plain = gzip.decompress(data._json_gz(iter(rows))).decode("utf-8")
    assert json.loads(plain) == rows
    lines = plain.split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""]
    assert [json.loads(line.rstrip(",")) for line in lines[1:-2] if line] == rows
