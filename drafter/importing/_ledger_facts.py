"""A ledger's rows as facts: each row one fact whose text states the figure as the row
gives it ("新发刑事案件312起，同比下降8.2%"), with the structured figure read back from
that text and its provenance (file, sheet and cell) in ``source``.

Every problem names the file, the sheet and the cell: a value column holding text, a
date where a number belongs, a formula Excel never calculated, units that disagree.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

from .._errors import InputError
from .._numbers import extract, mention_data, remember
from .._numbers import units as known_units
from .._spec import Change, FactDetail, Figure
from ..reading import Cell, Ledger, LedgerRow, LedgerSheet
from ._columns import Layout, column_words, find_layout
from ._figures import figure_mentions, make_figure
from ._gather import Gathered, section_name

_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "共计", "总数"})
_EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，－＋", "0123456789.%,-+")
_NUMBER = re.compile(r"^(?P<pre>约|近|超过|逾|超)?\s*(?P<num>[+-]?\d[\d,]*(?:\.\d+)?)\s*(?P<post>余|多)?\s*"
                     r"(?P<unit>[^\d\s]*?)\s*(?P<tail>以上|左右)?$")
_CHANGE = re.compile(r"^(?P<basis>同比|较上年|比上年|环比)?\s*(?P<dir>增长|上升|增加|提高|提升|下降|减少|降低|下滑|持平)?\s*"
                     r"(?P<sign>[+-])?\s*(?P<num>\d+(?:\.\d+)?)?\s*(?P<unit>%|个百分点|百分点)?$")
_DIRECTION_WORDS = {"提升": "提高", "下滑": "下降", "上升": "上升", "增长": "增长", "增加": "增加", "提高": "提高",
                    "下降": "下降", "减少": "减少", "降低": "降低", "持平": "持平"}
_DOWN = frozenset({"下降", "减少", "降低", "下滑"})
_SPACES = re.compile(r"\s+")
# An item ending so that its value would run into it (G210, 第3, 3.5).
_DIGIT_END = frozenset("0123456789０１２３４５６７８９.．")


def sheet_default_section(sheet: LedgerSheet) -> str:
    """The section of rows with no 板块 column: the sheet's name, or the file's when the
    sheet's name says nothing (Sheet1, CSV files)."""
    if sheet.name and sheet.name not in column_words().default_sheet_names:
        return section_name(sheet.name) or sheet.name
    return section_name(Path(sheet.file).stem) or Path(sheet.file).stem


#: From this many rows on, a sheet's rows become facts half here, half in a forked
#: child, when the caller allows it (the command line: :mod:`drafter._forked`).
FORK_FROM_ROWS = 2000


def gather_ledger(ledger: Ledger, mapping: dict[str, str], out: Gathered, *, fork: bool = False) -> None:
    """Add a ledger's rows to ``out`` as facts, sheet by sheet; ``fork``: a large sheet
    may be shared with a forked child (never from a library caller's process)."""
    used = 0
    described: list[str] = []
    for name in ledger.hidden_sheets:
        out.notes.append(f"{Path(ledger.path).name}：隐藏的工作表“{name}”未导入")
    for sheet in ledger.sheets:
        if not sheet.rows:
            if len(ledger.sheets) > 1:
                out.notes.append(f"{sheet.where()}：工作表是空的，已跳过")
            continue
        count = _gather_sheet(sheet, find_layout(sheet, mapping), out, fork)
        if not count:
            out.notes.append(f"{sheet.where()}：只有表头，没有事项，已跳过")
            continue
        used += 1
        described.append(f"{sheet.name} {count} 条" if sheet.name else f"{count} 条")
    if not used:
        sheet = ledger.sheets[0] if ledger.sheets else None
        where = sheet.where() if sheet else Path(ledger.path).name
        raise InputError(f"台账 {where} 是空的：没有可导入的事项（只有空表、表头或合计行）", path=ledger.path)
    out.materials.append(f"{Path(ledger.path).name}（{'；'.join(described)}）")


