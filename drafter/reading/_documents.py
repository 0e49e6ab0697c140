"""Reading a document a user wants checked or imported: .docx, .md or .txt.

A document is its paragraphs in order. For text files a paragraph is a line; for
Word files it is a paragraph of the body, tables' cells included in reading order.
``Document.text`` joins the paragraphs with line breaks, so a finding's line number
is the paragraph's number.

python-docx is imported only when a .docx is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .._errors import InputError
from ._files import read_bytes, read_text


@dataclass(frozen=True)
class Paragraph:
    text: str
    number: int                 # 1-based position in the document (its line in ``Document.text``)
    level: int | None = None    # heading level where the source marks one (Word heading style, Markdown #)


@dataclass(frozen=True)
class Document:
    path: str
    format: str                 # "docx", "md" or "txt"
    paragraphs: tuple[Paragraph, ...]
    encoding: str | None = None  # the text encoding read (None for .docx)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


def read_document(path: str | Path, what: str = "文稿") -> Document:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".docx":
        return _read_docx(p, what)
    text = read_text(p, what)
    lines = text.split("\n")
    fmt = "md" if suffix in (".md", ".markdown") else "txt"
    paras = tuple(Paragraph(line.rstrip("\r"), i) for i, line in enumerate(lines, 1))
    return Document(str(p), fmt, paras, "utf-8")


def _read_docx(p: Path, what: str) -> Document:
    import io
    import zipfile

    data = read_bytes(p, what)
    try:
        from docx import Document as open_docx

        doc = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(f"{what} {p} 不是有效的 Word 文件（.docx）：{e}", path=str(p)) from None
    texts: list[tuple[str, int | None]] = []
    body = doc.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = DocxParagraph(child, doc)
            texts.append((para.text, _heading_level(para)))
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                for cell in row.cells:
                    for para in cell.paragraphs:
                        texts.append((para.text, None))
    paras = tuple(Paragraph(t, i, level) for i, (t, level) in enumerate(texts, 1))
    return Document(str(p), "docx", paras, None)


def _heading_level(para) -> int | None:
    try:
        name = para.style.name or ""
    except (AttributeError, KeyError):
        return None
    if name.lower().startswith("heading "):
        rest = name[8:].strip()
        return int(rest) if rest.isdigit() else None
    if name.lower() == "title":
        return 0
    return None
