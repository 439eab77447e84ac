"""The theme's page around a generated page (``html_page.HtmlPage``).

The site engine (MkDocs, Material, overrides/slim.html) renders one page per *shape* — the
depth of the URL, a report page or not, an outline or not — with placeholders for the title,
the article, the outline and the citation tags; every generated page is then that page with
its own parts put in. Rendering each of 70,000 pages through MkDocs (Python-Markdown parsing
every page's HTML blocks, Jinja rendering the theme around it) was the largest stage of a large
build, and a rebuild re-read every page. The engine is asked for a shape once per build.

Should the engine change (Material reaches its end in May 2027), this module changes with it.
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import nest_toc_tokens

from .cache import digest, versions
from .html_page import Heading, HtmlPage
from .site import BUNDLES

_TITLE = "rrTITLErr"
_ARTICLE = "<h1>rrARTICLErr</h1>"
_PAGE = "rrpage"
# a two-level placeholder outline: the theme's markup for an item, with and without children
_PARENT = ("rraidrr", "rranamerr")
_LEAF = ("rrbidrr", "rrbnamerr")
_CHILDREN = "\x00children\x00"
_CITATION = {"title": "rrctitlerr", "authors": "rrcauthorrr", "date": "rrcdaterr", "institution": "rrcinstrr",
             "number": "rrcnumberrr", "language": "rrclanguagerr"}


# The style sheets and the scripts a shape links (the theme's, then extra_css / extra_javascript)
# are joined, in their order, into one file each (site.BUNDLES): a shape links those two. Three
# <link>s and three <script>s were 450 bytes on every page (6 MB at 10,650 news items) and five
# requests on a first visit. The pages the engine renders itself (home, about, data) link the parts.
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"> ?')
_SCRIPT = re.compile(r'<script src="([^"]+)"></script> ?')
# The palette's attributes on <body> (Material's base.html) are set by rrChrome(), the first thing
# in <body>, from the same configuration (overrides/assets/rr-chrome.js): 90 bytes a page.
_PALETTE = re.compile(r'(<body[^>]*?)(?: data-md-color-(?:scheme|primary|accent)="[^"]*")+')
_SOURCE_MAP = re.compile(rb"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)\s*$")


def engine_fingerprint(config, config_file: Path) -> str:
    """What the HTML of an unchanged page depends on besides its content: the engine's and
    the theme's versions, the configuration, the hooks and the theme's overrides."""
    parts: list[str | bytes] = [str(Path(config["docs_dir"]).resolve())]
    parts += versions("mkdocs", "mkdocs-material", "properdocs", "Markdown", "pymdown-extensions")
    parts.append(Path(config_file).read_bytes())
    roots = [Path(p) for p in config.get("hooks") or []]
    custom_dir = config["theme"].custom_dir if config.get("theme") is not None else None
    if custom_dir:
        roots.append(Path(custom_dir))
    for root in roots:
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in paths:
            if "__pycache__" in path.parts:
                continue
            parts.append(path.as_posix())
            try:
                parts.append(path.read_bytes())
            except OSError:
                parts.append("missing")
    return digest(*parts)


@dataclass(frozen=True)
class _Shape:
    """One rendered shape: the page around the article, and the theme's outline items."""
    page: str
    shell_url: str  # the placeholder page's URL (in the canonical address, when site_url is set)
    outlines: tuple[tuple[str, str], ...]  # per outline on the page: (item with children, leaf item)


