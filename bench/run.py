#!/usr/bin/env python3
"""Benchmark: build N generated reports, or a folder of real texts, and print Markdown tables.

    python bench/run.py 100 1000 [3000] [--seed 7] [--out bench/out]
        [--properdocs /path/to/properdocs] [--zensical /path/to/zensical]
    python bench/run.py --corpus DIR [--corpus DIR2 ...] [--baseline REF] [--out bench/out] [--query 改革 ...]

With --corpus, each DIR (any folder of .txt files, e.g. a sample of the news
corpus, ../shared/corpora/README.md) is copied into a project copy as its
corpus/ (the project's curation data beside it, unless DIR has its own) and
measured the same way: full build, no-op rebuild, one report changed.
--baseline REF measures the code at a git ref (its committed files) on the same
corpora in the same run, before this checkout: a before/after comparison.

Definitions (issue 12), printed under the table:

* text: the corpus decoded (reading_room.decode), as UTF-8 bytes;
* site: the sum of the sizes of the files under site/; pages: its .html files;
* peak memory: the largest sum of resident memory (RSS) over the build's whole
  process tree, sampled from /proc every 0.2 s (the proportional set size,
  which counts pages a forked worker shares with its parent once, is kept too);
* per document: full build seconds / documents;
* where the bytes go: the size of each top-level folder of site/ (the files at
  its root together) as a multiple of the text;
* home + one search: everything a browser receives, uncompressed, cold cache,
  to open the home page and run one query of 2-4 characters: the home page's
  HTML with the style sheets, scripts and icon it links, then what
  docs/assets/search.js fetches for the query: search/meta.json, the key shards
  of its character pairs, and the rows (URL, title) and texts of the results on
  screen.

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
import gzip
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate_corpus  # noqa: E402
from reading_room.decode import DecodeError, decode_bytes  # noqa: E402
from reading_room.publish import site_size  # noqa: E402
from reading_room.cache import CACHE_DIR  # noqa: E402
from reading_room.search import (AUTO_CHECK, INDEX_DIR, fnv1a, normalize, part_path, term_chains,  # noqa: E402
                                  term_reports, unpack)
from reading_room.settings import DATA_FILES  # noqa: E402
from reading_room.site import GENERATED_DIRS, GENERATED_FILES  # noqa: E402

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


def _memory(p: int) -> tuple[int, int]:
    """(resident set size, proportional set size) of one process in bytes. The PSS counts
    pages it shares with others (a forked worker shares most of its parent's) once across
    them, not once per process; the RSS counts them in every process."""
    rss = pss = 0
    try:
        with open(f"/proc/{p}/statm") as f:
            rss = int(f.read().split()[1]) * PAGE
    except OSError:
        return 0, 0
    try:
        with open(f"/proc/{p}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
    except OSError:
        pss = rss
    return rss, pss


PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.2


def _tree_memory(pid: int) -> tuple[int, int]:
    """Memory of the process tree: the sums of its processes' RSS and PSS."""
    tree, rss, pss, todo = _children(), 0, 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(tree.get(p, []))
        r, s = _memory(p)
        rss, pss = rss + r, pss + s
    return rss, pss


@dataclass
class Run:
    seconds: float
    rss: int  # peak of the tree's summed RSS
    pss: int  # peak of the tree's summed PSS
    cpu: float = 0.0  # user + system seconds of the command and every process it waited for


def run(cmd: list[str], cwd: Path, log: Path) -> Run:
    """Time a command, sampling its process tree's memory; raises if the command failed."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "ab") as out:
        out.write(f"$ {' '.join(map(str, cmd))}\n".encode())
        out.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        peak = [0, 0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                rss, pss = _tree_memory(proc.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                stop.wait(SAMPLE_SECONDS)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        code = proc.wait()
        stop.set()
        thread.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if code:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({code}); see {log}")
    return Run(seconds, peak[0], peak[1], cpu)


def _copy_code(target: Path, source: Path = ROOT) -> None:
    """The project's code, configuration and hand-written docs (from ``source``: this
    checkout, or a --baseline export) into ``target`` (no corpus)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.name in SKIP or item.name.startswith(".site"):
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, target / item.name)
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    (target / "docs").mkdir()
    for item in (source / "docs").iterdir():
        if item.name in GENERATED:
            continue
        if item.is_dir():
            shutil.copytree(item, target / "docs" / item.name)
        else:
            shutil.copy2(item, target / "docs" / item.name)


