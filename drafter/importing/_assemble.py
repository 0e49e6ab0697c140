"""From what was gathered to a spec: stable section ids, placeholders for what the
materials cannot give, and what the user already wrote in an earlier import kept.

A section's id is derived from its name alone (never from row order), so re-importing
an edited ledger keeps every id and a session's ``reload`` marks exactly the parts
whose facts changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from pydantic import ValidationError

from .._errors import InputError
from .._kinds import get_kind
from .._resources import data_file
from .._spec import DOCUMENT_KINDS, Report
from .._yaml import load as load_yaml
from ._gather import Gathered

PLACEHOLDER_MARK = "【待补"


@dataclass(frozen=True)
class Placeholder:
    text: str
    hint: str


@cache
def placeholders() -> dict[str, Placeholder]:
    raw = load_yaml(data_file("import/placeholders.yaml").read_text(encoding="utf-8"))
    return {k: Placeholder(str(v["text"]), str(v.get("hint") or "")) for k, v in raw.items()}


def is_placeholder(value: object) -> bool:
    return isinstance(value, str) and PLACEHOLDER_MARK in value


def section_id(name: str, length: int = 6) -> str:
    """A stable id from a section's name: ``s-`` and the start of its SHA-256."""
    return "s-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:length]


def section_ids(names: list[str]) -> dict[str, str]:
    """Ids for names; a (very unlikely) clash of short ids lengthens the clashing ones."""
    ids = {n: section_id(n) for n in names}
    seen: dict[str, list[str]] = {}
    for n, i in ids.items():
        seen.setdefault(i, []).append(n)
    for clash in (v for v in seen.values() if len(v) > 1):
        for n in clash:
            ids[n] = section_id(n, 16)
    return ids


@dataclass
class Assembly:
    """What the spec writer and the command say beside the report."""

    section_notes: dict[str, list[str]] = field(default_factory=dict)   # id → comment lines
    names: dict[str, str] = field(default_factory=dict)                  # id → the section's name
    period_note: str | None = None
    kept: list[str] = field(default_factory=list)      # fields kept from the earlier spec
    dropped: list[str] = field(default_factory=list)   # earlier sections no longer in the materials


