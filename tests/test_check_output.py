"""``drafter check`` output a terminal can trust: empty files are an input error, a
checked text's escape sequences never reach the terminal, and text output lists at
most a bounded number of findings per rule (JSON keeps them all)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from helpers import REFERENCE_DOC, cli


def check(tmp_path, text: str, *args: str, name: str = "report.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return cli("check", p, *args)


# ------------------------------------------------------------------ empty texts
@pytest.mark.parametrize("text", ["", "   ", "\n\n", " \t\n\u3000\n", "\ufeff", "\r\n"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_empty_or_blank_text_is_an_input_error(tmp_path, text, fmt):
    r = check(tmp_path, text, "--format", fmt)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "report.txt" in r.stderr and "空" in r.stderr
    assert "未发现问题" not in r.stdout


def test_a_one_line_text_is_still_checked(tmp_path):
    r = check(tmp_path, "全年办理案件12件。", "--fragment")
    assert r.returncode == 0, r.stderr
    assert "未发现问题" in r.stdout


# ------------------------------------------------------------------ control characters
HOSTILE = "关于\x1b]0;pwned\x07工作的报告\n一、工作\x1b[2J情况。全年办理案件12件！！\x9b31m\n"
RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_escape_sequences_in_a_checked_text_are_made_visible(tmp_path):
    r = check(tmp_path, HOSTILE, "--fragment", name="报告\x1b[2J.txt")
    assert r.returncode in (0, 1), r.stderr
    assert r.stdout.strip()
    assert not RAW_CONTROLS.search(r.stdout), repr(r.stdout)
    assert "␛" in r.stdout  # shown, not dropped: a reviewer sees something is there


def test_json_output_keeps_control_characters_exact_but_escaped(tmp_path):
    name = "报告\x9b31m.txt"  # a C1 control (CSI) in the file name, which JSON echoes
    r = check(tmp_path, HOSTILE, "--fragment", "--format", "json", name=name)
    assert not RAW_CONTROLS.search(r.stdout), repr(r.stdout)
    data = json.loads(r.stdout)
    assert data["file"].endswith(name)
    text = HOSTILE
    assert data["findings"]
    for f in data["findings"]:
        assert text[f["start"]:f["end"]] == f["excerpt"]  # offsets into the real text


# ------------------------------------------------------------------ findings per rule
def test_text_output_caps_findings_per_rule_and_json_keeps_all(tmp_path):
    """Text output lists each distinct finding once (identical ones grouped with their
    count) and at most PER_RULE_SHOWN of a rule; JSON keeps every finding."""
    from drafter.app._view import PER_RULE_SHOWN, group_findings
    from drafter.validators import validate

    # distinct findings of one rule: 120 different unfilled fields, one per line
    text = REFERENCE_DOC.read_text(encoding="utf-8") + "".join(
        f"联系人：【待填写{i}号】\n" for i in range(PER_RULE_SHOWN * 6))
    j = check(tmp_path, text, "--format", "json")
    findings = json.loads(j.stdout)["findings"]
    codes = Counter(f["code"] for f in findings)
    assert codes["H003"] >= PER_RULE_SHOWN * 6
    r = check(tmp_path, text)
    listed = Counter(m.group(1) for m in re.finditer(r"^\S+:\d+:\d+ \S+ ([A-Z]\d{3}) ", r.stdout, re.M))
    groups = Counter(g[0].code for g in group_findings(validate(text)))
    assert listed["H003"] == PER_RULE_SHOWN
    for other, n in groups.items():  # rules under the cap are listed in full (a group once)
        assert listed[other] == min(n, PER_RULE_SHOWN)
    hidden = re.search(r"H003 另有 (\d+) 处未列出", r.stdout)
    assert hidden and int(hidden.group(1)) > 0
    grouped = sum(int(m.group(1)) for m in re.finditer(r"同一问题共 (\d+) 处", r.stdout))
    singles = sum(listed.values()) - len(re.findall(r"同一问题共", r.stdout))
    left_out = sum(int(m.group(1)) for m in re.finditer(r"另有 (\d+) 处未列出", r.stdout))
    assert grouped + singles + left_out == len(findings)  # every finding is shown, grouped or counted
    # the summary still counts every finding
    errors = sum(1 for f in findings if f["severity"] == "error")
    assert re.search(rf"合计\s*│\s*{errors}\s*│", r.stdout)
    assert r.returncode == j.returncode == 1
