"""Stage 3: title, year, issuing bodies, genre, date, speaker and occasion of a report.

Read from the cleaned text and what cleaning lifted out of bylines and headers, then
overridden per report by ``corpus/catalog.yml``. Vocabularies (genres, bodies and their
canonical names, offices) are in ``corpus/metadata.yml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .patterns import HAN, HAN_CHAR, HAN_NUMERALS, HEADING_START, SENTENCE_END, split_bodies, without_site_name
from .segment import boundaries, dictionary_tag

TITLE_ZONE = 12  # the title is among the first lines left after cleaning
FIELDS = ("title", "year", "organization", "genre", "date", "source", "doc_number", "speaker", "occasion")
_YEAR = re.compile(r"(19[4-9]\d|20\d\d)\s*年")
# a year in a text's first lines, but not one of a biography's three facts (任志强，男，1951年3月出生，
# 1974年9月加入中国共产党，…参加工作: an official's, not the text's)
_TEXT_YEAR = re.compile(r"(?<!生于)(19[4-9]\d|20\d\d)\s*年(?![\d\s月日]*(出生|生人|生，|生。|加入中国共产党|入党|参加工作))")
_LEADING = re.compile(r"^(#+\s*|(19|20)\d\d年度?|在|关于)+")
# where the topic starts: "某某同志在市委全会上的讲话" names a person, then the meeting
_TOPIC_START = re.compile(r"(19|20)\d\d年|关于|上半年|下半年|年度|(?<![正现存实所自])在(?!于)")
# "在全县党建工作会议上的讲话": 全县 is the whole county, not a body
_WHOLE_AREA = re.compile(r"^全[省市县区局镇乡]$")
_CITED = re.compile(r"《[^》]*》")
# a headline's labels before its words: "[视频]", "【新常态 新亮点】"
_LABELS = re.compile(r"^(\[[^\[\]]{1,8}\]|【[^【】]{1,24}】)+")
# a body's name: characters and brackets only ("中共某某县委员会（党组）"), no space or punctuation;
# a 范文's placeholder for a name is a letter or a mark (X公安厅, ××县委, ○○局)
_NAME = re.compile(rf"^[{HAN}（）()A-Za-zＸ×○□＊*]+$")
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_REVISION = re.compile(r"[（(][^（）()]*(修正|修订|修改|草案|试行|暂行)[^（）()]*[)）]$")
_HAN = HAN_CHAR
_TAG = re.compile(r"<[^<>]*>")

# Lines that are never a title: a date or subtitle line, a header field, a file name, markup.
_NOT_TITLE = re.compile(
    r"^[—―\-]{1,2}\s*\S"  # the subtitle under a title
    r"|^[（(]?\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年.{0,6}月.{0,6}日"  # a date line
    r"|^[^：:]{1,8}[：:]\s*\S"  # a header field: 发文字号：…
    r"|^[\w\-]+\.(txt|md|docx?|pdf|html?)$"  # a file name
    r"|^\[<|^<[!?]|^\{|^---$|^```"  # markup fragments, front-matter fences
    r"|^【"  # a database's bracketed field
)
_HAN_DATE = re.compile(
    rf"(?P<y>\d{{4}}|[〇零{HAN_NUMERALS}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{HAN_NUMERALS}]{{1,3}})\s*月"
    rf"\s*(?P<d>\d{{1,2}}|[{HAN_NUMERALS}]{{1,3}})\s*日"
)
# "——2017年3月5日在第十二届全国人民代表大会第五次会议上", "（2026年1月27日在贵州省……会议上）"
_SUBTITLE = re.compile(rf"^([—―\-]{{1,2}}|[（(])?\s*{_HAN_DATE.pattern}\s*在(?P<occasion>.+?)上(的(讲话|报告|发言))?\s*[)）]?"
                       r"(\s+(?P<speaker_line>\S.*))?$")
# "——在中国共产党第二十次全国代表大会上的报告": no date, the occasion and the genre
_DELIVERED = re.compile(r"^([—―\-]{1,2}|[（(])\s*在(?P<occasion>.+?)上的(?P<genre>工作报告|报告|讲话|发言|致辞|講話|報告)\s*[)）]?$")
# "（2019年9月27日山东省第十三届人民代表大会常务委员会第十四次会议通过）"
_ADOPTED = re.compile(rf"^[（(]?\s*{_HAN_DATE.pattern}\s*(?P<occasion>\S*?会议)\S*?(通过|批准|修订|修正)?\s*[)）]?$")
# "2003年8月5日 中华人民共和国国务院令第386号公布": the date and the document number
_PROMULGATED = re.compile(rf"^[（(]?\s*{_HAN_DATE.pattern}\s*(?P<doc>\S*?令\S*?第\S+?号)(公布|发布)\s*[)）]?$")
# the place in an occasion: "河北省第十四届人民代表大会" -> 河北省; "第十二届全国人民代表大会" -> national
_PLACE = re.compile(rf"^(?P<place>[{HAN}]{{2,12}}?(省|自治区|市|县|区|州|盟|旗))(第|[十一二三四五六七八九]+届)")
# "国务院总理 李克强", "上海市市长 龚 正" (a two-character name spaced out), "自治区主席 艾尔肯·吐尼亚孜"
# (an office is two characters at least: "地　　點　本院議場" is a spaced label and its value)
_SPEAKER = re.compile(rf"^(?P<office>[{HAN}（）()]{{2,24}}?)[ \u3000\u00a0]+"
                      rf"(?P<name>[{HAN}](?:[ \u3000\u00a0]?[{HAN}·]){{1,11}})$")
# a name alone on its line, just before the salutation (各位代表：)
_NAME_ALONE = re.compile(rf"^[{HAN}]{{2,4}}$")
_SALUTATION = re.compile(r"^(各位|同志们|尊敬的).{0,12}[：:]$")
# a line that only opens a title continued on the next: "中共某某委员会关于", "2026年"
_OPENS_TITLE = re.compile(r"(关于|的|在|年|年度)$")


@dataclass(frozen=True)
class MetadataRules:
    genres: tuple[tuple[str, str], ...] = ()
    organization_suffixes: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    canonical: tuple[tuple[str, str], ...] = ()  # variant -> canonical name
    expansions: tuple[tuple[str, str], ...] = ()
    body_of_genre: tuple[tuple[str, str], ...] = ()
    speaker_offices: tuple[tuple[str, str], ...] = ()
    title_names_no_body: tuple[str, ...] = ()
    issuing_verbs: tuple[str, ...] = ()
    not_body_words: frozenset[str] = frozenset()
    headline_words: frozenset[str] = frozenset()
    founding_words: tuple[str, ...] = ()
    occasion_bodies: tuple[tuple[re.Pattern, str], ...] = ()
    delivered_bodies: tuple[tuple[re.Pattern, str], ...] = ()

    @classmethod
    def from_dict(cls, data: dict) -> "MetadataRules":
        canonical = []
        for name, variants in (data.get("canonical_organizations") or {}).items():
            canonical += [(variant, name) for variant in variants or ()]
        return cls(
            genres=tuple((k, v) for k, v in data.get("genres", [])),
            organization_suffixes=tuple(sorted(data.get("organization_suffixes", []), key=len, reverse=True)),
            bodies=tuple(sorted(data.get("bodies", []), key=len, reverse=True)),
            canonical=tuple(canonical),
            expansions=tuple((data.get("name_expansions") or {}).items()),
            body_of_genre=tuple((data.get("body_of_genre") or {}).items()),
            speaker_offices=tuple(sorted((data.get("speaker_offices") or {}).items(), key=lambda kv: -len(kv[0]))),
            title_names_no_body=tuple(data.get("title_names_no_body") or ()),
            issuing_verbs=tuple(data.get("issuing_verbs") or ()),
            not_body_words=frozenset(data.get("not_body_words") or ()),
            headline_words=frozenset(data.get("headline_words") or ()),
            founding_words=tuple(data.get("founding_words") or ()),
            occasion_bodies=tuple((re.compile(r["pattern"]), r["body"]) for r in data.get("occasion_bodies") or ()),
            delivered_bodies=tuple((re.compile(r["pattern"]), r["body"]) for r in data.get("delivered_bodies") or ()),
        )


@dataclass
class Metadata:
    title: str
    year: int | None = None
    year_source: str = ""  # where the year was read: date, title, doc_number (文号), text (the first lines), catalog
    organization: str = ""  # the first of `organizations`
    genre: str = ""
    date: str = ""
    source: str = ""
    date_source: str = ""  # where the date was read: text, byline, header, file name, posting time, signature
    organizations: list[str] = field(default_factory=list)
    title_composed: bool = False
    doc_number: str = ""
    speaker: str = ""
    speaker_office: str = ""  # "国务院总理", "河北省人民政府省长"
    occasion: str = ""
    adopted: bool = False  # the occasion adopted the text (…会议通过), rather than heard it (在…上)
    subtitle: str = ""  # the subtitle line, as written
    title_line: int | None = None  # index in the cleaned lines, None if no line was used
    title_lines: tuple[int, ...] = ()  # every line of a title split over lines
    overridden: list[str] = field(default_factory=list)


def plausible_title(line: str) -> bool:
    text = _strip_marks(line)
    return (
        0 < len(text) <= 80
        and len(_HAN.findall(_TAG.sub("", text))) >= 2  # `<div class="x">` is markup, not a title
        and not text.endswith(SENTENCE_END + ("：", ":", "，", "；"))
        and not HEADING_START.match(text)
        and not _NOT_TITLE.search(text)
        and not _SPEAKER.match(text)
    )


def find_title_line(lines: list[str], rules: MetadataRules) -> int | None:
    head = lines[:TITLE_ZONE]
    for i, line in enumerate(head):
        if plausible_title(line) and genre_of(_strip_marks(line), rules):
            return i
    for i, line in enumerate(head):
        if _is_running_text(line):
            break  # a title without a genre word comes before the text: after it, a short line is its 落款
        if plausible_title(line) and len(line) <= 60:
            return i
    return None


def _is_running_text(line: str) -> bool:
    """A line of the text itself: long, with a sentence's end in it."""
    return len(line) >= 40 and any(mark in line for mark in SENTENCE_END)


