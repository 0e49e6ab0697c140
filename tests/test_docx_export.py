"""The Word export against GB/T 9704-2012's numbers, read from the package's XML: page,
margins, grid, styles and fonts, heading levels, page numbers, 主送机关, 署名, 成文日期.
(How it renders is tests/test_docx_render.py, where LibreOffice exists.)"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

import pytest

from drafter import Drafter, load_spec, to_docx, to_markdown, to_text
from drafter._draft import Draft, Part
from drafter.reading import read_document
from helpers import REFERENCE_SPEC, SMALL_SPEC, cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MM = 1440 / 25.4  # twips per mm


class Package:
    """A .docx opened as XML, with the style chain resolved."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.parts = {n: ET.fromstring(self.zip.read(n)) for n in self.zip.namelist() if n.endswith((".xml", ".rels"))}
        self.doc = self.parts["word/document.xml"]
        self.styles = {s.get(f"{W}styleId"): s for s in self.parts["word/styles.xml"].iter(f"{W}style")}
        self.defaults = self.parts["word/styles.xml"].find(f"{W}docDefaults")

    @property
    def body(self) -> list:
        return self.doc.find(f"{W}body").findall(f"{W}p")

    @property
    def sect(self):
        return self.doc.find(f"{W}body").find(f"{W}sectPr")

    def style_chain(self, sid: str | None) -> list:
        out = []
        while sid:
            s = self.styles[sid]
            out.append(s)
            based = s.find(f"{W}basedOn")
            sid = based.get(f"{W}val") if based is not None else None
        return out

    def para_style(self, p) -> str:
        ps = p.find(f"{W}pPr/{W}pStyle")
        return ps.get(f"{W}val") if ps is not None else "Normal"

    def ppr(self, p, tag: str):
        """A paragraph property as it takes effect: the paragraph's own, its style's, the defaults'."""
        own = p.find(f"{W}pPr/{W}{tag}")
        if own is not None:
            return own
        for s in self.style_chain(self.para_style(p)):
            found = s.find(f"{W}pPr/{W}{tag}")
            if found is not None:
                return found
        return self.defaults.find(f"{W}pPrDefault/{W}pPr/{W}{tag}")

    def rpr(self, p, r, tag: str):
        """A run property as it takes effect: run, character style, paragraph style, defaults."""
        chain = []
        rs = r.find(f"{W}rPr/{W}rStyle")
        own = r.find(f"{W}rPr/{W}{tag}")
        if own is not None:
            return own
        if rs is not None:
            chain += self.style_chain(rs.get(f"{W}val"))
        chain += self.style_chain(self.para_style(p))
        for s in chain:
            found = s.find(f"{W}rPr/{W}{tag}")
            if found is not None:
                return found
        return self.defaults.find(f"{W}rPrDefault/{W}rPr/{W}{tag}")

    def font(self, p, r) -> tuple[str, float]:
        return self.rpr(p, r, "rFonts").get(f"{W}eastAsia"), int(self.rpr(p, r, "sz").get(f"{W}val")) / 2


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def runs(p) -> list:
    return [r for r in p.findall(f"{W}r") if r.find(f"{W}t") is not None]


def make_draft(*section_texts: str, **fields) -> Draft:
    parts = [Part(id="opening", role="opening", text="2021年，全区政法工作统筹推进。现将全年工作情况报告如下。",
                  origin="hand", input_digest="", prompt_digest="")]
    for i, text in enumerate(section_texts, 1):
        parts.append(Part(id=f"s{i}", heading=f"坚持以第{i}项工作为牵引，推动工作大提升", text=text, origin="hand",
                          input_digest="", prompt_digest=""))
    parts.append(Part(id="closing", role="closing", text="一年来，工作还存在不足。新的一年，我们将继续努力。",
                      origin="hand", input_digest="", prompt_digest=""))
    fields.setdefault("signature", "南郑区委政法委")
    return Draft(kind="self_inspection", title="2021年目标任务考核完成情况自查报告", parts=parts,
                 created="2022-01-05T08:00:00+00:00", updated="2022-01-05T08:00:00+00:00", **fields)


