"""Reading an outline: the materials a 科室 sends in, as Word (.docx) or text (.txt, .md).

An outline is its paragraphs classified: 一、 lines (or Word "Heading 1", Markdown #)
open a section, （一） lines (or "Heading 2", ##) a sub-point, anything else is text.
A sub-point line may carry its text after the heading ("（一）扫黑除恶保平安。全年打掉…"):
the heading is what stands before the first full stop. The document itself is read by
:func:`~drafter.reading.read_document` (encodings, Word's body and tables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ._documents import read_document

#: File names read as outlines.
OUTLINE_SUFFIXES = (".docx", ".txt", ".md", ".markdown")

ItemKind = Literal["title", "section", "point", "text"]

_CN = "一二三四五六七八九十百零〇两"
_SECTION = re.compile(rf"^\s*[{_CN}]+\s*[、．.]\s*")
_POINT = re.compile(rf"^\s*[（(]\s*[{_CN}]+\s*[）)]\s*[、．.]?\s*")
_NUMBERED = re.compile(r"^\s*(?:\d{1,3}\s*[、．.](?!\d)|[（(]\d{1,3}[）)]|[①-⑳]|[-*+•·](?=\s))\s*")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_TITLE_WORDS = ("报告", "总结", "材料", "情况", "要点", "台账", "汇报")


@dataclass(frozen=True)
class OutlineItem:
    kind: ItemKind
    text: str                 # without its ordinal (一、 （一） 1.) or Markdown #
    paragraph: int            # 1-based paragraph (line of a text file)
    body: str = ""            # a sub-point's text after its heading, on the same line


@dataclass(frozen=True)
class Outline:
    path: str
    file: str                 # the file's name as provenance shows it
    items: tuple[OutlineItem, ...]
    encoding: str | None = None

    def where(self, paragraph: int) -> str:
        return f"{self.file} 第{paragraph}段"


def is_outline(path: str | Path) -> bool:
    return Path(path).suffix.lower() in OUTLINE_SUFFIXES


def read_outline(path: str | Path) -> Outline:
    doc = read_document(path, "材料")
    lines: list[tuple[str, int, int | None]] = []
    for para in doc.paragraphs:
        raw = para.text.strip().replace("\u3000", " ").strip()
        if not raw:
            continue
        level = para.level
        md = _MD_HEADING.match(raw) if doc.format == "md" or raw.startswith("#") else None
        if md:
            level = len(md.group(1)) if level is None else level
            raw = raw[md.end():].strip()
        if raw:
            lines.append((raw, para.number, level))
    items: list[OutlineItem] = []
    for raw, number, level in lines:
        item = _classify(raw, number, _relative(level, lines), first=not items)
        if item is not None:
            items.append(item)
    return Outline(str(path), Path(path).name, tuple(items), doc.encoding)


def _relative(level: int | None, lines: list[tuple[str, int, int | None]]) -> int | None:
    """Heading levels as an outline uses them: 0 the title, 1 a section, 2 a sub-point.
    A shallowest level used once, by the first heading, over deeper ones is the title
    (Markdown's "# 2024年工作总结" above "## 平安建设")."""
    if level is None or level == 0:
        return level
    levels = [lv for _, _, lv in lines if lv]
    top = min(levels)
    deeper = sorted({lv for lv in levels if lv > top})
    if levels.count(top) == 1 and levels[0] == top and deeper:
        return 0 if level == top else 1 + deeper.index(level)
    return 1 + sorted({*levels}).index(level)


def _classify(raw: str, number: int, level: int | None, *, first: bool) -> OutlineItem | None:
    m = _POINT.match(raw)
    if m:
        head, body = _split_heading(raw[m.end():])
        return OutlineItem("point", head, number, body)
    m = _SECTION.match(raw)
    if m:
        head, body = _split_heading(raw[m.end():])
        return OutlineItem("section", head, number, body)
    if level == 0 or (first and _looks_like_title(raw)):
        return OutlineItem("title", raw, number)
    if level == 1:
        return OutlineItem("section", raw.rstrip("。：:"), number)
    if level is not None and level >= 2:
        head, body = _split_heading(raw)
        return OutlineItem("point", head, number, body)
    m = _NUMBERED.match(raw)
    text = raw[m.end():] if m else raw
    return OutlineItem("text", text, number) if text else None


def _split_heading(text: str) -> tuple[str, str]:
    """"扫黑除恶保平安。全年打掉…" → ("扫黑除恶保平安", "全年打掉…")."""
    m = re.search(r"[。：:]", text)
    if not m:
        return text.strip(), ""
    return text[:m.start()].strip(), text[m.end():].strip()


def _looks_like_title(raw: str) -> bool:
    return len(raw) <= 40 and raw[-1] not in "。；，" and any(w in raw for w in _TITLE_WORDS)
