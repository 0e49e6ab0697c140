"""Reading user files: specs, facts files, drafts, texts to check, ledgers and outlines.

Every reader goes through :func:`read_bytes` (regular files only, bounded size) and
turns every problem into an :class:`~drafter.InputError` that names the file and,
where known, the line and field.
"""

from ._documents import DOCUMENT_SUFFIXES, Document, Paragraph, read_document
from ._drafts import load_draft
from ._files import MAX_BYTES, decode_text, read_bytes, read_text, read_text_with_encoding
from ._ledgers import (LEDGER_SUFFIXES, Cell, Ledger, LedgerRow, LedgerSheet, as_shown, column_letter, is_ledger,
                       read_ledger)
from ._outlines import OUTLINE_SUFFIXES, Outline, OutlineItem, is_outline, read_outline
from ._specs import load_facts, load_spec, parse_spec

__all__ = ["DOCUMENT_SUFFIXES", "LEDGER_SUFFIXES", "MAX_BYTES", "OUTLINE_SUFFIXES", "Cell", "Document", "Ledger",
           "LedgerRow", "LedgerSheet", "Outline", "OutlineItem", "Paragraph", "as_shown", "column_letter",
           "decode_text", "is_ledger", "is_outline", "load_draft", "load_facts", "load_spec", "parse_spec",
           "read_bytes", "read_document", "read_ledger", "read_outline", "read_text", "read_text_with_encoding"]