@pytest.fixture(scope="module")
def reference():
    draft = Drafter().draft(load_spec(REFERENCE_SPEC))
    return draft, Package(to_docx(draft))


# ----------------------------------------------------------------- page and grid


def test_page_is_a4_with_the_standards_margins(reference):
    _, pkg = reference
    size, mar = pkg.sect.find(f"{W}pgSz"), pkg.sect.find(f"{W}pgMar")
    assert int(size.get(f"{W}w")) / MM == pytest.approx(210, abs=0.05)
    assert int(size.get(f"{W}h")) / MM == pytest.approx(297, abs=0.05)
    assert size.get(f"{W}orient") in (None, "portrait")
    margins = {k: int(mar.get(f"{W}{k}")) / MM for k in ("top", "bottom", "left", "right")}
    assert margins == pytest.approx({"top": 37, "bottom": 35, "left": 28, "right": 26}, abs=0.05)
    assert (210 - margins["left"] - margins["right"], 297 - margins["top"] - margins["bottom"]) == pytest.approx(
        (156, 225), abs=0.1)  # 版心
    assert int(mar.get(f"{W}gutter")) == 0


def test_grid_and_line_pitch_give_22_lines_of_28_characters(reference):
    _, pkg = reference
    size, mar, grid = (pkg.sect.find(f"{W}{t}") for t in ("pgSz", "pgMar", "docGrid"))
    height = int(size.get(f"{W}h")) - int(mar.get(f"{W}top")) - int(mar.get(f"{W}bottom"))
    width = int(size.get(f"{W}w")) - int(mar.get(f"{W}left")) - int(mar.get(f"{W}right"))
    pitch = int(grid.get(f"{W}linePitch"))
    assert grid.get(f"{W}type") == "linesAndChars"
    assert 22 * pitch <= height < 23 * pitch
    assert pitch / 20 == pytest.approx(28.95, abs=0.01)  # the most that fits 22 lines; 29 pt would fit 21
    # Word's character pitch: the Normal font size plus charSpace/4096 pt
    char_pitch = (16 + int(grid.get(f"{W}charSpace")) / 4096) * 20
    assert 28 * char_pitch <= width < 29 * char_pitch
    body = pkg.body[2]  # the opening paragraph, in the Normal style
    spacing = pkg.ppr(body, "spacing")
    assert spacing.get(f"{W}lineRule") == "exact" and int(spacing.get(f"{W}line")) == pitch
    assert spacing.get(f"{W}before") == "0" and spacing.get(f"{W}after") == "0"
    assert pkg.ppr(body, "widowControl").get(f"{W}val") == "0"  # no line pushed over: 22 on every page
    # without the grid (LibreOffice), the characters' own width still fits 28 a line
    scale = int(pkg.rpr(body, runs(body)[0], "w").get(f"{W}val")) / 100
    assert 28 * 16 * 20 * scale <= width < 29 * 16 * 20 * scale


def test_no_space_between_paragraphs_anywhere(reference):
    _, pkg = reference
    for p in pkg.body:
        spacing = pkg.ppr(p, "spacing")
        assert spacing.get(f"{W}before") == "0" and spacing.get(f"{W}after") == "0"


# ----------------------------------------------------------------- styles and fonts


def test_title_body_and_heading_styles(reference):
    _, pkg = reference
    title, blank, opening, first = pkg.body[:4]
    assert pkg.para_style(title) == "Title" and text_of(title) == "2021年目标任务考核完成情况自查报告"
    assert pkg.font(title, runs(title)[0]) == ("方正小标宋简体", 22)
    assert pkg.ppr(title, "jc").get(f"{W}val") == "center"
    assert text_of(blank) == ""  # 标题下空一行
    assert pkg.font(opening, runs(opening)[0]) == ("仿宋_GB2312", 16)
    ind = pkg.ppr(opening, "ind")
    assert ind.get(f"{W}firstLineChars") == "200"  # 首行缩进两字
    assert pkg.ppr(opening, "jc").get(f"{W}val") == "both"
    # 一、坚持……。正文……: the heading run 黑体, the body 仿宋, in one paragraph
    head, rest = runs(first)
    assert text_of(first).startswith("一、坚持以政法队伍教育整顿为牵引，推动作风素能大提升。")
    assert head.find(f"{W}t").text == "一、坚持以政法队伍教育整顿为牵引，推动作风素能大提升。"
    assert pkg.font(first, head) == ("黑体", 16)
    assert pkg.font(first, rest) == ("仿宋_GB2312", 16)
    for level, font in zip((1, 2, 3, 4), ("黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312")):
        style = pkg.styles[f"Heading{level}"]
        assert style.find(f"{W}name").get(f"{W}val") == f"heading {level}"
        assert style.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == font
        assert style.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == str(level - 1)


