"""A draft as Markdown, plain text or JSON (the draft as data)."""

from __future__ import annotations

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


def to_markdown(draft: Draft, numbers: dict[str, int] | None = None) -> str:
    return f"# {draft.title}\n\n" + "\n\n".join(paragraphs(draft, numbers)) + "\n"


def to_text(draft: Draft, numbers: dict[str, int] | None = None) -> str:
    return draft.title + "\n" + "\n".join(paragraphs(draft, numbers)) + "\n"


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
