#!/usr/bin/env python3
"""Measure the site's search: recall, precision, bytes per query, time to first result.

    python bench/search_quality.py                       # build corpus/ into bench/out/sample, measure
    python bench/search_quality.py --generate 1000       # generated corpus of 1,000 reports
    python bench/search_quality.py --site site           # a site already built
    python bench/search_quality.py --generate 1000 --pagefind   # also Pagefind 1.6.0 (npm ci --prefix bench first)

The query set mixes formulations from the slogan index, words, parts of words,
phrases and strings absent from the corpus. The ground truth is computed here,
independently of the search code: a report matches when one of its headings or
paragraphs, in the built HTML, contains the query (white space ignored, Latin
letters in lower case).

Each query runs in headless Chromium (Debian's /usr/bin/chromium) against the
site served on 127.0.0.1:

* recall and precision of what the search box lists (``candidates``: every
  report holding all the query's character pairs) and of what it shows once
  each result is confirmed against the report text (``shown``);
* bytes: a fresh browser (empty cache) opens a report page, presses "/",
  types the query and waits until the first screen of results has its
  passages: every byte the server sent for that (page, assets, search data);
* time to first result: from typing the query to the result count and first results on
  screen (the box waits 120 ms after the last keystroke before it searches);
* requests to any other host (there must be none).

With ``--pagefind`` the same queries go through Pagefind's own search API
(``pagefind.search`` then ``data()`` of every result, and of the first ten for
the bytes), after indexing the same site with bench/node_modules/.bin/pagefind.
"""
from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "tests"))

from browsing import ARGS as CHROMIUM_ARGS, CHROMIUM, SPACE, texts  # noqa: E402  (what the browser tests read)

# (kind, query). Formulations from the slogan index are added from data/slogans.json.
QUERIES = [
    ("formulation", "三会一课"), ("formulation", "不忘初心、牢记使命"), ("formulation", "四个意识"),
    ("formulation", "两个维护"), ("formulation", "四种形态"), ("formulation", "两学一做"),
    ("word", "堡垒"), ("word", "党员"), ("word", "疫情防控"), ("word", "政治轮训"), ("word", "管党治党"),
    ("word", "主题教育"), ("word", "党风廉政建设"), ("word", "形式主义"),
    ("sub-word", "初心"), ("sub-word", "会一"), ("sub-word", "轮训"), ("sub-word", "廉政"), ("sub-word", "评议"),
    ("sub-word", "治警"), ("sub-word", "堡"),
    ("phrase", "民主评议党员"), ("phrase", "战斗堡垒作用"), ("phrase", "评议党员"),
    ("phrase", "发挥党支部战斗堡垒作用"), ("phrase", "党员先锋模范作用"), ("phrase", "以案促改"),
    ("phrase", "严肃党内政治生活"),
    ("absent", "区块链"), ("absent", "人工智能治理"), ("absent", "乡村振兴示范带"), ("absent", "堡垒户"),
    ("absent", "三会两课"), ("absent", "量子计算"),
]

def normalize(text: str) -> str:
    return SPACE.sub("", text).lower()


# ---- the site ---------------------------------------------------------------------------------

def write_config(work: Path, docs: Path) -> Path:
    import yaml
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(ROOT / h) for h in config.get("hooks", [])]
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "docs" / "about.md", docs / "about.md")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(corpus: Path, work: Path) -> tuple[Path, float, float]:
    """Build ``corpus`` into ``work/site``; (site, whole build seconds, search index seconds).

    The build makes the search index in a second process, alongside other stages; its
    time is measured here on its own, a whole index from the converted (cached) reports."""
    from reading_room import cli, conversion, search
    site = work / "site"
    config = write_config(work, work / "docs")
    started = time.perf_counter()
    code = cli.main(["--corpus", str(corpus), "--docs", str(work / "docs"), "--site", str(site),
                     "--config", str(config), "--cache", str(work / "cache")])
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"build failed ({code})")
    reports = conversion.convert_corpus(corpus, work / "cache").reports
    started = time.perf_counter()
    search.index_files(reports)
    return site, seconds, time.perf_counter() - started


def generated_corpus(n: int, work: Path, seed: int) -> Path:
    corpus = work / "corpus"
    sys.path.insert(0, str(ROOT / "bench"))
    from generate_corpus import generate  # bench/generate_corpus.py
    generate(n, corpus, seed=seed)
    return corpus


def report_pages(site: Path) -> dict[str, Path]:
    return {f"reports/{p.parent.name}/": p for p in sorted((site / "reports").glob("*/index.html"))
            if "data-pagefind-body" in p.read_text(encoding="utf-8")}


