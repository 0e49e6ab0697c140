"""Evidence: every figure of the spec, with where it stands."""

import pytest

from drafter import Evidence, SpecError, load_spec, parse_spec

REFERENCE = "examples/self-inspection-2021.yaml"

MINI = """
organ: 某区委政法委
period: 2021
opening: {leadership: 在区委的正确领导下, guidance: 认真落实会议精神, results: 确保了社会大局平安稳定}
sections:
  - id: safety
    topic: 强化基层基础
    aim: 平安建设大提升
    facts:
      - 全年新发刑事案件312起，同比下降8.2%
      - text: 累计集体学习120余次
        source: 台账第5行
        figures: [{label: 集体学习, value: 120, unit: 次, approx: 余}]
      - 拟新建平安单位5个
closing: {summary: 圆满完成了年度目标任务, shortcomings: [特色不够突出], plans: [全面推动高质量发展]}
"""


def test_every_figure_with_path_and_section():
    ev = Evidence.from_report(parse_spec(MINI))
    got = {(f.raw, f.path, f.section_id) for f in ev.figures}
    assert ("312起", "sections[0].facts[0]", "safety") in got
    assert ("8.2%", "sections[0].facts[0]", "safety") in got
    assert ("120余次", "sections[0].facts[1].text", "safety") in got


def test_structured_figures_add_label_and_source():
    ev = Evidence.from_report(parse_spec(MINI))
    f = next(f for f in ev.figures if f.raw == "120余次")
    assert (f.label, f.source, f.approx) == ("集体学习", "台账第5行", "余")


def test_planned_and_change_are_kept():
    ev = Evidence.from_report(parse_spec(MINI))
    assert next(f for f in ev.figures if f.raw == "5个").planned
    change = next(f for f in ev.figures if f.raw == "8.2%")
    assert (change.direction, change.basis) == ("down", "同比")


def test_structured_figure_must_agree_with_its_text():
    bad = MINI.replace("value: 120, unit: 次", "value: 130, unit: 次")
    with pytest.raises(SpecError) as e:
        parse_spec(bad, name="bad.yaml")
    assert "figures[0]" in e.value.render() and "130" in e.value.render()


def test_reference_example_evidence_is_complete():
    ev = Evidence.from_report(load_spec(REFERENCE))
    assert len(ev.figures) > 100
    assert {f.section_id for f in ev.figures} >= {"team-rectification", "public-service", "opening"} - {"opening"}


def test_facts_file_lines_are_evidence():
    ev = Evidence.from_facts(["全年新发刑事案件312起", "破获186起"])
    assert [(f.value, f.path) for f in ev.figures] == [(312, "facts:1"), (186, "facts:2")]
    assert ev.mentions("破获")
