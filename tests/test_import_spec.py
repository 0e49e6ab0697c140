"""The spec drafter import writes: commented YAML that loads back as the same report,
placeholders that draft and check flag, stable section ids, what the user filled in kept
on re-import; and outlines (Word, text) as sections, sub-points and facts."""

from __future__ import annotations


import pytest
import yaml

from drafter import load_spec
from drafter.export import spec_yaml
from drafter.export._spec_yaml import scalar
from drafter.importing import import_materials, section_id
from tests.helpers import ROOT, cli
from tests.ledgers import ROWS, outline_docx, standard_ledger


def test_the_written_yaml_loads_back_as_the_same_report(tmp_path):
    ledger = standard_ledger(tmp_path / "2024台账.xlsx")
    result = import_materials([ledger], organ="南郑区委政法委")
    out = tmp_path / "spec.yaml"
    assert cli("import", ledger, "-o", out, "--organ", "南郑区委政法委").returncode == 0
    assert load_spec(out) == result.report
    text = out.read_text(encoding="utf-8")
    assert "# 平安建设（3 条，来自 2024台账.xlsx 政法队伍）" in text
    assert "source: 2024台账.xlsx 政法队伍!C4，责任单位：公安分局" in text


def test_scalars_that_yaml_would_misread_are_quoted():
    tricky = ["%", "- 列表", "yes", "No", "123", "1.5", "null", "~", "a: b", "a #b", "{x}", "[1]", "'引号'", '"双"',
              "@at", "`t`", "  空格", "尾空格 ", "多\n行", "#注释", "!tag", "&anchor", "*alias", "? 问", "=", "", "1e3",
              "0x10", ".inf", "2024-01-01", "平安建设: 2024", "8.2%"]
    for s in tricky:
        assert yaml.safe_load(f"k: {scalar(s)}")["k"] == s, s
        assert yaml.safe_load(f"k: {{a: {scalar(s, flow=True)}}}")["k"]["a"] == s, s
    assert scalar("排查整治各类问题隐患486件") == "排查整治各类问题隐患486件"  # plain where it can be


def test_placeholders_are_listed_and_draft_flags_them(tmp_path):
    out = tmp_path / "spec.yaml"
    r = cli("import", standard_ledger(tmp_path / "台账.xlsx"), "-o", out, "--period", "2024")
    assert r.returncode == 0
    text = out.read_text(encoding="utf-8")
    listed = [line for line in r.stderr.splitlines() if line.startswith("  ") and "【待补" in line]
    assert f"还需补写 {len(listed)} 处" in r.stderr
    # every placeholder line of the file is listed with its line number, and nothing else
    lines = text.splitlines()
    marked = [i for i, line in enumerate(lines, 1) if "【待补" in line and not line.lstrip().startswith("#")]
    assert [f"第{i}行" for i in marked] == [item.split()[1] for item in listed]
    assert len(marked) == 4 + 3 * 2 + 3  # organ+opening, topic/aim of 3 sections, closing
    d = cli("draft", out, "-o", tmp_path / "d.md")
    assert d.returncode == 1
    drafted = (tmp_path / "d.md").read_text(encoding="utf-8").rstrip().rsplit("\n\n", 1)[0]  # without 署名
    assert drafted.count("【待补") >= len(marked) - 1  # the organ may stand only in the 署名
    assert d.stderr.count("H003") == drafted.count("【待补")
    assert "【待补：本板块的工作牵引】" in d.stderr
    c = cli("check", tmp_path / "d.md")
    assert c.returncode == 1 and "H003" in c.stdout


