"""The draft as data.

A draft keeps, per part (opening, each numbered section, closing), the text, where
it came from (composer, model:NAME, or hand edit), the digests of the inputs and
prompt it was made from, every attempt with its findings, and the history of
versions. The file is read in :mod:`drafter.reading` and written (atomically) in
:mod:`drafter.export`; this module holds only the data. The API key is not a field
of anything here, so it cannot reach a draft file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from datetime import datetime, timezone
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from ._findings import Finding
from ._frame import Frame
from ._spec import DOCUMENT_KINDS, PART_ID_PATTERN, Report

FORMAT_VERSION = 1
Role = Literal["opening", "section", "closing"]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def digest(obj: object) -> str:
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def part_inputs(report: Report, part_id: str) -> object:
    """What a part is made from; its digest tells when the part went stale.

    A fact's ``source`` (a ledger cell, a paragraph) is where it came from, not what it
    says: a row inserted in a ledger moves every cell below it, and must not make the
    parts those rows feed stale. So sources are left out. (Fields that came with the
    later kinds are added only when they count, so a 自查报告's digests stay what they
    were.)"""
    later: dict[str, object] = {}
    if report.kind != "self_inspection":
        later["plan_year"] = report.plan_year
    if part_id == "opening":
        if report.person is not None:
            later["person"] = report.person.model_dump()
        if report.team is not None:
            later["team"] = report.team
        return {"kind": report.kind, "organ": report.organ, "jurisdiction": report.jurisdiction,
                "period": report.period, "opening": report.opening.model_dump(), **later}
    if part_id == "closing":
        closing = report.closing.model_dump() if report.closing else None
        if report.person is not None or report.team is not None:
            later["voice"] = "person" if report.person is not None else "team"
        return {"kind": report.kind, "closing": closing, **later}
    section = report.section(part_id).model_dump()
    for facts in [section["facts"], *(p["facts"] for p in section["points"])]:
        for fact in facts:
            if isinstance(fact, dict):
                fact.pop("source", None)
    return {"kind": report.kind, "section": section}


class Attempt(BaseModel):
    """One try at a part: the text the writer returned and what the validators found."""

    text: str
    origin: str
    purpose: Literal["draft", "revise", "regenerate", "edit", "fallback"] = "draft"
    instruction: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    error: str | None = None  # why the reply was refused outright (truncated, empty)
    at: str = Field(default_factory=now)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


class Version(BaseModel):
    text: str
    origin: str
    at: str = Field(default_factory=now)
    note: str = ""


class Part(BaseModel):
    # Validated on load: an id names a file in ``edit`` and is shown in tables, so a
    # crafted one ("../../x", "[/x]") must never get that far.
    id: Annotated[str, StringConstraints(pattern=PART_ID_PATTERN)]
    role: Role = "section"
    heading: str = ""
    text: str
    origin: str
    input_digest: str
    prompt_digest: str
    findings: list[Finding] = Field(default_factory=list)
    attempts: list[Attempt] = Field(default_factory=list)
    history: list[Version] = Field(default_factory=list)
    flagged: bool = False  # accepted with errors left, by the caller's choice

    @property
    def is_hand_edit(self) -> bool:
        return self.origin == "hand"

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @model_validator(mode="after")
    def _role_fits_id(self) -> "Part":
        fixed = self.id in ("opening", "closing")
        if (self.role != "section") != fixed or (fixed and self.role != self.id):
            raise ValueError(f"部分 {self.id!r} 的 role 不能是 {self.role!r}"
                             "（opening、closing 各是开头段、结尾段，其他部分的 role 为 section）")
        return self

    def replace_text(self, text: str, origin: str, *, note: str = "") -> None:
        """Move to a new text, keeping the old one in history."""
        self.history.append(Version(text=self.text, origin=self.origin, note=note or "被替换前"))
        self.text = text
        self.origin = origin


class Draft(BaseModel):
    format_version: int = FORMAT_VERSION
    kind: str
    title: str
    # The fixed lines around the parts, from the spec (never written by a writer):
    recipient: str | None = None    # 主送机关, after the title
    signature: str | None = None    # 发文机关署名, after the last part
    date: dt.date | None = None     # 成文日期
    # Where the parts stand (numbered headings around them); None in a draft written
    # before frames: the layout of Frame().
    frame: Frame | None = None
    spec_path: str | None = None
    parts: list[Part]
    created: str = Field(default_factory=now)
    updated: str = Field(default_factory=now)

    def take_fixed_fields(self, report: Report) -> None:
        """Title, 主送机关, 署名, 成文日期 and the frame as the spec now states them."""
        self.title = report.title or self.title
        self.recipient = report.recipient
        self.signature = report.signature
        self.date = report.date
        self.frame = report.frame()

    @property
    def layout(self) -> Frame:
        """The frame the parts stand in (see drafter._frame)."""
        return self.frame or Frame()

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v > FORMAT_VERSION:
            raise ValueError(f"草稿文件的格式版本为 {v}，本版 drafter 只支持到 {FORMAT_VERSION}：请升级 drafter 后再打开")
        if v < 1:
            raise ValueError(f"格式版本 {v} 不存在（应为 1–{FORMAT_VERSION}）")
        return v

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in DOCUMENT_KINDS:
            raise ValueError(f"不认识的文种 {v!r}（可用：{'、'.join(DOCUMENT_KINDS)}）")
        return v

    @field_validator("parts")
    @classmethod
    def _unique_ids(cls, parts: list[Part]) -> list[Part]:
        seen: set[str] = set()
        for i, p in enumerate(parts):
            if p.id in seen:
                raise ValueError(f"parts[{i}].id {p.id!r} 重复：每个部分的 id 必须唯一")
            seen.add(p.id)
        return parts

    def part(self, key: str | int) -> Part:
        """A part by id, or a numbered section by its number (1-based)."""
        sections = self.sections
        if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
            n = int(key)
            if 1 <= n <= len(sections):
                return sections[n - 1]
            raise KeyError(key)
        for p in self.parts:
            if p.id == key:
                return p
        raise KeyError(key)

    @property
    def sections(self) -> list[Part]:
        return [p for p in self.parts if p.role == "section"]

    def number_of(self, part: Part) -> int | None:
        for i, p in enumerate(self.sections, start=1):
            if p.id == part.id:
                return i
        return None

    @property
    def findings(self) -> list[Finding]:
        return [f for p in self.parts for f in p.findings]

    def stale(self, report: Report, prompt_digest: str) -> list[str]:
        """Ids of parts whose inputs or prompt changed since they were drafted,
        plus sections of the spec the draft does not have yet."""
        out = []
        ids = {p.id for p in self.parts}
        spec_ids = set(report.part_ids())
        for p in self.parts:
            if p.id not in spec_ids:
                continue
            if p.input_digest != digest(part_inputs(report, p.id)) or (
                    p.origin != "hand" and p.prompt_digest != prompt_digest):
                out.append(p.id)
        out += [s.id for s in report.sections if s.id not in ids]
        return out