def _title_span(lines: list[str], index: int, rules: MetadataRules) -> tuple[int, ...]:
    """A title split over two or three lines: "中共某某委员会关于" / "加强……的意见"."""
    span = [index]
    while span[0] > 0 and len(span) < 3:
        before = lines[span[0] - 1]
        if plausible_title(before) and _OPENS_TITLE.search(before) and not genre_of(before, rules) \
                and len(before) <= 30:
            span.insert(0, span[0] - 1)
        else:
            break
    while span[-1] + 1 < len(lines) and len(span) < 3 and _OPENS_TITLE.search(lines[span[-1]]) \
            and not genre_of(_strip_marks(lines[span[-1]]), rules):
        after = lines[span[-1] + 1]
        if plausible_title(after) and len(after) <= 40:
            span.append(span[-1] + 1)
            if genre_of(after, rules):
                break
        else:
            break
    return tuple(span)


def _strip_marks(line: str) -> str:
    return re.sub(r"^#+\s*", "", line).strip()


def genre_of(title: str, rules: MetadataRules) -> str:
    text = _REVISION.sub("", _CITED.sub("", title)).strip()
    for keyword, genre in rules.genres:  # the word that ends the title first: ……意见工作条例 is a 条例
        if text.endswith(keyword.rstrip("$")):
            return genre
    for keyword, genre in rules.genres:
        if keyword.endswith("$"):
            if text.endswith(keyword[:-1]):
                return genre
        elif keyword in text:
            return genre
    return ""


