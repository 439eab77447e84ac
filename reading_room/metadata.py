"""Stage 3: title, year, issuing body, genre, date and source of a report.

Read from the cleaned text, then overridden per report by ``corpus/catalog.yml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .patterns import HEADING_START, SENTENCE_END

TITLE_ZONE = 12  # the title is among the first lines left after cleaning
FIELDS = ("title", "year", "organization", "genre", "date", "source")
_YEAR = re.compile(r"(19[4-9]\d|20\d\d)\s*年")
_LEADING = re.compile(r"^(#+\s*|(19|20)\d\d年度?|在|关于)+")
# where the topic starts: "某某同志在市委全会上的讲话" names a person, then the meeting
_TOPIC_START = re.compile(r"(19|20)\d\d年|关于|上半年|下半年|年度|在")
# "在全县党建工作会议上的讲话": 全县 is the whole county, not a body
_WHOLE_AREA = re.compile(r"^全[省市县区局镇乡]$")


@dataclass(frozen=True)
class MetadataRules:
    genres: tuple[tuple[str, str], ...] = ()
    organization_suffixes: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict) -> "MetadataRules":
        return cls(
            genres=tuple((k, v) for k, v in data.get("genres", [])),
            organization_suffixes=tuple(sorted(data.get("organization_suffixes", []), key=len, reverse=True)),
        )


@dataclass
class Metadata:
    title: str
    year: int | None = None
    organization: str = ""
    genre: str = ""
    date: str = ""
    source: str = ""
    date_source: str = ""  # where the date was read: text, byline, header, file name, posting time
    title_line: int | None = None  # index in the cleaned lines, None if no line was used
    overridden: list[str] = field(default_factory=list)


def find_title_line(lines: list[str], rules: MetadataRules) -> int | None:
    head = lines[:TITLE_ZONE]

    def plausible(line: str) -> bool:
        text = _strip_marks(line)
        return (
            0 < len(text) <= 80
            and not text.endswith(SENTENCE_END + ("：", ":", "，"))
            and not HEADING_START.match(text)
        )

    for i, line in enumerate(head):
        if plausible(line) and genre_of(_strip_marks(line), rules):
            return i
    for i, line in enumerate(head):
        if plausible(line) and len(line) <= 60:
            return i
    return None


def _strip_marks(line: str) -> str:
    return re.sub(r"^#+\s*", "", line).strip()


def genre_of(title: str, rules: MetadataRules) -> str:
    for keyword, genre in rules.genres:
        if keyword in title:
            return genre
    return ""


def organization_of(title: str, rules: MetadataRules) -> str:
    text = _LEADING.sub("", title)
    cuts = [m.start() for m in [_TOPIC_START.search(text)] if m]
    cuts += [text.find(k) for k, _ in rules.genres if k in text]
    cut = min(cuts) if cuts else len(text)
    best = 0
    for suffix in rules.organization_suffixes:
        # a suffix may run past the cut: 四川省人民政府工作报告 cuts at 政府工作报告
        start = text.rfind(suffix, 0, cut + len(suffix) - 1)  # starts before the cut
        if start >= 0:
            best = max(best, start + len(suffix))
    if best and text[best:best + 1] in ("）", ")"):
        best += 1
    organization = text[:best]
    return "" if _WHOLE_AREA.match(organization) else organization


def read_metadata(lines: list[str], byline: dict[str, str], rules: MetadataRules,
                  override: dict | None = None, fallback_title: str = "") -> Metadata:
    """Metadata from the cleaned lines and byline, with the catalog's fields winning."""
    override = {k: v for k, v in (override or {}).items() if k in FIELDS and v not in (None, "")}
    if "title" in override:
        title = str(override["title"])
        index = next((i for i, line in enumerate(lines) if _strip_marks(line) == title), None)
    elif byline.get("title") and lines and lines[0] == byline["title"]:
        index, title = 0, lines[0]  # the line before the byline (a news item's title line)
    else:
        index = find_title_line(lines, rules)
        title = _strip_marks(lines[index]) if index is not None else fallback_title
    meta = Metadata(title=title, title_line=index, date=byline.get("date", ""), source=byline.get("source", ""),
                    date_source=byline.get("date_source", "") if byline.get("date") else "")
    meta.genre = genre_of(title, rules)
    meta.organization = organization_of(title, rules)
    meta.year = _year_of(title, meta.date, meta.date_source, lines)
    for key, value in override.items():
        setattr(meta, key, int(value) if key == "year" else str(value))
        meta.overridden.append(key)
    return meta


# Dates that fix the year of the text itself: a news item's posting time, a law's promulgation date.
# (A portal's byline may be the next year's posting of "2019年度工作总结": there the title's year wins.)
YEAR_FROM_DATE = ("posting time", "header")


def _year_of(title: str, date: str, date_source: str, lines: list[str]) -> int | None:
    if date[:4].isdigit() and date_source in YEAR_FROM_DATE:
        return int(date[:4])
    m = _YEAR.search(title)
    if m:
        return int(m.group(1))
    if date[:4].isdigit():
        return int(date[:4])
    for line in lines[:TITLE_ZONE]:
        m = _YEAR.search(line)
        if m:
            return int(m.group(1))
    return None
