"""The draft as a Word file (.docx) in the GB/T 9704-2012 layout.

The package is written part by part (no template), so everything in it is ours and
follows the layout in :mod:`._layout`: A4 with the standard's margins; styles, not
run formatting, for the title, body, the four heading levels, 主送机关, 署名, 成文日期
and page numbers; East-Asian font names in ``w:eastAsia`` (and ascii/hAnsi) everywhere,
East-Asian language zh-CN; exact 28.95 pt lines and a 28-character grid; page numbers
“— 1 —” in a PAGE field, odd pages right and even pages left (``w:evenAndOddHeaders``).

Each line of each part is a paragraph. A paragraph's heading level comes from its
leading ordinal (一、 （一） 1. （1）): a paragraph that is all heading takes the heading
style; a heading run in with its body (一、坚持……。正文……) keeps the body style and its
first sentence takes the heading's character style (黑体 for 一、, 楷体 for （一）).

The output is byte-for-byte the same for the same draft (fixed zip times, the draft's
own timestamps), so the CLI and the session produce identical files.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from .._draft import Draft
from ._layout import Font, Layout, standard_layout
from ._text import chinese_date, paragraphs, recipient_line
from ._write import write_bytes

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot carry; a stray one would make Word refuse the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LEADING_SPACE = re.compile(r"^[ \t\u3000]+")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# style ids
TITLE, RECIPIENT, SIGNATURE, DATE = "Title", "DocRecipient", "DocSignature", "DocDate"
PAGE_ODD, PAGE_EVEN = "PageNumberOdd", "PageNumberEven"


def heading_style(level: int) -> str:
    return f"Heading{level}"


def heading_char_style(level: int) -> str:
    return f"Heading{level}Char"


def to_docx(draft: Draft, numbers: dict[str, int] | None = None, *, layout: Layout | None = None) -> bytes:
    """The draft as the bytes of a .docx file. ``numbers`` (section id → number)
    numbers the sections of a draft that holds only some of them."""
    lay = layout or standard_layout()
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _package_rels(),
        "docProps/core.xml": _core(draft),
        "docProps/app.xml": _app(),
        "word/_rels/document.xml.rels": _document_rels(),
        "word/document.xml": _document(draft, numbers, lay),
        "word/styles.xml": _styles(lay),
        "word/settings.xml": _settings(lay),
        "word/fontTable.xml": _font_table(lay),
        "word/footer1.xml": _footer(lay, PAGE_ODD),
        "word/footer2.xml": _footer(lay, PAGE_EVEN),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, (_XML_DECL + xml).encode("utf-8"))
    return buf.getvalue()


def write_docx(draft: Draft, path: str | Path, numbers: dict[str, int] | None = None) -> None:
    """Write the draft to ``path`` as .docx (atomically, see :func:`write_bytes`)."""
    write_bytes(path, to_docx(draft, numbers))


# ----------------------------------------------------------------- the text


def _text(s: str) -> str:
    return escape(_NOT_XML.sub("", s))


def _attr(s: str) -> str:
    return escape(_NOT_XML.sub("", s), {'"': "&quot;"})


def _run(text: str, char_style: str | None = None) -> str:
    rpr = f'<w:rPr><w:rStyle w:val="{char_style}"/></w:rPr>' if char_style else ""
    pieces = text.split("\t")
    inner = "<w:tab/>".join(f'<w:t xml:space="preserve">{_text(p)}</w:t>' for p in pieces)
    return f"<w:r>{rpr}{inner}</w:r>"


def _para(runs: str = "", style: str | None = None, ppr_extra: str = "") -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr_extra
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


def _body_paragraph(line: str, lay: Layout) -> str:
    """One line of the text: plain body, a heading, or a heading run in with its body."""
    found = lay.heading_level(line)
    if found is None:
        return _para(_run(line))
    level, after_ordinal = found
    m = lay.sentence_end.search(line, after_ordinal)
    if m is None or not line[m.end():].strip():
        return _para(_run(line), heading_style(level))
    return _para(_run(line[: m.end()], heading_char_style(level)) + _run(line[m.end():]))


def _ems(text: str) -> float:
    """Width of ``text`` in characters of its font: full-width (and ambiguous, as
    Chinese fonts draw them) 1, others ½ — so 2021年12月20日 is 7."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "FWA" else 0.5 for c in text)


def _closing(draft: Draft, lay: Layout) -> list[str]:
    """署名 over 成文日期 after a blank line (GB/T 9704-2012 7.3.5.1): the date 右空四字,
    the 署名 centred on the date. The blank line and the 署名 keep with what follows: the
    block is never split across pages (where it does not fit under the body, 7.3.5.5 has
    the office adjust line or character spacing by hand)."""
    date = chinese_date(draft.date) if draft.date else None
    if not (draft.signature or date):
        return []
    out = [_para(ppr_extra=_KEEP_NEXT)] * lay.blank_lines
    if draft.signature:
        right = lay.date_right_chars + (_ems(date) - _ems(draft.signature)) / 2 if date else lay.date_right_chars
        right = max(0.0, right)
        ind = (f'<w:ind w:rightChars="{round(right * 100)}" w:right="{lay.chars(right)}" '
               f'w:firstLineChars="0" w:firstLine="0"/>')
        out.append(_para(_run(draft.signature), SIGNATURE, ind))
    if date:
        out.append(_para(_run(date), DATE))
    return out