def _gather_sheet(sheet: LedgerSheet, layout: Layout, out: Gathered, fork: bool = False) -> int:
    cols = layout.columns
    out.years += layout.years
    default = sheet_default_section(sheet)
    origin = sheet.where()
    current, point = default, None
    skipped_totals: list[int] = []
    skipped_blank: list[int] = []
    # Rows to make facts of, with the section and sub-point each falls under: the
    # walk is in order (a 板块 fills down), the facts are made apart (see _facts_of).
    jobs: list[tuple[LedgerRow, str, dict[str, Cell], str, str | None]] = []
    refused: InputError | None = None  # a row no fact can be made of: after the rows above it
    names: dict[str | None, str | None] = {}  # a merged 板块 repeats its text on every row
    for row in sheet.rows:
        if row.number <= layout.header_row:
            continue
        at = _fields(row, cols)
        sec_cell = at.get("section")
        pt_cell = at.get("point")
        item_cell = at.get("item")
        item = _text(item_cell, sheet)
        sec = None
        if sec_cell is not None:
            sec_text = _text(sec_cell, sheet)
            if sec_text not in names:
                names[sec_text] = section_name(sec_text)
            sec = names[sec_text]
        if sec and sec in _TOTAL_WORDS or (item and _SPACES.sub("", item) in _TOTAL_WORDS):
            skipped_totals.append(row.number)
            continue
        if sec and sec != current:
            current, point = sec, None
        if pt_cell is not None and pt_cell.value is not None:
            point = section_name(_text(pt_cell, sheet))
        if not item:
            value_cell = at.get("value")
            if value_cell is not None and (value_cell.value is not None or value_cell.uncached):
                ref = item_cell.ref if item_cell is not None else _ref_of(row, cols["item"])
                refused = InputError(f"台账 {sheet.where(value_cell.ref)}：这一行有数值，但事项 {ref} 是空的：请填写事项，"
                                     f"或删去这一行", path=sheet.path)
                break
            if sec is None and pt_cell is None:
                skipped_blank.append(row.number)
            continue
        jobs.append((row, item, at, current, point))
    facts = _facts_of(sheet, layout, jobs, fork)  # a bad cell above the refused row speaks first
    if refused is not None:
        raise refused
    for (_, _, _, current, point), fact in zip(jobs, facts):
        section = out.section(current)
        section.add_origin(origin)
        section.add(fact, point)
    count = len(jobs)
    if sheet.hidden_rows:
        out.notes.append(f"{sheet.where()}：跳过隐藏的第 {_numbers(sheet.hidden_rows)} 行")
    if sheet.empty_rows:
        out.notes.append(f"{sheet.where()}：跳过空行 第 {_numbers(sheet.empty_rows)} 行")
    if skipped_totals:
        out.notes.append(f"{sheet.where()}：跳过合计行 第 {_numbers(skipped_totals)} 行（合计可由各项推算）")
    if skipped_blank:
        out.notes.append(f"{sheet.where()}：跳过没有事项的第 {_numbers(skipped_blank)} 行")
    return count


def _facts_of(sheet: LedgerSheet, layout: Layout, jobs: list, fork: bool) -> list[FactDetail]:
    """The facts of the rows, in order; with ``fork`` and many rows, the second half is
    made in a forked child. Its facts come back as plain data, with the mentions read
    from their texts (checking reads them again)."""
    def make(part: list) -> list[FactDetail]:
        return [row_fact(sheet, layout, row, item, at) for row, item, at, _, _ in part]

    if not fork or len(jobs) < FORK_FROM_ROWS:
        return make(jobs)
    from .._forked import Forked

    half = len(jobs) // 2
    child = Forked(lambda: make(jobs[half:]), encode=_fact_data, decode=_facts_from)
    try:
        first = make(jobs[:half])
    except BaseException:
        child.cancel()
        raise
    return first + child.result()


def _fact_data(facts: list[FactDetail]) -> list[tuple]:
    out = []
    for f in facts:
        figures = [(g.label, g.value, g.unit, g.approx,
                    None if g.change is None else (g.change.basis, g.change.direction, g.change.amount, g.change.unit))
                   for g in f.figures]
        out.append((f.text, figures, f.source, f.planned, [mention_data(m) for m in extract(f.text)]))
    return out


