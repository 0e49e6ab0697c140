"""The second holdout set (tests/corpus/holdout2/): long documents as they are
published and saved — complete 政府工作报告 of a province, a district and a town, long
述职述廉报告, 自查报告, 工作总结, 通知 and 请示, as text, Markdown and Word (built by
make_docx.py), and web pages and 文库 copies whose junk lines are the defects
(web.yaml). Written without looking at the word lists or validators.

A clean document clean-<kind>--<name> is read as the check command reads it, is
recognised as <kind> and yields nothing but what accepted.yaml keeps; a web page
yields exactly its junk; every planted defect is found at its place and nothing else
appears."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drafter._kinds import detect
from drafter.reading import read_document

from helpers import (CORPUS, assert_every_family_found_exactly, expected_findings, findings_of, planted_added,
                     planted_kind)

HOLDOUT = CORPUS / "holdout2"
CLEAN = sorted(HOLDOUT.glob("clean-*"))
WEB = yaml.safe_load((HOLDOUT / "web.yaml").read_text(encoding="utf-8"))
ACCEPTED_FILE = HOLDOUT / "accepted.yaml"
ACCEPTED = (yaml.safe_load(ACCEPTED_FILE.read_text(encoding="utf-8")) or {}) if ACCEPTED_FILE.is_file() else {}
CASES = yaml.safe_load((HOLDOUT / "defects.yaml").read_text(encoding="utf-8")) or []


def _added(case: dict):
    return planted_added(HOLDOUT, case)


def test_holdout2_covers_long_documents_of_every_form():
    names = [p.name for p in CLEAN]
    assert len(CLEAN) >= 10
    assert sum(planted_kind(p) == "gov_work_report" for p in CLEAN) >= 3
    assert sum(n.endswith(".md") for n in names) >= 2
    assert sum(n.endswith(".docx") for n in names) >= 2
    assert len(WEB) >= 2
    assert sum(len(c["expect"]) for c in CASES) >= 50
    assert any(len(read_document(p).text) >= 5000 for p in CLEAN)


@pytest.mark.parametrize("path", CLEAN, ids=[p.name for p in CLEAN])
def test_clean_holdout2_document_is_recognised_and_yields_nothing(path: Path):
    text = read_document(path).text
    assert detect(text).kind.id == planted_kind(path)
    accepted = [(a["code"], str(a["excerpt"]), a["severity"]) for a in ACCEPTED.get(path.name, [])]
    assert list(findings_of(text)) == accepted


@pytest.mark.parametrize("name", sorted(WEB), ids=sorted(WEB))
def test_web_page_yields_exactly_its_junk(name: str):
    text = read_document(HOLDOUT / name).text
    assert detect(text).kind.id == WEB[name]["kind"]
    found = sorted((c, e) for c, e, _ in findings_of(text))
    assert found == sorted((e["code"], str(e["excerpt"])) for e in WEB[name]["expect"])


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"holdout2-{i}" for i in range(len(CASES))])
def test_planted_holdout2_defect_is_found_and_nothing_else(i: int):
    case = CASES[i]
    added = _added(case)
    assert sorted(added.elements()) == expected_findings(case, added)


def test_holdout2_recall_and_precision_per_family():
    assert_every_family_found_exactly(CASES, _added)
