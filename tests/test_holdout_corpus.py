"""The holdout set (tests/corpus/holdout/): real-style documents of every kind and
defects planted in them, written without looking at the word lists or validators.
A clean document clean-<kind>--<name> is recognised as <kind> and yields nothing but
what accepted.yaml keeps; every planted defect is found at its place and nothing else
appears."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drafter._kinds import detect

from helpers import (CORPUS, assert_every_family_found_exactly, expected_findings, findings_of, planted_added,
                     planted_kind)

HOLDOUT = CORPUS / "holdout"
CLEAN = sorted(HOLDOUT.glob("clean-*"))
ACCEPTED = yaml.safe_load((HOLDOUT / "accepted.yaml").read_text(encoding="utf-8")) or {}
CASES = yaml.safe_load((HOLDOUT / "defects.yaml").read_text(encoding="utf-8")) or []


def _added(case: dict):
    return planted_added(HOLDOUT, case)


def test_holdout_covers_every_kind_and_enough_defects():
    assert len(CLEAN) >= 14
    assert {planted_kind(p) for p in CLEAN} >= {"gov_work_report", "self_inspection", "work_summary", "debriefing",
                                            "notice", "request", "report", "work_plan"}
    assert sum(1 for c in CASES if c["expect"]) >= 60


@pytest.mark.parametrize("path", CLEAN, ids=[p.name for p in CLEAN])
def test_clean_holdout_document_is_recognised_and_yields_nothing(path: Path):
    text = path.read_text(encoding="utf-8")
    assert detect(text).kind.id == planted_kind(path)
    accepted = [(a["code"], str(a["excerpt"]), a["severity"]) for a in ACCEPTED.get(path.name, [])]
    assert list(findings_of(text)) == accepted


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"holdout-{i}" for i in range(len(CASES))])
def test_planted_holdout_defect_is_found_and_nothing_else(i: int):
    case = CASES[i]
    added = _added(case)
    assert sorted(added.elements()) == expected_findings(case, added)


def test_holdout_recall_and_precision_per_family():
    assert_every_family_found_exactly(CASES, _added)
