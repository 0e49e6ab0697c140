"""Shortcuts taken for speed give exactly what the plain way gives: findings made
without pydantic's generic constructor, grounding that looks only at the facts that
can still matter, work per drafted part that does not grow with the report.

Speed itself is measured in bench/ (bench_big.py, bench_import.py); these tests count
work and compare results, never time."""

from __future__ import annotations

import yaml
from helpers import CORPUS, REFERENCE_DOC, REFERENCE_SPEC
from ledgers import MAIN_NS, excel_workbook, read_every_way

from drafter import Drafter, Evidence, load_spec, validate
from drafter._findings import Finding, FindingMaker, new_finding


# ----------------------------------------------------------------- findings

def test_fast_findings_are_the_models_model_construct_makes():
    fields = dict(code="N001", family="numbers", severity="error", message="数字“312起”在输入中找不到", start=3,
                  end=7, line=1, column=4, excerpt="312起", suggestion=None, standard="GB/T 15835-2011",
                  fact="facts:2", source="台账.xlsx 政法!C3")
    slow, fast = Finding.model_construct(**fields), new_finding(**fields)
    assert fast == slow and hash(fast) == hash(slow)
    assert list(fast.__dict__.items()) == list(slow.__dict__.items())
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump_json() == slow.model_dump_json() and repr(fast) == repr(slow)
    assert fast.model_fields_set is not new_finding(**fields).model_fields_set  # never shared
    moved = fast.model_copy(update={"line": 9})
    assert (moved.line, fast.line) == (9, 1) and moved.model_fields_set == slow.model_fields_set


def test_finding_maker_fills_every_field_from_the_rule():
    text = "第一行\n全年受理xx件。"
    f = FindingMaker(text)("H003", 8, 10, suggestion="填写数字")
    assert (f.line, f.column, f.excerpt, f.family, f.severity) == (2, 5, "xx", "hygiene", "error")
    assert f.standard and f.message and f == Finding.model_validate(f.model_dump())


# ----------------------------------------------------------------- grounding

def _number_cases():
    for path in sorted((CORPUS / "numbers").glob("*.yaml")):
        for group in yaml.safe_load(path.read_text(encoding="utf-8")):
            texts = list(group.get("clean", [])) + [d["text"] for d in group.get("defects", [])]
            yield group["facts"], texts


def test_rivals_looked_for_in_one_fact_give_the_same_verdicts(monkeypatch):
    """When one fact's words cover the clause, grounding compares the figure only with
    that fact's other figures: on every corpus case the findings are the same as when
    every fact sharing a word is compared."""
    from drafter.grounding._ground import _Grounder

    cases = [(Evidence.from_facts(facts), text) for facts, texts in _number_cases() for text in texts]
    spec = load_spec(REFERENCE_SPEC)
    cases += [(Evidence.of(spec), REFERENCE_DOC.read_text(encoding="utf-8")),
              (Evidence.of(spec), (CORPUS / "numbers" / "reference-paraphrase.txt").read_text(encoding="utf-8"))]
    cases += [(Evidence.of(spec).for_section(s.id), REFERENCE_DOC.read_text(encoding="utf-8"))
              for s in spec.sections]

    def findings():
        return [[(f.code, f.start, f.message, f.fact) for f in validate(text, evidence=ev, families=["numbers"])]
                for ev, text in cases]

    narrowed = findings()
    pruned = []
    original = _Grounder._rival_facts
    monkeypatch.setattr(_Grounder, "_rival_facts", lambda self, ctx, ok: pruned.append(original(self, ctx, ok)))
    assert findings() == narrowed
    assert any(p is not None for p in pruned)  # the shortcut is taken on the corpus


