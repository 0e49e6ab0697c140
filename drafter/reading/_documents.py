"""Reading a document a user wants checked or imported: .docx, .md or .txt.

A document is its text and its paragraphs in order. For text files (.txt, .md and any
other name) a paragraph is a line, the text is the file's text as decoded (UTF-8,
GB18030/GBK or UTF-16, see :func:`~drafter.reading.decode_text`) and offsets point into
it. For Word files a paragraph is a paragraph of the body — tables' cells, content
controls and nested tables included, in reading order — and the text is the paragraphs
joined by line breaks, so a finding's line is the paragraph's number. A line break
inside a Word paragraph (Shift+Enter) stays a line break in the text;
:meth:`Document.locate` still gives the paragraph's number.

.doc, .wps and the like are refused with what to do instead. python-docx is imported
only when a .docx is read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import InputError
from ._files import decode_text, not_text_reason, read_bytes

#: What ``read_document`` reads as what.
DOCUMENT_SUFFIXES = {".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}

# Formats a user may well hand in, that are not read: what they are.
_CONVERT_FIRST = {
    ".doc": "Word 97-2003 文档（.doc）", ".dot": "Word 97-2003 模板（.dot）",
    ".wps": "WPS 文字文档（.wps）", ".wpt": "WPS 文字模板（.wpt）",
    ".docm": "启用宏的 Word 文档（.docm）", ".dotx": "Word 模板（.dotx）",
    ".rtf": "RTF 文档（.rtf）", ".odt": "OpenDocument 文本（.odt）",
    ".pdf": "PDF 文件", ".xls": "Excel 表格（.xls）", ".xlsx": "Excel 表格（.xlsx）", ".et": "WPS 表格（.et）",
}
_MARKDOWN_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]")
_STYLE_LEVEL = re.compile(r"(?:heading|标题)\s*([1-9])", re.I)


@dataclass(frozen=True)
class Paragraph:
    text: str
    number: int                 # 1-based position in the document (its line in ``Document.text``)
    level: int | None = None    # heading level where the source marks one: Word's Title 0 and
                                # Heading N (or outline level) N; Markdown's N #s N


@dataclass(frozen=True)
class Document:
    path: str
    format: str                 # "docx", "md" or "txt"
    paragraphs: tuple[Paragraph, ...]
    encoding: str | None = None  # the text encoding read (None for .docx)
    text: str = ""              # what is checked; offsets of findings point into it
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        joined = "\n".join(p.text for p in self.paragraphs)
        if not self.text:
            object.__setattr__(self, "text", joined)
        starts = [0]
        if self.text == joined:  # paragraphs may hold line breaks of their own (Word)
            for p in self.paragraphs[:-1]:
                starts.append(starts[-1] + len(p.text) + 1)
        else:  # a text file as decoded: one paragraph a line, line ends as they are
            starts += [m.end() for m in re.finditer("\n", self.text)]
        object.__setattr__(self, "_starts", tuple(starts))

    def locate(self, offset: int) -> tuple[int, int]:
        """(paragraph number, 1-based column in it) of an offset into ``text``."""
        i = max(bisect_right(self._starts, offset) - 1, 0)
        if i >= len(self.paragraphs):
            return i + 1, offset - self._starts[i] + 1
        return self.paragraphs[i].number, offset - self._starts[i] + 1


def read_document(path: str | Path, what: str = "文稿") -> Document:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _CONVERT_FIRST:
        raise InputError(_convert_first(p, _CONVERT_FIRST[suffix], what), path=str(p))
    if suffix == ".docx":
        return _read_docx(p, what)
    data = read_bytes(p, what)
    text, encoding = decode_text(data, p, what)
    fmt = DOCUMENT_SUFFIXES.get(suffix, "txt")
    paras = []
    for i, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        m = _MARKDOWN_HEADING.match(line) if fmt == "md" else None
        paras.append(Paragraph(line, i, len(m.group(1)) if m else None))
    # text stays as decoded (line ends included) so offsets are offsets into the file's text
    return Document(str(p), fmt, tuple(paras), encoding, text)


def _convert_first(p: Path, name: str, what: str) -> str:
    if name.startswith(("PDF", "Excel", "WPS 表格")):
        return f"{what} {p} 是{name}，drafter 只读取 .docx、.md 和 .txt 文稿：请提供原稿的 .docx 或 .txt"
    return (f"{what} {p} 是{name}，drafter 只读取 .docx、.md 和 .txt：请在 Word 或 WPS 中打开后"
            f"“另存为” Word 文档（*.docx），或用 LibreOffice 转换：soffice --headless --convert-to docx \"{p.name}\"")


def _read_docx(p: Path, what: str) -> Document:
    import io
    import zipfile

    data = read_bytes(p, what)
    if not data.startswith(b"PK"):
        reason = not_text_reason(data)
        if reason and reason.startswith("是旧版"):
            raise InputError(f"{what} {p} 其实是旧版 .doc 或加密的 Word 文件：请在 Word 或 WPS 中打开，"
                             f"“另存为” Word 文档（*.docx）；加密的请先取消密码", path=str(p))
        raise InputError(f"{what} {p} 不是有效的 Word 文件（.docx）：不是 ZIP 包", path=str(p))
    try:
        from docx import Document as open_docx

        doc = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(f"{what} {p} 不是有效的 Word 文件（.docx）：{e}", path=str(p)) from None
    styles = _style_names(doc)
    paras = tuple(Paragraph(text, i, level) for i, (text, level) in enumerate(_body_paragraphs(doc, styles), 1))
    return Document(str(p), "docx", paras, None)


# ----------------------------------------------------------------- Word's XML

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Containers whose paragraphs are read in order, like the body's own.
_BLOCK_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}tr", f"{_W}tc"}
# Inside a paragraph: not text of the paragraph (deleted text, text boxes with paragraphs
# of their own, the fallback copy of alternate content, field codes).
_SKIP_IN_PARAGRAPH = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", _MC_FALLBACK, f"{_W}instrText",
                      f"{_W}delText", f"{_W}pPr", f"{_W}rPr"}


def _style_names(doc) -> dict[str, str]:
    out = {}
    for el in doc.styles.element.iterchildren(f"{_W}style"):
        name = el.find(f"{_W}name")
        out[el.get(f"{_W}styleId")] = name.get(f"{_W}val") if name is not None else ""
    return out


def _body_paragraphs(doc, styles: dict[str, str]):
    """(text, level) of every paragraph in reading order."""

    def blocks(parent):
        for child in parent.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                yield _paragraph_text(child), _level(child, styles)
            elif tag == f"{_W}tbl":
                for row in child.iterchildren(f"{_W}tr"):
                    for cell in row.iterchildren(f"{_W}tc"):  # a merged cell is one w:tc: read once
                        yield from blocks(cell)
            elif tag in _BLOCK_WRAPPERS:
                yield from blocks(child)

    yield from blocks(doc.element.body)


def _paragraph_text(p) -> str:
    out: list[str] = []

    def walk(el):
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if child.get(f"{_W}type") in (None, "textWrapping"):
                    out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            else:
                walk(child)  # runs, hyperlinks, smart tags, insertions, fields' results

    walk(p)
    return "".join(out)


def _level(p, styles: dict[str, str]) -> int | None:
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        return None
    style = ppr.find(f"{_W}pStyle")
    if style is not None:
        name = styles.get(style.get(f"{_W}val"), style.get(f"{_W}val") or "")
        if name.lower() == "title" or name == "标题":
            return 0
        m = _STYLE_LEVEL.fullmatch(name.strip())
        if m:
            return int(m.group(1))
    outline = ppr.find(f"{_W}outlineLvl")
    if outline is not None and (outline.get(f"{_W}val") or "").isdigit() and int(outline.get(f"{_W}val")) < 9:
        return int(outline.get(f"{_W}val")) + 1
    return None