def test_a_filled_in_spec_drafts_cleanly(tmp_path):
    out = tmp_path / "spec.yaml"
    assert cli("import", standard_ledger(tmp_path / "台账.xlsx"), "-o", out, "--organ", "南郑区委政法委").returncode == 0
    text = out.read_text(encoding="utf-8")
    fills = {"【待补：领导句】": "在区委、区政府的正确领导下", "【待补：指导思想与工作主线】": "认真落实上级决策部署",
             "【待补：全年总体成效】": "确保了社会大局平安稳定", "【待补：全年总体评价】": "全区政法工作统筹推进",
             "【待补：存在的不足】": "特色亮点不够突出", "【待补：明年工作打算】": "坚持稳中求进工作总基调"}
    for old, new in fills.items():
        text = text.replace(old, new)
    for topic, aim in [("平安建设", "社会治理大提升"), ("队伍建设", "作风素能大提升"), ("法治建设", "法治水平大提升")]:
        text = text.replace("【待补：本板块的工作牵引】", topic, 1).replace("【待补：本板块的工作目标】", aim, 1)
    out.write_text(text, encoding="utf-8")
    d = cli("draft", out, "-o", tmp_path / "d.md")
    assert d.returncode == 0, d.stderr
    body = (tmp_path / "d.md").read_text(encoding="utf-8")
    assert "一、坚持以平安建设为牵引，推动社会治理大提升。" in body and "新发刑事案件312起，同比下降8.2%" in body


def test_section_ids_are_stable_and_come_from_the_name_alone(tmp_path):
    a = import_materials([standard_ledger(tmp_path / "a.xlsx")]).report
    moved = ROWS[3:5] + ROWS[:3] + ROWS[5:]   # 队伍建设 first now, and one more row in 平安建设
    moved = moved[:2] + [["平安建设", "新增一行", 1, "件", None, None]] + moved[2:]
    b = import_materials([standard_ledger(tmp_path / "b.xlsx", moved)]).report
    ids_a = {s.id for s in a.sections}
    assert ids_a == {s.id for s in b.sections}
    assert [s.id for s in a.sections] == [section_id("平安建设"), section_id("队伍建设"), section_id("法治建设")]
    for s in a.sections + b.sections:
        assert s.id.startswith("s-") and len(s.id) == 8


def test_re_import_keeps_what_the_user_filled_in(tmp_path):
    ledger = standard_ledger(tmp_path / "台账.xlsx")
    out = tmp_path / "spec.yaml"
    assert cli("import", ledger, "-o", out).returncode == 0
    first = out.read_text(encoding="utf-8")
    again = cli("import", ledger, "-o", out)
    assert again.returncode == 0 and out.read_text(encoding="utf-8") == first
    assert not (tmp_path / "spec.yaml.bak").exists()  # nothing changed, nothing to keep
    filled = (first.replace("【待补：报告单位】", "南郑区委政法委").replace("【待补：领导句】", "在区委的正确领导下")
              .replace("【待补：本板块的工作牵引】", "强化基层基础", 1).replace("【待补：存在的不足】", "特色亮点不够突出"))
    out.write_text(filled, encoding="utf-8")
    changed = [list(r) for r in ROWS]
    changed[1][2] = 300
    standard_ledger(ledger, changed)
    r = cli("import", ledger, "-o", out)
    assert r.returncode == 0
    spec = load_spec(out)
    assert spec.organ == "南郑区委政法委" and spec.opening.leadership == "在区委的正确领导下"
    assert spec.sections[0].topic == "强化基层基础" and spec.sections[1].topic == "【待补：本板块的工作牵引】"
    assert spec.closing.shortcomings == ["特色亮点不够突出"]
    assert spec.sections[0].facts[1].text == "新发刑事案件300起，同比下降8.2%"
    assert "沿用原文件中已填写的 4 处" in r.stderr
    assert (tmp_path / "spec.yaml.bak").read_text(encoding="utf-8") == filled


def test_import_refuses_to_overwrite_what_is_not_a_spec(tmp_path):
    ledger = standard_ledger(tmp_path / "台账.xlsx")
    notes = tmp_path / "notes.yaml"
    notes.write_text("我的笔记: 很重要\n", encoding="utf-8")
    r = cli("import", ledger, "-o", notes)
    assert r.returncode == 2 and "--force" in r.stderr
    assert notes.read_text(encoding="utf-8") == "我的笔记: 很重要\n"
    r = cli("import", ledger, "-o", ledger)
    assert r.returncode == 2 and "不能是要导入的材料本身" in r.stderr
    assert cli("import", ledger, "-o", notes, "--force").returncode == 0
    assert load_spec(notes).sections and (tmp_path / "notes.yaml.bak").exists()


