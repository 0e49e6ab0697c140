"""Reading a draft file."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .._draft import Draft
from .._errors import DraftFileError, InputError
from ._files import read_text


def load_draft(path: str | Path) -> Draft:
    p = Path(path)
    try:
        raw = read_text(p, "草稿文件")
    except InputError as e:
        raise DraftFileError(str(e), path=str(p)) from None
    try:
        return Draft.model_validate_json(raw)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise DraftFileError(f"{p}: 不是有效的草稿文件（{loc}：{first['msg']}）", path=str(p)) from None
