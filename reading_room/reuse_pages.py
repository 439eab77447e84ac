"""The pages of shared passages (reuse/): the most shared passages, each passage with the stretch
of each member's paragraph that holds it (set beside the first member's, differences marked), and the
line on a report page about what it shares. The passages themselves are found by reuse.py."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from .cite import iso_date
from .escape import shown as escaped
from .fingerprint import normalize
from .index import context
from .html_page import HtmlPage, title_html
from .render import front_matter
from .outline import BlockKind
from .report import Report
from .reuse import BANAL_MIN, BANAL_SHARE, MIN_CHARS, Cluster, Reuse, Summary
from .site import cluster_url, html_file, rel, reuse_bucket

TOP = 100  # passages on the overview page
SHOWN_MEMBERS = 50  # members shown per passage on its page (all are in data/reuse.json.gz)
CONTEXT = 30  # characters shown either side of the shared stretch in each member's paragraph
ELLIPSIS = "…"  # where an excerpt is cut
SPAN_BLOCK = 4  # a stretch in common shorter than this is a stray match, not part of the passage


def summary_html(summary: Summary | None, reports: dict[str, Report], page_url: str) -> str:
    """The report page's line about what it shares: its share, the reports it shares most with, and
    the earliest dated report holding its shared passages (本篇 when it is the first)."""
    if summary is None:
        return ""
    names = "、".join(f'<a href="{rel(page_url, reports[o].url)}">{escaped(reports[o].title)}</a>（{n} 段）'
                     for o, n in summary.partners)
    earliest = ""
    if summary.earliest[1]:
        date, rid = summary.earliest
        earliest = (f"；最早：本篇（{date}）" if reports[rid].url == page_url else
                    f'；最早：<a href="{rel(page_url, reports[rid].url)}">{escaped(reports[rid].title)}</a>（{date}）')
    return f'<span class="reuse-share">与其他报告共用 {summary.share:.0%}：{names}{earliest}</span>'


def _side_by_side(base: str, text: str) -> str:
    """The first member's excerpt and another's, side by side: on the left what only the first
    has (<del>), on the right what only the other has (<ins>); one column on a phone. The
    ellipses that say where an excerpt is cut stay outside the marks."""
    (base_head, base, base_tail), (head, text, tail) = _cut(base), _cut(text)
    left, right = [base_head], [head]
    # difflib, not rapidfuzz: its longest-block-first opcodes read better (an LCS matches stray
    # single characters across text that differs, twice as many marks on a page of news items)
    for op, a0, a1, b0, b1 in SequenceMatcher(None, base, text, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escaped(base[a0:a1]))
            right.append(escaped(text[b0:b1]))
            continue
        if a1 > a0:
            left.append(f"<del>{escaped(base[a0:a1])}</del>")
        if b1 > b0:
            right.append(f"<ins>{escaped(text[b0:b1])}</ins>")
    left.append(base_tail)
    right.append(tail)
    return (f'<div class="reuse-pair"><div class="reuse-para">{"".join(left)}</div>'
            f'<div class="reuse-para">{"".join(right)}</div></div>')


def _cut(excerpt: str) -> tuple[str, str, str]:
    """An excerpt as (its leading ellipsis, its text, its trailing ellipsis)."""
    head = ELLIPSIS if excerpt.startswith(ELLIPSIS) else ""
    tail = ELLIPSIS if len(excerpt) > len(head) and excerpt.endswith(ELLIPSIS) else ""
    return head, excerpt[len(head):len(excerpt) - len(tail)], tail


def _earliest(cluster: Cluster, reports: dict[str, Report]) -> str:
    dates = sorted(d for d in (iso_date(reports[m.report]) for m in cluster.members) if d)
    return dates[0] if dates else ""


@dataclass(frozen=True)
class MemberView:
    title: str
    url: str  # of the paragraph, relative to the passage's page
    similarity: float
    paragraph: str  # the member's paragraph (the page shows its ``excerpt``)
    first: bool  # the member the others are shown beside


@dataclass(frozen=True)
class PassageView:
    passage: str
    banal: bool
    reports: int
    chars: int
    earliest: str
    text: str
    base: str  # the first member's paragraph, whose excerpt the others are set beside
    members: tuple[MemberView, ...]
    more: int  # members not shown


@dataclass(frozen=True)
class BucketView:
    """Exactly what one page of passages shows: equal views make equal pages, so the view's
    digest is the page's memo key (a page is made again only when what it shows changed)."""
    bucket: str
    passages: tuple[PassageView, ...]