def build_report(g: Gathered, *, kind: str = "self_inspection", organ: str | None = None,
                 period: int | None = None, previous: dict | None = None) -> tuple[Report, Assembly]:
    if kind not in DOCUMENT_KINDS:
        raise InputError(f"不认识的文种 {kind!r}；可用：{'、'.join(DOCUMENT_KINDS)}")
    if not g.sections:
        raise InputError("材料中没有可导入的事实")
    ph = placeholders()
    prev = previous if isinstance(previous, dict) else {}
    asm = Assembly()

    data: dict[str, Any] = {"kind": kind}
    data["organ"] = organ or _kept(prev, "organ", asm) or ph["organ"].text
    for name in ("title", "jurisdiction"):
        v = _kept(prev, name, asm)
        if v:
            data[name] = v
    data["period"] = period or _kept_int(prev, "period", asm) or _period(g, asm)

    # What the kind needs (drafting.inputs in its kind file): a placeholder for each
    # required line the materials cannot give, nothing for a line the kind does not use.
    drafting = get_kind(kind).drafting
    required = {f for choice in drafting.required for f in choice}
    forbidden = set(drafting.forbidden)
    for name in ("target_year", "team"):
        v = _kept_int(prev, name, asm) if name == "target_year" else _kept(prev, name, asm)
        if v and name not in forbidden:
            data[name] = v
    if isinstance(prev.get("person"), dict) and "person" not in forbidden:
        data["person"] = {k: v for k, v in prev["person"].items() if isinstance(v, str) and v.strip()}
        asm.kept.append("person")
    elif "person" in required and "team" not in data:
        data["person"] = {"name": ph["person.name"].text, "post": ph["person.post"].text}

    popen = prev.get("opening") if isinstance(prev.get("opening"), dict) else {}
    opening = {}
    for f in ("leadership", "guidance", "results"):
        if f"opening.{f}" in forbidden:
            continue
        v = _kept(popen, f, asm, f"opening.{f}")
        if v or f == "guidance" or f"opening.{f}" in required:
            opening[f] = v or ph[f"opening.{f}"].text
    honours = _kept_list(popen, "honours", asm, "opening.honours")
    if honours and "opening.honours" not in forbidden:
        opening["honours"] = honours
    data["opening"] = opening

    ids = section_ids(list(g.sections))
    prev_sections = {s.get("id"): s for s in prev.get("sections") or () if isinstance(s, dict)}
    sections = []
    for name, gs in g.sections.items():
        sid = ids[name]
        before = prev_sections.get(sid) or {}
        sec: dict[str, Any] = {"id": sid}
        asm.names[sid] = name
        for f in ("topic", "aim"):
            v = _kept(before, f, asm, f"{sid}.{f}") or getattr(gs, f)
            if v or f in drafting.heading.fields:
                sec[f] = v or ph[f"section.{f}"].text
        for f in ("intro", "conclusion"):
            v = _kept(before, f, asm, f"{sid}.{f}")
            if v:
                sec[f] = v
        sec["facts"] = gs.facts
        if gs.points:
            sec["points"] = [{"heading": h, "facts": fs} for h, fs in gs.points.items()]
        sections.append(sec)
        origins = "、".join(gs.origins)
        asm.section_notes[sid] = [f"{name}（{gs.count} 条，来自 {origins}）" if origins else f"{name}（{gs.count} 条）"]
    asm.dropped = [f"{s.get('id')}" for s in prev.get("sections") or ()
                   if isinstance(s, dict) and s.get("id") not in set(ids.values())]
    data["sections"] = sections

    pclose = prev.get("closing") if isinstance(prev.get("closing"), dict) else {}
    closing: dict[str, Any] = {}
    v = _kept(pclose, "summary", asm, "closing.summary")
    if v or "closing.summary" in required:
        closing["summary"] = v or ph["closing.summary"].text
    for f in ("shortcomings", "plans"):
        if f"closing.{f}" in forbidden:
            continue
        items = _kept_list(pclose, f, asm, f"closing.{f}")
        if items or f"closing.{f}" in required:
            closing[f] = items or [ph[f"closing.{f}"].text]
    measures = _kept(pclose, "measures", asm, "closing.measures")
    if measures and "closing.measures" not in forbidden:
        closing["measures"] = measures
    if closing or "closing" in required:
        data["closing"] = closing

    try:
        report = Report.model_validate(data)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise InputError(f"导入结果不符合输入格式（{loc}：{first['msg']}）；如果是沿用的旧输入文件中的内容有误，"
                         f"请先改正旧文件或换一个输出文件名") from None
    # Structured figures agree with their texts by construction: they are read from them
    # by the extractor the evidence uses (load_spec checks it again when the spec is read).
    return report, asm


def _kept(prev: dict, name: str, asm: Assembly, label: str | None = None) -> str | None:
    v = prev.get(name) if isinstance(prev, dict) else None
    if isinstance(v, str) and v.strip() and not is_placeholder(v):
        asm.kept.append(label or name)
        return v
    return None


def _kept_int(prev: dict, name: str, asm: Assembly) -> int | None:
    v = prev.get(name)
    if isinstance(v, int) and not isinstance(v, bool) and 1949 <= v <= 2100:
        return v  # an earlier import's year, perhaps corrected by hand
    return None


def _kept_list(prev: dict, name: str, asm: Assembly, label: str) -> list[str] | None:
    v = prev.get(name) if isinstance(prev, dict) else None
    if isinstance(v, list) and v and all(isinstance(x, str) and x.strip() and not is_placeholder(x) for x in v):
        asm.kept.append(label)
        return list(v)
    return None


def _period(g: Gathered, asm: Assembly) -> int:
    years = [y for y in g.years if 1949 <= y <= 2100]
    if years:
        best = max(set(years), key=lambda y: (years.count(y), y))
        asm.period_note = f"年度 {best} 取自材料中出现的年份，请核对（或用 --period 指定）"
        return best
    year = date.today().year - 1
    asm.period_note = f"材料中没有写明年度，暂按上一年 {year} 填写，请核对（或用 --period 指定）"
    return year
