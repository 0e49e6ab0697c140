"""Reading a ledger (台账): an Excel workbook (.xlsx) or a CSV file, as rows of cells.

Cells are read as a person sees them in Excel or WPS:

* a number shows as its format shows it: 0.082 with a ``0.0%`` format is 8.2 (marked
  percent), 3.14159 with ``0.0`` is 3.1; a date cell is a date, never its serial number;
* a formula gives the value Excel last calculated (the cached value); a formula that was
  never calculated (a file written by a program, not saved by Excel) is marked, so that
  whoever uses the cell can name it;
* a merged range reads as its top-left value in every cell it covers;
* hidden rows, hidden sheets and empty rows are skipped, and said (the ledger records them).

openpyxl's read-only mode streams the cells with their cached values and number
formats, which keeps a 10,000-row ledger fast, but it does not give row properties
(hidden) nor merged ranges nor whether an empty cell holds a formula. Those are read
from the sheet's XML in one scan of its tags' attributes: in XML a ``<`` in text is
always escaped, so every ``<row``, ``<mergeCell`` and ``<c`` in the bytes is a tag.

openpyxl is imported only when a workbook is read. CSV text is decoded by
:func:`~drafter.reading.read_document` (the encodings it knows: UTF-8 with or without
BOM, GB18030 as Excel writes it in China, UTF-16).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .._errors import InputError
from ._files import read_bytes

#: File names read as ledgers.
LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".csv")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_SPREADSHEETS = {".xls": "旧版 Excel 97-2003 工作簿（.xls）", ".et": "WPS 表格文件（.et）",
                       ".ods": "OpenDocument 表格（.ods）", ".numbers": "Numbers 表格"}
_SAVE_AS = "请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（*.xlsx）后再导入"


@dataclass(frozen=True, slots=True)
class Cell:
    ref: str                 # A1-style reference, e.g. C12
    value: object            # None, str, int, float, bool, datetime, date or time — as shown
    percent: bool = False    # a number shown with a percent format; ``value`` is the shown number
    uncached: bool = False   # a formula with no calculated value: nothing to read


@dataclass(frozen=True, slots=True)
class LedgerRow:
    number: int                     # 1-based row number in the sheet (line in a CSV)
    cells: tuple[Cell, ...]         # from column A; cells after the last non-empty one are absent

    def cell(self, column: int) -> Cell | None:
        """The cell of a 0-based column, or None when the row is shorter."""
        return self.cells[column] if column < len(self.cells) else None


@dataclass(frozen=True)
class LedgerSheet:
    file: str                        # the file's name as provenance shows it (no folder)
    path: str
    name: str | None                 # the sheet's name; None for a CSV file
    rows: tuple[LedgerRow, ...]      # visible, non-empty rows in order
    hidden_rows: tuple[int, ...] = ()
    empty_rows: tuple[int, ...] = ()  # empty rows between non-empty ones

    def where(self, ref: str | None = None) -> str:
        """Provenance of a cell: ``2024台账.xlsx 政法队伍!C12``; ``台账.csv 第12行C列``."""
        if self.name is None:
            if ref is None:
                return self.file
            col, row = _split_ref(ref)
            return f"{self.file} 第{row}行{col}列"
        return f"{self.file} {self.name}" if ref is None else f"{self.file} {self.name}!{ref}"

    def where_row(self, number: int) -> str:
        return f"{self.file} 第{number}行" if self.name is None else f"{self.file} {self.name} 第{number}行"


@dataclass(frozen=True)
class Ledger:
    path: str
    format: str                      # "xlsx" or "csv"
    sheets: tuple[LedgerSheet, ...]  # visible sheets in workbook order (one for a CSV)
    hidden_sheets: tuple[str, ...] = ()
    encoding: str | None = None      # a CSV's text encoding


def is_ledger(path: str | Path) -> bool:
    """True for a file name drafter reads (or recognises and refuses) as a spreadsheet."""
    suffix = Path(path).suffix.lower()
    return suffix in LEDGER_SUFFIXES or suffix in _OTHER_SPREADSHEETS


def read_ledger(path: str | Path) -> Ledger:
    """A ledger's sheets and rows; :class:`InputError` naming the file for anything
    unreadable (old .xls, a password, a damaged file)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return _read_csv(p)
    data = read_bytes(p, "台账")
    if data.startswith(_OLE_MAGIC):
        raise InputError(_ole_message(p, data), path=str(p))
    if suffix in _OTHER_SPREADSHEETS:
        raise InputError(f"台账 {p} 是{_OTHER_SPREADSHEETS[suffix]}，drafter 读取 .xlsx 和 .csv：{_SAVE_AS}",
                         path=str(p))
    if not data.startswith(b"PK"):
        raise InputError(f"台账 {p} 不是有效的 Excel 工作簿（.xlsx）：文件已损坏或不是表格。{_SAVE_AS}", path=str(p))
    return _read_xlsx(p, data)


