"""Reading what users bring to `check` (and to import): Word files, Markdown, and text
in the encodings Chinese offices save in."""

from __future__ import annotations

import pytest

from drafter import InputError
from drafter.reading import decode_text, read_document, read_text

REPORT = "2021年目标任务考核完成情况自查报告\n全年新发刑事案件312起，同比下降8.2%。\n一、坚持以党建为牵引。\n"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# ----------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding, reported", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
    ("gb2312", "gb18030"), ("utf-16", "utf-16-le"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_text_in_every_common_encoding(tmp_path, encoding, reported):
    p = tmp_path / "r.txt"
    p.write_bytes(REPORT.encode(encoding))
    doc = read_document(p)
    assert doc.text == REPORT and doc.encoding == reported and doc.format == "txt"
    assert [para.text for para in doc.paragraphs][:2] == REPORT.splitlines()[:2]


@pytest.mark.parametrize("text", ["工作都搞定了！", "自查报告", "关于2021年度平安建设工作的报告"])
def test_short_gbk_texts_are_read_as_gb18030(text):
    # short Chinese texts are where detectors guess wrong (Korean, UTF-16): GB18030 must win
    assert decode_text(text.encode("gbk")) == (text, "gb18030")


def test_characters_beyond_gbk_in_gb18030():
    text = "䶮字与𠀀字同在一行。"  # CJK extension A and B: GB18030 only
    assert decode_text(text.encode("gb18030")) == (text, "gb18030")


def test_what_is_not_text_is_refused_with_what_to_do(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes("Résumé – café".encode("cp1252"))
    with pytest.raises(InputError, match="编码无法识别.*UTF-8"):
        read_document(p)
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(128, 256)))
    with pytest.raises(InputError, match="PDF"):
        read_document(p)
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)))
    with pytest.raises(InputError, match="另存为"):
        read_text(p)


def test_crlf_text_keeps_its_offsets(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(REPORT.replace("\n", "\r\n").encode("gbk"))
    doc = read_document(p)
    assert doc.text == REPORT.replace("\n", "\r\n")  # offsets point into the text as decoded
    assert doc.paragraphs[1].text == "全年新发刑事案件312起，同比下降8.2%。"
    assert doc.locate(doc.text.index("312")) == (2, 9)


def test_markdown_headings_have_levels(tmp_path):
    p = tmp_path / "r.md"
    p.write_text("# 自查报告\n\n## 一、工作成效\n正文。\n", encoding="utf-8")
    doc = read_document(p)
    assert doc.format == "md"
    assert [(q.text, q.level) for q in doc.paragraphs if q.text] == [
        ("# 自查报告", 1), ("## 一、工作成效", 2), ("正文。", None)]


@pytest.mark.parametrize("suffix, named", [(".doc", "Word 97-2003"), (".wps", "WPS 文字"), (".pdf", "PDF"),
                                           (".xlsx", "Excel")])
def test_formats_to_convert_first_say_how(tmp_path, suffix, named):
    p = tmp_path / f"报告{suffix}"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(InputError) as e:
        read_document(p)
    assert named in str(e.value) and ".docx" in str(e.value)


def test_an_old_doc_renamed_docx_is_named(tmp_path):
    p = tmp_path / "报告.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(InputError, match="旧版 .doc 或加密"):
        read_document(p)
    p.write_text("不是 Word 文件", encoding="utf-8")
    with pytest.raises(InputError, match="不是有效的 Word 文件"):
        read_document(p)


# ----------------------------------------------------------------- Word files


def build_docx(path, body_xml: str, *, styles: dict[str, str] | None = None) -> None:
    """A .docx made by python-docx, its body replaced by ``body_xml`` (WordprocessingML)."""
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    body = doc.element.body
    sect = body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")
    for child in list(body):
        if child is not sect:
            body.remove(child)
    for el in parse_xml(f"<w:body {W_NS}>{body_xml}</w:body>"):
        sect.addprevious(el)
    doc.save(str(path))


def p(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def cell(inner: str, merge: str = "") -> str:
    return f"<w:tc><w:tcPr>{merge}</w:tcPr>{inner}</w:tc>"


def test_word_paragraphs_headings_and_tables_in_reading_order(tmp_path):
    path = tmp_path / "r.docx"
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    table = ("<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
             f"<w:tr>{cell(p('指标'))}{cell(p('数量'))}</w:tr>"
             f"<w:tr>{cell(p('新发刑事案件'), restart)}{cell(p('312起'))}</w:tr>"
             f"<w:tr>{cell(p(''), cont)}{cell(p('同比下降8.2%'))}</w:tr>"
             "</w:tbl>")
    build_docx(path, p("2021年自查报告", "Title") + p("一、工作成效", "Heading1") + p("正文。") + table
               + '<w:sdt><w:sdtContent>' + p("控件中的段落。") + "</w:sdtContent></w:sdt>" + p("结尾。"))
    doc = read_document(path)
    assert doc.format == "docx" and doc.encoding is None
    assert [(q.number, q.text, q.level) for q in doc.paragraphs] == [
        (1, "2021年自查报告", 0), (2, "一、工作成效", 1), (3, "正文。", None),
        (4, "指标", None), (5, "数量", None), (6, "新发刑事案件", None), (7, "312起", None),
        (8, "", None), (9, "同比下降8.2%", None),  # a merged cell's continuation is empty, not a copy
        (10, "控件中的段落。", None), (11, "结尾。", None)]
    assert doc.text.split("\n")[6] == "312起"


def test_word_run_details_tracked_changes_and_text_boxes(tmp_path):
    path = tmp_path / "r.docx"
    body = ('<w:p><w:r><w:t>全年新发</w:t></w:r>'
            '<w:del w:id="1" w:author="a"><w:r><w:delText>刑事</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="a"><w:r><w:t>刑事</w:t></w:r></w:ins>'
            '<w:hyperlink><w:r><w:t>案件</w:t></w:r></w:hyperlink>'
            '<w:r><w:tab/><w:t>312起</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>。</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    build_docx(path, body)
    assert read_document(path).paragraphs[0].text == "全年新发刑事案件\t312起。"


def test_a_line_break_inside_a_word_paragraph_keeps_paragraph_numbers(tmp_path):
    path = tmp_path / "r.docx"
    build_docx(path, p("第一段。") + '<w:p><w:r><w:t>第二段上半</w:t><w:br/><w:t>下半。</w:t></w:r></w:p>'
               + p("第三段。"))
    doc = read_document(path)
    assert doc.text == "第一段。\n第二段上半\n下半。\n第三段。"
    assert doc.locate(doc.text.index("下半")) == (2, 7)
    assert doc.locate(doc.text.index("第三段")) == (3, 1)


def test_chinese_style_names_give_levels(tmp_path):
    from docx import Document

    path = tmp_path / "r.docx"
    doc = Document()
    style = doc.styles.add_style("标题 2", 1)  # WPS names its heading styles in Chinese
    doc.add_paragraph("（一）扫黑除恶保平安", style=style)
    doc.save(str(path))
    assert read_document(path).paragraphs[-1].level == 2
