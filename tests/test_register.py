"""Register family: colloquialisms, slang, exclamations, emoji, hedges, first person,
superlatives, request phrases — and the word lists an organisation extends."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from drafter._errors import InputError
from drafter._evidence import Evidence
from drafter.validators import _register
from drafter.validators._lexicon import lexicon

from helpers import CORPUS, assert_defect_case, clean_lines, defect_cases, run_family


def check(text: str, **kw) -> list:
    return run_family(_register, text, **kw)


DEFECTS = defect_cases("register_defects.yaml")


@pytest.mark.parametrize("case", DEFECTS, ids=[c["text"] for c in DEFECTS])
def test_defect_is_flagged_with_code_span_and_suggestion(case):
    assert_defect_case(check(case["text"]), case, "register")


@pytest.mark.parametrize("line", clean_lines("register_clean.txt"))
def test_tricky_clean_sentence_is_not_flagged(line):
    assert check(line) == []


def test_severities_follow_the_rule_data():
    text = "工作搞定了。获得群众点赞。"
    by_code = {f.code: f.severity for f in check(text)}
    assert by_code == {"R001": "error", "R003": "warning"}


def test_line_and_column_are_reported():
    text = "一、概述\n这项工作已经搞定。"
    (f,) = check(text)
    assert (f.line, f.column) == (2, 7)
    assert f.message == "口语化表达“搞定”不宜用于公文，应改用规范书面语"


def test_words_inside_quotation_marks_and_titles_are_not_the_writers_own():
    text = "防止“躺平”心态，观看《我和我的祖国》，践行“撸起袖子加油干！”，开展“打卡”行动。"
    assert check(text) == []
    # …but the same words outside quotes are flagged
    assert [f.code for f in check("个别干部躺平。")] == ["R002"]


def test_first_person_only_standing_alone():
    assert check("我区、我委、我们、自我革命、我国、敌我矛盾、我为群众办实事。") == []
    found = check("我带队检查，我区各单位积极配合。")
    assert [(f.code, f.start) for f in found] == [("R007", 0)]


def test_hedge_only_when_qualifying_a_result():
    assert check("防范可能出现的风险，尽可能完成任务，开展可能性评估。") == []
    (f,) = check("全年任务可能基本完成。")
    assert (f.code, f.excerpt) == ("R006", "可能基本完成")


def test_ranking_claim_is_judged_against_the_input():
    text = "平安建设考核成绩全省第一。"
    # no input: only a reminder to check the source
    assert [(f.code, f.severity) for f in check(text)] == [("R010", "warning")]
    backed = Evidence.from_facts(["平安建设考核全省第一"])
    assert check(text, evidence=backed) == []
    # an input that lacks it (or says otherwise) makes it an error in a kind drafter drafts
    for facts in (["全年新发刑事案件312起"], ["平安建设考核全省第二"]):
        found = check(text, evidence=Evidence.from_facts(facts))
        assert [(f.code, f.severity) for f in found] == [("R008", "error")]
    # …and a warning in a kind it does not draft
    found = check(text, evidence=Evidence.from_facts(["全年新发刑事案件312起"]), kind="notice")
    assert [(f.code, f.severity) for f in found] == [("R008", "warning")]


def test_ordinals_and_first_batches_are_not_superlatives():
    assert check("全市第一批试点，第一时间处置，最大限度减少损失，最高人民法院。") == []


def test_request_phrase_only_in_a_report():
    text = "以上报告，妥否，请批示。"
    assert [f.code for f in check(text)] == ["R009"]
    assert check(text, kind="request") == []  # a 请示 may ask for instructions
    assert check("项目已报请市发改委审批，申请审批事项依法办理。") == []


def test_exclamation_run_is_one_finding_and_latin_names_are_kept():
    (f,) = check("成效显著！！！")
    assert (f.excerpt, f.suggestion) == ("！！！", "。")
    assert check("使用Yahoo!邮箱。") == []


def test_emoji_but_not_classification_star():
    assert check("秘密★1年") == []
    (f,) = check("成效显著👍🏻")
    assert f.code == "R005" and f.excerpt == "👍🏻"


def test_latin_slang_never_inside_a_longer_word():
    assert check("emotion management") == []
    assert [f.excerpt for f in check("真是emo了")] == ["emo"]


# --- word lists an organisation extends ---------------------------------------------


def write(tmp_path: Path, name: str, body: str) -> str:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return str(p)


def test_extra_lexicon_adds_overrides_and_removes(tmp_path):
    extra = write(
        tmp_path, "org.yaml",
        "colloquial:\n"
        "  words:\n"
        "    巴适: 很好\n"   # added
        "    搞定: 办结\n"         # overridden suggestion
        "informal:\n"
        "  words:\n"
        "    老百姓: false\n"      # removed
        "slang:\n"
        "  allow: [躺平式]\n",
    )
    text = "工作巴适，事情已搞定，老百姓满意，整治躺平式干部。"
    found = check(text, extra_lexicons=(extra,))
    assert [(f.excerpt, f.suggestion) for f in found] == [("巴适", "很好"), ("搞定", "办结")]
    # the bundled lists are untouched for everyone else
    assert [f.excerpt for f in check(text)] == ["搞定", "老百姓", "躺平"]


def test_extra_lexicon_is_read_again_after_an_edit(tmp_path):
    path = write(tmp_path, "org.yaml", "colloquial:\n  words:\n    巴适: 很好\n")
    assert [f.excerpt for f in check("巴适。", extra_lexicons=(path,))] == ["巴适"]
    Path(path).write_text("colloquial:\n  words:\n    巴适: false\n", encoding="utf-8")
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert check("巴适。", extra_lexicons=(path,)) == []


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("colloquial: [1, 2", "不是有效的 YAML"),
        ("- 搞定\n- 弄好\n", "顶层"),
        ("colloqial:\n  words: {搞定: 完成}\n", "未知的词表名“colloqial”"),
        ("colloquial:\n  word: {搞定: 完成}\n", "未知的键：word"),
        ("colloquial:\n  words: [搞定]\n", "words 应为"),
        ("hedges:\n  patterns: ['可能(']\n", "不是有效的正则表达式"),
        ("hedges:\n  patterns: ['(可)\\1']\n", "反向引用"),
        ("duplication:\n  suspects: {的的: [目的]}\n", "单个汉字"),
    ],
)
def test_bad_extra_lexicon_names_the_file(tmp_path, body, fragment):
    path = write(tmp_path, "bad.yaml", body)
    with pytest.raises(InputError) as exc:
        lexicon((path,))
    assert path in str(exc.value)
    assert fragment in exc.value.render()
    assert exc.value.path == path


def test_missing_extra_lexicon_names_the_file(tmp_path):
    path = str(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="找不到词表文件") as exc:
        check("正文。", extra_lexicons=(path,))
    assert path in str(exc.value)


def test_bundled_lists_are_compiled_once():
    assert lexicon() is lexicon(())


def test_fast_scanner_finds_exactly_what_a_plain_scan_finds():
    import re

    texts = [(CORPUS / "reference-2021.txt").read_text(encoding="utf-8")]
    texts += [yaml.safe_dump(yaml.safe_load((CORPUS / n).read_text(encoding="utf-8")), allow_unicode=True)
              for n in ("register_defects.yaml", "hygiene_defects.yaml")]
    texts += ["\n".join(clean_lines("register_clean.txt")), "\n".join(clean_lines("hygiene_clean.txt"))]
    lex = lexicon()
    for name in lex.names:
        wl = lex[name]
        if not wl.pattern:
            continue
        plain = re.compile(wl.pattern)
        for text in texts:
            expected = [(m.start(), m.end(), m.lastgroup) for m in plain.finditer(text) if m.end() > m.start()]
            assert list(wl.raw_hits(text)) == expected, name


def test_fast_scanner_falls_back_for_patterns_it_cannot_analyse(tmp_path):
    extra = write(tmp_path, "org.yaml", "hedges:\n  patterns: ['.好']\n")
    wl = lexicon((extra,))["hedges"]
    assert [h.text for h in wl.scan("效果很好，也许可以。")] == ["很好", "也许"]


def test_every_bundled_pattern_compiles_on_its_own():
    """The bundled lists are trusted at start-up (not compiled one by one): here they are."""
    from drafter.validators._lexicon import _bundled, _check_regex

    for name, raw in _bundled().items():
        for pattern, _ in raw.patterns:
            _check_regex(pattern, name, combined=True)
        for pattern in raw.allow_patterns:
            _check_regex(pattern, name, combined=False)


def test_every_bundled_list_gets_a_fast_scanner():
    """A pattern whose first character cannot be told (\\d, ., \\w first) makes its
    whole list try every position: ten times slower. None of the bundled ones may."""
    from drafter._regex_start import first_chars

    lex = lexicon()
    for name in lex.names:
        wl = lex[name]
        if wl.patterns:
            assert first_chars("|".join(f"(?:{p})" for p, _ in wl.patterns)) is not None, name


def test_speaker_formulas_and_a_formal_salutation_allow_i():
    from drafter.validators import validate as _validate

    text = "关于安全生产工作的几点意见\n\n尊敬的各位领导、同志们：\n我谨代表区政府表示感谢。下面，我就今年工作谈几点意见。\n"
    assert "R007" not in [f.code for f in _validate(text, kind="generic")]
    # 我受……委托 and 我代表 are the speaker's formulas in any kind
    text2 = "各位代表：\n现在，我受镇人民政府委托，向大会作政府工作报告，请予审议。\n"
    assert "R007" not in [f.code for f in _validate(text2, kind="report")]