def _facts_from(data: list[tuple]) -> list[FactDetail]:
    out = []
    for text, figures, source, planned, mentions in data:
        remember(text, mentions)
        figs = [Figure(label=label, value=value, unit=unit, approx=approx,
                       change=None if c is None else Change(basis=c[0], direction=c[1], amount=c[2], unit=c[3]))
                for label, value, unit, approx, c in figures]
        out.append(FactDetail(text=text, figures=figs, source=source, planned=planned))
    return out


def _numbers(ns) -> str:
    ns = list(ns)
    shown = "、".join(str(n) for n in ns[:12])
    return shown + (f" 等 {len(ns)} 行" if len(ns) > 12 else "")


def _at(row: LedgerRow, col: int | None) -> Cell | None:
    return None if col is None else row.cell(col)


def _fields(row: LedgerRow, cols: dict[str, int]) -> dict[str, Cell]:
    """The row's cell of each field it reaches (looked up once per row)."""
    cells = row.cells
    n = len(cells)
    return {name: cells[col] for name, col in cols.items() if col < n}


def _ref_of(row: LedgerRow, col: int) -> str:
    from ..reading import column_letter

    return f"{column_letter(col)}{row.number}"


def _cached(sheet: LedgerSheet, cell: Cell | None):
    """A cell's value as Excel last saved it (None for no cell or an empty one); a
    formula without a saved result is refused, naming its cell."""
    if cell is None:
        return None
    if cell.uncached:
        raise InputError(_uncached(sheet, cell), path=sheet.path)
    return cell.value


def _text(cell: Cell | None, sheet: LedgerSheet) -> str | None:
    """A cell as text, as a person reads it: dates as 2024年6月30日, numbers as shown."""
    v = _cached(sheet, cell)
    if v is None:
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, (datetime, date)):
        return date_text(v)
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return number_text(v) + ("%" if cell.percent else "")
    return str(v)


def date_text(v: date | datetime) -> str:
    return f"{v.year}年{v.month}月{v.day}日"


def number_text(v: float) -> str:
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    return f"{v:.10f}".rstrip("0").rstrip(".")


def _uncached(sheet: LedgerSheet, cell: Cell) -> str:
    return (f"台账 {sheet.where(cell.ref)}：单元格是公式，但文件中没有它的计算结果（文件由程序生成、未经 Excel 保存）："
            f"请在 Excel 或 WPS 中打开该文件、保存一次后再导入")


# ------------------------------------------------------------------ one row

def row_fact(sheet: LedgerSheet, layout: Layout, row: LedgerRow, item: str,
             at: dict[str, Cell] | None = None) -> FactDetail:
    """The row as a fact; ``at``: its cells by field (:func:`_fields`), if known."""
    cols = layout.columns
    if at is None:
        at = _fields(row, cols)
    item = _SPACES.sub(" ", item).strip().rstrip("。；;")
    value_cell = at.get("value")
    value = _value(sheet, layout, row, value_cell)         # (number, unit, approx prefix, approx suffix) or None
    change = _change(sheet, layout, at.get("change"))
    planned, target = _planned(sheet, at.get("planned"))
    when = _date(sheet, at.get("date"))
    src_text = _text(at.get("source"), sheet)
    anchor = value_cell if value is not None and value_cell is not None else at.get("item")
    source = sheet.where(anchor.ref if anchor is not None else _ref_of(row, cols["item"]))
    if src_text:
        source += f"，{_header_word(layout, 'source')}：{src_text}"

    text = ""
    if when:
        text += f"{when}，"
    if planned and not item.startswith(("计划", "拟", "将", "力争", "预计", "争取")):
        text += "计划"
    value_at = None
    if value is not None and not _states(item, value):
        number, unit, pre, post = value
        text += item
        if item[-1:] in _DIGIT_END and not pre:
            text += "为"  # 工作事项1 and 42446 must not read as 142446
        value_at = len(text)
        text += f"{pre}{number_text(number)}{post}{unit}"
    else:
        text += item
        if value is not None:
            value_at = len(text) - len(item) + _where_stated(item, value)
    change_at = None
    if change is not None:
        basis, word, amount, unit = change
        text += f"，{basis}{word}"
        if amount is not None:
            change_at = len(text)
            text += f"{number_text(amount)}{unit}"
    if target is not None:
        text += f"，年度目标{number_text(target)}{value[1] if value else ''}"

    figures: list[Figure] = []
    mentions = figure_mentions(text) if value_at is not None or change_at is not None or target is not None else []
    if value_at is not None:
        m = next((m for m in mentions if m.start <= value_at < m.end or m.start == value_at), None)
        if m is None:
            raise InputError(f"台账 {sheet.where(value_cell.ref)}：数值 {number_text(value[0])}{value[1]} 写进事实"
                             f"“{text}”后读不成数字（像年份、日期或编号）：请调整事项或单位的写法", path=sheet.path)
        c = next((c for c in mentions if change_at is not None and c.start <= change_at < c.end), None)
        figures.append(make_figure(item, m, c))
        planned = planned or m.planned  # the item itself says 计划/拟
    if target is not None:
        t = next((m for m in mentions if m.value == target and text.find("年度目标") <= m.start), None)
        if t is not None:
            figures.append(make_figure(f"{item}年度目标", t))
    return FactDetail(text=text, figures=figures, source=source, planned=planned)


