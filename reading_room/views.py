"""What each generated page shows, as a frozen view.

A renderer (render.py, reuse_pages.py) formats a view and reads nothing else, so equal
views give equal pages: a page's memo key is its view's digest (``digest_of``), and a
page is made again exactly when what it shows changed. There is no hand-kept list of a
renderer's inputs to forget a field in.

    ReportView  reports/<id>/         the report, the formulation links in its text, its
                                      shared-passage marks and line
    EntryView   slogans/<slug>/       a formulation's (or cited document's) page: its first
                                      uses, each a KwicLine (the rest load from its CSV rows)
    OnceView    slogans/once/<xx>/    the entries found in one report only whose slugs hash to
                                      xx, each an EntryView with all its uses
    KwicLine    one use in context: what an entry page and the data rows show of it
    SearchView  search/t/<id>.json.gz what the search index holds of a report (its row,
                                      its keys and its text for the result lines)

The views are made one at a time (``report_views``, ``entry_views``): at 100,000 reports
the uses of every entry in context would not fit in memory at once.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Iterator

from . import timeline
from .cache import digest
from .index import Entry, Index, IndexKind, IndexSettings, Use, context
from .labels import Labels
from .report import Report
from .site import entry_url, facets, grouped, html_file, once_group, once_url


def digest_of(view) -> str:
    """The digest of everything a view holds (its ``repr``: fields in order, nested views,
    tuples and dicts as they were built — the builders below make them in a fixed order)."""
    return digest(type(view).__name__, repr(view))


class PageView:
    """A view of one page at ``url``: its file under docs/ and its digest."""
    url: str

    @property
    def path(self) -> str:
        return html_file(self.url)

    @cached_property
    def digest(self) -> str:
        return digest_of(self)


@dataclass(frozen=True)
class KwicLine:
    """One use of an index entry, in context."""
    report: str  # report id
    title: str
    url: str  # the paragraph, from the site root: reports/<id>/#<anchor>
    quoted: bool
    left: str
    match: str
    right: str
    path: tuple[str, ...]  # the headings above the paragraph, outermost first


def kwic(use: Use, report: Report, width: int) -> KwicLine:
    left, match, right = context(report.block_at(use.anchor).text, use.start, use.end, width)
    return KwicLine(report.id, report.title, f"{report.url}#{use.anchor}", use.quoted, left, match, right,
                    report.section_of(use.anchor))


def use_order(reports: dict[str, Report]):
    """Oldest reports first (readers follow how a formulation spread; undated last), then in
    reading order: the order of an entry page's lines and of its rows in <kind>.csv.gz, so the
    page's first lines are its first rows and the rest continue them (use numbers agree)."""
    return lambda u: (timeline.report_day(reports[u.report]) or "9999", u.report, u.position, u.start)


@dataclass(frozen=True)
class EntryView(PageView):
    """An entry's page: its forms and counts, then its first uses in context (the page loads the
    rest from the entry's rows of data/<kind>.csv.gz when asked: at 10,000 reports the lines of
    the most used entries were most of the site); a formulation's page also shows its evidence,
    its life over time and who uses it."""
    kind: IndexKind
    display: str
    slug: str
    report_count: int
    use_count: int
    quoted_count: int
    variants: tuple[tuple[str, int], ...]  # (form, quoted uses), most used first
    lines: tuple[KwicLine, ...]  # the first uses, the rest being in the CSV
    rest: str = ""  # the digest of the lines not shown: the data files are keyed by the views' digests
    evidence: dict = field(default_factory=dict)  # why it is a formulation (index.judge)
    time: dict | None = None  # timeline.entry_time, on a formulation's first page
    cover: dict | None = None  # timeline.coverage of the corpus, on a formulation's first page
    body_links: tuple[tuple[str, int], ...] = ()  # each body's first use: (body, use number)

    @property
    def url(self) -> str:
        return entry_url(self.kind, self)


@dataclass(frozen=True)
class OnceView(PageView):
    """A page of the entries found in one report only (site.grouped) whose slugs share a hash
    group: each with its forms, counts, evidence and every use in context."""
    kind: IndexKind
    group: str
    entries: tuple[EntryView, ...]

    @property
    def url(self) -> str:
        return once_url(self.kind, self.group)


def entry_views(idx: Index, reports: dict[str, Report], settings: IndexSettings) -> Iterator[EntryView]:
    """The page of every entry of an index that has a page of its own, one view at a time."""
    cover = timeline.coverage(reports.values()) if idx.kind == IndexKind.SLOGANS else None
    shown, width, order = settings.uses_per_page, settings.context, use_order(reports)
    for entry in idx.entries:
        if grouped(entry):
            continue
        uses = sorted(entry.uses, key=order)
        lines = [kwic(u, reports[u.report], width) for u in uses]
        formulation = cover is not None
        yield EntryView(
            **_entry_facts(idx.kind, entry), lines=tuple(lines[:shown]),
            rest=digest(repr(lines[shown:])) if len(lines) > shown else "",
            evidence=entry.evidence if formulation else {},
            time=timeline.entry_time(entry, reports) if formulation else None,
            cover=cover,
            body_links=_body_links(uses, reports) if formulation else ())


