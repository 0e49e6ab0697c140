"""Reading a ledger (台账): an Excel workbook (.xlsx) or a CSV file, as rows of cells.

Cells are read as a person sees them in Excel or WPS:

* a number shows as its format shows it: 0.082 with a ``0.0%`` format is 8.2 (marked
  percent), 3.14159 with ``0.0`` is 3.1; a date cell is a date, never its serial number;
* a formula gives the value Excel last calculated (the cached value); a formula that was
  never calculated (a file written by a program, not saved by Excel) is marked, so that
  whoever uses the cell can name it;
* a merged range reads as its top-left value in every cell it covers;
* hidden rows, hidden sheets and empty rows are skipped, and said (the ledger records them).

A workbook as Excel, WPS and openpyxl write it is read without openpyxl (importing and
opening it is a tenth of ``check --facts LEDGER``): the package by :mod:`._workbook`,
the cells by :mod:`._sheet_xml`, both exactly as openpyxl reads them. Anything they do
not follow exactly, and openpyxl's read-only mode reads the whole workbook (and
reports what is wrong). Either way, row properties (hidden), merged ranges and whether
an empty cell holds a formula, which openpyxl does not give, are read from the sheet's
XML in one scan of its tags' attributes: in XML a ``<`` in text is always escaped, so
every ``<row``, ``<mergeCell`` and ``<c`` in the bytes is a tag.

One difference from openpyxl is meant: a number in an East-Asian built-in date format
(``numFmtId="31"``, 2024年6月30日 as Chinese Excel saves it) is the date it shows, not
its serial number (:data:`._formats.EAST_ASIAN_DATE_FORMATS`). CSV text is decoded by
:func:`~drafter.reading.read_document` (the encodings it knows: UTF-8 with or without
BOM, GB18030 as Excel writes it in China, UTF-16).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath

from .._errors import InputError
from ._cells import LETTERS, Cell, as_shown, column_letter, split_ref
from ._sheet_facts import SheetFacts, sheet_facts
from ._files import read_bytes

#: File names read as ledgers.
LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".csv")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_SPREADSHEETS = {".xls": "旧版 Excel 97-2003 工作簿（.xls）", ".et": "WPS 表格文件（.et）",
                       ".ods": "OpenDocument 表格（.ods）", ".numbers": "Numbers 表格"}
_SAVE_AS = "请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（*.xlsx）后再导入"


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
            col, row = split_ref(ref)
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
    ledger = _read_package(p, archive, parts)
    return ledger if ledger is not None else _read_by_openpyxl(p, archive, parts, data)


def _read_package(p: Path, archive: zipfile.ZipFile, parts: dict[str, _Part]) -> Ledger | None:
    """The ledger read from the package without openpyxl, or None when any part of it
    is not read exactly as openpyxl reads it (:mod:`._workbook`, :mod:`._sheet_xml`)."""
    from ._sheet_xml import sheet_opens, sheet_rows
    from ._workbook import read_package

    package = read_package(archive)
    if package is None:
        return None
    order, book = package
    if {s.name: _Part(s.path, s.hidden) for s in order} != parts:
        return None  # the sheets found otherwise than the refusals above found them
    sheets: list[LedgerSheet] = []
    hidden: list[str] = []
    try:
        for part in order:
            xml = archive.read(part.path)
            if part.hidden:
                if not sheet_opens(xml):
                    return None
                hidden.append(part.name)
                continue
            read = sheet_rows(book, xml)
            if read is None:
                return None
            sheets.append(_read_sheet(p, part.name, *read))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        return None  # a damaged part: openpyxl reads the workbook and refuses it with its reason
    return Ledger(str(p), "xlsx", tuple(sheets), tuple(hidden))


def _read_by_openpyxl(p: Path, archive: zipfile.ZipFile, parts: dict[str, _Part], data: bytes) -> Ledger:
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
    from ._sheet_xml import sheet_rows
    from ._workbook import OpenpyxlBook

    sheets: list[LedgerSheet] = []
    hidden: list[str] = []
    try:
        for ws in wb.worksheets:
            part = parts.get(ws.title)
            if part is not None and part.hidden:
                hidden.append(ws.title)
                continue
            xml = archive.read(part.path) if part is not None else b""
            ws.reset_dimensions()  # a wrong <dimension> tag would cut rows off
            read = sheet_rows(OpenpyxlBook(wb, ws), xml) if xml else None
            if read is None:  # read by openpyxl
                facts = sheet_facts(xml)
                read = facts, (_row_cells(raw, n, facts.uncached) for n, raw in enumerate(ws.iter_rows(), start=1))
            sheets.append(_read_sheet(p, ws.title, *read))
    except (zipfile.BadZipFile, LookupError, ValueError, OSError, EOFError, SyntaxError) as e:
        # LookupError: a cell names a shared string or a style the workbook lacks
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


def _read_sheet(p: Path, title: str, facts: SheetFacts, cell_rows: Iterable[list[Cell]]) -> LedgerSheet:
    """A sheet from its rows of cells (a list per row number from 1, as
    :func:`._sheet_xml.sheet_rows` or :func:`_row_cells` make them) and the facts its
    XML gives (hidden rows, merges, uncached formulas)."""
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
    for number, cells in enumerate(cell_rows, start=1):
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
    return LedgerSheet(p.name, str(p), title, tuple(rows), tuple(hidden),
                       tuple(n for n in empty if n < last_data))


def _row_cells(raw, number: int, uncached: set[str]) -> list[Cell]:
    """A row's cells as shown (:func:`_cell`); text and empty cells, most of a
    ledger, made without a call each."""
    row = str(number)
    out: list[Cell] = []
    for col0, c in enumerate(raw):
        ref = (LETTERS[col0] if col0 < 256 else column_letter(col0)) + row
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
        day = _east_asian_date(c, value)
        if day is not None:
            return Cell(ref, day)
        shown, percent = as_shown(value, getattr(c, "number_format", None) or "General")
        return Cell(ref, shown, percent)
    return Cell(ref, str(value))


def _east_asian_date(c, value: float) -> object:
    """A number openpyxl read from a cell with an East-Asian built-in date format
    (``numFmtId="31"``: 2024年6月30日), which openpyxl does not know: the date it shows."""
    style = getattr(c, "style_array", None)
    if style is None:
        return None
    from ._formats import EAST_ASIAN_DATE_FORMATS, from_excel

    if style.numFmtId not in EAST_ASIAN_DATE_FORMATS:
        return None
    try:
        return from_excel(value, c.parent.parent.epoch)
    except (OverflowError, ValueError):
        return "#VALUE!"  # what openpyxl reads for a date out of range


# ------------------------------------------------------------------ references

def _ref(row: int, col0: int) -> str:
    return f"{column_letter(col0)}{row}"


def _trim(cells: Sequence[Cell]) -> tuple[Cell, ...]:
    end = len(cells)
    while end and cells[end - 1].value is None and not cells[end - 1].uncached:
        end -= 1
    return tuple(cells[:end]) if end < len(cells) else tuple(cells)