def test_drafting_compares_each_figure_with_its_own_facts_only(tmp_path, monkeypatch):
    """Sections that all count the same kind of thing (全年开展专项活动N场次) used to have
    every figure weighed against every other section's (n² comparisons, 95 s for 4,000
    sections); now the work per part does not grow with the number of parts."""
    from test_big_inputs import many_sections

    from drafter.grounding._ground import _Clause

    weighed = []
    original = _Clause.support
    monkeypatch.setattr(_Clause, "support", lambda self, x, level, y: weighed.append(y) or original(self, x, level, y))
    for n in (20, 60):
        weighed.clear()
        draft = Drafter().draft(load_spec(many_sections(tmp_path, n)))
        assert len(draft.sections) == n
        assert sum(y is not None for y in weighed) < n  # rival against value-holder: none here


def test_evidence_for_a_part_is_that_parts_figures_in_input_order():
    ev = Evidence.of(load_spec(REFERENCE_SPEC))
    for part in ["opening", "closing", "nowhere", *(f.section_id for f in ev.figures)]:
        assert ev.for_section(part).expected == [f for f in ev.figures if f.section_id == part]
        assert ev.for_section(part).section == part


# ----------------------------------------------------------------- numbers

def _corpus_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*")) if p.suffix in (".txt", ".md")]
    return texts + [REFERENCE_DOC.read_text(encoding="utf-8")]


def test_fixed_expressions_behind_their_first_characters_match_as_the_plain_alternation():
    import re

    from drafter._numbers import _bundled_numbers_lexicon, compile_fixed

    raw = _bundled_numbers_lexicon()
    words = tuple(w for name in ("fixed_expressions", "no_backing") for w in (raw[name].get("words") or ()))
    pats = tuple(p if isinstance(p, str) else p["pattern"] for name in ("fixed_expressions", "no_backing")
                 for p in raw[name].get("patterns") or ())
    gated = compile_fixed(words, pats)
    parts = sorted([re.escape(w) for w in words] + list(pats), key=len, reverse=True)
    plain = re.compile("|".join(f"(?:{p})" for p in parts))
    assert gated.pattern != plain.pattern  # the gate is there
    for text in _corpus_texts():
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]
        for a in range(0, len(text), 97):  # windows, as the extractor searches them
            assert [m.span() for m in gated.finditer(text, a, a + 40)] == \
                   [m.span() for m in plain.finditer(text, a, a + 40)]


def test_a_short_text_is_read_once_and_every_caller_gets_its_own_list(monkeypatch):
    import drafter._numbers as numbers

    reads = []
    original = numbers._extract
    monkeypatch.setattr(numbers, "_extract", lambda text, fixed: reads.append(text) or original(text, fixed))
    monkeypatch.setattr(numbers, "_MEMO", {})
    text = "全年新发刑事案件三百一十二起，同比下降8.2%，破获各类案件300余起"
    first = numbers.extract(text)
    first.append("caller's own")
    again = numbers.extract(text)
    assert reads == [text] and again == first[:-1] and len(again) == 3
    assert [m.raw for m in again] == ["三百一十二起", "8.2%", "300余起"]
    long = "全年受理群众来信来访86件。" * 200
    numbers.extract(long)
    numbers.extract(long)
    assert reads.count(long) == 2  # a document is not kept


def test_check_grounds_the_text_once_for_its_findings_and_derivations(monkeypatch):
    from drafter.app._check import CheckOptions, check_file
    from drafter.validators import _numbers_check

    grounded = []
    original = _numbers_check.ground
    monkeypatch.setattr(_numbers_check, "ground", lambda *a, **k: grounded.append(1) or original(*a, **k))
    doc = CORPUS / "numbers" / "reference-paraphrase-2.txt"  # it derives a figure
    result = check_file(str(doc), CheckOptions(spec=load_spec(REFERENCE_SPEC)))
    assert len(grounded) == 1 and result.findings and result.derivations
    fresh = Evidence.from_report(load_spec(REFERENCE_SPEC))  # no grounding kept on it
    assert result.derivations == _numbers_check.derivations(doc.read_text(encoding="utf-8"), fresh)
    assert len(grounded) == 2


# ----------------------------------------------------------------- ledgers

