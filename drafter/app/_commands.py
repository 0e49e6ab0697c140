"""What each ``drafter`` subcommand does. Parsing and exit codes live in _cli."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .._errors import InputError
from ._workspace import build_drafter, section_or_fail, spec_for_draft, spec_path_as_recorded, with_part


def _write_output(text: str, output: str | None) -> None:
    """To the file ``output`` (atomically), or to stdout when it is None or "-"."""
    if output and output != "-":
        from ..export import write_text

        write_text(output, text)
        sys.stderr.write(f"已写入 {output}\n")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _docx_written(draft, output: str) -> None:
    sys.stderr.write(f"已写入 {output}\n")
    if draft.date is None:
        sys.stderr.write("提示：输入中没有成文日期（date），Word 文件只排了署名；在输入中写上 date 后重新导出即可。\n")


def _progress(drafter, total: int):
    """A rich progress display on stderr when it is a terminal; otherwise silence."""
    if drafter.writer.can_revise is False or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    prog = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    console=Console(stderr=True), transient=True)
    task = prog.add_task("起草中", total=total)

    def on_event(event: str, part_id: str) -> None:
        if event == "done":
            prog.advance(task)
        elif event == "revise":
            prog.console.print(f"[yellow]“{part_id}”有错误，按检查意见修改中…[/]")

    return prog, on_event


def cmd_draft(args) -> int:
    from .._errors import DraftRejected, DrafterError
    from ..export import render, save_draft, write_docx
    from ..reading import load_spec
    from ._view import print_part_findings

    spec = load_spec(args.spec)
    if args.format == "docx" and (not args.output or args.output == "-"):
        raise InputError("导出 docx 需要用 -o 指定文件")
    drafter = build_drafter(args)
    only = args.only
    if only:
        for sid in only:
            section_or_fail(spec, sid)
    on_delta = None
    if args.stream:
        if not only or len(only) != 1:
            raise InputError("--stream 只用于起草单个部分：请同时用 --only 指定一个部分")
        on_delta = lambda s: (sys.stderr.write(s), sys.stderr.flush())  # noqa: E731
    total = len(only) if only else len(spec.sections) + 2
    prog, on_event = _progress(drafter, total)
    import asyncio

    try:
        if prog:
            with prog:
                draft = asyncio.run(drafter.adraft(spec, progress=on_event, only=only, on_delta=on_delta))
        else:
            draft = asyncio.run(drafter.adraft(spec, only=only, on_delta=on_delta))
    except DrafterError as e:
        draft = getattr(e, "draft", None)
        if draft is not None and draft.parts:
            if args.save:
                draft.spec_path = spec_path_as_recorded(args.spec, args.save)
                save_draft(draft, args.save)
                if isinstance(e, DraftRejected):
                    sys.stderr.write(f"草稿（含未通过的部分）已保存到 {args.save}\n")
                else:
                    sys.stderr.write(f"已写成的部分已保存到 {args.save}；问题解决后可用 "
                                     f"drafter regen {args.save} --stale 补齐其余部分\n")
            print_part_findings(draft)
        raise
    if args.stream:
        sys.stderr.write("\n")
    if args.save:
        draft.spec_path = spec_path_as_recorded(args.spec, args.save)
        save_draft(draft, args.save)
        sys.stderr.write(f"草稿已保存到 {args.save}\n")
    numbers = {sec.id: i for i, sec in enumerate(spec.sections, 1)}  # right ordinals with --only
    if args.format == "docx":
        write_docx(draft, args.output, numbers)
        _docx_written(draft, args.output)
    else:
        _write_output(render(draft, args.format, numbers), args.output)
    errors = sum(p.error_count for p in draft.parts)
    if errors:
        print_part_findings(draft)
        return 1
    return 0


def cmd_check(args) -> int:
    from ..reading import load_facts, load_spec
    from ._check import CheckOptions, check_file, check_files, collect_files, print_one, report_many

    spec = load_spec(args.input) if args.input else None
    facts = load_facts(args.facts) if args.facts else None
    options = CheckOptions(spec=spec, facts=facts, fragment=args.fragment, lexicons=tuple(args.lexicon),
                           kind=args.kind)
    if args.kind:
        from .._kinds import resolve_kind

        resolve_kind("", args.kind, None, args.lexicon)  # an unknown kind: exit 2 before any file is read
    as_json = args.format == "json"
    if len(args.files) == 1 and not Path(args.files[0]).is_dir():
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
    _write_output(schema_text(), args.output)
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
    from .._pipeline import prompt_digest
    from ..reading import load_draft
    from ._view import print_status

    draft = load_draft(args.draft)
    spec = spec_for_draft(draft, args.draft, args.spec)
    print_status(draft, draft.stale(spec, prompt_digest(spec.kind, args.prompts)))
    return 0


def cmd_regen(args) -> int:
    from ._lock import SessionLock

    # A session open on this draft would overwrite our save with its next one: refuse.
    with SessionLock(args.draft):
        return _regen(args)


def _regen(args) -> int:
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
    import asyncio

    new = asyncio.run(drafter.adraft(spec, only=[pid]))
    return with_part(draft, spec, new.parts[0])


def cmd_export(args) -> int:
    from ..export import render, write_docx
    from ..reading import load_draft

    draft = load_draft(args.draft)
    if args.format == "docx":
        if not args.output or args.output == "-":
            raise InputError("导出 docx 需要用 -o 指定文件")
        write_docx(draft, args.output)
        _docx_written(draft, args.output)
        return 0
    _write_output(render(draft, args.format), args.output)
    return 0


def cmd_session(args) -> int:
    from ._session import run_session

    return run_session(args)
