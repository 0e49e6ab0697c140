"""A worksheet's cells read straight from its XML, exactly as openpyxl's read-only
reader gives them, at a fraction of its cost, made at once into the ledger's cells.

openpyxl parses every cell into an element and a cell object (0.3 s for a 10,000-row
ledger, most of ``check --facts LEDGER``'s reading). The cells of a sheet as Excel,
WPS and openpyxl write them are a plain run of ``<row><c r= s= t=><v>…</v></c></row>``
tags, read here with a few regular expressions; strings, styles and the 1904 calendar
come from a :class:`~._workbook.Book` (read from the package, or from the workbook
openpyxl opened), and serial dates are converted as openpyxl converts them
(:mod:`._formats`). The sheet's facts (:mod:`._sheet_facts`: hidden rows, merges,
formulas without a value) are gathered on the way.

Only what is certainly understood is read this way: a namespace prefix, a comment, a
CDATA section, a rich-text inline string, an attribute or element this reader does
not know, anything unexpected between the tags — and :func:`sheet_rows` answers
None, and the caller reads the sheet with openpyxl (which then reports whatever is
wrong). Tests read varied workbooks every way and compare every cell.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import NamedTuple
from xml.parsers import expat

from ._cells import LETTERS, Cell, as_shown, column_letter, format_rule
from ._formats import from_excel, from_iso8601
from ._sheet_facts import PLAIN_ROW_ATTRS, SheetFacts, is_hidden, merged_ranges, row_number, tag_attrs, \
    uncached_formulas
from ._workbook import Book, decode_texts

_MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_ROOT = re.compile(rb"<worksheet\b[^>]*>")
_SHEET_DATA_TAG = re.compile(rb"<sheetData\s*(/?)>")
_ROW_TAG = re.compile(rb"\s*<row\b([^>]*?)(/?)>")
# A cell as Excel, WPS and openpyxl write it: r, s, t in that order, then an optional
# formula and a value, or an inline string. Any other cell is read by _generic_row.
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
_DIMENSION = re.compile(rb"<dimension\b([^>]*?)/?>")
_PLAIN_DIMENSION = re.compile(rb'\s*ref="[A-Z]{1,3}[1-9][0-9]*(?::[A-Z]{1,3}[1-9][0-9]*)?"\s*')
_ENCODING = re.compile(rb'\A<\?xml[^>]*?\bencoding\s*=\s*["\']([^"\']*)')
_CELL_ATTRS = frozenset({b"r", b"s", b"t", b"cm", b"vm", b"ph"})
_NUMBER_KINDS = frozenset({"n", "s", "b", "d"})
_MISSING = object()
_PENDING = Cell("", None)  # a text cell whose text is decoded with the others, after the rows


class _Unknown(Exception):
    """Something this reader does not read exactly as openpyxl does."""


class _Style(NamedTuple):
    """What a cell style (``s=``) means for a number in it."""

    date: bool           # the number is a date or time (openpyxl's date styles)
    duration: bool       # … a duration ([h]:mm:ss)
    format: str | None   # its number format; None: not read here
    whole: bool          # a whole number shows as it is (no percent)


def sheet_rows(book: Book, xml: bytes) -> tuple[SheetFacts, list[list[Cell]]] | None:
    """The sheet's facts and its rows as openpyxl's ``ws.iter_rows()`` of a read-only,
    values-only (``data_only``) sheet gives them — missing rows as empty ones, each row
    as wide as its last cell — made into the ledger's cells; or None when the XML holds
    anything this reader does not know."""
    try:
        return _Reader(book).read(xml)
    except (_Unknown, AttributeError, LookupError, ValueError, TypeError, OverflowError, SyntaxError):
        return None


def sheet_opens(xml: bytes) -> bool:
    """What openpyxl reads of every sheet, a hidden one too, when it opens a workbook
    (the XML, the size its ``<dimension>`` tag gives) is read here as openpyxl reads it."""
    try:
        _sheet_data(xml)
        return True
    except (_Unknown, ValueError):
        return False


def _sheet_data(xml: bytes) -> tuple[int, int]:
    """Where the content of the sheet's one ``<sheetData>`` starts and ends, the XML
    checked as the reader needs it."""
    root = _ROOT.search(xml)
    if root is None or _MAIN_NS not in root.group():
        raise _Unknown
    declared = _ENCODING.match(xml)
    if declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise _Unknown  # the text is read as UTF-8
    start = xml.find(b"<sheetData", root.end())
    tag = _SHEET_DATA_TAG.match(xml, start) if start != -1 else None
    if tag is None or xml.find(b"<sheetData", start + 1) != -1:
        raise _Unknown
    end = tag.end() if tag.group(1) else xml.find(b"</sheetData>", tag.end())
    if end == -1:
        raise _Unknown
    dimension = _DIMENSION.search(xml, root.end(), start)
    if dimension is not None and not _PLAIN_DIMENSION.fullmatch(dimension.group(1)):
        raise _Unknown  # openpyxl sizes the sheet by it, or refuses it
    _well_formed(xml)
    return tag.end(), end


def _refuse(*_args) -> None:
    raise _Unknown


def _well_formed(xml: bytes) -> None:
    """The whole part parses as openpyxl's parser parses it (expat, namespaces on), so
    a damaged sheet is still refused by openpyxl, never read here; and holds no comment,
    processing instruction, CDATA section or DTD, which the regular expressions would
    misread. 10 ms for 1.6 MB."""
    parser = expat.ParserCreate(None, "}")
    parser.CommentHandler = parser.ProcessingInstructionHandler = _refuse
    parser.StartCdataSectionHandler = parser.StartDoctypeDeclHandler = _refuse
    try:
        parser.Parse(xml, True)
    except expat.ExpatError:
        raise _Unknown from None


class _Reader:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.uncached: set[str] = set()
        self.columns: dict[bytes, int] = {}
        self.texts: dict[bytes, str | None] = {}  # raw text → shown: decoded, stripped, None if blank
        self.styles: dict[bytes, _Style] = {}
        self.numbers: dict[tuple[bytes, bytes], tuple[float, bool]] = {}  # (raw, style) → as shown
        self.pending: list[tuple[list, int, str, bytes]] = []  # (row, index, reference, raw text)

    def read(self, xml: bytes) -> tuple[SheetFacts, list[list[Cell]]]:
        start, end = _sheet_data(xml)
        data = xml[start:end]
        if b"<f" in data:  # cells are in sheetData only
            self.uncached = uncached_formulas(data)
        merges = merged_ranges(xml, 0, start) + merged_ranges(xml, end)
        out: list[list[Cell]] = []
        hidden: set[int] = set()
        last = 0
        counter = 1      # the next row number openpyxl's reader expects
        number = 0       # the row number the XML gives (or counts)
        pos, size = 0, len(data)
        while pos < size:
            m = _ROW_TAG.match(data, pos)
            if m is None:
                if data[pos:].strip():
                    raise _Unknown
                break
            if m.group(2):  # <row …/>
                pos, content = m.end(), b""
            else:
                close = data.find(b"</row>", m.end())
                if close == -1:
                    raise _Unknown
                pos, content = close + 6, data[m.end():close]
            plain = PLAIN_ROW_ATTRS.fullmatch(m.group(1))
            if plain is not None:
                number = int(plain.group(1))
            else:
                attrs = tag_attrs(m.group(1))
                if b"r" in attrs and not attrs[b"r"].isdigit():
                    raise _Unknown
                number = row_number(attrs, number)
                if is_hidden(attrs):
                    hidden.add(number)
            last = max(last, number)
            if not content:
                cells: list[Cell] = []
            elif _CELLS.fullmatch(content):
                cells = self._plain_row(_CELL_RE.findall(content), str(number))
            else:
                cells = self._generic_row(content, str(number))
            # openpyxl's read-only rows: an empty row for each missing one, a row that
            # comes back to an earlier number skipped (its cells read all the same), a
            # row as wide as its last cell.
            while counter < number:
                out.append([])
                counter += 1
            if counter > number:
                continue
            counter += 1
            out.append(cells)
        self._decode_pending()
        return SheetFacts(hidden, merges, self.uncached, last), out

    def _plain_row(self, found: list[tuple[bytes, ...]], row: str) -> list[Cell]:
        """A row of cells as Excel writes them; the kinds of most cells (a shared string,
        a whole number, an inline string) read here at once, as :meth:`_value` reads them,
        and made as tuples (``new``: a Cell without the call of its ``__new__``)."""
        columns, styles, texts, new = self.columns, self.styles, self.texts, tuple.__new__
        shown = self.book.shown_strings()
        width = columns.get(found[-1][0]) or self._column(found[-1][0])
        cells: list = [None] * width
        for letters, style, kind, value, inline_tag, inline in found:
            col = columns.get(letters) or self._column(letters)
            if col > width:
                continue
            ref = (LETTERS[col - 1] if col <= 256 else column_letter(col - 1)) + row
            if kind == b"s" and value:
                cells[col - 1] = new(Cell, (ref, shown[int(value)], False, False))
            elif (not kind or kind == b"n") and value:
                if value.isdigit() and len(value) < 16 and (styles.get(style) or self._style(style)).whole:
                    cells[col - 1] = new(Cell, (ref, int(value), False, False))
                else:
                    cells[col - 1] = self._value(ref, "n", style, value, None)
            elif inline_tag and kind == b"inlineStr":
                text = texts.get(inline, _MISSING)
                if text is not _MISSING:
                    cells[col - 1] = new(Cell, (ref, text, False, False))
                elif b"&" in inline or b"\r" in inline:  # decoded with the others, once
                    cells[col - 1] = _PENDING
                    self.pending.append((cells, col - 1, ref, inline))
                else:
                    cells[col - 1] = Cell(ref, self._text(inline))
            else:
                cells[col - 1] = self._value(ref, kind.decode("ascii") if kind else "n", style, value or None,
                                             inline if inline_tag else None)
        if None in cells:  # empty cells where the row has none: openpyxl's empty cells
            uncached = self.uncached
            for i, cell in enumerate(cells):
                if cell is None:
                    ref = (LETTERS[i] if i < 256 else column_letter(i)) + row
                    cells[i] = new(Cell, (ref, None, False, ref in uncached))
        return cells

    def _generic_row(self, content: bytes, row: str) -> list[Cell]:
        """A row written otherwise: tag by tag, every attribute and child understood."""
        found: list[tuple[int, Cell]] = []
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
            style = attrs.get(b"s") or b""
            if style and not style.isdigit():
                raise _Unknown
            kind = (attrs.get(b"t") or b"n").decode("ascii")
            value, inline = _children(m.group(2))
            found.append((column, self._value(column_letter(column - 1) + row, kind, style, value or None, inline)))
        if not found:
            return []
        width = found[-1][0]
        cells: list = [None] * width
        for col, cell in found:
            if 1 <= col <= width:
                cells[col - 1] = cell
        if None in cells:
            self._fill(cells, row)
        return cells

    def _fill(self, cells: list, row: str) -> None:
        """Empty cells where the row has none: openpyxl's empty cells."""
        uncached = self.uncached
        for i, cell in enumerate(cells):
            if cell is None:
                ref = column_letter(i) + row
                cells[i] = Cell(ref, None, uncached=ref in uncached) if uncached else Cell(ref, None)

    def _value(self, ref: str, kind: str, style: bytes, raw: bytes | None, inline: bytes | None) -> Cell:
        """A cell as openpyxl's parse_cell reads it (values only), then as shown."""
        if kind == "inlineStr":
            raw = inline
        elif raw is not None and kind in _NUMBER_KINDS:
            if b"&" in raw or b"\r" in raw:
                raise _Unknown
            text = raw.decode("ascii")
            if kind == "n":
                value: object = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
                known = self.styles.get(style) or self._style(style)
                if known.date:
                    return _shown_value(ref, self._date(value, known))
                if known.format is None:
                    raise _Unknown  # a style the workbook lacks: let openpyxl read it
                shown = self.numbers.get((raw, style))
                if shown is None:  # a figure repeated (0, 100%) is rounded once
                    shown = self.numbers[(raw, style)] = as_shown(value, known.format)
                return Cell(ref, *shown)
            if kind == "s":
                return Cell(ref, self.book.shown_strings()[int(text)])
            if kind == "b":
                return Cell(ref, bool(int(text)))
            return _shown_value(ref, from_iso8601(text))
        # str, e (an error value) and the kinds openpyxl keeps as text
        if raw is None:
            return Cell(ref, None, uncached=ref in self.uncached) if self.uncached else Cell(ref, None)
        return Cell(ref, self._text(raw))

    def _style(self, style: bytes) -> _Style:
        style_id = int(style) if style else 0
        book = self.book
        if style_id in book.date_styles:
            known = _Style(True, style_id in book.timedelta_styles, None, False)
        else:
            try:
                fmt: str | None = book.number_format(style_id)
            except LookupError:
                fmt = None  # only a number in this style is not read here
            known = _Style(False, False, fmt, fmt is not None and not format_rule(fmt)[0])
        self.styles[style] = known
        return known

    def _text(self, raw: bytes) -> str | None:
        """A text as shown: decoded, surrounding blanks dropped, None if blank."""
        shown = self.texts.get(raw, _MISSING)
        if shown is _MISSING:
            if b"<" in raw:
                raise _Unknown  # an element inside: its text is not all of it
            text = decode_texts([raw])[0] if b"&" in raw or b"\r" in raw else raw.decode("utf-8")
            shown = self.texts[raw] = text.strip() or None
        return shown  # type: ignore[return-value]

    def _decode_pending(self) -> None:
        """Inline texts with character references or line ends (all of them, in a
        ledger openpyxl wrote), decoded by the XML parser in one document: exactly what
        a parser gives, without a call per reference; a text repeated is decoded once."""
        if not self.pending:
            return
        raws = list(dict.fromkeys(raw for *_, raw in self.pending))
        texts = self.texts
        for raw, text in zip(raws, decode_texts(raws)):
            texts[raw] = text.strip() or None
        for cells, i, ref, raw in self.pending:
            cells[i] = Cell(ref, texts[raw])

    def _date(self, value: float, style: _Style) -> object:
        try:
            return from_excel(value, self.book.epoch, style.duration)
        except (OverflowError, ValueError):
            raise _Unknown from None  # openpyxl warns and reads "#VALUE!": let it

    def _column(self, letters: bytes) -> int:
        column = self.columns[letters] = _column(letters)
        if column > _MAX_COLUMN:
            raise _Unknown
        return column


def _shown_value(ref: str, value: object) -> Cell:
    """A date, time or duration cell: a duration shows as its text, as the ledger reader
    shows every value it does not know."""
    return Cell(ref, str(value) if isinstance(value, timedelta) else value)


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
