"""drafter: draft Chinese official documents (公文) from structured inputs and prove
every draft against them.

Public API (see ``__all__``); errors are documented in :mod:`drafter._errors`.
Heavy parts (the openai client, validators' word lists) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING

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

if _TYPE_CHECKING:  # what the names below are, for editors and type checkers
    from ._draft import Attempt, Draft, Part
    from ._evidence import Evidence, EvidenceFigure, FactRecord
    from .export import save_draft, to_docx, to_json, to_markdown, to_text, write_docx
    from ._findings import Finding
    from ._frame import Frame
    from ._numbers import Mention, extract
    from ._pipeline import Drafter
    from .reading import load_draft, load_facts, load_spec, parse_spec
    from ._spec import Change, Closing, FactDetail, Figure, Opening, Person, Report, Section, SubPoint
    from ._writers import ComposerWriter, Job, ModelWriter, Writer

# The rest of the public API loads on first use (PEP 562): `drafter check` needs the
# validators, not jinja2, asyncio or the Word writer, and start-up is most of its time.
_LAZY = {
    "Attempt": "._draft",
    "Change": "._spec",
    "Closing": "._spec",
    "ComposerWriter": "._writers",
    "Draft": "._draft",
    "Drafter": "._pipeline",
    "Evidence": "._evidence",
    "EvidenceFigure": "._evidence",
    "FactDetail": "._spec",
    "FactRecord": "._evidence",
    "Figure": "._spec",
    "Finding": "._findings",
    "Frame": "._frame",
    "Job": "._writers",
    "Mention": "._numbers",
    "ModelWriter": "._writers",
    "Opening": "._spec",
    "Part": "._draft",
    "Person": "._spec",
    "Report": "._spec",
    "Section": "._spec",
    "SubPoint": "._spec",
    "Writer": "._writers",
    "extract": "._numbers",
    "load_draft": ".reading",
    "load_facts": ".reading",
    "load_spec": ".reading",
    "parse_spec": ".reading",
    "save_draft": ".export",
    "to_docx": ".export",
    "to_json": ".export",
    "to_markdown": ".export",
    "to_text": ".export",
    "write_docx": ".export",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'drafter' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def import_materials(paths, **kw):
    """Ledgers and outlines as a spec; see :func:`drafter.importing.import_materials`."""
    from .importing import import_materials as _import

    return _import(paths, **kw)


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
    "FactRecord",
    "Figure",
    "Finding",
    "Frame",
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
    "Person",
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
    "import_materials",
    "load_draft",
    "load_facts",
    "load_spec",
    "parse_spec",
    "save_draft",
    "to_docx",
    "to_json",
    "to_markdown",
    "to_text",
    "validate",
    "write_docx",
]