def organization_of(title: str, rules: MetadataRules) -> str:
    """The body a title names before its topic or genre: "某某局2022年工作总结" -> 某某局.
    A title with neither (a news headline) names one only right before an issuing verb:
    "国务院印发……", not "海军三大舰队实兵实弹演习南海举行"."""
    text = _LEADING.sub("", _LABELS.sub("", _CITED.sub("", title)))
    cuts = [m.start() for m in [_TOPIC_START.search(text)] if m]
    cuts += [text.find(k.rstrip("$")) for k, _ in rules.genres if not k.endswith("$") and k in text]
    headline = not cuts
    if headline:
        cuts = [i for i in (text.find(verb) for verb in rules.issuing_verbs) if i > 0]
    cut = min(cuts) if cuts else len(text)
    best, suffix_at_best = 0, ""
    for suffix in rules.organization_suffixes:  # longest first: at one end, the longest suffix is kept
        # a suffix may run past the cut: 四川省人民政府工作报告 cuts at 政府工作报告
        start = text.find(suffix)
        while 0 <= start < cut:  # starts before the cut
            end = start + len(suffix)
            if end > best and _ends_a_name(text, start, end, rules):
                best, suffix_at_best = end, suffix
            start = text.find(suffix, start + 1)
    name_end = best
    if best and text[best:best + 1] in ("）", ")"):
        best += 1
    organization = text[:best]
    if headline and (not cuts or text[best:cut].strip()):
        return ""
    if not _NAME.match(organization) or _WHOLE_AREA.match(organization) or _no_name(organization):
        return ""
    if _fragment(text[:name_end], suffix_at_best, rules) or not _stands_as_issuer(text, best, rules):
        return ""
    return organization