_EXCEL_ROWS = (
    '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>486</v></c><c r="D2" t="s"><v>6</v></c>'
    '<c r="E2" s="1"><v>-8.2E-2</v></c><c r="F2" s="2"><v>45473</v></c><c r="G2" s="3"><v>1.5</v></c>'
    '<c r="H2" t="b"><v>1</v></c><c r="I2" t="e"><v>#DIV/0!</v></c><c r="J2" t="str"><f>A2&amp;"x"</f><v>a&amp;b&lt;c</v></c>'
    '<c r="K2"><f>SUM(C2:C3)</f></c><c r="L2" t="inlineStr"><is><t>内联&#x4E2D;&#25991;</t></is></c>'
    '<c r="M2" t="d"><v>2024-06-30T00:00:00</v></c><c r="N2" s="4"><v>3.14159</v></c><c r="O2" s="5"><v>0.985</v></c></row>'
    '<row r="3"><c r="B3" t="s"><v>7</v></c><c r="C3" s="0"><v>312</v></c><c t="s"><v>8</v></c><c t="s"><v>9</v></c>'
    '<c r="G3" t="s"><v>10</v></c><c r="H3" t="s"><v>11</v></c><c r="I3" t="s"><v>12</v></c><c r="J3" t="s"><v>13</v></c>'
    '<c r="K3"><v></v></c><c r="L3"><v/></c><c r="M3" t="inlineStr"/><c r="N3" t="inlineStr"><is><t/></is></c></row>'
    '<row r="5"><c r="C5"><v>7</v></c><c r="A5" t="s"><v>4</v></c></row>'
    '<row><c r="A6" t="s"><v>5</v></c><c r="C6"><f t="shared" ref="C6:C7" si="0">C5+1</f><v>8</v></c></row>'
    '<row r="9" spans="1:3" x14ac:dyDescent="0.25"><c r="B9" t="s"><v>5</v></c><c r="C9"><f t="shared" si="0"/><v>9</v></c></row>'
    '<row r="8"><c r="B8" t="s"><v>1</v></c></row>'
    '<row r="10" hidden="1"><c r="B10" t="s"><v>5</v></c><c r="C10"><v>10</v></c></row>'
    '<row r="11"/><row r="12"></row>'
    '<row r="13"><c r="A13" t="s"><v>4</v></c><c r="B13" t="s"><v>5</v></c><c r="C13"><v>1234567890123456789</v></c></row>'
)
_X14 = f'<worksheet xmlns="{MAIN_NS}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'


def _both_ways(path, monkeypatch):
    """(the ledger as read_ledger reads it, the ledger read by openpyxl alone, how many
    sheets the XML reader read); the XML reader on openpyxl's workbook reads it as well."""
    ways = read_every_way(path, monkeypatch)
    assert ways.mixed == ways.slow
    return ways.own, ways.slow, ways.read