def _header_word(layout: Layout, fieldname: str) -> str:
    return _source_word(layout.headers.get(fieldname, "来源"))


@lru_cache(maxsize=64)
def _source_word(header: str) -> str:
    """A header's words (read once per header, not once per row)."""
    from ._columns import normalize_header

    return normalize_header(header)[0] or "来源"


def _states(item: str, value) -> bool:
    """The item already states the value (事项 "排查隐患486件", 数值 486)."""
    return _where_stated(item, value) >= 0


def _where_stated(item: str, value) -> int:
    number = value[0]
    if number_text(number) not in item.replace(",", ""):
        return -1  # the usual case, decided without reading the item's numbers
    for m in figure_mentions(item):
        if abs(m.value - number) < 1e-9 * max(1.0, abs(number)) and (not value[1] or m.unit == value[1]):
            return m.start
    return -1


def _value(sheet: LedgerSheet, layout: Layout, row: LedgerRow, cell: Cell | None):
    """(number, unit, approximation before, approximation after) of the value cell, or None."""
    v = _cached(sheet, cell)
    if v is None:
        return None
    header = layout.headers.get("value", "数值")
    where = sheet.where(cell.ref)
    if isinstance(v, bool):
        raise InputError(f"台账 {where}：数值列“{header}”的单元格是逻辑值（{'是' if v else '否'}），不是数字", path=sheet.path)
    if isinstance(v, (datetime, date, time)):
        shown = date_text(v) if isinstance(v, (datetime, date)) else str(v)
        raise InputError(f"台账 {where}：数值列“{header}”的单元格是日期（{shown}），不是数字：日期请放在“时间”列",
                         path=sheet.path)
    pre = post = ""
    cell_unit = None
    if isinstance(v, (int, float)):
        number = v
        if cell.percent:
            cell_unit = "%"
    else:
        text = str(v).strip()
        if text.upper() in _EXCEL_ERRORS:
            raise InputError(f"台账 {where}：数值列“{header}”的单元格是 Excel 错误值 {text}：请先在 Excel 中改正公式",
                             path=sheet.path)
        m = _NUMBER.match(text.translate(_FULLWIDTH))
        unit_text = m.group("unit") if m else ""
        if not m or (unit_text and not _is_unit(unit_text)):
            raise InputError(f"台账 {where}：数值列“{header}”的单元格是文字“{text}”，不是数字：请只填数字"
                             f"（单位写在“单位”列），说明性的内容写进事项", path=sheet.path)
        number = float(m.group("num").replace(",", ""))
        number = int(number) if number.is_integer() else number
        pre = m.group("pre") or ""
        pre = "超过" if pre == "超" else pre
        post = m.group("post") or m.group("tail") or ""
        cell_unit = unit_text or None
    if number < 0:
        raise InputError(f"台账 {where}：数值列“{header}”的单元格是负数 {number_text(number)}：数量不能为负，"
                         f"减少请写在“同比”列", path=sheet.path)
    unit = _unit(sheet, layout, row, cell, cell_unit)
    return number, unit, pre, post


def _is_unit(text: str) -> bool:
    if text in ("%",):
        return True
    core = text[1:] if text[:1] in ("万", "亿", "千") and len(text) > 1 else text
    return text in ("万", "亿") or core in known_units()