@dataclass
class Shells:
    """The shapes of one configuration, each rendered when first needed."""
    config_file: Path
    _engine: tuple = field(default=(), repr=False)
    _shapes: dict = field(default_factory=dict, repr=False)
    _bundles: dict = field(default_factory=dict, repr=False)  # BUNDLES path -> (parts, bytes)

    @property
    def fingerprint(self) -> str:
        config = self._loaded()[0]
        return engine_fingerprint(config, self.config_file)

    def page(self, page: HtmlPage) -> bytes:
        """The whole HTML page."""
        depth = page.url.count("/")
        key = (depth, page.citation is not None, bool(page.outline))
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shapes[key] = self._render(*key)
        return _filled(shape, page).encode("utf-8", errors="xmlcharrefreplace")

    def bundle_files(self) -> dict[str, bytes]:
        """The files of ``BUNDLES`` (under docs/), as the shapes link them."""
        if not self._shapes:
            self._shapes[(1, False, False)] = self._render(1, False, False)
        return {path: data for path, (_, data) in self._bundles.items()}

    def _bundled(self, text: str, shell_url: str) -> str:
        """``text`` with its style sheets and its scripts after the article each replaced by one
        link to their joined copy (a script in the <head>, rr-chrome.js, stays: it runs there)."""
        head, _, body = text.partition(_ARTICLE)
        head = self._join(head, _STYLESHEET, "css", shell_url)
        body = self._join(body, _SCRIPT, "js", shell_url)
        return head + _ARTICLE + body

    def _join(self, text: str, tag: re.Pattern, kind: str, shell_url: str) -> str:
        links = list(tag.finditer(text))
        if len(links) < 2 or any(_elsewhere(m.group(1)) for m in links):
            return text  # a style sheet from another host (extra_css: a web font) is linked as it is
        folder = shell_url.rstrip("/") if shell_url.endswith("/") else posixpath.dirname(shell_url)
        parts = tuple(posixpath.normpath(posixpath.join(folder, m.group(1))) for m in links)
        path = BUNDLES[kind]
        known = self._bundles.get(path)
        if known is None:
            contents = [self._asset(part) for part in parts]
            if any(c is None for c in contents):
                return text  # a file the page links is missing: MkDocs says so; the page links what it names
            separator = b"\n" if kind == "css" else b"\n;\n"  # a script may end without a semicolon
            data = separator.join(_SOURCE_MAP.sub(b"", c) for c in contents) + b"\n"
            self._bundles[path] = known = (parts, data)
        href = links[0].group(1)
        if known[0] != parts or not href.endswith(parts[0]):
            return text  # a shape that links other files than the first (never seen): left as it is
        url = href[:len(href) - len(parts[0])] + path
        joined = f'<link rel="stylesheet" href="{url}"> ' if kind == "css" else f'<script src="{url}"></script> '
        return text[:links[0].start()] + joined + tag.sub("", text[links[0].start():])

    def _asset(self, path: str) -> bytes | None:
        """A file the theme or docs/ publishes at ``path`` (docs/ and the theme's overrides first)."""
        config = self._loaded()[0]
        for root in [config["docs_dir"], *config["theme"].dirs]:
            candidate = Path(root) / path
            if candidate.is_file():
                return candidate.read_bytes()
        return None

    def _loaded(self):
        if not self._engine:
            from mkdocs.config import load_config

            config = load_config(config_file=str(self.config_file))
            self._engine = (config, config.theme.get_env())
        return self._engine

    def _render(self, depth: int, report: bool, outline: bool) -> _Shape:
        from mkdocs.commands.build import get_context
        from mkdocs.structure.files import File, Files
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page
        from mkdocs.structure.toc import get_toc

        config, env = self._loaded()
        docs, site, directory_urls = config["docs_dir"], config["site_dir"], config["use_directory_urls"]
        shell = File("/".join(["rrdir"] * (depth - 1) + [_PAGE + ".md"]), docs, site, directory_urls)
        files = Files([File(path, docs, site, directory_urls) for path in _nav_paths(config.get("nav") or [])]
                      + [shell])
        if files.get_file_from_path("index.md") is None:
            files.append(File("index.md", docs, site, directory_urls))
        nav = get_navigation(files, config)
        page = Page(_TITLE, shell, config)
        page.meta = {"title": _TITLE, "template": "slim.html"}
        if report:
            page.meta.update(report_id=_PAGE, pagefind=True, citation={
                key: [token] if key == "authors" else token for key, token in _CITATION.items()})
        page.content = _ARTICLE
        page.toc = get_toc([{"level": 2, "id": _PARENT[0], "name": _PARENT[1], "html": _PARENT[1], "children": [
            {"level": 3, "id": _LEAF[0], "name": _LEAF[1], "html": _LEAF[1], "children": []}]}] if outline else [])
        page.active = True
        text = env.get_template("slim.html").render(get_context(nav, files, config, page))
        text = _PALETTE.sub(r"\1", self._bundled(text, shell.url), count=1)
        text, outlines = _outline_items(text)
        return _Shape(text, shell.url, outlines)


