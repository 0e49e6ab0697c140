"""How a kind is drafted: the ``drafting:`` block of its kind file as a typed object.

::

    drafting:
      title: "{organ}{period}年工作总结"     # the default title; or a list of
                                             #   {when: FIELD, form: …}: the first whose field is set
      inputs:                                # what the spec must, and must not, give
        required: [opening.results, closing.shortcomings, person|team]   # a|b: one of them
        forbidden: [person, team]
      heading:                               # a section's heading when the spec gives none
        joiner: "，"
        parts:
          - field: topic                     #   topic or aim
            form: 坚持以{topic}为牵引
            variants: [{when: '^坚持', form: '{topic}'}]   # when the field already says it
          - {field: aim, form: 推动{aim}, optional: true}   # optional: left out when not given
      frame:                                 # where the parts stand (drafter._frame.Frame)
        wrapper: 主要工作及成效               #   a level-1 heading over the sections
        sections: 2                          #   the ordinal level of a section (1 一、, 2 （一）)
        run_in: true                         #   a section's heading runs into its first paragraph
        points: 3                            #   numbered sub-points at this level (omit: run in)
        closing: [存在的问题和不足, "{target_year}年工作打算"]   # the closing's numbered headings

Formulas (title, wrapper, closing headings) may name ``{organ}``, ``{period}``,
``{target_year}`` (the plans' year: the spec's, or the year after ``period``),
``{jurisdiction}``, ``{team}``, ``{person}`` and ``{post}``; a heading part names its
field. Only a kind with this block can be drafted; the block is never inherited.
The ``numbers`` block (``all_planned``) is the checking side and lives in the kind.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._frame import Frame
from ._headings import ORDINAL_FORMS, HeadingFormula, HeadingPart

# The spec's fields a kind may require or forbid (drafter._spec.Report, by path).
INPUT_FIELDS: dict[str, str] = {
    "person": "述职人（person）",
    "team": "述职的领导班子（team）",
    "target_year": "计划年度（target_year）",
    "opening.leadership": "领导句（opening.leadership）",
    "opening.results": "总体成效（opening.results）",
    "opening.honours": "所获荣誉（opening.honours）",
    "closing": "结尾（closing）",
    "closing.summary": "总体评价（closing.summary）",
    "closing.shortcomings": "存在的不足（closing.shortcomings）",
    "closing.measures": "整改态度（closing.measures）",
    "closing.plans": "工作打算（closing.plans）",
}
LIST_FIELDS = frozenset({"opening.honours", "closing.shortcomings", "closing.plans"})
FORMULA_VALUES = ("organ", "period", "target_year", "jurisdiction", "team", "person", "post")
HEADING_FIELDS = ("topic", "aim")


class DraftingError(ValueError):
    """A drafting block that cannot be used (reported by the kind loader with its file)."""


@dataclass(frozen=True)
class Drafting:
    titles: tuple[tuple[str | None, str], ...]       # (field that must be set, or None; form)
    required: tuple[tuple[str, ...], ...]            # each: one of these fields
    forbidden: tuple[str, ...]
    heading: HeadingFormula
    frame: Mapping[str, Any]                         # the frame's settings, formulas unrendered

    def title(self, values: Mapping[str, object]) -> str:
        for when, form in self.titles:
            if when is None or values.get(when):
                return _fill(form, values)
        return ""

    def input_problems(self, is_set: Callable[[str], bool], kind_name: str) -> list[tuple[tuple, str]]:
        """(field path, message) for each input the kind requires and the spec lacks,
        and each it does not use and the spec gives."""
        out: list[tuple[tuple, str]] = []
        for choice in self.required:
            if not any(is_set(f) for f in choice):
                if len(choice) == 1:
                    out.append((_loc(choice[0]), f"缺少必填字段（{kind_name}需要{INPUT_FIELDS[choice[0]]}）"))
                else:
                    names = "或".join(INPUT_FIELDS[f] for f in choice)
                    out.append(((), f"{kind_name}需要{names}"))
        for f in self.forbidden:
            if is_set(f):
                out.append((_loc(f), f"{kind_name}不用{INPUT_FIELDS[f]}，请删去"))
        return out

    def json_schema(self) -> dict[str, Any]:
        """The inputs rules as JSON Schema (the ``then`` of an if-kind rule), so that an
        editor says what the kind needs: required fields (lists with at least one
        item), one-of groups, and forbidden fields (``false``)."""
        out: dict[str, Any] = {}

        def node(parts: list[str]) -> dict[str, Any]:
            n = out
            for name in parts:
                n = n.setdefault("properties", {}).setdefault(name, {})
            return n

        for choice in self.required:
            if len(choice) > 1:
                out.setdefault("allOf", []).append({"anyOf": [{"required": [f]} for f in choice]})
                continue
            *parents, name = choice[0].split(".")
            parent = node(parents)
            parent.setdefault("required", []).append(name)
            if choice[0] in LIST_FIELDS:
                parent.setdefault("properties", {}).setdefault(name, {})["minItems"] = 1
        for f in self.forbidden:
            *parents, name = f.split(".")
            node(parents).setdefault("properties", {})[name] = False
        return out

    def frame_for(self, values: Mapping[str, object], ordinals: tuple[str, ...] = ORDINAL_FORMS) -> Frame:
        f = self.frame
        wrapper = f.get("wrapper")
        return Frame(ordinals=ordinals, sections=int(f.get("sections") or 1), run_in=bool(f.get("run_in", True)),
                     wrapper=_fill(wrapper, values) if wrapper else None, points=f.get("points"),
                     closing=tuple(_fill(h, values) for h in f.get("closing") or ()))


def _loc(path: str) -> tuple:
    return tuple(path.split("."))


def _fill(form: str, values: Mapping[str, object]) -> str:
    return form.format(**{k: "" if values.get(k) is None else values[k] for k in FORMULA_VALUES})


def _names(form: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(form) if name is not None}
    except ValueError as exc:
        raise DraftingError(f"公式“{form}”写法有误（{exc}）") from None


def _formula(form: str, allowed: tuple[str, ...], where: str) -> str:
    unknown = sorted(n for n in _names(form) if n not in allowed)
    if unknown:
        raise DraftingError(f"{where}“{form}”用到了未知的字段 {'、'.join(unknown)}（可用：{'、'.join(allowed)}）")
    return form


def build(raw: Mapping[str, Any]) -> Drafting:
    """The typed drafting block (its shape is already checked by the kind loader)."""
    title = raw.get("title")
    if title is None:
        raise DraftingError("drafting 需要 title（标题公式）")
    entries = [{"form": title}] if isinstance(title, str) else title
    titles = []
    for i, e in enumerate(entries):
        when = e.get("when")
        if when is not None and when not in FORMULA_VALUES:
            raise DraftingError(f"drafting.title[{i}].when 应为 {'、'.join(FORMULA_VALUES)} 之一，而不是“{when}”")
        if not e.get("form"):
            raise DraftingError(f"drafting.title[{i}] 需要 form")
        titles.append((when, _formula(e["form"], FORMULA_VALUES, f"drafting.title[{i}].form")))
    inputs = raw.get("inputs") or {}
    required = []
    for item in inputs.get("required") or ():
        choice = tuple(part.strip() for part in item.split("|"))
        required.append(choice)
    forbidden = tuple(inputs.get("forbidden") or ())
    for f in [f for c in required for f in c] + list(forbidden):
        if f not in INPUT_FIELDS:
            raise DraftingError(f"drafting.inputs 中的“{f}”不是可要求的字段（可用：{'、'.join(INPUT_FIELDS)}）")
    heading = raw.get("heading") or {}
    parts = []
    for i, p in enumerate(heading.get("parts") or ()):
        where = f"drafting.heading.parts[{i}]"
        field = p.get("field")
        if field not in HEADING_FIELDS:
            raise DraftingError(f"{where}.field 应为 {'、'.join(HEADING_FIELDS)} 之一，而不是“{field}”")
        if not p.get("form"):
            raise DraftingError(f"{where} 需要 form")
        variants = tuple((re.compile(v["when"]), _formula(v["form"], (field,), f"{where}.variants"))
                         for v in p.get("variants") or () if v.get("when") is not None and v.get("form"))
        parts.append(HeadingPart(field, _formula(p["form"], (field,), f"{where}.form"), variants,
                                 bool(p.get("optional"))))
    if not parts:
        parts = [HeadingPart("topic", "{topic}")]
    frame = dict(raw.get("frame") or {})
    for key in ("wrapper",):
        if frame.get(key):
            _formula(frame[key], FORMULA_VALUES, f"drafting.frame.{key}")
    for i, h in enumerate(frame.get("closing") or ()):
        _formula(h, FORMULA_VALUES, f"drafting.frame.closing[{i}]")
    level = frame.get("sections") or 1
    if not 1 <= level <= 2:
        raise DraftingError("drafting.frame.sections 应为 1（一、）或 2（（一），须有 wrapper）")
    if (level == 2) != bool(frame.get("wrapper")):
        raise DraftingError("drafting.frame：sections 为 2 时须有 wrapper（一级标题），为 1 时不能有")
    points = frame.get("points")
    if points is not None and not level < points <= 4:
        raise DraftingError(f"drafting.frame.points 应在 {level + 1} 到 4 之间（低于各部分的层级）")
    return Drafting(titles=tuple(titles), required=tuple(required), forbidden=forbidden,
                    heading=HeadingFormula(tuple(parts), heading.get("joiner", "，")), frame=frame)
