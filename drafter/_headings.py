"""Ordinals, level-1 headings and heading lines of a report.

Both the composer (writing) and the exports (layout) number sections; neither should
import the other for it. A section's heading is its own (``heading`` in the spec) or
the kind's formula over its topic and aim (``drafter/data/composer/headings.yaml``),
in a variant when the topic already says what the formula would add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from ._wording import blank_quotes, composer_data


class Headed(Protocol):
    """Anything with a heading: a spec's Section."""

    @property
    def heading(self) -> str: ...

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 100 → 一百, 105 → 一百零五, 1234 →
    一千二百三十四: the ordinal as written before "、" in a heading (GB/T 9704-2012 7.3.3)."""
    if n < 1:
        raise ValueError(f"ordinal must be positive: {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    return _chinese_number(n)


def _chinese_number(n: int) -> str:
    """Standard reading of 20 ≤ n < 10**8 (二十一, 一百零五, 一万零二十)."""
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        head = _chinese_number(high) if high >= 20 else ("十" + (_DIGITS[high - 10] if high > 10 else "")
                                                          if high >= 10 else _DIGITS[high])
        if not low:
            return head + "万"
        return head + "万" + ("零" if low < 1000 else "") + _small(low, leading=False)
    return _small(n, leading=True)


def _small(n: int, *, leading: bool) -> str:
    """1 ≤ n < 10000 with 零 where a place is skipped; 十 keeps its 一 unless it leads."""
    out = ""
    zero = False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            zero = False
            if not (value == 10 and d == 1 and not out and leading):
                out += _DIGITS[d]
            out += name
        elif out:
            zero = True
    return out


@dataclass(frozen=True)
class _Part:
    field: str
    form: str
    variants: tuple[tuple[re.Pattern[str], str], ...]


@dataclass(frozen=True)
class _Formula:
    joiner: str
    parts: tuple[_Part, ...]


@cache
def _formulas() -> dict[str, _Formula]:
    out = {}
    for kind, body in composer_data("headings").items():
        parts = tuple(
            _Part(p["field"], p["form"], tuple((re.compile(v["when"]), v["form"]) for v in p.get("variants", [])))
            for p in body.get("parts", []))
        out[kind] = _Formula(body.get("joiner", "，"), parts)
    return out


def formula_heading(kind: str, topic: str, aim: str) -> str:
    """The kind's level-1 heading for a topic and aim: 坚持以{topic}为牵引，推动{aim},
    or the variant that reads well when the topic or aim already says part of it."""
    formulas = _formulas()
    formula = formulas.get(kind) or formulas["default"]
    values = {"topic": topic.strip().rstrip("。；;，,"), "aim": aim.strip().rstrip("。；;，,")}
    out = []
    for part in formula.parts:
        probe = blank_quotes(values[part.field])
        form = next((f for when, f in part.variants if when.search(probe)), part.form)
        out.append(form.format(**values))
    return formula.joiner.join(out)


def heading_line(number: int, section: Headed) -> str:
    """The first-level heading of a section as it stands in the report: 一、……。"""
    return f"{chinese_ordinal(number)}、{section.heading}。"
