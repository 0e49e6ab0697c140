"""Saving a draft file (atomically; see :mod:`._write`)."""

from __future__ import annotations

from pathlib import Path

from .._draft import Draft, now
from ._write import write_bytes


def save_draft(draft: Draft, path: str | Path) -> None:
    """Write the draft file; ``updated`` is set to now."""
    draft.updated = now()
    write_bytes(path, draft.model_dump_json(indent=2).encode("utf-8"))
