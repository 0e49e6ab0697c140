"""drafter: draft Chinese official documents (公文) from structured inputs and prove
every draft against them.

Public API (see ``__all__``); errors are documented in :mod:`drafter._errors`.
Heavy parts (the openai client, validators' word lists) load on first use.
"""

from __future__ import annotations

from ._draft import Attempt, Draft, Part, load_draft, save_draft
from ._errors import (
    ConfidentialityError,
    DraftFileError,
    DraftRejected,
    DrafterError,
    EditProtected,
    EmptyReply,
    InputError,
    MalformedReply,
    ModelAuthError,
    ModelError,
    ModelRequestError,
    ModelUnavailable,
    PromptError,
    ReplyRejected,
    SessionLocked,
    SpecError,
    TruncatedReply,
)
from ._evidence import Evidence, EvidenceFigure
from ._export import to_json, to_markdown, to_text, write_docx
from ._findings import Finding
from ._load import load_facts, load_spec, parse_spec
from ._numbers import Mention, extract
from ._pipeline import Drafter
from ._spec import Change, Closing, FactDetail, Figure, Opening, Report, Section, SubPoint
from ._writers import ComposerWriter, Job, ModelWriter, Writer


def validate(text, spec=None, **kw):
    """Check ``text`` and return findings; see :func:`drafter.validators.validate`."""
    from .validators import validate as _validate

    return _validate(text, spec, **kw)


__version__ = "0.1.0"

__all__ = [
    "Attempt",
    "Change",
    "Closing",
    "ComposerWriter",
    "ConfidentialityError",
    "Draft",
    "DraftFileError",
    "DraftRejected",
    "Drafter",
    "DrafterError",
    "EditProtected",
    "EmptyReply",
    "Evidence",
    "EvidenceFigure",
    "FactDetail",
    "Figure",
    "Finding",
    "InputError",
    "Job",
    "MalformedReply",
    "Mention",
    "ModelAuthError",
    "ModelError",
    "ModelRequestError",
    "ModelUnavailable",
    "ModelWriter",
    "Opening",
    "Part",
    "PromptError",
    "ReplyRejected",
    "Report",
    "Section",
    "SessionLocked",
    "SpecError",
    "SubPoint",
    "TruncatedReply",
    "Writer",
    "extract",
    "load_draft",
    "load_facts",
    "load_spec",
    "parse_spec",
    "save_draft",
    "to_json",
    "to_markdown",
    "to_text",
    "validate",
    "write_docx",
]
