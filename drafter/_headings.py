"""Ordinals and heading lines of a report, next to the input model they number.

Both the composer (writing) and the exports (layout) number sections; neither should
import the other for it.
"""

from __future__ import annotations

from ._spec import Section

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


def heading_line(number: int, section: Section) -> str:
    """The first-level heading of a section as it stands in the report: 一、……。"""
    return f"{chinese_ordinal(number)}、{section.heading}。"
