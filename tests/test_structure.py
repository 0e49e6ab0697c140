"""Structure family: title, opening and transition, ordinals and their hierarchy,
parallel headings, closing — in plain text and Markdown, whole documents and fragments.
Also the speed of the three text families together."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from drafter._findings import FindingMaker
from drafter.validators import _hygiene, _register, _structure
from drafter.validators._context import CheckContext

CORPUS = Path(__file__).parent / "corpus"

TITLE = "2021年目标任务考核完成情况自查报告"
OPENING = "2021年，区委政法委认真履职，各项工作取得明显成效。现将全年目标任务考核完成情况自查报告如下。"
S1 = "一、坚持以政法队伍教育整顿为牵引，推动作风素能大提升。全年开展集中学习36次。"
S2 = "二、坚持以党的建设为牵引，推动政治能力大提升。全年开展主题党日12次。"
S3 = "三、坚持以强化基层基础为牵引，推动平安建设大提升。全年排查整治问题隐患120件。"
CLOSING = "一年来，全区政法工作取得明显成效，但还存在特色不够突出等不足。新的一年，我们将持续推动政法工作高质量发展。"


def doc(*lines: str) -> str:
    return "\n".join(lines)


GOOD = doc(TITLE, OPENING, S1, S2, S3, CLOSING)


def check(text: str, **kw) -> list:
    ctx = CheckContext(text=text, make=FindingMaker(text), **kw)
    return sorted(_structure.check(ctx), key=lambda f: (f.start, f.code))


def codes(text: str, **kw) -> list[tuple[str, str]]:
    return [(f.code, f.excerpt) for f in check(text, **kw)]


def test_well_formed_plain_document_is_clean():
    assert check(GOOD) == []


@pytest.mark.parametrize("name", ["clean_plain.txt", "clean_markdown.md"])
def test_clean_documents_yield_nothing_from_any_text_family(name):
    text = (CORPUS / "structure" / name).read_text(encoding="utf-8")
    ctx = CheckContext(text=text, make=FindingMaker(text))
    assert [*_register.check(ctx), *_hygiene.check(ctx), *_structure.check(ctx)] == []


# --- title -----------------------------------------------------------------------------


def test_missing_title():
    found = check(doc(OPENING, S1, S2, S3, CLOSING))
    assert [f.code for f in found] == ["S001"]
    assert found[0].line == 1 and found[0].severity == "error"


def test_document_starting_with_a_section_has_no_title_and_no_opening():
    assert [c for c, _ in codes(doc(S1, S2, S3, CLOSING))] == ["S001", "S004"]


def test_title_without_the_document_type():
    assert codes(doc("2021年工作总结", OPENING, S1, S2, S3, CLOSING)) == [("S002", "2021年工作总结")]


def test_title_ending_with_punctuation():
    (f,) = check(doc(TITLE + "。", OPENING, S1, S2, S3, CLOSING))
    assert (f.code, f.excerpt, f.suggestion, f.severity) == ("S003", "。", TITLE, "warning")


def test_markdown_title_and_headings():
    text = doc(f"# {TITLE}", "", OPENING, "", f"## {S1}", "", f"## **{S2}**", "", f"### {S3}", "", CLOSING)
    assert check(text) == []


# --- opening and transition -------------------------------------------------------------


def test_missing_opening():
    found = check(doc(TITLE, S1, S2, S3, CLOSING))
    assert [(f.code, f.excerpt) for f in found] == [("S004", "一、")]


def test_missing_transition_sentence():
    found = check(doc(TITLE, "2021年，区委政法委认真履职，各项工作取得明显成效。", S1, S2, S3, CLOSING))
    assert [(f.code, f.line) for f in found] == [("S005", 2)]
    assert "现将……报告如下" in found[0].message


@pytest.mark.parametrize("transition", ["现将有关情况汇报如下：", "现报告如下。", "具体情况报告如下："])
def test_transition_variants(transition):
    assert check(doc(TITLE, "2021年，区委政法委认真履职。" + transition, S1, S2, S3, CLOSING)) == []


def test_addressee_line_is_not_the_opening():
    assert check(doc(TITLE, "市委政法委：", OPENING, S1, S2, S3, CLOSING)) == []
    assert [c for c, _ in codes(doc(TITLE, "市委政法委：", S1, S2, S3, CLOSING))] == ["S004"]


# --- ordinals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, excerpt, suggestion",
    [
        ("一.坚持以党的建设为牵引，推动政治能力大提升。", "一.", "一、"),
        ("一，坚持以党的建设为牵引，推动政治能力大提升。", "一，", "一、"),
        ("一：坚持以党的建设为牵引，推动政治能力大提升。", "一：", "一、"),
        ("一 坚持以党的建设为牵引，推动政治能力大提升。", "一 ", "一、"),
    ],
)
def test_wrong_mark_after_a_first_level_ordinal_is_an_error(line, excerpt, suggestion):
    found = check(doc(TITLE, OPENING, line, S2, S3, CLOSING))
    assert [(f.code, f.excerpt, f.suggestion, f.severity) for f in found] == [("S006", excerpt, suggestion, "error")]


@pytest.mark.parametrize(
    "line, excerpt, suggestion",
    [
        ("（一）、加强学习。", "（一）、", "（一）"),
        ("(一)加强学习。", "(一)", "（一）"),
        ("（一)加强学习。", "（一)", "（一）"),
        ("一）加强学习。", "一）", "（一）"),
    ],
)
def test_wrong_second_level_ordinal(line, excerpt, suggestion):
    found = check(doc(TITLE, OPENING, S1, line, "（二）强化培训。", S2, S3, CLOSING))
    assert [(f.code, f.excerpt, f.suggestion) for f in found] == [("S006", excerpt, suggestion)]


@pytest.mark.parametrize(
    "line, excerpt, suggestion",
    [("1、组织培训。", "1、", "1."), ("1，组织培训。", "1，", "1."), ("(1)组织培训。", "(1)", "（1）")],
)
def test_wrong_third_and_fourth_level_ordinal(line, excerpt, suggestion):
    nxt = "2.开展考核。" if "(" not in line else "（2）开展考核。"
    sub = ["（一）加强学习。"] + (["1.组织学习。"] if "(" in line else [])
    found = check(doc(TITLE, OPENING, S1, *sub, line, nxt, S2, S3, CLOSING))
    assert [(f.code, f.excerpt, f.suggestion) for f in found] == [("S006", excerpt, suggestion)]


def test_gap_in_ordinals():
    found = check(doc(TITLE, OPENING, S1, S3.replace("三、", "三、"), CLOSING))
    assert [(f.code, f.excerpt, f.suggestion) for f in found] == [("S007", "三、", "二、")]
    assert "此处应为“二、”" in found[0].message


def test_repeated_ordinal_is_one_finding():
    found = check(doc(TITLE, OPENING, S1, S2, S2, S3.replace("三、", "三、"), CLOSING))
    assert [(f.code, f.line, f.suggestion) for f in found] == [("S007", 5, "三、")]


def test_sub_ordinals_restart_under_each_section_and_must_start_at_one():
    ok = doc(TITLE, OPENING, S1, "（一）学习。", "（二）培训。", S2, "（一）党建。", S3, CLOSING)
    assert check(ok) == []
    bad = doc(TITLE, OPENING, S1, "（二）学习。", S2, S3, CLOSING)
    assert codes(bad) == [("S007", "（二）")]


def test_arabic_ordinal_directly_under_the_first_level_is_accepted():
    assert check(doc(TITLE, OPENING, S1, "1.加强学习。", "2.强化培训。", S2, S3, CLOSING)) == []


def test_skipped_level_is_a_warning():
    found = check(doc(TITLE, OPENING, S1, "（1）加强学习。", "（2）强化培训。", S2, S3, CLOSING))
    assert [(f.code, f.excerpt, f.severity) for f in found] == [("S008", "（1）", "warning")]
    assert "1." in found[0].message


def test_second_level_before_the_first_section_is_a_skipped_level():
    found = check(doc(TITLE, OPENING, "（一）总体情况。", S1, S2, S3, CLOSING))
    assert [(f.code, f.excerpt) for f in found] == [("S008", "（一）")]


def test_text_whose_outermost_level_is_the_second_is_fine():
    text = doc(TITLE, OPENING, "（一）加强学习。", "（二）强化培训。", CLOSING)
    assert check(text) == []


@pytest.mark.parametrize(
    "line",
    [
        "一年来，全区政法工作统筹推进。",
        "十四运会期间安保维稳任务圆满完成。",
        "二十大安保任务圆满完成。",
        "四个一社会治理体系不断完善。",
        "九大行动扎实推进。",
        "1.5万人参加培训。",
        "2021年，全区社会大局平安稳定。",
        "3月份开展专项行动。",
        "一是加强学习；二是强化培训。",
    ],
)
def test_words_and_numbers_at_a_line_start_are_not_ordinals(line):
    assert check(doc(TITLE, OPENING, S1, line, S2, S3, CLOSING)) == []


def test_paywall_marker_before_an_ordinal_is_skipped():
    assert check(doc(TITLE, OPENING, S1, "##paidbegin##" + S2, S3, CLOSING + "##paidend##")) == []


# --- parallel headings ------------------------------------------------------------------


def test_heading_not_parallel_with_the_others_is_a_warning():
    odd = "三、加强基层基础建设。全年排查整治问题隐患120件。"
    found = check(doc(TITLE, OPENING, S1, S2, odd, CLOSING))
    assert [(f.code, f.excerpt, f.severity) for f in found] == [("S009", "加强基层基础建设", "warning")]


def test_no_parallel_finding_when_most_headings_differ():
    text = doc(TITLE, OPENING, "一、加强学习。内容。", "二、强化培训。内容。", S3, CLOSING)
    assert check(text) == []


def test_closing_section_heading_is_not_held_to_the_parallel_form():
    text = doc(TITLE, OPENING, S1, S2, S3, "四、存在的问题和下一步打算", "工作中还存在不足。下一步，我们将继续努力。")
    assert check(text) == []


# --- closing ----------------------------------------------------------------------------


def test_closing_without_shortcomings():
    found = check(doc(TITLE, OPENING, S1, S2, S3, "新的一年，我们将持续推动政法工作高质量发展。"))
    assert [f.code for f in found] == ["S010"]


def test_closing_without_plans():
    found = check(doc(TITLE, OPENING, S1, S2, S3, "一年来，工作取得成效，但还存在一些不足。"))
    assert [f.code for f in found] == ["S011"]


def test_no_closing_at_all():
    found = check(doc(TITLE, OPENING, S1, S2, S3))
    assert [f.code for f in found] == ["S010", "S011"]
    assert all(f.severity == "error" for f in found)


def test_signature_and_date_after_the_closing_are_skipped():
    assert check(doc(TITLE, OPENING, S1, S2, S3, CLOSING, "", "xx区委政法委", "2021年12月20日")) == []


@pytest.mark.parametrize("plan", ["下一步，我们将继续努力。", "明年，我们将继续努力。", "2022年，我们将继续努力。", "20xx年，我们将继续努力。"])
def test_plan_variants(plan):
    assert check(doc(TITLE, OPENING, S1, S2, S3, "工作中还存在差距。" + plan)) == []


# --- fragments --------------------------------------------------------------------------


def test_fragment_skips_document_rules_but_checks_ordinals():
    fragment = doc(S3, "（一）扫黑除恶保平安。", "（三）夯实基础筑平安。")
    assert codes(fragment, fragment=True) == [("S007", "（三）")]
    assert check(doc(S3, "（一）扫黑除恶保平安。", "（二）夯实基础筑平安。"), fragment=True) == []


def test_fragment_of_sub_points_only():
    assert check("（一）加强学习。\n（二）强化培训。", fragment=True) == []


def test_unknown_kind_gets_only_the_ordinal_rules():
    text = doc("关于加强学习的通知", "一、总体要求。", "三、工作安排。")
    assert codes(text, kind="notice") == [("S007", "三、")]


# --- speed ------------------------------------------------------------------------------


def test_three_text_families_are_linear():
    reference = (CORPUS / "reference-2021.txt").read_text(encoding="utf-8")

    def rate(text: str) -> float:
        best = float("inf")
        for _ in range(3):  # the best of three: a loaded machine slows single runs
            ctx = CheckContext(text=text, make=FindingMaker(text))
            t0 = time.perf_counter()
            _register.check(ctx), _hygiene.check(ctx), _structure.check(ctx)
            best = min(best, time.perf_counter() - t0)
        return len(text.encode("utf-8")) / best

    small, large = rate(reference * 3), rate(reference * 30)
    assert large > small / 3  # ten times the text takes nowhere near a hundred times as long


def test_closing_in_two_paragraphs_before_a_closing_formula():
    text = doc(TITLE, OPENING, S1, S2, S3, "一年来，工作中还存在一些不足。", "新的一年，我们将继续努力。", "特此报告。")
    assert check(text) == []


def test_header_lines_and_a_title_over_two_lines():
    text = doc("中共xx区委政法委员会", "xx区委政法委关于2021年目标任务考核", "完成情况的自查报告", OPENING, S1, S2, S3, CLOSING)
    assert check(text) == []


def test_closing_section_must_say_something_beyond_its_heading():
    text = doc(TITLE, OPENING, S1, S2, S3, "四、存在的问题和下一步打算", "全年工作取得了明显成效。")
    assert [f.code for f in check(text)] == ["S010", "S011"]


# --- documents as they are written ---------------------------------------------------------


def test_heading_text_may_start_with_a_digit():
    text = doc(TITLE, OPENING, "一、2024年工作完成情况", "全年开展集中学习36次。", "二、2025年工作打算",
               "工作中还存在不足。下一步，我们将继续努力。")
    assert check(text) == []


@pytest.mark.parametrize("opening", [
    "2021年，区委政法委认真履职。现就全年目标任务考核完成情况报告如下：",
    "2021年，区委政法委认真履职。现将全年目标任务考核完成情况报告\n如下：",
    "2021年，区委政法委认真履职。现将全年目标任务考核完成情况\n报告如下。",
])
def test_opening_formula_in_other_words_or_over_a_line_break(opening):
    assert check(doc(TITLE, opening, S1, S2, S3, CLOSING)) == []


def test_shortcomings_and_plans_may_be_sections_of_their_own():
    text = doc(TITLE, OPENING, S1, S2, "三、存在的问题和不足", "一是基层基础还有短板；二是队伍能力有差距。",
               "四、2022年工作打算", "2022年，区委政法委将持续深化平安建设。")
    assert check(text) == []
    text = doc(TITLE, OPENING, S1, S2, "三、存在的问题和不足", "一是基层基础还有短板；二是队伍能力有差距。",
               "四、2022年工作打算", "1.持续深化平安建设。", "2.着力提升治理效能。")
    assert check(text) == []
    # …but a section that only names them does not say them
    empty = doc(TITLE, OPENING, S1, S2, "三、存在的问题和不足", "四、2022年工作打算", "下一步，继续深化平安建设。")
    assert [f.code for f in check(empty)] == ["S010"]


def test_missing_ordinal_is_reported_at_the_heading_that_lacks_it():
    text = doc(TITLE, OPENING, S1, "坚持以党的建设为牵引，推动政治能力大提升", "全年开展主题党日12次。", S3, CLOSING)
    found = check(text)
    assert [(f.code, f.line, f.excerpt) for f in found] == [
        ("S012", 4, "坚持以党的建设为牵引，推动政治能力大提升")]
    assert "此处应为“二、”" in found[0].message and found[0].severity == "error"


def test_missing_ordinal_in_markdown_and_its_sub_items_count_anew():
    text = doc(f"# {TITLE}", "", OPENING, "", "## 一、加强学习", "", "1. 组织培训。", "", "2. 开展考核。", "",
               "## 强化队伍建设", "", "1. 选派干部。", "", "2. 轮岗交流。", "", "## 三、存在的问题和下一步打算", "",
               "工作中还存在不足。下一步，我们将继续努力。")
    assert [(f.code, f.excerpt) for f in check(text)] == [("S012", "强化队伍建设")]


def test_closing_heading_without_its_ordinal():
    text = doc(TITLE, OPENING, S1, S2, S3, "存在的问题和下一步打算",
               "一年来，工作还存在一些不足。新的一年，我们将持续推动政法工作高质量发展。")
    assert [(f.code, f.excerpt) for f in check(text)] == [("S012", "存在的问题和下一步打算")]


def test_signature_after_the_last_section_is_no_heading():
    assert check(doc(TITLE, OPENING, S1, S2, S3, CLOSING, "", "华阳区委政法委", "2021年12月20日")) == []


def test_top_level_restarted_inside_a_section_is_one_error():
    text = doc(TITLE, OPENING, S1, S2, "一、加强学习。", "二、强化培训。", "三、狠抓落实。", S3, CLOSING)
    found = check(text)
    assert [(f.code, f.line, f.suggestion, f.severity) for f in found] == [("S013", 5, "（一）", "error")]
    assert "“二、”之下的“一、”" in found[0].message


def test_restart_inside_a_sub_section_suggests_the_level_below_it():
    text = doc(TITLE, OPENING, S1, "（一）加强学习。", "一、组织培训。", "（二）强化培训。", S2, S3, CLOSING)
    assert [(f.code, f.suggestion) for f in check(text)] == [("S013", "1.")]


def test_one_mislabelled_ordinal_is_one_finding():
    text = doc(TITLE, OPENING, S1, "（一）学习。", "（二）培训。", "（四）考核。", "（四）督导。", "（五）总结。", S2, S3, CLOSING)
    assert [(f.code, f.line, f.suggestion) for f in check(text)] == [("S007", 6, "（三）")]


def test_a_number_at_a_line_start_is_an_ordinal_only_in_sequence():
    ok = doc(TITLE, OPENING, S1, "1.通报考核情况；", "2.3个县作交流发言；", "3.领导讲话。", S2, S3, CLOSING)
    assert check(ok) == []
    assert check(doc(TITLE, OPENING, S1, "1.5万人参加培训。", S2, S3, CLOSING)) == []


def test_a_new_part_numbers_again():
    text = doc(TITLE, OPENING, S1, S2, S3, CLOSING, "附件：", "一、考核细则", "二、评分标准")
    assert check(text) == []


# --- the kind's own shape ------------------------------------------------------------------


def test_gov_work_report_has_a_salutation_and_says_it_reports():
    good = doc("政府工作报告", "各位代表：", "现在，我代表市人民政府，向大会报告工作，请予审议。", "一、2024年工作回顾", "正文。")
    assert check(good, kind="gov_work_report") == []
    found = check(doc("政府工作报告", "过去一年，全市经济稳中向好。", "一、2024年工作回顾", "正文。"), kind="gov_work_report")
    assert sorted((f.code, f.severity) for f in found) == [("S005", "warning"), ("S014", "warning")]
    assert "各位代表：" in next(f.message for f in found if f.code == "S014")


def test_request_ends_with_its_formula():
    head = ["关于申请拨付维修资金的请示", "县人民政府：", "为保障群众饮水安全，特申请拨付资金260万元。"]
    assert check(doc(*head, "妥否，请批示。", "", "桐溪县水利局", "2025年2月18日"), kind="request") == []
    found = check(doc(*head, "", "桐溪县水利局", "2025年2月18日"), kind="request")
    assert [(f.code, f.excerpt) for f in found] == [("S016", "为保障群众饮水安全，特申请拨付资金260万元。")]


def test_notice_has_an_addressee():
    assert check(doc("关于开展安全检查的通知", "各乡镇人民政府：", "现将有关事项通知如下。", "一、检查范围"),
                 kind="notice") == []
    found = check(doc("关于开展安全检查的通知", "现将有关事项通知如下。", "一、检查范围"), kind="notice")
    assert [(f.code, f.severity) for f in found] == [("S015", "warning")]


def test_generic_text_gets_only_the_ordinal_rules():
    text = doc("在全县安全生产工作会议上的讲话", "同志们：", "一、认清形势", "三、压实责任")
    assert codes(text, kind="generic") == [("S007", "三、")]


def test_numbering_may_go_on_across_chapters():
    # a 工作规则 sent with a 通知 numbers its articles on across 第X章 (一、二、 then 三、)
    text = doc("青禾县人民政府工作规则", "第一章 总则",
               "一、为规范政府工作，制定本规则。", "二、县政府坚持依法行政。",
               "第二章 组成人员和职能", "三、县政府由县长、副县长组成。", "四、县政府实行县长负责制。")
    assert not [c for c, _ in codes(text, kind="generic", fragment=True) if c == "S007"]


def test_a_salutation_after_page_furniture_subtitles_and_a_byline_is_found():
    from drafter import validate

    text = doc("某县2024年政府工作报告", "本站为你整理了县政府工作报告范文，欢迎阅读。", "篇一：政府工作报告",
               "——2024年1月8日在县第十八届人民代表大会第四次会议上", "县长 张某某", "各位代表：",
               "现在，我代表县人民政府，向大会报告工作，请予审议。", "过去一年，全县上下团结奋斗，经济社会持续健康发展。")
    found = [f.code for f in validate(text, families=["structure"])]
    assert "S014" not in found
    missing = text.replace("各位代表：\n", "")
    assert "S014" in [f.code for f in validate(missing, families=["structure"])]


@pytest.mark.parametrize("kind", ["work_summary", "report", "debriefing"])
def test_a_published_summary_or_report_may_start_without_a_transition_or_an_opening(kind):
    from drafter import validate

    text = doc("城关镇2024年工作总结", "一、主要工作", "全年新建道路12公里，改造老旧小区3个。",
               "二、存在的问题", "基础设施仍有短板。", "三、下一步工作打算", "持续改善人居环境。")
    found = {f.code: f.severity for f in validate(text, kind=kind, families=["structure"])}
    assert "S005" not in found
    assert found.get("S004") in (None, "warning")


def test_a_title_a_document_library_decorated_is_still_the_title():
    from drafter import validate

    text = doc("2024年度经费管理自查报告范文（精选6篇）", "按照上级要求，我单位对经费管理情况开展了自查，现将自查情况报告如下。",
               "一、基本情况", "全年严格执行预算。")
    found = {f.code for f in validate(text, families=["structure", "hygiene"])}
    assert "S001" not in found and "H001" in found  # the decoration is page junk, the line the title
