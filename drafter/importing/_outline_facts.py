"""An outline's paragraphs as facts: 一、 lines are sections, （一） lines sub-points,
every sentence of the other lines one fact with its figures structured and its
paragraph as source."""

from __future__ import annotations

import re
from pathlib import Path

from .._spec import FactDetail
from ..reading import Outline
from ._figures import figures_of
from ._gather import Gathered, heading_parts, section_name

_SENTENCE = re.compile(r"[^。；;！!？?]+[。；;！!？?]*")
_YEAR = re.compile(r"((?:19|20)\d{2})年")


def sentences(text: str) -> list[str]:
    out = []
    for m in _SENTENCE.finditer(text):
        s = m.group().strip().rstrip("。；;！!？?").strip()
        if s:
            out.append(s)
    return out


def gather_outline(outline: Outline, out: Gathered) -> None:
    has_sections = any(i.kind == "section" for i in outline.items)
    default = section_name(Path(outline.file).stem) or Path(outline.file).stem
    current: str | None = None if has_sections else default
    if current is not None:
        out.section(current).add_origin(outline.file)
    point: str | None = None
    count = 0
    for item in outline.items:
        where = outline.where(item.paragraph)
        if item.kind == "title":
            out.years += [int(y) for y in _YEAR.findall(item.text)]
            continue
        if item.kind == "section":
            name = section_name(item.text) or item.text
            parts = heading_parts(name)
            current, point = name, None
            section = out.section(name)
            section.add_origin(outline.file)
            if parts and not section.topic:
                section.topic, section.aim = parts
            count += _add_sentences(out, current, None, item.body, where)
            continue
        if current is None:  # before the first section: material for the opening
            out.preamble.append((where, item.text))
            out.years += [int(y) for y in _YEAR.findall(item.text)]
            continue
        if item.kind == "point":
            point = section_name(item.text) or item.text
            count += _add_sentences(out, current, point, item.body, where)
            continue
        count += _add_sentences(out, current, point, item.text, where)
    out.materials.append(f"{outline.file}（{count} 条）")


def _add_sentences(out: Gathered, section: str, point: str | None, text: str, where: str) -> int:
    n = 0
    target = out.section(section)
    for s in sentences(text):
        target.add(FactDetail(text=s, figures=figures_of(s), source=where), point)
        n += 1
    return n