def test_excel_files_read_from_their_xml_are_what_openpyxl_reads(tmp_path, monkeypatch):
    pretty = _EXCEL_ROWS.replace("<c ", "\n    <c ").replace("<row", "\n  <row")  # spaces between the tags
    cases = {
        "plain": ({"台账": _EXCEL_ROWS, "第二张": '<row r="2"><c r="B2" t="s"><v>5</v></c></row>'}, {}, 2),
        "1904": ({"台账": _EXCEL_ROWS}, {"date1904": True}, 1),
        "pretty": ({"台账": pretty}, {}, 1),
        "rich inline string": ({"台账": '<row r="1"><c r="A1" t="inlineStr"><is><r><t>富</t></r></is></c></row>'}, {}, 0),
        "prefixed": ({"台账": '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:v>12</x:v></x:c></x:row>'},
                     {"root": f'<x:worksheet xmlns:x="{MAIN_NS}">', "end": "</x:worksheet>"}, 0),
        "comment": ({"台账": _EXCEL_ROWS + "<!-- 备注 -->"}, {}, 0),
        "dynamic array": ({"台账": '<row r="1"><c r="A1" cm="1"><f t="array" ref="A1:A2">SEQUENCE(2)</f><v>1</v></c></row>'}, {}, 1),
        "cell with an odd attribute": ({"台账": '<row r="1"><c r="A1" foo="1"><v>1</v></c></row>'}, {}, 0),
    }
    for name, (sheets, kw, expected) in cases.items():
        kw.setdefault("root", _X14)
        fast, slow, read = _both_ways(excel_workbook(tmp_path / f"{name}.xlsx", sheets, **kw), monkeypatch)
        assert fast == slow, name
        assert read == expected, name  # 0: the XML reader left the sheet to openpyxl
    values = {c.ref: c for r in _both_ways(tmp_path / "plain.xlsx", monkeypatch)[0].sheets[0].rows for c in r.cells}
    assert values["E2"].value == -8.2 and values["E2"].percent
    assert values["L2"].value == "内联中文" and values["J2"].value == "a&b<c" and values["N2"].value == 3.14
    assert values["B3"].value == "队伍 & 建设" and values["C3"].value == 312 and values["D3"].value == "新发刑事案件"
    assert values["E3"].value == "调解" and values["H3"].value == "第一行\n第二行" and values["I3"].value == "有空格"


def test_a_damaged_sheet_is_refused_as_before(tmp_path):
    import pytest

    from drafter import InputError
    from drafter.reading import read_ledger

    # openpyxl sizes the sheet from its <dimension> on opening; the damage is found
    # only when the rows are read, and is refused then, never read past.
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 3000))
    path = excel_workbook(tmp_path / "坏.xlsx", {"台账": rows + '<row r="3000"><c r="A3000"><v>1</v></c>'},
                          root=_X14 + '<dimension ref="A1:A3000"/>')
    with pytest.raises(InputError, match="工作表“台账”无法读取，文件可能已损坏"):
        read_ledger(path)


def test_ledgers_openpyxl_writes_are_read_from_their_xml_as_openpyxl_reads_them(tmp_path, monkeypatch):
    from datetime import date, datetime

    from ledgers import ROWS, standard_ledger, workbook

    books = [standard_ledger(tmp_path / "standard.xlsx"),
             workbook(tmp_path / "varied.xlsx", {"一": [["平安建设", "案件", 12, "件", 0.5, date(2024, 6, 30)],
                                                       [None, "活动", 3.14159, "场", True, datetime(2024, 1, 2, 3, 4)],
                                                       [None, "  ", None, None, "=A1", "=SUM(C3:C4)"]],
                                                "二": [list(r) for r in ROWS]},
                      formats={"一": {"C4": "0.00", "E3": "0.0%", "C3": "#,##0"}}, merges={"一": ["A3:A5"]},
                      hidden_rows={"一": [4]}, hidden_sheets=("二",))]
    for path in books:
        fast, slow, read = _both_ways(path, monkeypatch)
        assert fast == slow and read == len(fast.sheets) >= 1


def test_whole_numbers_are_shown_as_the_decimal_rule_shows_their_float():
    """A whole number skips the decimal rounding: shown exactly as its float is."""
    from drafter.reading import as_shown

    formats = ["General", "0", "0.00", "#,##0", "0.0%", "0%", '0.0"件"', "0.00E+00", "@", "[h]:mm:ss"]
    numbers = [0, 1, -1, 7, 312, 486, 99999, 10**15 - 1, 10**15, -(10**15) + 1, -(10**15), 10**16 + 1, 2**53 + 1]
    for fmt in formats:
        for n in numbers:
            fast, slow = as_shown(n, fmt), as_shown(float(n), fmt)
            assert fast == slow and type(fast[0]) is type(slow[0]), (n, fmt)