# a body's name that is only a placeholder (某局, X公安厅) or a level of place (县公安局) before its suffix
_PLACEHOLDER = re.compile(r"^[某XＸ×○□＊*]+$")


def _ends_a_name(text: str, start: int, end: int, rules: MetadataRules) -> bool:
    """A suffix at text[start:end] ends a body's name only where a word ends: not 局 in 局势, 区 in
    区域, 科 in 科学, 党委 in 朝鲜劳动党/委员长; nor where the word it ends names no body (格局,
    城市, 片区). A suffix of two characters or more may head a longer word (县委书记, 政府军), and
    one followed by another suffix ends where the next begins (某省|政府工作报告, 某某局|局长)."""
    cuts = boundaries(text)
    if end not in cuts and not (end - start >= 2 and start in cuts
                                and not any(start < c < end for c in cuts)) \
            and not any(text.startswith(suffix, end) for suffix in rules.organization_suffixes):
        return False  # (某省|政府工作报告: jieba's 省政府 is a body's word followed by another)
    word_start = max((c for c in cuts if c < end), default=0)
    return text[word_start:end] not in rules.not_body_words


def _fragment(name: str, suffix: str, rules: MetadataRules) -> bool:
    """A suffix with one character before it that is no place level and no placeholder ("港区",
    "中科", "叙政府", "军队"), or a one-character suffix alone ("科"): a fragment of a word or an
    abbreviation, not a body's name; dropped rather than guessed. A short name jieba's dictionary
    knows as an organisation's (团市委) is a name."""
    before = name[: len(name) - len(suffix)]
    if not before:
        return len(suffix) == 1 and name not in rules.bodies
    return (len(before) == 1 and before not in _PLACE_WORDS and not _PLACEHOLDER.match(before)
            and dictionary_tag(name) != "nt")


