"""The confidentiality guard: what counts as a hit, where it is, and who may receive it."""

from __future__ import annotations

import pytest

from drafter._errors import ConfidentialityError
from drafter._guard import GuardHit, guard, guard_messages, is_loopback, scan_messages, scan_spec, scan_text
from drafter._spec import Report

ID18 = "11010519491231002X"  # the GB 11643 example: valid check character
ID18_BAD = "110105194912310021"  # same, wrong check character
MOBILE = "13812345678"


def report(**overrides) -> Report:
    data = {
        "organ": "xx区委政法委",
        "period": 2021,
        "opening": {"leadership": "在区委的正确领导下", "guidance": "以习近平新时代中国特色社会主义思想为指导", "results": "各项工作取得新成效"},
        "sections": [
            {"id": "team", "topic": "政法队伍教育整顿", "aim": "作风素能大提升", "facts": ["开展专题学习12次"]},
            {
                "id": "safety",
                "topic": "平安建设",
                "aim": "社会治理现代化",
                "facts": [
                    "全年新发刑事案件312起，同比下降8.2%",
                    {"text": "联系人王某，电话138-1234-5678", "source": "台账第3行C列"},
                ],
                "points": [{"heading": "扫黑除恶保平安", "facts": [f"涉案人员身份证号{ID18}"]}],
            },
        ],
        "closing": {"summary": "总体完成年度目标", "shortcomings": ["基层力量不足"], "plans": ["持续推进平安建设"]},
    }
    data.update(overrides)
    return Report.model_validate(data)


CLEAN = report(
    sections=[{"id": "team", "topic": "政法队伍教育整顿", "aim": "作风素能大提升", "facts": ["开展专题学习12次，覆盖干警1380人"]}]
)


def test_clean_spec_has_no_hits():
    assert scan_spec(CLEAN) == []


def test_hits_carry_field_paths_and_kinds():
    r = report(title="机密★5年 2021年目标任务考核完成情况自查报告")
    hits = {(h.path, h.kind) for h in scan_spec(r)}
    assert hits == {
        ("title", "密级标志"),
        ("sections[1].facts[1].text", "手机号"),
        ("sections[1].points[0].facts[0]", "身份证号"),
    }


def test_excerpts_mask_ids_and_mobiles():
    hits = scan_spec(report())
    text = " ".join(str(h) for h in hits)
    assert ID18 not in text and "1234-5678" not in text and MOBILE not in text
    id_hit = next(h for h in hits if h.kind == "身份证号")
    assert "110*************2X" in id_hit.excerpt
    mobile_hit = next(h for h in hits if h.kind == "手机号")
    assert "138-****-**78" in mobile_hit.excerpt


def test_a_marking_excerpt_masks_personal_data_around_it():
    [marking, ident] = scan_text(f"秘密 材料所涉人员{ID18}", "x")
    assert marking.kind == "密级标志" and ID18 not in marking.excerpt
    assert ident.kind == "身份证号"


@pytest.mark.parametrize(
    "text",
    ["绝密", "机密", "秘密", "絕密", "绝 密", "★", "机密★1年", "严格保守国家秘密，加强保密教育"],
)
def test_markings_err_on_the_safe_side(text):
    assert [h.kind for h in scan_text(text)] == ["密级标志"]


def test_counts_occurrences_per_field():
    [hit] = scan_text("机密★5年；另见秘密件")
    assert hit.count == 3


