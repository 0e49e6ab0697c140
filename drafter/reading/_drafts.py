"""Reading a draft file.

A draft file may come from anywhere (a colleague, a mail, a crafted attack), so it is
validated as strictly as a spec: part ids of the spec's pattern, roles that fit them,
a format version this drafter knows and a known document kind. Every problem is a
:class:`DraftFileError` in Chinese naming the field.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .._draft import Draft
from .._errors import DraftFileError, InputError
from . import _json
from ._files import read_text
from ._messages import field_path, message

_SHOWN = 5  # problems listed; the rest are counted


def load_draft(path: str | Path) -> Draft:
    p = Path(path)
    try:
        raw = read_text(p, "草稿文件")
    except InputError as e:
        raise DraftFileError(str(e), path=str(p)) from None
    try:
        return Draft.model_validate_json(raw)
    except ValidationError as e:
        errors = e.errors(include_url=False)
    if any(err["type"] == "json_invalid" for err in errors):
        try:
            _json.loads(raw)
            reason = "不是有效的 JSON"
        except _json.JSONProblem as problem:
            where = f"第 {problem.line} 行：" if problem.line else ""
            reason = f"{where}{problem}"
        raise DraftFileError(f"{p}: 不是有效的草稿文件（{reason}）", path=str(p))
    problems = [f"{field_path(tuple(err['loc']))}：{message(err)}" for err in errors]
    more = f"等 {len(problems)} 处问题" if len(problems) > _SHOWN else ""
    raise DraftFileError(f"{p}: 不是有效的草稿文件{more}", path=str(p), problems=problems[:_SHOWN])