def test_east_asian_fonts_and_language_everywhere(reference):
    _, pkg = reference
    for name, root in pkg.parts.items():
        for f in root.iter(f"{W}rFonts"):
            assert f.get(f"{W}eastAsia"), name
            assert not any(k.endswith("Theme") for k in f.attrib), name  # a theme font would win over the name
    lang = pkg.defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"


def test_font_table_names_the_fallbacks():
    pkg = Package(to_docx(make_draft("正文。")))
    fonts = {f.get(f"{W}name"): f for f in pkg.parts["word/fontTable.xml"].iter(f"{W}font")}
    assert fonts["仿宋_GB2312"].find(f"{W}altName").get(f"{W}val") == "仿宋"
    assert fonts["楷体_GB2312"].find(f"{W}altName").get(f"{W}val") == "楷体"
    assert {"方正小标宋简体", "黑体", "宋体"} <= set(fonts)
    assert all(f.find(f"{W}charset").get(f"{W}val") == "86" for f in fonts.values())  # GB2312


def test_heading_level_of_every_line_from_its_ordinal():
    text = ("总述句。\n"
            "（一）扫黑除恶保平安。全年打掉涉恶团伙3个。\n"
            "\u3000\u3000（二）示范引领创平安\n"
            "\n"
            "1.完善工作机制。建立联席会议制度。\n"
            "（1）健全台账。逐项登记。\n"
            "1.5万人次参加了宣传活动。")
    pkg = Package(to_docx(make_draft(text)))
    paras = {text_of(p): p for p in pkg.body}
    sub = paras["（一）扫黑除恶保平安。全年打掉涉恶团伙3个。"]
    head, rest = runs(sub)
    assert head.find(f"{W}t").text == "（一）扫黑除恶保平安。"
    assert pkg.font(sub, head)[0] == "楷体_GB2312" and pkg.font(sub, rest)[0] == "仿宋_GB2312"
    only = paras["（二）示范引领创平安"]  # all heading, its indent is the style's, not spaces
    assert pkg.para_style(only) == "Heading2" and pkg.font(only, runs(only)[0])[0] == "楷体_GB2312"
    third = paras["1.完善工作机制。建立联席会议制度。"]
    assert runs(third)[0].find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "Heading3Char"
    fourth = paras["（1）健全台账。逐项登记。"]
    assert runs(fourth)[0].find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "Heading4Char"
    number = paras["1.5万人次参加了宣传活动。"]  # a figure, not an ordinal
    assert pkg.para_style(number) == "Normal" and runs(number)[0].find(f"{W}rPr") is None
    assert "" not in [text_of(p) for p in pkg.body[3:-3]]  # the blank line in the text is not a paragraph


# ----------------------------------------------------------------- page numbers