@pytest.mark.parametrize(
    "text, kind",
    [
        (f"身份证{ID18}。", "身份证号"),
        (f"身份证{ID18.lower()}", "身份证号"),
        ("身份证510108198506152638", "身份证号"),
        ("旧身份证110105491231002", "身份证号"),  # 15 digits, born 1949-12-31
        (f"手机{MOBILE}", "手机号"),
        (f"手机+86{MOBILE}", "手机号"),
        ("手机 138 1234 5678", "手机号"),
    ],
)
def test_personal_data_is_found(text, kind):
    assert [h.kind for h in scan_text(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        f"编号{ID18_BAD}",  # wrong check character
        "编号110105194913310027",  # month 13
        f"账号9{ID18}",  # inside a longer digit run
        f"账号{MOBILE}9",  # mobile inside a longer run
        f"流水号2021{MOBILE}",
        "电话12345678901",  # 12x is not a mobile prefix
        "座机029-12345678",
        "全年新发刑事案件312起，同比下降8.2%，涉案金额1380.5万元",
        "110105991331002",  # 15 digits, no plausible date
    ],
)
def test_non_personal_numbers_are_not_hits(text):
    assert scan_text(text) == []


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://127.0.0.1:8000/v1", True),
        ("http://127.8.9.10/v1", True),
        ("http://localhost:11434/v1", True),
        ("http://LOCALHOST/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://[::ffff:127.0.0.1]/v1", True),
        ("localhost:8000/v1", True),
        ("https://api.deepseek.com/v1", False),
        ("http://192.168.1.10:8000/v1", False),
        ("http://0.0.0.0:8000/v1", False),
        ("http://127.0.0.1.example.com/v1", False),
        ("http://localhost.example.com/v1", False),
        ("http://user:pw@10.0.0.1/v1", False),
        (None, False),  # the SDK's default endpoint is public
        ("", False),
        ("http://[bad/v1", False),
    ],
)
def test_is_loopback(url, expected):
    assert is_loopback(url) is expected


def test_loopback_endpoint_passes_with_hits():
    guard(report(), "http://127.0.0.1:8000/v1")
    guard(report(), "http://localhost:11434/v1")


def test_remote_endpoint_with_hits_raises():
    with pytest.raises(ConfidentialityError) as info:
        guard(report(title="秘密 自查报告"), "https://user:pw@api.example.com/v1?token=abc")
    msg = str(info.value)
    for needle in (
        "title：密级标志",
        "sections[1].facts[1].text：手机号",
        "sections[1].points[0].facts[0]：身份证号",
        "--allow-confidential",
        "allow_confidential=True",
        "https://api.example.com/v1",
    ):
        assert needle in msg
    assert ID18 not in msg and "pw" not in msg and "token" not in msg
    assert len(info.value.hits) == 3 and all(isinstance(h, GuardHit) for h in info.value.hits)


def test_default_public_endpoint_with_hits_raises():
    with pytest.raises(ConfidentialityError):
        guard(report(), None)


def test_approved_endpoint_passes():
    guard(report(), "https://api.example.com/v1", approved=True)


def test_clean_spec_may_go_anywhere():
    guard(CLEAN, "https://api.example.com/v1")


def test_scan_accepts_plain_dicts():
    [hit] = scan_spec({"sections": [{"facts": ["ok", {"text": f"电话{MOBILE}"}]}]})
    assert hit.path == "sections[0].facts[1].text" and hit.kind == "手机号"


# -- variants: normalised before matching ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "绝\u00a0密",            # NBSP, as Word pastes it
        "机\u200b密",            # zero-width space
        "机\u200d密",            # zero-width joiner
        "秘\u2060密",            # word joiner
        "绝\n密",                # a line break (the prompt filter makes it "绝 密")
        "机\r\n密",
        "绝\u3000\u3000密",      # ideographic spaces, as on a cover page
        "机-密", "机－密", "机—密", "机·密", "机・密", "机.密", "秘 - 密",
        "機密", "祕\u00a0密",
        "密级：机\u200b密★５年",
    ],
)
def test_marking_variants_are_hits(text):
    assert [h.kind for h in scan_text(text)] == ["密级标志"]


@pytest.mark.parametrize(
    "text",
    [
        f"身份证 {ID18[:6]} {ID18[6:14]} {ID18[14:]}",          # 6-8-4 with spaces
        f"身份证{ID18[:6]}-{ID18[6:14]}-{ID18[14:]}",            # hyphens
        "身份证 1101 0519 4912 3100 2X",                          # groups of four
        f"ID{ID18}",                                             # a prefix
        f"证件号码：ID:{ID18}",
        f"身份证{ID18[:17]}Ｘ",                                   # full-width X
        "身份证１１０１０５１９４９１２３１００２Ｘ",                 # full-width throughout
        f"身份证{ID18[:6]}\u00a0{ID18[6:]}",                      # NBSP
        f"身份证{ID18[:9]}\u200b{ID18[9:]}",                      # zero-width space inside
    ],
)
def test_id_variants_are_hits(text):
    assert [h.kind for h in scan_text(text)] == ["身份证号"]


