"""What each ``drafter`` subcommand does. Parsing and exit codes live in cli.py."""

from __future__ import annotations

import json
import re
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
            prog.console.print(f"“{part_id}”有错误，按检查意见修改中…", style="yellow", markup=False)

    return prog, on_event


def cmd_draft(args) -> int:
    from ..reading import load_spec

    spec = load_spec(args.spec)
    _check_targets(args)
    drafter = build_drafter(args)
    only = args.only
    if only:
        for sid in only:
            section_or_fail(spec, sid)
    if args.stream and (not only or len(only) != 1):
        raise InputError("--stream 只用于起草单个部分：请同时用 --only 指定一个部分")
    if not args.save:
        return _draft_and_deliver(args, spec, drafter, None)
    from ._lock import SessionLock

    # A session on this draft file would overwrite our save with its next one (and we
    # would overwrite its edits): refuse while it is open, as regen does.
    with SessionLock(args.save):
        return _draft_and_deliver(args, spec, drafter, _previous_draft(args, spec))


def _check_targets(args) -> None:
    """Refuse a bad -o/--save before any drafting: nothing is spent, nothing written."""
    from ..export import check_writable

    spec = Path(args.spec).resolve()
    output = args.output if args.output and args.output != "-" else None
    if args.format == "docx" and not args.output:
        raise InputError("导出 docx 需要用 -o 指定文件（或用 -o - 输出到管道）")
    if args.format == "docx" and args.output == "-":
        _refuse_binary_on_terminal()
    for opt, path in (("-o", output), ("--save", args.save)):
        if path and Path(path).resolve() == spec:
            raise InputError(f"{opt} 指向输入文件 {args.spec} 本身，会覆盖输入；请换一个文件名")
        if path:
            check_writable(path)
    if output and args.save and Path(output).resolve() == Path(args.save).resolve() and not _special(output):
        raise InputError("-o 与 --save 不能是同一个文件：草稿文件会被导出的内容覆盖")


def _special(path: str) -> bool:
    """True for an existing path that is not a regular file (a device, a FIFO)."""
    import stat

    try:
        return not stat.S_ISREG(Path(path).stat().st_mode)
    except OSError:
        return False


def _previous_draft(args, spec):
    """The draft file --save would replace, if there is one. Its hand-edited parts are
    never replaced without --force (the same rule as regen); a file there that is not
    a readable draft is not overwritten without --force either."""
    import stat

    from .._errors import DraftFileError, EditProtected
    from ..reading import load_draft

    path = Path(args.save)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
    except OSError:
        return None
    try:
        previous = load_draft(path)
    except DraftFileError as e:
        if args.force:
            return None
        raise InputError(f"{path} 已存在，但不是可读的草稿文件，为免覆盖未起草；确认覆盖请加 --force。"
                         f"（{e}）", path=str(path)) from None
    todo = set(args.only) if args.only else {"opening", *(s.id for s in spec.sections), "closing"}
    hand = [p.id for p in previous.parts if p.is_hand_edit and p.id in todo]
    if hand and not args.force:
        raise EditProtected(
            f"草稿 {path} 中 {'、'.join(hand)} 是手工修改的内容，重新起草会替换它们，未起草。"
            f"只重写输入已变的部分可用 drafter regen {path} --stale；确认替换请加 --force"
            f"（原文会保留在该部分的历史中，可在会话中用 undo 恢复）。")
    return previous


def _draft_and_deliver(args, spec, drafter, previous) -> int:
    import asyncio

    from .._errors import DraftRejected, DrafterError
    from ._view import print_part_findings

    only = args.only
    on_delta = (lambda s: (sys.stderr.write(s), sys.stderr.flush())) if args.stream else None  # noqa: E731
    total = len(only) if only else len(spec.sections) + 2
    prog, on_event = _progress(drafter, total)
    try:
        if prog:
            with prog:
                draft = asyncio.run(drafter.adraft(spec, progress=on_event, only=only, on_delta=on_delta))
        else:
            draft = asyncio.run(drafter.adraft(spec, only=only, on_delta=on_delta))
    except DrafterError as e:
        partial = getattr(e, "draft", None)
        if partial is not None and partial.parts:
            if args.save:
                _save(args, spec, partial, previous)
                if isinstance(e, DraftRejected):
                    sys.stderr.write(f"草稿（含未通过的部分）已保存到 {args.save}\n")
                else:
                    sys.stderr.write(f"已写成的部分已保存到 {args.save}；问题解决后可用 "
                                     f"drafter regen {args.save} --stale 补齐其余部分\n")
            elif drafter.writer.can_revise:  # model text costs time and money: keep it
                kept = _recover(args, spec, partial)
                sys.stderr.write(f"已写成的部分已存为草稿文件 {kept} （可用 drafter regen {kept} --stale 补齐）\n")
            print_part_findings(partial)
        raise
    if args.stream:
        sys.stderr.write("\n")
    saved = None
    if args.save:
        try:
            _save(args, spec, draft, previous)
            saved = args.save
            sys.stderr.write(f"草稿已保存到 {args.save}\n")
        except InputError as e:
            kept = _recover(args, spec, draft)
            raise InputError(f"{e}。起草的内容没有丢失：已存为草稿文件 {kept} 。") from None
    try:
        _deliver(args, spec, draft)
    except InputError as e:
        kept = saved or _recover(args, spec, draft)
        raise InputError(f"{e}。起草的内容没有丢失：草稿文件在 {kept} ，可用 drafter export {kept} -o 文件 "
                         f"重新导出。") from None
    errors = sum(p.error_count for p in draft.parts)
    if errors:
        print_part_findings(draft)
        return 1
    return 0


