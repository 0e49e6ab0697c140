"""Where the bundled data lives: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """``prompts`` or ``schemas``: the wheel ships them inside the package (see
    pyproject's force-include); a source checkout keeps them at the top level."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def data_file(name: str) -> Path:
    """A data file of the package itself (word lists, rules)."""
    return _PACKAGE / "data" / name
