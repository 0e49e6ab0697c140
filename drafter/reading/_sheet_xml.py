"""A worksheet's cells read straight from its XML, exactly as openpyxl's read-only
reader gives them, at a fraction of its cost.

openpyxl parses every cell into an element and a cell object (0.3 s for a 10,000-row
ledger, most of ``check --facts LEDGER``'s reading). The cells of a sheet as Excel,
WPS and openpyxl write them are a plain run of ``<row><c r= s= t=><v>…</v></c></row>``
tags, read here with a few regular expressions; strings, styles, dates and the 1904
calendar come from the workbook openpyxl has opened, and numbers, dates and number
formats are converted by openpyxl's own functions.

Only what is certainly understood is read this way: a namespace prefix, a comment, a
CDATA section, a rich-text inline string, an attribute or element this reader does
not know, anything unexpected between the tags — and :func:`sheet_rows` answers
None, and the caller reads the sheet with openpyxl (which then reports whatever is
wrong). A test reads varied workbooks both ways and compares every cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_ROOT = re.compile(rb"<worksheet\b[^>]*>")
_SHEET_DATA = re.compile(rb"<sheetData\s*(?:/>|>(.*?)</sheetData>)", re.S)
_UNSAFE = (b"<![CDATA[", b"<!--", b"<!DOCTYPE", b"<!ENTITY", b"<?")
_ROW = re.compile(rb"\s*<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A cell as Excel, WPS and openpyxl write it: r, s, t in that order, then an optional
# formula and a value, or an inline string. Any other cell is read by _generic_cell.
_CELL = (rb'<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?'
         rb'(?:/>|>(?:<f(?: [^<>]*)?(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>)?</c>'
         rb'|>(<is>)<t(?: xml:space="preserve")?>([^<]*)</t></is></c>)')
_CELLS = re.compile(rb"(?:" + _CELL + rb")*")
_CELL_RE = re.compile(_CELL)
# The same, one tag at a time, for rows written otherwise.
_TOKEN = re.compile(rb"\s*<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb"""\s+([A-Za-z_][\w.\-]*)\s*=\s*(?:"([^"<&]*)"|'([^'<&]*)')""")
# A cell's children: formula, value, inline string, extensions — nothing else.
_CHILD = re.compile(rb"\s*<(f|v|is|extLst)\b([^>]*?)(?:/>|>(.*?)</\1>)", re.S)
_INLINE = re.compile(rb"\s*<t\b([^>]*?)(?:/>|>(.*?)</t>)\s*", re.S)
_REF = re.compile(rb"([A-Z]{1,3})[0-9]+")
_MAX_COLUMN = 18278  # ZZZ: the furthest column openpyxl names
_CELL_ATTRS = frozenset({b"r", b"s", b"t", b"cm", b"vm", b"ph"})
_NUMBER_KINDS = frozenset({"n", "s", "b", "d"})


class _Unknown(Exception):
    """Something this reader does not read exactly as openpyxl does."""


class XmlCell:
    """What the ledger reader asks of a cell: its value and number format."""

    __slots__ = ("number_format", "value")

    def __init__(self, value: object, number_format: str | None) -> None:
        self.value = value
        self.number_format = number_format


EMPTY = XmlCell(None, None)


def sheet_rows(ws, xml: bytes) -> list[Sequence[XmlCell]] | None:
    """The rows ``ws.iter_rows()`` of a read-only, values-only (``data_only``) sheet
    would give — missing rows as empty ones, each row as wide as its last cell — or
    None when the XML holds anything this reader does not know."""
    try:
        return _Reader(ws).rows(xml)
    except (_Unknown, AttributeError, LookupError, ValueError, TypeError, OverflowError):
        return None


