"""What the browser tests share: the reports' text as shown, a local server, the search box driven as a reader would."""
from __future__ import annotations

import contextlib
import functools
import html
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

SPACE = re.compile(r"[\s\u3000\ufeff\u200b]+")
BLOCK = re.compile(r"<(h[1-6]|p)\b[^>]*>(.*?)</\1>", re.S)


def texts(site: Path) -> dict[str, str]:
    """Report URL -> its headings and paragraphs as shown, white space removed, one block a line."""
    out = {}
    for path in sorted((site / "reports").glob("*/index.html")):
        page = path.read_text(encoding="utf-8")
        body = page[page.index("data-pagefind-body"):]
        body = re.sub(r'<div class="report-meta".*?</div>', "", body, flags=re.S)
        body = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", body, flags=re.S)
        blocks = [SPACE.sub("", html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))) for m in BLOCK.finditer(body)]
        out[f"reports/{path.parent.name}/"] = "\n".join(blocks)
    return out


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler, prefix: str = "/"):
    """``folder`` served on 127.0.0.1 (a free port) by ``handler``; yields the base URL
    (``prefix`` is the path the handler serves the site under)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}{prefix}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def search(pg, query: str) -> list[str]:
    """Type ``query`` into the box (opened with "/"); every listed report URL once all are confirmed."""
    if not pg.evaluate("document.getElementById('__search').checked"):
        pg.keyboard.press("/")
    pg.wait_for_selector("#rr-search-input:focus")
    pg.fill("#rr-search-input", "")
    pg.keyboard.insert_text(query)
    pg.wait_for_function(
        """q => { const m = document.querySelector('#rr-search-result .md-search-result__meta').textContent;
                  return m.includes('“' + q + '”'); }""", arg=query)
    while pg.locator(".rr-more__button").count():
        pg.click(".rr-more__button")
    pg.wait_for_function(
        """() => [...document.querySelectorAll('#rr-search-result .md-search-result__item:not(.rr-more)')]
                 .every(li => li.classList.contains('rr-confirmed'))""")
    return pg.eval_on_selector_all("#rr-search-result .md-search-result__item[data-url]",
                                   "items => items.map(li => li.dataset.url)")


class RangeHandler(QuietHandler):
    """A host that answers a Range request (bytes=a-b) with 206 and that part of the file, as
    GitHub Pages and most static hosts do (Python's own server sends the whole file)."""
    ranges: list[str] = []  # the Range headers it was sent

    def send_head(self):
        wanted = self.headers.get("Range", "")
        match = re.fullmatch(r"bytes=(\d+)-(\d+)", wanted)
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        RangeHandler.ranges.append(wanted)
        body = path.read_bytes()
        start, end = int(match.group(1)), min(int(match.group(2)), len(body) - 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        import io
        return io.BytesIO(body[start:end + 1])