def overview(reuse: Reuse, reports: dict[str, Report]) -> str:
    """reuse/index.md: the most shared passages."""
    n = len(reuse.clusters)
    parts = [
        front_matter({"title": "共用段落"}), "# 共用段落\n",
        f"在两篇以上报告中出现的同一段文字（至少 {MIN_CHARS} 字，逐字或近乎逐字）。共 {n} 组，其中套话模板"
        f"（见于 {BANAL_MIN} 篇以上、且不少于全部报告的 {BANAL_SHARE:.0%} 的句子）"
        f"{sum(c.banal for c in reuse.clusters)} 组。下列为共用最广的 {min(TOP, n)} 组；全部数据见 "
        '<a href="../data/reuse.json.gz">reuse.json.gz</a> 与 '
        '<a href="../data/reuse.csv.gz" data-gunzip="reuse.csv">reuse.csv</a>（解压保存）。\n',
        '<table class="reuse-top"><thead><tr><th>段落</th><th>报告</th><th>机关</th><th>最早</th><th>字数</th>'
        "</tr></thead><tbody>",
    ]
    for cluster in reuse.clusters[:TOP]:
        bodies = len({reports[m.report].organization for m in cluster.members if reports[m.report].organization})
        label = '<span class="reuse-banal">模板</span> ' if cluster.banal else ""
        parts.append(
            f'<tr><td>{label}<a href="{rel("reuse/", cluster_url(cluster.passage, n))}">'
            f"{escaped(cluster.text[:80])}{'…' if len(cluster.text) > 80 else ''}</a></td>"
            f"<td>{cluster.reports}</td><td>{bodies}</td><td>{_earliest(cluster, reports)}</td>"
            f"<td>{cluster.chars}</td></tr>")
    parts.append("</tbody></table>\n")
    return "\n".join(parts)


def _shared_span(paragraph: str, passage: str, spread: bool = True) -> tuple[int, int] | None:
    """Where in ``paragraph`` it shares ``passage``: from the first to the last stretch of at least
    SPAN_BLOCK characters that the two have in common (``spread``), or their longest common
    stretch alone. (The passage is normalised: NFKC, no spaces; the paragraph's characters are
    normalised one by one and the match mapped back to them.)"""
    chars = [(i, n) for i, c in enumerate(paragraph) for n in normalize(c)]
    folded = "".join(n for _, n in chars)
    matcher = SequenceMatcher(None, folded, passage, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= SPAN_BLOCK] if spread else []
    if not blocks:
        longest = matcher.find_longest_match(0, len(folded), 0, len(passage))
        blocks = [longest] if longest.size else []
    if not blocks:
        return None
    return chars[blocks[0].a][0], chars[blocks[-1].a + blocks[-1].size - 1][0] + 1


def _around(paragraph: str, passage: str, width: int = CONTEXT, spread: bool = True
            ) -> tuple[str, tuple[int, int] | None]:
    """The stretch of one member's paragraph that holds the passage (``_shared_span``), with
    ``width`` characters either side, and where the shared stretch is in that excerpt. The passage
    and its context say more than the whole paragraph: a news item's paragraph runs to hundreds of
    characters around a shared sentence, and a template's page showed it whole fifty times (0.75 MB).
    A template is shown by its longest stretch in each member (``spread`` False): its members hold
    its clauses in any order, and the span from the first to the last was most of each paragraph
    (the templates' pages of 1,000 generated reports grew by a quarter)."""
    span = _shared_span(paragraph, passage, spread)
    if span is None:
        return paragraph, None
    first, last = span
    left, shared, right = context(paragraph, first, last, width)  # the entry pages' keyword in context
    head = ELLIPSIS if len(left) < first else ""
    tail = ELLIPSIS if last + len(right) < len(paragraph) else ""
    return head + left + shared + right + tail, (len(head) + len(left), len(head) + len(left) + len(shared))