class _Reader:
    def __init__(self, ws) -> None:
        wb = ws.parent
        if not (wb.data_only and wb.read_only):
            raise _Unknown
        self.ws = ws
        self.strings = ws._shared_strings  # the reader's table (the workbook's own is empty when read-only)
        self.epoch = wb.epoch
        self.date_styles = wb._date_formats
        self.timedelta_styles = wb._timedelta_formats
        self.formats: dict[int, str] = {}
        self.columns: dict[bytes, int] = {}
        # Text with references, decoded at once; a text repeated (a unit, a 责任单位)
        # is decoded once for all its cells.
        self.undecoded: dict[bytes, list[XmlCell]] = {}

    def rows(self, xml: bytes) -> list[Sequence[XmlCell]]:
        root = _ROOT.search(xml)
        if root is None or _MAIN_NS not in root.group() or any(xml.find(u, root.end()) != -1 for u in _UNSAFE):
            raise _Unknown
        found = list(_SHEET_DATA.finditer(xml))
        if len(found) != 1:
            raise _Unknown
        _well_formed(xml)
        data = found[0].group(1) or b""
        out: list[Sequence[XmlCell]] = []
        counter = 1      # the next row number openpyxl's reader expects
        number = 0       # the row number the XML gives (or counts)
        pos, end = 0, len(data)
        while pos < end:
            m = _ROW.match(data, pos)
            if m is None:
                if data[pos:].strip():
                    raise _Unknown
                break
            pos = m.end()
            r = _ROW_NUMBER.search(m.group(1))
            if r is None:
                number += 1
            else:
                given = r.group(1) if r.group(1) is not None else r.group(2)
                if not given.isdigit():
                    raise _Unknown
                number = int(given)
            content = m.group(2)
            if not content:
                cells: list[tuple[int, XmlCell]] = []
            elif _CELLS.fullmatch(content):
                cells = [self._plain_cell(*c) for c in _CELL_RE.findall(content)]
            else:
                cells = self._cells(content)
            # openpyxl's read-only rows: an empty row for each missing one, a row that
            # comes back to an earlier number skipped, a row as wide as its last cell.
            while counter < number:
                out.append(())
                counter += 1
            if counter > number:
                continue
            counter += 1
            if not cells:
                out.append(())
                continue
            width = cells[-1][0]
            row = [EMPTY] * width
            for col, cell in cells:
                if 1 <= col <= width:
                    row[col - 1] = cell
            out.append(row)
        self._decode()
        return out

    def _plain_cell(self, letters: bytes, style: bytes, kind: bytes, value: bytes, inline_tag: bytes,
                    inline: bytes) -> tuple[int, XmlCell]:
        column = self.columns.get(letters)
        if column is None:
            column = self.columns[letters] = _column(letters)
            if column > _MAX_COLUMN:
                raise _Unknown
        if inline_tag and kind == b"inlineStr":
            return column, self._text_cell(inline)  # what _value does, without its steps
        style_id = int(style) if style else 0
        return column, self._value(kind.decode("ascii") if kind else "n", style_id,
                                   value or None, inline if inline_tag else None)

    def _cells(self, content: bytes) -> list[tuple[int, XmlCell]]:
        """A row written otherwise: tag by tag, every attribute and child understood."""
        cells: list[tuple[int, XmlCell]] = []
        column = 0
        pos, end = 0, len(content)
        while pos < end:
            m = _TOKEN.match(content, pos)
            if m is None:
                if content[pos:].strip():
                    raise _Unknown
                break
            pos = m.end()
            attrs = _attrs(m.group(1), _CELL_ATTRS)
            ref = attrs.get(b"r")
            if ref is not None:
                rm = _REF.fullmatch(ref)
                if rm is None:
                    raise _Unknown
                column = _column(rm.group(1))
                if column > _MAX_COLUMN:
                    raise _Unknown
            else:
                column += 1
            style = attrs.get(b"s")
            if style is not None and not style.isdigit():
                raise _Unknown
            kind = (attrs.get(b"t") or b"n").decode("ascii")
            value, inline = _children(m.group(2))
            cells.append((column, self._value(kind, int(style) if style else 0, value or None, inline)))
        return cells

    def _value(self, kind: str, style_id: int, raw: bytes | None, inline: bytes | None) -> XmlCell:
        """A cell's value as openpyxl's parse_cell reads it (values only)."""
        if kind == "inlineStr":
            return self._text_cell(inline)
        if raw is None:
            return XmlCell(None, None)
        if kind not in _NUMBER_KINDS:  # str, e (an error value) and kinds openpyxl keeps as text
            return self._text_cell(raw)
        if b"&" in raw or b"\r" in raw:
            raise _Unknown
        text = raw.decode("ascii")
        if kind == "n":
            value: object = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            if style_id in self.date_styles:
                return XmlCell(self._date(value, style_id), None)
            return XmlCell(value, self._format(style_id))
        if kind == "s":
            return XmlCell(self.strings[int(text)], None)
        if kind == "b":
            return XmlCell(bool(int(text)), None)
        from openpyxl.utils.datetime import from_ISO8601

        return XmlCell(from_ISO8601(text), None)

    def _text_cell(self, raw: bytes | None) -> XmlCell:
        if raw is None:
            return XmlCell(None, None)
        if b"&" in raw or b"\r" in raw:
            cell = XmlCell(None, None)
            self.undecoded.setdefault(raw, []).append(cell)
            return cell
        return XmlCell(raw.decode("utf-8"), None)

    def _decode(self) -> None:
        """Text with character references or line ends, decoded by the XML parser in
        one document: exactly what a parser gives, without a call per reference."""
        if not self.undecoded:
            return
        from xml.etree.ElementTree import fromstring

        doc = fromstring(b"<x><t>" + b"</t><t>".join(self.undecoded) + b"</t></x>")
        if len(doc) != len(self.undecoded):
            raise _Unknown
        for cells, el in zip(self.undecoded.values(), doc):
            text = el.text or ""
            for cell in cells:
                cell.value = text

    def _date(self, value: float, style_id: int) -> object:
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(value, self.epoch, timedelta=style_id in self.timedelta_styles)
        except (OverflowError, ValueError):
            raise _Unknown from None  # openpyxl warns and reads "#VALUE!": let it

    def _format(self, style_id: int) -> str:
        fmt = self.formats.get(style_id)
        if fmt is None:
            from openpyxl.cell.read_only import ReadOnlyCell

            fmt = self.formats[style_id] = ReadOnlyCell(self.ws, 1, 1, None, "n", style_id).number_format
        return fmt