def test_page_numbers_odd_right_even_left_in_a_page_field(reference):
    _, pkg = reference
    assert pkg.parts["word/settings.xml"].find(f"{W}evenAndOddHeaders") is not None
    refs = {r.get(f"{W}type"): r.get(f"{R}id") for r in pkg.sect.findall(f"{W}footerReference")}
    rels = {r.get("Id"): r.get("Target") for r in pkg.parts["word/_rels/document.xml.rels"]}
    odd, even = (pkg.parts["word/" + rels[refs[t]]] for t in ("default", "even"))
    for footer, style, side in ((odd, "PageNumberOdd", "right"), (even, "PageNumberEven", "left")):
        p = footer.find(f"{W}p")
        assert pkg.para_style(p) == style
        assert pkg.ppr(p, "jc").get(f"{W}val") == side
        assert int(pkg.ppr(p, "ind").get(f"{W}{side}")) == 14 * 20  # 空一字 of 四号
        instr = [t.text for t in p.iter(f"{W}instrText")]
        assert [i.strip() for i in instr] == ["PAGE"]
        kinds = [f.get(f"{W}fldCharType") for f in p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        assert text_of(p) == "— 1 —"  # 一字线 either side of the number
        for r in runs(p):
            assert pkg.font(p, r) == ("宋体", 14)
    # the footer sits below the text area, the 一字线 about 7 mm under it
    mar = pkg.sect.find(f"{W}pgMar")
    assert 20 * MM < int(mar.get(f"{W}footer")) < int(mar.get(f"{W}bottom")) - 7 * MM


# ----------------------------------------------------------------- 主送机关, 署名, 成文日期


def test_signature_and_date_close_the_document(reference):
    draft, pkg = reference
    *_, blank, sig, date = pkg.body
    assert text_of(blank) == ""
    assert (pkg.para_style(sig), text_of(sig)) == ("DocSignature", "南郑区委政法委")
    assert (pkg.para_style(date), text_of(date)) == ("DocDate", "2021年12月20日")
    assert pkg.ppr(date, "jc").get(f"{W}val") == "right"
    assert pkg.ppr(date, "ind").get(f"{W}rightChars") == "400"  # 成文日期右空四字
    # 署名 centred on the date: both are 7 characters wide, so the same indent
    assert pkg.ppr(sig, "ind").get(f"{W}rightChars") == "400"
    assert draft.signature == "南郑区委政法委"


@pytest.mark.parametrize("signature, right", [("南郑区委政法委", "400"), ("某某市某某区政法委员会", "200"),
                                              ("司法局", "600")])
def test_signature_is_centred_on_the_date(signature, right):
    import datetime as dt

    pkg = Package(to_docx(make_draft("正文。", signature=signature, date=dt.date(2021, 12, 20))))
    sig = pkg.body[-2]
    assert text_of(sig) == signature and pkg.ppr(sig, "ind").get(f"{W}rightChars") == right


def test_recipient_after_the_title_in_every_format():
    import datetime as dt

    draft = make_draft("正文。", recipient="区委、区政府", date=dt.date(2022, 1, 5))
    pkg = Package(to_docx(draft))
    rec = pkg.body[2]
    assert (pkg.para_style(rec), text_of(rec)) == ("DocRecipient", "区委、区政府：")
    assert pkg.ppr(rec, "ind").get(f"{W}firstLineChars") == "0"  # 顶格
    assert to_text(draft).splitlines()[:2] == ["2021年目标任务考核完成情况自查报告", "区委、区政府："]
    assert to_text(draft).splitlines()[-3:] == ["", "南郑区委政法委", "2022年1月5日"]  # 月、日不编虚位
    assert to_markdown(draft).split("\n\n")[1] == "区委、区政府："
    assert to_markdown(draft).rstrip().split("\n\n")[-2:] == ["南郑区委政法委", "2022年1月5日"]


def test_without_a_date_there_is_no_date_line(tmp_path):
    draft = make_draft("正文。")
    assert to_text(draft).splitlines()[-2:] == ["", "南郑区委政法委"]
    pkg = Package(to_docx(draft))
    assert pkg.para_style(pkg.body[-1]) == "DocSignature"
    assert "DocDate" not in [pkg.para_style(p) for p in pkg.body]
    from drafter import save_draft

    save_draft(draft, tmp_path / "d.json")
    r = cli("export", tmp_path / "d.json", "-f", "docx", "-o", tmp_path / "r.docx")
    assert r.returncode == 0 and "没有成文日期" in r.stderr


# ----------------------------------------------------------------- the package


def test_package_is_complete_readable_and_the_same_every_time(reference):
    draft, pkg = reference
    data = to_docx(draft)
    assert data == to_docx(draft)  # byte for byte
    types = pkg.parts["[Content_Types].xml"]
    overrides = {o.get("PartName") for o in types}
    assert {"/" + n for n in pkg.zip.namelist() if n.endswith(".xml") and n != "[Content_Types].xml"} <= overrides
    for rels_name in ("_rels/.rels", "word/_rels/document.xml.rels"):
        base = rels_name.split("_rels/")[0]
        for rel in pkg.parts[rels_name]:
            assert base + rel.get("Target") in pkg.zip.namelist()
    from docx import Document

    opened = Document(io.BytesIO(data))
    assert opened.core_properties.title == draft.title
    assert opened.paragraphs[0].style.name == "Title"


def test_stray_control_characters_do_not_break_the_file():
    data = to_docx(make_draft("正文\x0b含\x01控制字符。"))
    pkg = Package(data)
    assert "正文含控制字符。" in [text_of(p) for p in pkg.body][3]


# The schema's order of the children we write (Word refuses a file whose order is wrong).
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "numPr", "pBdr", "shd", "tabs",
             "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
             "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "outlineLvl", "rPr"]
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
             "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
             "vertAlign", "rtl", "cs", "em", "lang"]
