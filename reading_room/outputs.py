"""Every file the build writes under docs/, as (path under docs/, bytes or Deferred).

A page is Markdown (the pages in the navigation) or an ``HtmlPage``, which the theme's
shell (shell.py) makes a whole HTML page of.

A page made from one report or one index entry comes as a ``Deferred`` keyed by its view's
digest (views.py): ``writer.write_tree`` renders it only when what it shows changed. A data
file is keyed by what it is made from. Files come one at a time: the whole of docs/ (hundreds
of MB at thousands of reports) is never held in memory at once.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import cite, data, data_page, render, reuse as reuse_module, reuse_pages, search, views
from .cache import digest
from .html_page import HtmlPage
from .index import Index, IndexKind, IndexSettings
from .report import Report
from .settings import Settings
from .shell import Shells
from .site import raw_url
from .sources import SourceFile, read_source
from .views import search_view
from .writer import Deferred, gzipped

Files = Iterator[tuple[str, "bytes | Deferred"]]


def generated_files(reports: list[Report], keys: dict[str, str], paths: dict[str, Path],
                    skipped: list[tuple[str, str]], settings: Settings, indexes: tuple[Index, Index],
                    shared: reuse_module.Reuse, shared_inputs: str, search_files: Callable[[], Iterable[tuple[str, bytes]]],
                    default_license: str, docs: Path, shells: Shells, texts_changed: str = "") -> Files:
    """Every generated file. ``keys``: each report's conversion key (what it is made from);
    ``paths``: the file each report was read from; ``shared_inputs``: the digest of what the
    shared passages were found from; ``search_files`` waits for the search index and gives
    its files one at a time; ``shells`` make the HTML pages whole; ``texts_changed``: the day
    the texts last changed (the corpus version's date)."""
    by_id = {r.id: r for r in reports}
    slogans, cited = indexes
    pages = _Pages(shells)
    yield "index.md", _utf8(render.home_page(reports, skipped, slogans, cited))
    yield from pages.files(render.report_list_pages(reports))
    marks = reuse_module.marks_by_report(shared)
    summaries = reuse_module.summaries(shared, reports)
    lines = {rid: reuse_pages.summary_html(summary, by_id, by_id[rid].url) for rid, summary in summaries.items()}
    for view in views.report_views(reports, keys, indexes, marks, lines, settings.labels):
        yield view.path, Deferred(view.digest, pages.rendered(render.report_page, view))
    yield from pages.files(render.listing_pages(reports))
    yield from pages.files(render.cleaning_index(reports, settings.labels))  # each record ends its report's page
    for idx in indexes:
        yield from pages.files(render.index_pages(idx, by_id))
        yield from _entry_files(idx, by_id, settings.index, pages)
    yield from _report_data(reports, keys, settings, default_license)
    yield from search_files()
    for report in reports:  # their texts, for the results on screen (search.text_file)
        yield search.text_path(report.id), Deferred(digest("search text", keys[report.id]),
                                                    lambda report=report: search.text_file(search_view(report)))
    for report in reports:
        source = SourceFile(paths[report.id], report.source_file, report.id)
        yield raw_url(report.id), Deferred(keys[report.id], lambda source=source: gzipped(read_source(source, None)))
    yield from cite.deferred_files(reports, keys, docs, texts_changed)
    yield from _reuse_files(shared, by_id, shared_inputs, pages)
    yield from shells.bundle_files().items()  # the style sheets and scripts the pages link, joined


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


class _Pages:
    """Pages to bytes: Markdown as it is, an HtmlPage in the theme's shell."""

    def __init__(self, shells: Shells):
        self.shells = shells

    def bytes_of(self, page: "str | HtmlPage") -> bytes:
        return self.shells.page(page) if isinstance(page, HtmlPage) else _utf8(page)

    def files(self, pages: dict[str, "str | HtmlPage"]) -> Files:
        for path, page in pages.items():
            yield path, self.bytes_of(page)

    def rendered(self, render_view, view) -> Callable[[], bytes]:
        return lambda: self.bytes_of(render_view(view))


def _entry_files(idx: Index, reports: dict[str, Report], settings: IndexSettings, pages: _Pages) -> Files:
    """An index's entry pages, then its data files, each keyed by the views of the pages
    that show the same uses (the pages together show every use with its context)."""
    width = settings.context
    by_entry: dict[str, list[str]] = {}
    for view in views.entry_views(idx, reports, settings):
        by_entry.setdefault(view.slug, []).append(view.digest)
        yield view.path, Deferred(view.digest, pages.rendered(render.entry_page, view))
    for group in views.once_views(idx, reports, settings):
        by_entry.update((entry.slug, [entry.digest]) for entry in group.entries)
        yield group.path, Deferred(group.digest, pages.rendered(render.once_page, group))
    if idx.kind == IndexKind.SLOGANS:
        yield "data/trends.json", data.trends_file(idx, reports)
    inputs = digest(data.use_rows_inputs(reports), *(d for pages in by_entry.values() for d in pages))
    # The JSON and the CSV (and the CSV's map of members) come from the same rows, so
    # whichever is needed first makes them all.
    make = _made_together(lambda: data.index_files(idx, reports, width))
    for path in data.index_paths(idx.kind):
        yield path, Deferred(digest(path, inputs), lambda path=path: make(path))


def _report_data(reports: list[Report], keys: dict[str, str], settings: Settings, default_license: str) -> Files:
    """The data files of the reports themselves, made again only when a report changed."""
    licenses = {r.id: data.license_of(r, settings.catalog, default_license) for r in reports}
    yield "data/index.md", _utf8(data_page.data_page(len(reports), default_license))
    every = digest(*(keys[r.id] for r in reports), sorted(licenses.items()))
    make = _made_together(lambda: data.reports_files(reports, licenses))
    for path in (data.REPORTS_JSON, data.REPORTS_CSV):
        yield path, Deferred(digest(path, every), lambda path=path: make(path))
    # one report's text is not a file of its own: its page's 纯文本 link saves it from the page
    yield data.TEXTS_JSONL, Deferred(digest(data.TEXTS_JSONL, every), lambda: data.texts_jsonl(reports, licenses))
    yield "data/corpus.json", data.corpus_file(reports)


def _reuse_files(shared: reuse_module.Reuse, by_id: dict[str, Report], inputs: str, pages: _Pages) -> Files:
    """The shared passages' data and overview, made again only when a report changed (``inputs``
    covers every report), and their pages, each only when what it shows changed (a page aligns
    every member with the first, which takes seconds over all of them)."""
    yield data.REUSE_JSON, Deferred(digest(data.REUSE_JSON, inputs), lambda: data.reuse_json(shared))
    yield data.REUSE_CSV, Deferred(digest(data.REUSE_CSV, inputs), lambda: data.reuse_csv(shared, by_id))
    yield "reuse/index.md", Deferred(digest("reuse/index.md", inputs),
                                     lambda: _utf8(reuse_pages.overview(shared, by_id)))
    for path, view in reuse_pages.bucket_views(shared, by_id).items():
        yield path, Deferred(views.digest_of(view), pages.rendered(reuse_pages.bucket_page, view))


def _made_together(make_all: Callable[[], dict[str, bytes]]) -> Callable[[str], bytes]:
    """A Deferred's maker for one of several files made at once (whichever is needed first
    makes them all; the others wait here until asked for, or are dropped if their memo held)."""
    made: dict[str, bytes] = {}

    def make(path: str) -> bytes:
        if not made:
            made.update(make_all())
        return made.pop(path)

    return make
