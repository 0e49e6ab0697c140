"""The composer's seams, one by one: headings, sub-point leads, leads, connectives,
repeated clauses — and a section's own heading through every path that prints it."""

import json

import pytest

from drafter import Drafter, PromptError, Report, load_spec, parse_spec, to_markdown, validate
from drafter._kinds import get_kind
from drafter._pipeline import part_as_it_stands
from drafter._prose import (connect, drop_repeated_clauses, guided_by, is_clause_heading, lead, noun_lead, run_in,
                            trim, with_subject)
from drafter._spec import SubPoint
from helpers import ROOT, SMALL_SPEC, cli

# --- level-1 headings ----------------------------------------------------------------------


@pytest.mark.parametrize("topic, aim, heading", [
    ("政法队伍教育整顿", "作风素能大提升", "坚持以政法队伍教育整顿为牵引，推动作风素能大提升"),
    ("优化提升“四个一”", "治理水平大提升", "坚持以优化提升“四个一”为牵引，推动治理水平大提升"),
    ("党建引领", "政治能力大提升", "坚持党建引领，推动政治能力大提升"),
    ("党建引领基层治理", "治理水平大提升", "坚持党建引领基层治理，推动治理水平大提升"),
    ("以党建引领基层治理", "治理水平大提升", "坚持以党建引领基层治理，推动治理水平大提升"),
    ("以人民为中心", "为民服务大提升", "坚持以人民为中心，推动为民服务大提升"),
    ("以重大项目为牵引", "发展保障大提升", "坚持以重大项目为牵引，推动发展保障大提升"),
    ("重大项目为牵引", "发展保障大提升", "坚持以重大项目为牵引，推动发展保障大提升"),
    ("坚持和发展新时代“枫桥经验”", "基层治理大提升", "坚持和发展新时代“枫桥经验”，推动基层治理大提升"),
    ("创新驱动", "推动高质量发展", "坚持创新驱动，推动高质量发展"),
    ("项目建设", "促进县域经济发展", "坚持以项目建设为牵引，促进县域经济发展"),
    # a word of the formula inside a quotation is a name, not the topic's own grammar
    ("“交通文明引领城市文明”行动", "平安建设大提升", "坚持以“交通文明引领城市文明”行动为牵引，推动平安建设大提升"),
])
def test_heading_formula_reads_well(topic, aim, heading):
    assert formula_heading("self_inspection", topic, aim) == heading


def formula_heading(kind: str, topic: str, aim: str | None) -> str:
    return get_kind(kind).drafting.heading.render(topic=topic, aim=aim)


def test_an_optional_part_is_left_out_when_its_field_is_not_given():
    assert formula_heading("work_plan", "深化医药卫生体制改革", None) == "深化医药卫生体制改革"
    assert formula_heading("work_plan", "深化医药卫生体制改革", "推动优质资源下沉") == "深化医药卫生体制改革，推动优质资源下沉"


HEADED = """
kind: self_inspection
organ: 城固县司法局
period: 2023
opening: {leadership: 在县委的正确领导下, guidance: 认真履行司法行政职能, results: 各项工作稳步推进}
sections:
  - id: own
    topic: 疫情防控
    aim: 防控成效大提升
    heading: {heading}
    facts: [抽调干警120人组建流调工作组]
  - id: formula
    topic: 法治宣传教育
    aim: 全民法治素养大提升
    facts: [开展主题宣传活动86场次]
closing: {summary: 全县司法行政工作稳步推进, shortcomings: [基层力量薄弱], plans: [深化法治宣传教育]}
"""


@pytest.mark.parametrize("typed", ["全力以赴抓好疫情防控", "一、全力以赴抓好疫情防控。", "（一）全力以赴抓好疫情防控", "1. 全力以赴抓好疫情防控"])
def test_a_sections_own_heading_wins_without_its_ordinal_and_stop(typed):
    spec = parse_spec(HEADED.replace("{heading}", typed))
    own, formula = spec.sections
    assert spec.heading_of(own) == "全力以赴抓好疫情防控" and own.own_heading == "全力以赴抓好疫情防控"
    assert spec.heading_of("formula") == "坚持以法治宣传教育为牵引，推动全民法治素养大提升" and formula.own_heading is None
    assert part_as_it_stands(spec, "own", "") == "一、全力以赴抓好疫情防控。"


