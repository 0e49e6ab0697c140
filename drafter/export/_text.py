"""A draft as Markdown, plain text or JSON (the draft as data).

Every format carries the same fixed lines around the parts: the 主送机关 after the
title (when the spec names one), and the 发文机关署名 and 成文日期 after the last part
(GB/T 9704-2012 7.3.2, 7.3.5).
"""

from __future__ import annotations

import datetime as dt

from .._draft import Draft
from .._headings import chinese_ordinal

FORMATS = ("md", "txt", "json", "docx")


def paragraphs(draft: Draft, numbers: dict[str, int] | None = None) -> list[str]:
    """The report's paragraphs after the title: opening, numbered sections, closing.
    Sections are numbered by position, or by ``numbers`` (id → number) for a draft
    that holds only some sections."""
    out = []
    n = 0
    for p in draft.parts:
        if p.role == "section":
            n += 1
            out.append(f"{chinese_ordinal((numbers or {}).get(p.id, n))}、{p.heading}。{p.text}")
        else:
            out.append(p.text)
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
