"""Hostile files and options: a clear Chinese message, exit 2, within seconds,
nothing written, never a traceback or 内部错误.

"Within seconds" is proven with an alarm: a reader that hangs or loops is
interrupted and the test fails, instead of the suite hanging.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from pathlib import Path

import pytest
import yaml

from helpers import SMALL_SPEC, cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, FIFOs and devices")


@contextlib.contextmanager
def within(seconds: int):
    """Fail (instead of hanging) when the block runs longer than ``seconds``."""
    def expired(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def refused(r, *needles: str) -> None:
    """Exit 2 with a Chinese message holding every needle; no traceback, no 内部错误."""
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "内部错误" not in r.stderr, r.stderr
    for n in needles:
        assert n in r.stderr, r.stderr


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


SMALL_TEXT = SMALL_SPEC.read_text(encoding="utf-8")


def alias_bomb(levels: int = 8, width: int = 10) -> str:
    """The billion laughs: each level an anchor holding ``width`` aliases of the one before."""
    lines = ["l0: &l0 [" + ", ".join(["哈"] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ item 5: YAML aliases
def test_alias_bomb_is_refused_by_draft_check_and_session(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb() + SMALL_TEXT, encoding="utf-8")
    assert bomb.stat().st_size < 2048 + len(SMALL_TEXT.encode())
    text = tmp_path / "report.txt"
    text.write_text("全年办理案件12件。\n", encoding="utf-8")
    before = files_in(tmp_path)
    for args in (["draft", bomb], ["check", text, "--input", bomb], ["session", bomb]):
        with within(10):
            r = cli(*args)
        refused(r, "bomb.yaml", "别名")
    assert files_in(tmp_path) == before  # no draft, no lock, no output


def test_alias_bomb_inside_a_field_is_refused(tmp_path):
    """The bomb's top level may be a field the model knows (facts: *l8)."""
    body = SMALL_TEXT.replace("    facts:\n", "    facts: *l8\n    unused:\n", 1)
    p = tmp_path / "spec.yaml"
    p.write_text(alias_bomb() + body, encoding="utf-8")
    with within(10):
        refused(cli("draft", p), "spec.yaml:", "别名")


def test_recursive_alias_is_refused(tmp_path):
    p = tmp_path / "spec.yaml"
    p.write_text(SMALL_TEXT + "extra: &loop [1, *loop]\n", encoding="utf-8")
    with within(10):
        refused(cli("draft", p), "spec.yaml:", "别名")


def test_alias_bomb_in_a_word_list_is_refused(tmp_path):
    lex = tmp_path / "words.yaml"
    lex.write_text(alias_bomb(), encoding="utf-8")
    text = tmp_path / "report.txt"
    text.write_text("全年办理案件12件。\n", encoding="utf-8")
    with within(10):
        refused(cli("check", text, "--lexicon", lex), "words.yaml")


def test_modest_aliases_still_work(tmp_path):
    """An anchor reused a few times is ordinary YAML, not an attack."""
    p = tmp_path / "spec.yaml"
    p.write_text(_with_anchor(SMALL_TEXT), encoding="utf-8")
    r = cli("draft", p)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("全年") >= 2


def _with_anchor(text: str) -> str:
    """The spec with its honours list anchored and a section's facts list aliased by a second
    section that reuses them (different id, same facts): legal, small expansion."""
    data = yaml.safe_load(text)
    first = data["sections"][0]
    second = dict(first, id=first["id"] + "-again")
    data["sections"].append(second)
    out = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # PyYAML writes &id001/*id001 for shared lists
    assert "&id001" in out and "*id001" in out
    return out


@pytest.mark.parametrize("levels", [150, 1200])  # beyond drafter's bound; beyond libyaml's
def test_deep_yaml_nesting_is_refused(tmp_path, levels):
    deep = "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "v\n"
    p = tmp_path / "spec.yaml"
    p.write_text(SMALL_TEXT.replace("period:", "extra:\n" + "".join("  " + ln + "\n" for ln in deep.splitlines())
                                    + "period:", 1), encoding="utf-8")
    with within(10):
        refused(cli("draft", p), "spec.yaml:", "层")


