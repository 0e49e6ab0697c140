"""Big inputs stay usable: reports of 100 sections and more are numbered past 九十九,
work per section does not grow with the number of sections (counted, not timed),
and what a terminal shows is bounded (findings per rule, history rows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from drafter import load_draft, load_spec
from drafter._spec import Section
from helpers import SMALL_SPEC, cli


def many_sections(tmp_path: Path, n: int) -> Path:
    data = yaml.safe_load(SMALL_SPEC.read_text(encoding="utf-8"))
    base = data["sections"][0]
    data["sections"] = [dict(base, id=f"area-{i}", facts=[f"全年开展专项活动{i}场次"], points=[])
                        for i in range(1, n + 1)]
    p = tmp_path / f"n{n}.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def test_more_than_ninety_nine_sections(tmp_path):
    spec = many_sections(tmp_path, 120)
    saved = tmp_path / "n120.draft.json"
    out = tmp_path / "n120.txt"
    r = cli("draft", spec, "-f", "txt", "-o", out, "--save", saved)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    for ordinal in ("九十九、", "一百、", "一百零一、", "一百一十、", "一百二十、"):
        assert f"\n{ordinal}" in text
    assert cli("check", out, "--input", spec).returncode == 0
    assert cli("status", saved).returncode == 0
    r = cli("session", saved, input="show 120\nquit\n")
    assert r.returncode == 0 and "第120部分（area-120）" in r.stdout
    r = cli("regen", saved, "105")
    assert r.returncode == 0, r.stderr
    assert "一百零五、" in cli("export", saved, "-f", "txt").stdout


@pytest.mark.parametrize("n", [40, 80])
def test_drafting_compares_no_sections(tmp_path, monkeypatch, n):
    """Finding a section's number used to compare it with every section before it
    (list.index: n²/2 comparisons of whole sections, 11.5 s for 4,000 sections)."""
    from drafter import Drafter
    import drafter._pipeline as pipeline

    compared = []
    original_eq = Section.__eq__
    monkeypatch.setattr(Section, "__eq__", lambda a, b: compared.append(1) or original_eq(a, b))
    digests = []
    original_digest = pipeline.template_digest
    monkeypatch.setattr(pipeline, "template_digest", lambda *a, **k: digests.append(1) or original_digest(*a, **k))
    draft = Drafter().draft(load_spec(many_sections(tmp_path, n)))
    assert len(draft.sections) == n
    assert len(compared) < n  # linear at worst; none today
    assert len(digests) == 1  # the prompt templates are read once per draft, not once per part


def test_session_history_lists_the_latest_versions(tmp_path):
    from drafter.app._session_commands import HISTORY_SHOWN
    from drafter.export import save_draft
    from drafter._draft import Version

    spec = tmp_path / "report.yaml"
    spec.write_text(SMALL_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    saved = tmp_path / "report.draft.json"
    assert cli("draft", spec, "--save", saved).returncode == 0
    draft = load_draft(saved)
    many = HISTORY_SHOWN * 10
    draft.part(1).history = [Version(text=f"第{i}稿。", origin="hand", note=f"旧稿{i}") for i in range(1, many + 1)]
    save_draft(draft, saved)
    def rows(command: str) -> tuple[list[int], str]:
        r = cli("session", saved, input=f"{command}\nquit\n")
        shown = r.stdout.split(f"drafter> {command}", 1)[1]
        return [int(x) for x in re.findall(r"^│\s*(\d+) │", shown, re.M)], shown

    listed, out = rows("history 1")
    assert listed == list(range(many - HISTORY_SHOWN + 1, many + 1))
    assert f"更早的 {many - HISTORY_SHOWN} 个版本未列出" in out
    assert rows("history 1 all")[0] == list(range(1, many + 1))
    assert "看不懂" in rows("history 1 everything")[1]


def test_facts_file_findings_are_capped_in_text_output(tmp_path):
    """A facts file of many numbers gives a warning per unused fact: text output lists
    a bounded number of them; JSON lists all."""
    from drafter.app._view import PER_RULE_SHOWN

    facts = tmp_path / "facts.txt"
    n = PER_RULE_SHOWN * 4
    facts.write_text("\n".join(f"全年办理案件{i}件" for i in range(1, n + 1)) + "\n", encoding="utf-8")
    text = tmp_path / "report.txt"
    text.write_text("全年办理案件1件。\n", encoding="utf-8")
    r = cli("check", text, "--facts", facts, "--fragment")
    listed = re.findall(r"^\S+:\d+:\d+ \S+ ([A-Z]\d{3}) ", r.stdout, re.M)
    assert max(listed.count(c) for c in set(listed)) <= PER_RULE_SHOWN
    assert "另有" in r.stdout and "--format json" in r.stdout
