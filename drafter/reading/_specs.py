"""Reading specs (YAML or JSON) and reviewers' facts files.

Every problem becomes a :class:`SpecError` whose message names the file, the field
path (``sections[2].facts[0].figures[1].value``) and, where YAML gives it, the line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .._errors import SpecError
from .._yaml import compose_and_construct
from ._files import read_text
from .._spec import Change, Closing, FactDetail, Figure, Opening, Person, Report, Section, SubPoint

_MODELS: tuple[type[BaseModel], ...] = (Report, Opening, Section, SubPoint, FactDetail, Figure, Change, Closing, Person)
_FIELD_NAMES = frozenset(name for m in _MODELS for name in m.model_fields)

_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（是否拼写有误？）",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以 - 开头）",
    "dict_type": "应为对象（键: 值）",
    "model_type": "应为对象（键: 值）",
    "model_attributes_type": "应为对象（键: 值）",
    "string_too_short": "不能为空",
}


def load_spec(path: str | Path) -> Report:
    """Read and validate a spec file (``.yaml``/``.yml``/``.json``)."""
    p = Path(path)
    text = read_text(p, "输入文件")
    return parse_spec(text, name=str(p), json_format=p.suffix.lower() == ".json")


def parse_spec(text: str, *, name: str = "<spec>", json_format: bool = False) -> Report:
    lines: dict[tuple, int] = {}
    if json_format:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise SpecError(f"{name}:{e.lineno}:{e.colno}: JSON 格式错误：{e.msg}", path=name) from None
    else:
        try:
            node, data = compose_and_construct(text)
        except yaml.YAMLError as e:
            raise SpecError(_yaml_message(name, e), path=name) from None
        problems: list[str] = []
        if node is not None:
            _index_lines(node, (), lines, problems, name)
        if problems:
            raise SpecError(f"{name}: 输入有重复的键", path=name, problems=problems)
    if data is None:
        raise SpecError(f"{name}: 文件是空的，应为一份报告的输入（可用 drafter init 生成样例）", path=name)
    if not isinstance(data, dict):
        raise SpecError(f"{name}: 顶层应为对象（kind、organ、period、opening、sections、closing 等字段）", path=name)
    problems = _duplicate_ids(data, lines, name)
    try:
        report = Report.model_validate(data)
    except ValidationError as e:
        problems += _problems(e, lines, name, skip_duplicate_ids=bool(problems))
    if problems:
        raise SpecError(f"{name}: 输入不符合格式，共 {len(problems)} 处问题", path=name, problems=problems)
    # Structured figures must agree with their text: evidence checks it, every fact
    # at once; each problem gets its file:line.
    from .._evidence import Evidence, path_location

    try:
        Evidence.of(report)
    except SpecError as e:
        located = getattr(e, "locations", None)
        if located:
            problems = []
            for field_path, msg in located:
                line = _line_of(path_location(field_path), lines)
                problems.append(f"{name}:{line}: {field_path}：{msg}" if line else f"{name}: {field_path}：{msg}")
        else:
            problems = e.problems
        raise SpecError(f"{name}: {e}，共 {len(problems)} 处", path=name, problems=problems) from None
    return report


def _yaml_message(name: str, e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
    problem = getattr(e, "problem", None) or str(e)
    return f"{where}: YAML 格式错误：{problem}（请检查缩进、冒号后的空格和引号是否成对）"


def _index_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int], problems: list[str], name: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            key = k.value
            if key in seen:
                problems.append(f"{name}:{k.start_mark.line + 1}: 字段 {_fmt_path(path + (key,))} 重复（第 {seen[key]} 行已有）")
            seen[key] = k.start_mark.line + 1
            lines[path + (key,)] = k.start_mark.line + 1
            _index_lines(v, path + (key,), lines, problems, name)
            lines[path + (key,)] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _index_lines(v, path + (i,), lines, problems, name)


def _fmt_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "（顶层）"


def _line_of(loc: tuple, lines: dict[tuple, int]) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def _problems(e: ValidationError, lines: dict[tuple, int], name: str, *, skip_duplicate_ids: bool) -> list[str]:
    out: list[str] = []
    seen: set[tuple] = set()
    collected: list[tuple[tuple, str, bool]] = []
    for err in e.errors(include_url=False):
        if skip_duplicate_ids and err["loc"] == ("sections",) and err["type"] == "value_error":
            continue  # already reported with its exact path and line
        if err["type"] == "kind_inputs":  # what the kind needs: one problem per field, at its line
            collected += [(tuple(loc), msg, False) for loc, msg in err["ctx"]["problems"]]
            continue
        raw = err["loc"]
        loc = tuple(p for p in raw[:-1] if isinstance(p, int) or p in _FIELD_NAMES)
        if raw and (isinstance(raw[-1], int) or raw[-1] in _FIELD_NAMES or err["type"] == "extra_forbidden"):
            loc += (raw[-1],)
        union_branch = len(loc) != len(raw)
        collected.append((loc, _message(err, union_branch), union_branch))
    for loc, msg, union_branch in collected:
        # A union's "not a string" is noise when the object branch says what is wrong inside.
        if union_branch and any(len(other) > len(loc) and other[:len(loc)] == loc for other, _, _ in collected):
            continue
        if (loc, msg) in seen:
            continue
        seen.add((loc, msg))
        line = _line_of(loc, lines)
        where = f"{name}:{line}" if line else name
        out.append(f"{where}: {_fmt_path(loc)}：{msg}")
    return out


def _message(err: dict[str, Any], union_branch: bool) -> str:
    t = err["type"]
    ctx = err.get("ctx") or {}
    if t == "greater_than_equal":
        return f"不能小于 {ctx.get('ge'):g}（数量、金额等不能为负数）" if ctx.get("ge") == 0 else f"不能小于 {ctx.get('ge'):g}"
    if t == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if t == "literal_error":
        return f"只能是 {ctx.get('expected')} 之一"
    if t == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if t == "string_pattern_mismatch":
        return "格式不对：只能用小写字母、数字、- 和 _，且以字母或数字开头"
    if t == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if union_branch and t in ("string_type", "model_type", "dict_type", "model_attributes_type"):
        return "应为一行文字，或含 text 字段的对象"
    return _MESSAGES.get(t, err["msg"])


def _duplicate_ids(data: dict, lines: dict[tuple, int], name: str) -> list[str]:
    sections = data.get("sections")
    if not isinstance(sections, list):
        return []
    seen: dict[str, int] = {}
    problems = []
    for i, s in enumerate(sections):
        if isinstance(s, dict) and isinstance(s.get("id"), str):
            sid = s["id"]
            if sid in seen:
                line = _line_of(("sections", i, "id"), lines)
                where = f"{name}:{line}" if line else name
                problems.append(f"{where}: sections[{i}].id：部分标识 {sid!r} 与 sections[{seen[sid]}] 重复，每个部分的 id 必须唯一")
            else:
                seen[sid] = i
    return problems


def load_facts(path: str | Path) -> list[str]:
    """A reviewer's facts file: one fact per line; blank lines and # comments ignored."""
    text = read_text(path, "事实文件")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