def _stands_as_issuer(text: str, end: int, rules: MetadataRules) -> bool:
    """The words up to a body's end are a name, not a headline's subject and verb ("栗战书主持召开
    十三届全国人大常委会", "尤权受中共中央", "香港各界欢迎全国人大常委会", "全国政协召开…表彰会"); the
    body is not a modifier ("新进中央委员会的委员") nor founded in the news, right after its name
    ("全国首家知识产权法院在京成立", "中意企业家委员会成立大会"; not 国务院印发关于建立…)."""
    cuts = sorted(c for c in boundaries(text) if c <= end)
    if any(text[a:b] in rules.headline_words or text[a:b] in rules.issuing_verbs for a, b in zip(cuts, cuts[1:])):
        return False
    rest = text[end:]
    if rest.startswith("的"):
        return False
    founded = "|".join(map(re.escape, rules.founding_words))
    return not (founded and re.match(rf"(在[^\s，,。；;：:！!？?、]{{1,3}})?({founded})", rest))  # 在北京设立


_PLACE_WORDS = ("自治区", "街道", "社区", "省", "市", "县", "区", "乡", "镇", "村", "州")


def _no_name(organization: str) -> bool:
    """"乡镇", "镇": only the words for a level of place, no name before them (a 范文's
    "乡镇2022年工作总结" is any township's); "县公安局" names a kind of body, and stays."""
    rest = organization
    while rest:
        word = next((w for w in _PLACE_WORDS if rest.endswith(w)), None)
        if word is None:
            return False
        rest = rest[:-len(word)]
    return True


def organizations_of_title(title: str, rules: MetadataRules) -> list[str]:
    """"中共中央 国务院关于……的意见" names two bodies; any other title at most one."""
    text = _LABELS.sub("", _CITED.sub("", title))
    head = re.split(r"关于|印发|(?:19|20)\d\d年", text)[0]
    parts = [p for p in re.split(r"[ \u3000、]+", head.strip()) if p]
    if len(parts) >= 2 and all(p in rules.bodies or organization_of(p + "关于", rules) == p for p in parts):
        return parts
    known = _known_bodies(head.strip(), rules)
    if len(known) >= 2:
        return known
    organization = organization_of(title, rules)
    return [organization] if organization else []


def _known_bodies(head: str, rules: MetadataRules) -> list[str]:
    """"中共中央国务院" -> [中共中央, 国务院] when the whole is made of known bodies."""
    found = []
    while head:
        body = next((b for b in rules.bodies if head.startswith(b)), None)
        if body is None:
            return []
        found.append(body)
        head = head[len(body):].lstrip(" \u3000、")
    return found


def canonical_name(name: str, rules: MetadataRules) -> str:
    for short, full in rules.expansions:
        if name.endswith(short) and not name.endswith(full):
            name = name[: -len(short)] + full
    return dict(rules.canonical).get(name, name)


def _lines_spelling(lines: list[str], text: str, most: int = 4) -> tuple[int, ...]:
    """The consecutive lines that together spell ``text`` (a title broken over lines), if any."""
    for start in range(len(lines)):
        joined = ""
        for end in range(start, min(start + most, len(lines))):
            joined += _strip_marks(lines[end])
            if joined == text:
                return tuple(range(start, end + 1))
            if not text.startswith(joined):
                break
    return ()