# ------------------------------------------------------------------ refusals

def _ole_message(p: Path, data: bytes) -> str:
    """An OLE compound file is either an encrypted .xlsx or an old binary workbook."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return (f"台账 {p} 设有打开密码（加密的 Excel 工作簿），drafter 无法读取：请在 Excel 或 WPS 中打开，"
                f"取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx 再导入")
    return (f"台账 {p} 是旧版 Excel 97-2003 工作簿（.xls 格式），drafter 读取 .xlsx 和 .csv：{_SAVE_AS}，"
            f"或用 LibreOffice 转换：soffice --headless --convert-to xlsx \"{p.name}\"")


# ------------------------------------------------------------------ CSV

def _read_csv(p: Path) -> Ledger:
    import csv

    from ._documents import read_document

    doc = read_document(p, "台账")
    text = doc.text
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    rows: list[LedgerRow] = []
    empty: list[int] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        for values in reader:
            number = len(rows) + len(empty) + 1  # the row as Excel shows the file
            cells = tuple(Cell(_ref(number, i), v.strip() or None) for i, v in enumerate(values))
            cells = _trim(cells)
            if cells:
                rows.append(LedgerRow(number, cells))
            else:
                empty.append(number)
    except csv.Error as e:
        raise InputError(f"台账 {p} 不是有效的 CSV 文件（第 {len(rows) + len(empty) + 1} 行）：{e}", path=str(p)) from None
    last = rows[-1].number if rows else 0
    sheet = LedgerSheet(p.name, str(p), None, tuple(rows), (), tuple(n for n in empty if n < last))
    return Ledger(str(p), "csv", (sheet,), (), doc.encoding)


# ------------------------------------------------------------------ XLSX

def _read_xlsx(p: Path, data: bytes) -> Ledger:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(archive)
    except zipfile.BadZipFile:
        raise InputError(f"台账 {p} 不是有效的 Excel 工作簿（.xlsx）：文件已损坏，不是完整的 ZIP 包。{_SAVE_AS}",
                         path=str(p)) from None
    except (KeyError, ValueError, OSError, SyntaxError) as e:
        raise InputError(f"台账 {p} 不是有效的 Excel 工作簿（.xlsx），文件可能已损坏：{e}。{_SAVE_AS}",
                         path=str(p)) from None
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportError:
        raise InputError("读取 Excel 台账需要 openpyxl：pip install openpyxl") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, AttributeError,
            SyntaxError) as e:
        raise InputError(f"台账 {p} 不是有效的 Excel 工作簿（.xlsx），文件可能已损坏：{type(e).__name__}: {e}。"
                         f"{_SAVE_AS}", path=str(p)) from None
    sheets: list[LedgerSheet] = []
    hidden: list[str] = []
    try:
        for ws in wb.worksheets:
            part = parts.get(ws.title)
            if part is not None and part.hidden:
                hidden.append(ws.title)
                continue
            xml = archive.read(part.path) if part is not None else b""
            sheets.append(_read_sheet(p, ws, xml))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, SyntaxError) as e:
        raise InputError(f"台账 {p} 的工作表“{ws.title}”无法读取，文件可能已损坏：{e}。{_SAVE_AS}", path=str(p)) from None
    finally:
        wb.close()
    return Ledger(str(p), "xlsx", tuple(sheets), tuple(hidden))


@dataclass(frozen=True)
class _Part:
    path: str
    hidden: bool


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, _Part]:
    """Sheet name → its XML part and whether the sheet is hidden (workbook.xml and its rels)."""
    from xml.etree import ElementTree as ET

    book = "xl/workbook.xml"
    rels_path = "xl/_rels/workbook.xml.rels"
    names = set(archive.namelist())
    if book not in names:
        raise KeyError("缺少 xl/workbook.xml")
    targets: dict[str, str] = {}
    if rels_path in names:
        for rel in ET.fromstring(archive.read(rels_path)):
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            targets[rel.get("Id") or ""] = _normpath(path)
    out: dict[str, _Part] = {}
    for el in ET.fromstring(archive.read(book)).iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet":
            path = targets.get(el.get(_NS_REL) or "")
            if path:
                out[el.get("name") or ""] = _Part(path, (el.get("state") or "visible") != "visible")
    return out


def _normpath(path: str) -> str:
    out: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\b([^>]*)/?>")
_CELL_EL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(raw)}


@dataclass
class _SheetFacts:
    hidden_rows: set[int]
    merges: list[tuple[int, int, int, int]]   # min_row, min_col, max_row, max_col (1-based)
    uncached: set[str]
    last_row: int


# A row tag as Excel and openpyxl mostly write it: its number and nothing hidden.
_PLAIN_ROW_ATTRS = re.compile(rb'\s*r="([0-9]+)"(?:\s+spans="[0-9: ]*")?\s*')


def _scan_sheet_xml(xml: bytes) -> _SheetFacts:
    hidden: set[int] = set()
    last = 0
    counter = 0
    for m in _ROW_TAG.finditer(xml):
        plain = _PLAIN_ROW_ATTRS.fullmatch(m.group(1))
        if plain is not None:
            counter = int(plain.group(1))
            last = max(last, counter)
            continue
        a = _attrs(m.group(1))
        r = a.get(b"r")
        counter = int(r) if r and r.isdigit() else counter + 1
        last = max(last, counter)
        if a.get(b"hidden") in (b"1", b"true"):
            hidden.add(counter)
    merges = []
    for m in _MERGE_TAG.finditer(xml):
        ref = _attrs(m.group(1)).get(b"ref", b"").decode("ascii", "replace")
        if ":" in ref:
            a, b = ref.split(":", 1)
            (c1, r1), (c2, r2) = _split_ref(a), _split_ref(b)
            merges.append((r1, _col_index(c1), r2, _col_index(c2)))
    uncached: set[str] = set()
    if _HAS_FORMULA.search(xml):
        for m in _CELL_EL.finditer(xml):
            inner = m.group(2)
            if inner and _HAS_FORMULA.search(inner) and not _HAS_VALUE.search(inner):
                ref = _attrs(m.group(1)).get(b"r")
                if ref:
                    uncached.add(ref.decode("ascii", "replace"))
    return _SheetFacts(hidden, merges, uncached, last)


def _read_sheet(p: Path, ws, xml: bytes) -> LedgerSheet:
    facts = _scan_sheet_xml(xml)
    ws.reset_dimensions()  # a wrong <dimension> tag would cut rows off
    # Row → {covered column → its range's top-left (row, col)}, clipped to the data.
    covered: dict[int, dict[int, tuple[int, int]]] = {}
    last = facts.last_row or 1_048_576
    for r1, c1, r2, c2 in facts.merges:
        for r in range(r1, min(r2, last) + 1):
            row_map = covered.setdefault(r, {})
            for c in range(c1, min(c2, c1 + 255) + 1):
                if (r, c) != (r1, c1):
                    row_map[c] = (r1, c1)
    anchor_rows: dict[int, set[int]] = {}
    for row_map in covered.values():
        for r, c in row_map.values():
            anchor_rows.setdefault(r, set()).add(c)
    anchors: dict[tuple[int, int], Cell] = {}
    rows: list[LedgerRow] = []
    empty: list[int] = []
    hidden: list[int] = []
    from ._sheet_xml import sheet_rows

    fast = sheet_rows(ws, xml) if xml else None  # None: read by openpyxl
    for number, raw in enumerate(ws.iter_rows() if fast is None else fast, start=1):
        cells = _row_cells(raw, number, facts.uncached)
        for col in anchor_rows.get(number, ()):
            if col <= len(cells):
                anchors[(number, col)] = cells[col - 1]
        row_map = covered.get(number)
        if row_map:
            for col, top in sorted(row_map.items()):
                a = anchors.get(top)
                if a is None:
                    continue
                while len(cells) < col:
                    cells.append(Cell(_ref(number, len(cells)), None))
                if cells[col - 1].value is None and not cells[col - 1].uncached:
                    cells[col - 1] = Cell(_ref(number, col - 1), a.value, a.percent, a.uncached)
        trimmed = _trim(cells)
        if number in facts.hidden_rows:
            if trimmed:
                hidden.append(number)
            continue
        if trimmed:
            rows.append(LedgerRow(number, trimmed))
        else:
            empty.append(number)
    last_data = rows[-1].number if rows else 0
    return LedgerSheet(p.name, str(p), ws.title, tuple(rows), tuple(hidden),
                       tuple(n for n in empty if n < last_data))


def _row_cells(raw, number: int, uncached: set[str]) -> list[Cell]:
    """A row's cells as shown (:func:`_cell`); text and empty cells, most of a
    ledger, made without a call each."""
    row = str(number)
    out: list[Cell] = []
    for col0, c in enumerate(raw):
        ref = (_LETTERS[col0] if col0 < 256 else _col_letters(col0)) + row
        value = c.value
        if type(value) is str:
            out.append(Cell(ref, value.strip() or None))
        elif value is None and not uncached:
            out.append(Cell(ref, None))
        else:
            out.append(_cell(c, ref, uncached))
    return out


def _cell(c, ref: str, uncached: set[str]) -> Cell:
    value = c.value
    if value is None:
        return Cell(ref, None, uncached=ref in uncached) if uncached else Cell(ref, None)
    if isinstance(value, str):
        return Cell(ref, value.strip() or None)
    if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
        return Cell(ref, value)
    if isinstance(value, (int, float)):
        shown, percent = as_shown(value, getattr(c, "number_format", None) or "General")
        return Cell(ref, shown, percent)
    return Cell(ref, str(value))


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def as_shown(value: float, number_format: str) -> tuple[float, bool]:
    """A number as its cell format shows it: (shown number, whether it shows as a percent)."""
    from decimal import ROUND_HALF_UP, Decimal

    percent, places = _format_rule(number_format)
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
def _format_rule(number_format: str) -> tuple[bool, int | None]:
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


# ------------------------------------------------------------------ references

def _col_letters(index: int) -> str:
    """0-based column index → A, B, …, Z, AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


_LETTERS = [_col_letters(i) for i in range(256)]


def _ref(row: int, col0: int) -> str:
    return f"{_LETTERS[col0] if col0 < 256 else _col_letters(col0)}{row}"


def column_letter(col0: int) -> str:
    """0-based column index → its letters (A, B, …, AA)."""
    return _LETTERS[col0] if col0 < 256 else _col_letters(col0)


def _split_ref(ref: str) -> tuple[str, int]:
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
    if not m:
        raise ValueError(f"单元格引用无效：{ref}")
    return m.group(1).upper(), int(m.group(2))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _trim(cells: Sequence[Cell]) -> tuple[Cell, ...]:
    end = len(cells)
    while end and cells[end - 1].value is None and not cells[end - 1].uncached:
        end -= 1
    return tuple(cells[:end]) if end < len(cells) else tuple(cells)
