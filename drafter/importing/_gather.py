"""What an import gathers before it becomes a spec: sections by name, in the order they
first appear across files and sheets, each with its facts and sub-points, plus what was
skipped and why (said to the user, never silent)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .._spec import FactDetail

_CN = "一二三四五六七八九十百零〇两"
_ORDINAL = re.compile(rf"^\s*(?:[{_CN}]+\s*[、．.]|[（(]\s*[{_CN}\d]+\s*[）)]|\d{{1,3}}\s*[、．.](?!\d))\s*")
_SPACES = re.compile(r"\s+")
_HEADING_FORMULA = re.compile(r"^坚持以(?P<topic>.+?)为牵引[，,]\s*推动(?P<aim>.+?)[。.]?$")


def section_name(text: object) -> str | None:
    """A section's name as a ledger cell or a heading writes it, without its ordinal."""
    s = _SPACES.sub(" ", str(text or "")).strip()
    s = _ORDINAL.sub("", s).strip().rstrip("。：:；;").strip()
    return s or None


def heading_parts(name: str) -> tuple[str, str] | None:
    """(topic, aim) when a heading already has the report's formula
    "坚持以{topic}为牵引，推动{aim}"."""
    m = _HEADING_FORMULA.match(name)
    return (m.group("topic").strip(), m.group("aim").strip()) if m else None


@dataclass
class GatheredSection:
    name: str
    facts: list[FactDetail] = field(default_factory=list)
    points: dict[str, list[FactDetail]] = field(default_factory=dict)
    origins: list[str] = field(default_factory=list)   # "2024台账.xlsx 政法队伍", "材料.docx 第3段"
    topic: str | None = None
    aim: str | None = None

    def add(self, fact: FactDetail, point: str | None = None) -> None:
        if point:
            self.points.setdefault(point, []).append(fact)
        else:
            self.facts.append(fact)

    def add_origin(self, where: str) -> None:
        if where not in self.origins:
            self.origins.append(where)

    @property
    def count(self) -> int:
        return len(self.facts) + sum(len(v) for v in self.points.values())


@dataclass
class Gathered:
    sections: dict[str, GatheredSection] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)        # skipped rows, hidden sheets … (said to the user)
    materials: list[str] = field(default_factory=list)    # one line per file read
    years: list[int] = field(default_factory=list)        # years the materials name (for the period)
    preamble: list[tuple[str, str]] = field(default_factory=list)  # (where, text) before any section

    def section(self, name: str) -> GatheredSection:
        s = self.sections.get(name)
        if s is None:
            s = self.sections[name] = GatheredSection(name)
        return s