def ground_truth(site: Path) -> dict[str, list[str]]:
    """url -> normalized blocks (headings and paragraphs) of every report page."""
    return {url: text.lower().split("\n") for url, text in texts(site).items()}


def query_set(site: Path) -> list[tuple[str, str]]:
    queries = list(QUERIES)
    slogans = site / "data" / "slogans.json"
    if slogans.exists():
        entries = json.loads(slogans.read_text(encoding="utf-8"))
        entries.sort(key=lambda e: (-e.get("reports", 0), e["slogan"]))
        have = {q for _, q in queries}
        for e in entries[:8]:
            if e["slogan"] not in have:
                queries.append(("formulation", e["slogan"]))
    return queries


# ---- serving and the browser -------------------------------------------------------------------

class Server:
    """http.server on 127.0.0.1 that counts the bytes it sends."""

    def __init__(self, site: Path):
        self.sent = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def copyfile(self, source, outputfile):
                data = source.read()
                outputfile.write(data)
                with outer.lock:
                    outer.sent += len(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.sent = 0

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def score(got: set[str], relevant: set[str]) -> tuple[int, int, int]:
    return len(got & relevant), len(got), len(relevant)


def measure_box(browser, server: Server, page_url: str, query: str, foreign: list[str]) -> tuple[int, float]:
    """Bytes and ms to first result: fresh context, open a report page, '/', type, first screen confirmed."""
    context = browser.new_context()
    page = context.new_page()
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1",) and
            not r.url.startswith("data:") else None)
    server.reset()
    page.goto(server.base + page_url, wait_until="load")
    page.keyboard.press("/")
    page.wait_for_selector("#rr-search-input:focus")
    page.evaluate("""() => {
        const meta = document.querySelector('#rr-search-result .md-search-result__meta');
        window.__typed = performance.now();
        new MutationObserver((_, obs) => {
            if (/篇报告|没有报告/.test(meta.textContent)) { window.__listed = performance.now(); obs.disconnect(); }
        }).observe(meta, {childList: true, characterData: true, subtree: true}); }""")
    page.keyboard.insert_text(query)
    page.wait_for_function("() => window.__listed !== undefined")
    first = page.evaluate("() => window.__listed - window.__typed")
    page.wait_for_function(
        """() => [...document.querySelectorAll('#rr-search-result .md-search-result__item:not(.rr-more)')]
                 .every(li => li.classList.contains('rr-confirmed'))""", timeout=60_000)
    page.wait_for_load_state("networkidle")
    sent = server.sent
    context.close()
    return sent, first


def measure_pagefind(browser, server: Server, page_url: str, query: str, everything: bool):
    context = browser.new_context()
    page = context.new_page()
    server.reset()
    page.goto(server.base + page_url, wait_until="load")
    started = time.perf_counter()
    urls = page.evaluate(
        """async ([q, all]) => { const pf = await import('/pagefind/pagefind.js'); await pf.init();
             const r = await pf.search(q); const take = all ? r.results : r.results.slice(0, 10);
             const d = await Promise.all(take.map(x => x.data())); return d.map(x => x.url); }""",
        [query, everything])
    ms = (time.perf_counter() - started) * 1000
    sent = server.sent
    context.close()
    return {u.lstrip("/") for u in urls}, sent, ms