def excerpt(passage: "PassageView", member: MemberView) -> tuple[str, tuple[int, int] | None]:
    """What the page shows of a member: ``_around`` its paragraph. Made as the page is made,
    not in the view: the view (a page's memo key) holds the paragraphs, so that a build finds
    which pages changed without aligning every member again (4 s a build at 10,650 news items)."""
    return _around(member.paragraph, passage.text, spread=not passage.banal)


def _member(cluster: Cluster, member, reports: dict[str, Report], url: str, text: str) -> MemberView:
    first = (member.report, member.paragraph) == cluster.first
    return MemberView(reports[member.report].title, rel(url, reports[member.report].url + "#" + member.paragraph),
                      member.similarity, text, first)


def bucket_views(reuse: Reuse, reports: dict[str, Report]) -> dict[str, BucketView]:
    """Path under docs/ -> the view of that page of passages."""
    texts = {(r.id, b.anchor): b.text for r in reports.values() for b in r.blocks if b.kind == BlockKind.PARAGRAPH}
    n = len(reuse.clusters)
    buckets: dict[str, list[Cluster]] = defaultdict(list)
    for cluster in reuse.clusters:
        buckets[reuse_bucket(cluster.passage, n)].append(cluster)
    views = {}
    for bucket, clusters in sorted(buckets.items()):
        url = f"reuse/{bucket}/"
        passages = []
        for cluster in clusters:
            members = tuple(_member(cluster, m, reports, url, texts.get((m.report, m.paragraph), ""))
                            for m in cluster.members[:SHOWN_MEMBERS])
            passages.append(PassageView(cluster.passage, cluster.banal, cluster.reports, cluster.chars,
                                        _earliest(cluster, reports), cluster.text, texts.get(cluster.first, ""),
                                        members, max(0, len(cluster.members) - SHOWN_MEMBERS)))
        views[html_file(url)] = BucketView(bucket, tuple(passages))
    return views


def _marked(text: str, mark: tuple[int, int] | None) -> str:
    if not mark:
        return escaped(text)
    at, end = mark
    return f"{escaped(text[:at])}<mark>{escaped(text[at:end])}</mark>{escaped(text[end:])}"


def bucket_page(view: BucketView) -> HtmlPage:
    """One page of passages: each member's excerpt (the shared stretch and its context), a template's
    marked in it, another passage's set beside the first member's with the differences marked."""
    url, title = f"reuse/{view.bucket}/", f"共用段落 {view.bucket}"
    parts = [title_html(title), f'<p><a href="{rel(url, "reuse/")}">← 共用段落</a></p>']
    for passage in view.passages:
        kind = "套话模板" if passage.banal else "共用段落"
        parts.append(
            f'<section class="reuse-passage" id="{passage.passage}"><h2>{kind} {passage.passage}</h2>'
            f"<p>{passage.reports} 篇报告 · {passage.chars} 字 · 最早 {passage.earliest or '日期不明'}</p>"
            f'<blockquote class="reuse-text">{escaped(passage.text)}</blockquote><ol class="reuse-members">')
        base = "" if passage.banal else _around(passage.base, passage.text)[0]  # a template's are not set beside it
        for member in passage.members:
            text, mark = excerpt(passage, member)
            if passage.banal or member.first or not mark:
                shown = f'<div class="reuse-para">{_marked(text, mark)}</div>'
            else:
                shown = _side_by_side(base, text)
            parts.append(
                f'<li><a href="{member.url}">{escaped(member.title)}</a>'
                f' <span class="reuse-sim">{member.similarity:.0%}</span>{shown}</li>')
        if passage.more:
            parts.append(f"<li>……另有 {passage.more} 处，见 reuse.json.gz</li>")
        parts.append("</ol></section>")
    return HtmlPage(url, title, "\n".join(parts))
