"""Reading specs (YAML or JSON) and reviewers' facts files.

Every problem becomes a :class:`SpecError` whose message names the file, the field
path (``sections[2].facts[0].figures[1].value``) and its line. JSON is read as strictly
as YAML (a repeated key is an error), see :mod:`._json`.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from .._errors import SpecError
from .._spec import Change, Closing, FactDetail, Figure, Opening, Person, Report, Section, SubPoint
from .._yaml import YAMLLimitError, compose_and_construct
from . import _json
from ._files import read_text
from ._messages import field_path as _fmt_path
from ._messages import message as _message

_MODELS: tuple[type[BaseModel], ...] = (Report, Opening, Section, SubPoint, FactDetail, Figure, Change, Closing, Person)
_FIELD_NAMES = frozenset(name for m in _MODELS for name in m.model_fields)


def load_spec(path: str | Path) -> Report:
    """Read and validate a spec file (``.yaml``/``.yml``/``.json``)."""
    p = Path(path)
    text = read_text(p, "输入文件")
    return parse_spec(text, name=str(p), json_format=p.suffix.lower() == ".json")


def parse_spec(text: str, *, name: str = "<spec>", json_format: bool = False) -> Report:
    lines: dict[tuple, int] = {}
    if json_format:
        try:
            data, repeated = _json.loads(text)
        except _json.JSONProblem as e:
            where = ":".join(str(x) for x in (name, e.line, e.column) if x is not None)
            raise SpecError(f"{where}: {e}", path=name) from None
        if repeated:
            lines, dups = _json.index(text)
            problems = [f"{name}:{line}: 字段 {_fmt_path(path + (key,))} 重复（第 {first} 行已有）"
                        for path, key, line, first in dups]
            raise SpecError(f"{name}: 输入有重复的键", path=name, problems=problems)
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
    invalid: ValidationError | None = None
    try:
        report = Report.model_validate(data)
    except ValidationError as e:
        invalid = e
    if json_format and (problems or invalid):
        lines = _json.index(text)[0]  # lines only when a message needs them
        problems = _duplicate_ids(data, lines, name)
    if invalid is not None:
        problems += _problems(invalid, lines, name, skip_duplicate_ids=bool(problems))
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


# libyaml's reasons that are not about indentation or quotes, in Chinese.
_YAML_PROBLEMS = {
    "exceeded maximum nesting depth": "嵌套层数过多（超过 libyaml 的上限），拒绝读取",
}


def _yaml_message(name: str, e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
    problem = getattr(e, "problem", None) or str(e)
    if isinstance(e, YAMLLimitError):
        return f"{where}: {problem}"
    if problem in _YAML_PROBLEMS:
        return f"{where}: {_YAML_PROBLEMS[problem]}"
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
