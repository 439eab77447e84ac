"""Time from typing to the first result on screen, in headless Chromium, on a built site.

    python bench/search_timing.py SITE [--query Q ...] [--runs 5] [--json FILE]

SITE (a built ``site/``) is served on 127.0.0.1. For each query and run, a new
browser context (empty cache) opens the home page and the search box (which loads
``search/meta.json``), then the query is put into the box as one input event, as an
input method commits it ("cold"); then the box is cleared and the same query put in
again on the same page ("warm": the index files it needs are already loaded). Times
are from that input event (a capturing listener takes ``performance.now()``) to:

* ``row``: the first result row in the list (its title, as a MutationObserver sees it
  inserted),
* ``paint``: that row's title painted (Element Timing's renderTime, the attribute set
  by this script as the row is inserted),
* ``passage``: the first result's passage shown (the row confirmed against its text),
* ``count``: the count line final (no "正在核对").

Median over the runs, in milliseconds; the request count and bytes of the cold search
(everything fetched from the input event on) are reported too.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browsing import ARGS, CHROMIUM  # noqa: E402

QUERIES = ("发展", "改革", "高质量", "乡村振兴", "三会一课", "量子通信")

PROBE = """() => {
  window.__rr = {};
  document.addEventListener('input', e => {
    if (e.target.id === 'rr-search-input') window.__rr = { t0: performance.now() };
  }, true);
  const list = document.querySelector('#rr-search-result .md-search-result__list');
  new MutationObserver(() => {
    const r = window.__rr;
    if (r.t0 === undefined) return;
    const li = list.querySelector('.md-search-result__item[data-url]');
    if (li && r.row === undefined) {
      r.row = performance.now();
      const h = li.querySelector('h1');
      if (h) h.setAttribute('elementtiming', 'rr-first');
    }
    if (r.passage === undefined && list.querySelector('.rr-confirmed .rr-passage')) r.passage = performance.now();
  }).observe(list, { childList: true, subtree: true, attributes: true });
  const meta = document.querySelector('#rr-search-result .md-search-result__meta');
  new MutationObserver(() => {
    const r = window.__rr, t = meta.textContent;
    if (r.t0 !== undefined && /篇|没有报告/.test(t) && !/正在/.test(t)) { r.count = performance.now(); r.text = t; }
  }).observe(meta, { childList: true, subtree: true, characterData: true });
  new PerformanceObserver(l => {
    for (const e of l.getEntries()) if (e.identifier === 'rr-first' && window.__rr.paint === undefined)
      window.__rr.paint = e.renderTime || e.loadTime;
  }).observe({ type: 'element', buffered: true });
}"""

DONE = """() => { const r = window.__rr; return r.row !== undefined && r.paint !== undefined
  && r.count !== undefined && (r.passage !== undefined || /没有报告/.test(r.text || '')); }"""
DONE_EMPTY = """() => { const r = window.__rr; return r.count !== undefined && /没有报告/.test(r.text || ''); }"""


@contextmanager
def serve(site: Path):
    """``python -m http.server`` on 127.0.0.1 in its own process (not a thread of this one,
    which drives the browser); yields the base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


def once(pg, query: str) -> dict:
    pg.fill("#rr-search-input", "")
    pg.wait_for_timeout(300)
    pg.evaluate("() => { window.__rr = {}; }")
    pg.keyboard.insert_text(query)
    pg.wait_for_function(f"() => ({DONE})() || ({DONE_EMPTY})()", timeout=60_000)
    pg.wait_for_timeout(100)  # a late count change (a result dropped) is taken too
    r = pg.evaluate("() => window.__rr")
    return {k: (round(r[k] - r["t0"], 1) if k in r else None) for k in ("row", "paint", "passage", "count")} | \
        {"text": r.get("text", "")}


def measure(site: Path, queries, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for query in queries:
            cold, warm, sizes = [], [], []
            for _ in range(runs):
                context = browser.new_context()
                pg = context.new_page()
                fetched: list = []
                pg.goto(base)
                pg.evaluate(PROBE)
                pg.keyboard.press("/")
                pg.wait_for_selector("select[data-facet='年份']", state="attached")
                pg.wait_for_timeout(200)
                pg.on("requestfinished", lambda r: fetched.append(r))
                cold.append(once(pg, query))
                size = 0
                for r in fetched:
                    s = r.sizes()
                    size += s["responseBodySize"]
                sizes.append((len(fetched), size))
                warm.append(once(pg, query))
                context.close()
            out[query] = {"cold": cold, "warm": warm, "requests": sizes[0][0], "bytes": sizes[0][1],
                          "text": cold[-1]["text"]}
            print(f"{query}: {summary(out[query])}", file=sys.stderr, flush=True)
        browser.close()
    return out


def med(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values)) if values else None


def summary(row: dict) -> str:
    def part(runs):
        return " / ".join(f"{k} {med([r[k] for r in runs])}" for k in ("row", "paint", "passage", "count"))
    return (f"cold {part(row['cold'])} | warm {part(row['warm'])} | {row['requests']} requests, "
            f"{row['bytes'] / 1000:.1f} KB | {row['text']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", action="append")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    result = {"site": str(args.site), "load": os.getloadavg()[0],
              "queries": measure(args.site, args.query or QUERIES, args.runs)}
    result["load_after"] = os.getloadavg()[0]
    print(f"load average {result['load']:.2f} -> {result['load_after']:.2f}")
    print("| query | cold: row / painted / passage / count (ms) | warm: row / painted / passage / count | "
          "cold requests, KB | count shown |")
    print("|---|---|---|---|---|")
    for q, row in result["queries"].items():
        def cells(runs):
            return " / ".join(str(med([r[k] for r in runs])) for k in ("row", "paint", "passage", "count"))
        print(f"| {q} | {cells(row['cold'])} | {cells(row['warm'])} | {row['requests']}, "
              f"{row['bytes'] / 1000:.1f} | {row['text']} |")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
