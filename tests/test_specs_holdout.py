"""Whole specs and whole reports through the CLI (tests/corpus/numbers/specs_holdout):
clean reports raise no numbers error, every planted finding is found and nothing else is
an error; the composer's own draft of each spec checks clean."""

from __future__ import annotations

import json

import pytest

from helpers import cli
from specs_holdout import case_dirs, compare, expected, number_errors

CASES = [(case, name, req, opt) for case in case_dirs() for name, (req, opt) in expected(case).items()]


@pytest.mark.parametrize(("case", "name", "required", "optional"), CASES,
                         ids=[f"{c.name}/{n}" for c, n, _, _ in CASES])
def test_report_findings(case, name, required, optional):
    found = number_errors(case, name)
    missed, extra = compare(found, required, optional)
    assert not missed, f"missed: {missed}"
    assert not extra, "extra errors: " + "; ".join(f"{f['code']} {f['excerpt']} {f['message']}" for f in extra)


@pytest.mark.parametrize("case", case_dirs(), ids=lambda c: c.name)
def test_composer_draft_checks_clean(case, tmp_path):
    out = tmp_path / "draft.md"
    r = cli("draft", str(case / "spec.yaml"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    payload = json.loads(cli("check", str(out), "--input", str(case / "spec.yaml"), "--format", "json").stdout)
    bad = [f for f in payload["findings"] if f["severity"] == "error" or f["code"] == "N008"]
    assert not bad, [(f["code"], f["excerpt"], f["message"]) for f in bad]
