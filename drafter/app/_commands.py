"""What each ``drafter`` subcommand does. Parsing and exit codes live in cli.py."""

from __future__ import annotations

import gc
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from .._errors import InputError
from ._outputs import docx_to_stdout, docx_written, refuse_binary_on_terminal, write_output

# Each command imports what it needs when it runs: `drafter check` must not pay for
# the drafting machinery (jinja2, asyncio, the pipeline) at start-up.


def cmd_draft(args) -> int:
    from ._draft_command import cmd_draft as draft

    return draft(args)

__all__ = ["cmd_check", "cmd_draft", "cmd_export", "cmd_init", "cmd_regen", "cmd_schema", "cmd_session",
           "cmd_status", "schema_text"]


@contextmanager
def _built_to_last():
    """The cyclic collector paused while data that lives to the end of the command is
    built (a 10,000-row ledger's facts, their evidence and index: young collections
    walked them for a tenth of ``check --facts LEDGER``), then handed to the oldest
    generation in one step; garbage made meanwhile is collected with it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def _facts_evidence(args):
    """``--facts``: (plain fact lines, None), or (None, the ledger as a spec: each row a
    fact, its cell the source)."""
    from ..reading import is_ledger, load_facts

    if not args.facts:
        return None, None
    if is_ledger(args.facts):
        from ..importing import ledger_report

        return None, ledger_report(args.facts, columns=args.columns, fork=True)
    return load_facts(args.facts), None


def cmd_check(args) -> int:
    from ..reading import load_spec
    from ._check import CheckOptions, check_file, check_files, collect_files, print_one, report_many

    spec = load_spec(args.input) if args.input else None
    with _built_to_last():
        facts, ledger = _facts_evidence(args)
    options = CheckOptions(spec=spec, facts=facts, ledger=ledger, fragment=args.fragment,
                           lexicons=tuple(args.lexicon), kind=args.kind)
    if args.kind:
        from .._kinds import resolve_kind

        resolve_kind("", args.kind, None, args.lexicon)  # an unknown kind: exit 2 before any file is read
    as_json = args.format == "json"
    if len(args.files) == 1 and not Path(args.files[0]).is_dir():
        with _built_to_last():
            result = check_file(args.files[0], options)  # unreadable: InputError, exit 2
        print_one(result, as_json)
        return 1 if result.errors else 0
    files = collect_files(args.files)
    return report_many(check_files(files, options, args.jobs, as_json=as_json), as_json, options.judged)


def schema_text() -> str:
    from .._spec import Report

    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "drafter 报告输入"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def cmd_schema(args) -> int:
    write_output(schema_text(), args.output)
    return 0


def cmd_init(args) -> int:
    from .._resources import data_file
    from ..export import write_text

    target = Path(args.file)
    if target.exists() and not args.force:
        raise InputError(f"{target} 已存在；要覆盖请加 --force")
    if not target.parent.exists():
        raise InputError(f"目录不存在：{target.parent}")
    starter = data_file(f"starters/{args.kind}.yaml").read_text(encoding="utf-8")
    write_text(target, starter)
    schema_path = target.parent / "report.schema.json"
    if not schema_path.exists():
        write_text(schema_path, schema_text())
    sys.stderr.write(f"已生成 {target}（编辑器可按 {schema_path.name} 提示字段）。下一步：drafter draft {target}\n")
    return 0


def cmd_status(args) -> int:
    from ._workspace import spec_for_draft
    from .._pipeline import prompt_digest
    from ..reading import load_draft
    from ._view import print_status

    draft = load_draft(args.draft)
    spec = spec_for_draft(draft, args.draft, args.spec)
    print_status(draft, draft.stale(spec, prompt_digest(spec.kind, args.prompts)))
    if args.facts:
        from ._view import print_facts

        print_facts(draft, spec)
    return 0


def cmd_regen(args) -> int:
    from ._lock import SessionLock

    # A session open on this draft would overwrite our save with its next one: refuse.
    with SessionLock(args.draft):
        return _regen(args)


def _regen(args) -> int:
    from ._workspace import build_drafter, spec_for_draft
    from .._errors import DraftRejected
    from ..export import save_draft
    from ..reading import load_draft
    from ._view import print_part_findings

    draft = load_draft(args.draft)
    spec = spec_for_draft(draft, args.draft, args.spec)
    drafter = build_drafter(args)
    if args.stale:
        targets = draft.stale(spec, drafter.prompt_digest(spec.kind))
        if args.section:
            raise InputError("--stale 与指定部分不能同时使用")
        if not targets:
            sys.stderr.write("没有过期的部分。\n")
            _save_fixed_fields(draft, spec, args.draft)
            return 0
    elif args.section:
        try:
            targets = [draft.part(args.section).id]
        except KeyError:
            ids = "、".join(p.id for p in draft.parts)
            raise InputError(f"草稿中没有部分“{args.section}”；可用：{ids}") from None
    else:
        raise InputError("请指定要重新生成的部分（id 或序号），或用 --stale")
    on_delta = (lambda s: (sys.stderr.write(s), sys.stderr.flush())) if args.stream else None  # noqa: E731
    if args.instruction and not drafter.writer.can_revise:
        sys.stderr.write("提示：离线撰稿器不能按文字要求改写，将按最新输入重新组稿；要按要求改写请配置模型（-m）。\n")
    draft.take_fixed_fields(spec)
    for pid in targets:
        known = {p.id for p in draft.parts}
        try:
            if pid not in known:  # a section added to the spec after drafting
                draft = _add_new_section(drafter, draft, spec, pid)
            else:
                draft = drafter.regenerate(draft, pid, spec=spec, instruction=args.instruction, force=args.force,
                                           on_delta=on_delta)
        except DraftRejected as e:
            if getattr(e, "draft", None) is not None:
                save_draft(e.draft, args.draft)
                sys.stderr.write(f"“{pid}”仍有错误，已标记保存；其他部分未变。\n")
                print_part_findings(e.draft)
            raise
        save_draft(draft, args.draft)
        sys.stderr.write(f"已重新生成“{pid}”，保存到 {args.draft}\n")
    return 1 if any(draft.part(pid).error_count for pid in targets) else 0


def _save_fixed_fields(draft, spec, path) -> None:
    """The title, 主送机关, 署名 and 成文日期 follow the spec even when no part is stale."""
    from ..export import save_draft

    before = (draft.title, draft.recipient, draft.signature, draft.date, draft.layout)
    draft.take_fixed_fields(spec)
    if (draft.title, draft.recipient, draft.signature, draft.date, draft.layout) != before:
        save_draft(draft, path)
        sys.stderr.write(f"已按输入更新标题、主送机关、署名和成文日期，保存到 {path}\n")


def _add_new_section(drafter, draft, spec, pid: str):
    from ._workspace import with_part
    import asyncio

    new = asyncio.run(drafter.adraft(spec, only=[pid]))
    return with_part(draft, spec, new.parts[0])


def cmd_export(args) -> int:
    from ..export import render, write_docx
    from ..reading import load_draft

    if args.format == "docx":
        if not args.output:
            raise InputError("导出 docx 需要用 -o 指定文件（或用 -o - 输出到管道）")
        if args.output == "-":
            refuse_binary_on_terminal()
    draft = load_draft(args.draft)
    if args.format == "docx":
        if args.output == "-":
            docx_to_stdout(draft)
        else:
            write_docx(draft, args.output)
            docx_written(draft, args.output)
        return 0
    write_output(render(draft, args.format), args.output)
    return 0


def cmd_import(args) -> int:
    from ._import_command import run_import

    return run_import(args)


def cmd_session(args) -> int:
    from ._session import run_session

    return run_session(args)
