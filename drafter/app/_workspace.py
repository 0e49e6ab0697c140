"""What the CLI commands and the session share: a :class:`~drafter.Drafter` built
from the command-line options, the spec and draft files that go together, and a
part put into a draft in the spec's order."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .._draft import Draft, Part, Version
from .._errors import DraftFileError, InputError
from .._spec import Report
from ..reading import load_spec

if TYPE_CHECKING:
    from .._pipeline import Drafter


def build_drafter(options, *, on_rejected: str | None = None) -> Drafter:
    """A Drafter from parsed options (``-m``, ``--base-url``, ``--prompts`` …)."""
    if options.max_revisions < 0:
        raise InputError(f"--max-revisions 不能为负数：{options.max_revisions}")
    if options.concurrency < 1:
        raise InputError(f"--concurrency 至少为 1：{options.concurrency}")
    if not (options.timeout > 0 and options.timeout != float("inf")):
        raise InputError(f"--timeout 应为正数（秒）：{options.timeout}")
    from .._pipeline import Drafter

    return Drafter(
        model=options.model, base_url=options.base_url, prompts_dir=options.prompts,
        max_revisions=options.max_revisions, concurrency=options.concurrency,
        on_rejected=on_rejected or options.on_rejected, allow_confidential=options.allow_confidential,
        timeout=options.timeout, extra_lexicons=options.lexicon,
    )


def default_draft_path(spec_path: Path) -> Path:
    """``NAME.draft.json`` beside ``NAME.yaml``."""
    return spec_path.with_name(spec_path.stem + ".draft.json")


def spec_path_as_recorded(spec_path: str | Path, draft_path: str | Path) -> str:
    """The spec's path as a draft file records it: relative to the draft's folder."""
    return os.path.relpath(Path(spec_path).resolve(), Path(draft_path).resolve().parent)


def recorded_spec_path(draft: Draft, draft_path: str | Path) -> Path:
    """The spec file a draft file records; DraftFileError when it records none."""
    if not draft.spec_path:
        raise DraftFileError(f"草稿文件 {draft_path} 没有记录输入文件，请用 --spec 指定", path=str(draft_path))
    p = Path(draft.spec_path)
    return p if p.is_absolute() else Path(draft_path).resolve().parent / p


def spec_for_draft(draft: Draft, draft_path: str | Path, spec_arg: str | None) -> Report:
    """The spec given on the command line, else the one the draft records."""
    return load_spec(spec_arg if spec_arg else recorded_spec_path(draft, draft_path))


def part_order(spec: Report, ids) -> list[str]:
    """Part ids in report order: opening, the spec's sections, parts the spec no
    longer has (kept, so nothing is lost), closing."""
    spec_ids = [s.id for s in spec.sections]
    known = set(spec_ids) | {"opening", "closing"}
    return ["opening", *spec_ids, *[i for i in ids if i not in known], "closing"]


def with_part(draft: Draft, spec: Report, part: Part | None = None) -> Draft:
    """A copy of ``draft`` with ``part`` added or replaced, parts in spec order."""
    out = draft.model_copy(deep=True)
    parts = {p.id: p for p in out.parts}
    if part is not None:
        parts[part.id] = part
    out.parts = [parts[i] for i in part_order(spec, parts) if i in parts]
    return out


def merge_redraft(previous: Draft | None, new: Draft, spec: Report) -> Draft:
    """``new`` (freshly drafted parts) put into the draft file it replaces: each part
    keeps the replaced text in its history and its earlier attempts; parts not
    redrafted (``--only``, or gone from the spec) are kept as they were."""
    if previous is None:
        return new
    parts = {p.id: p for p in previous.parts}
    for part in new.parts:
        old = parts.get(part.id)
        if old is not None:
            history = list(old.history)
            if old.text != part.text:
                history.append(Version(text=old.text, origin=old.origin, note="重新起草前"))
            part = part.model_copy(update={"history": history, "attempts": [*old.attempts, *part.attempts]})
        parts[part.id] = part
    return Draft(kind=new.kind, title=new.title, spec_path=previous.spec_path, created=previous.created,
                 parts=[parts[i] for i in part_order(spec, parts) if i in parts])


def section_or_fail(spec: Report, key: str):
    try:
        return spec.section(key)
    except KeyError:
        ids = "、".join(s.id for s in spec.sections)
        raise InputError(f"没有部分“{key}”；可用的 id：{ids}（或序号 1–{len(spec.sections)}）") from None
