"""The pipeline: spec → evidence → prompts → writer → validators → draft.

:class:`Drafter` is the public entry point. Sections are drafted concurrently
(bounded by ``concurrency``); each is validated, and while errors remain and the
writer can revise, the findings go back with the revise prompt, at most
``max_revisions`` times (so a section costs at most ``1 + max_revisions`` model
calls). The opening and closing are fixed fields: the composer assembles them
from the user's own words, never the model.
"""

from __future__ import annotations

import asyncio
from typing import Callable, Iterable, Literal

from ._draft import Attempt, Draft, Part, digest, part_inputs
from ._errors import DraftRejected, DrafterError, EditProtected, InputError, ModelError, ReplyRejected
from ._evidence import Evidence
from ._findings import Finding
from ._headings import chinese_ordinal
from ._prompts import render, template_digest
from ._spec import Report
from ._wording import composer_digest
from ._writers import ComposerWriter, Job, ModelWriter, Writer, compose, sends_data

OnRejected = Literal["raise", "flag", "composer"]
Progress = Callable[[str, str], None]  # (event, part id): "start" | "done" | "revise"
_TEMPLATES = ("system.j2", "section.j2", "revise.j2", "regenerate.j2",
              "scaffold/opening.j2", "scaffold/section.j2", "scaffold/closing.j2")


def prompt_digest(kind: str, prompts_dir: str | None = None) -> str:
    """Digest of every template of the kind, of the composer's wording data and of the
    kind's drafting block (heading formula, frame): a change to any marks parts stale."""
    from ._kinds import get_kind

    return digest([template_digest(kind, _TEMPLATES, prompts_dir), composer_digest(), get_kind(kind).drafting_digest])