def test_repeated_texts_with_references_are_decoded_for_every_cell(tmp_path, monkeypatch):
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>&#24037;&#20316;{i % 3}</t></is></c>'
                   f'<c r="B{i}" t="inlineStr"><is><t>&#20214;</t></is></c><c r="C{i}"><v>{i}</v></c>'
                   f'<c r="D{i}" t="inlineStr"><is><t>a&amp;b\r\nc</t></is></c></row>' for i in range(1, 9))
    fast, slow, read = _both_ways(excel_workbook(tmp_path / "repeated.xlsx", {"台账": rows}, root=_X14), monkeypatch)
    assert fast == slow and read == 1
    assert [c.value for c in fast.sheets[0].rows[3].cells] == ["工作1", "件", 4, "a&b\nc"]


def test_plain_row_tags_are_scanned_as_their_attributes_read(monkeypatch):
    import re

    from drafter.reading import _sheet_facts

    tags = ['<row r="1">', '<row r="2" spans="1:6">', '<row  r="3"  spans="1:6" >', '<row r="4" hidden="1">',
            '<row spans="1:2">', '<row r="7" spans="1:6" hidden="true">', "<row r='9'>", '<row r="x">',
            '<row r="10" ht="20" customHeight="1">', '<row>', '<x:row r="12">', '<row r="11"/>',
            '<row r = "13" spans="2:3">', '<row r="14" spans="1:6" r="20">']
    xml = "".join(t + ("</row>" if not t.endswith("/>") else "") for t in tags).encode()
    fast = _sheet_facts.sheet_facts(xml)
    monkeypatch.setattr(_sheet_facts, "PLAIN_ROW_ATTRS", re.compile(rb"(?!)"))
    slow = _sheet_facts.sheet_facts(xml)
    assert fast == slow and fast.hidden_rows == {4, 7}


class _Everything:
    def __contains__(self, item) -> bool:
        return True


def test_numbers_read_behind_character_gates_are_the_ungated_ones(monkeypatch):
    """The change, approximation and plan look-ups skipped where their words cannot
    stand give the same mentions as when they run before every number."""
    import re

    from drafter import _numbers

    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.txt"))]
    texts += [t for _, ts in _number_cases() for t in ts] + [f for fs, _ in _number_cases() for f in fs]
    texts += ["同比下降\n8.2%", "较上年增长了\n12起", "同比上升幅度达3.5个百分点", "提高\n\n5%", "\n3件", "降\n",
              "超过300人，多达20场，近500户，约3成，逾百起，超1.2万元", "拟于年内建成5个，占计划100%，按计划完成3项",
              "确保了12个，确保15个", "计划\n新建8所", "即将完成6项；准备开展3场", "持平12%", "同比持平",
              "2022-11-08发布，阅读2836", "2024.5.2，增长6.3%", "2024/03/12 15:10:15", "15：10开会", "2024-6",
              "1999.12.31", "2021年9-10月", "增长6.3%，下降-2.1", "20:61", "2024.13.1", "3:05、12:30"]
    fixed = _numbers.fixed_expression_re()
    gated = [_numbers._extract(t, fixed) for t in texts]
    monkeypatch.setattr(_numbers, "_CHANGE_LAST", _Everything())
    monkeypatch.setattr(_numbers, "_PREFIX_LAST", _Everything())
    monkeypatch.setattr(_numbers, "_any_plan_word", lambda: re.compile(""))
    monkeypatch.setattr(_numbers, "_DIGIT_DATE_GATE", re.compile(""))
    assert gated == [_numbers._extract(t, fixed) for t in texts]
    assert any(m.planned for ms in gated for m in ms) and any(m.direction for ms in gated for m in ms)
    assert any(m.kind == "date" for ms in gated for m in ms)


def test_evidence_word_gates_agree_with_the_plain_checks():
    from drafter import _evidence

    for before in ["", "上", "去", "较上年", "去年同期", "比上一年", "全年", "上半年", "过去", "同比上年度增长"]:
        assert _evidence._names_previous(before) == any(w in before for w in _evidence._PREVIOUS), before
    for unit in ["", "件", "万元", "亿元", "千万元", "百万元", "千米", "百分点", "％", "成", "万", "百", "人次"]:
        value, u = 3.0, _evidence._UNIT_ALIASES.get(unit, unit)
        plain = next(((value * mag, u[len(p):]) for p, mag in _evidence._UNIT_MAGNITUDE if u.startswith(p)), (value, u))
        assert _evidence.normalise_figure(value, unit) == ((30.0, "%") if unit == "成" else plain), unit


