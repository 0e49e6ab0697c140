"""Writing outputs: drafts as Markdown, text, JSON and Word, the draft file, and an
imported spec as commented YAML.

Every file goes through :func:`write_bytes` (atomic for regular files, written
through for devices and pipes, symlinks followed, never half written).
"""

from ._docx import to_docx, write_docx
from ._drafts import save_draft
from ._spec_yaml import SpecText, spec_yaml
from ._text import (FORMATS, chinese_date, closing_lines, paragraphs, part_texts, recipient_line, render, to_json,
                    to_markdown, to_text)
from ._write import check_writable, sigint_deferred, write_bytes, write_text

__all__ = ["FORMATS", "SpecText", "check_writable", "chinese_date", "closing_lines", "paragraphs", "part_texts",
           "recipient_line", "render", "save_draft", "sigint_deferred", "spec_yaml", "to_docx", "to_json",
           "to_markdown", "to_text", "write_bytes", "write_docx", "write_text"]