def _elsewhere(href: str) -> bool:
    """A link to another host or from the host's root, not to a file of this site's own."""
    return "://" in href or href.startswith(("/", "data:"))


def _nav_paths(items) -> list[str]:
    paths: list[str] = []
    for item in items:
        if isinstance(item, dict):
            for value in item.values():
                paths += _nav_paths(value) if isinstance(value, list) else [value] if isinstance(value, str) else []
        elif isinstance(item, str):
            paths.append(item)
    return [p for p in paths if p.endswith(".md") and "://" not in p]


def _outline_items(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The rendered placeholder outlines replaced by slots ``\\x00outline<n>\\x00``, and for each
    the theme's markup of an item with children (its children at ``_CHILDREN``) and of a leaf."""
    outlines = []
    pos = 0
    while (at := text.find(_LEAF[0], pos)) != -1:
        leaf_start = text.rfind("<li", 0, at)
        leaf_end = text.find("</li>", at) + len("</li>")
        item_start = text.rfind("<li", 0, leaf_start)
        item_end = text.find("</li>", leaf_end) + len("</li>")
        outlines.append((text[item_start:leaf_start] + _CHILDREN + text[leaf_end:item_end], text[leaf_start:leaf_end]))
        slot = f"\x00outline{len(outlines) - 1}\x00"
        text = text[:item_start] + slot + text[item_end:]
        pos = item_start + len(slot)
    return text, tuple(outlines)


def _items(nodes: list[dict], parent: str, leaf: str) -> str:
    out = []
    for node in nodes:
        name = html.escape(node["name"])
        if node["children"]:
            item = parent.replace(_PARENT[0], node["id"]).replace(_PARENT[1], name)
            out.append(item.replace(_CHILDREN, _items(node["children"], parent, leaf)))
        else:
            out.append(leaf.replace(_LEAF[0], node["id"]).replace(_LEAF[1], name))
    return " ".join(out)


def _nested(outline: tuple[Heading, ...]) -> list[dict]:
    return nest_toc_tokens([{"level": h.level, "id": h.anchor, "name": h.text} for h in outline])


def _repeat_tag(text: str, token: str, values: list[str]) -> str:
    """The tag holding ``token`` once per value (none: the tag is dropped)."""
    at = text.find(token)
    if at == -1:
        return text
    start, end = text.rfind("<", 0, at), text.find(">", at) + 1
    if text[end:end + 1] == " ":
        end += 1
    tag = text[start:end]
    return text[:start] + "".join(tag.replace(token, html.escape(v)) for v in values) + text[end:]


def _filled(shape: _Shape, page: HtmlPage) -> str:
    text = shape.page.replace(_TITLE, html.escape(page.title)).replace(shape.shell_url, page.url)
    if page.outline:
        nested = _nested(page.outline)
        for n, (parent, leaf) in enumerate(shape.outlines):
            text = text.replace(f"\x00outline{n}\x00", _items(nested, parent, leaf))
        text = text.replace(_PARENT[0], page.outline[0].anchor)  # the "skip to content" link
    if page.citation is not None:
        for key, token in _CITATION.items():
            value = page.citation.get(key)
            values = [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []
            if key == "language" and not values:
                values = ["zh"]
            text = _repeat_tag(text, token, values)
    before, _, after = text.partition(_ARTICLE)
    return before + page.article + after
