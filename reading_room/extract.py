"""Extraction artefacts, repaired before cleaning (part of the cleaning stage).

Texts exported by other tools carry the traces of the export: literal escapes
(`<U+00A0>` from R, `\\u3000` from JSON), HTML entities, Unicode line separators,
stray byte-order marks, a whole HTML page saved as .txt, a whole report run
together on one physical line, the same page captured twice. Each is repaired
here and recorded as a repair with its rule (the text itself is never lost:
what a repair takes out is markup or an exact second copy).

``repair(text)`` returns the text's lines, each with the number of the line of
the decoded file it came from, and the repairs made.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .patterns import HAN_NUMERALS, without_site_name


@dataclass(frozen=True)
class Repair:
    rule: str
    text: str  # what was repaired, as it was
    line: int  # 1-based line of the decoded file
    action: str = "repaired"  # or "removed": markup and second copies are taken out


# `<U+00A0>` (R's export), `\u3000` / `\U0001F600` (JSON or Python repr written out as text)
_ESCAPE = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# named and numeric character references; a bare & in text is left alone
_ENTITY = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9A-Fa-f]{2,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINE_SEPARATORS = re.compile("[\u2028\u2029\u0085]")
# a line of nothing but tags (`<div class="x">`, `</p><br/>`): markup left behind by an extraction
_ONLY_TAGS = re.compile(r"^(\s*</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>)+\s*$")
_HTML_PAGE = re.compile(r"^\s*(<!DOCTYPE\s+html|<html[\s>]|<\?xml[^>]*>\s*<)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_HTML_TAG = re.compile(r"</?(html|head|body|div|p|span|table|td|tr|br|a|script|style|meta|title|h[1-6]|li|ul)\b[^>]*>", re.I)

# A report run together on one line: split where a paragraph was (an indent after a sentence
# end) and before a numbered heading that follows a sentence end.
LONG_LINE = 1000
_N = f"[{HAN_NUMERALS}]+"
_INDENT_BREAK = re.compile(r"[ \t\u3000\u00a0]{2,}(?=\S)|(?<=[。！？；：”」])\u3000(?=\S)")
_HEADING_BREAK = re.compile(
    rf"(?<=[。！？；”」])\s*(?=(?:第{_N}(?:部分|章|节|编)|{_N}、|[（(]{_N}[)）]|[0-9]{{1,2}}[.．、](?![0-9])))"
)
_BLOCKS = frozenset(
    "address article aside blockquote br dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead title tr ul".split()
)
_SKIP = frozenset("script style noscript template iframe svg head".split())


def repair(text: str) -> tuple[list[tuple[int, str]], list[Repair]]:
    """The text's lines (with their line numbers in ``text``) after the artefacts are repaired."""
    repairs: list[Repair] = []
    xml = xml_document_lines(text, repairs) if _XML_DECLARATION.match(text) else None
    if xml is not None:
        numbered = xml
    elif looks_like_html_page(text):
        numbered = html_page_lines(text, repairs)
    else:
        numbered = list(enumerate(text.split("\n"), start=1))
    result: list[tuple[int, str]] = []
    for number, line in numbered:
        for piece in _repair_line(line, number, repairs):
            result.append((number, piece))
    result = _split_run_together(result, repairs)
    return _drop_second_captures(result, repairs), repairs


def looks_like_html_page(text: str) -> bool:
    """A whole page, or a fragment of one (a portal's <div> of content saved as it was):
    markup from the first character on, or page markup around the text."""
    head = text[:2000]
    tags = len(_HTML_TAG.findall(head))
    return bool(_HTML_PAGE.match(head)) or (tags >= 8 and ("<body" in text.lower() or head.lstrip().startswith("<")))


def xml_document_lines(text: str, repairs: list[Repair]) -> list[tuple[int, str]] | None:
    """The text of an XML document (a legal database's export: <法規名稱>, <條文內容> with the
    text in CDATA), one line per element's text; None when it is not well-formed XML."""
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(_XML_DECLARATION.sub("", text, count=1).lstrip())
    except ElementTree.ParseError:
        return None
    lines: list[str] = []
    for element in root.iter():
        for piece in (element.text, element.tail):
            for line in (piece or "").split("\n"):
                if line.strip():
                    lines.append(line.strip())
    repairs.append(Repair("xml-document", f"XML 文档（{text.count(chr(10)) + 1} 行）：取出元素中的文字 {len(lines)} 行，标记不计", 1,
                          "removed"))
    return _numbered_by_source(lines, text)


