"""A spec as commented YAML: what ``drafter import`` writes for a person to complete.

Written by hand rather than by a YAML dumper so that comments stand beside the fields
they explain (where each section came from, what a placeholder asks for) and a figure
stays on one line. Every string is written plain when YAML reads it back unchanged,
else double-quoted (a JSON string is a valid YAML double-quoted scalar); a test loads
the text back and compares it with the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import yaml

from .._spec import Change, FactDetail, Figure, Report

_PLAIN_FIRST_BAD = set("-?:,[]{}#&*!|>'\"%@`= \t")
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


def _resolves_to_str(s: str) -> bool:
    """What a YAML loader would make of ``s`` written plain (null, bool, int, float,
    timestamp …): the same implicit resolvers the safe loader uses."""
    return _RESOLVER.resolve(yaml.ScalarNode, s, (True, False)) == _STR_TAG


@dataclass
class SpecText:
    text: str
    placeholders: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field path, placeholder)


def scalar(value: object, *, flow: bool = False) -> str:
    """One YAML scalar that reads back as ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    s = str(value)
    if _plain_ok(s, flow):
        return s
    return json.dumps(s, ensure_ascii=False)


def _plain_ok(s: str, flow: bool) -> bool:
    if not s or s != s.strip() or s[0] in _PLAIN_FIRST_BAD or not _resolves_to_str(s):
        return False
    if ": " in s or " #" in s or s.endswith(":") or any(c in s for c in "\n\r\t\x85\u2028\u2029\ufeff"):
        return False
    if any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in s):
        return False
    if flow and any(c in s for c in ",[]{}"):
        return False
    return True


class _Writer:
    def __init__(self, placeholder_mark: str):
        self.lines: list[str] = []
        self.mark = placeholder_mark
        self.placeholders: list[tuple[int, str, str]] = []

    def comment(self, indent: int, text: str) -> None:
        for line in str(text).splitlines() or [""]:
            self.lines.append(f"{' ' * indent}# {line}".rstrip())

    def field(self, indent: int, key: str, value: object, path: str, hint: str | None = None, *,
              item: bool = False) -> None:
        lead = " " * indent + ("- " if item else "")
        body = f"{key}: {scalar(value)}" if key else scalar(value)
        line = lead + body
        if hint and isinstance(value, str) and self.mark in value:
            line += f"    # {hint}"
        self.lines.append(line)
        if isinstance(value, str) and self.mark in value:
            self.placeholders.append((len(self.lines), path, value))


def _figure(f: Figure) -> str:
    parts = [f"label: {scalar(f.label, flow=True)}", f"value: {scalar(f.value)}"]
    if f.unit:
        parts.append(f"unit: {scalar(f.unit, flow=True)}")
    if f.approx:
        parts.append(f"approx: {scalar(f.approx, flow=True)}")
    if f.change:
        parts.append(f"change: {_change(f.change)}")
    return "{" + ", ".join(parts) + "}"


def _change(c: Change) -> str:
    parts = [f"basis: {scalar(c.basis, flow=True)}", f"direction: {scalar(c.direction, flow=True)}"]
    if c.amount is not None:
        parts.append(f"amount: {scalar(c.amount)}")
    parts.append(f"unit: {scalar(c.unit, flow=True)}")
    return "{" + ", ".join(parts) + "}"


def _facts(w: _Writer, indent: int, facts, path: str) -> None:
    w.lines.append(f"{' ' * indent}facts:" if facts else f"{' ' * indent}facts: []")
    pad = " " * (indent + 2)
    for j, fact in enumerate(facts):
        if not isinstance(fact, FactDetail):
            w.field(indent + 2, "", fact, f"{path}.facts[{j}]", item=True)
            continue
        w.lines.append(f"{pad}- text: {scalar(fact.text)}")
        if fact.source:
            w.lines.append(f"{pad}  source: {scalar(fact.source)}")
        if fact.planned:
            w.lines.append(f"{pad}  planned: true")
        if fact.figures:
            w.lines.append(f"{pad}  figures:")
            for fig in fact.figures:
                w.lines.append(f"{pad}    - {_figure(fig)}")


