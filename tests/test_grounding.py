"""Grounding: every figure bound to the fact it restates — swaps, approximations judged
against their own fact, plans stated as done, derived figures right and wrong, figures
that need no backing — on the corpus in tests/corpus/numbers and on composer output."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
import yaml
from helpers import CORPUS, REFERENCE_SPEC, SMALL_SPEC, cli

from drafter import (
    Drafter,
    Evidence,
    FactRecord,
    SpecError,
    load_spec,
    parse_spec,
    to_text,
    validate,
)
from drafter._numbers import figures

NUMBERS = CORPUS / "numbers"


def _groups():
    for path in sorted(NUMBERS.glob("*.yaml")):
        for group in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield path.stem, group


def _errors(text, **kw):
    return [f for f in validate(text, families=["numbers"], **kw) if f.severity == "error"]


CLEAN = [pytest.param(g["facts"], t, id=f"{stem}:{g['name']}:{i}")
         for stem, g in _groups() for i, t in enumerate(g.get("clean", []))]
DEFECTS = [pytest.param(g["facts"], d, id=f"{stem}:{g['name']}:{i}")
           for stem, g in _groups() for i, d in enumerate(g.get("defects", []))]


@pytest.mark.parametrize("facts,text", CLEAN)
def test_clean_restatements_raise_no_numbers_error(facts, text):
    assert [(f.code, f.excerpt, f.message) for f in _errors(text, facts=facts)] == []


@pytest.mark.parametrize("facts,case", DEFECTS)
def test_planted_defects_are_errors_that_name_their_fact(facts, case):
    found = _errors(case["text"], facts=facts)
    assert [f"{f.code} {f.excerpt}" for f in found] == case["errors"]
    for f in found:
        assert case["text"][f.start:f.end] == f.excerpt
        assert f.family == "numbers" and f.standard
        if f.code in ("N002", "N003", "N004", "N006", "N007", "N009", "N010"):
            assert f.fact and f.fact.startswith("facts:") and f.fact in f.message


def test_corpus_covers_every_kind_of_defect():
    codes = {e.split()[0] for _, g in _groups() for d in g.get("defects", []) for e in d["errors"]}
    assert {"N001", "N002", "N003", "N004", "N005", "N006", "N007", "N009", "N010"} <= codes
    assert len(CLEAN) >= 80 and len(DEFECTS) >= 50


# ---------------------------------------------------------------- swaps on composer output

def _composed(spec_path):
    spec = load_spec(spec_path)
    return spec, to_text(Drafter().draft(spec))


def test_swapping_two_figures_of_the_same_unit_in_composer_output_is_caught():
    """The issue's first report: exchange two 件 figures of different facts."""
    from drafter.validators._numbers_check import grounding

    spec, text = _composed(REFERENCE_SPEC)
    ms = [m for m in figures(text) if m.unit == "件"]
    owner = {v.mention.start: v.fact.fact for v in grounding(text, Evidence.of(spec)).verdicts}
    pairs = [(a, b) for a, b in pairwise(ms) if owner[a.start] != owner[b.start] and a.value != b.value]
    assert len(pairs) >= 8
    for a, b in pairs:
        swapped = text[:a.start] + b.raw + text[a.end:b.start] + a.raw + text[b.end:]
        shift = len(b.raw) - len(a.raw)
        bad = {f.start: f for f in validate(swapped, spec, families=["numbers"]) if f.severity == "error"}
        assert a.start in bad and b.start + shift in bad, (a.raw, b.raw)
        f = bad[a.start]
        # It names the fact its clause describes, and the fact the value belongs to.
        assert f.code == ("N005" if "超" in b.raw else "N009") and f.fact == owner[a.start]


def test_model_style_paraphrase_of_the_reference_input_is_clean():
    spec = load_spec(REFERENCE_SPEC)
    text = (NUMBERS / "reference-paraphrase.txt").read_text(encoding="utf-8")
    found = validate(text, spec, families=["numbers"])
    assert [f for f in found if f.severity == "error"] == []
    # What it leaves out is still reported: the fact it does not restate (净网2021行动's
    # 2021 is a year in a campaign's name, not a figure to restate).
    assert {f.message.split("“")[1].split("”")[0] for f in found if f.code == "N008"} == {"100周年"}


def test_terse_paraphrase_with_merged_series_and_totals_is_clean():
    """Three dense sections rewritten as a model might: 、-series of one fact's
    figures, a total of 市级 and 区级, 分别, Chinese numerals, reordered clauses."""
    spec = load_spec(REFERENCE_SPEC)
    text = (NUMBERS / "reference-paraphrase-2.txt").read_text(encoding="utf-8")
    found = validate(text, spec, families=["numbers"], fragment=True)
    assert [(f.code, f.excerpt) for f in found if f.severity == "error"] == []