def corpus_project(target: Path, corpus: Path, source: Path = ROOT) -> Path:
    """A project copy whose corpus/ is a copy of ``corpus`` (copied, never linked: the
    benchmark edits one file), with the project's curation data where it has none."""
    _copy_code(target, source)
    shutil.copytree(corpus, target / "corpus", copy_function=shutil.copyfile)
    for name in DATA_FILES:
        if not (target / "corpus" / name).exists() and (source / "corpus" / name).exists():
            shutil.copyfile(source / "corpus" / name, target / "corpus" / name)
    return target


def export(ref: str, target: Path) -> Path:
    """The project as it was at git ``ref`` (its committed files), for a before/after run."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def make_project(target: Path, n: int, seed: int) -> Path:
    _copy_code(target)
    generate_corpus.generate(n, target / "corpus", seed=seed)
    return target


def _our_markdown_extensions() -> list:
    """The baseline converts Markdown as our site does: the same extensions and options."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return config.get("markdown_extensions") or []


def plain_project(project: Path, target: Path) -> Path:
    """MkDocs + Material + search (zh, jieba) over the same reports, every page in the nav: each
    report's cleaned text (data/texts.jsonl.gz) as a Markdown page, its title and its headings
    (reports.json.gz) as Markdown headings — what a plain MkDocs site of these texts would be."""
    if target.exists():
        shutil.rmtree(target)
    (target / "docs" / "reports").mkdir(parents=True)
    data = project / "docs" / "data"
    reports = {r["id"]: r for r in json.loads(gzip.decompress((data / "reports.json.gz").read_bytes()))}
    names = []
    for line in gzip.decompress((data / "texts.jsonl.gz").read_bytes()).decode("utf-8").splitlines():
        item = json.loads(line)
        report = reports[item["id"]]
        levels = {h["text"]: h["level"] for h in report.get("headings", [])}
        title, *blocks = item["text"].split("\n\n")
        page = [f"# {title}"] + [f"{'#' * levels[b]} {b}" if b in levels else b for b in blocks]
        (target / "docs" / "reports" / f"{item['id']}.md").write_text("\n\n".join(page) + "\n", encoding="utf-8")
        names.append(f"{item['id']}.md")
    names.sort()
    (target / "docs" / "index.md").write_text("# 报告\n\n" + "".join(
        f"- [{name[:-3]}](reports/{name})\n" for name in names), encoding="utf-8")
    nav = "".join(f"      - 'reports/{name}'\n" for name in names)
    (target / "mkdocs.yml").write_text(
        "site_name: plain\n"
        "theme:\n  name: material\n  language: zh\n"
        "markdown_extensions: " + json.dumps(_our_markdown_extensions()) + "\n"
        "plugins:\n  - search:\n      lang: zh\n"
        "nav:\n  - index.md\n  - 报告:\n" + nav,
        encoding="utf-8")
    return target


def du(path: Path) -> int:
    """The bytes a host counts: the size the build itself prints (publish.site_size)."""
    return site_size(path)[0]


def median_page(site: Path) -> int:
    sizes = [p.stat().st_size for p in site.rglob("*.html")]
    return int(statistics.median(sizes)) if sizes else 0


def touch_report(corpus: Path) -> Path:
    """Change one report's text, keeping its encoding."""
    files = sorted(corpus.rglob("*.txt"))
    path = files[len(files) // 2]
    generate_corpus.rewrite_report(path, lambda text: text + "\n这一段是基准测试为检验增量构建而追加的文字，只改变这一篇报告。\n")
    return path


def text_bytes(corpus: Path) -> tuple[int, int]:
    """(documents, bytes of their decoded text as UTF-8); files that do not decode are left out,
    as the build skips them."""
    docs = total = 0
    for path in sorted(corpus.rglob("*.txt")):
        try:
            text = decode_bytes(path.read_bytes()).text
        except DecodeError:
            continue
        docs += 1
        total += len(text.encode("utf-8"))
    return docs, total


def site_parts(site: Path) -> dict[str, int]:
    """Bytes per top-level folder of the site; the files at its root together as "(root)"."""
    parts: dict[str, int] = {}
    for path in site.rglob("*"):
        if path.is_file():
            rel_parts = path.relative_to(site).parts
            key = rel_parts[0] + "/" if len(rel_parts) > 1 else "(root)"
            parts[key] = parts.get(key, 0) + path.stat().st_size
    return dict(sorted(parts.items(), key=lambda kv: -kv[1]))


_LINKED = re.compile(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)"[^>]*>', re.I)
_REL = re.compile(r'\brel="([^"]+)"', re.I)
DEFAULT_QUERIES = ("发展", "改革", "高质量", "乡村振兴")
PAGE_RESULTS = 10  # search.js: results on screen before "显示更多"


def home_files(site: Path) -> list[Path]:
    """The home page and the local style sheets, scripts and icons it links: what a browser
    fetches to show it."""
    home = site / "index.html"
    page = home.read_text(encoding="utf-8")
    files = [home]
    for match in _LINKED.finditer(page):
        tag, url = match.group(0), match.group(1)
        if tag.lower().startswith("<link"):
            rel_attr = (_REL.search(tag) or [None, ""])[1].lower()
            if not ({"stylesheet", "icon", "modulepreload"} & set(rel_attr.split())):
                continue
        if re.match(r"^[a-z]+:|^//", url, re.I):
            continue  # not from this site: no such request is expected (fonts are off)
        path = (site / url.split("?")[0].split("#")[0]).resolve()
        if path.is_file() and path not in files:
            files.append(path)
    return files


def home_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in home_files(site))


