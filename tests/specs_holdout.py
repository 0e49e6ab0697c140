"""Whole specs with whole reports, checked as a user would: ``drafter check REPORT --input SPEC
--format json``. Each case folder under tests/corpus/numbers/specs_holdout holds spec.yaml,
report texts and expected.yaml (file → list of ``CODE excerpt``; an entry starting with ``?``
may be reported or not). Used by tests/test_specs_holdout.py and runnable as a script for a
recall summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import CORPUS, cli  # noqa: E402

CASES = CORPUS / "numbers" / "specs_holdout"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "spec.yaml").exists())


def expected(case: Path) -> dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """file → (required findings, optional findings), each as (code, excerpt)."""
    out = {}
    for name, entries in yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8")).items():
        required, optional = [], []
        for entry in entries or []:
            target = optional if entry.startswith("?") else required
            code, excerpt = entry.lstrip("? ").split(None, 1)
            target.append((code, excerpt.strip()))
        out[name] = (required, optional)
    return out


def number_errors(case: Path, name: str) -> list[dict]:
    r = cli("check", str(case / name), "--input", str(case / "spec.yaml"), "--format", "json")
    payload = json.loads(r.stdout)
    return [f for f in payload["findings"] if f["family"] == "numbers" and f["severity"] == "error"]


def _matches(finding: dict, code: str, excerpt: str) -> bool:
    return finding["code"] == code and (excerpt in finding["excerpt"] or finding["excerpt"] in excerpt)


def compare(found: list[dict], required, optional) -> tuple[list, list]:
    """(missed required findings, extra errors)."""
    missed = [(c, e) for c, e in required if not any(_matches(f, c, e) for f in found)]
    allowed = [*required, *optional]
    extra = [f for f in found if not any(_matches(f, c, e) for c, e in allowed)]
    return missed, extra


def main() -> int:
    planted = found_total = clean_errors = extra_total = 0
    for case in case_dirs():
        for name, (required, optional) in expected(case).items():
            found = number_errors(case, name)
            missed, extra = compare(found, required, optional)
            planted += len(required)
            found_total += len(required) - len(missed)
            if not required:
                clean_errors += len(found)
            else:
                extra_total += len(extra)
            for c, e in missed:
                print(f"MISS  {case.name}/{name}: {c} {e}")
            for f in extra:
                print(f"EXTRA {case.name}/{name}: {f['code']} {f['excerpt']} — {f['message'][:90]}")
    print(f"recall {found_total}/{planted} = {found_total / max(planted, 1):.3f}; "
          f"errors on clean {clean_errors}; extra errors on defect texts {extra_total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
