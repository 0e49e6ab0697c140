"""The draft as a Word file (.docx)."""

from __future__ import annotations

import io
from pathlib import Path

from .._draft import Draft
from ._text import paragraphs
from ._write import write_bytes


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
    buf = io.BytesIO()
    doc.save(buf)
    write_bytes(path, buf.getvalue())
