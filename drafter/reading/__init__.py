"""Reading user files: specs, facts files, drafts and texts to check.

Every reader goes through :func:`read_bytes` (regular files only, bounded size) and
turns every problem into an :class:`~drafter.InputError` that names the file and,
where known, the line and field.
"""

from ._documents import DOCUMENT_SUFFIXES, Document, Paragraph, read_document
from ._drafts import load_draft
from ._files import MAX_BYTES, decode_text, read_bytes, read_text, read_text_with_encoding
from ._specs import load_facts, load_spec, parse_spec

__all__ = ["DOCUMENT_SUFFIXES", "MAX_BYTES", "Document", "Paragraph", "decode_text", "load_draft", "load_facts",
           "load_spec", "parse_spec", "read_bytes", "read_document", "read_text", "read_text_with_encoding"]
