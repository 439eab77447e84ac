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

# Anything that starts like a 公文 heading number; outline.py decides whether it is one.
HEADING_START = re.compile(
    rf"^(第[{HAN_NUMERALS}]+(部分|章|篇|节)|[{HAN_NUMERALS}]+([、．]|\.(?![0-9]))|[（(][{HAN_NUMERALS}]+[)）]"
    r"|[0-9０-９]{1,2}[.．、](?![0-9０-９])|[（(][0-9０-９]{1,2}[)）])"
)
