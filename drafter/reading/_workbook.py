"""A workbook's package read without openpyxl: its sheets, shared strings, number
formats and calendar, which the sheet reader (:mod:`._sheet_xml`) needs to read cells.

Importing openpyxl and opening a workbook with it costs 0.11 s, a tenth of
``check --facts LEDGER``; the parts read here are a few small XML files and the
shared-string table, read with regular expressions where Excel writes them plainly
(``<si><t>…</t></si>``) and with ElementTree otherwise.

What openpyxl makes of each part is followed exactly (the content types name the
workbook and the string table, ``xl/styles.xml`` the styles, custom formats replace
built-in ones, rich runs join and phonetic runs drop out, the ``x005F_`` quirk); only
packages written as Excel, WPS and openpyxl write them are read. Anything else — a part
missing or not well-formed, a value openpyxl would refuse, a form of string not known
here — answers None, and openpyxl reads the whole workbook and reports what is wrong
as before. Not followed: openpyxl's checks of formatting this reader does not use
(fonts, fills, a rich run's font, document properties); a workbook those checks refuse
is read here.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET
from xml.parsers import expat

from ._formats import (BUILTIN_FORMATS, EAST_ASIAN_DATE_FORMATS, FIRST_CUSTOM_ID, MAC_EPOCH, WINDOWS_EPOCH,
                       is_date_format, is_timedelta_format)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKBOOK_TYPES = tuple(f"application/vnd.{kind}.main+xml" for kind in (
    "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet"))  # openpyxl's order
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WORKSHEET_REL = _OFFICE_REL + "/worksheet"
_M = "{" + _MAIN + "}"
_R_ID = "{" + _OFFICE_REL + "}id"
_SHEET_STATES = (None, "none", "visible", "hidden", "veryHidden")
_XF_INTEGERS = ("numFmtId", "fontId", "fillId", "borderId", "xfId")
_XF_ATTRS = frozenset(_XF_INTEGERS + ("quotePrefix", "pivotButton", "applyNumberFormat", "applyFont", "applyFill",
                                      "applyBorder", "applyAlignment", "applyProtection"))
_PHONETIC_TYPES = (None, "none", "halfwidthKatakana", "fullwidthKatakana", "Hiragana", "noConversion")
_PHONETIC_ALIGNMENTS = (None, "none", "noControl", "left", "center", "distributed")


class _Unknown(Exception):
    """Something this reader does not read exactly as openpyxl does."""


@dataclass(frozen=True)
class SheetPart:
    name: str
    path: str      # the part in the package, e.g. xl/worksheets/sheet1.xml
    hidden: bool


class Book:
    """What reading a sheet's cells needs of its workbook: the shared strings, the
    calendar, and per style (cellXfs index) its number format and whether it shows a
    date or a duration."""

    def __init__(self, strings: list[str], epoch: datetime, formats: list[str | None],
                 date_styles: frozenset[int], timedelta_styles: frozenset[int]) -> None:
        self.strings = strings
        self.epoch = epoch
        self.formats = formats
        self.date_styles = date_styles
        self.timedelta_styles = timedelta_styles
        self._shown: list[str | None] | None = None

    def shown_strings(self) -> list[str | None]:
        """The shared strings as a ledger cell shows them: without surrounding blanks,
        None for a blank one."""
        if self._shown is None:
            self._shown = [s.strip() or None for s in self.strings]
        return self._shown

    def number_format(self, style_id: int) -> str:
        """LookupError for a style the workbook lacks or one not understood."""
        fmt = self.formats[style_id]
        if fmt is None:
            raise LookupError(style_id)
        return fmt


class OpenpyxlBook(Book):
    """The same facts of a workbook openpyxl opened (read-only), for the sheets read
    from their XML when the package is not read here; East-Asian date ids are dates."""

    def __init__(self, wb, ws) -> None:
        east_asian = {i for i, style in enumerate(wb._cell_styles) if style.numFmtId in EAST_ASIAN_DATE_FORMATS}
        super().__init__(ws._shared_strings, wb.epoch, [], frozenset(wb._date_formats) | east_asian,
                         frozenset(wb._timedelta_formats))
        self._ws = ws
        self._known: dict[int, str] = {}

    def number_format(self, style_id: int) -> str:
        fmt = self._known.get(style_id)
        if fmt is None:
            from openpyxl.cell.read_only import ReadOnlyCell

            fmt = self._known[style_id] = ReadOnlyCell(self._ws, 1, 1, None, "n", style_id).number_format
        return fmt


def read_package(archive: zipfile.ZipFile) -> tuple[list[SheetPart], Book] | None:
    """The workbook's sheets in order and what reading them needs, or None when the
    package holds anything this reader does not follow exactly."""
    try:
        return _Package(archive).read()
    except (_Unknown, LookupError, ValueError, TypeError, OverflowError, SyntaxError, expat.ExpatError,
            zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        return None


class _Package:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())

    def read(self) -> tuple[list[SheetPart], Book]:
        types = _tree(self.archive.read("[Content_Types].xml"), _CONTENT_TYPES + "Types")
        overrides = [(el.get("PartName"), el.get("ContentType")) for el in types if el.tag == _CONTENT_TYPES + "Override"]
        book_part = next((name for kind in _WORKBOOK_TYPES for name, ct in overrides if ct == kind), None)
        if book_part != "/xl/workbook.xml":
            raise _Unknown  # openpyxl's other ways of finding the workbook
        strings_part = next((name for name, ct in overrides if ct == _STRINGS_TYPE), None)
        epoch, sheets = self._workbook()
        strings = shared_strings(self.archive.read(strings_part[1:])) if strings_part is not None else []
        book = Book(strings, epoch, *_styles(self.archive.read("xl/styles.xml")))
        for name in ("docProps/core.xml", "docProps/custom.xml"):  # openpyxl parses them too
            if name in self.names:
                _well_formed(self.archive.read(name))
        return sheets, book

    def _workbook(self) -> tuple[datetime, list[SheetPart]]:
        root = _tree(self.archive.read("xl/workbook.xml"), _M + "workbook")
        rels = self._relationships("xl/_rels/workbook.xml.rels")
        date1904 = None
        sheets: list[SheetPart] = []
        for el in root:
            if el.tag == _M + "workbookPr":
                date1904 = el.get("date1904")
            elif el.tag == _M + "externalReferences" and len(el):
                raise _Unknown  # openpyxl reads the linked workbooks' cached cells
            elif el.tag == _M + "sheets":
                sheets = [self._sheet(s, rels) for s in el]
        seen = {s.name for s in sheets}
        if len(seen) != len(sheets):
            raise _Unknown
        # openpyxl's Bool: "false", "f" and "0" are false, any other text true
        epoch = MAC_EPOCH if date1904 is not None and date1904 not in ("false", "f", "0", "") else WINDOWS_EPOCH
        return epoch, sheets

    def _sheet(self, el: ET.Element, rels: dict[str, tuple[str, str]]) -> SheetPart:
        name, state, rid = el.get("name"), el.get("state"), el.get(_R_ID)
        if el.tag != _M + "sheet" or name is None or not rid or state not in _SHEET_STATES:
            raise _Unknown
        int(el.get("sheetId"))  # openpyxl's Integer: TypeError for none, ValueError for text
        kind, path = rels[rid]
        if kind != _WORKSHEET_REL or path not in self.names:
            raise _Unknown  # a chartsheet, a missing part: openpyxl skips them
        rels_path = posixpath.join(posixpath.dirname(path), "_rels", posixpath.basename(path) + ".rels")
        if rels_path in self.names:
            _well_formed(self.archive.read(rels_path))
        return SheetPart(name, path, (state or "visible") != "visible")

    def _relationships(self, path: str) -> dict[str, tuple[str, str]]:
        """Id → (type, part) as openpyxl's get_dependents resolves the targets."""
        root = _tree(self.archive.read(path), _PACKAGE_REL + "Relationships")
        out: dict[str, tuple[str, str]] = {}
        for rel in root:
            if rel.tag != _PACKAGE_REL + "Relationship" or not set(rel.attrib) <= {"Id", "Type", "Target", "TargetMode"}:
                raise _Unknown
            target, kind = rel.get("Target"), rel.get("Type")
            if target is None or kind is None or rel.get("TargetMode") == "External":
                continue
            folder = posixpath.dirname(posixpath.dirname(path))
            part = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id") or ""] = (kind, part)
        return out


