"""drafter import from ledgers (台账): cells read as a person sees them, rows as facts with
their cell as source, and every kind of bad workbook refused with a message naming the
file, sheet and cell (exit 2, nothing written). Ledgers are built with openpyxl here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafter import load_spec
from drafter.importing import import_materials
from drafter.reading import read_ledger
from tests.helpers import cli
from tests.ledgers import HEADER, compound_file, csv_file, east_asian_ledger, excel_workbook, standard_ledger, workbook


def facts_by_text(report) -> dict[str, object]:
    return {f.text: f for s in report.sections for f in s.all_facts()}


def imported(tmp_path: Path, *files, args=()) -> tuple[object, str]:
    out = tmp_path / "spec.yaml"
    r = cli("import", *files, "-o", out, *args)
    assert r.returncode == 0, r.stderr
    return load_spec(out), r.stderr


def refused(tmp_path: Path, *args) -> str:
    """Run an import that must fail: exit 2, a message, no traceback, nothing written."""
    out = tmp_path / "spec.yaml"
    r = cli("import", *args, "-o", out)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "内部错误" not in r.stderr
    assert not out.exists()
    return r.stderr


# ------------------------------------------------------------------ cells as seen

def test_rows_become_facts_with_figures_and_cells(tmp_path):
    spec, err = imported(tmp_path, standard_ledger(tmp_path / "2024台账.xlsx"))
    assert [s.topic for s in spec.sections] == ["【待补：本板块的工作牵引】"] * 3
    facts = facts_by_text(spec)
    assert list(facts) == ["排查整治各类问题隐患486件", "新发刑事案件312起，同比下降8.2%", "矛盾纠纷调解成功率98.5%",
                           "开展专题培训12期，同比增长20%", "培训干警1234人次", "办理法律援助案件356件，同比下降3.1%",
                           "开展普法活动88场"]
    crime = facts["新发刑事案件312起，同比下降8.2%"]
    assert crime.source == "2024台账.xlsx 政法队伍!C4，责任单位：公安分局"
    fig = crime.figures[0]
    assert (fig.label, fig.value, fig.unit) == ("新发刑事案件", 312, "起")
    assert (fig.change.direction, fig.change.amount, fig.change.unit) == ("下降", 8.2, "%")
    # a percent cell (0.985 shown as 98.5%) and a number typed as text ("1,234")
    assert facts["矛盾纠纷调解成功率98.5%"].figures[0].value == 98.5
    assert facts["培训干警1234人次"].figures[0].value == 1234
    assert spec.period == 2024  # from the title row and the file name
    assert "已导入 2024台账.xlsx（政法队伍 7 条）：3 个部分、7 条事实" in err


def test_number_formats_decide_what_is_read(tmp_path):
    rows = [["平安建设", "群众满意度", 0.9347, None, None, None],
            [None, "案件办结率", 0.96, None, 0.0125, None],
            [None, "人均办案", 3.14159, "件", None, None],
            [None, "经费投入", 1234.5, "万元", None, None]]
    p = workbook(tmp_path / "formats.xlsx", {"台账": rows},
                 formats={"台账": {"C3": "0.00%", "C4": "0%", "E4": "0.0%", "C5": "0.0", "C6": "#,##0.0"}})
    spec, _ = imported(tmp_path, p)
    assert list(facts_by_text(spec)) == ["群众满意度93.47%", "案件办结率96%，同比增长1.3%", "人均办案3.1件",
                                         "经费投入1234.5万元"]


def test_dates_are_dates_not_figures(tmp_path):
    header = ["板块", "事项", "数值", "单位", "完成时间"]
    rows = [["平安建设", "完成平安单位验收", 28, "个", dt.datetime(2024, 6, 30)],
            [None, "召开平安建设推进会", None, None, dt.date(2024, 3, 15)]]
    p = workbook(tmp_path / "dates.xlsx", {"台账": rows}, header=header)
    spec, _ = imported(tmp_path, p)
    facts = facts_by_text(spec)
    assert list(facts) == ["2024年6月30日，完成平安单位验收28个", "2024年3月15日，召开平安建设推进会"]
    assert [(f.value, f.unit) for f in facts["2024年6月30日，完成平安单位验收28个"].figures] == [(28, "个")]
    assert facts["2024年3月15日，召开平安建设推进会"].figures == []


def test_dates_chinese_excel_formats_by_id_are_dates_not_figures(tmp_path, monkeypatch):
    """Chinese Excel and WPS save a cell shown as 2024年6月30日 with numFmtId 31 and no
    format definition (2024年6月: 57, 6月30日: 58); openpyxl reads it as 45473."""
    out = tmp_path / "spec.yaml"
    spec, _ = imported(tmp_path, east_asian_ledger(tmp_path / "中文日期.xlsx"))
    expected = ["2024年6月30日，完成平安单位验收28个", "2024年3月15日，召开推进会", "2024年6月1日，开展专项检查12次",
                "2024年6月30日，走访群众30户"]
    assert list(facts_by_text(spec)) == expected
    assert "45473" not in out.read_text(encoding="utf-8")
    import drafter.reading._sheet_xml as sheet_xml
    import drafter.reading._workbook as workbook

    monkeypatch.setattr(workbook, "read_package", lambda archive: None)  # openpyxl opens the workbook
    for _ in ("its sheets read from their XML", "its sheets read by openpyxl"):
        gathered = import_materials([tmp_path / "中文日期.xlsx"]).gathered
        assert [f.text for s in gathered.sections.values() for f in s.facts] == expected
        monkeypatch.setattr(sheet_xml, "sheet_rows", lambda *a: None)
    out.unlink()
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>6</v></c><c r="B2" t="s"><v>7</v></c><c r="C2" s="2"><v>45473</v></c></row>')
    p = excel_workbook(tmp_path / "数值.xlsx", {"台账": rows}, strings=["板块", "事项", "数值", "", "", "", "平安建设", "完成验收"],
                       formats={}, xfs=[0, 14, 31])
    err = refused(tmp_path, p)
    assert "数值.xlsx 台账!C2" in err and "日期（2024年6月30日）" in err


def test_date_in_the_value_column_is_refused(tmp_path):
    p = workbook(tmp_path / "d.xlsx", {"台账": [["平安建设", "完成验收", dt.datetime(2024, 6, 30), "个", None, None]]})
    err = refused(tmp_path, p)
    assert "d.xlsx 台账!C3" in err and "日期" in err


def test_formula_uses_the_cached_value_and_an_uncalculated_one_names_its_cell(tmp_path):
    # openpyxl writes formulas without a calculated value: what a program-made file holds.
    rows = [["平安建设", "排查隐患", 10, "件", None, None], [None, "化解纠纷", "=C3*2", "件", None, None]]
    p = workbook(tmp_path / "公式.xlsx", {"政法": rows})
    err = refused(tmp_path, p)
    assert "公式.xlsx 政法!C4" in err and "公式" in err and "保存" in err


def test_a_formula_the_import_does_not_read_is_no_problem(tmp_path):
    rows = [["平安建设", "排查隐患", 10, "件", None, None, "=C3*2"]]
    p = workbook(tmp_path / "f.xlsx", {"台账": rows}, header=HEADER_WITH_NOTE)
    spec, _ = imported(tmp_path, p)
    assert list(facts_by_text(spec)) == ["排查隐患10件"]


HEADER_WITH_NOTE = ["板块", "事项", "完成数", "单位", "同比", "责任单位", "备注"]


def test_formula_with_a_cached_value_is_read_as_excel_saved_it(tmp_path):
    """A formula cell Excel calculated: <f> with a <v>. openpyxl cannot write one, so
    the sheet XML is written directly, as Excel would."""
    import zipfile

    src = workbook(tmp_path / "plain.xlsx", {"台账": [["平安建设", "排查隐患", 10, "件", None, None],
                                                     [None, "化解纠纷", 20, "件", None, None]]})
    out = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'<c r="C4" t="n"><v>20</v></c>', b'<c r="C4"><f>C3*2</f><v>20</v></c>')
                assert b"<f>C3*2</f>" in data
            zout.writestr(info, data)
    spec, _ = imported(tmp_path, out)
    assert list(facts_by_text(spec)) == ["排查隐患10件", "化解纠纷20件"]


# ------------------------------------------------------------------ layout

def test_merged_and_blank_section_cells_fill_down(tmp_path):
    rows = [["平安建设", "排查隐患", 10, "件", None, None],
            [None, "化解纠纷", 20, "件", None, None],          # merged with the row above
            [None, "调解案件", 30, "件", None, None],          # merged too
            ["法治建设", "普法活动", 40, "场", None, None],
            [None, "法律援助", 50, "件", None, None]]          # blank, not merged
    p = workbook(tmp_path / "m.xlsx", {"台账": rows}, merges={"台账": ["A3:A5"]})
    spec, _ = imported(tmp_path, p)
    assert [(len(s.facts), s.facts[0].source) for s in spec.sections] == [(3, "m.xlsx 台账!C3"), (2, "m.xlsx 台账!C6")]


def test_merged_cells_read_as_their_top_left_value(tmp_path):
    p = workbook(tmp_path / "m.xlsx", {"台账": [["平安建设", "排查隐患", 10, "件", None, "综治中心"],
                                              [None, "化解纠纷", 20, "件", None, None]]},
                 merges={"台账": ["A3:A4", "F3:F4"]})
    rows = read_ledger(p).sheets[0].rows
    assert [(c.ref, c.value) for c in rows[-1].cells if c.ref[0] in "AF"] == [("A4", "平安建设"), ("F4", "综治中心")]


def test_hidden_and_empty_rows_are_skipped_and_said(tmp_path):
    rows = [["平安建设", "排查隐患", 10, "件", None, None],
            [None, "作废的一行", 99, "件", None, None],
            [None, None, None, None, None, None],
            [None, "化解纠纷", 20, "件", None, None],
            ["合计", None, 30, None, None, None]]
    p = workbook(tmp_path / "h.xlsx", {"台账": rows}, hidden_rows={"台账": [4]})
    spec, err = imported(tmp_path, p)
    assert list(facts_by_text(spec)) == ["排查隐患10件", "化解纠纷20件"]
    assert "h.xlsx 台账：跳过隐藏的第 4 行" in err
    assert "h.xlsx 台账：跳过空行 第 5 行" in err
    assert "h.xlsx 台账：跳过合计行 第 7 行" in err


def test_sheets_and_files_merge_in_order(tmp_path):
    a = workbook(tmp_path / "综治.xlsx", {"平安建设": [[None, "排查隐患", 10, "件", None, None]],
                                         "说明": [], "队伍建设": [[None, "培训干警", 300, "人次", None, None]]},
                 hidden_sheets=("说明",))
    b = workbook(tmp_path / "司法.xlsx", {"Sheet1": [["法治建设", "普法活动", 40, "场", None, None],
                                                    ["平安建设", "调解纠纷", 25, "件", None, None]]})
    spec, err = imported(tmp_path, a, b)
    assert [[f.text for f in s.facts] for s in spec.sections] == [["排查隐患10件", "调解纠纷25件"], ["培训干警300人次"],
                                                                  ["普法活动40场"]]
    assert spec.sections[0].facts[1].source == "司法.xlsx Sheet1!C4"
    assert "隐藏的工作表“说明”未导入" in err


def test_a_sheet_without_a_section_column_is_one_section_named_after_it(tmp_path):
    p = workbook(tmp_path / "2024.xlsx", {"扫黑除恶": [["打掉涉恶团伙", 3, "个"]], "Sheet2": [["破获案件", 12, "起"]]},
                 header=["工作内容", "数量", "计量单位"], title=None)
    spec, _ = imported(tmp_path, p)
    report = import_materials([p]).gathered
    assert list(report.sections) == ["扫黑除恶", "2024"]
    assert [s.facts[0].source for s in spec.sections] == ["2024.xlsx 扫黑除恶!B2", "2024.xlsx Sheet2!B2"]


def test_columns_maps_headers_it_does_not_know(tmp_path):
    p = workbook(tmp_path / "x.xlsx", {"台账": [["平安建设", "排查隐患", 10, "件"]]},
                 header=["工作条线", "工作名称", "完成情况", "单位"], title=None)
    err = refused(tmp_path, p)
    assert "x.xlsx 台账" in err and "A列“工作条线”" in err and "C列“完成情况”" in err and "--columns" in err
    spec, _ = imported(tmp_path, p, args=("--columns", "板块=工作条线,事项=工作名称,value=完成情况"))
    assert [(s.facts[0].text, s.facts[0].source) for s in spec.sections] == [("排查隐患10件", "x.xlsx 台账!C2")]
    r = cli("import", p, "--columns", "栏目=工作条线")
    assert r.returncode == 2 and "--columns 的“栏目”不是可识别的字段" in r.stderr


def test_planned_column_and_change_forms(tmp_path):
    header = ["板块", "事项", "数值", "单位", "较上年", "状态"]
    rows = [["平安建设", "新建智慧安防小区", 20, "个", None, "计划"],
            [None, "调解成功率", 98, "%", "+1.5个百分点", "已完成"],
            [None, "受理信访", 120, "件", "持平", None],
            [None, "破获案件", 45, "起", -12, None]]
    p = workbook(tmp_path / "p.xlsx", {"台账": rows}, header=header)
    spec, _ = imported(tmp_path, p)
    facts = facts_by_text(spec)
    assert list(facts) == ["计划新建智慧安防小区20个", "调解成功率98%，较上年提高1.5个百分点", "受理信访120件，较上年持平",
                           "破获案件45起，较上年下降12%"]
    assert facts["计划新建智慧安防小区20个"].planned is True
    assert facts["调解成功率98%，较上年提高1.5个百分点"].planned is False
    assert facts["调解成功率98%，较上年提高1.5个百分点"].figures[0].change.unit == "个百分点"


# ------------------------------------------------------------------ CSV

def test_csv_in_utf8_with_bom(tmp_path):
    rows = [["2024年政法工作台账"], HEADER, ["平安建设", "排查整治各类问题隐患", "486", "件", "", "综治中心"],
            ["", "新发刑事案件", "312", "起", "-8.2%", "公安分局"], [], ["", "合计", "798", "", "", ""]]
    p = csv_file(tmp_path / "台账.csv", rows, "utf-8-sig")
    spec, _ = imported(tmp_path, p)
    facts = facts_by_text(spec)
    assert list(facts) == ["排查整治各类问题隐患486件", "新发刑事案件312起，同比下降8.2%"]
    assert facts["新发刑事案件312起，同比下降8.2%"].source == "台账.csv 第4行C列，责任单位：公安分局"
    assert spec.period == 2024


def test_csv_in_gb18030_as_excel_saves_it_in_china(tmp_path):
    rows = [HEADER, ["平安建设", "排查整治各类问题隐患", "486", "件", "", "综治中心"],
            ["", "新发刑事案件", "312", "起", "-8.2%", "公安分局"]]
    spec, _ = imported(tmp_path, csv_file(tmp_path / "台账.csv", rows, "gb18030"))
    assert list(facts_by_text(spec)) == ["排查整治各类问题隐患486件", "新发刑事案件312起，同比下降8.2%"]


# ------------------------------------------------------------------ bad input

def test_old_xls_is_refused_with_what_to_do(tmp_path):
    err = refused(tmp_path, compound_file(tmp_path / "2023台账.xls", ["Workbook", "SummaryInformation"]))
    assert "2023台账.xls" in err and "旧版" in err and "另存为" in err and ".xlsx" in err
    # an .xls renamed to .xlsx is told apart by its content
    err = refused(tmp_path, compound_file(tmp_path / "改名.xlsx", ["Workbook"]))
    assert "改名.xlsx" in err and "旧版" in err


def test_password_protected_workbook_is_refused_with_what_to_do(tmp_path):
    p = compound_file(tmp_path / "加密.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    err = refused(tmp_path, p)
    assert "加密.xlsx" in err and "密码" in err and "另存为 .xlsx" in err


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"plain text, not a workbook"])
def test_corrupt_workbook_is_refused(tmp_path, data):
    p = tmp_path / "坏.xlsx"
    p.write_bytes(data)
    err = refused(tmp_path, p)
    assert "坏.xlsx" in err and "不是有效的 Excel 工作簿" in err


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    p = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    err = refused(tmp_path, p)
    assert "zip.xlsx" in err and "不是有效的 Excel 工作簿" in err


def test_empty_sheet_is_refused(tmp_path):
    p = workbook(tmp_path / "空.xlsx", {"政法队伍": []}, title=None, header=[])
    err = refused(tmp_path, p)
    assert "空.xlsx 政法队伍" in err and "空的" in err
    p = workbook(tmp_path / "表头.xlsx", {"政法队伍": [["合计", None, 0, None, None, None]]})
    err = refused(tmp_path, p)
    assert "表头.xlsx 政法队伍" in err and "空的" in err


def test_no_recognisable_header_is_refused_with_what_was_found(tmp_path):
    p = workbook(tmp_path / "乱.xlsx", {"台账": [["a", 1, 2]]}, header=["名称", "甲", "乙"], title=None)
    err = refused(tmp_path, p)
    assert "乱.xlsx 台账" in err and "无法确定表头" in err and "A列“名称”" in err and "--columns" in err
    p = workbook(tmp_path / "乱2.xlsx", {"台账": [["a", 1, 2]]}, header=["甲", "乙", "丙"], title=None)
    assert "找不到可识别的表头" in refused(tmp_path, p)


@pytest.mark.parametrize("rows,formats,cell,words", [
    # the header says 件, a cell says 人
    ([["平安建设", "培训干警", "300人", None, None, None]], {}, "C3", ["单位不一致", "件"]),
    # the unit column says 件, the cell is a percent
    ([["平安建设", "办结率", 0.95, "件", None, None]], {"C3": "0%"}, "C3", ["单位不一致", "百分比", "D3"]),
], ids=["header-unit", "percent-in-a-count"])
def test_mixed_units_in_one_column_are_refused(tmp_path, rows, formats, cell, words):
    header = ["板块", "事项", "完成数（件）" if not formats else "完成数", "单位", "同比", "责任单位"]
    p = workbook(tmp_path / "u.xlsx", {"台账": rows}, header=header, formats={"台账": formats})
    err = refused(tmp_path, p)
    assert f"u.xlsx 台账!{cell}" in err
    for w in words:
        assert w in err


@pytest.mark.parametrize("value,words", [("已完成", ["不是数字", "已完成"]), ("#DIV/0!", ["错误值"]), (-5, ["负数"])])
def test_value_column_holding_text_is_refused(tmp_path, value, words):
    p = workbook(tmp_path / "v.xlsx", {"政法队伍": [["平安建设", "排查隐患", 10, "件", None, None],
                                                  [None, "化解纠纷", value, "件", None, None]]})
    err = refused(tmp_path, p)
    assert "v.xlsx 政法队伍!C4" in err
    for w in words:
        assert w in err


def test_a_value_without_an_item_is_refused(tmp_path):
    p = workbook(tmp_path / "n.xlsx", {"台账": [["平安建设", None, 10, "件", None, None]]})
    err = refused(tmp_path, p)
    assert "n.xlsx 台账!C3" in err and "B3" in err


def test_an_unreadable_change_names_its_cell(tmp_path):
    p = workbook(tmp_path / "c.xlsx", {"台账": [["平安建设", "排查隐患", 10, "件", "明显好转", None]]})
    err = refused(tmp_path, p)
    assert "c.xlsx 台账!E3" in err and "增减幅度" in err


def test_files_it_cannot_import_and_missing_files(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    assert "不能导入" in refused(tmp_path, tmp_path / "a.pdf")
    assert "不存在" in refused(tmp_path, tmp_path / "无.xlsx")
    # one bad file among good ones: nothing is written
    good = standard_ledger(tmp_path / "好.xlsx")
    assert "旧版" in refused(tmp_path, good, compound_file(tmp_path / "旧.xls", ["Workbook"]))


def test_an_item_ending_in_a_digit_does_not_run_into_its_value(tmp_path):
    rows = [["交通建设", "国道G210", 12.5, "公里", None, None],
            [None, "改造农村公路3", 42, "公里", None, None],
            [None, "新建5G基站", 86, "个", None, None]]
    spec, _ = imported(tmp_path, standard_ledger(tmp_path / "台账.xlsx", rows))
    facts = facts_by_text(spec)
    assert list(facts) == ["国道G210为12.5公里", "改造农村公路3为42公里", "新建5G基站86个"]
    assert [facts[t].figures[0].value for t in facts] == [12.5, 42, 86]
