"""The sentence planner: a user's facts grouped into sentences where the meaning ends."""

import itertools
import re

import pytest

from drafter import Drafter, load_spec
from drafter._prompts import render
from drafter._sentences import plan, shape
from helpers import REFERENCE_SPEC, ROOT

COMPOSER_CORPUS = ROOT / "tests" / "corpus" / "composer"


def test_short_facts_of_one_action_join_with_commas():
    assert plan(["制定年度普法计划", "明确普法责任清单", "建立普法工作台账"]) == [
        "制定年度普法计划，明确普法责任清单，建立普法工作台账。"]


@pytest.mark.parametrize("lead_in", [
    "围绕民法典实施，开展专题宣讲46场次",
    "通过开展自查自纠、组织查处，共受理并查结举报线索23件",
    "按照专班抓总、部门落实的工作机制，构建协同作战体系",
    "坚持源头预防，累计开展公共安全集中统一行动24次",
    "以“宪法宣传周”为契机，组织集中宣传活动12场",
    "在疫情防控期间，通过微信公众号推送防疫法律知识120期",
    "聚焦重点产品质量安全，开展专项检查",
])
def test_a_lead_in_starts_a_new_sentence(lead_in):
    out = plan(["健全三级调解组织网络", lead_in])
    assert out == ["健全三级调解组织网络。", lead_in + "。"]


def test_a_lead_in_is_not_found_inside_a_quotation():
    out = plan(["健全三级调解组织网络", "“坚持”主题宣讲覆盖全部村组"])
    assert len(out) == 1


@pytest.mark.parametrize("new_action", ["扎实开展禁毒铲种行动", "加强禁毒宣传教育", "严格选人用人，推动47名干部轮岗交流"])
def test_a_new_action_after_a_result_starts_a_new_sentence(new_action):
    out = plan(["加大打击电信网络诈骗力度，冻结资金260余万", new_action])
    assert out == ["加大打击电信网络诈骗力度，冻结资金260余万。", new_action + "。"]


def test_a_completion_is_a_result_too():
    out = plan(["认真落实“两个责任”", "顺利完成区委巡察反馈问题整改任务", "持续强化政治引领"])
    assert out == ["认真落实“两个责任”，顺利完成区委巡察反馈问题整改任务。", "持续强化政治引领。"]


def test_measures_before_any_result_stay_in_one_sentence():
    facts = ["坚决确保政治安全", "扎实开展去存控增攻坚行动", "认真实施“四大工程”", "加强国家安全人民防线建设，全年召开会议4次"]
    assert plan(facts) == ["，".join(facts) + "。"]


def test_parallel_figures_of_one_action_join():
    facts = ["通过开展自查自纠，共受理举报线索23件", "开展涉黑涉恶案件倒查4个", "交叉评查重点案件136件"]
    assert plan(facts) == ["，".join(facts) + "。"]


def test_parallel_results_with_clauses_of_their_own_join_with_a_semicolon():
    out = plan(["破案攻坚能力显著提升", "全年新发刑事案件312起，同比下降8.2%", "破获刑事案件186起，同比上升6.5%"])
    assert out == ["破案攻坚能力显著提升，全年新发刑事案件312起，同比下降8.2%；破获刑事案件186起，同比上升6.5%。"]


def test_a_continuation_joins_the_action_it_reports_on():
    out = plan(["强化反邪教工作", "全年共教育转化重点人员5名，占任务100%", "累计完成风险评估备案项目42个"])
    assert len(out) == 1 and out[0].startswith("强化反邪教工作，全年共")


def test_a_fact_typed_as_a_sentence_stands_alone():
    out = plan(["加强信用监管", "推动个体工商户转型升级为企业。", "修复企业信用记录210条"])
    assert out == ["加强信用监管。", "推动个体工商户转型升级为企业。", "修复企业信用记录210条。"]


def test_a_long_statement_with_its_own_subject_starts_a_sentence():
    statement = "政法委专班在城市更新改造项目中驻点保障法治环境，工作得到区委主要领导肯定和各方面一致好评"
    out = plan(["启动实施扫黑除恶常态化专项行动", statement])
    assert out == ["启动实施扫黑除恶常态化专项行动。", statement + "。"]


def test_a_fact_of_two_sentences_stays_whole_and_ends_with_a_stop():
    assert plan(["加强组织领导", "健全工作机制。完善考核办法", "强化督导检查"]) == [
        "加强组织领导。", "健全工作机制。完善考核办法。", "强化督导检查。"]


