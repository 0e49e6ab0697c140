"""Real-text sets per document kind (tests/corpus/<kind>/): clean documents are
recognised as their kind and yield nothing; defects planted in them are found, each
at its place, and nothing else appears (precision and recall per family, per kind)."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from drafter._kinds import detect, kind_ids
from drafter.validators import validate

from helpers import CORPUS

KIND_DIRS = [CORPUS / k for k in kind_ids() if (CORPUS / k).is_dir()]
CLEAN = sorted(p for d in KIND_DIRS for p in d.glob("clean-*"))
# Findings a clean document keeps on purpose (relative path → code, excerpt, severity).
ACCEPTED = yaml.safe_load((CORPUS / "accepted.yaml").read_text(encoding="utf-8")) or {}


def _cases() -> list[tuple[str, dict]]:
    out = []
    for d in KIND_DIRS:
        f = d / "defects.yaml"
        for i, case in enumerate(yaml.safe_load(f.read_text(encoding="utf-8")) or []):
            out.append((f"{d.name}-{i}", {**case, "dir": d}))
    return out


CASES = _cases()


@cache
def _found(text: str, kind: str | None = None) -> list[tuple[str, str, str]]:
    return [(f.code, f.excerpt, f.severity) for f in validate(text, kind=kind)]


def test_every_kind_has_clean_documents_and_defects():
    assert {d.name for d in KIND_DIRS} == set(kind_ids())
    for d in KIND_DIRS:
        assert len(list(d.glob("clean-*"))) >= 2, d.name
        assert (d / "defects.yaml").is_file(), d.name


@pytest.mark.parametrize("path", CLEAN, ids=[f"{p.parent.name}/{p.name}" for p in CLEAN])
def test_clean_document_is_recognised_and_yields_nothing(path: Path):
    text = path.read_text(encoding="utf-8")
    assert detect(text).kind.id == path.parent.name
    rel = f"{path.parent.name}/{path.name}"
    accepted = [(a["code"], str(a["excerpt"]), a["severity"]) for a in ACCEPTED.get(rel, [])]
    assert _found(text) == accepted


@pytest.mark.parametrize("name, case", CASES, ids=[n for n, _ in CASES])
def test_planted_defect_is_found_and_nothing_else(name: str, case: dict):
    base = (case["dir"] / case["base"]).read_text(encoding="utf-8")
    assert base.count(case["find"]) == 1, "find must occur once in the base"
    text = base.replace(case["find"], case["replace"])
    kind = case.get("kind")
    before = Counter(_found(base, kind))
    after = Counter(_found(text, kind))
    added = sorted((after - before).elements())
    expected = sorted(
        (e["code"], str(e["excerpt"]), e.get("severity") or _severity_of(e["code"], added)) for e in case["expect"]
    )
    assert added == expected


def _severity_of(code: str, added: list[tuple[str, str, str]]) -> str:
    """A case that does not pin the severity accepts the one found."""
    return next((sev for c, _, sev in added if c == code), "error")


def test_recall_and_precision_per_family():
    """Over all planted cases: every expected finding is found, and no unexpected one
    appears — counted per family so a regression names the family."""
    families = {"R": "register", "H": "hygiene", "S": "structure"}
    expected: Counter = Counter()
    found: Counter = Counter()
    extra: Counter = Counter()
    for _, case in CASES:
        base = (case["dir"] / case["base"]).read_text(encoding="utf-8")
        text = base.replace(case["find"], case["replace"])
        added = Counter((c, e) for c, e, _ in _found(text, case.get("kind"))) - \
            Counter((c, e) for c, e, _ in _found(base, case.get("kind")))
        want = Counter((e["code"], str(e["excerpt"])) for e in case["expect"])
        for (code, _), n in want.items():
            expected[families[code[0]]] += n
        for key, n in (want & added).items():
            found[families[key[0][0]]] += n
        for key, n in (added - want).items():
            extra[families[key[0][0]]] += n
    assert sum(expected.values()) >= 100
    for family in families.values():
        assert found[family] == expected[family], family
        assert extra[family] == 0, family