def test_huge_yaml_integer_is_refused(tmp_path):
    p = tmp_path / "spec.yaml"
    p.write_text(SMALL_TEXT.replace("period: 2023", "period: " + "1" * 5000), encoding="utf-8")
    refused(cli("draft", p), "spec.yaml:", "位数")


# ------------------------------------------------------------------ item 8: JSON specs and numbers
SMALL_DATA = yaml.safe_load(SMALL_TEXT)


def json_spec(tmp_path: Path, data=None, *, edit=None, name: str = "spec.json") -> Path:
    """The small example as an indented JSON spec, optionally edited as text."""
    text = json.dumps(SMALL_DATA if data is None else data, ensure_ascii=False, indent=2, default=str)
    if edit:
        old, new = edit
        assert old in text
        text = text.replace(old, new, 1)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


Q_ORGAN, Q_AIM, Q_PERIOD, Q_VALUE = '"organ"', '"aim"', '"period"', '"value"'


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i for i, ln in enumerate(lines, 1) if needle in ln]
    return hits[nth - 1]


def test_clean_json_spec_drafts(tmp_path):
    r = cli("draft", json_spec(tmp_path))
    assert r.returncode == 0, r.stderr


def test_duplicate_key_in_json_is_refused_with_its_line(tmp_path):
    p = json_spec(tmp_path, edit=('"organ": ', '"organ": "甲单位",\n  "organ": '))
    refused(cli("draft", p), f"spec.json:{line_of(p, Q_ORGAN, 2)}", "organ", "重复",
            f"第 {line_of(p, Q_ORGAN, 1)} 行")


def test_duplicate_key_in_a_nested_json_object(tmp_path):
    p = json_spec(tmp_path, edit=('"aim": ', '"aim": "别的目标",\n      "aim": '))
    refused(cli("draft", p), f"spec.json:{line_of(p, Q_AIM, 2)}", "sections[0].aim", "重复")


def test_same_key_in_different_json_objects_is_fine(tmp_path):
    """"id", "topic", "facts" repeat across sections: only a repeat in one object is an error."""
    assert cli("draft", json_spec(tmp_path)).returncode == 0


def test_json_field_errors_name_the_line(tmp_path):
    p = json_spec(tmp_path, edit=('"period": 2023', '"period": "二〇二三"'))
    refused(cli("draft", p), f"spec.json:{line_of(p, Q_PERIOD)}", "period", "应为整数")


def test_deep_json_nesting_is_refused(tmp_path):
    p = json_spec(tmp_path, edit=('"period": 2023', '"period": ' + "[" * 5000 + "]" * 5000))
    with within(10):
        refused(cli("draft", p), "spec.json", "嵌套")


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_overlong_integer_is_refused(tmp_path, fmt):
    if fmt == "json":
        p = json_spec(tmp_path, edit=('"period": 2023', '"period": ' + "1" * 5000))
    else:
        p = tmp_path / "spec.yaml"
        p.write_text(SMALL_TEXT.replace("period: 2023", "period: " + "1" * 5000), encoding="utf-8")
    refused(cli("draft", p), f"spec.{fmt}:{line_of(p, 'period')}", "位数")


def test_overlong_integer_as_text_gets_a_chinese_message(tmp_path):
    p = json_spec(tmp_path, edit=('"period": 2023', '"period": "' + "1" * 5000 + '"'))
    r = cli("draft", p)
    refused(r, "period", "整数")
    assert "exceeded" not in r.stderr and "Unable" not in r.stderr


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "1e400", "-1e400"])
def test_figure_that_is_not_finite_in_json(tmp_path, value):
    p = json_spec(tmp_path, edit=('"value": 42', f'"value": {value}'))
    r = cli("draft", p)
    refused(r, f"spec.json:{line_of(p, Q_VALUE)}", "figures[0].value", "有限")
    assert "Input should" not in r.stderr


@pytest.mark.parametrize("value", [".inf", ".nan", "-.inf", "1e400", ".Inf"])
def test_figure_that_is_not_finite_in_yaml(tmp_path, value):
    p = tmp_path / "spec.yaml"
    p.write_text(SMALL_TEXT.replace("value: 42,", f"value: {value},"), encoding="utf-8")
    r = cli("draft", p)
    refused(r, f"spec.yaml:{line_of(p, 'value: ' + value)}", "figures[0].value", "有限")