def test_a_sections_own_heading_reaches_the_draft_the_export_and_the_model_prompts():
    spec = parse_spec(HEADED.replace("{heading}", "全力以赴抓好疫情防控"))
    drafter = Drafter()
    draft = drafter.draft(spec)
    assert draft.part("own").heading == "全力以赴抓好疫情防控"
    md = to_markdown(draft)
    assert "一、全力以赴抓好疫情防控。" in md and "二、坚持以法治宣传教育为牵引，推动全民法治素养大提升。" in md
    user = drafter.messages_for(spec, "own")[1]["content"]
    assert "一、全力以赴抓好疫情防控。" in user
    assert "二、坚持以法治宣传教育为牵引" in user          # the other headings, as context


def test_own_heading_round_trips_as_heading(tmp_path):
    spec = parse_spec(HEADED.replace("{heading}", "全力以赴抓好疫情防控"))
    data = spec.model_dump()
    assert data["sections"][0]["heading"] == "全力以赴抓好疫情防控" and data["sections"][1]["heading"] is None
    again = Report.model_validate(data)
    assert [again.heading_of(s) for s in again.sections] == [spec.heading_of(s) for s in spec.sections]
    assert json.loads(spec.model_dump_json())["sections"][0]["heading"] == "全力以赴抓好疫情防控"


def test_heading_is_in_the_schema_and_a_typo_beside_it_is_still_an_error(tmp_path):
    schema = json.loads(cli("schema").stdout)
    section = schema["$defs"]["Section"]["properties"]
    assert "heading" in section and "own_heading" not in section
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEADED.replace("{heading}", "抓好疫情防控").replace("    heading:", "    headline:"), encoding="utf-8")
    r = cli("draft", str(bad))
    assert r.returncode == 2 and "headline" in r.stderr and "不认识的字段" in r.stderr


def test_a_figure_in_a_sections_own_heading_is_backed_by_it():
    spec = parse_spec(HEADED.replace("{heading}", "全力打好3场攻坚战"))
    draft = Drafter().draft(spec)
    assert "一、全力打好3场攻坚战。" in to_markdown(draft)
    assert [f for f in validate(to_markdown(draft), spec) if f.severity == "error" or f.code == "N008"] == []


def test_a_blank_own_heading_falls_back_to_the_formula():
    spec = parse_spec(HEADED.replace("{heading}", "'。'"))
    assert spec.heading_of(spec.sections[0]) == "坚持以疫情防控为牵引，推动防控成效大提升"


# --- sub-point headings ----------------------------------------------------------------------
CLAUSES = ["扫黑除恶保平安", "夯实基础筑平安", "示范引领创平安", "强化监管护平安", "人民调解强基础", "访调对接解纠纷",
           "学习教育贯穿始终", "查纠整改取得实效", "总结提升巩固成果", "建强三级综治中心", "积极推动试点工作",
           "综合治理守护安宁", "铁路护路联防、见义勇为等工作取得实效", "严守药品安全底线", "作风素能大提升",
           "防范化解重大风险", "稳就业保民生", "优化营商环境"]
NOUNS = ["疫情防控", "安全生产", "安全生产工作", "平安建设", "党风廉政建设", "扫黑除恶", "信访维稳", "乡村振兴",
         "法治宣传教育", "营商环境", "队伍建设", "食品安全", "矛盾纠纷化解", "社会治理", "科技创新", "民生保障"]


@pytest.mark.parametrize("heading", CLAUSES)
def test_a_heading_that_says_something_is_a_lead_sentence(heading):
    assert is_clause_heading(heading)
    assert run_in(SubPoint(heading=heading, facts=["全年排查隐患486件"])) == [heading + "。", "全年排查隐患486件。"]