def _save(args, spec, draft, previous) -> None:
    """Save ``draft`` to --save, merged into the draft file it replaces (see merge_redraft)."""
    from ..export import save_draft
    from ._workspace import merge_redraft

    merged = merge_redraft(previous, draft, spec)
    merged.spec_path = spec_path_as_recorded(args.spec, args.save)
    save_draft(merged, args.save)


def _recover(args, spec, draft) -> str:
    """Save ``draft`` to a new file in the temporary folder; its path."""
    import os
    import tempfile

    from ..export import save_draft

    fd, path = tempfile.mkstemp(prefix="drafter-recovered-", suffix=".draft.json")
    os.close(fd)
    draft.spec_path = str(Path(args.spec).resolve())
    save_draft(draft, path)
    return path


def _deliver(args, spec, draft) -> None:
    """The drafted text to -o (or stdout) in the chosen format."""
    from ..export import render, write_docx

    if args.format == "docx":
        if args.output == "-":
            _docx_to_stdout(draft)
        else:
            write_docx(draft, args.output)
            sys.stderr.write(f"已写入 {args.output}\n")
        return
    numbers = {sec.id: i for i, sec in enumerate(spec.sections, 1)}  # right ordinals with --only
    _write_output(render(draft, args.format, numbers), args.output)


def _refuse_binary_on_terminal() -> None:
    if sys.stdout.isatty():
        raise InputError("Word 文件是二进制内容，不能输出到终端：请用 -o 文件名，或把标准输出重定向到文件"
                         "（-o - > 报告.docx）")


def _docx_to_stdout(draft) -> None:
    import tempfile

    from ..export import write_docx

    _refuse_binary_on_terminal()
    with tempfile.TemporaryDirectory(prefix="drafter-") as tmp:
        path = Path(tmp) / "out.docx"
        write_docx(draft, path)
        data = path.read_bytes()
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def cmd_check(args) -> int:
    from ..reading import load_facts, load_spec, read_text
    from ..validators import validate
    from ._view import print_findings

    text = read_text(args.file, "文稿")
    if not text.strip():
        raise InputError(f"文稿是空的（或只有空白）：{args.file}；没有可检查的内容", path=args.file)
    spec = load_spec(args.input) if args.input else None
    facts = load_facts(args.facts) if args.facts else None
    findings = validate(text, spec, facts=facts, fragment=args.fragment, extra_lexicons=args.lexicon)
    if args.format == "json":
        payload = {"file": args.file, "judged_numbers": bool(spec or facts),
                   "findings": [f.model_dump() for f in findings],
                   "summary": {"errors": sum(f.severity == "error" for f in findings),
                               "warnings": sum(f.severity == "warning" for f in findings)}}
        sys.stdout.write(_escape_controls(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n")
    else:
        print_findings(text, findings, name=args.file, judged=bool(spec or facts))
    return 1 if any(f.severity == "error" for f in findings) else 0


_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def _escape_controls(json_text: str) -> str:
    """JSON with DEL and C1 controls as \\u escapes too (json escapes only C0): the
    same data, and nothing a terminal would act on."""
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


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
    starter = data_file("starter.yaml").read_text(encoding="utf-8")
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
    draft.title = spec.title or draft.title
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


def _add_new_section(drafter, draft, spec, pid: str):
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
            _refuse_binary_on_terminal()
    draft = load_draft(args.draft)
    if args.format == "docx":
        if args.output == "-":
            _docx_to_stdout(draft)
        else:
            write_docx(draft, args.output)
            sys.stderr.write(f"已写入 {args.output}\n")
        return 0
    _write_output(render(draft, args.format), args.output)
    return 0


def cmd_session(args) -> int:
    from ._session import run_session

    return run_session(args)
