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


def test_three_text_families_are_fast_and_linear():
    reference = (CORPUS / "reference-2021.txt").read_text(encoding="utf-8")

    def rate(text: str) -> float:
        best = float("inf")
        for _ in range(2):
            ctx = CheckContext(text=text, make=FindingMaker(text))
            t0 = time.perf_counter()
            _register.check(ctx), _hygiene.check(ctx), _structure.check(ctx)
            best = min(best, time.perf_counter() - t0)
        return len(text.encode("utf-8")) / best

    small, large = rate(reference * 3), rate(reference * 30)
    assert large > 1_000_000  # bytes per second, with a finding every hundred characters
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
