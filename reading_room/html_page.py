"""A generated page as HTML: what the renderers make of a view for every page the site engine
does not render itself (report, entry, listing and passage pages: nearly all of the site's
pages), and what ``shell.py`` puts into the theme's page.

Such a page is written straight to ``docs/<url>index.html``; the engine copies it into the site
as it is. Only the pages in the navigation (the home page and the sections' first pages) and the
hand-written ones are Markdown that MkDocs renders.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from .site import html_file



@dataclass(frozen=True)
class Heading:
    """A heading below the page's title, as the outline lists it."""
    level: int  # 2–6
    anchor: str
    text: str  # plain text


@dataclass(frozen=True)
class HtmlPage:
    url: str  # the page's site URL, "reports/<id>/"
    title: str  # plain text: the <title> (the article's <h1> says it too)
    article: str  # the article's HTML, its <h1> first
    outline: tuple[Heading, ...] = ()  # the sidebar's and the phone's 目录; none: no outline
    citation: dict | None = None  # a report page: its Highwire tags (cite.page_meta), the ¶ menu, the search body

    @property
    def path(self) -> str:
        return html_file(self.url)


def title_html(text: str) -> str:
    return f"<h1>{html.escape(text)}</h1>"


def heading_html(level: int, anchor: str, inner: str) -> str:
    """A heading with its id; ``inner`` is HTML already. Its permalink (the "#" Python-Markdown's
    toc extension writes, 75 bytes a heading) is added by docs/assets/reading-room.js."""
    return f'<h{level} id="{anchor}">{inner}</h{level}>'