def spec_yaml(report: Report, *, header: list[str] = (), hints: dict[str, str] | None = None,
              section_notes: dict[str, list[str]] | None = None, opening_notes: list[str] = (),
              placeholder_mark: str = "【待补") -> SpecText:
    """The report as commented YAML, with the line of every placeholder left to fill.
    ``hints`` (field key such as ``opening.leadership`` or ``section.topic`` → text) are
    written beside placeholders; ``section_notes`` (id → lines) above each section."""
    hints = hints or {}
    w = _Writer(placeholder_mark)
    for line in header:
        w.comment(0, line)
    if header:
        w.lines.append("")
    w.field(0, "kind", report.kind, "kind")
    if report.title and report.title != f"{report.period}年" + _default_title_tail(report):
        w.field(0, "title", report.title, "title")
    w.field(0, "organ", report.organ, "organ", hints.get("organ"))
    if report.jurisdiction:
        w.field(0, "jurisdiction", report.jurisdiction, "jurisdiction")
    w.field(0, "period", report.period, "period")
    if report.target_year:
        w.field(0, "target_year", report.target_year, "target_year")
    if report.team:
        w.field(0, "team", report.team, "team")
    if report.person:
        w.lines.append("person:")
        for name in ("name", "post", "since", "duties"):
            value = getattr(report.person, name)
            if value:
                w.field(2, name, value, f"person.{name}", hints.get(f"person.{name}"))
    if report.recipient:
        w.field(0, "recipient", report.recipient, "recipient")
    if report.signature and report.signature != report.organ:
        w.field(0, "signature", report.signature, "signature")
    if report.date:
        w.lines.append(f"date: {report.date.isoformat()}")
    w.lines.append("")
    w.lines.append("opening:")
    for line in opening_notes:
        w.comment(2, line)
    o = report.opening
    for name in ("leadership", "guidance", "results"):
        if getattr(o, name):
            w.field(2, name, getattr(o, name), f"opening.{name}", hints.get(f"opening.{name}"))
    if o.honours:
        w.lines.append("  honours:")
        for i, h in enumerate(o.honours):
            w.field(4, "", h, f"opening.honours[{i}]", item=True)
    w.lines.append("")
    w.lines.append("sections:")
    for i, s in enumerate(report.sections):
        for line in (section_notes or {}).get(s.id, []):
            w.comment(2, line)
        w.lines.append(f"  - id: {scalar(s.id)}")
        w.field(4, "topic", s.topic, f"sections[{i}].topic（{s.id}）", hints.get("section.topic"))
        if s.aim:
            w.field(4, "aim", s.aim, f"sections[{i}].aim（{s.id}）", hints.get("section.aim"))
        if s.own_heading:
            w.field(4, "heading", s.own_heading, f"sections[{i}].heading")
        if s.intro:
            w.field(4, "intro", s.intro, f"sections[{i}].intro")
        _facts(w, 4, s.facts, f"sections[{i}]")
        if s.points:
            w.lines.append("    points:")
            for k, p in enumerate(s.points):
                w.lines.append(f"      - heading: {scalar(p.heading)}")
                _facts(w, 8, p.facts, f"sections[{i}].points[{k}]")
        if s.conclusion:
            w.field(4, "conclusion", s.conclusion, f"sections[{i}].conclusion")
        w.lines.append("")
    c = report.closing
    if c is not None:
        w.lines.append("closing:")
        if c.summary:
            w.field(2, "summary", c.summary, "closing.summary", hints.get("closing.summary"))
        if c.shortcomings:
            w.lines.append("  shortcomings:")
            for i, t in enumerate(c.shortcomings):
                w.field(4, "", t, f"closing.shortcomings[{i}]", hints.get("closing.shortcomings"), item=True)
        if c.measures:
            w.field(2, "measures", c.measures, "closing.measures")
        if c.plans:
            w.lines.append("  plans:")
            for i, t in enumerate(c.plans):
                w.field(4, "", t, f"closing.plans[{i}]", hints.get("closing.plans"), item=True)
    return SpecText("\n".join(w.lines) + "\n", w.placeholders)


def _default_title_tail(report: Report) -> str:
    from .._spec import DOCUMENT_KINDS

    return DOCUMENT_KINDS.get(report.kind, "")
