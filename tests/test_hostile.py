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