def test_change_amount_must_be_finite(tmp_path):
    text = SMALL_TEXT.replace("- {label: 培训期数, value: 42, unit: 期}",
                              "- {label: 培训期数, value: 42, unit: 期, change: {basis: 同比, direction: 增长, "
                              "amount: .inf}}")
    p = tmp_path / "spec.yaml"
    p.write_text(text, encoding="utf-8")
    refused(cli("draft", p), "change.amount", "有限")


def test_json_syntax_errors_are_chinese(tmp_path):
    p = tmp_path / "spec.json"
    p.write_text('{"organ": "某区",\n "period": }', encoding="utf-8")
    r = cli("draft", p)
    refused(r, "spec.json:2:", "JSON")
    assert "Expecting" not in r.stderr


# ------------------------------------------------------------------ item 7: special files
def special(tmp_path: Path, kind: str, name: str) -> Path:
    """A FIFO, or a symlink to /dev/zero or /dev/urandom, under a name a user might give."""
    p = tmp_path / name
    if kind == "fifo":
        os.mkfifo(p)
    else:
        p.symlink_to(kind)
    return p


SPECIALS = ["fifo", "/dev/zero", "/dev/urandom"]


@pytest.mark.parametrize("kind", SPECIALS)
def test_special_spec_is_refused(tmp_path, kind):
    p = special(tmp_path, kind, "spec.yaml")
    with within(5):
        refused(cli("draft", p), "spec.yaml", "不是普通文件")


@pytest.mark.parametrize("kind", SPECIALS)
def test_special_checked_file_is_refused(tmp_path, kind):
    p = special(tmp_path, kind, "report.txt")
    with within(5):
        refused(cli("check", p), "report.txt", "不是普通文件")


@pytest.mark.parametrize("kind", SPECIALS)
def test_special_facts_file_is_refused(tmp_path, kind):
    text = tmp_path / "report.txt"
    text.write_text("全年办理案件12件。\n", encoding="utf-8")
    p = special(tmp_path, kind, "facts.txt")
    with within(5):
        refused(cli("check", text, "--facts", p), "facts.txt", "不是普通文件")


@pytest.mark.parametrize("kind", SPECIALS)
def test_special_word_list_or_kind_file_is_refused(tmp_path, kind):
    """--lexicon takes word lists and kind files: both loaders read through the safe reader."""
    text = tmp_path / "report.txt"
    text.write_text("全年办理案件12件。\n", encoding="utf-8")
    p = special(tmp_path, kind, "org.yaml")
    with within(5):
        refused(cli("check", text, "--lexicon", p), "org.yaml", "不是普通文件")
    with within(5):
        refused(cli("check", text, "--kind", "generic", "--lexicon", p), "org.yaml", "不是普通文件")


@pytest.mark.parametrize("kind", SPECIALS)
@pytest.mark.parametrize("command", ["status", "export", "regen"])
def test_special_draft_file_is_refused(tmp_path, kind, command):
    p = special(tmp_path, kind, "report.draft.json")
    args = [command, p, *(["1"] if command == "regen" else [])]
    before = files_in(tmp_path)
    with within(5):
        refused(cli(*args), "report.draft.json", "不是普通文件")
    assert files_in(tmp_path) == before


@pytest.mark.parametrize("kind", SPECIALS)
def test_session_on_a_special_draft_is_refused(tmp_path, kind):
    spec = tmp_path / "report.yaml"
    spec.write_text(SMALL_TEXT, encoding="utf-8")
    special(tmp_path, kind, "report.draft.json")
    before = files_in(tmp_path)
    with within(5):
        refused(cli("session", spec), "report.draft.json", "不是普通文件")
    assert files_in(tmp_path) == before


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    from drafter.reading import MAX_BYTES

    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:  # sparse: costs no disk
        f.truncate(MAX_BYTES + 1)
    with within(5):
        refused(cli("check", p), "huge.txt", "太大", "MB")


def test_regular_file_through_a_symlink_is_read(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text(SMALL_TEXT, encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert cli("draft", link).returncode == 0


def test_a_folder_given_as_a_file_is_refused(tmp_path):
    refused(cli("check", tmp_path), "目录")
    refused(cli("draft", tmp_path), "目录")