def read_metadata(lines: list[str], byline: dict[str, str], rules: MetadataRules,
                  override: dict | None = None, fallback_title: str = "") -> Metadata:
    """Metadata from the cleaned lines and byline, with the catalog's fields winning."""
    override = {k: v for k, v in (override or {}).items() if k in FIELDS and v not in (None, "")}
    span: tuple[int, ...] = ()
    if "title" in override:
        title = str(override["title"])
        index = next((i for i, line in enumerate(lines) if _strip_marks(line) == title), None)
        span = (index,) if index is not None else ()
    elif byline.get("front_title"):
        title = byline["front_title"]
        index = next((i for i, line in enumerate(lines[:TITLE_ZONE]) if _strip_marks(line) == title), None)
        span = (index,) if index is not None else ()
    elif byline.get("header_title"):  # a portal's document table names the title (标　　题：)
        title = byline["header_title"]
        span = _lines_spelling(lines[:TITLE_ZONE], title)
        index = span[0] if span else None
    elif byline.get("markdown") and lines and re.match(r"^#\s+\S", lines[0]):
        index, title, span = 0, _strip_marks(lines[0]), (0,)  # a Markdown text's `# ` title
    elif byline.get("title") and lines and lines[0] == byline["title"]:
        index, title, span = 0, lines[0], (0,)  # the line before the byline (a news item's title line)
    else:
        index = find_title_line(lines, rules)
        span = _title_span(lines, index, rules) if index is not None else ()
        title = "".join(_strip_marks(lines[i]) for i in span) if span else ""
        index = span[0] if span else None
    if "title" not in override:
        title = without_site_name(title)  # a page's <title> saved as the text's first line
    meta = Metadata(title=title, title_line=index, title_lines=span, source=byline.get("source", ""),
                    doc_number=byline.get("doc_number", ""))
    meta.genre = genre_of(title, rules)
    after = span[-1] + 1 if span else 0
    _read_subtitle(lines[after:after + 8], meta)
    if not meta.genre and meta.subtitle:  # 高举……而团结奋斗 / ——在中国共产党第二十次全国代表大会上的报告
        meta.genre = genre_of(meta.subtitle, rules)
    # a news item's posting time and a law's promulgation date are the text's own date; a
    # portal's byline is only when it was posted, so the subtitle's date (delivered on) wins
    if byline.get("date") and (not meta.date or byline.get("date_source") in YEAR_FROM_DATE):
        meta.date, meta.date_source = byline["date"], byline.get("date_source", "byline")
    if not meta.date:  # "上海市档案条例(2017-11-23).txt", "20230110_gov.txt"
        m = _FILE_DATE.search(fallback_title)
        if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            meta.date, meta.date_source = f"{m.group(1)}-{m.group(2)}-{m.group(3)}", "file name"
    meta.organizations = _organizations(meta, byline, rules)
    if not title and not meta.organizations and not meta.genre:
        opened = delivered_by(lines[:TITLE_ZONE])
        if opened:  # a report with no title line: who delivers it, and what, from its first sentence
            meta.organizations, meta.genre = [opened[0]], opened[1]
    meta.organization = meta.organizations[0] if meta.organizations else ""
    meta.year, meta.year_source = _year_of(title, meta.date, meta.date_source, lines, meta.genre, meta.doc_number)
    if not title:
        meta.title, meta.title_composed = compose_title(meta, lines, fallback_title), True
        meta.genre = meta.genre or genre_of(meta.title, rules)
    for key, value in override.items():
        setattr(meta, key, int(value) if key == "year" else str(value))
        meta.overridden.append(key)
        if key == "organization":  # a joint issuer as the curator wrote it: 中共中央、国务院, each a body
            meta.organizations = split_bodies(str(value))
        if key == "title":
            meta.title_composed = False
        if key == "date":
            meta.date_source = "catalog"
        if key == "year":
            meta.year_source = "catalog"
    return meta


# under a title: its 文号 alone on a line (国办发〔2018〕123号, 劳社部发[2008]3号), its date in brackets
_DOC_NUMBER_LINE = re.compile(rf"^(?P<doc>[{HAN}]{{1,12}}[〔\[［(（]\d{{4}}[〕\]］)）]第?\d{{1,5}}号)$")
_DATE_LINE = re.compile(r"^[（(](?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日[)）]$")


