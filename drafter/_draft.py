"""The draft as data, and its file.

A draft keeps, per part (opening, each numbered section, closing), the text, where
it came from (composer, model:NAME, or hand edit), the digests of the inputs and
prompt it was made from, every attempt with its findings, and the history of
versions. Saving writes a temporary file beside the target, fsyncs it and renames it
over the target, so a crash leaves the old file or the new one, never half of one.
The API key is not a field of anything here, so it cannot reach a draft file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from ._errors import DraftFileError
from ._findings import Finding
from ._spec import Report, Section

FORMAT_VERSION = 1
Role = Literal["opening", "section", "closing"]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def digest(obj: object) -> str:
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def part_inputs(report: Report, part_id: str) -> object:
    """What a part is made from; its digest tells when the part went stale."""
    if part_id == "opening":
        return {"kind": report.kind, "organ": report.organ, "jurisdiction": report.jurisdiction,
                "period": report.period, "opening": report.opening.model_dump()}
    if part_id == "closing":
        return {"kind": report.kind, "closing": report.closing.model_dump()}
    return {"kind": report.kind, "section": report.section(part_id).model_dump()}


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
    id: str
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

    def replace_text(self, text: str, origin: str, *, note: str = "") -> None:
        """Move to a new text, keeping the old one in history."""
        self.history.append(Version(text=self.text, origin=self.origin, note=note or "被替换前"))
        self.text = text
        self.origin = origin


class Draft(BaseModel):
    format_version: int = FORMAT_VERSION
    kind: str
    title: str
    spec_path: str | None = None
    parts: list[Part]
    created: str = Field(default_factory=now)
    updated: str = Field(default_factory=now)

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
        spec_ids = {"opening", "closing"} | {s.id for s in report.sections}
        for p in self.parts:
            if p.id not in spec_ids:
                continue
            if p.input_digest != digest(part_inputs(report, p.id)) or (
                    p.origin != "hand" and p.prompt_digest != prompt_digest):
                out.append(p.id)
        out += [s.id for s in report.sections if s.id not in ids]
        return out


def _file_mode(p: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual 0666 & ~umask
    (mkstemp alone would leave it 0600)."""
    try:
        return p.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def save_draft(draft: Draft, path: str | Path) -> None:
    """Atomic write: temp file in the same folder, fsync, rename."""
    p = Path(path)
    draft.updated = now()
    data = draft.model_dump_json(indent=2).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent or "."))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), _file_mode(p))
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(str(p.parent or "."), os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def load_draft(path: str | Path) -> Draft:
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DraftFileError(f"草稿文件不存在：{p}", path=str(p)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise DraftFileError(f"无法读取草稿文件 {p}：{e}", path=str(p)) from None
    try:
        return Draft.model_validate_json(raw)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise DraftFileError(f"{p}: 不是有效的草稿文件（{loc}：{first['msg']}）", path=str(p)) from None


def section_heading(section: Section) -> str:
    return section.heading


def save_text(path: str | Path, text: str) -> None:
    """Atomic write of any text file (exports, starter specs)."""
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent or "."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), _file_mode(p))
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
