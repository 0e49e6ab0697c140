"""``drafter import FILE… -o SPEC.yaml``: ledgers and outlines to a commented spec.

Nothing is written unless every file was read and the spec is valid. Importing into a
spec that an earlier import wrote keeps what the user filled in there (title, organ,
opening, closing, each section's topic and aim); the earlier file is kept as
``SPEC.yaml.bak`` whenever the new one differs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .._errors import InputError


def run_import(args) -> int:
    from ..export import spec_yaml, write_text
    from ..importing import import_materials, placeholders

    output = args.output if args.output and args.output != "-" else None
    previous, old_text = None, None
    if output:
        target = Path(output)
        if any(Path(f).resolve() == target.resolve() for f in args.files):
            raise InputError(f"输出文件不能是要导入的材料本身：{output}")
        if target.is_dir():
            raise InputError(f"输出位置是一个目录：{output}；请给出 .yaml 文件名")
        if not target.parent.exists():
            raise InputError(f"目录不存在：{target.parent}")
        if target.exists():
            previous, old_text = _previous_spec(target, args.force)
    imported = import_materials(args.files, columns=args.columns, kind=args.kind, organ=args.organ,
                                period=args.period, previous=previous, fork=True)
    g, asm, report = imported.gathered, imported.assembly, imported.report
    hints = {k: v.hint for k, v in placeholders().items() if v.hint}
    opening_notes = []
    if g.preamble:
        opening_notes.append("材料中第一个“一、”之前的文字，可据此填写开头：")
        opening_notes += [f"  {where}：{text}" for where, text in g.preamble]
    out = spec_yaml(report, header=_header(g), hints=hints, section_notes=asm.section_notes,
                    opening_notes=opening_notes)
    if output:
        if old_text is not None and old_text != out.text:
            backup = Path(output + ".bak")
            write_text(backup, old_text)
            _say(f"原文件已备份为 {backup}")
        write_text(output, out.text)
    else:
        sys.stdout.write(out.text)
        sys.stdout.flush()
    _report(imported, out, output)
    return 0


def _previous_spec(target: Path, force: bool) -> tuple[dict | None, str | None]:
    """The spec an earlier import wrote at ``target`` as plain data (to keep what the
    user filled in), and its text (for the backup)."""
    import yaml

    from .._yaml import load
    from ..reading import read_text

    try:
        text = read_text(target, "输出文件")
    except InputError:
        if force:
            return None, None
        raise InputError(f"{target} 已存在且无法作为输入文件读取；要覆盖请加 --force") from None
    try:
        data = load(_without_facts(text))
    except yaml.YAMLError:
        try:
            data = load(text)
        except yaml.YAMLError:
            data = None
    if isinstance(data, dict) and isinstance(data.get("sections"), list):
        return data, text
    if force:
        return None, text
    raise InputError(f"{target} 已存在且不是 drafter 的输入文件；要覆盖请加 --force")


_FACTS_KEY = re.compile(r"^( *)(- )?(facts|points):(?:\s.*)?$")


def _without_facts(text: str) -> str:
    """The spec's text without its facts and points blocks: only the fields a user fills
    in are kept on re-import, and reading 10,000 facts back would take longer than
    importing them. Block YAML only; a text this cannot cut is read whole."""
    out: list[str] = []
    skip: int | None = None
    for line in text.splitlines():
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if skip is not None:
            if not body or body.startswith("#") or indent > skip or (indent == skip and body.startswith("- ")):
                continue
            skip = None
        m = _FACTS_KEY.match(line)
        if m:
            skip = len(m.group(1)) + (2 if m.group(2) else 0)
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def _header(g) -> list[str]:
    lines = ["由 drafter import 从以下材料生成：", *[f"  {m}" for m in g.materials],
             "每条事实的 source 是它的出处：台账为“文件 工作表!单元格”，材料为“文件 第N段”。",
             "事实请在台账或材料中修改后重新导入（drafter import … -o 本文件）：重新导入时，",
             "这里填写的标题、报告单位、开头、结尾和各部分的牵引、目标都会保留。",
             "标有【待补：…】的地方须补写：drafter draft 和 drafter check 会把它们列为错误。"]
    return lines


_LISTED = 30


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _report(imported, out, output: str | None) -> None:
    g, asm, report = imported.gathered, imported.assembly, imported.report
    facts = sum(len(s.all_facts()) for s in report.sections)
    _say(f"已导入 {'、'.join(g.materials)}：{len(report.sections)} 个部分、{facts} 条事实")
    for note in g.notes:
        _say(f"  {note}")
    if asm.kept:
        _say(f"沿用原文件中已填写的 {len(asm.kept)} 处（{'、'.join(asm.kept[:8])}{' 等' if len(asm.kept) > 8 else ''}）")
    if asm.dropped:
        _say(f"原文件中的部分 {'、'.join(asm.dropped)} 在材料中已没有，未再包含（见备份文件）")
    if asm.period_note:
        _say(asm.period_note)
    if output:
        _say(f"已写入 {output}")
    if out.placeholders:
        where = f"{output} " if output else ""
        _say(f"还需补写 {len(out.placeholders)} 处（drafter draft 会把【待补】列为错误）：")
        for line, path, text in out.placeholders[:_LISTED]:
            for sid, name in asm.names.items():
                path = path.replace(f"（{sid}）", f"（{sid} {name}）")
            _say(f"  {where}第{line}行 {path}：{text}")
        if len(out.placeholders) > _LISTED:
            _say(f"  ……另有 {len(out.placeholders) - _LISTED} 处（在文件中搜索“【待补”）")
        if output:
            _say(f"补写后：drafter draft {output}")
    elif output:
        _say(f"下一步：drafter draft {output}")