def _read_subtitle(lines: list[str], meta: Metadata) -> None:
    """The subtitle (date and occasion) and the speaker line under a title; for a law, the lines
    of its adoption and revisions (the latest date is the text's, the first meeting its body's);
    a 文号 or a bracketed date alone on its line."""
    for k, line in enumerate(lines):
        squeezed = line.replace(" ", "").replace("\u3000", "")
        numbered = _DOC_NUMBER_LINE.match(squeezed)
        if numbered and not meta.doc_number:
            meta.doc_number = numbered.group("doc")
            continue
        dated = _DATE_LINE.match(squeezed)
        if dated and not meta.date:
            meta.date, meta.date_source = _date_of(dated), "text"
            continue
        m = (_SUBTITLE.match(line) or _DELIVERED.match(line.strip()) or _ADOPTED.match(squeezed)
             or _PROMULGATED.match(squeezed))
        if m:
            meta.subtitle = meta.subtitle or line.strip()
            date = _date_of(m)
            if date and date > meta.date:
                meta.date, meta.date_source = date, "text"
            groups = m.groupdict()
            if groups.get("occasion") and not meta.occasion:
                meta.occasion = groups["occasion"].strip()
                meta.adopted = m.re is _ADOPTED
            if groups.get("doc") and not meta.doc_number:
                meta.doc_number = groups["doc"]
            line = groups.get("speaker_line") or ""
        s = _SPEAKER.match(line.strip())
        if s and not meta.speaker:
            meta.speaker = re.sub(r"[ \u3000\u00a0]", "", s.group("name"))
            meta.speaker_office = s.group("office")
        elif not meta.speaker and _NAME_ALONE.match(line.strip()) and k + 1 < len(lines) \
                and _SALUTATION.match(lines[k + 1].strip()):
            meta.speaker = line.strip()


def _date_of(m: re.Match) -> str:
    if not m.groupdict().get("y"):
        return ""
    from .outline import han_number

    def number(text: str, digits: bool = False) -> int:
        if text.isdigit():
            return int(text)
        if digits:  # 二〇二六 is read digit by digit
            return int("".join(str("〇一二三四五六七八九".index(c)) if c in "〇一二三四五六七八九" else "0"
                               for c in text.replace("零", "〇")))
        return han_number(text)

    year, month, day = number(m.group("y"), True), number(m.group("m")), number(m.group("d"))
    if 1900 < year < 2100 and 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def _organizations(meta: Metadata, byline: dict[str, str], rules: MetadataRules) -> list[str]:
    found: list[str] = []
    if byline.get("organization"):  # a header's 发布部门 / 制定机关
        found += [p for p in re.split(r"[ \u3000、，,；;]+", byline["organization"]) if p]
    if meta.genre not in rules.title_names_no_body or "关于" in meta.title:
        found += organizations_of_title(meta.title, rules)
    for pattern, body in rules.delivered_bodies if meta.occasion and not meta.adopted and not found else ():
        m = pattern.search(meta.occasion)  # a party congress hears its committee's report
        if m:
            found.append(body.format(**m.groupdict()))
            break
    for said in (meta.occasion if meta.adopted else "", meta.doc_number):  # the meeting that adopted it, the order that issued it
        for pattern, body in rules.occasion_bodies if said and not found else ():
            m = pattern.search(said)
            if m:
                found.append(body.format(**m.groupdict()))
                break
    office = meta.speaker_office
    place = ""
    if meta.occasion:
        m = _PLACE.match(meta.occasion)
        place = m.group("place") if m else ("" if "全国" not in meta.occasion else "")
    for name, body in rules.speaker_offices:
        if office.endswith(name):
            if "{place}" in body:
                # "河北省人民政府省长": the office names its body
                prefix = office[: -len(name)]
                if prefix.endswith("人民政府") and _is_place(prefix[:-4]) and not _is_place_level(prefix[:-4]):
                    body = prefix
                else:
                    body = body.format(place=place) if place else ""
            if body:
                found.append(body)
            break
    for genre_word, suffix in rules.body_of_genre:
        if genre_word in meta.title:
            found = [f + suffix if not f.endswith(("政府", suffix)) and _is_place(f) else f for f in found]
            if not found and meta.occasion and "全国人民代表大会" in meta.occasion:
                found.append("国务院")
            elif not found and place:
                found.append(place + suffix)
    result: list[str] = []
    for name in found:
        name = canonical_name(name, rules)
        if name and name not in result:
            result.append(name)
    return result


