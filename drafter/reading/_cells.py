"""A ledger cell as a person sees it in Excel or WPS: its reference, and its value as
shown (a number as its format shows it, a percent marked).

Kept apart from the readers (:mod:`._ledgers`, :mod:`._sheet_xml`) so that the sheet
reader can make the final cells itself, once each, without an import cycle.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


class Cell(NamedTuple):
    """Immutable and compared by value; a named tuple because a 10,000-row ledger makes
    60,000 of them (a frozen dataclass costs twice as much to make)."""

    ref: str                 # A1-style reference, e.g. C12
    value: object            # None, str, int, float, bool, datetime, date or time — as shown
    percent: bool = False    # a number shown with a percent format; ``value`` is the shown number
    uncached: bool = False   # a formula with no calculated value: nothing to read


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def as_shown(value: float, number_format: str) -> tuple[float, bool]:
    """A number as its cell format shows it: (shown number, whether it shows as a percent)."""
    from decimal import ROUND_HALF_UP, Decimal

    percent, places = format_rule(number_format)
    if type(value) is int and not percent and -10**15 < value < 10**15:
        return value, False  # shown as it is, whatever the decimals (a float holds it exactly)
    if places is None and not percent:  # General and the like: 15 significant digits
        v = float(f"{float(value):.15g}")  # what float(Decimal(…)) of that text gives
    else:
        d = Decimal(f"{float(value):.15g}")  # Excel keeps 15 significant digits
        if percent:
            d = d.scaleb(2)
        if places is not None:  # Excel rounds half away from zero to the decimals it shows
            d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        v = float(d)
    return (int(v) if v.is_integer() and abs(v) < 1e15 else v), percent


@lru_cache(maxsize=256)
def format_rule(number_format: str) -> tuple[bool, int | None]:
    """(shows a percent, decimals it rounds to or None) of a number format, read once
    per format (a ledger has a handful, and 10,000 numbers)."""
    fmt = _QUOTED.sub("", number_format.split(";", 1)[0])
    m = re.search(r"[0#?](?:[0#?,]*)\.([0#?]+)", fmt)
    if m:
        places: int | None = len(m.group(1))
    elif re.search(r"[0#?]", fmt) and not re.search(r"[eE][+-]", fmt):
        places = 0
    else:
        places = None
    return "%" in fmt, places


def _col_letters(index: int) -> str:
    """0-based column index → A, B, …, Z, AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


LETTERS = [_col_letters(i) for i in range(256)]


def column_letter(col0: int) -> str:
    """0-based column index → its letters (A, B, …, AA)."""
    return LETTERS[col0] if col0 < 256 else _col_letters(col0)


def split_ref(ref: str) -> tuple[str, int]:
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
    if not m:
        raise ValueError(f"单元格引用无效：{ref}")
    return m.group(1).upper(), int(m.group(2))


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