def _unit(sheet: LedgerSheet, layout: Layout, row: LedgerRow, cell: Cell, cell_unit: str | None) -> str:
    """The row's unit: the unit column, else the value header's (完成数（件）), else the
    cell's own (a percent format, "312起"). Two that disagree are an error."""
    header_unit = layout.header_units.get("value")
    unit_cell = _at(row, layout.columns.get("unit"))
    column_unit = _text(unit_cell, sheet) if unit_cell is not None else None
    declared = column_unit or header_unit
    if declared:
        declared = declared.translate(_FULLWIDTH).strip()
    if cell_unit and declared and cell_unit != declared:
        what = "百分比格式" if cell.percent else f"写的是“{cell.value}”"
        by = (f"单位列 {unit_cell.ref} 为“{column_unit}”" if column_unit
              else f"表头“{layout.headers.get('value')}”的单位为“{header_unit}”")
        raise InputError(f"台账 {sheet.where(cell.ref)}：同一列单位不一致：该单元格{what}，而{by}：请统一单位",
                         path=sheet.path)
    return cell_unit or declared or ""


def _change(sheet: LedgerSheet, layout: Layout, cell: Cell | None):
    """(basis, direction word, amount, unit) of the change cell, or None."""
    v = _cached(sheet, cell)
    if v is None:
        return None
    header = layout.headers.get("change", "同比")
    where = sheet.where(cell.ref)
    basis = layout.basis
    header_unit = layout.header_units.get("change")
    unit = "个百分点" if header_unit in ("个百分点", "百分点") else "%"
    if isinstance(v, bool) or isinstance(v, (datetime, date, time)):
        raise InputError(f"台账 {where}：“{header}”列应为增减幅度（如 -8.2% 或 下降8.2%），不是"
                         f"{'日期' if not isinstance(v, bool) else '逻辑值'}", path=sheet.path)
    if isinstance(v, (int, float)):
        amount, word = abs(v), None
        signed = v
        if cell.percent:
            unit = "%"
    else:
        text = str(v).strip().translate(_FULLWIDTH).replace(" ", "")
        m = _CHANGE.match(text)
        if not m or (m.group("num") is None and m.group("dir") != "持平"):
            raise InputError(f"台账 {where}：“{header}”列的内容“{v}”读不成增减幅度：请写成 -8.2%、+3.5%、下降8.2% "
                             f"或 提高1.2个百分点", path=sheet.path)
        if m.group("basis"):
            basis = "较上年" if m.group("basis") in ("较上年", "比上年") else m.group("basis")
        amount = float(m.group("num")) if m.group("num") else None
        word = _DIRECTION_WORDS.get(m.group("dir") or "")
        if m.group("unit"):
            unit = "个百分点" if "百分点" in m.group("unit") else "%"
        signed = -(amount or 0) if (m.group("sign") == "-" or word in _DOWN) else (amount or 0)
        if word and m.group("sign") == "-" and word not in _DOWN:
            raise InputError(f"台账 {where}：“{header}”列的“{v}”既写了负号又写了“{m.group('dir')}”，方向不清", path=sheet.path)
    if amount is not None and float(amount).is_integer():
        amount = int(amount)
    if not signed:
        return basis, "持平", None, unit
    if word is None:
        word = "下降" if signed < 0 else ("提高" if unit == "个百分点" else "增长")
    return basis, word, amount, unit


def _planned(sheet: LedgerSheet, cell: Cell | None) -> tuple[bool, float | None]:
    """(is the row a plan, a target number the column gives instead)."""
    v = _cached(sheet, cell)
    if v is None:
        return False, None
    if isinstance(v, bool):
        return v, None
    if isinstance(v, (int, float)):
        return False, v
    return str(v).strip() in column_words().planned_words, None


def _date(sheet: LedgerSheet, cell: Cell | None) -> str | None:
    if cell is None or cell.value is None:
        return _text(cell, sheet) if cell is not None else None
    v = cell.value
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        raise InputError(f"台账 {sheet.where(cell.ref)}：时间列的单元格是数字 {number_text(v)}，不是日期："
                         f"请把单元格设为日期格式，或写成 2024年6月30日", path=sheet.path)
    return _text(cell, sheet)


__all__ = ["Change", "gather_ledger", "row_fact", "sheet_default_section"]
