"""Document kinds as data: the registry, recognising a kind from a real page, the
precedence of --kind / the spec / detection, kind files an organisation adds, and
`drafter check --kind`, its JSON and its help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter import InputError, validate
from drafter._kinds import detect, detect_kind, get_kind, kind_ids, resolve_kind
from drafter.validators._lexicon import lexicon

from helpers import CORPUS, cli

KINDS = ("self_inspection", "work_summary", "debriefing", "work_plan", "gov_work_report",
         "notice", "request", "report", "generic")


def test_the_bundled_kinds():
    assert set(kind_ids()) == set(KINDS)
    assert kind_ids()[-1] == "generic"
    for k in KINDS:
        kind = get_kind(k)
        assert kind.id == k and kind.name and kind.description
    # the kinds a spec may name are exactly those whose file says how to draft them
    from drafter._spec import DOCUMENT_KINDS

    assert {k for k in KINDS if get_kind(k).draftable} == set(DOCUMENT_KINDS)


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(InputError, match="未知的文种“memo”") as exc:
        get_kind("memo")
    assert "work_summary（工作总结）" in str(exc.value)


@pytest.mark.parametrize(
    "title, kind",
    [
        ("2024年目标任务考核完成情况自查报告", "self_inspection"),
        ("关于开展安全生产大检查自查情况的报告", "self_inspection"),
        ("区教育局2024年度依法治校自评报告", "self_inspection"),
        ("2024年工作总结", "work_summary"),
        ("白鹭镇2024年工作总结及2025年工作打算", "work_summary"),
        ("2024年度个人述职述廉报告", "debriefing"),
        ("述职述德述廉报告", "debriefing"),
        ("2024年度抓基层党建工作述职报告", "debriefing"),
        ("桐溪县卫生健康局2025年工作要点", "work_plan"),
        ("2025年工作计划", "work_plan"),
        ("政府工作报告", "gov_work_report"),
        ("2025年临江市人民政府工作报告", "gov_work_report"),
        ("关于做好2025年春节期间安全生产工作的通知", "notice"),
        ("关于召开全市乡村振兴工作推进会的补充通知", "notice"),
        ("关于申请拨付农村饮水安全维修资金的请示", "request"),
        ("关于2024年度法治政府建设情况的报告", "report"),
        ("华阳区2024年度安全生产工作情况报告", "report"),
        ("华阳区人民法院工作报告", "report"),
        ("在全县安全生产工作会议上的讲话", "generic"),
        ("华阳区城乡人居环境整治提升实施方案", "generic"),
    ],
)
def test_kind_from_the_title(title, kind):
    assert detect(title + "\n正文。").kind.id == kind


def test_title_behind_page_junk_header_and_number():
    page = (
        "当前位置：首页 > 政务公开 > 通知公告\n"
        "【字号 大 中 小】 发布时间：2025-01-20 浏览次数：328\n"
        "桐溪县人民政府办公室文件\n"
        "桐政办发〔2025〕3号\n"
        "桐溪县人民政府办公室\n"
        "关于做好2025年春节期间安全生产工作的通知\n"
        "各乡镇人民政府：\n"
    )
    choice = detect(page)
    assert (choice.kind.id, choice.source) == ("notice", "title")
    assert choice.evidence == "桐溪县人民政府办公室关于做好2025年春节期间安全生产工作的通知"


@pytest.mark.parametrize(
    "head, kind",
    [
        ("# 2024年工作总结\n", "work_summary"),
        ("**政府工作报告**\n——2025年1月14日在临江市第十七届人民代表大会第五次会议上\n", "gov_work_report"),
        ("政府工作报告（摘要）\n", "gov_work_report"),
        ("工 作 总 结\n", "work_summary"),
        ("xx区委政法委关于2021年目标任务考核\n完成情况的自查报告\n", "self_inspection"),
        ("##paidbegin##2021年目标任务考核完成情况自查报告\n", "self_inspection"),
    ],
)
def test_title_in_markdown_spaced_or_broken(head, kind):
    assert detect(head + "正文第一段。\n").kind.id == kind


@pytest.mark.parametrize(
    "head, kind",
    [
        # a library's decoration around the title is no reason to skip it
        ("林溪县档案馆经费使用自查报告范文（精选5篇）\n", "self_inspection"),
        ("镇农技站年度工作总结优秀8篇2-11-30\n", "work_summary"),
        ("乡镇综治中心年终总结（7）\n", "work_summary"),
        ("【2022年度公车使用自查报告】为规范用车，现将有关情况报告如下：\n", "self_inspection"),
        ("标  题：关于做好2025年汛期值班工作的通知\n", "notice"),
        ("镇长述职报告各位领导、同志们：我于今年三月到任。\n", "debriefing"),
        ("青禾县人民政府关于印发工作规则的通知 各乡镇人民政府：现予印发。\n", "notice"),
        ("白沙镇2024年上半年工作总结及下半年工作设想\n", "work_summary"),
        ("镇人民政府换届工作报告\n", "gov_work_report"),
    ],
)
def test_title_found_through_web_copy_decoration(head, kind):
    assert detect(head + "正文第一段。\n").kind.id == kind


def test_a_numbered_heading_is_never_the_title():
    # the title line is library junk; a later heading naming 计划 or 打算 is no title
    text = ("优秀文章分享\n我单位对公务接待开展了自查。\n一、基本情况\n接待均有公函。\n"
            "二、下一步工作打算\n继续规范管理。\n")
    assert detect(text).kind.id != "work_plan"


def test_a_personal_report_by_its_opening_is_a_debriefing():
    text = "按照会议安排，现将我履行党建工作第一责任人职责情况报告如下：\n一、履职情况\n正文。\n"
    assert detect(text).kind.id == "debriefing"


def test_gov_work_report_and_self_inspection_are_told_apart():
    for name in ("clean-city.txt", "clean-town.md"):
        assert detect((CORPUS / "gov_work_report" / name).read_text(encoding="utf-8")).kind.id == "gov_work_report"
    for name in ("clean-county-market.txt", "clean-political-law.md"):
        assert detect((CORPUS / "self_inspection" / name).read_text(encoding="utf-8")).kind.id == "self_inspection"
    # a 报告 of one's own work is not a 政府工作报告, nor the reverse
    assert detect("华阳区人民检察院工作报告\n正文。").kind.id == "report"


def test_kind_from_the_body_when_the_title_is_missing():
    choice = detect("各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n")
    assert (choice.kind.id, choice.source) == ("gov_work_report", "body")
    assert detect("为保障群众饮水安全，特申请拨付资金260万元。\n妥否，请批示。\n").kind.id == "request"
    assert detect("请各单位按时报送。\n特此通知。\n").kind.id == "notice"


def test_unrecognised_text_is_generic_and_says_so():
    kind, how = detect_kind("全年新发刑事案件312起。")
    assert kind.id == "generic" and "未识别" in how


def test_precedence_option_then_spec_then_title():
    text = "2024年工作总结\n正文。"
    assert resolve_kind(text).kind.id == "work_summary"
    assert resolve_kind(text, spec_kind="self_inspection").source == "input"
    choice = resolve_kind(text, "notice", "self_inspection")
    assert (choice.kind.id, choice.source) == ("notice", "option")


def test_validate_judges_by_the_detected_kind():
    body = "一、主要工作\n我带队检查了全镇32家企业。\n二、存在的问题\n工作还有不足。\n三、下一步打算\n明年继续努力。"
    debriefing = validate("2024年度述职报告\n本人任镇长，分管安全生产。\n" + body)
    assert [f.code for f in debriefing if f.code == "R007"] == []
    notice = validate("关于开展安全检查的通知\n各村：\n" + body)
    assert [(f.code, f.severity) for f in notice if f.code == "R007"] == [("R007", "error")]
    assert [f.code for f in validate(body, kind="debriefing") if f.code == "R007"] == []


# --- kind files an organisation adds --------------------------------------------------------


def write(tmp_path: Path, name: str, body: str) -> str:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return str(p)


def test_organisation_adds_a_kind(tmp_path):
    path = write(tmp_path, "briefing.yaml", (
        "kind: briefing\n"
        "name: 工作简报\n"
        "description: 本单位的工作简报\n"
        "base: report\n"
        "detect:\n"
        "  priority: 80\n"
        "  titles: ['工作简报$']\n"
        "register:\n"
        "  severity: {R007: off}\n"
    ))
    text = "华阳区政法工作简报\n我带队检查了全区32家企业。"
    assert detect(text, [path]).kind.id == "briefing"
    assert detect(text).kind.id == "generic"
    assert "briefing" in kind_ids([path])
    assert [f.code for f in validate(text, extra_lexicons=[path]) if f.code == "R007"] == []
    # the same option also carries word lists, and both may name the new kind
    words = write(tmp_path, "words.yaml", "colloquial:\n  words: {巴适: 很好}\n  kinds: [briefing]\n")
    found = validate(text + "\n效果巴适。", extra_lexicons=[path, words])
    assert [f.excerpt for f in found if f.code == "R001"] == ["巴适"]


def test_organisation_changes_a_bundled_kind(tmp_path):
    path = write(tmp_path, "ours.yaml", (
        "kind: work_summary\n"
        "register:\n"
        "  severity: {R007: error}\n"
        "detect:\n"
        "  titles: ['年终盘点$']\n"
    ))
    kind = get_kind("work_summary", [path])
    assert kind.severity("R007", "error") == "error"
    assert get_kind("work_summary").severity("R007", "error") == "warning"
    assert detect("2024年年终盘点\n正文。", [path]).kind.id == "work_summary"


def test_a_kind_files_drafting_block_is_read_into_a_typed_object(tmp_path):
    path = write(tmp_path, "k.yaml", "kind: memo\nname: 备忘录\nbase: generic\ndrafting:\n  title: '{organ}备忘录'\n")
    memo = get_kind("memo", [path])
    assert memo.draftable and memo.drafting.title({"organ": "县委办"}) == "县委办备忘录"
    assert memo.drafting.heading.render(topic="会议纪要", aim="x") == "会议纪要"   # the default formula
    frame = memo.frame_for({})
    assert (frame.sections, frame.run_in, frame.wrapper, frame.closing) == (1, True, None, ())


@pytest.mark.parametrize("drafting, fragment", [
    ("  titel: x\n", "drafting含未知的键：titel"),
    ("  heading: {parts: [{field: topic}]}\n", "需要 title"),
    ("  title: '{orgn}备忘录'\n", "未知的字段 orgn"),
    ("  title: x\n  heading: {parts: [{field: goal, form: '{goal}'}]}\n", "field 应为 topic、aim 之一"),
    ("  title: x\n  heading: {parts: [{field: topic, form: '{aim}'}]}\n", "未知的字段 aim"),
    ("  title: x\n  inputs: {required: [closing.plan]}\n", "“closing.plan”不是可要求的字段"),
    ("  title: x\n  frame: {sections: 2}\n", "须有 wrapper"),
    ("  title: x\n  frame: {sections: 1, points: 1}\n", "points 应在 2 到 4 之间"),
    ("  title: [{when: organ}]\n", "需要 form"),
    ("  title: 7\n", "应为字符串"),
])
def test_a_bad_drafting_block_names_the_file(tmp_path, drafting, fragment):
    path = write(tmp_path, "k.yaml", "kind: memo\nname: 备忘录\nbase: generic\ndrafting:\n" + drafting)
    with pytest.raises(InputError, match="k.yaml") as exc:
        get_kind("memo", [path])
    assert fragment in str(exc.value)


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("kind: memo\nname: 备忘录\ntitles: []\n", "顶层含未知的键：titles"),
        ("kind: memo\nname: 备忘录\nstructure:\n  titel: {}\n", "structure含未知的键：titel"),
        ("kind: memo\nname: 备忘录\ndetect:\n  titles: ['关于(']\n", "不是有效的正则表达式"),
        ("kind: memo\nname: 备忘录\nregister:\n  severity: {R007: loud}\n", "应为 error、warning 或 off"),
        ("kind: memo\nname: 备忘录\nregister:\n  severity: {H008: off}\n", "只能设置register类规则"),
        ("kind: memo\nname: 备忘录\nbase: nothing\n", "base“nothing”不是已知的文种"),
        ("kind: memo\ndescription: 无名\n", "需要 name"),
        ("kind: Memo Kind\nname: 备忘录\n", "小写英文标识"),
        ("kind: memo\nname: 备忘录\nstructure: [1, 2]\n", "structure 应为映射"),
    ],
)
def test_bad_kind_file_names_the_file(tmp_path, body, fragment):
    path = write(tmp_path, "bad.yaml", body)
    with pytest.raises(InputError) as exc:
        kind_ids([path])
    assert path in str(exc.value)
    assert fragment in exc.value.render()


def test_a_word_list_may_only_name_known_kinds(tmp_path):
    path = write(tmp_path, "w.yaml", "colloquial:\n  words: {巴适: 很好}\n  kinds: [briefing]\n")
    with pytest.raises(InputError, match="未知的文种：briefing"):
        lexicon((path,))


# --- the command line ---------------------------------------------------------------------


def test_check_says_the_kind_in_text_and_json(tmp_path):
    doc = CORPUS / "debriefing" / "clean-deputy-director.txt"
    r = cli("check", str(doc))
    assert r.returncode == 0, r.stdout
    assert "文种：述职报告（debriefing），依据标题“2024年度个人述职述廉报告”判定" in r.stdout
    r = cli("check", str(doc), "--format", "json")
    payload = json.loads(r.stdout)
    assert (payload["kind"], payload["kind_name"], payload["kind_source"]) == ("debriefing", "述职报告", "title")


def test_check_kind_option_overrides_detection(tmp_path):
    doc = CORPUS / "debriefing" / "clean-deputy-director.txt"
    r = cli("check", str(doc), "--kind", "notice", "--format", "json")
    payload = json.loads(r.stdout)
    assert (payload["kind"], payload["kind_source"]) == ("notice", "option")
    assert r.returncode == 1
    assert {f["code"] for f in payload["findings"]} >= {"R007"}  # 我 is wrong in a 通知


def test_unknown_kind_option_exits_2():
    r = cli("check", str(CORPUS / "reference-2021.txt"), "--kind", "memo")
    assert r.returncode == 2
    assert "未知的文种“memo”" in r.stderr and "Traceback" not in r.stderr


def test_check_help_lists_the_kinds():
    r = cli("check", "--help")
    assert r.returncode == 0
    for k in KINDS:
        assert k in r.stdout
    assert "政府工作报告" in r.stdout and "--kind" in r.stdout


def test_text_output_groups_identical_findings_and_json_keeps_each(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text("全年破获案件xx起，抓获xx人。\n查处xx起。\n整改x个问题。\n", encoding="utf-8")
    r = cli("check", str(doc), "--fragment")
    assert r.stdout.count("未填写的占位符“xx”") == 1
    assert "同一问题共 3 处（第 1、2 行）" in r.stdout
    assert r.stdout.count("未填写的占位符“x”") == 1
    payload = json.loads(cli("check", str(doc), "--fragment", "--format", "json").stdout)
    assert [f["excerpt"] for f in payload["findings"]] == ["xx", "xx", "xx", "x"]


def test_bad_kind_file_given_with_lexicon_exits_2(tmp_path):
    path = write(tmp_path, "k.yaml", "kind: memo\nname: 备忘录\nbase: nothing\n")
    r = cli("check", str(CORPUS / "reference-2021.txt"), "--lexicon", path)
    assert r.returncode == 2 and "k.yaml" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("opening, allowed", [
    ("在全县安全生产工作会议上的讲话\n\n同志们：\n", True),
    ("关于做好安全生产工作的几点意见\n\n各位领导、同志们：\n", True),
    ("关于做好安全生产工作的几点意见\n\n", False),
])
def test_a_speech_speaks_as_i_in_a_generic_text(opening, allowed):
    text = opening + "今天召开这次会议，主要任务是部署全年工作。下面，我讲三点意见。\n一、提高认识\n要把工作抓实抓细。\n"
    codes = [f.code for f in validate(text, kind="generic")]
    assert ("R007" not in codes) == allowed
    # a 通知 never speaks as 我, salutation or not
    assert "R007" in [f.code for f in validate(text, kind="notice")]