@pytest.mark.parametrize("heading", NOUNS)
def test_a_noun_phrase_heading_runs_into_its_first_sentence(heading):
    assert not is_clause_heading(heading)
    out = run_in(SubPoint(heading=heading, facts=["全年排查隐患486件", "整改到位"]))
    assert out == [noun_lead(heading) + "全年排查隐患486件，整改到位。"]
    assert out[0].startswith(f"在{heading}")


def test_noun_leads_follow_the_data():
    assert noun_lead("疫情防控") == "在疫情防控方面，"
    assert noun_lead("安全生产工作") == "在安全生产工作中，"


def test_a_noun_phrase_heading_without_facts_is_still_a_sentence():
    assert run_in(SubPoint(heading="矛盾纠纷化解")) == ["扎实推进矛盾纠纷化解工作。"]
    assert run_in(SubPoint(heading="安全生产工作")) == ["扎实推进安全生产工作。"]
    assert run_in(SubPoint(heading="扫黑除恶保平安")) == ["扫黑除恶保平安。"]


def test_a_kind_can_number_its_sub_points_in_its_own_scaffold(tmp_path):
    """A kind that writes （一）… sub-headings (work_summary) needs only its scaffold."""
    folder = tmp_path / "p" / "self_inspection" / "scaffold"
    folder.mkdir(parents=True)
    (folder / "section.j2").write_text(
        "{{ ([section.intro] + section.facts) | sentences | join }}"
        "{% for point in section.points %}（{{ loop.index | ordinal }}）{{ point.heading | clause }}。"
        "{{ point.facts | sentences | join }}{% endfor %}", encoding="utf-8")
    spec = load_spec(ROOT / "tests/corpus/composer/heading-topics.yaml")
    text = Drafter(prompts_dir=str(tmp_path / "p")).draft(spec).part("own-heading").text
    assert text.startswith("（一）疫情防控。抽调政法干警120人组建流调工作组，排查重点人员3400余人。（二）安全生产工作。")
    assert "（六）建强网格员队伍。" in text


# --- leads, trims, subjects ---------------------------------------------------------------------
@pytest.mark.parametrize("summary, written", [
    ("全区政法工作统筹推进", "一年来，全区政法工作统筹推进"),
    ("一年来，全区政法工作统筹推进", "一年来，全区政法工作统筹推进"),
    ("过去一年，全区政法工作统筹推进", "过去一年，全区政法工作统筹推进"),
    ("今年以来，全区政法工作统筹推进", "今年以来，全区政法工作统筹推进"),
    ("2023年，全区政法工作统筹推进", "2023年，全区政法工作统筹推进"),
])
def test_summary_lead(summary, written):
    assert lead(summary, "summary") == written


@pytest.mark.parametrize("plans, written", [
    ("持续壮大村级集体经济", "新的一年，我们将持续壮大村级集体经济"),
    ("我们将持续壮大村级集体经济", "新的一年，我们将持续壮大村级集体经济"),
    ("下一步，我们将持续壮大村级集体经济", "下一步，我们将持续壮大村级集体经济"),
    ("2024年，我局将持续壮大村级集体经济", "2024年，我局将持续壮大村级集体经济"),
    ("下一步，持续壮大村级集体经济", "下一步，我们将持续壮大村级集体经济"),
])
def test_plans_lead(plans, written):
    assert lead(plans, "plans") == written


def test_period_lead_and_trims():
    assert lead("在区委的正确领导下", "period", period=2021) == "2021年，在区委的正确领导下"
    assert lead("2021年以来，在区委的正确领导下", "period", period=2021) == "2021年以来，在区委的正确领导下"
    assert trim("但产业结构仍较单一", "shortcoming") == "产业结构仍较单一"
    assert trim("但是，产业结构仍较单一", "shortcoming") == "产业结构仍较单一"
    assert trim("但", "shortcoming") == "但"          # never trimmed to nothing