def _well_formed(xml: bytes) -> None:
    """The whole part parses as openpyxl's parser parses it (expat, namespaces on), so
    a damaged sheet is still refused by openpyxl, never read here. 13 ms for 2.7 MB."""
    from xml.parsers import expat

    try:
        expat.ParserCreate(None, "}").Parse(xml, True)
    except expat.ExpatError:
        raise _Unknown from None


def _attrs(raw: bytes, known: frozenset[bytes]) -> dict[bytes, bytes]:
    """A tag's attributes, all of them understood (values without entities)."""
    out: dict[bytes, bytes] = {}
    pos = 0
    for m in _ATTR.finditer(raw):
        if m.start() != pos:
            raise _Unknown
        name = m.group(1)
        if name not in known:
            raise _Unknown
        out[name] = m.group(2) if m.group(2) is not None else m.group(3)
        pos = m.end()
    if raw[pos:].strip():
        raise _Unknown
    return out


def _children(inner: bytes | None) -> tuple[bytes | None, bytes | None]:
    """(the first ``<v>``'s text, the inline string's text) of a cell's content, raw."""
    if not inner:
        return None, None
    value: bytes | None = None
    seen_v = False
    inline: bytes | None = None
    seen_is = False
    pos, end = 0, len(inner)
    while pos < end:
        m = _CHILD.match(inner, pos)
        if m is None:
            if inner[pos:].strip():
                raise _Unknown
            break
        pos = m.end()
        tag, body = m.group(1), m.group(3)
        if tag == b"v":
            if m.group(2).strip():
                raise _Unknown
            if not seen_v:
                value, seen_v = body or b"", True
        elif tag == b"is":
            if m.group(2).strip():
                raise _Unknown
            if not seen_is:
                inline, seen_is = _inline(body), True
    return value, inline


def _inline(body: bytes | None) -> bytes:
    """An inline string's plain text (``<is><t>…</t></is>``); rich runs are left to openpyxl."""
    if not body or not body.strip():
        return b""
    m = _INLINE.fullmatch(body)
    if m is None:
        raise _Unknown
    return m.group(2) or b""


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n