def test_without_output_the_spec_goes_to_stdout(tmp_path):
    r = cli("import", standard_ledger(tmp_path / "台账.xlsx"), "--period", "2023")
    assert r.returncode == 0 and r.stdout.startswith("# 由 drafter import")
    assert "period: 2023" in r.stdout and "还需补写" in r.stderr


def test_unknown_kind_is_refused(tmp_path):
    r = cli("import", standard_ledger(tmp_path / "台账.xlsx"), "--kind", "memo")
    assert r.returncode == 2 and "不认识的文种" in r.stderr


# ------------------------------------------------------------------ outlines

OUTLINE = [
    ("2024年政法工作总结材料", "Title"),
    ("今年以来，我委在区委的正确领导下，统筹推进各项工作。", None),
    ("一、坚持以政法队伍教育整顿为牵引，推动作风素能大提升", "Heading 1"),
    ("全年开展专题培训12期，培训干警1234人次。查处违纪违法干警3人。", None),
    ("二、平安建设", None),
    ("（一）扫黑除恶保平安。全年打掉涉恶团伙3个，破获刑事案件312起，同比下降8.2%。", None),
    ("（二）示范引领创平安", None),
    ("验收命名平安单位市级3个、区级25个；计划新建智慧安防小区20个。", None),
    ("1. 排查整治各类问题隐患300余件", None),
]


def test_word_outline_becomes_sections_points_and_facts(tmp_path):
    p = outline_docx(tmp_path / "材料.docx", OUTLINE)
    out = tmp_path / "spec.yaml"
    r = cli("import", p, "-o", out)
    assert r.returncode == 0, r.stderr
    spec = load_spec(out)
    first, second = spec.sections
    assert (first.topic, first.aim) == ("政法队伍教育整顿", "作风素能大提升")   # the heading already has the formula
    assert second.topic == "【待补：本板块的工作牵引】"
    assert [f.text for f in first.facts] == ["全年开展专题培训12期，培训干警1234人次", "查处违纪违法干警3人"]
    assert [f.source for f in first.facts] == ["材料.docx 第4段", "材料.docx 第4段"]
    assert [p.heading for p in second.points] == ["扫黑除恶保平安", "示范引领创平安"]
    [crime] = second.points[0].facts
    assert crime.text == "全年打掉涉恶团伙3个，破获刑事案件312起，同比下降8.2%"
    gangs, cases = crime.figures
    assert (gangs.label, gangs.value, gangs.unit, gangs.change) == ("打掉涉恶团伙", 3, "个", None)
    assert (cases.label, cases.value, cases.unit, cases.change.direction, cases.change.amount) == (
        "破获刑事案件", 312, "起", "下降", 8.2)
    units = second.points[1].facts
    assert [(f.label, f.value) for f in units[0].figures] == [("验收命名平安单位市级", 3), ("区级", 25)]
    assert units[1].text == "计划新建智慧安防小区20个"
    assert units[2].text == "排查整治各类问题隐患300余件" and units[2].figures[0].approx == "余"
    assert units[2].source == "材料.docx 第9段"
    text = out.read_text(encoding="utf-8")
    assert "材料.docx 第2段：今年以来，我委在区委的正确领导下" in text   # kept for the opening, as a comment
    assert spec.period == 2024


def test_text_outline_and_ledger_merge_into_one_spec(tmp_path):
    txt = tmp_path / "法治科材料.txt"
    txt.write_text("一、法治建设\n全年办理法律援助案件356件。\n开展\"八五\"普法宣传活动120场次。\n\n"
                   "二、宣传工作\n在市级以上媒体刊发稿件45篇\n", encoding="utf-8")
    ledger = standard_ledger(tmp_path / "台账.xlsx")
    out = tmp_path / "spec.yaml"
    r = cli("import", ledger, txt, "-o", out)
    assert r.returncode == 0, r.stderr
    spec = load_spec(out)
    names = list(import_materials([ledger, txt]).gathered.sections)
    assert names == ["平安建设", "队伍建设", "法治建设", "宣传工作"]
    law = spec.sections[2]
    assert [f.source for f in law.facts][-2:] == ["法治科材料.txt 第2段", "法治科材料.txt 第3段"]
    assert spec.sections[3].facts[0].text == "在市级以上媒体刊发稿件45篇"


