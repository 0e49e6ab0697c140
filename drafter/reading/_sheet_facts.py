"""What a sheet's XML says beyond its cells' values, which openpyxl's read-only mode
does not give: hidden rows, merged ranges, formulas without a calculated value.

Read in one scan of the tags' attributes: in XML a ``<`` in text is always escaped,
so every ``<row``, ``<mergeCell`` and ``<c`` in the bytes is a tag. The sheet reader
(:mod:`._sheet_xml`) gathers the same facts as it reads the rows; a test compares both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._cells import column_index, split_ref

_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\b([^>]*)/?>")
_CELL_EL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
#: A row tag as Excel and openpyxl mostly write it: its number and nothing hidden.
PLAIN_ROW_ATTRS = re.compile(rb'\s*r="([0-9]+)"(?:\s+spans="[0-9: ]*")?\s*')


@dataclass
class SheetFacts:
    hidden_rows: set[int]
    merges: list[tuple[int, int, int, int]]   # min_row, min_col, max_row, max_col (1-based)
    uncached: set[str]                         # references of formulas without a value
    last_row: int                              # the last row number a row tag gives


def tag_attrs(raw: bytes) -> dict[bytes, bytes]:
    """A tag's attributes as written (the last of a repeated one)."""
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(raw)}


def row_number(attrs: dict[bytes, bytes], counter: int) -> int:
    """A row's number: its ``r``, or the one after the previous row's."""
    r = attrs.get(b"r")
    return int(r) if r and r.isdigit() else counter + 1


def is_hidden(attrs: dict[bytes, bytes]) -> bool:
    return attrs.get(b"hidden") in (b"1", b"true")


def sheet_facts(xml: bytes) -> SheetFacts:
    """The facts of a sheet, from its whole XML."""
    hidden: set[int] = set()
    last = 0
    counter = 0
    for m in _ROW_TAG.finditer(xml):
        plain = PLAIN_ROW_ATTRS.fullmatch(m.group(1))
        if plain is not None:
            counter = int(plain.group(1))
        else:
            a = tag_attrs(m.group(1))
            counter = row_number(a, counter)
            if is_hidden(a):
                hidden.add(counter)
        last = max(last, counter)
    return SheetFacts(hidden, merged_ranges(xml), uncached_formulas(xml) if _HAS_FORMULA.search(xml) else set(),
                      last)


def merged_ranges(xml: bytes, start: int = 0, end: int | None = None) -> list[tuple[int, int, int, int]]:
    """The merged ranges of the ``<mergeCell>`` tags in ``xml[start:end]``; ValueError
    for a reference that is not one."""
    merges = []
    for m in _MERGE_TAG.finditer(xml, start, len(xml) if end is None else end):
        ref = tag_attrs(m.group(1)).get(b"ref", b"").decode("ascii", "replace")
        if ":" in ref:
            a, b = ref.split(":", 1)
            (c1, r1), (c2, r2) = split_ref(a), split_ref(b)
            merges.append((r1, column_index(c1), r2, column_index(c2)))
    return merges


def uncached_formulas(xml: bytes) -> set[str]:
    """The references of the cells in ``xml`` holding a formula and no value."""
    uncached: set[str] = set()
    for m in _CELL_EL.finditer(xml):
        inner = m.group(2)
        if inner and _HAS_FORMULA.search(inner) and not _HAS_VALUE.search(inner):
            ref = tag_attrs(m.group(1)).get(b"r")
            if ref:
                uncached.add(ref.decode("ascii", "replace"))
    return uncached