def run(site: Path, use_pagefind: bool, page_url: str | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    truth_blocks = ground_truth(site)
    urls = sorted(truth_blocks)
    sizes = sorted((p.stat().st_size, u) for u, p in report_pages(site).items())
    median_size = statistics.median(s for s, _ in sizes)
    page_url = page_url or sizes[len(sizes) // 2][1]  # the median report page
    queries = query_set(site)
    server = Server(site)
    rows, foreign = [], []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.goto(server.base + page_url)
            for kind, q in queries:
                nq = normalize(q)
                relevant = {u for u in urls if any(nq in b for b in truth_blocks[u])}
                cands = set(page.evaluate("q => window.readingRoomSearch.candidates(q)", q))
                shown = set(page.evaluate("q => window.readingRoomSearch.confirmed(q)", q))
                sent, first = measure_box(browser, server, page_url, q, foreign)
                row = {"kind": kind, "query": q, "relevant": len(relevant),
                       "candidates": score(cands, relevant), "shown": score(shown, relevant),
                       "bytes": sent, "first_ms": first}
                if use_pagefind:
                    got, _, _ = measure_pagefind(browser, server, page_url, q, True)
                    _, pf_sent, pf_ms = measure_pagefind(browser, server, page_url, q, False)
                    row["pagefind"] = score(got, relevant)
                    row["pagefind_bytes"], row["pagefind_ms"] = pf_sent, pf_ms
                rows.append(row)
            browser.close()
    finally:
        server.close()
    return {"site": str(site), "reports": len(urls), "page": page_url, "median_report_html": median_size,
            "queries": rows, "foreign_requests": sorted(set(foreign))}


def totals(rows: list[dict], key: str) -> tuple[float, float]:
    tp = sum(r[key][0] for r in rows)
    got = sum(r[key][1] for r in rows)
    rel = sum(r[key][2] for r in rows)
    return (tp / rel if rel else 1.0), (tp / got if got else 1.0)


def print_report(result: dict, extra: dict) -> None:
    rows = result["queries"]
    pf = "pagefind" in rows[0] if rows else False
    print(f"site: {result['site']} — {result['reports']} report pages; measured from {result['page']}")
    head = f"{'kind':<12}{'query':<16}{'has':>5} {'listed':>11} {'shown':>11} {'KB':>7} {'1st ms':>7}"
    if pf:
        head += f" {'pagefind':>11} {'pf KB':>7} {'pf ms':>7}"
    print(head)
    for r in rows:
        c, s = r["candidates"], r["shown"]
        line = (f"{r['kind']:<12}{r['query']:<{16 - sum(1 for ch in r['query'] if ord(ch) > 0x2e80)}}"
                f"{r['relevant']:>5} {c[0]:>5}/{c[1]:<5} {s[0]:>5}/{s[1]:<5} {r['bytes'] / 1024:>7.0f} {r['first_ms']:>7.0f}")
        if pf:
            g = r["pagefind"]
            line += f" {g[0]:>5}/{g[1]:<5} {r['pagefind_bytes'] / 1024:>7.0f} {r['pagefind_ms']:>7.0f}"
        print(line)
    print("(has: reports containing the query; listed/shown: right/returned)")
    for key, label in (("candidates", "listed (before confirming)"), ("shown", "shown (confirmed)")) + (
            (("pagefind", "Pagefind 1.6.0"),) if pf else ()):
        recall, precision = totals(rows, key)
        print(f"{label:<28} recall {recall:7.2%}   precision {precision:7.2%}")
    kb = [r["bytes"] / 1024 for r in rows]
    ms = [r["first_ms"] for r in rows]
    print(f"bytes per query (page + assets + search data): median {statistics.median(kb):.0f} KB, max {max(kb):.0f} KB")
    print(f"time to first result: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms")
    if pf:
        kb = [r["pagefind_bytes"] / 1024 for r in rows]
        print(f"Pagefind bytes per query (first 10 results): median {statistics.median(kb):.0f} KB, max {max(kb):.0f} KB")
    print(f"median report page HTML: {result['median_report_html'] / 1024:.1f} KB")
    for k, v in extra.items():
        print(f"{k}: {v}")
    print("requests to other hosts: " + (", ".join(result["foreign_requests"]) or "none"))


def index_with_pagefind(site: Path) -> float:
    binary = ROOT / "bench" / "node_modules" / ".bin" / "pagefind"
    if not binary.exists():
        raise SystemExit("--pagefind needs Pagefind from npm: run `npm ci --prefix bench`")
    started = time.perf_counter()
    subprocess.run([str(binary), "--site", str(site)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="measure this built site (else build one)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="corpus to build (default corpus/)")
    ap.add_argument("--generate", type=int, metavar="N", help="build a generated corpus of N reports instead")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, help="build folder (default bench/out/<name>)")
    ap.add_argument("--pagefind", action="store_true", help="also measure Pagefind 1.6.0 on the same site")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium")
    extra = {}
    if args.site:
        site = args.site
    else:
        work = args.work or ROOT / "bench" / "out" / (f"gen{args.generate}" if args.generate else "sample")
        work.mkdir(parents=True, exist_ok=True)
        corpus = generated_corpus(args.generate, work, args.seed) if args.generate else args.corpus
        site, seconds, index_seconds = build(corpus, work)
        extra["build time (whole build)"] = f"{seconds:.1f} s"
        extra["search index time (reading_room/search.py)"] = f"{index_seconds:.1f} s"
        extra["search index size"] = (f"{sum(f.stat().st_size for f in (site / 'search' / 'k').iterdir()) / 1024:.0f} KB "
                                      f"keys + {sum(f.stat().st_size for f in (site / 'search' / 't').iterdir()) / 1024:.0f} KB texts")
    if args.pagefind:
        extra["Pagefind 1.6.0 index time"] = f"{index_with_pagefind(site):.1f} s"
    result = run(site, args.pagefind)
    print_report(result, extra)
    if args.json:
        args.json.write_text(json.dumps({**result, **extra}, ensure_ascii=False, indent=1), encoding="utf-8")
    recall, precision = totals(result["queries"], "shown")
    return 0 if recall >= 0.99 and precision >= 0.90 and not result["foreign_requests"] else 1


if __name__ == "__main__":
    sys.exit(main())
