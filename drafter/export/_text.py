"""A draft as Markdown, plain text or JSON (the draft as data).

Every format carries the same fixed lines around the parts: the 主送机关 after the
title (when the spec names one), and the 发文机关署名 and 成文日期 after the last part
(GB/T 9704-2012 7.3.2, 7.3.5).
"""

from __future__ import annotations

import datetime as dt

from .._draft import Draft

FORMATS = ("md", "txt", "json", "docx")


def part_texts(draft: Draft, numbers: dict[str, int] | None = None) -> dict[str, str]:
    """Each part as it stands in the report (part id → text, lines joined by "\n"):
    a section with its heading line, the closing with its numbered headings, as the
    draft's frame writes them (:mod:`drafter._frame`). Sections are numbered by
    position, or by ``numbers`` (id → number) for a draft that holds only some
    sections. A part's findings are offsets into this text."""
    frame = draft.layout
    count = max(numbers.values()) if numbers else len(draft.sections)
    out: dict[str, str] = {}
    n = 0
    for p in draft.parts:
        if p.role == "section":
            n += 1
            out[p.id] = frame.section_text((numbers or {}).get(p.id, n), p.heading, p.text)
        elif p.role == "closing":
            out[p.id] = frame.closing_text(p.text, count)
        else:
            out[p.id] = p.text
    return out


def paragraphs(draft: Draft, numbers: dict[str, int] | None = None) -> list[str]:
    """The report's paragraphs after the title, one a line: the opening, the wrapper
    heading over the sections (if the frame has one), each section's heading and
    paragraphs, the closing's."""
    texts = part_texts(draft, numbers)
    wrapper = draft.layout.wrapper_line()
    out: list[str] = []
    for p in draft.parts:
        if wrapper and p.role == "section":
            out.append(wrapper)
            wrapper = None
        out += [line for line in texts[p.id].split("\n") if line.strip()]
    return out


def chinese_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704-2012 7.3.5.4 writes it: Arabic numerals, the year in full,
    month and day without a leading zero (2021年12月20日, 2022年1月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def recipient_line(draft: Draft) -> str | None:
    """The 主送机关 line, ending with a full-width colon (7.3.2)."""
    if not draft.recipient:
        return None
    return draft.recipient.rstrip("：:").rstrip() + "："


def closing_lines(draft: Draft) -> list[str]:
    """署名 and 成文日期, in that order; either may be absent (an old draft file, a
    spec without a date)."""
    return [line for line in (draft.signature, draft.date and chinese_date(draft.date)) if line]


def to_markdown(draft: Draft, numbers: dict[str, int] | None = None) -> str:
    blocks = [f"# {draft.title}", recipient_line(draft), *paragraphs(draft, numbers), *closing_lines(draft)]
    return "\n\n".join(b for b in blocks if b) + "\n"


def to_text(draft: Draft, numbers: dict[str, int] | None = None) -> str:
    head = [draft.title, recipient_line(draft), *paragraphs(draft, numbers)]
    lines = [line for line in head if line]
    ending = closing_lines(draft)
    if ending:
        lines += ["", *ending]  # 正文下空一行
    return "\n".join(lines) + "\n"


def to_json(draft: Draft) -> str:
    return draft.model_dump_json(indent=2) + "\n"


def render(draft: Draft, fmt: str, numbers: dict[str, int] | None = None) -> str:
    if fmt == "md":
        return to_markdown(draft, numbers)
    if fmt == "txt":
        return to_text(draft, numbers)
    if fmt == "json":
        return to_json(draft)
    raise ValueError(fmt)