def once_views(idx: Index, reports: dict[str, Report], settings: IndexSettings) -> Iterator[OnceView]:
    """The pages of the entries found in one report only, a group at a time, in group order;
    on a page, entries in slug order (pinyin), each with all its uses."""
    groups: dict[str, list[Entry]] = {}
    for entry in idx.entries:
        if grouped(entry):
            groups.setdefault(once_group(entry.slug), []).append(entry)
    width, order = settings.context, use_order(reports)
    for group in sorted(groups):
        yield OnceView(idx.kind, group, tuple(
            EntryView(**_entry_facts(idx.kind, entry),
                      lines=tuple(kwic(u, reports[u.report], width) for u in sorted(entry.uses, key=order)),
                      evidence=entry.evidence if idx.kind == IndexKind.SLOGANS else {})
            for entry in sorted(groups[group], key=lambda e: e.slug)))


def _entry_facts(kind: str, entry: Entry) -> dict:
    return dict(kind=kind, display=entry.display, slug=entry.slug, report_count=entry.report_count,
                use_count=len(entry.uses), quoted_count=sum(1 for u in entry.uses if u.quoted),
                variants=tuple(sorted(entry.variants.items(), key=lambda kv: (-kv[1], kv[0]))))


def _body_links(uses: list[Use], reports: dict[str, Report]) -> tuple[tuple[str, int], ...]:
    links: dict[str, tuple[str, int]] = {}
    for n, use in enumerate(uses):
        body = reports[use.report].organization
        if body and body not in links:
            links[body] = (body, n + 1)
    return tuple(links.values())


Links = tuple[tuple[str, tuple[tuple[int, int, str], ...]], ...]


@dataclass(frozen=True)
class ReportView:
    """A report's page: the report, the links from its quoted formulations to their entries
    (by block anchor), the marks of its shared paragraphs and the line about what it shares."""
    # left out of the digest (repr=False): ``source_key`` stands for it there
    report: Report = field(repr=False)
    # the digest of everything the converted report is made from (conversion.py's cache
    # key): the report is a pure function of it
    source_key: str
    links: Links = ()  # block anchor -> ((start, end, entry URL), …), in reading order
    marks: tuple[tuple[str, tuple[str, int]], ...] = ()  # paragraph anchor -> (passage URL, other reports)
    shared: str = ""  # the shared-passage line (reuse_pages.summary_html)
    # the curation data, which the render memo's scope covers: left out of each page's digest
    labels: Labels = field(default=Labels(), repr=False)

    @property
    def path(self) -> str:
        return html_file(self.report.url)

    @cached_property
    def digest(self) -> str:
        return digest_of(self)

    def links_of(self, anchor: str) -> tuple[tuple[int, int, str], ...]:
        return self._links.get(anchor, ())

    def mark_of(self, anchor: str) -> tuple[str, int] | None:
        return self._marks.get(anchor)

    @cached_property
    def _links(self) -> dict:
        return dict(self.links)

    @cached_property
    def _marks(self) -> dict:
        return dict(self.marks)


def report_views(reports: Iterable[Report], keys: dict[str, str], indexes: Iterable[Index],
                 marks: dict[str, dict[str, tuple[str, int]]], shared_lines: dict[str, str],
                 labels: Labels) -> Iterator[ReportView]:
    """Every report's view, one at a time (``marks`` and ``shared_lines`` by report id)."""
    links: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
    for idx in indexes:
        for entry in idx.entries:
            url = entry_url(idx.kind, entry)
            for use in entry.uses:
                if use.quoted:
                    links.setdefault(use.report, {}).setdefault(use.anchor, []).append((use.start, use.end, url))
    for report in reports:
        own = links.pop(report.id, {})
        yield ReportView(report, keys[report.id],
                         tuple((anchor, tuple(sorted(spans))) for anchor, spans in sorted(own.items())),
                         tuple(sorted(marks.get(report.id, {}).items())), shared_lines.get(report.id, ""), labels)


@dataclass(frozen=True)
class SearchView:
    """What the search index holds of one report: its title, filter values and every block,
    white space folded, the title first with no anchor."""
    id: str  # the report's id: its text is search/t/<id>.json.gz
    url: str
    title: str
    facets: dict[str, str]
    blocks: tuple[tuple[str, str], ...]  # (anchor, text)

    @cached_property
    def text(self) -> str:
        """The blocks as search/t/<id>.json.gz holds them (compared with the previous build's, then written)."""
        return json.dumps(self.blocks, ensure_ascii=False, separators=(",", ":"))


_WHITE = re.compile(r"\s+")


def search_view(report: Report) -> SearchView:
    title = _WHITE.sub(" ", report.title).strip()
    blocks = (("", title),) + tuple((b.anchor, _WHITE.sub(" ", b.text).strip()) for b in report.blocks)
    return SearchView(report.id, report.url, title, facets(report), blocks)