@pytest.mark.parametrize(
    "text",
    [
        "联系电话138.0013.8000",
        "联系电话1380 013 8000",
        "联系电话138 0013 8000",
        "联系电话１３８００１３８０００",                 # full-width digits
        "联系电话１３８－００１３－８０００",
        "联系电话+86 138 0013 8000",
        "联系电话0086-13800138000",
        "联系电话8613800138000",
        "联系电话138\u00a00013\u00a08000",
        "联系电话138\u200b0013\u200b8000",
    ],
)
def test_mobile_variants_are_hits(text):
    assert [h.kind for h in scan_text(text)] == ["手机号"]


@pytest.mark.parametrize(
    "text",
    [
        "全年开展治安巡逻1260次，排查整治治安隐患486件",
        "培训干警612名，组织业务培训12期",
        "2019年至2021年，连续3年",
        "2019 2020 2021年度",
        "涉案金额13.8万元，同比增长1.5个百分点",
        "编号2021-0013-8000",                       # 12 digits: not a mobile
        "工单号202113800138000",                    # a mobile inside a longer run
        "账号6222 0213 8001 3800 0123",             # groups that never make 11/15/18 digits
        "座机029-8800 1234",
        "保密工作和密码管理",                         # 保密 is not a marking
        "机关秘书科，密切联系群众",                   # 秘书…密切: a clause apart
        "加强手机、密码设备管理",                      # 机、密: an enumeration comma is no joiner
    ],
)
def test_tricky_clean_text_is_not_a_hit(text):
    assert scan_text(text) == []


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("电话１３８００１３８０００", "１３８００１３８０００"),
        ("电话138.0013.8000", "0013"),
        (f"身份证{ID18[:6]} {ID18[6:14]} {ID18[14:]}", ID18[6:14]),
        ("身份证１１０１０５１９４９１２３１００２Ｘ", "１９４９１２３１"),
    ],
)
def test_variant_excerpts_never_show_the_number(text, hidden):
    [hit] = scan_text(text)
    assert hidden not in hit.excerpt and "*" in hit.excerpt


def test_messages_are_scanned_by_role():
    messages = [
        {"role": "system", "content": "你是公文写作助手。"},
        {"role": "user", "content": "修改要求：本件密级机密★5年"},
        {"role": "assistant", "content": "联系人电话13800138000"},
        {"role": "user", "content": [{"type": "text", "text": f"证件{ID18}"}]},
    ]
    hits = [(h.path, h.kind) for h in scan_messages(messages)]
    assert hits == [("messages[1]（user）", "密级标志"), ("messages[2]（assistant）", "手机号"),
                    ("messages[3]（user）", "身份证号")]
    with pytest.raises(ConfidentialityError) as info:
        guard_messages(messages, "https://api.example.com/v1")
    assert "messages[2]（assistant）：手机号" in str(info.value) and "13800138000" not in str(info.value)
    guard_messages(messages, "http://127.0.0.1:8000/v1")
    guard_messages(messages, "https://api.example.com/v1", approved=True)


def test_named_fields_are_scanned_with_the_spec():
    with pytest.raises(ConfidentialityError) as info:
        guard(CLEAN, "https://api.example.com/v1",
              fields={"修改要求": "本件密级机密★5年，联系人13800138000", "当前正文（team）": "无", "空": None})
    assert [(h.path, h.kind) for h in info.value.hits] == [("修改要求", "密级标志"), ("修改要求", "手机号")]
    assert "13800138000" not in str(info.value)
    guard(CLEAN, "https://api.example.com/v1", fields={"修改要求": "压缩到300字以内"})
