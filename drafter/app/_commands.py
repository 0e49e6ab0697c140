"""What each ``drafter`` subcommand does. Parsing and exit codes live in cli.py."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .._errors import InputError
from ._draft_command import cmd_draft
from ._outputs import docx_to_stdout, refuse_binary_on_terminal, write_output
from ._workspace import build_drafter, spec_for_draft, with_part

__all__ = ["cmd_check", "cmd_draft", "cmd_export", "cmd_init", "cmd_regen", "cmd_schema", "cmd_session",
           "cmd_status", "schema_text"]


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
            refuse_binary_on_terminal()
    draft = load_draft(args.draft)
    if args.format == "docx":
        if args.output == "-":
            docx_to_stdout(draft)
        else:
            write_docx(draft, args.output)
            sys.stderr.write(f"已写入 {args.output}\n")
        return 0
    write_output(render(draft, args.format), args.output)
    return 0


def cmd_session(args) -> int:
    from ._session import run_session

    return run_session(args)
