"""Text patterns shared by several stages."""
import re

HAN_NUMERALS = "〇零一二三四五六七八九十百两"
# financial (capital) numerals, simplified and traditional: 壹、貳、參、
CAPITAL_NUMERALS = "壹贰貳叁參肆伍陆陸柒捌玖拾佰"
SENTENCE_END = ("。", "！", "？", "!", "?")
# Han characters, as the body of a regex character class: CJK Unified Ideographs, Extension A,
# and the compatibility ideographs that Big5 and some fonts' conversions leave in a text.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_CHAR = re.compile(f"[{HAN}]")
SENTENCE_SPLIT = re.compile("[" + "".join(SENTENCE_END) + "]")

# "……统计公报 | 某县人民政府", "……工作总结_某某范文网": a page's <title>, with the site's name after it
_SITE_SUFFIX = re.compile(rf"\s*(?:[|｜_]|\s[-—–]\s)\s*[{HAN}A-Za-z0-9.·]{{2,20}}(政府|网|网站|门户|官网|频道|首页|平台|在线|新闻)$")


# the issuing bodies of a joint document: 中共中央、国务院 / 中共中央 国务院
_BODY_SPLIT = re.compile(r"\s*[、，,；;]\s*|\s+")


def split_bodies(text: str) -> list[str]:
    """The bodies a joint issuer names, one each (metadata's catalog override, the citation's
    authors); a split that leaves a one-character piece was not a list of bodies."""
    parts = [p for p in _BODY_SPLIT.split(text or "") if p]
    if len(parts) > 1 and min(map(len, parts)) < 2:
        return [text.strip()]
    return parts


def without_site_name(title: str) -> str:
    """A page title without the name of the site it was on (extraction and metadata both read one)."""
    stripped = _SITE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 4 else title


# Anything that starts like a 公文 heading number; outline.py decides whether it is one.
HEADING_START = re.compile(
    rf"^(第[{HAN_NUMERALS}]+(部分|章|篇|节)|[{HAN_NUMERALS}]+([、．]|\.(?![0-9]))|[（(][{HAN_NUMERALS}]+[)）]"
    r"|[0-9０-９]{1,2}[.．、](?![0-9０-９])|[（(][0-9０-９]{1,2}[)）])"
)
