"""Writing outputs: drafts as Markdown, text, JSON and Word, and the draft file.

Every file goes through :func:`write_bytes` (atomic for regular files, written
through for devices and pipes, symlinks followed, never half written).
"""

from ._docx import write_docx
from ._drafts import save_draft
from ._text import FORMATS, paragraphs, render, to_json, to_markdown, to_text
from ._write import check_writable, sigint_deferred, write_bytes, write_text

__all__ = ["FORMATS", "check_writable", "paragraphs", "render", "save_draft", "sigint_deferred", "to_json", "to_markdown",
           "to_text", "write_bytes", "write_docx", "write_text"]