def test_evidence_figures_made_by_position_fill_the_fields_they_name():
    """_figure builds EvidenceFigure by position: its field order must stay as written."""
    from dataclasses import fields

    from drafter._evidence import EvidenceFigure

    assert [f.name for f in fields(EvidenceFigure)] == [
        "value", "unit", "approx", "direction", "basis", "planned", "path", "context", "raw", "section_id",
        "label", "source", "start", "end", "fact_index", "year", "previous"]
    ev = Evidence.from_facts(["2022年上年新发刑事案件约312起，同比下降8.2%"])
    f = ev.figures[0]
    assert (f.value, f.unit, f.approx, f.raw, f.path, f.start, f.year, f.previous) == (
        312, "起", "约", "约312起", "facts:1", 13, 2022, True)


def test_the_collector_pause_restores_the_collector_as_it_found_it():
    import gc

    import pytest

    from drafter.app._commands import _built_to_last

    assert gc.isenabled()
    with pytest.raises(ValueError):
        with _built_to_last():
            assert not gc.isenabled()
            raise ValueError
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with _built_to_last():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_findings_made_at_one_place_are_the_ones_the_maker_makes():
    text = "第一行\n全年受理312件，同比下降8.2%。\n第三行"
    cases = [("N008", 0, 0, dict(expected="312件", path="facts:1", fact_text="全年受理312件", fact="facts:1", source="台账!C3")),
             ("N008", 0, 0, dict(expected="8.2%", path="sections[0].facts[2]", fact_text="同比", fact=None, source=None)),
             ("H003", 8, 11, dict(suggestion="填写数字"))]
    for base, full in ((0, None), (5, "前缀五个字" + text)):
        maker = FindingMaker(text, base=base, full_text=full)
        for code, start, end, kw in cases:
            slow, fast = maker(code, start, end, **kw), maker.at(code, start, end)(**kw)
            assert fast == slow and fast.model_fields_set == slow.model_fields_set
            assert list(fast.__dict__.items()) == list(slow.__dict__.items())


def test_blanks_at_either_end_leave_a_texts_grams_as_they_are():
    """The index cuts a figure's near words and its label as one string when they
    differ only by the blanked figure at an end."""
    from drafter.grounding._context import BLANK, grams
    from drafter.validators._numbers_check import _words

    vocab, _ = _words(())
    texts = ["排查整治问题隐患（1）", "全年累计", "同比下降", "5G基站", "新建改建农村公路（12）", "共计", "其中：累计完成",
             REFERENCE_DOC.read_text(encoding="utf-8")[:400]]
    for t in texts:
        for blanked in (t + BLANK * 6, BLANK * 3 + t, BLANK + t + BLANK, t + BLANK + "人"):
            if blanked.endswith("人"):
                assert grams(blanked, vocab) == grams(t, vocab) | grams("人", vocab), t
            else:
                assert grams(blanked, vocab) == grams(blanked.strip(BLANK), vocab) == grams(t, vocab), t


def test_evidence_read_behind_the_plan_gate_is_the_ungated_evidence(monkeypatch):
    from drafter import _evidence

    spec = load_spec(REFERENCE_SPEC)
    facts = [t for _, ts in _number_cases() for t in ts] + ["拟投资5000万元，已完成投资3200万元", "计划新建1栋，新增床位300张"]
    gated = (Evidence.from_report(spec).figures, Evidence.from_facts(facts).figures)
    monkeypatch.setattr(_evidence, "may_plan", lambda text: True)
    assert gated == (Evidence.from_report(spec).figures, Evidence.from_facts(facts).figures)
    assert any(f.planned for f in gated[1]) and not all(f.planned for f in gated[1])