def test_a_fact_of_punctuation_only_is_dropped():
    assert plan(["。", "，", "加强组织领导"]) == ["加强组织领导。"]


def test_a_users_own_semicolon_and_commas_are_kept():
    fact = "全年抽检食品2860批次，合格率97.8%；核查处置不合格食品63批次"
    assert plan([fact]) == [fact + "。"]


def test_trailing_punctuation_of_a_fact_is_the_planners_to_set():
    assert plan(["加强组织领导，", "完善工作机制；"]) == ["加强组织领导，完善工作机制。"]


def test_a_long_run_of_facts_is_cut_at_a_fact_boundary():
    facts = [f"深入开展第{'一二三四五六七八九十'[i]}批次专项整治工作并同步建立工作台账" for i in range(10)]
    out = plan(facts)
    assert len(out) > 1
    assert all(len(s) <= 150 + 1 for s in out)
    assert "".join(out).replace("。", "，").rstrip("，") == "，".join(facts)


def test_lead_goes_in_front_of_the_first_sentence_only():
    assert plan(["抽调干警120人组建流调工作组"], lead="在疫情防控方面，") == ["在疫情防控方面，抽调干警120人组建流调工作组。"]
    assert plan([], lead="在疫情防控方面，") == []


def _facts_of(spec):
    for s in spec.sections:
        yield [f for f in ([s.intro] if s.intro else []) + list(s.facts)]
        for p in s.points:
            yield list(p.facts)


def _all_fact_lists():
    for path in [REFERENCE_SPEC, *sorted(COMPOSER_CORPUS.glob("*.yaml"))]:
        yield from _facts_of(load_spec(path))


def _text(f):
    return f if isinstance(f, str) else f.text


def test_facts_are_never_split_reordered_or_reworded():
    """Over every fact list of the corpora, in order and reversed: the sentences hold
    exactly the facts, in order; only the marks between them change."""
    strip = re.compile(r"[，；。,;]")
    for facts in _all_fact_lists():
        for order in (facts, facts[::-1]):
            out = plan(order)
            assert strip.sub("", "".join(out)) == strip.sub("", "".join(_text(f) for f in order))
            for f in order:   # each fact stands whole inside one sentence
                body = _text(f).rstrip("。；，")
                assert any(body in s for s in out), body


def test_every_sentence_ends_once_and_never_with_a_dangling_mark():
    for facts in _all_fact_lists():
        for s in plan(facts):
            assert s.endswith("。") and not s.endswith(("，。", "；。"))


def test_planning_is_deterministic():
    for facts in itertools.islice(_all_fact_lists(), 12):
        assert plan(facts) == plan(list(facts))


def test_shape_ignores_words_inside_quotations():
    assert shape("开展“取得实效”主题活动").result is False
    assert shape("“平安南郑”微信全年发布信息286期").opener == "other"
    assert shape("坚持以平安单位创建为抓手").opener == "lead_in"
    assert shape("全年共受理群众来信来访86件").opener == "continuation"
    assert shape("扎实开展为民办实事实践活动").opener == "manner"
    assert shape("加强禁毒工作").opener == "measure"


def test_sentences_filter_keeps_its_length_argument_for_user_templates(tmp_path):
    folder = tmp_path / "p" / "self_inspection" / "scaffold"
    folder.mkdir(parents=True)
    (folder / "section.j2").write_text("{{ section.facts | sentences(40) | join }}", encoding="utf-8")
    spec = load_spec(REFERENCE_SPEC)
    section = spec.section("party-building")
    text = render("self_inspection", "scaffold/section.j2", user_dir=str(tmp_path / "p"), report=spec, section=section)
    default = render("self_inspection", "scaffold/section.j2", report=spec, section=section)
    assert text.count("。") > default.count("。")
    Drafter(prompts_dir=str(tmp_path / "p")).draft(spec)   # drafts with the user's scaffold


@pytest.mark.parametrize("planned", ["拟投资1200万元建设智慧监管平台", "计划2025年新建快检室6个",
                                     "年度目标为新增个体工商户5000户", "力争明年接待游客突破1500万人次"])
def test_a_plan_after_what_was_done_starts_a_new_sentence(planned):
    out = plan(["完成食品安全监督抽检4860批次，合格率98.2%", planned, "全年新增个体工商户5320户"])
    assert out == ["完成食品安全监督抽检4860批次，合格率98.2%。", planned + "，全年新增个体工商户5320户。"]


def test_a_plan_word_inside_a_word_is_no_plan():
    assert plan(["完成年度计划的106%", "按计划完成改造12个"]) == ["完成年度计划的106%，按计划完成改造12个。"]
