"""The GitHub Actions workflow: triggers, the README's commands, publishing only from main;
and the pull-request summary (scripts/summarize_changes.py)."""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
sys.path.insert(0, str(ROOT / "scripts"))
import summarize_changes  # noqa: E402


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _matches(path: str, patterns: list[str]) -> bool:
    """GitHub's path filters for the patterns used here: `**` crosses folders, `*` does not."""
    for pattern in patterns:
        if pattern.endswith("/**") and path.startswith(pattern[:-2]):
            return True
        if "/" not in pattern and "/" not in path and fnmatch(path, pattern):
            return True
        if path == pattern:
            return True
    return False


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in _steps(workflow))


CHANGES_THAT_BUILD = ["corpus/2024-new-report.txt", "corpus/boilerplate.yml", "docs/about.md", "mkdocs.yml",
                      "reading_room/render.py", "build.py", "overrides/main.html", "hooks/corpus.py",
                      "requirements.txt", "docs/assets/reading-room.css"]
CHANGES_THAT_DO_NOT = ["README.md", "bench/run.py", "notes/todo.txt"]


@pytest.mark.parametrize("event", ["push", "pull_request"])
@pytest.mark.parametrize("path", CHANGES_THAT_BUILD)
def test_changes_to_corpus_code_docs_and_config_trigger_a_build(workflow, event, path):
    assert _matches(path, workflow["on"][event]["paths"])


@pytest.mark.parametrize("path", CHANGES_THAT_DO_NOT)
def test_other_changes_do_not_trigger_a_build(workflow, path):
    assert not _matches(path, workflow["on"]["push"]["paths"])