SECT_ORDER = ["footerReference", "headerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
              "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
              "textDirection", "bidi", "rtlGutter", "docGrid"]
STYLE_ORDER = ["name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
               "unhideWhenUsed", "qFormat", "locked", "pPr", "rPr"]
SETTINGS_ORDER = ["zoom", "defaultTabStop", "evenAndOddHeaders", "characterSpacingControl", "compat", "themeFontLang"]


def test_children_are_in_the_schemas_order(reference):
    _, pkg = reference

    def check(el, order):
        names = [c.tag.removeprefix(W) for c in el]
        assert all(n in order for n in names), names
        assert [order.index(n) for n in names] == sorted(order.index(n) for n in names), names

    for root in pkg.parts.values():
        for el in root.iter(f"{W}pPr"):
            check(el, PPR_ORDER)
        for el in root.iter(f"{W}rPr"):
            check(el, RPR_ORDER)
        for el in root.iter(f"{W}style"):
            check(el, STYLE_ORDER)
    check(pkg.sect, SECT_ORDER)
    check(pkg.parts["word/settings.xml"], SETTINGS_ORDER)


def test_export_reads_back_with_its_headings(tmp_path):
    path = tmp_path / "r.docx"
    path.write_bytes(to_docx(make_draft("总述。\n（一）示范引领创平安\n正文。")))
    doc = read_document(path)
    levels = {p.text: p.level for p in doc.paragraphs}
    assert levels["2021年目标任务考核完成情况自查报告"] == 0
    assert levels["（一）示范引领创平安"] == 2


# ----------------------------------------------------------------- one writer for every door


def test_cli_and_session_write_the_same_file(tmp_path):
    from drafter.app.cli import build_parser
    from drafter.app._session import run_session

    spec = tmp_path / "report.yaml"
    spec.write_text(SMALL_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    d = tmp_path / "report.draft.json"
    assert cli("draft", spec, "--save", d).returncode == 0
    assert cli("export", d, "--format", "docx", "-o", tmp_path / "cli.docx").returncode == 0

    class Script:
        lines = [f"export docx -o {tmp_path / 'session.docx'}", "quit"]

        def readline(self):
            return self.lines.pop(0) + "\n" if self.lines else ""

    args = build_parser().parse_args(["session", str(spec), "--draft", str(d)])
    assert run_session(args, stdin=Script()) == 0
    assert (tmp_path / "session.docx").read_bytes() == (tmp_path / "cli.docx").read_bytes()
    r = cli("draft", spec, "-f", "docx", "-o", tmp_path / "draft.docx")
    assert r.returncode == 0
    assert Package((tmp_path / "draft.docx").read_bytes()).sect.find(f"{W}docGrid") is not None


def test_draft_of_one_section_keeps_its_ordinal_in_word(tmp_path):
    second = load_spec(SMALL_SPEC).sections[1].id
    out = tmp_path / "one.docx"
    r = cli("draft", SMALL_SPEC, "--only", second, "-f", "docx", "-o", out)
    assert r.returncode == 0, r.stderr
    texts = [text_of(p) for p in Package(out.read_bytes()).body]
    assert texts[2].startswith("二、")
