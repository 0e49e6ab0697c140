"""A workbook read without openpyxl (drafter/reading/_workbook.py, _formats.py) reads
every cell as openpyxl reads it: number formats, serial dates, shared strings and
styles compared with openpyxl's own functions, and whole workbooks — written by
openpyxl and written by hand as Excel writes them — compared cell by cell. The one
intended difference, East-Asian built-in date formats, is checked on its own."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from datetime import date, datetime, time

import pytest
from ledgers import MAIN_NS, STRINGS, east_asian_ledger, excel_workbook, read_every_way, standard_ledger, workbook

from drafter import InputError
from drafter.reading import _formats, read_ledger
from drafter.reading._workbook import read_package, shared_strings

_X14 = f'<worksheet xmlns="{MAIN_NS}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'


def _outcome(f, *args):
    """What a call gives: its value, or the kind of error it raises."""
    try:
        return f(*args)
    except Exception as e:  # noqa: BLE001 — the kind is what is compared
        return type(e)


# ------------------------------------------------------------------ formats and dates

_FORMATS = ['yyyy"年"m"月"d"日"', '[$-804]yyyy"年"m"月"d"日";@', '[DBNum1][$-804]yyyy"年"m"月"d"日"', "yyyy/m/d;@",
            "0.0%", "#,##0.00_ ", '"人"0', '0"天"', "[h]:mm", "[mm]:ss", "[ss].00", "[hh]:mm:ss.000", "mm:ss.0",
            "[Red]0.00", "[>=100]0;0.0", "\\d0", "_d0", "General", "@", "0.00E+00", "d", "D", "S", '"h"0', "[h]",
            "[$¥-804]#,##0.00", "aaaa", "dddd", 'e"年"m"月"d"日"', "ge.m.d", "", "h]:m", "[H]:MM", "0;[Red]-0;d",
            "hh:mm AM/PM", 'yyyy"年"m"月";@', "#,##0;(#,##0)", '[$-F800]dddd, mmmm dd, yyyy', "0.00%;-0.00%;-"]


def _random_formats(n: int) -> list[str]:
    tokens = ["y", "yy", "m", "mm", "d", "h", "s", "0", "#", ".", ",", "%", '"年"', '"h"', "[h]", "[mm]", "[$-804]",
              "\\", "_", "[Red]", ";", "@", "E+", ":", "ss", ".0", " ", "AM/PM", "[DBNum1]", "*", "?", "/"]
    rng = random.Random(20240630)
    return ["".join(rng.choice(tokens) for _ in range(rng.randint(1, 7))) for _ in range(n)]


def test_number_format_tables_and_date_detection_are_openpyxls():
    from openpyxl.styles import numbers

    assert _formats.BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    assert not set(_formats.EAST_ASIAN_DATE_FORMATS) & set(numbers.BUILTIN_FORMATS)  # what openpyxl lacks
    formats = [*numbers.BUILTIN_FORMATS.values(), *_formats.EAST_ASIAN_DATE_FORMATS.values(), *_FORMATS,
               *_random_formats(600), None]
    for fmt in formats:
        assert _formats.is_date_format(fmt) == numbers.is_date_format(fmt), fmt
        assert _formats.is_timedelta_format(fmt) == numbers.is_timedelta_format(fmt), fmt
    assert all(_formats.is_date_format(f) for f in _formats.EAST_ASIAN_DATE_FORMATS.values())


def test_serial_numbers_are_the_dates_openpyxl_reads():
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    rng = random.Random(7)
    serials = [0, 0.0, 0.5, 0.25, 1 / 3, 0.9999999, 0.99999999999, 1, 1.5, 59, 59.9999999, 60, 60.5, 61, 366,
               45473, 45473.75, 45473.999999, 2958465, 2958465.99999999, 2958466, -1, -0.5, -1.25, 1e7, 1e20]
    serials += [rng.uniform(0, 3) for _ in range(300)] + [rng.uniform(0, 80000) for _ in range(300)]
    serials += [rng.randint(0, 80000) for _ in range(100)] + [n / 86400 for n in range(0, 86400, 997)]
    assert _formats.WINDOWS_EPOCH == CALENDAR_WINDOWS_1900 and _formats.MAC_EPOCH == CALENDAR_MAC_1904
    for epoch in (CALENDAR_WINDOWS_1900, CALENDAR_MAC_1904):
        for serial in serials:
            for duration in (False, True):
                ours, theirs = _outcome(_formats.from_excel, serial, epoch, duration), \
                    _outcome(from_excel, serial, epoch, duration)
                assert ours == theirs and type(ours) is type(theirs), (serial, epoch, duration)
    assert _formats.from_excel(45473) == datetime(2024, 6, 30) and _formats.from_excel(0.5) == time(12)


def test_iso_dates_are_read_as_openpyxl_reads_them():
    from openpyxl.utils.datetime import from_ISO8601

    texts = ["2024-06-30T00:00:00", "2024-06-30", "2024-06-30T08:15:30.5Z", "08:15", "08:15:30", "T08:15:30.123",
             "2024-06-30T08:15", "PT3H", "PT1H30M", "PT10.5S", "", "2024-13-01", "yesterday", "2024-06-30T25:00",
             "0000-00-00", "PT", "2024-06-30Z"]
    for text in texts:
        ours, theirs = _outcome(_formats.from_iso8601, text), _outcome(from_ISO8601, text)
        assert ours == theirs and type(ours) is type(theirs), text
    assert _formats.from_iso8601("2024-06-30") == date(2024, 6, 30)


# ------------------------------------------------------------------ shared strings

def _sst(items: str, head: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n') -> bytes:
    return f'{head}<sst xmlns="{MAIN_NS}" count="9" uniqueCount="9">{items}</sst>'.encode()


_PLAIN = ("<si><t>板块</t></si><si><t xml:space=\"preserve\">  有空格  </t></si><si><t>队伍 &amp; 建设 &#x4E2D;</t></si>"
          "<si><t>第一行\r\n第二行&#13;</t></si><si><t/></si><si></si><si><t>_x005F_x000D_备注 x005F_</t></si>"
          '<si><t>调解</t><phoneticPr fontId="1" type="noConversion"/></si><si><t>a&lt;b&gt;c&quot;d&apos;</t></si>')
_RICH = ('<si><r><t>新发</t></r><r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr><t xml:space="preserve"> 刑事案件</t></r></si>'
         '<si><t>调解</t><rPh sb="0" eb="2"><t>tiaojie</t></rPh><phoneticPr fontId="1"/></si>'
         '<si><t>先</t><r><t>后</t></r></si><si><r><rPr/></r><r><t/></r></si><si><t><![CDATA[<原样>]]></t></si>'
         '<si><t>甲<!-- 注 -->乙</t></si><si><t>一</t><t>二</t></si>'
         '<si><r><t>x005F_</t></r><r><t>x000D_</t></r></si><si><t>a</t><phoneticPr fontId="1" alignment="left"/></si>')


@pytest.mark.parametrize("data, plain", [
    (_sst(_PLAIN), True), (_sst(_PLAIN, ""), True), (_sst(_PLAIN, "\ufeff"), True),
    (_sst(_PLAIN.replace("<si>", "\n  <si>")), True), (_sst(_RICH), False), (_sst(_PLAIN + _RICH), False),
    (_sst(""), True), (_sst("<si/>" * 3), True),
    (_sst("".join("<si>" + (s if s.startswith("<") else f'<t xml:space="preserve">{s}</t>') + "</si>" for s in STRINGS)),
     False),
    (_sst("<si><t>x</t></si><extLst><ext uri='x'/></extLst>"), False),
    (_sst(_PLAIN, '<?xml version="1.0" encoding="ISO-8859-1"?>'), False),
    (_sst("<x:si xmlns:x='urn:other'><x:t>a</x:t></x:si><si><t>b</t></si>"), False),
], ids=["plain", "no declaration", "BOM", "pretty", "rich", "both", "empty", "empty items", "test strings", "extLst",
        "declared otherwise", "another namespace"])
def test_shared_strings_are_what_openpyxl_reads(data, plain, monkeypatch):
    from openpyxl.reader.strings import read_string_table

    from drafter.reading import _workbook

    expected = read_string_table(io.BytesIO(data))
    assert shared_strings(data) == expected
    if plain:  # read by the regular expressions alone
        monkeypatch.setattr(_workbook, "_strings_by_tree", None)
        assert shared_strings(data) == expected


@pytest.mark.parametrize("items", [
    "<si><foo/></si>", "<si><t>a</t><si><t>b</t></si></si>", '<si x="1"><t>a</t></si>', "<si><r><b/></r></si>",
    '<si><rPh eb="1"><t>a</t></rPh></si>', '<si><phoneticPr fontId="1" type="odd"/></si>',
])
def test_strings_of_forms_not_known_are_left_to_openpyxl(items):
    from drafter.reading._workbook import _Unknown

    data = _sst(items)
    with pytest.raises((_Unknown, ValueError, TypeError)):
        shared_strings(data)


# ------------------------------------------------------------------ styles

def test_styles_give_the_number_formats_and_dates_openpyxl_gives(tmp_path):
    import zipfile

    import openpyxl
    from openpyxl.cell.read_only import ReadOnlyCell

    formats = {164: "0.0%", 165: "[h]:mm:ss", 166: 'yyyy"年"m"月"d"日"', 167: "0.00", 168: "General",
               169: "mm-dd-yy", 31: 'yyyy"年"m"月"d"日"', 3: "0.000", 170: "0.0%"}
    xfs = [0, 1, 2, 9, 10, 14, 15, 17, 18, 20, 21, 22, 27, 31, 32, 36, 45, 46, 47, 49, 50, 55, 57, 58, 59, 81,
           100, 163, 164, 165, 166, 167, 168, 169, 170, 3]
    path = excel_workbook(tmp_path / "s.xlsx", {"台账": ""}, formats=formats, xfs=xfs)
    sheets, book = read_package(zipfile.ZipFile(path))
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    east_asian = {i for i, n in enumerate(xfs) if n in _formats.EAST_ASIAN_DATE_FORMATS and n not in formats}
    assert east_asian == {12, 14, 15, 20, 21, 22, 23}
    assert book.date_styles == set(wb._date_formats) | east_asian
    assert book.timedelta_styles == set(wb._timedelta_formats)
    for i in range(len(xfs)):
        if i not in east_asian:
            assert book.number_format(i) == ReadOnlyCell(ws, 1, 1, None, "n", i).number_format, i
    assert book.number_format(13) == 'yyyy"年"m"月"d"日"'  # id 31, defined by the file: its own format
    assert [s.name for s in sheets] == ["台账"] and book.epoch == wb.epoch


# ------------------------------------------------------------------ whole workbooks

_ROWS = (
    '<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>486</v></c><c r="D2" t="s"><v>6</v></c>'
    '<c r="E2" s="1"><v>-8.2E-2</v></c><c r="F2" s="2"><v>45473</v></c><c r="G2" s="3"><v>1.5</v></c>'
    '<c r="H2" t="b"><v>0</v></c><c r="I2" t="e"><v>#N/A</v></c><c r="J2" t="str"><f>A2</f><v>  平安 </v></c>'
    '<c r="K2"><f>SUM(C2:C3)</f></c><c r="L2" s="4"><f>C2/3</f><v>162.00000000000003</v></c>'
    '<c r="M2" s="5"><v>0.1255</v></c><c r="N2" s="2"><v>0.75</v></c><c r="O2" s="2"><v>45473.5</v></c></row>'
    '<row r="3" hidden="1"><c r="A3" t="s"><v>4</v></c><c r="C3"><v>1</v></c></row>'
    '<row r="4" spans="1:6" ht="30" customHeight="1"><c r="A4" t="s"><v>7</v></c><c r="B4" t="s"><v>8</v></c>'
    '<c r="C4" t="n"><v>1234567890123456</v></c><c r="D4" t="s"><v>9</v></c><c r="E4" s="1"><v>1</v></c>'
    '<c r="F4" t="inlineStr"><is><t xml:space="preserve"> 内联 &amp; 文字 </t></is></c><c r="G4" s="1" t="n"><v>12</v></c></row>'
    '<row r="6"><c r="B6" t="s"><v>10</v></c><c r="C6"><v>-3</v></c><c r="D6" t="s"><v>11</v></c><c r="E6" t="s"><v>12</v></c>'
    '<c r="F6" t="s"><v>13</v></c></row>'
    '<row r="7"><c r="B7" s="0" t="s"><v>5</v></c></row>'
)
_MERGES = '<mergeCells count="2"><mergeCell ref="A2:A7"/><mergeCell ref="D6:E7"/></mergeCells></worksheet>'


@pytest.mark.parametrize("name, sheets, options", [
    ("plain", {"台账": _ROWS}, {}),
    ("merges and a hidden sheet", {"台账": _ROWS, "说明": _ROWS, "二": '<row r="1"><c r="A1" t="s"><v>4</v></c></row>'},
     {"end": _MERGES, "hidden": ("说明",)}),
    ("1904", {"台账": _ROWS}, {"date1904": True}),
    ("plain strings", {"台账": _ROWS}, {"strings": [s for s in STRINGS if not s.startswith("<")] * 2}),
    ("formats defined again", {"台账": _ROWS}, {"formats": {164: "0.00%", 165: "General", 166: "0.0", 14: "0.0"},
                                                "xfs": [0, 164, 14, 165, 166, 9]}),
    ("East-Asian dates", {"台账": _ROWS}, {"xfs": [0, 10, 31, 32, 57, 58]}),
    ("no styles used", {"台账": '<row r="1"><c r="A1"><v>1</v></c></row>'}, {"formats": {}, "xfs": [0]}),
    ("pretty", {"台账": _ROWS.replace("<c ", "\n    <c ").replace("<row", "\n  <row")}, {}),
])
def test_hand_written_workbooks_read_from_the_package_are_what_openpyxl_reads(tmp_path, monkeypatch, name, sheets,
                                                                              options):
    ways = read_every_way(excel_workbook(tmp_path / "w.xlsx", sheets, root=_X14, **options), monkeypatch)
    assert ways.package and ways.read == len(ways.own.sheets) >= 1
    assert ways.own == ways.mixed == ways.slow
    cells = {c.ref: c.value for r in ways.own.sheets[0].rows for c in r.cells}
    if name == "plain":
        assert (cells["E2"], cells["F2"], cells["G2"], cells["N2"]) == (-8.2, datetime(2024, 6, 30), "1 day, 12:00:00",
                                                                        time(18))
        assert (cells["J2"], cells["K2"], cells["L2"], cells["F4"], cells["C6"]) == ("平安", None, 162, "内联 & 文字", -3)
        assert 3 in ways.own.sheets[0].hidden_rows and cells["B4"] == "新发刑事案件" and cells["D4"] == "调解"
    if name.startswith("merges"):
        assert ways.own.hidden_sheets == ("说明",) and [s.name for s in ways.own.sheets] == ["台账", "二"]
        assert cells["A6"] == "平安建设" and cells["D7"] == cells["E7"] == cells["D6"] == "第一行\n第二行"


def test_ledgers_openpyxl_writes_are_read_from_the_package(tmp_path, monkeypatch):
    books = [standard_ledger(tmp_path / "standard.xlsx"),
             workbook(tmp_path / "varied.xlsx", {"一": [["平安建设", "案件", 12, "件", 0.5, date(2024, 6, 30)],
                                                       [None, "活动", 3.14159, "场", True, datetime(2024, 1, 2, 3, 4)],
                                                       [None, "  ", None, None, "=A1", "=SUM(C3:C4)"]],
                                                "二": [["法治建设", "x", 1, "件", None, time(8, 30)]]},
                      formats={"一": {"C4": "0.00", "E3": "0.0%", "C3": "#,##0", "F4": "yyyy/m/d h:mm"}},
                      merges={"一": ["A3:A5"]}, hidden_rows={"一": [4]}, hidden_sheets=("二",))]
    for path in books:
        ways = read_every_way(path, monkeypatch)
        assert ways.package and ways.own == ways.mixed == ways.slow


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.mark.filterwarnings("ignore:Workbook contains no stylesheet")
@pytest.mark.parametrize("parts", [
    {"xl/styles.xml": None},
    {"xl/styles.xml": f'<styleSheet xmlns="{MAIN_NS}"><cellXfs count="0"/></styleSheet>'},
    {"xl/sharedStrings.xml": f'<sst xmlns="{MAIN_NS}"><si><t>板块</t><foo/></si></sst>'},
    {"xl/workbook.xml": f'<workbook xmlns="{MAIN_NS}" xmlns:r="{_REL}"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/>'
                        '</sheets><externalReferences><externalReference r:id="rId5"/></externalReferences></workbook>'},
    {"docProps/core.xml": "<coreProperties>"},
], ids=["no styles", "no cell styles", "an unknown string part", "external links", "damaged properties"])
def test_packages_not_followed_exactly_are_read_by_openpyxl(tmp_path, monkeypatch, parts):
    path = excel_workbook(tmp_path / "w.xlsx", {"台账": '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>5</v></c></row>'},
                          parts=parts)
    try:
        ways = read_every_way(path, monkeypatch)
    except InputError as e:  # openpyxl refuses it: as before, whoever reads it
        assert "不是有效的 Excel 工作簿" in str(e)
        return
    assert not ways.package and ways.own == ways.slow


def test_damaged_parts_are_refused_as_openpyxl_refuses_them(tmp_path):
    for name, parts in {"strings": {"xl/sharedStrings.xml": f'<sst xmlns="{MAIN_NS}"><si><t>板块</si></sst>'},
                        "styles": {"xl/styles.xml": f'<styleSheet xmlns="{MAIN_NS}"><cellXfs>'},
                        "a hidden sheet": {"xl/worksheets/sheet2.xml": "<worksheet"}}.items():
        path = excel_workbook(tmp_path / f"{name}.xlsx", {"台账": '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                                                          "说明": ""}, hidden=("说明",), parts=parts)
        with pytest.raises(InputError, match="不是有效的 Excel 工作簿（.xlsx），文件可能已损坏"):
            read_ledger(path)
    path = excel_workbook(tmp_path / "index.xlsx", {"台账": '<row r="1"><c r="A1" t="s"><v>99</v></c></row>'})
    with pytest.raises(InputError, match="工作表“台账”无法读取"):  # was an IndexError from openpyxl
        read_ledger(path)


def test_a_plain_workbook_is_read_without_importing_openpyxl(tmp_path):
    books = [excel_workbook(tmp_path / "手写.xlsx", {"台账": _ROWS}, root=_X14, end=_MERGES),
             standard_ledger(tmp_path / "openpyxl.xlsx")]
    code = ("import sys\nfrom drafter.reading import read_ledger\n"
            "for p in sys.argv[1:]:\n    assert read_ledger(p).sheets[0].rows, p\n"
            "print('openpyxl' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code, *map(str, books)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "False", r.stderr


# ------------------------------------------------------------------ East-Asian built-in dates

@pytest.mark.parametrize("date1904", [False, True])
def test_east_asian_built_in_date_formats_are_dates_every_way(tmp_path, monkeypatch, date1904):
    """openpyxl reads them as numbers (45473); every way drafter reads a workbook reads
    them as the dates they show, and nothing else differs from openpyxl."""
    import openpyxl

    path = east_asian_ledger(tmp_path / "中文.xlsx", date1904=date1904)
    ways = read_every_way(path, monkeypatch)
    assert ways.package and ways.own == ways.mixed == ways.slow
    ours = {c.ref: c.value for r in ways.own.sheets[0].rows for c in r.cells}
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    theirs = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    differ = {ref for ref in theirs if ours[ref] != theirs[ref]}
    assert differ == {"E2", "F2", "F3", "E4", "F4", "E5", "F5"}  # every cell styled 31, 57, 58 or 32: not E3 (14)
    assert all(isinstance(theirs[ref], (int, float)) for ref in differ)
    day = datetime(2028, 7, 1) if date1904 else datetime(2024, 6, 30)
    after = datetime(1904, 1, 2, 12) if date1904 else datetime(1900, 1, 1, 12)  # 1900's phantom leap day
    assert (ours["E2"], ours["F2"], ours["F5"]) == (day, time(8, 15), after)


def test_cells_are_immutable_values():
    """Cell is a named tuple (cheap to make, 60,000 per large ledger): compared by value,
    hashable, read-only, shown as before."""
    from drafter.reading import Cell

    c = Cell("C12", 8.2, percent=True)
    assert c == Cell("C12", 8.2, True, False) and hash(c) == hash(Cell("C12", 8.2, True)) and c != Cell("C12", 8.2)
    assert repr(c) == "Cell(ref='C12', value=8.2, percent=True, uncached=False)"
    with pytest.raises(AttributeError):
        c.value = 1  # type: ignore[misc]