@pytest.mark.parametrize("spec_path", [REFERENCE_SPEC, SMALL_SPEC])
def test_composer_output_is_aligned_fact_by_fact(spec_path):
    from drafter.validators._numbers_check import grounding

    spec, text = _composed(spec_path)
    g = grounding(text, Evidence.of(spec))
    assert g.unused == [] and all(v.ok for v in g.verdicts)
    for v in g.verdicts:  # each figure aligned to a fact that states it, in those words
        assert v.status == "backed" and v.fact.raw == v.mention.raw


# ---------------------------------------------------------------- findings name the fact and its source

SPEC = """
organ: 某县司法局
period: 2023
opening: {leadership: 在县委的正确领导下, guidance: 认真落实会议精神, results: 提供了有力法治保障}
sections:
  - id: mediation
    topic: 矛盾纠纷化解
    aim: 基层治理大提升
    facts:
      - text: 全年排查矛盾纠纷1426件，调解成功1389件
        source: 2023台账.xlsx 调解!C12
        figures:
          - {label: 排查矛盾纠纷, value: 1426, unit: 件}
          - {label: 调解成功, value: 1389, unit: 件}
      - text: 化解信访积案12件
        source: 2023台账.xlsx 信访!B4
      - text: 拟新建人民调解工作室5个
        planned: true
  - id: services
    topic: 公共法律服务
    aim: 为民服务大提升
    facts:
      - 办理法律援助案件315件
      - text: 全年完成固定资产投资约3.6亿元
        figures: [{label: 固定资产投资, value: 3.6, unit: 亿元, approx: 约}]
      - text: 服务群众12.6万人
        figures: [{label: 服务群众, value: 126000, unit: 人}]
closing: {summary: 圆满完成了年度目标任务, shortcomings: [力量相对薄弱], plans: [作出新的贡献]}
"""


def test_findings_carry_the_aligned_fact_and_its_source():
    spec = parse_spec(SPEC)
    [f] = _errors("全年排查矛盾纠纷1389件。", spec=spec, fragment=True)
    assert f.code == "N009" and f.fact == "sections[0].facts[0]" and f.source == "2023台账.xlsx 调解!C12"
    assert "调解成功1389件" in f.message and "1426件" in f.message and "2023台账.xlsx 调解!C12" in f.message
    [f] = _errors("化解信访积案15件。", spec=spec, fragment=True)
    assert f.code == "N001" and f.source == "2023台账.xlsx 信访!B4" and "化解信访积案12件" in f.message
    [f] = _errors("新建人民调解工作室5个。", spec=spec, fragment=True)
    assert f.code == "N007" and f.fact == "sections[0].facts[2]"


def test_a_unit_mismatch_names_the_aligned_fact_or_says_nothing_aligns():
    facts = ["培育农民专业合作社12家", "新建农村互助幸福院8个"]
    [f] = _errors("培育农民专业合作社12个。", facts=facts)
    assert f.code == "N002" and f.suggestion == "按输入写作“12家”" and f.fact == "facts:1"
    [f] = _errors("新建农村互助幸福院12个。", facts=facts)
    assert f.code == "N001" and "12家" not in f.message + (f.suggestion or "") and f.fact == "facts:2"
    [f] = _errors("建成标准化篮球场12个。", facts=facts)
    assert f.code == "N001" and "没有与该分句对应的事实" in f.message and f.fact is None
    assert "12家" not in (f.suggestion or "")


def test_structured_figures_accept_the_notation_the_text_uses():
    ev = Evidence.of(parse_spec(SPEC))
    f = next(f for f in ev.figures if f.label == "固定资产投资")
    assert (f.value, f.unit, f.approx) == (3.6e8, "元", "约")
    assert next(f for f in ev.figures if f.label == "服务群众").value == 126000
    for unit, value in (("万元", 36000), ("亿", 3.6)):
        spec = parse_spec(SPEC.replace("value: 3.6, unit: 亿元", f"value: {value}, unit: {unit}"))
        assert any(f.label == "固定资产投资" for f in Evidence.of(spec).figures)


def test_every_structured_figure_problem_is_reported_at_once_with_file_and_line(tmp_path):
    bad = SPEC.replace("value: 1389, unit: 件", "value: 1398, unit: 件") \
              .replace("value: 126000, unit: 人", "value: 126000, unit: 人次") \
              .replace("value: 3.6, unit: 亿元", "value: 3.8, unit: 亿元")
    p = tmp_path / "spec.yaml"
    p.write_text(bad, encoding="utf-8")
    r = cli("check", str(p), "--input", str(p))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("  - ")]
    assert len(lines) == 3 and "共 3 处" in r.stderr
    want = {"figures[1]": "1398", "facts[1].figures[0]": "3.8", "figures[0].unit": "人次"}
    for (where, value), line in zip(want.items(), lines):
        assert f"{p}:" in line and where in line and value in line
        n = int(line.split(f"{p}:")[1].split(":")[0])
        assert value in bad.splitlines()[n - 1]  # the line holds the figure
    with pytest.raises(SpecError) as e:
        parse_spec(bad, name="x.yaml")
    assert len(e.value.problems) == 3


