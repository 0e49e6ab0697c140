"""Building the materials an office has, inside a test: Excel ledgers with openpyxl or
written by hand as Excel writes them, CSV files in the encodings Excel writes, Word
outlines with python-docx, and the password-protected / old binary workbooks drafter
must refuse; and reading a workbook every way drafter reads one."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import NamedTuple

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


# ------------------------------------------------------------------ workbooks as Excel writes them

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FORMATS = {164: "0.0%", 165: "[h]:mm:ss", 166: "0.00"}
_XFS = [0, 164, 14, 165, 166, 10]  # numFmtId of each cell style (s=0, 1, …)
STRINGS = ["板块", "事项", "完成数", "单位", "平安建设", "排查整治隐患", "件", "队伍 &amp; 建设",
           "<r><t>新发</t></r><r><rPr><b/></rPr><t>刑事案件</t></r>", "<t>调解</t><rPh sb=\"0\" eb=\"1\"><t>tiao</t></rPh>",
           "_x005F_x000D_备注", "第一行\r\n第二行", "  有空格  ", ""]


def excel_workbook(path, sheets: dict[str, str], *, date1904: bool = False, root: str = f'<worksheet xmlns="{MAIN_NS}">',
                   end: str = "</worksheet>", strings: list[str] = STRINGS, formats: dict[int, str] = _FORMATS,
                   xfs: list[int] = _XFS, hidden: tuple[str, ...] = (), parts: dict[str, str | None] | None = None):
    """An .xlsx as Excel writes it (shared strings, styles, r/s/t attributes), with the
    given sheet data XML, written by hand so every form a file may take can be tried.
    ``strings``: the shared strings, text or (starting with ``<``) an ``<si>``'s XML;
    ``formats``: custom number formats by id; ``xfs``: each cell style's numFmtId;
    ``parts``: package parts replaced (or, None, left out)."""
    import zipfile

    names = list(sheets)
    sst = "".join("<si>" + (s if s.startswith("<") else '<t xml:space="preserve">' + s + "</t>") + "</si>"
                  for s in strings)
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN_NS}">'
              + (f'<numFmts count="{len(formats)}">' + "".join(
                  f'<numFmt numFmtId="{i}" formatCode="{_attr(code)}"/>' for i, code in formats.items()) + "</numFmts>"
                 if formats else "")
              + '<fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill/></fill></fills>'
              '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
              f'<cellXfs count="{len(xfs)}">' + "".join(f'<xf numFmtId="{n}" xfId="0"/>' for n in xfs) + "</cellXfs>"
              '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    package = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, len(names) + 1)) + "</Types>",
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{MAIN_NS}" xmlns:r="{_REL}">'
        + ('<workbookPr date1904="1"/>' if date1904 else "") + "<sheets>"
        + "".join(f'<sheet name="{n}" sheetId="{i}"' + (' state="hidden"' if n in hidden else "") + f' r:id="rId{i}"/>'
                  for i, n in enumerate(names, 1)) + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(names) + 1))
        + f'<Relationship Id="rId90" Type="{_REL}/styles" Target="styles.xml"/>'
        + f'<Relationship Id="rId91" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml": styles,
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}" count="{len(strings)}">{sst}</sst>',
    }
    data = "x:sheetData" if root.startswith("<x:") else "sheetData"
    for i, n in enumerate(names, 1):
        package[f"xl/worksheets/sheet{i}.xml"] = f'<?xml version="1.0" encoding="UTF-8"?>\n{root}<{data}>{sheets[n]}</{data}>{end}'
    package.update(parts or {})
    with zipfile.ZipFile(path, "w") as z:
        for name, body in package.items():
            if body is not None:
                z.writestr(name, body.encode("utf-8"))
    return path


_EAST_ASIAN_STRINGS = ["板块", "事项", "数值", "单位", "完成时间", "备注", "平安建设", "完成平安单位验收", "个", "召开推进会",
                       "开展专项检查", "次", "走访群众", "户"]
_EAST_ASIAN_XFS = [0, 14, 31, 57, 58, 32]  # s=1 mm-dd-yy, s=2 2024年6月30日, s=3 2024年6月, s=4 6月30日, s=5 8时15分
_EAST_ASIAN_ROWS = (
    '<row r="1">' + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDEF")) + "</row>"
    '<row r="2"><c r="A2" t="s"><v>6</v></c><c r="B2" t="s"><v>7</v></c><c r="C2"><v>28</v></c><c r="D2" t="s"><v>8</v></c>'
    '<c r="E2" s="2"><v>45473</v></c><c r="F2" s="5"><v>0.34375</v></c></row>'
    '<row r="3"><c r="B3" t="s"><v>9</v></c><c r="E3" s="1"><v>45366</v></c><c r="F3" s="2"><v>45474.5</v></c></row>'
    '<row r="4"><c r="B4" t="s"><v>10</v></c><c r="C4"><v>12</v></c><c r="D4" t="s"><v>11</v></c>'
    '<c r="E4" s="3"><v>45444</v></c><c r="F4" s="4"><v>45473</v></c></row>'
    '<row r="5"><c r="B5" t="s"><v>12</v></c><c r="C5"><v>30</v></c><c r="D5" t="s"><v>13</v></c>'
    '<c r="E5" s="4"><v>45473</v></c><c r="F5" s="5"><v>1.5</v></c></row>'
)


def east_asian_ledger(path, *, date1904: bool = False):
    """A ledger as Chinese Excel saves it: dates formatted 2024年6月30日 (numFmtId 31),
    2024年6月 (57), 6月30日 (58), 8时15分 (32), named by id only."""
    return excel_workbook(path, {"台账": _EAST_ASIAN_ROWS}, strings=_EAST_ASIAN_STRINGS, formats={},
                          xfs=_EAST_ASIAN_XFS, date1904=date1904)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


class Ways(NamedTuple):
    own: object      # as read_ledger reads it: from the package without openpyxl where it can
    mixed: object    # openpyxl opens the workbook, the XML reader reads the sheets
    slow: object     # openpyxl alone (with drafter's East-Asian date fix)
    package: bool    # the package reader read the workbook (openpyxl not used)
    read: int        # sheets the XML reader read, as read_ledger reads the workbook


def read_every_way(path, monkeypatch) -> Ways:
    """The ledger read every way drafter reads a workbook."""
    import drafter.reading._ledgers as ledgers
    import drafter.reading._sheet_xml as sheet_xml
    import drafter.reading._workbook as workbook
    from drafter.reading import read_ledger
    from drafter.reading._sheet_facts import sheet_facts

    read, package = [], []
    rows, own_package = sheet_xml.sheet_rows, ledgers._read_package

    def sheet_rows(book, xml):
        read.append(rows(book, xml))
        if read[-1] is not None:  # the facts gathered while reading are those of the whole XML
            assert read[-1][0] == sheet_facts(xml)
        return read[-1]

    monkeypatch.setattr(sheet_xml, "sheet_rows", sheet_rows)
    monkeypatch.setattr(ledgers, "_read_package", lambda *a: package.append(own_package(*a)) or package[-1])
    own = read_ledger(path)
    monkeypatch.undo()
    monkeypatch.setattr(workbook, "read_package", lambda archive: None)
    mixed = read_ledger(path)
    monkeypatch.setattr(sheet_xml, "sheet_rows", lambda *a: None)
    slow = read_ledger(path)
    monkeypatch.undo()
    return Ways(own, mixed, slow, package[0] is not None, sum(r is not None for r in read))
