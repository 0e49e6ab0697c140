"""Which column of a ledger is what: headers recognised by the words in
``data/import/columns.yaml``, plus the mapping a user gives with ``--columns``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .._errors import InputError
from .._resources import data_file
from .._yaml import load as load_yaml
from ..reading import LedgerRow, LedgerSheet, column_letter

FIELDS = ("section", "point", "item", "value", "unit", "change", "source", "planned", "date")
FIELD_NAMES_CN = {"section": "板块", "point": "分项", "item": "事项", "value": "数值", "unit": "单位",
                  "change": "同比", "source": "来源", "planned": "计划", "date": "时间"}
_HEADER_SCAN_ROWS = 12  # a title or a note may stand above the header


@dataclass(frozen=True)
class ColumnWords:
    fields: dict[str, tuple[str, ...]]
    basis: dict[str, tuple[str, ...]]
    planned_words: frozenset[str]
    default_sheet_names: frozenset[str]

    def field_of(self, word: str) -> str | None:
        """The field a word names: a header word of it, its Chinese name or its English name."""
        w = normalize_header(word)[0]
        if w in FIELDS:
            return w
        for name, words in self.fields.items():
            if w in words or w == FIELD_NAMES_CN[name]:
                return name
        return None


@cache
def column_words() -> ColumnWords:
    raw = load_yaml(data_file("import/columns.yaml").read_text(encoding="utf-8"))
    fields = {k: tuple(normalize_header(str(w))[0] for w in raw["fields"].get(k) or ()) for k in FIELDS}
    basis = {k: tuple(str(w) for w in v) for k, v in (raw.get("basis") or {}).items()}
    return ColumnWords(fields, basis, frozenset(str(w) for w in raw.get("planned_words") or ()),
                       frozenset(str(w) for w in raw.get("default_sheet_names") or ()))


_BRACKET_TAIL = re.compile(r"[（(\[［【]([^（()）\]］】]*)[）)\]］】]$")
_YEAR_HEAD = re.compile(r"^((?:19|20)\d{2})年度?")


def normalize_header(text: object) -> tuple[str, str | None]:
    """(header words, unit written in brackets at its end): "完成数（件）" → ("完成数", "件");
    "2024年完成数" → ("完成数", None)."""
    s = re.sub(r"\s+", "", str(text or ""))
    unit = None
    m = _BRACKET_TAIL.search(s)
    if m and m.start() > 0:
        unit = m.group(1) or None
        s = s[:m.start()]
    s = _YEAR_HEAD.sub("", s) or s
    return s, unit


def parse_column_map(text: str | None) -> dict[str, str]:
    """``板块=类别,数值=完成数`` → {normalized header: field}. A key may be any word of a
    field (板块, 工作板块 …) or its English name (section, value …)."""
    out: dict[str, str] = {}
    if not text:
        return out
    words = column_words()
    for piece in re.split(r"[,，;；]", text):
        piece = piece.strip()
        if not piece:
            continue
        key, sep, header = piece.partition("=")
        if not sep:
            key, sep, header = piece.partition("＝")
        if not sep or not key.strip() or not header.strip():
            raise InputError(f"--columns 的“{piece}”应写成 字段=表头，如 板块=类别,数值=完成数")
        name = words.field_of(key.strip())
        if name is None:
            known = "、".join(FIELD_NAMES_CN[f] for f in FIELDS)
            raise InputError(f"--columns 的“{key.strip()}”不是可识别的字段；可用：{known}（或其英文名 {', '.join(FIELDS)}）")
        out[normalize_header(header.strip())[0]] = name
    return out


@dataclass
class Layout:
    """Where the header is and which column holds which field."""

    header_row: int                         # the row number of the header
    columns: dict[str, int]                 # field → 0-based column
    headers: dict[str, str] = field(default_factory=dict)      # field → the header as written
    header_units: dict[str, str] = field(default_factory=dict)  # field → unit in the header's brackets
    basis: str = "同比"                     # of the change column
    years: list[int] = field(default_factory=list)             # years named above or in the header


def find_layout(sheet: LedgerSheet, mapping: dict[str, str]) -> Layout:
    """The header row of a sheet and its columns, or InputError listing what was found."""
    words = column_words()
    best: tuple[int, Layout] | None = None
    scanned: list[LedgerRow] = list(sheet.rows[:_HEADER_SCAN_ROWS])
    for row in scanned:
        layout = _match_row(row, mapping, words)
        score = len(layout.columns)
        if "item" in layout.columns and score >= 2:
            best = (score, layout)
            break
        if best is None or score > best[0]:
            best = (score, layout)
    if best is None or "item" not in best[1].columns or best[0] < 2:
        raise InputError(_no_header_message(sheet, scanned, best[1] if best else None), path=sheet.path)
    layout = best[1]
    for row in sheet.rows:
        if row.number >= layout.header_row:
            break
        for c in row.cells:
            if isinstance(c.value, str):
                layout.years += [int(y) for y in re.findall(r"((?:19|20)\d{2})年", c.value)]
    return layout


def _match_row(row: LedgerRow, mapping: dict[str, str], words: ColumnWords) -> Layout:
    layout = Layout(row.number, {})
    for i, cell in enumerate(row.cells):
        if not isinstance(cell.value, str):
            continue
        name, unit = normalize_header(cell.value)
        m = _YEAR_HEAD.match(re.sub(r"\s+", "", cell.value))
        fieldname = mapping.get(name)
        if fieldname is None:
            fieldname = next((f for f in FIELDS if name in words.fields[f]), None)
        if fieldname is None or fieldname in layout.columns:
            continue
        layout.columns[fieldname] = i
        layout.headers[fieldname] = cell.value
        if unit:
            layout.header_units[fieldname] = unit
        if m:
            layout.years.append(int(m.group(1)))
        if fieldname == "change":
            for basis, ws in words.basis.items():
                if name in ws:
                    layout.basis = basis
    return layout


def _no_header_message(sheet: LedgerSheet, rows: list[LedgerRow], partial: Layout | None) -> str:
    where = sheet.where()
    if not rows:
        return f"台账 {where} 是空的：没有任何内容"
    # Show the row that looks most like a header: the first with several text cells.
    shown = next((r for r in rows if sum(isinstance(c.value, str) for c in r.cells) >= 2), rows[0])
    found = "、".join(f"{c.ref[:len(c.ref) - len(str(shown.number))]}列“{c.value}”" for c in shown.cells
                     if c.value is not None)
    if not partial or not partial.columns:
        lacking = "找不到可识别的表头"
    elif "item" not in partial.columns:
        lacking = "找不到“事项”列（事项、工作内容、指标等）"
    else:
        lacking = f"只认出“{partial.headers['item']}”一列，无法确定表头"
    return (f"台账 {where}：{lacking}。第 {shown.number} 行的列为：{found}。"
            f"请用 --columns 指明各列，如 --columns 事项=工作名称,数值=完成情况,板块=类别"
            f"（可指明的字段：{'、'.join(FIELD_NAMES_CN[f] for f in FIELDS)}）")


__all__ = ["FIELDS", "FIELD_NAMES_CN", "ColumnWords", "Layout", "column_letter", "column_words", "find_layout",
           "normalize_header", "parse_column_map"]