def test_an_unknown_lead_in_a_user_template_is_a_prompt_error(tmp_path):
    folder = tmp_path / "p" / "self_inspection" / "scaffold"
    folder.mkdir(parents=True)
    (folder / "closing.j2").write_text("{{ report.closing.summary | lead('no_such') }}。", encoding="utf-8")
    with pytest.raises(PromptError, match="no_such"):
        Drafter(prompts_dir=str(tmp_path / "p")).draft(load_spec(SMALL_SPEC))


@pytest.mark.parametrize("leadership, guidance, written", [
    ("在区委的正确领导下", "认真落实工作要求", "在区委的正确领导下，某局认真落实工作要求"),
    ("在区委的正确领导下", "坚持以人民为中心", "在区委的正确领导下，某局坚持以人民为中心"),
    ("在区委的正确领导下", "以党建为引领，统筹推进各项工作", "在区委的正确领导下，某局以党建为引领，统筹推进各项工作"),
    ("在县委的正确领导下", "镇党委、镇政府坚持稳中求进", "在县委的正确领导下，镇党委、镇政府坚持稳中求进"),
    ("在县委的正确领导下", "全镇上下凝心聚力", "在县委的正确领导下，全镇上下凝心聚力"),
    ("在县委的正确领导下", "某局认真落实工作要求", "在县委的正确领导下，某局认真落实工作要求"),
    ("在县委的正确领导下，某局", "认真落实工作要求", "在县委的正确领导下，某局认真落实工作要求"),
])
def test_the_organ_is_written_once(leadership, guidance, written):
    assert guided_by(leadership, guidance, "某局") == written


def test_honours_take_the_subject_only_when_they_lack_one():
    assert with_subject(["被评为先进区", "被表彰为平安区"], "南郑区") == "南郑区被评为先进区，被表彰为平安区"
    assert with_subject(["荣获全省先进集体"], "南郑区") == "南郑区荣获全省先进集体"
    assert with_subject(["我区荣获全省先进集体"], "南郑区") == "我区荣获全省先进集体"
    assert with_subject([], "南郑区") == ""


# --- repeated clauses and connectives -----------------------------------------------------------
@pytest.mark.parametrize("text, clean", [
    ("一年来，一年来，全区政法工作统筹推进。", "一年来，全区政法工作统筹推进。"),
    ("加强组织领导，加强组织领导。完善机制。", "加强组织领导。完善机制。"),
    ("加强组织领导。加强组织领导，完善机制。", "加强组织领导。完善机制。"),
    ("开展“同部署，同部署”活动，推进工作。", "开展“同部署，同部署”活动，推进工作。"),   # a quotation is the user's
    ("加强领导，完善机制，加强领导。", "加强领导，完善机制，加强领导。"),             # not back to back
])
def test_no_clause_repeated_back_to_back(text, clean):
    assert drop_repeated_clauses(text) == clean


LONG = ("健全工作机制。全年排查隐患486件。加强组织领导。完善考核办法。扎实开展专项整治，检查单位120家。"
        "加强宣传引导。深入开展法治宣传。")


def test_connectives_are_sparing():
    out = connect(LONG, seed=0)
    added = [w for w in ("同时，", "在此基础上，", "此外，") if w in out]
    assert len(added) == 1 and out.replace(added[0], "") == LONG
    assert connect("加强组织领导。完善考核办法。扎实开展专项整治。", seed=0) == "加强组织领导。完善考核办法。扎实开展专项整治。"


def test_a_connective_the_paragraph_holds_is_not_added_again():
    text = LONG.replace("加强宣传引导。", "同时，加强宣传引导。")
    for seed in range(3):
        out = connect(text, seed=seed)
        assert out.count("同时") == 1 and out.count("，") - text.count("，") <= 1


def test_no_connective_at_a_sub_point_boundary():
    text = "健全工作机制。扫黑除恶保平安。加强组织领导。完善考核办法。扎实开展专项整治。加强宣传引导。"
    for seed in range(3):
        out = connect(text, seed=seed, headings=["扫黑除恶保平安"], starts=["扫黑除恶保平安。"])
        assert "平安。加强组织领导" in out
