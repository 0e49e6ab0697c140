"""Building the materials an office has, inside a test: Excel ledgers with openpyxl,
CSV files in the encodings Excel writes, Word outlines with python-docx, and the
password-protected / old binary workbooks drafter must refuse."""

from __future__ import annotations

import struct
from pathlib import Path

HEADER = ["板块", "事项", "完成数", "单位", "同比", "责任单位"]

# A 台账 as a 科室 keeps it: a title row, the header, sections as merged cells.
ROWS = [
    ["平安建设", "排查整治各类问题隐患", 486, "件", None, "综治中心"],
    [None, "新发刑事案件", 312, "起", -0.082, "公安分局"],
    [None, "矛盾纠纷调解成功率", 0.985, "%", None, "司法局"],
    ["队伍建设", "开展专题培训", 12, "期", 0.2, "政治部"],
    [None, "培训干警", "1,234", "人次", None, "政治部"],
    ["法治建设", "办理法律援助案件", 356, "件", "下降3.1%", "司法局"],
    [None, "开展普法活动", 88, "场", None, "普法办"],
]


def workbook(path: Path, sheets: dict[str, list[list]], *, title: str | None = "2024年政法工作台账",
             header: list[str] = HEADER, formats: dict[str, dict[str, str]] | None = None,
             merges: dict[str, list[str]] | None = None, hidden_rows: dict[str, list[int]] | None = None,
             hidden_sheets: tuple[str, ...] = ()) -> Path:
    """An .xlsx with one sheet per entry: an optional title row, the header, the rows.
    ``formats``/``merges``/``hidden_rows`` are per sheet, in Excel's A1 terms."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        if title:
            ws.append([title])
        if header:
            ws.append(header)
        for r in rows:
            ws.append(r)
        for ref, fmt in ((formats or {}).get(name) or {}).items():
            ws[ref].number_format = fmt
        for rng in (merges or {}).get(name) or ():
            ws.merge_cells(rng)
        for n in (hidden_rows or {}).get(name) or ():
            ws.row_dimensions[n].hidden = True
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def standard_ledger(path: Path, rows: list[list] | None = None, *, sheet: str = "政法队伍") -> Path:
    """The ledger above: title row 1, header row 2, data from row 3; 同比 as percent cells;
    section cells merged over their rows."""
    rows = [list(r) for r in (rows or ROWS)]
    formats = {f"E{i}": "0.0%" for i, r in enumerate(rows, start=3) if isinstance(r[4], float)}
    formats.update({f"C{i}": "0.0%" for i, r in enumerate(rows, start=3) if r[3] == "%" and isinstance(r[2], float)})
    merges, start = [], None
    for i, r in enumerate(rows + [["end"]], start=3):
        if r[0] is not None:
            if start is not None and i - 1 > start:
                merges.append(f"A{start}:A{i - 1}")
            start = i
    return workbook(path, {sheet: rows}, formats={sheet: formats}, merges={sheet: merges})


def csv_file(path: Path, rows: list[list], encoding: str) -> Path:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def outline_docx(path: Path, paragraphs: list[tuple[str, str | None]]) -> Path:
    """A Word outline: (text, style) pairs; style None is the body style."""
    import docx

    d = docx.Document()
    for text, style in paragraphs:
        d.add_paragraph(text, style=style) if style else d.add_paragraph(text)
    d.save(path)
    return path


def compound_file(path: Path, streams: list[str]) -> Path:
    """A minimal valid OLE compound file (the container of .xls and of password-protected
    .xlsx) whose root holds empty streams of the given names."""
    sector = 512
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)          # one FAT sector
    struct.pack_into("<I", header, 48, 1)          # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)       # mini stream cutoff
    struct.pack_into("<IIII", header, 60, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)          # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, free)
    fat = bytearray(struct.pack("<II", fat_sect, end) + struct.pack("<I", free) * 126)

    def entry(name: str, kind: int, child: int = free, right: int = free) -> bytes:
        e = bytearray(128)
        raw = (name + "\0").encode("utf-16-le")
        e[0:len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
        struct.pack_into("<III", e, 68, free, right, child)
        struct.pack_into("<II", e, 116, end, 0)
        return bytes(e)

    entries = [entry("Root Entry", 5, child=1 if streams else free)]
    for i, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, right=i + 1 if i < len(streams) else free))
    directory = b"".join(entries).ljust(sector, b"\0")
    path.write_bytes(bytes(header) + bytes(fat) + directory)
    return path
