#!/usr/bin/env python3
"""Generate N comparable reports from the sample corpus, for the benchmark.

    python bench/generate_corpus.py N OUT_DIR [--seed 7] [--samples corpus]

Seeded, so the same N and seed give the same bytes. Each report is built from
the samples' headings and paragraphs: a new title (issuing body, year
2015-2024, topic, genre), numbered sections in a shuffled order, paragraphs
drawn from all samples with their years, placeholder figures and sentence
order varied, and the samples' web-scrape boilerplate (adverts, study-only
notices, QQ lines, breadcrumbs, bylines, "推荐访问" keyword lines) kept
verbatim or varied. Files are written in mixed encodings: UTF-8, UTF-8 with
BOM, GB18030 and UTF-16. The curation files (boilerplate.yml, metadata.yml,
slogans.yml) are copied so the generated corpus is cleaned like the real one.

Short lines are made unique per report (or numbered, or ended with a full
stop) so that the cleaning stage's "repeated across reports" rule, which
removes short lines shared by many reports as site furniture, only removes
the boilerplate and never the body text.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reading_room.decode import decode_bytes  # noqa: E402
from reading_room.conversion import find_sources  # noqa: E402
from reading_room.report import convert  # noqa: E402
from reading_room.settings import load_settings  # noqa: E402

CURATION = ("boilerplate.yml", "metadata.yml", "slogans.yml")
HAN = "一二三四五六七八九十"
PLACES = ["临江", "东平", "青山", "安和", "白河", "南川", "北固", "西岭", "云溪", "长宁", "金水", "秀峰",
          "清源", "平湖", "丰泽", "永安", "凤城", "石门", "龙泉", "桃源", "嘉禾", "新华", "海州", "宁远"]
BODIES = ["{p}市公安局", "{p}县公安局", "{p}市公安局党委", "{p}县公安局党委", "{p}省公安厅XX总队党支部",
          "{p}市委办公室党总支", "{p}市财政局机关党委", "{p}区人民法院党组", "{p}县人民检察院党组",
          "{p}市税务局党委", "{p}县派出所党支部", "{p}市直属单位", "{p}区政府办公室", "{p}市交警支队党委",
          "{p}县纪委监委", "{p}市教育局党组", "{p}县卫生健康委员会", "{p}市人大常委会机关党委"]
TOPICS = [("党建工作", "总结"), ("上半年党建工作", "总结"), ("全面从严治党工作", "报告"),
          ("党风廉政建设工作", "总结"), ("党支部工作", "总结"), ("基层党组织建设工作", "汇报"),
          ("政治轮训示范班上的", "发言"), ("主题教育专题民主生活会", "发言"), ("党建工作", "要点"),
          ("党委书记抓基层党建工作", "述职报告"), ("队伍建设工作", "总结"), ("党建工作会议上的", "讲话")]
SOURCES = ["网友投稿", "本站原创", "党建网", "政务信息", "内部资料"]
KEYWORDS = ["党建", "工作总结", "党支部", "公安机关", "从严治党", "讲话", "发言", "述职", "主题教育", "范文"]
ENCODINGS = [("utf-8", 50), ("utf-8-sig", 15), ("gb18030", 25), ("utf-16", 10)]
_LEAD = re.compile(rf"^(第[{HAN}]+部分|[{HAN}]+[、．]|[（(][{HAN}]+[)）]|[{HAN}]+是|[0-9０-９]+[.．、])\s*")
_YEAR = re.compile(r"20[12]\d(?=年)")


def han(n: int) -> str:
    if n <= 10:
        return HAN[n - 1]
    return ("" if n < 20 else HAN[n // 10 - 1]) + "十" + (HAN[n % 10 - 1] if n % 10 else "")


class Pools:
    """What the samples offer: section leads, sub-section leads, paragraphs, boilerplate."""

    def __init__(self, samples: Path):
        settings = load_settings(samples)
        self.sections: list[str] = []
        self.subsections: list[str] = []
        self.paragraphs: list[str] = []
        self.heads: list[list[str]] = []  # boilerplate lines before the title, per sample
        self.tails: list[list[str]] = []  # boilerplate lines after the body, per sample
        for source in find_sources(samples):
            raw = source.path.read_bytes()
            report = convert(source.id, source.relative, raw, settings, frozenset())
            for block in report.blocks:
                text = block.text.strip()
                if block.kind == "heading":
                    lead = _LEAD.sub("", text).rstrip("。")
                    if 4 <= len(lead) <= 30:
                        (self.sections if block.level == 2 else self.subsections).append(lead)
                elif len(text) >= 40:
                    self.paragraphs.append(text)
            text = report_text(raw)
            lines = text.split("\n")
            title_at = next((i for i, line in enumerate(lines) if report.title in line), 0)
            self.heads.append([line.rstrip() for line in lines[:title_at]])
            last_para = max((i for i, line in enumerate(lines) if len(line.strip()) >= 40), default=len(lines) - 1)
            self.tails.append([line.rstrip() for line in lines[last_para + 1:] if line.strip()])
        if not self.paragraphs or not self.sections:
            raise SystemExit(f"{samples}: no usable sample reports")
        self.subsections = self.subsections or self.sections


def report_text(raw: bytes) -> str:
    from reading_room.decode import decode_bytes
    return decode_bytes(raw).text


def vary_paragraph(text: str, year: int, rng: random.Random) -> str:
    text = _YEAR.sub(lambda m: str(year if rng.random() < 0.7 else year - 1), text)
    text = re.sub(r"(?<![A-Za-z])X{1,3}(?=[个名次项人条])", lambda m: str(rng.randint(2, 60)), text)
    sentences = [s for s in re.split(r"(?<=[。；])", text) if s]
    if len(sentences) > 3 and rng.random() < 0.5:
        middle = sentences[1:-1]
        rng.shuffle(middle)
        sentences = [sentences[0], *middle, sentences[-1]]
    return "".join(sentences)


def vary_boilerplate(lines: list[str], rng: random.Random) -> list[str]:
    if rng.random() < 0.5:
        return list(lines)  # kept verbatim: the furniture rule must recognise it
    return [re.sub(r"\d{6,}", lambda m: str(rng.randint(10**8, 10**9)), line) for line in lines]


def make_report(number: int, pools: Pools, rng: random.Random) -> tuple[str, str]:
    """(file name, text) of one generated report."""
    year = rng.randint(2015, 2024)
    place = rng.choice(PLACES)
    body = rng.choice(BODIES).format(p=place)
    topic, genre = rng.choice(TOPICS)
    if topic.endswith("的"):
        title = f"在{body}{year}年{topic}{genre}"
    else:
        title = f"{body}{year}年{topic}{genre}"
    if rng.random() < 0.15:
        title += f"（第{han(rng.randint(1, 4))}稿）"
    out: list[str] = []
    sample = rng.randrange(len(pools.heads))
    if rng.random() < 0.8:
        out += vary_boilerplate(pools.heads[sample], rng)
    else:
        out += ["当前位置:首页 > 范文大全 > 党建范文 >", ""]
    out.append(title)
    out.append("")
    if rng.random() < 0.4:
        out.append(f"时间:{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                   f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} "
                   f"来源:{rng.choice(SOURCES)}")
        out.append("")
    if genre in ("发言", "讲话"):
        out.append(rng.choice(["各位领导、同志们：", "同志们：", "各位领导，同志们:"]))
    out.append(vary_paragraph(rng.choice(pools.paragraphs), year, rng))
    sections = rng.sample(pools.sections, k=min(len(pools.sections), rng.randint(3, 5)))
    for s, lead in enumerate(sections, start=1):
        out.append(f"{han(s)}、{lead}")
        style = rng.random()
        if style < 0.4:
            subs = rng.sample(pools.subsections, k=min(len(pools.subsections), rng.randint(2, 4)))
            for t, sub in enumerate(subs, start=1):
                out.append(f"（{han(t)}）{sub}")
                for _ in range(rng.randint(1, 2)):
                    out.append(vary_paragraph(rng.choice(pools.paragraphs), year, rng))
        elif style < 0.7:
            for t in range(1, rng.randint(3, 5)):
                sub = rng.choice(pools.subsections)
                out.append(f"{han(t)}是{sub}。{vary_paragraph(rng.choice(pools.paragraphs), year, rng)}")
        else:
            for _ in range(rng.randint(2, 4)):
                out.append(vary_paragraph(rng.choice(pools.paragraphs), year, rng))
    out.append(vary_paragraph(rng.choice(pools.paragraphs), year, rng))
    if rng.random() < 0.5:
        out.append("")
        out += vary_boilerplate(pools.tails[sample], rng)
    if rng.random() < 0.3:
        out.append("")
        out.append("推荐访问:" + " ".join(rng.sample(KEYWORDS, 4)) + " " + title)
    newline = "\r\n" if rng.random() < 0.2 else "\n"
    slug = f"{year}-{rng.choice(['summary', 'speech', 'report', 'plan', 'review'])}-{number:05d}"
    return f"{slug}.txt", newline.join(out) + newline


def pick_encoding(rng: random.Random) -> str:
    names, weights = zip(*ENCODINGS)
    return rng.choices(names, weights)[0]


def rewrite_report(path: Path, edit) -> None:
    """Change a report's text with ``edit`` (text -> text), keeping the file's encoding
    (or UTF-8, when the new text does not fit it)."""
    decoded = decode_bytes(path.read_bytes())
    text = edit(decoded.text)
    try:
        path.write_bytes(text.encode(decoded.encoding))
    except (LookupError, UnicodeEncodeError):
        path.write_bytes(text.encode("utf-8"))


def generate(n: int, out: Path, seed: int = 7, samples: Path = ROOT / "corpus") -> list[Path]:
    rng = random.Random(seed)
    pools = Pools(samples)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in CURATION:
        if (samples / name).exists():
            shutil.copy2(samples / name, out / name)
    paths = []
    for number in range(1, n + 1):
        name, text = make_report(number, pools, rng)
        encoding = pick_encoding(rng)
        path = out / name
        path.write_bytes(text.encode(encoding, errors="replace"))
        paths.append(path)
    return paths


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int, help="number of reports")
    p.add_argument("out", type=Path, help="corpus folder to (re)create")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--samples", type=Path, default=ROOT / "corpus")
    args = p.parse_args(argv)
    paths = generate(args.n, args.out, args.seed, args.samples)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} reports, {size / 1e6:.1f} MB, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
