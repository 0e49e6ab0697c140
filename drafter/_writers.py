"""Writers: one interface, two kinds (and test doubles in :mod:`drafter.testing`).

A writer turns a :class:`Job` — one part to write, with the rendered prompt messages
— into text. The model writer sends the messages to an OpenAI-compatible endpoint;
the offline composer ignores them and assembles the part from the facts.

Every writer says whether it ``sends_data``: True when ``write`` sends the job's
messages off this process to a model endpoint. Such a writer also offers
``guard(report, fields)``, which raises :class:`~drafter.ConfidentialityError` before
anything is sent when the spec or the named texts (an instruction, a part's current
text) may not go to its endpoint; the pipeline calls it once before a run, so a refusal
names the spec's fields. (The model writer also scans every request as it leaves.)
Code that needs to know whether a writer is a model — the guard, a progress display —
asks ``writer.sends_data``, never its class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping, Protocol

from ._composer import COMPOSER_NAME, compose_closing, compose_opening, compose_section
from ._findings import Finding
from ._spec import Report

Purpose = Literal["draft", "revise", "regenerate"]


@dataclass(frozen=True)
class Job:
    report: Report
    part_id: str                      # "opening", "closing" or a section id
    purpose: Purpose
    messages: tuple[dict[str, str], ...]  # a fresh tuple per request: never mutated
    previous: str | None = None
    findings: tuple[Finding, ...] = ()
    instruction: str | None = None
    on_delta: Callable[[str], None] | None = field(default=None, compare=False)


class Writer(Protocol):
    @property
    def origin(self) -> str: ...

    @property
    def can_revise(self) -> bool: ...

    @property
    def sends_data(self) -> bool:
        """True when ``write`` sends the job's messages to a model endpoint (then the
        writer also has ``guard(report, fields)``)."""
        ...

    async def write(self, job: Job) -> str: ...


def sends_data(writer: Any) -> bool:
    """Whether ``writer`` sends what it is given to a model endpoint. A writer written
    before this property existed does not declare it and is taken not to (as before)."""
    return bool(getattr(writer, "sends_data", False))


class ComposerWriter:
    """The offline composer as a writer. It cannot follow instructions or revise:
    it always assembles the part from the facts."""

    origin = COMPOSER_NAME
    can_revise = False
    sends_data = False

    def __init__(self, prompts_dir: str | None = None):
        self.prompts_dir = prompts_dir

    async def write(self, job: Job) -> str:
        return compose(job.report, job.part_id, self.prompts_dir)


def compose(report: Report, part_id: str, prompts_dir: str | None = None) -> str:
    if part_id == "opening":
        return compose_opening(report, user_dir=prompts_dir)
    if part_id == "closing":
        return compose_closing(report, user_dir=prompts_dir)
    return compose_section(report, report.section(part_id), user_dir=prompts_dir)


class ModelWriter:
    """An OpenAI-compatible chat model (see :mod:`drafter._llm`)."""

    can_revise = True
    sends_data = True

    def __init__(self, llm):
        self.llm = llm
        self.requests = 0

    @property
    def origin(self) -> str:
        return f"model:{self.llm.name}"

    def guard(self, report: Report, fields: Mapping[str, str | None] | None = None) -> None:
        """Refuse (ConfidentialityError) before anything is sent if ``report`` or the
        named ``fields`` may not go to this writer's endpoint."""
        self.llm.guard(report, fields)

    async def write(self, job: Job) -> str:
        completion = await self.llm.complete([dict(m) for m in job.messages], on_delta=job.on_delta)
        self.requests += completion.attempts
        return completion.text.strip()
