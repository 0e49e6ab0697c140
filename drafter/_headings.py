"""Ordinals and heading formulas.

Both the composer (writing) and the exports (layout) number sections; neither should
import the other for it. A section's heading is its own (``heading`` in the spec) or
the kind's formula over its topic and aim (``drafting.heading`` in the kind's file,
read by :mod:`drafter._drafting`), in a variant when the topic already says what the
formula would add. Where each heading stands is the document's frame
(:mod:`drafter._frame`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._wording import blank_quotes

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


# The ordinal forms of GB/T 9704-2012 7.3.3, outermost first. A kind's file may state
# its own (structure.ordinals); these are what every bundled kind uses.
ORDINAL_FORMS: tuple[str, ...] = ("一、", "（一）", "1.", "（1）")

# A line that begins with an ordinal of any level: a heading, or a numbered sub-point.
ORDINAL_START = re.compile(r"^[ \t\u3000]*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]"
                           r"|[0-9０-９]+[.．](?![0-9０-９])|[（(][0-9０-９]+[）)])")


def ordinal(form: str, n: int) -> str:
    """The ``n``-th ordinal of a level written as its first: ("（一）", 3) → （三）,
    ("1.", 12) → 12."""
    if "一" in form:
        return form.replace("一", chinese_ordinal(n), 1)
    return form.replace("1", str(n), 1)


@dataclass(frozen=True)
class HeadingPart:
    """One field of a section rendered in its form, or in the first variant whose
    pattern matches the field (quotations blanked out)."""

    field: str
    form: str
    variants: tuple[tuple[re.Pattern[str], str], ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class HeadingFormula:
    """A kind's heading for a section that states none: its parts joined."""

    parts: tuple[HeadingPart, ...]
    joiner: str = "，"

    @property
    def fields(self) -> tuple[str, ...]:
        """The section fields the formula cannot do without."""
        return tuple(p.field for p in self.parts if not p.optional)

    def render(self, **fields: str | None) -> str:
        """The heading over the section's fields (topic, aim): 坚持以{topic}为牵引，推动{aim},
        or the variant that reads well when a field already says part of it. A part whose
        field is empty is left out."""
        out = []
        for part in self.parts:
            value = (fields.get(part.field) or "").strip().rstrip("。；;，,")
            if not value:
                continue
            probe = blank_quotes(value)
            form = next((f for when, f in part.variants if when.search(probe)), part.form)
            out.append(form.format(**{part.field: value}))
        return self.joiner.join(out)
