"""The curation files' schema: a curator's mistake stops the build with the file, the key and a hint."""
from __future__ import annotations

import pytest
import yaml

from conftest import CORPUS, CURATION, run_build, sample_files, make_corpus
from reading_room.settings import SettingsError, load_settings


def _settings_error(corpus, name: str, text: str) -> str:
    (corpus / name).write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(corpus)
    return str(err.value)


def _with(name: str, edit) -> str:
    data = yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))
    edit(data)
    return yaml.safe_dump(data, allow_unicode=True)


def test_the_projects_curation_files_are_valid():
    assert set(CURATION) >= {"boilerplate.yml", "metadata.yml", "catalog.yml", "slogans.yml", "limits.yml"}
    load_settings(CORPUS)


@pytest.mark.parametrize("name, edit, expected", [
    # `line:` for `lines:` used to drop every line rule silently
    ("boilerplate.yml", lambda d: d.update(line=d.pop("lines")),
     "corpus/boilerplate.yml: line: unknown key (did you mean `lines`?)"),
    ("boilerplate.yml", lambda d: d["lines"][2].update(patern=d["lines"][2].pop("pattern")),
     "corpus/boilerplate.yml: lines[2].patern: unknown key (did you mean `pattern`?)"),
    ("boilerplate.yml", lambda d: d["lines"][0].update(pattern="仅供(学习"),
     "corpus/boilerplate.yml: lines[0].pattern: does not compile: missing ), unterminated subpattern"),
    ("boilerplate.yml", lambda d: d["lines"][0].update(max_length="sixty"),
     "corpus/boilerplate.yml: lines[0].max_length: expected an integer, got 'sixty' (the rule only applies"),
    ("boilerplate.yml", lambda d: d["blocks"][0].update(zone="top"),
     "corpus/boilerplate.yml: blocks[0].zone: 'top' is not one of head, tail, ends, anywhere"),
    ("boilerplate.yml", lambda d: d["furniture"].update(min_share="2%"),
     "corpus/boilerplate.yml: furniture.min_share: expected a number, got '2%'"),
    ("metadata.yml", lambda d: d["genres"].append(["纪要"]),
     "]: ['纪要'] is too short (a pair: [keyword, genre])"),
    ("slogans.yml", lambda d: d.update(uses_per_pge=100),
     "corpus/slogans.yml: uses_per_pge: unknown key (did you mean `uses_per_page`?)"),
    ("catalog.yml", lambda d: d[next(iter(d))].update(year="二〇二三"),
     "year: expected an integer or nothing, got '二〇二三' (the year the report is about"),
    ("catalog.yml", lambda d: d[next(iter(d))].update(orgnization="某局"),
     "orgnization: unknown key (did you mean `organization`?)"),
    ("limits.yml", lambda d: d.update(max_text_mb=0),
     "corpus/limits.yml: max_text_mb: 0 is less than or equal to the minimum of 0"),
])
def test_a_curation_mistake_names_the_file_the_key_and_what_is_wrong(tmp_corpus, name, edit, expected):
    message = _settings_error(tmp_corpus, name, _with(name, edit))
    assert expected in message


def test_every_mistake_is_listed_and_the_build_stops_with_them(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "corpus", sample_files()[:1])
    (corpus / "boilerplate.yml").write_text(_with("boilerplate.yml", lambda d: (
        d.update(line=d.pop("lines")), d["blocks"][0].update(start="(["))), encoding="utf-8")
    build = run_build(tmp_path, corpus, capsys, site=False)
    assert build.exit_code == 2
    errors = [line for line in build.err.splitlines() if line.startswith("error: ")]
    assert errors == [
        "error: corpus/boilerplate.yml: line: unknown key (did you mean `lines`?)",
        "error: corpus/boilerplate.yml: blocks[0].start: does not compile: unterminated character set at "
        "position 1 (the first line of the widget: a Python regular expression)",
    ]
    assert "Traceback" not in build.err
    assert not (tmp_path / "docs" / "index.md").exists()


def test_a_catalog_date_written_as_a_yaml_date_is_taken_as_text(tmp_corpus):
    (tmp_corpus / "catalog.yml").write_text("a.txt:\n  date: 2023-10-11\n  year: 2023\n", encoding="utf-8")
    assert load_settings(tmp_corpus).catalog["a.txt"] == {"date": "2023-10-11", "year": 2023}


def test_a_curation_file_linked_from_outside_corpus_is_not_read(tmp_path):
    import os
    corpus = make_corpus(tmp_path / "corpus")
    outside = tmp_path / "catalog.yml"
    outside.write_text("a.txt:\n  title: 外部的标题\n", encoding="utf-8")
    (corpus / "catalog.yml").unlink()
    os.symlink(outside, corpus / "catalog.yml")
    with pytest.raises(SettingsError, match="outside corpus/"):
        load_settings(corpus)