def test_evidence_from_records_of_any_source():
    ev = Evidence.from_records([
        FactRecord(text="全年受理群众诉求1250件，办结1200件", source="2024台账.xlsx 政务!C12", section="政务"),
        FactRecord(text="拟新建智慧安防小区8个", source="2024台账.xlsx 平安!D3", section="平安"),
    ])
    assert [(f.fact, f.source, f.section_id) for f in ev.figures] == [
        ("facts:1", "2024台账.xlsx 政务!C12", "政务"), ("facts:1", "2024台账.xlsx 政务!C12", "政务"),
        ("facts:2", "2024台账.xlsx 平安!D3", "平安")]
    assert ev.figures[2].planned
    [f] = _errors("建成智慧安防小区8个。", evidence=ev)
    assert f.code == "N007" and f.source == "2024台账.xlsx 平安!D3"
    assert _errors("办结率96%。", evidence=ev) == []


def test_every_fact_planned_is_one_switch():
    facts = ["全年新建平安单位5个", "调解成功率达到98%"]
    ev = Evidence.from_facts(facts)
    assert _errors("已建成平安单位5个。", evidence=ev) == []
    plan = ev.planned()
    assert plan.all_planned and not ev.all_planned
    assert [f.code for f in _errors("已建成平安单位5个。", evidence=plan)] == ["N007"]
    # In a plan every figure is a target: stated as one, it is fine.
    assert _errors("新建平安单位5个，力争调解成功率达到98%。", evidence=plan) == []


# ---------------------------------------------------------------- derivations in check

def test_check_json_lists_every_derivation_with_its_computation(tmp_path):
    facts = tmp_path / "facts.txt"
    facts.write_text("全年12345热线受理群众诉求1250件，办结1200件\n2023年发生道路交通事故120起\n"
                     "2022年发生道路交通事故135起\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("12345热线受理群众诉求1250件，办结1200件，办结率96%。全年发生道路交通事故120起，较上年减少15起。\n",
                   encoding="utf-8")
    r = cli("check", str(doc), "--facts", str(facts), "--fragment", "--format", "json")
    assert r.returncode == 0, r.stdout
    out = json.loads(r.stdout)
    assert [(d["excerpt"], d["kind"], d["formula"]) for d in out["derivations"]] == [
        ("96%", "ratio", "1200÷1250=96.0%"), ("15起", "difference", "120−135=−15起")]
    assert out["summary"]["derived"] == 2
    text = doc.read_text(encoding="utf-8")
    for d in out["derivations"]:
        assert text[d["start"]:d["end"]] == d["excerpt"] and d["operands"][0]["fact"].startswith("facts:")

    doc.write_text("全年12345热线受理群众诉求1250件，办结1200件，办结率94.6%。\n", encoding="utf-8")
    r = cli("check", str(doc), "--facts", str(facts), "--fragment")
    assert r.returncode == 1
    assert "1200÷1250=96.0%，正文为“94.6%”" in r.stdout


def test_check_text_output_prints_warnings_and_derivations_with_counts(tmp_path):
    facts = tmp_path / "facts.txt"
    facts.write_text("受理群众诉求1250件，办结1200件\n化解信访积案12件\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("受理群众诉求1250件，办结1200件，办结率96%。\n", encoding="utf-8")
    r = cli("check", str(doc), "--facts", str(facts), "--fragment")
    assert r.returncode == 0
    assert "提醒 N008" in r.stdout and "化解信访积案12件" in r.stdout
    assert "“96%” = 1200÷1250=96.0%" in r.stdout
    assert "提醒 1 处（其中输入数字未用到 1 个），推算数字 1 个" in r.stdout


def test_lexicon_extends_figures_that_need_no_backing(tmp_path):
    facts = ["全年受理群众诉求3200件"]
    text = "依托96677便民服务专线受理群众诉求3200件。"
    assert [f.excerpt for f in _errors(text, facts=facts)] == ["96677"]
    lex = tmp_path / "org.yaml"
    lex.write_text("no_backing:\n  words:\n    96677便民服务专线: ~\n", encoding="utf-8")
    assert _errors(text, facts=facts, extra_lexicons=[lex]) == []