def _tree(data: bytes, root_tag: str) -> ET.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _Unknown
    root = ET.fromstring(data)
    if root.tag != root_tag:
        raise _Unknown
    return root


def _well_formed(data: bytes) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _Unknown
    expat.ParserCreate(None, "}").Parse(data, True)


# ------------------------------------------------------------------ styles

def _styles(data: bytes) -> tuple[list[str | None], frozenset[int], frozenset[int]]:
    """(number format per style, styles showing dates, styles showing durations), as
    openpyxl's stylesheet reader makes them. A custom format at a built-in id replaces
    the built-in one; a format openpyxl would look up wrongly (an undefined custom id)
    is None."""
    root = _tree(data, _M + "styleSheet")
    custom: dict[int, str] = {}
    xfs: list[ET.Element] | None = None
    for el in root:
        if el.tag == _M + "numFmts":
            custom = {}
            for nf in el:
                code = nf.get("formatCode")
                if nf.tag != _M + "numFmt" or code is None or not set(_plain_attributes(nf)) <= {"numFmtId", "formatCode"}:
                    raise _Unknown
                custom[int(nf.get("numFmtId"))] = code
        elif el.tag == _M + "cellXfs":
            xfs = list(el)
    if not xfs:
        raise _Unknown  # openpyxl keeps its own default styles
    formats: list[str | None] = []
    dates: set[int] = set()
    durations: set[int] = set()
    for i, xf in enumerate(xfs):
        if xf.tag != _M + "xf" or not set(_plain_attributes(xf)) <= _XF_ATTRS:
            raise _Unknown
        for name in _XF_INTEGERS:
            if name in xf.attrib:
                int(xf.attrib[name])
        number = int(xf.get("numFmtId", 0))
        if number in custom:
            fmt: str | None = custom[number]
            shown = fmt
        elif number in EAST_ASIAN_DATE_FORMATS:
            fmt = shown = EAST_ASIAN_DATE_FORMATS[number]
        else:
            fmt = BUILTIN_FORMATS.get(number)
            shown = BUILTIN_FORMATS.get(number, "General") if number < FIRST_CUSTOM_ID else None
        formats.append(shown)
        if is_date_format(fmt):
            dates.add(i)
        if is_timedelta_format(fmt):
            durations.add(i)
    return formats, frozenset(dates), frozenset(durations)


