#!/usr/bin/env python3
"""Benchmark: build N generated reports and print a Markdown table.

    python bench/run.py 100 1000 [3000] [--seed 7] [--out bench/out]
        [--properdocs /path/to/properdocs] [--zensical /path/to/zensical]

For each N: a copy of this project (code, mkdocs.yml, overrides, hooks,
hand-written docs) is made under --out with a corpus of N reports made by
bench/generate_corpus.py, and these are timed, each with the peak memory of
the whole process tree (the build and its worker processes):

* full build: `python build.py` with no cache and no previous site;
* no-op rebuild: `python build.py` again, nothing changed;
* one-report rebuild: one report's text changed, `python build.py` again;
* one report removed: `python build.py` again (checked: its page is gone);
* plain MkDocs: MkDocs + Material with its search plugin (lang zh, jieba
  installed) over comparable pages: the generated docs/reports/*.md, with a
  nav listing every page;
* ProperDocs and Zensical (when their executables are given): building the
  generated docs/ of the project copy with them.

`python build.py` is run as it is, so whatever the build does (search index
included) is measured.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate_corpus  # noqa: E402
from reading_room.pipeline import CACHE_DIR  # noqa: E402
from reading_room.render import GENERATED_DIRS, GENERATED_FILES  # noqa: E402

SKIP = {".git", ".venv", "site", ".cache", CACHE_DIR, "bench", "node_modules", "corpus", "docs", "__pycache__",
        ".pytest_cache", ".hypothesis", "tests"}
GENERATED = {*GENERATED_DIRS, *GENERATED_FILES, "pagefind"}  # (docs/pagefind/: left by older builds)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _memory(p: int) -> int:
    """Proportional set size of one process: pages it shares with others (a forked
    worker shares most of its parent's) count once across them, not once per process."""
    try:
        with open(f"/proc/{p}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{p}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _tree_rss(pid: int) -> int:
    """Memory of the process tree: the sum of its processes' proportional set sizes."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(tree.get(p, []))
        total += _memory(p)
    return total


def run(cmd: list[str], cwd: Path, log: Path) -> tuple[float, int]:
    """(seconds, peak memory (PSS) of the process tree in bytes); raises if the command failed."""
    started = time.perf_counter()
    with open(log, "ab") as out:
        out.write(f"$ {' '.join(map(str, cmd))}\n".encode())
        out.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        peak = 0
        stop = threading.Event()

        def sample():
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_rss(proc.pid))
                stop.wait(0.1)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        code = proc.wait()
        stop.set()
        thread.join()
    seconds = time.perf_counter() - started
    if code:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({code}); see {log}")
    return seconds, peak


def make_project(target: Path, n: int, seed: int) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in ROOT.iterdir():
        if item.name in SKIP or item.name.startswith(".site"):
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, target / item.name)
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    (target / "docs").mkdir()
    for item in (ROOT / "docs").iterdir():
        if item.name in GENERATED:
            continue
        if item.is_dir():
            shutil.copytree(item, target / "docs" / item.name)
        else:
            shutil.copy2(item, target / "docs" / item.name)
    generate_corpus.generate(n, target / "corpus", seed=seed)
    return target


def _our_markdown_extensions() -> list:
    """The baseline converts Markdown as our site does: the same extensions and options."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return config.get("markdown_extensions") or []


def plain_project(project: Path, target: Path) -> Path:
    """MkDocs + Material + search (zh, jieba) over the same report pages, every page in the nav."""
    if target.exists():
        shutil.rmtree(target)
    (target / "docs" / "reports").mkdir(parents=True)
    pages = sorted((project / "docs" / "reports").glob("*.md"))
    for page in pages:
        # our pages tell engines to leave them out of their own search; the baseline indexes them
        text = page.read_text(encoding="utf-8").replace("search:\n  exclude: true\n", "", 1)
        (target / "docs" / "reports" / page.name).write_text(text, encoding="utf-8")
    (target / "docs" / "index.md").write_text("# 报告\n\n" + "".join(
        f"- [{p.stem}](reports/{p.name})\n" for p in pages), encoding="utf-8")
    nav = "".join(f"      - 'reports/{p.name}'\n" for p in pages)
    (target / "mkdocs.yml").write_text(
        "site_name: plain\n"
        "theme:\n  name: material\n  language: zh\n"
        "markdown_extensions: " + json.dumps(_our_markdown_extensions()) + "\n"
        "plugins:\n  - search:\n      lang: zh\n"
        "nav:\n  - index.md\n  - 报告:\n" + nav,
        encoding="utf-8")
    return target


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def median_page(site: Path) -> int:
    sizes = [p.stat().st_size for p in site.rglob("*.html")]
    return int(statistics.median(sizes)) if sizes else 0


def touch_report(corpus: Path) -> Path:
    """Change one report's text, keeping its encoding."""
    path = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    generate_corpus.rewrite_report(path, lambda text: text + "\n这一段是基准测试为检验增量构建而追加的文字，只改变这一篇报告。\n")
    return path


def bench(n: int, args) -> dict:
    out = args.out / str(n)
    out.mkdir(parents=True, exist_ok=True)
    log = out / "log.txt"
    log.write_text("")
    project = make_project(out / "project", n, args.seed)
    py = sys.executable
    row: dict = {"n": n}
    print(f"[{n}] full build", file=sys.stderr, flush=True)
    row["full"], row["full_mem"] = run([py, "build.py"], project, log)
    row["site_mb"] = du(project / "site") / 1e6
    row["median_kb"] = median_page(project / "site") / 1e3
    row["pages"] = sum(1 for _ in (project / "site").rglob("*.html"))
    print(f"[{n}] no-op rebuild", file=sys.stderr, flush=True)
    row["noop"], row["noop_mem"] = run([py, "build.py"], project, log)
    touch_report(project / "corpus")
    print(f"[{n}] one-report rebuild", file=sys.stderr, flush=True)
    row["one"], row["one_mem"] = run([py, "build.py"], project, log)
    victim = sorted((project / "corpus").glob("*.txt"))[0]
    victim.unlink()
    print(f"[{n}] one report removed", file=sys.stderr, flush=True)
    row["removed"], _ = run([py, "build.py"], project, log)
    victim_id = victim.stem
    row["removed_ok"] = not (project / "site" / "reports" / victim_id).exists() and not (
        project / "docs" / "reports" / f"{victim_id}.md").exists()
    if args.properdocs:
        print(f"[{n}] ProperDocs", file=sys.stderr, flush=True)
        engine_build(row, "properdocs", [args.properdocs, "build", "--site-dir", str(out / "site-properdocs")],
                     project, out / "site-properdocs", log)
    if args.zensical:
        print(f"[{n}] Zensical", file=sys.stderr, flush=True)
        # Zensical has no --site-dir and wants the config and site inside the project
        config = project / "mkdocs.zensical.yml"
        config.write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
            "\nsite_dir: site\n", "\nsite_dir: .site-zensical\n"), encoding="utf-8")
        engine_build(row, "zensical", [args.zensical, "build", "--clean", "-f", config.name],
                     project, project / ".site-zensical", log)
    if not args.no_plain:
        plain = plain_project(project, out / "plain")
        print(f"[{n}] plain MkDocs + Material + jieba", file=sys.stderr, flush=True)
        row["plain"], row["plain_mem"] = run([py, "-m", "mkdocs", "build", "-q"], plain, log)
        index = json.loads((plain / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
        indexed = {d["location"].split("#")[0] for d in index["docs"] if d["location"].startswith("reports/")}
        pages = len(list((plain / "docs" / "reports").glob("*.md")))
        if len(indexed) != pages:  # a baseline that skipped the text would not be comparable
            raise RuntimeError(f"the plain build indexed {len(indexed)} of {pages} report pages")
    return row


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def engine_build(row: dict, name: str, cmd: list[str], project: Path, site: Path, log: Path) -> None:
    """Time another engine on the generated docs/, and say whether it made the same pages."""
    try:
        row[name], _ = run(cmd, project, log)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        row[name] = None
        return
    ours, theirs = html_pages(project / "site"), html_pages(site)
    row[name + "_pages"] = "same pages" if ours == theirs else (
        f"{len(ours - theirs)} missing, {len(theirs - ours)} extra of {len(ours):,}")


def table(rows: list[dict], args) -> str:
    def s(v):
        return "–" if v is None else f"{v:.1f} s"

    def mb(v):
        return "–" if v is None else f"{v / 1e6:.0f} MB"

    head = ["reports", "full build", "no-op rebuild", "one report changed", "one report removed",
            "plain MkDocs+Material+jieba", "full / plain", "one / full", "peak memory (full)",
            "site size", "median page"]
    if args.properdocs:
        head.append("ProperDocs build")
    if args.zensical:
        head.append("Zensical build")
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in rows:
        cells = [f"{r['n']:,}", s(r["full"]), s(r["noop"]), s(r["one"]),
                 s(r["removed"]) + ("" if r["removed_ok"] else " (page left!)"), s(r.get("plain")),
                 f"{r['full'] / r['plain']:.2f}" if r.get("plain") else "–",
                 f"{r['one'] / r['full']:.2f}",
                 mb(max(r["full_mem"], r["noop_mem"], r["one_mem"])),
                 f"{r['site_mb']:.0f} MB ({r['pages']:,} pages)", f"{r['median_kb']:.1f} kB"]
        for engine in ("properdocs", "zensical"):
            if getattr(args, engine):
                cells.append(s(r.get(engine)) + (f" ({r[engine + '_pages']})" if r.get(engine + "_pages") else ""))
        lines.append("| " + " | ".join(cells) + " |")
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines.append("")
    lines.append(f"{date.today().isoformat()}, {platform.system()} {platform.machine()}, {os.cpu_count()} cores"
                 f"{' (' + cpu + ')' if cpu else ''}, {mem:.0f} GB RAM, Python {platform.python_version()}.")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sizes", type=int, nargs="*", default=[100, 1000])
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    p.add_argument("--properdocs", help="a properdocs executable (its own venv, with mkdocs-material)")
    p.add_argument("--zensical", help="a zensical executable")
    p.add_argument("--no-plain", action="store_true", help="skip the plain MkDocs baseline")
    p.add_argument("--keep", action="store_true", help="keep the project copies under --out")
    args = p.parse_args(argv)
    args.out = args.out.resolve()
    rows = []
    for n in args.sizes:
        rows.append(bench(n, args))
        print(table(rows, args), file=sys.stderr, flush=True)
        if not args.keep:
            shutil.rmtree(args.out / str(n) / "plain", ignore_errors=True)
    print(table(rows, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
