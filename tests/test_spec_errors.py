"""Bad input: a clear Chinese message naming file, field and line; exit 2; no traceback."""

import pytest

from helpers import cli

GOOD = """\
organ: 某区委政法委
period: 2021
opening:
  leadership: 在区委的正确领导下
  guidance: 认真落实会议精神
  results: 确保了社会大局平安稳定
sections:
  - id: safety
    topic: 强化基层基础
    aim: 平安建设大提升
    facts:
      - 全年新发刑事案件312起
closing:
  summary: 圆满完成了年度目标任务
  shortcomings: [特色不够突出]
  plans: [全面推动高质量发展]
"""


def draft(tmp_path, text, name="spec.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return cli("draft", str(p))


def assert_clean_failure(r, *needles):
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    for n in needles:
        assert n in r.stderr, r.stderr


def test_good_spec_drafts(tmp_path):
    r = draft(tmp_path, GOOD)
    assert r.returncode == 0, r.stderr
    assert "312起" in r.stdout


def test_malformed_yaml_names_file_and_line(tmp_path):
    r = draft(tmp_path, GOOD.replace("  - id: safety", "  - id: [safety"))
    assert_clean_failure(r, "spec.yaml:", "YAML 格式错误")


def test_wrong_type_names_field_and_line(tmp_path):
    r = draft(tmp_path, GOOD.replace("period: 2021", "period: 二〇二一"))
    assert_clean_failure(r, "spec.yaml:2", "period", "应为整数")


def test_missing_field(tmp_path):
    r = draft(tmp_path, GOOD.replace("    aim: 平安建设大提升\n", ""))
    assert_clean_failure(r, "sections[0].aim", "缺少必填字段")


def test_unknown_field_is_an_error(tmp_path):
    r = draft(tmp_path, GOOD.replace("    facts:", "    fatcs: []\n    facts:"))
    assert_clean_failure(r, "spec.yaml:11", "sections[0].fatcs", "不认识的字段")


def test_duplicate_section_ids(tmp_path):
    dup = GOOD.replace("closing:", "  - id: safety\n    topic: 党的建设\n    aim: 政治能力大提升\nclosing:")
    r = draft(tmp_path, dup)
    assert_clean_failure(r, "sections[1].id", "重复", "spec.yaml:13")


def test_negative_count(tmp_path):
    neg = GOOD.replace("      - 全年新发刑事案件312起",
                       "      - text: 全年新发刑事案件312起\n        figures: [{label: 案件, value: -312, unit: 起}]")
    r = draft(tmp_path, neg)
    assert_clean_failure(r, "figures[0].value", "负数", "spec.yaml:13")


def test_duplicate_yaml_key(tmp_path):
    r = draft(tmp_path, GOOD.replace("period: 2021", "period: 2021\nperiod: 2022"))
    assert_clean_failure(r, "spec.yaml:3", "重复")


def test_missing_file(tmp_path):
    r = cli("draft", str(tmp_path / "nope.yaml"))
    assert_clean_failure(r, "不存在", "nope.yaml")


def test_gbk_spec_is_read(tmp_path):
    p = tmp_path / "gbk.yaml"  # saved by Notepad in the ANSI code page of a Chinese Windows
    p.write_bytes(GOOD.encode("gbk"))
    r = cli("draft", str(p), "--format", "txt")
    assert r.returncode == 0, r.stderr
    assert "全年新发刑事案件312起" in r.stdout


def test_not_text(tmp_path):
    p = tmp_path / "spec.yaml"
    p.write_bytes("café: naïve\n".encode("latin-1"))
    assert_clean_failure(cli("draft", str(p)), "编码无法识别", "UTF-8")
    p.write_bytes(b"PK\x03\x04" + bytes(range(256)))  # an Excel file given as the spec
    assert_clean_failure(cli("draft", str(p)), "ZIP")


def test_json_spec_errors_name_line(tmp_path):
    r = draft(tmp_path, '{"organ": "某区",\n "period": }', name="spec.json")
    assert_clean_failure(r, "spec.json:2", "JSON")


def test_empty_file(tmp_path):
    r = draft(tmp_path, "")
    assert_clean_failure(r, "空的")


@pytest.mark.parametrize("args", [["draft"], ["frobnicate"], ["check"]])
def test_bad_usage_exits_2(args):
    r = cli(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