def _document(draft: Draft, numbers: dict[str, int] | None, lay: Layout) -> str:
    body = [_para(_run(draft.title), TITLE), _para()]  # 标题下空一行
    recipient = recipient_line(draft)
    if recipient:
        body.append(_para(_run(recipient), RECIPIENT))
    lines = [_LEADING_SPACE.sub("", line).rstrip()  # the indent is the style's
             for text in paragraphs(draft, numbers) for line in text.split("\n")]
    body += [_body_paragraph(line, lay) for line in lines if line]
    body += _closing(draft, lay)
    sect = (
        f'<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>'
        f'<w:footerReference w:type="even" r:id="rId5"/>'
        f'<w:pgSz w:w="{lay.page_width}" w:h="{lay.page_height}"/>'
        f'<w:pgMar w:top="{lay.margin_top}" w:right="{lay.margin_right}" w:bottom="{lay.margin_bottom}" '
        f'w:left="{lay.margin_left}" w:header="851" w:footer="{lay.footer_distance}" w:gutter="0"/>'
        f'<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/>'
        f'<w:docGrid w:type="linesAndChars" w:linePitch="{lay.line_pitch}" w:charSpace="{lay.char_space}"/>'
        f"</w:sectPr>"
    )
    return f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{"".join(body)}{sect}</w:body></w:document>'


def _footer(lay: Layout, style: str) -> str:
    """— PAGE — in the page-number style of odd or even pages."""
    dash = _text(lay.page_dash)
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:t>1</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    runs = f'<w:r><w:t xml:space="preserve">{dash} </w:t></w:r>{field}<w:r><w:t xml:space="preserve"> {dash}</w:t></w:r>'
    return f'<w:ftr xmlns:w="{_W}" xmlns:r="{_R}">{_para(runs, style)}</w:ftr>'


# ----------------------------------------------------------------- styles


def _fonts(font: Font, scale: int | None = None) -> str:
    """rPr children in the schema's order: rFonts … w … sz szCs."""
    n = _attr(font.name)
    w = f'<w:w w:val="{scale}"/>' if scale is not None else ""
    return (f'<w:rFonts w:ascii="{n}" w:eastAsia="{n}" w:hAnsi="{n}" w:cs="{n}" w:hint="eastAsia"/>'
            f'{w}<w:sz w:val="{font.half_points}"/><w:szCs w:val="{font.half_points}"/>')


_NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
_KEEP_NEXT = "<w:keepNext/>"


def _style(kind: str, sid: str, name: str, *, based: str | None = None, next_: str | None = None,
           link: str | None = None, ppr: str = "", rpr: str = "", default: bool = False,
           ui: int | None = None, alias: str | None = None) -> str:
    flag = ' w:default="1"' if default else ""
    head = f'<w:style w:type="{kind}"{flag} w:styleId="{sid}">'
    head += f'<w:name w:val="{_attr(name)}"/>'
    if alias:
        head += f'<w:aliases w:val="{_attr(alias)}"/>'
    if based:
        head += f'<w:basedOn w:val="{based}"/>'
    if next_:
        head += f'<w:next w:val="{next_}"/>'
    if link:
        head += f'<w:link w:val="{link}"/>'
    if ui is not None:
        head += f'<w:uiPriority w:val="{ui}"/>'
    head += "<w:qFormat/>" if kind == "paragraph" else ""
    return head + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + "</w:style>"


