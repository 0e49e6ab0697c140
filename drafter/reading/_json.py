"""Reading JSON a user wrote (a spec) as strictly as YAML: a key repeated in one
object is an error with its line, overlong integers and absurd nesting are refused
with a Chinese message, and field paths can be mapped back to lines.

The standard ``json`` parser does the parsing (fast, exact); the line index is a
linear token scan made only when a message needs a line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .._yaml import MAX_INT_DIGITS

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')
_LONG_INT = re.compile(r"-?\d{%d,}" % (MAX_INT_DIGITS + 1))

# json's reasons, in Chinese (the rest keep a generic wording).
_REASONS = {
    "Expecting value": "此处应为一个值（文字、数字、列表或对象）",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Expecting property name enclosed in double quotes": "键应为双引号括起的文字（最后一项后不能有逗号）",
    "Extra data": "对象结束后还有多余的内容",
    "Unterminated string starting at": "引号没有成对",
    "Invalid control character at": "文字中有控制字符（换行须写成 \\n）",
    "Invalid \\escape": "无效的转义（\\ 后只能是 \" \\ / b f n r t u）",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
}


class JSONProblem(ValueError):
    """A JSON text that cannot be read. ``line``/``column`` are 1-based, or None."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.line, self.column = line, column
        super().__init__(message)


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _Overlong
    return int(digits)


class _Overlong(Exception):
    pass


def loads(text: str) -> tuple[Any, bool]:
    """(data, whether some object repeats a key); :func:`index` says where."""
    repeated = False

    def pairs(items: list[tuple[str, Any]]) -> dict:
        nonlocal repeated
        out = dict(items)
        if len(out) != len(items):
            repeated = True
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_int)
    except json.JSONDecodeError as e:
        raise JSONProblem(f"JSON 格式错误：{_REASONS.get(e.msg, '格式不对')}", e.lineno, e.colno) from None
    except RecursionError:
        raise JSONProblem("JSON 嵌套层数过多，拒绝读取") from None
    except _Overlong:
        m = _LONG_INT.search(text)
        line = text.count("\n", 0, m.start()) + 1 if m else None
        raise JSONProblem(f"整数位数过多（超过 {MAX_INT_DIGITS} 位）", line) from None
    return data, repeated


def index(text: str) -> tuple[dict[tuple, int], list[tuple[tuple, str, int, int]]]:
    """(field path → line, duplicates as (object path, key, line, first line)) of a JSON
    text that parsed. Paths are tuples of keys and list indexes, as pydantic reports."""
    lines: dict[tuple, int] = {}
    dups: list[tuple[tuple, str, int, int]] = []
    # A frame: [path, is_object, seen keys (key → line), pending key, list index, expecting key]
    stack: list[list] = []
    line, pos = 1, 0

    def value_path() -> tuple:
        if not stack:
            return ()
        top = stack[-1]
        return top[0] + ((top[3],) if top[1] else (top[4],))

    for m in _TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        tok = m.group()
        top = stack[-1] if stack else None
        if tok in "{[":
            path = value_path()
            lines.setdefault(path, line)
            stack.append([path, tok == "{", {}, None, 0, True])
        elif tok in "}]":
            if stack:
                stack.pop()
        elif tok == ":":
            if top is not None:
                top[5] = False
        elif tok == ",":
            if top is not None:
                if top[1]:
                    top[5] = True
                else:
                    top[4] += 1
        elif top is not None and top[1] and top[5] and tok.startswith('"'):
            try:
                key = json.loads(tok)
            except ValueError:
                key = tok[1:-1]
            if key in top[2]:
                dups.append((top[0], key, line, top[2][key]))
            else:
                top[2][key] = line
            top[3] = key
            lines[top[0] + (key,)] = line
        else:
            lines.setdefault(value_path(), line)
    return lines, dups