def test_outline_without_headings_is_one_section_named_after_the_file(tmp_path):
    txt = tmp_path / "信访科.md"
    txt.write_text("受理群众来信来访120件，办结率98%。\n\n化解信访积案8件\n", encoding="utf-8")
    result = import_materials([txt])
    assert list(result.gathered.sections) == ["信访科"]
    assert [f.text for f in result.report.sections[0].facts] == ["受理群众来信来访120件，办结率98%", "化解信访积案8件"]


def test_yaml_writer_keeps_plain_string_facts():
    from drafter import parse_spec
    from tests.helpers import SMALL_SPEC

    report = load_spec(SMALL_SPEC)
    again = parse_spec(spec_yaml(report).text)
    assert again == report


def test_re_import_reads_only_what_the_user_fills_in():
    from drafter.app._import_command import _without_facts

    text = """kind: self_inspection
sections:
  - id: a
    topic: 牵引甲   # 注释
    facts:
    - 一条事实
    # 事实中的注释
    - text: 第二条
      figures:
        - {label: 甲, value: 1}
    points:
      - heading: 小标题
        facts: [一, 二]
    aim: 目标甲
  - id: b
    facts: []
    topic: 牵引乙
closing:
  summary: 总结
"""
    full = yaml.safe_load(text)
    cut = yaml.safe_load(_without_facts(text))
    for s in full["sections"]:
        s.pop("facts", None)
        s.pop("points", None)
    assert cut == full


def test_markdown_headings_are_sections_and_points(tmp_path):
    md = tmp_path / "综治.md"
    md.write_text("# 综治中心2024年工作总结\n\n## 平安建设\n\n### 扫黑除恶\n\n打掉涉恶团伙3个。\n\n"
                  "## 矛盾化解\n\n- 调处矛盾纠纷1426件\n", encoding="utf-8")
    result = import_materials([md])
    assert list(result.gathered.sections) == ["平安建设", "矛盾化解"]
    first, second = result.report.sections
    assert [(p.heading, [f.text for f in p.facts]) for p in first.points] == [("扫黑除恶", ["打掉涉恶团伙3个"])]
    assert [(f.text, f.source) for f in second.facts] == [("调处矛盾纠纷1426件", "综治.md 第11段")]
    assert result.report.period == 2024


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_spec_writer_round_trips_every_example(example):
    """Every field of every kind survives the spec writer (import re-writes specs)."""
    from drafter import load_spec, parse_spec
    from drafter.export import spec_yaml

    report = load_spec(example)
    assert parse_spec(spec_yaml(report).text) == report


@pytest.mark.parametrize("kind", ["self_inspection", "work_summary", "debriefing", "work_plan"])
def test_import_for_each_kind_writes_what_the_kind_needs(tmp_path, kind):
    """A placeholder for each input the kind requires, nothing the kind does not use:
    the imported spec loads, and drafting it flags only the placeholders."""
    from drafter import load_spec

    out = tmp_path / "spec.yaml"
    r = cli("import", standard_ledger(tmp_path / "台账.xlsx"), "-o", out, "--period", "2024", "--kind", kind)
    assert r.returncode == 0, r.stderr
    spec = load_spec(out)
    assert spec.kind == kind
    text = out.read_text(encoding="utf-8")
    if kind == "work_plan":
        assert "results" not in text and "shortcomings" not in text
    if kind == "debriefing":
        assert spec.person is not None and "【待补" in spec.person.name
    d = cli("draft", out, "-o", tmp_path / "d.md")
    assert d.returncode == 1 and "H003" in d.stderr
    assert "内部错误" not in d.stderr
