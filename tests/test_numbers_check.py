"""Family "numbers": every figure in the text is backed by the input — in any
notation, with the same unit, direction, kind of percentage and honesty."""

import pytest

from drafter import Evidence
from drafter.validators import _numbers_check
from helpers import run_family

FACTS = [
    "全年新发刑事案件312起，同比下降8.2%",
    "破获刑事案件186起，破案率同比提高3.5个百分点",
    "累计集体学习120余次",
    "全区612名政法干警参与率100%",
    "安装国家反诈中心APP 12000人",
    "拟新建平安单位5个",
    "覆盖群众1.2万人次",
]


def check(text):
    found = run_family(_numbers_check, text, evidence=Evidence.from_facts(FACTS))
    return [(f.code, f.excerpt) for f in found if f.code != "N008"]


@pytest.mark.parametrize("text", [
    "全年新发刑事案件三百一十二起，同比下降百分之八点二。",
    "全年新发刑事案件312起，同比下降8.2%。",
    "破获刑事案件一百八十六起，破案率同比提高3.5个百分点。",
    "累计集体学习120余次。",
    "全区六百一十二名政法干警参与学习，参与率达百分之百。".replace("百分之百", "100%"),
    "安装反诈APP1.2万人，覆盖群众12000人次。",
    "全区612人参与。",                       # 名 and 人 both count people
    "全年新发刑事案件300余起。",               # honest: 312 is 300-some
    "全年新发刑事案件300多起。",
    "近190起案件告破。",                     # honest: 186 is nearly 190
    "约310起。",
    "拟新建平安单位5个。",                    # a plan stays a plan
    "2021年，第一批事项已于3月15日完成，〔2021〕15号文件印发。",  # no figures at all
    "紧扣“三安”目标，落实“三会一课”，学习十九届六中全会精神。",
])
def test_backed_text_is_clean(text):
    assert check(text) == []


@pytest.mark.parametrize("text,code,excerpt", [
    ("全年新发刑事案件999起。", "N001", "999起"),
    ("新增案件三百起。", "N001", "三百起"),
    ("全年新发刑事案件312件。", "N002", "312件"),
    ("全年新发刑事案件312起，同比上升8.2%。", "N003", "8.2%"),
    ("破案率同比提高3.5%。", "N004", "3.5%"),
    ("发案同比下降8.2个百分点。", "N004", "8.2个百分点"),
    ("全年新发刑事案件400余起。", "N005", "400余起"),
    ("近300起案件告破。", "N005", "近300起"),
    ("累计集体学习120次。", "N006", "120次"),
    ("已建成平安单位5个。", "N007", "5个"),
])
def test_defects_are_errors(text, code, excerpt):
    assert check(text) == [(code, excerpt)]


def test_unused_input_figures_are_warnings_with_their_path():
    ev = Evidence.from_facts(["全年新发刑事案件312起", "破获刑事案件186起"])
    found = run_family(_numbers_check, "全年新发刑事案件312起。", evidence=ev)
    assert [(f.code, f.severity, f.message, f.fact) for f in found] == [
        ("N008", "warning", "输入中的数字“186起”（facts:2：破获刑事案件186起）正文没有用到", "facts:2")]


def test_without_evidence_numbers_are_not_judged():
    assert run_family(_numbers_check, "全年新发刑事案件999起。") == []


def test_suggestion_names_the_input_figure():
    found = run_family(_numbers_check, "全年新发刑事案件312起，同比上升8.2%。",
                       evidence=Evidence.from_facts(FACTS))
    f = next(f for f in found if f.code == "N003")
    assert f.suggestion == "改为“下降”" and "同比下降8.2%" in f.message