# ------------------------------------------------------------------ shared strings

_SST_ROOT = re.compile(rb'\A(?:\xef\xbb\xbf)?(?:<\?xml version="1\.0"(?: encoding="(?i:utf-8)")?(?: standalone="yes")?\?>)?'
                       rb'\s*<sst xmlns="' + _MAIN.encode() + rb'"(?: (?:count|uniqueCount)="[0-9]+")*>')
# A string as Excel and WPS write it: plain text, and a phonetic property Chinese Excel adds.
_SI = (rb'\s*(?:<si/>|<si>(?:<t(?: xml:space="preserve")?>([^<]*)</t>|<t/>)?'
       rb'(?:<phoneticPr fontId="[0-9]+"(?: type="(?:noConversion|Hiragana|fullwidthKatakana|halfwidthKatakana)")?/>)?'
       rb'</si>)')
_PLAIN_STRINGS = re.compile(rb"(?:" + _SI + rb")*\s*</sst>\s*\Z")
_SI_TEXT = re.compile(_SI)


def shared_strings(data: bytes) -> list[str]:
    """The shared-string table as openpyxl's read_string_table gives it: each string's
    plain text and its rich runs' texts joined, phonetic runs left out, ``x005F_`` removed."""
    root = _SST_ROOT.match(data)
    if root is None or not _PLAIN_STRINGS.match(data, root.end()):
        return _strings_by_tree(data)
    _well_formed(data)
    texts = _SI_TEXT.findall(data, root.end())
    coded = {t for t in texts if b"&" in t or b"\r" in t}
    decoded = dict(zip(coded, decode_texts(coded))) if coded else {}
    out = []
    for t in texts:
        text = decoded[t] if t in decoded else t.decode("utf-8")
        out.append(text.replace("x005F_", "") if "x005F_" in text else text)
    return out


def decode_texts(raw: list[bytes] | set[bytes]) -> list[str]:
    """Element texts with character references or line ends, decoded by the XML parser
    in one document: exactly what a parser gives, without a call per reference."""
    raw = list(raw)
    doc = ET.fromstring(b"<x><t>" + b"</t><t>".join(raw) + b"</t></x>")
    if len(doc) != len(raw):
        raise ValueError("a text held a tag")
    return [el.text or "" for el in doc]


def _strings_by_tree(data: bytes) -> list[str]:
    """Rich and phonetic strings, read as openpyxl's Text.from_tree reads them."""
    root = _tree(data, _M + "sst")
    items = [el for el in root if el.tag == _M + "si"]
    if sum(1 for _ in root.iter(_M + "si")) != len(items):
        raise _Unknown  # an si inside another element: openpyxl would read it too
    out = []
    for si in items:
        _no_attributes(si)
        plain = None
        runs: list[str] = []
        for el in si:
            if el.tag == _M + "t":
                plain = el.text
            elif el.tag == _M + "r":
                _no_attributes(el)
                text = None
                for part in el:
                    if part.tag == _M + "t":
                        text = part.text
                    elif part.tag != _M + "rPr":
                        raise _Unknown
                if text is not None:
                    runs.append(text)
            elif el.tag == _M + "rPh":
                if not set(_plain_attributes(el)) <= {"sb", "eb"} or any(p.tag != _M + "t" for p in el):
                    raise _Unknown
                int(el.get("sb")), int(el.get("eb"))
            elif el.tag == _M + "phoneticPr":
                if not set(_plain_attributes(el)) <= {"fontId", "type", "alignment"} or len(el):
                    raise _Unknown
                int(el.get("fontId"))
                if el.get("type") not in _PHONETIC_TYPES or el.get("alignment") not in _PHONETIC_ALIGNMENTS:
                    raise _Unknown
            else:
                raise _Unknown
        out.append("".join(([plain] if plain is not None else []) + runs).replace("x005F_", ""))
    return out


def _plain_attributes(el: ET.Element) -> list[str]:
    """The attributes openpyxl passes on (it drops namespaced ones)."""
    return [name for name in el.attrib if not name.startswith("{")]


def _no_attributes(el: ET.Element) -> None:
    if _plain_attributes(el):
        raise _Unknown