def _styles(lay: Layout) -> str:
    f = lay.fonts
    # East-Asian text is Chinese; Latin text and digits keep English line breaking, so a
    # number is never split across lines (as Chinese Word writes it).
    lang = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    spacing = f'<w:spacing w:before="0" w:after="0" w:line="{lay.line_pitch}" w:lineRule="exact"/>'
    indent2 = f'<w:ind w:firstLineChars="200" w:firstLine="{lay.chars(2)}"/>'
    body_ppr = ('<w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
                f'<w:snapToGrid w:val="0"/>{spacing}{indent2}<w:jc w:val="both"/>')
    date_right = lay.date_right_chars
    page_indent = round(lay.page_indent_chars * f["page_number"].size * 20)
    styles = [
        _style("paragraph", "Normal", "Normal", alias="正文", default=True, ppr=body_ppr,
               rpr=_fonts(f["body"], lay.glyph_scale)),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", default=True, ui=1),
        _style("paragraph", TITLE, "Title", alias="公文标题", based="Normal", next_="Normal", ui=10,
               ppr=f'{_NO_INDENT}<w:jc w:val="center"/>', rpr=_fonts(f["title"], 100)),
    ]
    for level in range(1, 5):
        font = f[f"heading{level}"]
        styles.append(_style("paragraph", heading_style(level), f"heading {level}", alias=f"{'一二三四'[level - 1]}级标题",
                             based="Normal", next_="Normal", link=heading_char_style(level), ui=9,
                             ppr=f'<w:outlineLvl w:val="{level - 1}"/>', rpr=_fonts(font)))
        styles.append(_style("character", heading_char_style(level), f"Heading {level} Char",
                             based="DefaultParagraphFont", link=heading_style(level), ui=9, rpr=_fonts(font)))
    styles += [
        _style("paragraph", RECIPIENT, "主送机关", based="Normal", next_="Normal", ppr=f'{_NO_INDENT}<w:jc w:val="left"/>'),
        _style("paragraph", SIGNATURE, "发文机关署名", based="Normal", next_=DATE,
               ppr=f'{_KEEP_NEXT}{_NO_INDENT}<w:jc w:val="right"/>'),
        _style("paragraph", DATE, "成文日期", based="Normal", next_="Normal",
               ppr=(f'<w:ind w:rightChars="{round(date_right * 100)}" w:right="{lay.chars(date_right)}" '
                    f'w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/>')),
        _style("paragraph", "Footer", "footer", alias="页脚", based="Normal", ui=99,
               ppr=(f'<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{lay.footer_line}" '
                    f'w:lineRule="exact"/>{_NO_INDENT}<w:jc w:val="left"/>'),
               rpr=_fonts(f["page_number"], 100)),
        _style("paragraph", PAGE_ODD, "页码（单页）", based="Footer",
               ppr=f'<w:ind w:right="{page_indent}" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/>'),
        _style("paragraph", PAGE_EVEN, "页码（双页）", based="Footer",
               ppr=f'<w:ind w:left="{page_indent}" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>'),
    ]
    defaults = (f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(f['body'])}{lang}</w:rPr></w:rPrDefault>"
                f"<w:pPrDefault><w:pPr>{spacing}</w:pPr></w:pPrDefault></w:docDefaults>")
    return f'<w:styles xmlns:w="{_W}">{defaults}{"".join(styles)}</w:styles>'


def _settings(lay: Layout) -> str:
    return (f'<w:settings xmlns:w="{_W}"><w:zoom w:percent="100"/>'
            f'<w:defaultTabStop w:val="{lay.chars(2)}"/><w:evenAndOddHeaders/>'
            '<w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
            'w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>')


def _font_table(lay: Layout) -> str:
    names = list(dict.fromkeys(font.name for font in lay.fonts.values()))
    out = []
    for name in names:
        info = lay.font_table.get(name)
        body = ""
        if info:
            if info.fallback:
                body += f'<w:altName w:val="{_attr(info.fallback)}"/>'
            if info.panose:
                body += f'<w:panose1 w:val="{info.panose}"/>'
            body += f'<w:charset w:val="86"/><w:family w:val="{info.family}"/><w:pitch w:val="{info.pitch}"/>'
        else:
            body = '<w:charset w:val="86"/>'
        out.append(f'<w:font w:name="{_attr(name)}">{body}</w:font>')
    return f'<w:fonts xmlns:w="{_W}">{"".join(out)}</w:fonts>'


# ----------------------------------------------------------------- the package


def _content_types() -> str:
    over = [("/word/document.xml", f"{_CT}.document.main+xml"), ("/word/styles.xml", f"{_CT}.styles+xml"),
            ("/word/settings.xml", f"{_CT}.settings+xml"), ("/word/fontTable.xml", f"{_CT}.fontTable+xml"),
            ("/word/footer1.xml", f"{_CT}.footer+xml"), ("/word/footer2.xml", f"{_CT}.footer+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml")]
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in over) + "</Types>")


def _rels(items: list[tuple[str, str, str]]) -> str:
    return (f'<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
            + "</Relationships>")


def _package_rels() -> str:
    return _rels([("rId1", f"{_R}/officeDocument", "word/document.xml"),
                  ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                   "docProps/core.xml"),
                  ("rId3", f"{_R}/extended-properties", "docProps/app.xml")])


def _document_rels() -> str:
    return _rels([("rId1", f"{_R}/styles", "styles.xml"), ("rId2", f"{_R}/settings", "settings.xml"),
                  ("rId3", f"{_R}/fontTable", "fontTable.xml"), ("rId4", f"{_R}/footer", "footer1.xml"),
                  ("rId5", f"{_R}/footer", "footer2.xml")])


def _w3cdtf(iso: str) -> str:
    """The draft's ISO timestamp in the form core properties want (UTC, Z)."""
    from datetime import datetime, timezone

    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return "2000-01-01T00:00:00Z"
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _core(draft: Draft) -> str:
    creator = f"<dc:creator>{_text(draft.signature)}</dc:creator>" if draft.signature else ""
    return ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_text(draft.title)}</dc:title>{creator}<dc:language>zh-CN</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{_w3cdtf(draft.created)}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{_w3cdtf(draft.updated)}</dcterms:modified>'
            "</cp:coreProperties>")


def _app() -> str:
    return ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>drafter</Application></Properties>")
