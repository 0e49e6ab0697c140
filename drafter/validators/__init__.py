"""Validators: pure functions of (text, evidence, kind) → findings.

Four families, each a module with ``check(ctx) -> list[Finding]``:
numbers (every figure backed), register (official tone), hygiene (clean text),
structure (the document's shape). :func:`validate` runs them all.

The kind decides what is normal (:mod:`drafter._kinds`): given by the caller, else the
spec's, else recognised from the text's title; an unrecognised text is ``generic``.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

from .._evidence import Evidence
from .._findings import Finding, FindingMaker, sort_findings
from .._spec import Report
from . import _hygiene, _numbers_check, _register, _structure
from ._context import CheckContext

FAMILY_CHECKS = {
    "numbers": _numbers_check.check,
    "register": _register.check,
    "hygiene": _hygiene.check,
    "structure": _structure.check,
}


def validate(
    text: str,
    spec: Report | None = None,
    *,
    facts: Iterable[str] | None = None,
    evidence: Evidence | None = None,
    kind: str | None = None,
    fragment: bool = False,
    families: Iterable[str] | None = None,
    extra_lexicons: Iterable[str] = (),
) -> list[Finding]:
    """Check ``text``; figures are judged against ``spec`` or plain ``facts`` lines
    (or a prepared ``evidence``). With none of them, numbers are not judged.

    ``kind`` (an id such as ``work_summary``, see :func:`drafter._kinds.kind_ids`)
    wins over the spec's kind; with neither, the kind is recognised from the text.
    In a kind whose figures are all targets (``numbers: {all_planned: true}``, the
    工作要点) every fact is treated as planned: a figure stated as done is an error."""
    from .._kinds import resolve_kind

    extra = tuple(str(p) for p in extra_lexicons)
    if evidence is None:
        if spec is not None:
            evidence = Evidence.of(spec)
        elif facts is not None:
            evidence = Evidence.from_facts(list(facts))
    choice = resolve_kind(text, kind, spec.kind if spec is not None else None, extra)
    ctx = CheckContext(
        text=text, make=FindingMaker(text), kind=choice.kind.id,
        fragment=fragment, evidence=evidence, extra_lexicons=extra,
        # a kind whose every figure is a target (工作要点: numbers.all_planned)
        options={"all_planned": True} if choice.kind.all_planned else {},
    )
    return merge([FAMILY_CHECKS[name](ctx) for name in families or FAMILY_CHECKS])


def merge(parts: Iterable[list[Finding]]) -> list[Finding]:
    """Findings of families checked apart, in :data:`FAMILY_CHECKS` order, as one
    :func:`validate` of them all gives them: in text order, and nothing reported
    again inside a stretch of web junk."""
    out: list[Finding] = []
    for part in parts:
        out += part
    return sort_findings(_outside_junk(out))


def _outside_junk(findings: list[Finding]) -> list[Finding]:
    """A stretch of web junk (H001) is one finding: what lies inside it (the 我 of
    我要投稿, the figure of 阅读量：2836) is not reported again by another family."""
    junk = sorted((f.start, f.end) for f in findings if f.code == "H001")
    if not junk:
        return findings
    starts = [s for s, _ in junk]

    def inside(f: Finding) -> bool:
        i = bisect_right(starts, f.start) - 1
        return i >= 0 and junk[i][0] <= f.start and f.end <= junk[i][1]

    return [f for f in findings if f.family == "hygiene" or not inside(f)]


__all__ = ["CheckContext", "FAMILY_CHECKS", "merge", "validate"]