def _is_place_level(name: str) -> bool:
    """"自治区", "省": the level alone, without the place's name."""
    return name in ("省", "自治区", "市", "县", "区", "州", "盟", "旗")


def _is_place(name: str) -> bool:
    return bool(re.fullmatch(rf"[{HAN}]{{1,12}}(省|自治区|市|县|区|州|盟|旗)", name))


# "现在，我代表国务院，向大会作政府工作报告" / "我代表第十七届中央委员会向大会作报告"
_OPENING = re.compile(r"我代表(?P<body>[^，。,；;、]{2,30}?)[，,]?\s*向(?:本次|这次)?大会(?:作|做)?(?P<what>政府工作报告|报告政府工作|工作报告|报告)")


def delivered_by(lines: list[str]) -> tuple[str, str] | None:
    """(body, genre) of a report whose opening sentence says who delivers it to the meeting."""
    for line in lines:
        m = _OPENING.search(line)
        if not m:
            continue
        body = re.sub(r"第[^届]{1,4}届", "", m.group("body"))  # a committee's term is not its name
        if body == "中央委员会":
            return "中共中央", "党代会报告"
        if body.endswith("委员会"):
            return body, "党代会报告"
        return body, "政府工作报告" if "政府工作" in m.group("what") else "报告"
    return None


def compose_title(meta: Metadata, lines: list[str], fallback: str) -> str:
    """A title for a text that has none, from what is known of it (marked as composed)."""
    if (meta.organization or meta.genre) and meta.year:
        return f"{meta.organization}{meta.year}年{meta.genre or '文件'}"
    for line in lines[:3]:
        if line.rstrip().endswith(("：", ":")) or HEADING_START.match(line):
            continue  # a salutation (各位代表：) or a section names no text
        clause = re.split(r"[，。；：！？,;:!?]", line)[0]
        if len(_HAN.findall(clause)) >= 4:
            return clause[:24] + ("…" if len(clause) > 24 else "")
    if meta.organization or meta.genre:
        return f"{meta.organization}{meta.genre or '文件'}"
    return fallback


# Dates that fix the year of the text itself: a news item's posting time, a law's promulgation
# date, the date a report was delivered (its subtitle). A portal's byline may be the next
# year's posting of "2019年度工作总结": there the title's year wins.
YEAR_FROM_DATE = ("posting time", "header")


# Genres whose title names the year they report on ("2019年度工作总结" dated 2020): there the
# title's year wins over a header's date.
PERIODIC = ("总结", "报告", "政府工作报告", "党代会报告", "述职", "计划", "汇报", "心得体会")


_DOC_NUMBER_YEAR = re.compile(r"[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]")


def _year_of(title: str, date: str, date_source: str, lines: list[str], genre: str = "",
             doc_number: str = "") -> tuple[int | None, str]:
    """The year and where it was read: the date's (date), the title's, the 文号's (劳社部发[2008]3号
    was issued in 2008), the first lines' (text)."""
    if date[:4].isdigit() and (date_source == "posting time" or (date_source in YEAR_FROM_DATE
                                                                 and genre not in PERIODIC)):
        return int(date[:4]), "date"
    m = _YEAR.search(title)
    if m:
        return int(m.group(1)), "title"
    if date[:4].isdigit():
        return int(date[:4]), "date"
    m = _DOC_NUMBER_YEAR.search(doc_number)
    if m:
        return int(m.group(1)), "doc_number"
    for line in lines[:TITLE_ZONE]:
        m = _TEXT_YEAR.search(line)
        if m:
            return int(m.group(1)), "text"
    return None, ""
