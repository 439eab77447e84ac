"""The data downloads and the 数据 page: every file documented, title/year/body in every CSV,
the cleaned texts, licences, and no CSV cell a spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import gzip
import io
import json
import re

import pytest

from conftest import CORPUS, make_corpus, run_build, sample_files
from reading_room import data
from reading_room.outline import Block
from reading_room.report import Report


def read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        assert raw[4:8] == b"\0\0\0\0"  # no time in the gzip header: the same rows, the same bytes
        raw = gzip.decompress(raw)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


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


def test_cleaned_texts_one_by_one_and_all_in_one_jsonl(sample_build):
    packed = (sample_build.site / "data" / "texts.jsonl.gz").read_bytes()
    assert packed[4:8] == b"\0\0\0\0"  # no time in the gzip header: the same texts, the same bytes
    lines = gzip.decompress(packed).decode("utf-8").splitlines()
    assert len(lines) == len(sample_build.reports)
    for line, report in zip(lines, sample_build.reports):
        item = json.loads(line)
        text = (sample_build.site / report["text_url"]).read_text(encoding="utf-8")
        assert item["id"] == report["id"] and item["text"] == text
        assert text.startswith(report["title"] + "\n\n")
        # every heading and paragraph of the page, in order, nothing else
        page = sample_build.page(report["id"])
        for heading in report["headings"]:
            assert heading["text"] in text
        assert text.count("\n\n") == page.count('class="para"') + len(report["headings"])
        assert f'../../data/texts/{report["id"]}.txt' in page


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
    for name in ("reports.json", "reports.csv", "texts.jsonl.gz", "slogans.json", "slogans.csv.gz", "cited.json", "cited.csv.gz"):
        assert (sample_build.site / "data" / name).exists()
        assert f'href="{name}"' in html, name
    documented = set(re.findall(r"^\| `([^`]+)` \|", page, flags=re.M))
    documented = {f.strip() for line in documented for f in line.split(",")}
    assert set(sample_build.reports[0]) <= documented
    assert set(read_csv(sample_build.site / "data" / "slogans.csv.gz")[0]) <= documented
    assert "OWASP" in page and "'" in page