def search_files(site: Path, query: str) -> list[Path]:
    """What docs/assets/search.js fetches for ``query`` (one term) from a cold cache:
    meta.json, the shards of the term's keys (search.term_chains), then the rows (d/) and
    texts (t/) of the results on screen: the first ten candidates (reports are numbered
    newest first), and every candidate the index is not sure of when the box confirms
    them all at once (at most AUTO_CHECK)."""
    root = site / INDEX_DIR
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    files = [root / "meta.json"]
    q = normalize(query)
    grams = meta.get("grams", [0, 2])
    shards: dict[int, dict] = {}

    def value_of(key: str):
        n = fnv1a(key) % meta["shards"]
        if n not in shards:
            path = root / part_path("k", n)
            shards[n] = json.loads(unpack(path.read_bytes()))
            files.append(path)
        return shards[n].get(key)

    for chain in term_chains(q, grams[1]):  # every prefix is fetched, as the box does, in parallel
        for key in chain:
            value_of(key)
    candidates, exact = term_reports(q, value_of, meta["docs"], *grams)  # then pairs, if not sure
    unsure = [] if exact else candidates
    shown = sorted(set(candidates[:PAGE_RESULTS]) | set(unsure if len(unsure) <= AUTO_CHECK else ()))
    rows: dict[int, list] = {}
    for n in shown:
        if n // meta["rows"] not in rows:
            path = root / part_path("d", n // meta["rows"])
            rows[n // meta["rows"]] = json.loads(unpack(path.read_bytes()))
            files.append(path)
    for n in shown:
        doc_id = rows[n // meta["rows"]][n % meta["rows"]][0].rstrip("/").split("/")[-1] or "index"
        files.append(root / part_path("t", doc_id))
    return files


def search_bytes(site: Path, query: str) -> int:
    return sum(p.stat().st_size for p in search_files(site, query))


def measure_site(project: Path, row: dict, queries) -> None:
    site = project / "site"
    row["site"] = du(site)
    row["pages"] = sum(1 for _ in site.rglob("*.html"))
    row["median_kb"] = median_page(site) / 1e3
    row["parts"] = site_parts(site)
    try:
        home = home_bytes(site)
        row["search"] = {q: home + search_bytes(site, q) for q in queries}
    except (OSError, KeyError, ValueError) as err:  # another search index layout: say so, go on
        print(f"home + one search not measured: {err!r}", file=sys.stderr)
        row["search"] = {}


def measure_builds(project: Path, row: dict, log: Path, queries) -> None:
    """Full build (no cache, no site), no-op rebuild, one report changed; site figures
    from the full build."""
    py, label = sys.executable, row["label"]
    print(f"[{label}] full build", file=sys.stderr, flush=True)
    row["full"] = run([py, "build.py"], project, log)
    measure_site(project, row, queries)
    print(f"[{label}] no-op rebuild", file=sys.stderr, flush=True)
    row["noop"] = run([py, "build.py"], project, log)
    touch_report(project / "corpus")
    print(f"[{label}] one-report rebuild", file=sys.stderr, flush=True)
    row["one"] = run([py, "build.py"], project, log)


def bench_corpus(corpus: Path, args, source: Path = ROOT, ref: str = "") -> dict:
    corpus = corpus.resolve()
    out = args.out / ("corpus-" + corpus.name + (f"@{ref}" if ref else ""))
    out.mkdir(parents=True, exist_ok=True)
    log = out / "log.txt"
    log.write_text("")
    row: dict = {"label": corpus.name + (f" @ {ref}" if ref else ""), "out": out}
    row["docs"], row["text"] = text_bytes(corpus)
    project = corpus_project(out / "project", corpus, source)
    measure_builds(project, row, log, args.query)
    return row


def bench(n: int, args) -> dict:
    out = args.out / str(n)
    out.mkdir(parents=True, exist_ok=True)
    log = out / "log.txt"
    log.write_text("")
    project = make_project(out / "project", n, args.seed)
    py = sys.executable
    row: dict = {"n": n, "label": f"generated {n:,}"}
    row["docs"], row["text"] = text_bytes(project / "corpus")
    measure_builds(project, row, log, args.query)
    victim = sorted((project / "corpus").glob("*.txt"))[0]
    victim.unlink()
    print(f"[{n}] one report removed", file=sys.stderr, flush=True)
    row["removed"] = run([py, "build.py"], project, log).seconds
    victim_id = victim.stem
    row["removed_ok"] = not (project / "site" / "reports" / victim_id).exists() and not (
        project / "docs" / "reports" / victim_id / "index.html").exists()
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
        row["plain"] = run([py, "-m", "mkdocs", "build", "-q"], plain, log).seconds
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
        row[name] = run(cmd, project, log).seconds
    except RuntimeError as err:
        print(err, file=sys.stderr)
        row[name] = None
        return
    ours, theirs = html_pages(project / "site"), html_pages(site)
    row[name + "_pages"] = "same pages" if ours == theirs else (
        f"{len(ours - theirs)} missing, {len(theirs - ours)} extra of {len(ours):,}")


def _size(v: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if v >= scale:
            return f"{v / scale:.{1 if v < 10 * scale else 0}f} {unit}"
    return f"{v:.0f} B"


def _s(v) -> str:
    return "–" if v is None else f"{v:.1f} s"


def _t(r: Run) -> str:
    """Wall time, and the CPU time it took (steadier on a shared machine)."""
    return f"{r.seconds:.1f} s (CPU {r.cpu:.0f} s)"


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{date.today().isoformat()}, {platform.system()} {platform.machine()}, {os.cpu_count()} cores"
            f"{' (' + cpu + ')' if cpu else ''}, {mem:.0f} GB RAM, Python {platform.python_version()}")


def issue_table(rows: list[dict]) -> str:
    """The table of issue 12: one row per corpus."""
    head = ["corpus", "docs", "text", "full build", "no-op rebuild", "one changed", "peak memory (RSS, all processes)",
            "site", "site / text", "pages", "per document", "home + one search"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for r in rows:
        runs = [r["full"], r["noop"], r["one"]]
        rss, pss = max(x.rss for x in runs), max(x.pss for x in runs)
        search = r.get("search") or {}
        lines.append("| " + " | ".join([
            r["label"], f"{r['docs']:,}", _size(r["text"]), _t(r["full"]), _t(r["noop"]),
            _t(r["one"]), f"{rss / 1e9:.2f} GB (PSS {pss / 1e9:.2f})", _size(r["site"]),
            f"{r['site'] / r['text']:.1f}×", f"{r['pages']:,}",
            f"{r['full'].seconds / max(r['docs'], 1) * 1e3:.1f} ms (CPU {r['full'].cpu / max(r['docs'], 1) * 1e3:.1f} ms)",
            (f"{_size(max(search.values()))} (max of {len(search)})" if search else "–"),
        ]) + " |")
    return "\n".join(lines)


def parts_table(rows: list[dict]) -> str:
    """Where the bytes go: each top-level folder of site/ as a multiple of the text."""
    names: list[str] = []
    for r in rows:
        names.extend(n for n in r["parts"] if n not in names)
    lines = ["| site/ | " + " | ".join(r["label"] for r in rows) + " |", "|---|" + "---:|" * len(rows)]
    for name in names:
        cells = []
        for r in rows:
            v = r["parts"].get(name)
            cells.append("–" if v is None else f"{v / r['text']:.2f}× ({_size(v)})")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines.append("| **all** | " + " | ".join(f"**{r['site'] / r['text']:.2f}×** ({_size(r['site'])})" for r in rows) + " |")
    return "\n".join(lines)


def search_table(rows: list[dict]) -> str:
    queries: list[str] = []
    for r in rows:
        queries.extend(q for q in (r.get("search") or {}) if q not in queries)
    if not queries:
        return ""
    lines = ["| home + one search | " + " | ".join(r["label"] for r in rows) + " |", "|---|" + "---:|" * len(rows)]
    for q in queries:
        lines.append(f"| {q} | " + " | ".join(_size(r["search"][q]) if q in (r.get("search") or {}) else "–"
                                               for r in rows) + " |")
    return "\n".join(lines)


def generated_table(rows: list[dict], args) -> str:
    """The generated-corpus table: rebuild kinds, the plain MkDocs baseline, other engines."""
    def mb(v):
        return "–" if v is None else f"{v / 1e6:.0f} MB"

    head = ["reports", "full build", "no-op rebuild", "one report changed", "one report removed",
            "plain MkDocs+Material+jieba", "full / plain", "one / full", "peak memory (PSS)",
            "site size", "median page"]
    if args.properdocs:
        head.append("ProperDocs build")
    if args.zensical:
        head.append("Zensical build")
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in rows:
        full, noop, one = r["full"].seconds, r["noop"].seconds, r["one"].seconds
        cells = [f"{r['n']:,}", _s(full), _s(noop), _s(one),
                 _s(r["removed"]) + ("" if r["removed_ok"] else " (page left!)"), _s(r.get("plain")),
                 f"{full / r['plain']:.2f}" if r.get("plain") else "–",
                 f"{one / full:.2f}",
                 mb(max(r["full"].pss, r["noop"].pss, r["one"].pss)),
                 f"{r['site'] / 1e6:.0f} MB ({r['pages']:,} pages)", f"{r['median_kb']:.1f} kB"]
        for engine in ("properdocs", "zensical"):
            if getattr(args, engine):
                cells.append(_s(r.get(engine)) + (f" ({r[engine + '_pages']})" if r.get(engine + "_pages") else ""))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


DEFINITIONS = (
    "text: the corpus decoded, as UTF-8 bytes. site: the sum of the sizes of the files under site/; pages: its "
    ".html files. Peak memory: the largest sum of RSS over the build's whole process tree (sampled every "
    f"{SAMPLE_SECONDS} s; PSS, which counts pages shared by forked workers once, in brackets), the largest of the "
    "three builds. Times: wall clock (CPU: user + system time of the build and every process it waited "
    "for, which a busy machine disturbs less). Per document: full build / docs. Home + one search: the home page's HTML with the CSS, JS and "
    "icon it links, plus what search.js fetches for one query (meta.json, the key shards of its pairs, the rows and texts "
    f"of the first {PAGE_RESULTS} results), uncompressed, cold cache; the largest over the queries "
    "(listed below)."
)


def report(rows: list[dict], args) -> str:
    out = [issue_table(rows), "", parts_table(rows)]
    search = search_table(rows)
    if search:
        out += ["", search]
    generated = [r for r in rows if "n" in r]
    if generated:
        out += ["", generated_table(generated, args)]
    out += ["", f"{machine()}. {DEFINITIONS}"]
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sizes", type=int, nargs="*", help="numbers of generated reports (default 100 1000 "
                   "when no --corpus is given)")
    p.add_argument("--corpus", type=Path, action="append", default=[],
                   help="a folder of texts to measure as it is (repeatable)")
    p.add_argument("--query", action="append", default=None,
                   help=f"queries for 'home + one search' (repeatable; default {' '.join(DEFAULT_QUERIES)})")
    p.add_argument("--baseline", metavar="REF",
                   help="also measure the code at this git ref (e.g. main) on each --corpus, in the same run")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    p.add_argument("--properdocs", help="a properdocs executable (its own venv, with mkdocs-material)")
    p.add_argument("--zensical", help="a zensical executable")
    p.add_argument("--no-plain", action="store_true", help="skip the plain MkDocs baseline")
    p.add_argument("--keep", action="store_true", help="keep the project copies under --out")
    args = p.parse_args(argv)
    args.out = args.out.resolve()
    args.query = tuple(args.query or DEFAULT_QUERIES)
    sizes = args.sizes or ([] if args.corpus else [100, 1000])
    rows = []
    sources = [(ROOT, "")]
    if args.baseline:
        sources.insert(0, (export(args.baseline, args.out / "baseline-code"), args.baseline))
    for corpus in args.corpus:
        if not corpus.is_dir():
            p.error(f"--corpus {corpus}: not a folder")
        for source, ref in sources:
            rows.append(bench_corpus(corpus, args, source, ref))
            print(report(rows, args), file=sys.stderr, flush=True)
            if not args.keep:
                shutil.rmtree(rows[-1]["out"] / "project", ignore_errors=True)
    for n in sizes:
        rows.append(bench(n, args))
        print(report(rows, args), file=sys.stderr, flush=True)
        if not args.keep:
            shutil.rmtree(args.out / str(n) / "plain", ignore_errors=True)
    print(report(rows, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