class Drafter:
    """Draft, regenerate and validate reports.

    ``model``/``base_url``/``api_key`` configure an OpenAI-compatible endpoint (or use
    DRAFTER_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY); with no model anywhere the
    offline composer writes. ``writer`` injects any writer (see drafter.testing).
    ``on_rejected`` says what happens to a section still in error after the last
    revision: "raise" DraftRejected, "flag" it and keep it, or fall back to the
    "composer" for that section. ``allow_confidential`` approves the configured
    endpoint for material the confidentiality guard would refuse (an injected writer
    keeps its own setting). ``timeout`` bounds each model request as a whole.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        writer: Writer | None = None,
        prompts_dir: str | None = None,
        max_revisions: int = 2,
        concurrency: int = 4,
        on_rejected: OnRejected = "raise",
        allow_confidential: bool = False,
        timeout: float = 60.0,
        max_attempts: int = 4,
        extra_lexicons: Iterable[str] = (),
    ):
        if max_revisions < 0:
            raise ValueError("max_revisions must be >= 0")
        self.prompts_dir = prompts_dir
        self.max_revisions = max_revisions
        self.concurrency = max(1, concurrency)
        self.on_rejected = on_rejected
        self.allow_confidential = allow_confidential
        self.extra_lexicons = tuple(extra_lexicons)
        self.base_url: str | None = None
        if writer is None:
            from ._llm import OpenAIWriter, resolve_model_config

            config = resolve_model_config(model=model, base_url=base_url, api_key=api_key)
            if config is None:
                writer = ComposerWriter(prompts_dir)
            else:
                self.base_url = config.base_url
                writer = ModelWriter(OpenAIWriter(config, timeout=timeout, max_attempts=max_attempts,
                                                  allow_confidential=allow_confidential))
        self.writer = writer
        self._composer = ComposerWriter(prompts_dir)

    # ----------------------------------------------------------------- public API
    def draft(self, spec: Report, **kw) -> Draft:
        return asyncio.run(self.adraft(spec, **kw))

    async def adraft(self, spec: Report, *, progress: Progress | None = None,
                     only: Iterable[str] | None = None, on_delta: Callable[[str], None] | None = None,
                     on_part: Callable[[str, "Part | DrafterError"], None] | None = None) -> Draft:
        """Draft every part (or only the named part ids) concurrently.

        ``on_part(part_id, result)`` is called as each part finishes, with the
        :class:`Part` or the :class:`DrafterError` that stopped it, so a caller can
        save each part the moment it exists."""
        self._guard(spec)
        ids = spec.part_ids()
        wanted = set(only) if only is not None else None
        evidence = Evidence.of(spec)
        templates = self.prompt_digest(spec.kind)  # once per draft, not once per part
        sem = asyncio.Semaphore(self.concurrency)

        async def one(pid: str) -> Part:
            async with sem:
                if progress:
                    progress("start", pid)
                try:
                    part = await self._write_part(spec, evidence, pid, "draft", on_delta=on_delta,
                                                  progress=progress, templates=templates)
                except DrafterError as exc:
                    if on_part:
                        on_part(pid, exc)
                    raise
                if progress:
                    progress("done", pid)
                if on_part:
                    on_part(pid, part)
                return part

        todo = [pid for pid in ids if wanted is None or pid in wanted]
        results = await asyncio.gather(*(one(pid) for pid in todo), return_exceptions=True)
        draft = Draft(kind=spec.kind, title=spec.title or "", parts=[r for r in results if isinstance(r, Part)])
        draft.take_fixed_fields(spec)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            # The failure that stopped the others, not a section skipped because of it.
            first = next((f for f in failures if not (isinstance(f, ModelError) and f.skipped)), failures[0])
            # Nothing is lost: the parts that were written travel with the error, so a
            # caller can save them and redraft only what is missing (regen --stale).
            if isinstance(first, DrafterError):
                first.draft = draft
            raise first
        self._raise_rejected(draft)
        return draft

    def draft_section(self, spec: Report, section_id: str) -> Part:
        spec.section(section_id)
        self._guard(spec)
        return asyncio.run(self._write_part(spec, Evidence.of(spec), section_id, "draft"))

    def regenerate(self, draft: Draft, section_id: str | int, *, spec: Report, instruction: str | None = None,
                   force: bool = False, on_delta: Callable[[str], None] | None = None) -> Draft:
        return asyncio.run(self.aregenerate(draft, section_id, spec=spec, instruction=instruction,
                                            force=force, on_delta=on_delta))

    async def aregenerate(self, draft: Draft, section_id: str | int, *, spec: Report, instruction: str | None = None,
                          force: bool = False, on_delta: Callable[[str], None] | None = None) -> Draft:
        """A new draft in which one part is redrafted and every other part is left
        exactly as it was. The caller's draft is not changed."""
        old = draft.part(section_id)
        if old.is_hand_edit and not force:
            raise EditProtected(f"“{old.id}”是手工修改的内容，重新生成会覆盖它；确认覆盖请加 force（命令行 --force）")
        if old.role == "section" and old.id not in {s.id for s in spec.sections}:
            raise InputError(f"输入中已没有部分“{old.id}”，无法重新生成")
        if old.role == "section":  # the opening and closing never go to a model
            self._guard(spec, {"修改要求": instruction, f"当前正文（{old.id}）": old.text})
        evidence = Evidence.of(spec)
        purpose = "regenerate" if old.role == "section" else "draft"
        new_part = await self._write_part(spec, evidence, old.id, purpose, previous=old.text,
                                          instruction=instruction, on_delta=on_delta)
        new_part.history = [*old.history, *_version_of(old)]
        new_part.attempts = [*old.attempts, *new_part.attempts]
        out = draft.model_copy(deep=True)
        out.parts = [new_part if p.id == old.id else p for p in out.parts]
        self._raise_rejected(out, only=old.id)
        return out

    def validate(self, text: str, spec: Report | None = None, **kw) -> list[Finding]:
        from .validators import validate

        return validate(text, spec, extra_lexicons=self.extra_lexicons, **kw)

    def prompt_digest(self, kind: str) -> str:
        return prompt_digest(kind, self.prompts_dir)

    def messages_for(self, spec: Report, part_id: str, purpose: str = "draft", *,
                     previous: str | None = None, findings: Iterable[Finding] = (),
                     instruction: str | None = None) -> list[dict[str, str]]:
        """The chat messages a model receives for one part (a fresh list each call)."""
        section = spec.section(part_id)
        number = spec.number(section.id)
        frame = spec.frame()
        heading = spec.heading_of(section)
        ctx = dict(report=spec, section=section, number=number, number_cn=chinese_ordinal(number), frame=frame,
                   heading=heading, heading_line=frame.heading_line(number, heading),
                   headings=[frame.heading_line(i, spec.heading_of(s)) for i, s in enumerate(spec.sections, 1)])
        system = render(spec.kind, "system.j2", user_dir=self.prompts_dir, report=spec)
        if purpose == "regenerate":
            user = render(spec.kind, "regenerate.j2", user_dir=self.prompts_dir, current=previous or "",
                          instruction=instruction, **ctx)
            return [{"role": "system", "content": system}, {"role": "user", "content": user}]
        user = render(spec.kind, "section.j2", user_dir=self.prompts_dir, **ctx)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        if purpose == "revise":
            fix = render(spec.kind, "revise.j2", user_dir=self.prompts_dir, findings=list(findings), **ctx)
            messages += [{"role": "assistant", "content": previous or ""}, {"role": "user", "content": fix}]
        return messages

    def check_part(self, spec: Report, evidence: Evidence, part_id: str, text: str) -> list[Finding]:
        """Validate one part as it will stand in the report (its headings included, as
        the frame writes them: drafter._frame)."""
        from .validators import validate

        return validate(part_as_it_stands(spec, part_id, text), evidence=evidence.for_section(part_id),
                        kind=spec.kind, fragment=True, extra_lexicons=self.extra_lexicons)

    # ----------------------------------------------------------------- internals
    def _guard(self, spec: Report, fields: dict[str, str | None] | None = None) -> None:
        """Refuse before anything is sent, naming the spec's fields (and the instruction
        and current text of a regeneration). The writer scans each request again as it
        leaves, which covers what only exists later: revision findings, model drafts."""
        if sends_data(self.writer):
            self.writer.guard(spec, fields)

    async def _write_part(self, spec: Report, evidence: Evidence, part_id: str, purpose: str, *,
                          previous: str | None = None, instruction: str | None = None,
                          on_delta=None, progress: Progress | None = None, templates: str | None = None) -> Part:
        fixed = part_id in ("opening", "closing")
        writer: Writer = self._composer if fixed else self.writer
        attempts: list[Attempt] = []

        async def attempt(p: str, prev: str | None, found: tuple[Finding, ...]) -> tuple[str, list[Finding]]:
            messages = () if not writer.can_revise else tuple(self.messages_for(
                spec, part_id, p, previous=prev, findings=found, instruction=instruction))
            job = Job(spec, part_id, p, messages, previous=prev, findings=found, instruction=instruction,
                      on_delta=on_delta)
            text = await writer.write(job)
            found_now = self.check_part(spec, evidence, part_id, text)
            attempts.append(Attempt(text=text, origin=writer.origin, purpose=p, instruction=instruction,
                                    findings=found_now))
            return text, found_now

        failed = False
        try:
            text, findings = await attempt(purpose, previous, ())
            revisions = 0
            while _blocking(findings) and writer.can_revise and revisions < self.max_revisions:
                revisions += 1
                if progress:
                    progress("revise", part_id)
                text, findings = await attempt("revise", text, tuple(_blocking(findings)))
        except ReplyRejected as exc:
            # A truncated or empty reply is never a section. Only the composer
            # fallback, when asked for, can still give this part a text.
            if self.on_rejected != "composer":
                raise
            partial = exc.completion.text if exc.completion is not None else ""
            attempts.append(Attempt(text=partial, origin=writer.origin, purpose="draft", error=str(exc)))
            text, findings, failed = partial, [], True
        origin = writer.origin
        flagged = False
        if (failed or _blocking(findings)) and writer.can_revise:
            if self.on_rejected == "composer":
                text = compose(spec, part_id, self.prompts_dir)
                findings = self.check_part(spec, evidence, part_id, text)
                origin = self._composer.origin
                attempts.append(Attempt(text=text, origin=origin, purpose="fallback", findings=findings))
            else:
                flagged = True
        heading = "" if fixed else spec.heading_of(part_id)
        return Part(id=part_id, role=part_id if fixed else "section", heading=heading, text=text, origin=origin,
                    input_digest=digest(part_inputs(spec, part_id)),
                    prompt_digest=templates or self.prompt_digest(spec.kind),
                    findings=findings, attempts=attempts, flagged=flagged)

    def _raise_rejected(self, draft: Draft, only: str | None = None) -> None:
        if self.on_rejected != "raise":
            return
        for p in draft.parts:
            if p.flagged and (only is None or p.id == only):
                gaps = len(_coverage_gaps(p.findings))
                left = f"{p.error_count} 处错误" + (f"、遗漏 {gaps} 个输入数字" if gaps else "")
                exc = DraftRejected(
                    f"“{p.id}”经 {len(p.attempts)} 次尝试仍有 {left}，未被接受",
                    section_id=p.id, attempts=p.attempts)
                exc.draft = draft  # nothing is lost: the caller can still save it
                raise exc


def part_as_it_stands(spec: Report, part_id: str, text: str) -> str:
    """A part's text with the lines the frame writes around it (一、……。 or （二）……,
    the closing's numbered headings): what a reader and the validators see."""
    frame = spec.frame()
    if part_id == "opening":
        return text
    if part_id == "closing":
        return frame.closing_text(text, len(spec.sections))
    section = spec.section(part_id)
    return frame.section_text(spec.number(section.id), spec.heading_of(section), text)


def _coverage_gaps(findings):
    from .validators._numbers_check import coverage_gaps

    return coverage_gaps(findings)


def _blocking(findings) -> list[Finding]:
    """What sends a model's section back: its errors, and the input figures of its own
    facts it left out (coverage)."""
    return [f for f in findings if f.severity == "error"] + _coverage_gaps(findings)


def _version_of(part: Part):
    from ._draft import Version

    return [Version(text=part.text, origin=part.origin, note="重新生成前")]