def html_page_lines(text: str, repairs: list[Repair]) -> list[tuple[int, str]]:
    """The text of a whole HTML page (selectolax's HTML5 parser), one line per block element;
    each line numbered by the line of the file where its text begins."""
    from selectolax.lexbor import LexborHTMLParser

    # the HTML parser drops CDATA sections (an XML file it reads): their text is the text
    tree = LexborHTMLParser(_CDATA.sub(lambda m: html.escape(m.group(1), quote=False), text))
    parts: list[str] = []
    title = tree.css_first("title")

    def walk(node) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = child.text_content or ""
                parts.append(text if text.strip() else " ")  # the white space between two tags is no line
            elif tag in _SKIP or tag == "-comment":
                continue
            elif tag in _BLOCKS:
                parts.append("\n")
                walk(child)
                parts.append("\n")
            else:
                walk(child)

    root = tree.body if tree.body is not None and tree.body.child is not None else tree.root
    if root is not None:
        walk(root)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parts).split("\n")]
    lines = [line for line in lines if line]
    heading = without_site_name(title.text(strip=True)) if title is not None else ""
    if heading and tree.css_first("h1") is None and heading not in lines:
        lines.insert(0, heading)  # the page's <title>, when it has no heading of its own
    repairs.append(Repair("html-page", f"HTML 页面（{text.count(chr(10)) + 1} 行）：取出正文文字 {len(lines)} 行，标记、脚本与样式不计",
                          1, "removed"))
    return _numbered_by_source(lines, text)


def _numbered_by_source(lines: list[str], text: str) -> list[tuple[int, str]]:
    """Each extracted line with the line of the file where its text begins."""
    raw = text.split("\n")
    numbered, cursor = [], 0
    for line in lines:
        run = re.search(r"[^\s<>&]{1,4}", line)
        probe = run.group(0) if run else line[:8]
        found = next((k for k in range(cursor, len(raw)) if probe in raw[k]), None)
        if found is not None:
            cursor = found
        numbered.append((cursor + 1, line))
    return numbered


def _repair_line(line: str, number: int, repairs: list[Repair]) -> list[str]:
    original = line
    if "\ufeff" in line:
        line = line.replace("\ufeff", "")
        repairs.append(Repair("stray-bom", "U+FEFF", number))
    if _ESCAPE.search(line):
        line = _ESCAPE.sub(_unescape, line)
        repairs.append(Repair("literal-escape", original, number))
    if _ENTITY.search(line):
        before = line
        line = _ENTITY.sub(lambda m: html.unescape(m.group(0)), line)
        if line != before:
            repairs.append(Repair("html-entity", before, number))
    if _ONLY_TAGS.match(line):
        repairs.append(Repair("tag-debris", line.strip(), number, "removed"))
        return []
    if _LINE_SEPARATORS.search(line):
        repairs.append(Repair("line-separator", original, number))
        return _LINE_SEPARATORS.split(line)
    return [line]


def _unescape(m: re.Match) -> str:
    code = int(next(g for g in m.groups() if g), 16)
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return m.group(0)


def _split_run_together(numbered: list[tuple[int, str]], repairs: list[Repair]) -> list[tuple[int, str]]:
    result = []
    for number, line in numbered:
        if len(line) < LONG_LINE:
            result.append((number, line))
            continue
        pieces = _INDENT_BREAK.split(line)
        pieces = [p for piece in pieces for p in _HEADING_BREAK.split(piece)]
        pieces = [p for p in pieces if p and p.strip()]
        if len(pieces) < 3:
            result.append((number, line))
            continue
        repairs.append(Repair("one-line-split", f"一行 {len(line)} 字拆为 {len(pieces)} 段（在编号标题与句末缩进处）",
                              number))
        result.extend((number, piece) for piece in pieces)
    return result


def _drop_second_captures(numbered: list[tuple[int, str]], repairs: list[Repair]) -> list[tuple[int, str]]:
    """The same page captured more than once in one file: keep the first copy, log the others."""
    content = [k for k, (_, line) in enumerate(numbered) if line.strip(" \t\u3000\u00a0")]
    texts = [numbered[k][1].strip(" \t\u3000\u00a0") for k in content]
    total = len(texts)
    for start in range(3, total - 2):
        if texts[start] != texts[0]:
            continue
        copy = total - start
        if copy <= start and copy >= max(3, start // 2) and texts[start:] == texts[:copy]:
            for k in content[start:]:
                repairs.append(Repair("duplicate-capture", numbered[k][1].strip(), numbered[k][0], "removed"))
            return numbered[:content[start]]
    return numbered
