"""``drafter draft``: draft a report from a spec, to stdout or -o, and to a draft file
with --save. Bad targets are refused before any drafting; --save takes the session
lock and never replaces hand edits without --force; drafted text is never lost when
an output cannot be written (see :mod:`._outputs`)."""

from __future__ import annotations

import sys
from pathlib import Path

from .._errors import InputError
from ._outputs import docx_to_stdout, docx_written, recover, refuse_binary_on_terminal, write_output
from ._workspace import build_drafter, section_or_fail, spec_path_as_recorded


def _progress(drafter, total: int):
    """A rich progress display on stderr when it is a terminal; otherwise silence."""
    from .._writers import sends_data

    if not sends_data(drafter.writer) or not sys.stderr.isatty():
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
    if not args.save or _special(args.save):  # a device or pipe holds no draft to protect
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
        refuse_binary_on_terminal()
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
                kept = recover(args.spec, partial)
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
            if not drafter.writer.can_revise:
                raise
            kept = recover(args.spec, draft)
            raise InputError(f"{e}。起草的内容没有丢失：已存为草稿文件 {kept} 。") from None
    try:
        _deliver(args, spec, draft)
    except InputError as e:
        # The offline composer redrafts the same text in a moment; a model's text is kept.
        kept = saved or (recover(args.spec, draft) if drafter.writer.can_revise else None)
        if kept is None:
            raise
        raise InputError(f"{e}。起草的内容没有丢失：草稿文件在 {kept} ，可用 drafter export {kept} -o 文件 "
                         f"重新导出。") from None
    if any(p.error_count or p.flagged for p in draft.parts):
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


def _deliver(args, spec, draft) -> None:
    """The drafted text to -o (or stdout) in the chosen format."""
    from ..export import render, write_docx

    numbers = {sec.id: i for i, sec in enumerate(spec.sections, 1)}  # right ordinals with --only
    if args.format == "docx":
        if args.output == "-":
            docx_to_stdout(draft, numbers)
        else:
            write_docx(draft, args.output, numbers)
            docx_written(draft, args.output)
        return
    write_output(render(draft, args.format, numbers), args.output)
