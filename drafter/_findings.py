"""Findings are data: the CLI, the API and the revise loop all read the same fields.

Each finding comes from a rule; rules live in ``drafter/data/rules/<family>.yaml`` with
their severity and the standard or practice they come from, so an organisation can
see (and override) why something is flagged.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ._resources import data_file
from ._yaml import load as load_yaml

Family = Literal["numbers", "register", "hygiene", "structure"]
Severity = Literal["error", "warning"]
FAMILIES: tuple[str, ...] = ("numbers", "register", "hygiene", "structure")


class Finding(BaseModel):
    """One problem at one place of a text. Offsets are 0-based, end exclusive;
    line and column are 1-based."""

    model_config = ConfigDict(frozen=True)

    code: str
    family: Family
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    excerpt: str
    suggestion: str | None = None
    standard: str | None = None
    # Numbers family: the input fact the figure was aligned to (its path in the input,
    # e.g. sections[2].facts[4] or facts:3) and that fact's source (a ledger cell).
    fact: str | None = None
    source: str | None = None


_FIELDS = tuple(Finding.model_fields)
_new = object.__new__
_set = object.__setattr__


def new_finding(code: str, family: str, severity: str, message: str, start: int, end: int, line: int,
                column: int, excerpt: str, suggestion: str | None = None, standard: str | None = None,
                fact: str | None = None, source: str | None = None) -> Finding:
    """A :class:`Finding` from fields that are already right, as
    ``Finding.model_construct`` makes it (same ``__dict__``, same fields set) at a
    fraction of its cost: a long text gives hundreds of thousands of findings, and
    model_construct's generic walk over the fields (aliases, defaults) was most of
    the cost of making them. A test keeps the two identical."""
    f = _new(Finding)
    _set(f, "__dict__", {"code": code, "family": family, "severity": severity, "message": message,
                         "start": start, "end": end, "line": line, "column": column, "excerpt": excerpt,
                         "suggestion": suggestion, "standard": standard, "fact": fact, "source": source})
    _set(f, "__pydantic_fields_set__", set(_FIELDS))
    _set(f, "__pydantic_extra__", None)
    _set(f, "__pydantic_private__", None)
    return f


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    family: Family
    severity: Severity
    message: str
    standard: str = "实践"


@cache
def rules() -> dict[str, Rule]:
    """Every rule of every family, by code."""
    out: dict[str, Rule] = {}
    for family in FAMILIES:
        raw = load_yaml(data_file(f"rules/{family}.yaml").read_text(encoding="utf-8")) or {}
        for code, body in raw.items():
            out[code] = Rule(code=code, family=family, **body)
    return out


class LineIndex:
    """Offset → (line, column) in O(log n), built once per text."""

    __slots__ = ("_starts",)

    def __init__(self, text: str):
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


class FindingMaker:
    """Builds findings for one text: fills line/column and excerpt from the offsets
    and severity/family/standard from the rule."""

    def __init__(self, text: str, *, base: int = 0, index: LineIndex | None = None, full_text: str | None = None):
        # ``base`` shifts offsets when a piece of a larger text is checked.
        self.text = text
        self.base = base
        self.full = full_text if full_text is not None else text
        self.index = index or LineIndex(self.full)

    def __call__(self, code: str, start: int, end: int, *, suggestion: str | None = None,
                 fact: str | None = None, source: str | None = None, **fmt: object) -> Finding:
        rule = rules()[code]
        s, e = start + self.base, end + self.base
        line, col = self.index.position(s)
        excerpt = self.full[s:e]
        message = rule.message.format(excerpt=excerpt, **fmt)
        # The fields are built right here, so validation would only cost time.
        return new_finding(code, rule.family, rule.severity, message, s, e, line, col, excerpt,
                           suggestion, rule.standard, fact, source)


    def at(self, code: str, start: int, end: int) -> Callable[..., Finding]:
        """A maker of findings of one rule at one place, its rule and position looked
        up once: for many findings alike (the input figures a text left out, one per
        row of a large ledger). Each is what ``self(code, start, end, …)`` makes."""
        rule = rules()[code]
        s, e = start + self.base, end + self.base
        line, col = self.index.position(s)
        excerpt = self.full[s:e]
        message, family, severity, standard = rule.message.format, rule.family, rule.severity, rule.standard

        def make(*, suggestion: str | None = None, fact: str | None = None, source: str | None = None,
                 **fmt: object) -> Finding:
            return new_finding(code, family, severity, message(excerpt=excerpt, **fmt), s, e, line, col, excerpt,
                               suggestion, standard, fact, source)

        return make


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.start, f.end, f.code))


def count_errors(findings: list[Finding]) -> int:
    return sum(1 for f in findings if f.severity == "error")