def test_push_builds_only_main_and_pull_requests_build_every_branch(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "branches" not in workflow["on"]["pull_request"]


def test_build_runs_the_readme_commands(workflow):
    runs = _runs(workflow)
    assert re.search(r"^\s*run: bash scripts/test.sh$", WORKFLOW.read_text(), re.M)
    assert re.search(r"^\s*run: bash scripts/build.sh$", WORKFLOW.read_text(), re.M)
    assert runs.index("bash scripts/test.sh") < runs.index("bash scripts/build.sh")
    readme = ROOT / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        assert "bash scripts/test.sh" in text and "bash scripts/build.sh" in text


def test_ci_entry_point_runs_the_readme_test_command():
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_actions_are_pinned_to_versions(workflow):
    uses = [step["uses"] for step in _steps(workflow) if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", action), action


def test_pip_cache(workflow):
    caches = [s for s in _steps(workflow) if s.get("uses", "").startswith("actions/cache@")]
    assert any("pip" in s["with"]["path"] and "requirements" in s["with"]["key"] for s in caches)


def test_publishing_only_on_main_and_never_from_pull_requests(workflow):
    jobs = workflow["jobs"]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"  # only after the tests and the build succeeded
    assert "pull_request" in deploy["if"] and "!=" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    upload = [s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"] == "site"
    assert "pull_request" in upload[0]["if"] and "!=" in upload[0]["if"]
    assert workflow["permissions"] == {"contents": "read"}


def test_pull_requests_get_a_summary_of_the_change(workflow):
    summary = [s for s in _steps(workflow) if "summarize_changes.py" in s.get("run", "")]
    assert len(summary) == 1
    assert summary[0]["if"] == "github.event_name == 'pull_request'"
    assert "$GITHUB_STEP_SUMMARY" in summary[0]["run"]


# --- scripts/summarize_changes.py --------------------------------------------------------


def _report(source, title="标题", sha="a", year=2020, org="某局", headings=()):
    return {"id": source.split(".")[0], "source_file": source, "title": title, "sha256": sha, "year": year,
            "organization": org, "genre": "总结", "headings": [{"level": 2, "text": h} for h in headings]}


def _slogan(name, uses, reports):
    return {"slogan": name, "key": name, "reports": reports, "uses": uses}


def _write(folder: Path, reports, slogans, packed: bool = True) -> Path:
    """A build's data/: reports.json.gz and slogans.json.gz, or (``packed`` false) as a build
    made before they were compressed wrote them: plain, each entry's uses listed."""
    folder.mkdir(parents=True)
    for name, value in (("reports.json", reports), ("slogans.json", slogans)):
        if packed:
            (folder / (name + ".gz")).write_bytes(gzip.compress(json.dumps(value, ensure_ascii=False).encode()))
        else:
            if name == "slogans.json":
                value = [{**{k: v for k, v in e.items() if k != "uses"},
                          "occurrences": [{"report": "x", "quoted": True, "context": e["key"]}] * e["uses"]}
                         for e in value]
            (folder / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return folder


def test_summary_lists_reports_added_changed_removed_and_moved_counts(tmp_path):
    # the base branch's site built before the downloads were compressed, the pull request's after
    base = _write(tmp_path / "base", [_report("a.txt"), _report("b.txt"), _report("c.txt", headings=["一、x"])],
                  [_slogan("四个意识", 5, 3), _slogan("两个维护", 2, 2), _slogan("三会一课", 1, 1)], packed=False)
    head = _write(tmp_path / "head", [_report("a.txt"), _report("c.txt", headings=["一、y"], sha="b"),
                                      _report("d.txt", title="新报告")],
                  [_slogan("四个意识", 7, 4), _slogan("两个维护", 2, 2), _slogan("一岗双责", 1, 1)])
    out = tmp_path / "summary.md"
    assert summarize_changes.main([str(base), str(head), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "**1 added**, **1 changed**, **1 removed**" in text
    assert "`d.txt` | 新报告" in text
    assert "`c.txt`" in text and "text, headings" in text
    assert "### Reports removed" in text and "`b.txt`" in text
    assert "| 四个意识 | 5 → 7 (+2) | 3 → 4 (+1) |" in text
    assert "| 三会一课 | 1 → 0 (-1)" in text and "| 一岗双责 | 0 → 1 (+1)" in text
    assert "两个维护" not in text


def test_summary_of_a_first_build_and_of_no_change(tmp_path):
    head = _write(tmp_path / "head", [_report("a.txt")], [_slogan("四个意识", 1, 1)])
    first = summarize_changes.summary(None, head)
    assert "**1 added**" in first and "0 → 1" in first
    same = summarize_changes.summary(head, head)
    assert "No report and no formulation count changed." in same


def test_summary_script_runs_as_in_the_workflow(tmp_path):
    head = _write(tmp_path / "head", [_report("a.txt")], [])
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "summarize_changes.py"),
                           str(tmp_path / "missing"), str(head)], capture_output=True, text=True)
    assert done.returncode == 0 and "**1 added**" in done.stdout


def test_every_generated_folder_is_ignored_by_git():
    """Generated pages are build output: each folder the pipeline writes under docs/ is in
    .gitignore, so a build never leaves them to be committed."""
    from reading_room.site import GENERATED_DIRS, GENERATED_FILES

    ignored = set((Path(__file__).resolve().parent.parent / ".gitignore").read_text(encoding="utf-8").split())
    missing = [name for name in GENERATED_DIRS if f"/docs/{name}/" not in ignored]
    missing += [name for name in GENERATED_FILES if f"/docs/{name}" not in ignored]
    assert not missing


def test_a_site_over_one_gigabyte_goes_to_object_storage_not_to_pages(workflow, tmp_path):
    """The size step's script, run as the workflow runs it, on a site of a known size."""
    import subprocess

    jobs = workflow["jobs"]
    step = next(s for s in jobs["build"]["steps"] if s.get("id") == "size")
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_bytes(b"x" * 1200)
    (site / "a" / "b.json").write_bytes(b"y" * 34)
    out, summary = tmp_path / "out", tmp_path / "summary"
    subprocess.run(["bash", "-c", step["run"]], cwd=tmp_path, check=True,
                   env={**os.environ, "GITHUB_OUTPUT": str(out), "GITHUB_STEP_SUMMARY": str(summary)})
    assert out.read_text().split() == ["bytes=1234", "fits_pages=true"]
    # Pages only when the site fits; the bucket whenever one is configured
    assert "fits_pages == 'true'" in jobs["deploy"]["if"]
    upload = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert "fits_pages == 'true'" in upload["if"]
    storage = jobs["object-storage"]
    assert storage["needs"] == "build" and "vars.SITE_BUCKET != ''" in storage["if"]
    assert "pull_request" in storage["if"] and "refs/heads/main" in storage["if"]
    assert "aws s3 sync site/" in storage["steps"][-1]["run"]
