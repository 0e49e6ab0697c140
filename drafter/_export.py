"""Export a draft: Markdown, plain text, JSON (the draft as data) or Word (.docx)."""

from __future__ import annotations

from pathlib import Path

from ._composer import chinese_ordinal
from ._draft import Draft

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


def write_docx(draft: Draft, path: str | Path) -> None:
    """A Word file laid out after GB/T 9704-2012: title centred in 小标宋 二号,
    body in 仿宋_GB2312 三号 with a two-character first-line indent."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()

    def font(run, name: str, size: float, bold: bool = False) -> None:
        run.font.name = name
        run.font.size = Pt(size)
        run.font.bold = bold
        run._element.rPr.rFonts.set(qn("w:eastAsia"), name)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(title.add_run(draft.title), "方正小标宋简体", 22)
    for text in paragraphs(draft):
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(32)
        para.paragraph_format.line_spacing = Pt(28)
        font(para.add_run(text), "仿宋_GB2312", 16)
    doc.save(str(path))
