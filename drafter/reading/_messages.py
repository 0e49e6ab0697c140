"""pydantic's validation errors in the words a user reads: Chinese, naming the field.

Shared by the spec and draft readers. Every error type a user can meet has a
Chinese message; an unforeseen one still gets a Chinese sentence (with the type,
for a bug report), never pydantic's English.
"""

from __future__ import annotations

from typing import Any

MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（是否拼写有误？）",
    "string_type": "应为文字",
    "string_unicode": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "应为整数，且位数不能过多",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字（不能是无穷大、NaN 或超出范围的数）",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以 - 开头）",
    "dict_type": "应为对象（键: 值）",
    "model_type": "应为对象（键: 值）",
    "model_attributes_type": "应为对象（键: 值）",
    "string_too_short": "不能为空",
    "recursion_loop": "内容引用了自身（循环引用）",
    "json_invalid": "不是有效的 JSON",
    "none_required": "应为空（null）",
}


def message(err: dict[str, Any], union_branch: bool = False) -> str:
    """The Chinese message of one pydantic error (``e.errors()`` item)."""
    t = err["type"]
    ctx = err.get("ctx") or {}
    if t == "greater_than_equal":
        return f"不能小于 {ctx.get('ge'):g}（数量、金额等不能为负数）" if ctx.get("ge") == 0 else f"不能小于 {ctx.get('ge'):g}"
    if t == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if t == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if t == "less_than":
        return f"应小于 {ctx.get('lt')}"
    if t == "literal_error":
        return f"只能是 {ctx.get('expected')} 之一"
    if t == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if t == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    if t == "string_too_long":
        return f"太长：最多 {ctx.get('max_length')} 个字符"
    if t == "string_pattern_mismatch":
        return "格式不对：只能用小写字母、数字、- 和 _，且以字母或数字开头"
    if t in ("value_error", "assertion_error"):
        return str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if union_branch and t in ("string_type", "model_type", "dict_type", "model_attributes_type"):
        return "应为一行文字，或含 text 字段的对象"
    return MESSAGES.get(t, f"取值不符合要求（{t}）")


def field_path(loc: tuple) -> str:
    """``("sections", 2, "facts", 0)`` → ``sections[2].facts[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "（顶层）"
