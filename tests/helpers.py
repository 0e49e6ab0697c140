"""Shared helpers for the tests: run the real CLI in process (fast) or in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_SPEC = ROOT / "examples" / "self-inspection-2021.yaml"
SMALL_SPEC = ROOT / "examples" / "work-area-2023-small.yaml"
REFERENCE_DOC = ROOT / "tests" / "corpus" / "reference-2021.txt"  # copy of shared/reference


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DRAFTER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY")}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "drafter", *args], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, text=True, input=input, timeout=120)


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


_MODEL_ENV = ("DRAFTER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY")


def cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> CliResult:
    """The CLI's entry function in this process, with stdout/stderr captured: the same
    code path as ``drafter ARGS`` without the interpreter start-up. Use run_cli for the
    few tests that need a real process (signals, terminals, start-up imports)."""
    import contextlib
    import io

    from drafter.app.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {k: os.environ.get(k) for k in (*_MODEL_ENV, *(env or {}))}
    saved_cwd = os.getcwd()
    saved_stdin = sys.stdin
    try:
        for k in _MODEL_ENV:
            os.environ.pop(k, None)
        os.environ.update(env or {})
        os.chdir(cwd or ROOT)
        sys.stdin = io.StringIO(input or "")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main([str(a) for a in args])
            except SystemExit as e:  # argparse usage errors and --help/--version
                rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return CliResult(rc, out.getvalue(), err.getvalue())


CORPUS = ROOT / "tests" / "corpus"


def run_family(module, text: str, **kw) -> list:
    """One validator family on ``text``, findings in text order."""
    from drafter._findings import FindingMaker
    from drafter.validators._context import CheckContext

    ctx = CheckContext(text=text, make=FindingMaker(text), **kw)
    return sorted(module.check(ctx), key=lambda f: (f.start, f.code))


def clean_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a corpus file of clean sentences."""
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.startswith("#")]


def defect_cases(name: str) -> list[dict]:
    import yaml

    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def assert_defect_case(found: list, case: dict, family: str) -> None:
    """A corpus case: exactly the listed findings, each with a true span, the family,
    a message, its standard and (where listed) the suggestion."""
    text = case["text"]
    assert [(f.code, f.excerpt) for f in found] == [(d["code"], str(d["excerpt"])) for d in case["findings"]]
    for f, d in zip(found, case["findings"]):
        assert text[f.start:f.end] == f.excerpt
        if "suggestion" in d:
            assert f.suggestion == (None if d["suggestion"] is None else str(d["suggestion"]))
        assert f.family == family and f.message and f.standard


# ---------------------------------------------------------------- planted-defect corpora

PLANTED_FAMILIES = {"R": "register", "H": "hygiene", "S": "structure", "N": "numbers"}


def expected_findings(case: dict, added) -> list[tuple[str, str, str]]:
    """A planted case's expected (code, excerpt, severity); a case may leave the
    severity out, then it is the one the finding of that code has."""
    found = sorted(added.elements())
    return sorted(
        (e["code"], str(e["excerpt"]), e.get("severity") or next((s for c, _, s in found if c == e["code"]), "error"))
        for e in case["expect"])


def assert_every_family_found_exactly(cases: list[dict], added_of) -> None:
    """Recall 1 and nothing extra, per family, over planted cases (``added_of(case)``:
    the Counter of (code, excerpt, severity) the plant adds to its base text)."""
    from collections import Counter

    expected: Counter = Counter()
    found: Counter = Counter()
    extra: Counter = Counter()
    for case in cases:
        added = Counter((c, e) for (c, e, _), n in added_of(case).items() for _ in range(n))
        want = Counter((e["code"], str(e["excerpt"])) for e in case["expect"])
        for (code, _), n in want.items():
            expected[PLANTED_FAMILIES[code[0]]] += n
        for (code, _), n in (want & added).items():
            found[PLANTED_FAMILIES[code[0]]] += n
        for (code, _), n in (added - want).items():
            extra[PLANTED_FAMILIES[code[0]]] += n
    for family in PLANTED_FAMILIES.values():
        assert found[family] == expected[family], family
        assert extra[family] == 0, family


# ---------------------------------------------------------------- reading drafts in tests

_OPEN, _CLOSE = "“《（(「", "”》）)」"


def split_outside_quotes(text: str, marks: str) -> list[str]:
    """Pieces of ``text`` cut after each of ``marks`` outside quotations, marks kept — a
    splitter of the tests' own, independent of the composer's."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in _OPEN) - (ch in _CLOSE and depth > 0)
        if ch in marks and depth == 0:
            out.append(text[start:i + 1])
            start = i + 1
    if text[start:]:
        out.append(text[start:])
    return out


def planted_kind(path: Path) -> str:
    """The kind a held-out corpus file is of, by its name: clean-<kind>--<what>.txt."""
    return path.name.removeprefix("clean-").split("--")[0]


def findings_of(text: str, kind: str | None = None) -> tuple[tuple[str, str, str], ...]:
    """(code, excerpt, severity) of every finding ``check`` makes on ``text`` (memoised)."""
    return _findings_of(text, kind)


def planted_added(folder: Path, case: dict):
    """What a planted case adds to the findings of its base document: ``find`` replaced
    by ``replace`` in ``folder/base`` (read as ``check`` reads it), checked as ``kind``."""
    from collections import Counter

    from drafter.reading import read_document

    base = read_document(folder / case["base"]).text
    assert base.count(case["find"]) == 1, "find must occur once in the base"
    text = base.replace(case["find"], case["replace"])
    kind = case.get("kind")
    return Counter(findings_of(text, kind)) - Counter(findings_of(base, kind))


@cache
def _findings_of(text: str, kind: str | None) -> tuple[tuple[str, str, str], ...]:
    from drafter.validators import validate

    return tuple((f.code, f.excerpt, f.severity) for f in validate(text, kind=kind))
