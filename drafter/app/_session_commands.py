"""The session's commands: one table (name → handler, usage, help, example) and the
handlers. A handler gets the session and the rest of the line; it works on a copy of
the draft and commits it with ``Session.commit``, which saves atomically before the
prompt returns. A hand edit is never replaced without a y/N answer.
"""

from __future__ import annotations

import asyncio
import difflib
import os
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .._draft import Attempt, Part, digest, part_inputs
from .._errors import DraftRejected, DrafterError, InputError, ModelError
from ..export import FORMATS, render, write_docx, write_text
from ._view import origin_label, print_finding_list, printable
from ._workspace import with_part


class UsageError(Exception):
    """A command typed wrongly; the message (Chinese) is shown as it is."""


# ------------------------------------------------------------------ command table
@dataclass(frozen=True)
class Command:
    name: str
    handler: Callable[[Any, str], bool | None]  # True ends the session
    usage: str
    help: str
    example: str
    aliases: tuple[str, ...] = ()
    takes_part: bool = False


COMMANDS: dict[str, Command] = {}
_ALIASES: dict[str, str] = {}


def command(name: str, usage: str, help: str, example: str, *, aliases: tuple[str, ...] = (),
            takes_part: bool = False):
    def register(fn):
        COMMANDS[name] = Command(name, fn, usage, help, example, aliases, takes_part)
        _ALIASES.update({a: name for a in (name, *aliases)})
        return fn
    return register


def find_command(word: str) -> Command | None:
    name = _ALIASES.get(word.lstrip("/").lower())
    return COMMANDS[name] if name else None


def suggest_command(word: str) -> str | None:
    """The command a mistyped word most likely meant, if any is close."""
    close = difflib.get_close_matches(word.lstrip("/").lower(), list(_ALIASES), n=1, cutoff=0.5)
    return _ALIASES[close[0]] if close else None


def execute(s, line: str) -> bool:
    """Run one command line in session ``s``; True when the session should end."""
    line = line.strip()
    if not line:
        return False
    word, rest = split_first(line)
    cmd = find_command(word)
    if cmd is None:
        close = suggest_command(word)
        hint = f"你是想输入 {close} 吗？" if close else ""
        s.warn(f"没有“{word}”这个命令。{hint}输入 help 查看全部命令。")
        return False
    try:
        return bool(cmd.handler(s, rest.strip()))
    except UsageError as e:
        s.warn(f"{e}（用法：{cmd.usage}，例：{cmd.example}）")
    except ModelError as e:
        s.warn(f"模型调用失败，草稿未改变：{e}")
    except DrafterError as e:
        s.warn(e.render() if isinstance(e, InputError) else str(e))
    except (KeyboardInterrupt, EOFError):
        raise
    except Exception as e:  # a user never sees a traceback
        s.warn(f"命令 {cmd.name} 出错：{type(e).__name__}: {e}。草稿未改变。")
    return False


def split_first(text: str) -> tuple[str, str]:
    """The first word and the rest; any white space separates (also the full-width one of Chinese input)."""
    head, *tail = re.split(r"\s+", text.strip(), maxsplit=1)
    return head, (tail[0] if tail else "")


def _unquote(text: str) -> str:
    for left, right in ('""', "''", "“”", "「」"):
        if len(text) >= 2 and text[0] == left and text[-1] == right:
            return text[1:-1].strip()
    return text


def _split_sentences(text: str) -> list[str]:
    return re.findall(r"[^。；！？\n]*[。；！？]|[^。；！？\n]+", text) or [""]


@command("help", "help [命令]", "列出全部命令，或查看一条命令", "help regen", aliases=("?", "帮助"))
def cmd_help(s, rest: str) -> None:
    from rich.table import Table

    if rest:
        c = find_command(rest.split()[0])
        if c is None:
            raise UsageError(f"没有“{rest}”这个命令")
        s.say(f"{c.usage}    {c.help}\n例：{c.example}")
        return
    t = Table(title="命令（部分可用序号或 id 指定，开头段、结尾段为 opening、closing）")
    t.add_column("命令", no_wrap=True)
    t.add_column("说明", overflow="fold")
    t.add_column("示例", no_wrap=True)
    for c in COMMANDS.values():
        t.add_row(c.usage, c.help, c.example)
    s.con.print(t)


@command("list", "list", "列出各部分：字数、来源、错误与提醒数、是否过期", "list", aliases=("ls",))
def cmd_list(s, rest: str) -> None:
    s.show_table()


@command("show", "show N", "显示一个部分的全文，问题处高亮，并列出检查意见", "show 2", takes_part=True)
def cmd_show(s, rest: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    p = s.part(rest)
    full = s.full_text(p)
    body = Text(printable(full))
    for f in p.findings:
        if 0 <= f.start < f.end <= len(full):
            body.stylize("reverse bold red" if f.severity == "error" else "reverse yellow", f.start, f.end)
    title = f"{s.name(p)} · {origin_label(p.origin)} · {len(p.text)} 字"
    s.con.print(Panel(body, title=Text(printable(title)), title_align="left"))
    _print_findings(s, p, full)
    if p.id in s.stale():
        s.say("该部分的输入已改变（过期）。" + ("它是手工修改的，不会被自动替换。" if p.is_hand_edit else ""), "yellow")


def _print_findings(s, p: Part, full: str | None = None) -> None:
    full = s.full_text(p) if full is None else full
    print_finding_list(s.con, full, p.findings)
    if p.findings:
        s.say(f"共 {p.error_count} 处错误、{p.warning_count} 处提醒。", "bold")
    else:
        s.say("未发现问题。", "green")


@command("facts", "facts [N]", "列出一个部分（不写则全部）的事实及出处：台账单元格、材料段落", "facts 2",
         takes_part=True)
def cmd_facts(s, rest: str) -> None:
    from ._view import print_facts

    if not rest:
        print_facts(s.draft, s.spec, con=s.con)
        return
    p = s.part(rest)
    if p.role != "section":
        s.say(f"{s.name(p)}由开头、结尾字段写成，没有逐条事实；可在输入文件中查看。")
        return
    if not s.in_spec(p.id):
        raise UsageError(f"{s.name(p)}在输入中已不存在")
    print_facts(s.draft, s.spec, only=[p.id], con=s.con)
    if p.id in s.stale():
        s.say("该部分的事实已改变（过期）；regen 可按新事实重新生成。", "yellow")


@command("check", "check [N]", "重新检查一个部分（不写则检查全部）", "check 2", takes_part=True)
def cmd_check(s, rest: str) -> None:
    targets = [s.part(rest)] if rest else list(s.draft.parts)
    new = s.draft.model_copy(deep=True)
    for p in targets:
        if not s.in_spec(p.id):
            s.say(f"{s.name(p)}：输入中已没有该部分，无法核对。", "yellow")
            continue
        new.part(p.id).findings = s.check(p.id, p.text)
    s.commit(new)
    if rest:
        _print_findings(s, s.draft.part(targets[0].id))
        return
    for p in s.draft.parts:
        if p.findings:
            s.say(f"【{s.name(p)}】", "bold")
            _print_findings(s, p)
    errors = sum(p.error_count for p in s.draft.parts)
    warnings = sum(p.warning_count for p in s.draft.parts)
    s.say(f"全文共 {errors} 处错误、{warnings} 处提醒。", "bold red" if errors else "green")


@command("regen", "regen N [修改要求]", "重新生成一个部分，可附修改要求；手工修改过的部分会先询问",
         "regen 2 压缩到300字以内", takes_part=True)
def cmd_regen(s, rest: str) -> None:
    key, instruction = split_first(rest)
    instruction = _unquote(instruction) or None
    if key and s.in_spec(key) and key not in {p.id for p in s.draft.parts}:
        s.draft_missing()  # a section added to the spec: draft it
        return
    p = s.part(key)
    if not s.in_spec(p.id):
        raise UsageError(f"{s.name(p)}在输入中已不存在，无法重新生成")
    if p.is_hand_edit:
        question = f"{s.name(p)}是手工修改的内容，重新生成会替换它（原文保留在历史中，可用 undo 恢复）。确定吗？(y/N) "
        if not s.io.confirm(question):
            s.say("已保留手工修改，未重新生成。")
            return
    if instruction and not s.drafter.writer.can_revise:
        s.say("离线撰稿器不能按要求改写，只按输入重新组稿。", "yellow")
    s.say(f"正在重新生成{s.name(p)}（{s.writer_label()}）……", "dim")
    try:
        new = asyncio.run(s.drafter.aregenerate(s.draft, p.id, spec=s.spec, instruction=instruction, force=True))
    except DraftRejected as e:
        new = e.draft
    s.commit(new)
    q = s.draft.part(p.id)
    s.say(f"已重新生成{s.name(q)}：{origin_label(q.origin)}，{len(q.text)} 字。", "green")
    _print_findings(s, q)


@command("edit", "edit N", "用 $EDITOR 修改一个部分（未设置时在此多行编辑，Esc 再 Enter 完成），保存后立即检查",
         "edit 2", takes_part=True)
def cmd_edit(s, rest: str) -> None:
    p = s.part(rest)
    text = _edit_text(s, p)
    if text is None:
        s.say("已放弃修改。")
        return
    text = text.strip()
    if text == p.text.strip():
        s.say("内容没有变化。")
        return
    if not text:
        raise UsageError("修改后的内容是空的，未保存")
    findings = s.check(p.id, text) if s.in_spec(p.id) else []
    new = s.draft.model_copy(deep=True)
    q = new.part(p.id)
    q.replace_text(text, "hand", note="手工修改前")
    q.findings = findings
    q.flagged = False
    q.attempts.append(Attempt(text=text, origin="hand", purpose="edit", findings=findings))
    if s.in_spec(p.id):  # checked against the current input just now
        q.input_digest = digest(part_inputs(s.spec, p.id))
    s.commit(new)
    s.say(f"已保存对{s.name(q)}的修改（手工修改，原文已存入历史）。", "green")
    _print_findings(s, q)


def _edit_text(s, p: Part) -> str | None:
    editor = os.environ.get("EDITOR", "").strip()
    if not editor:
        return s.io.multiline(p.text)
    with tempfile.TemporaryDirectory(prefix="drafter-") as tmp:
        path = Path(tmp) / f"{p.id}.txt"
        path.write_text(p.text + "\n", encoding="utf-8")
        try:
            code = subprocess.run([*shlex.split(editor), str(path)]).returncode
        except (OSError, ValueError) as e:
            raise UsageError(f"无法启动编辑器“{editor}”（环境变量 EDITOR）：{e}") from None
        if code != 0:
            s.say(f"编辑器以状态 {code} 退出。", "yellow")
            return None
        return path.read_text(encoding="utf-8")


@command("reload", "reload", "重新读取输入文件：输入变了的部分标为过期（不自动替换），新增的部分随即起草",
         "reload")
def cmd_reload(s, rest: str) -> None:
    from ..reading import load_spec

    before = set(s.stale())
    spec = load_spec(s.spec_path)  # a bad spec raises here; the session keeps the old one
    if spec.kind != s.draft.kind:
        raise InputError(f"输入文件的文种已改为 {spec.kind}，与草稿（{s.draft.kind}）不符")
    s.replace_spec(spec)
    new = s.draft.model_copy(deep=True)
    new.take_fixed_fields(spec)
    for p in new.parts:  # findings against the new input; texts stay as they are
        if s.in_spec(p.id):
            p.findings = s.check(p.id, p.text)
    s.commit(with_part(new, s.spec))
    s.say(f"已重新读取 {s.spec_path}。", "green")
    s.draft_missing()
    s.show_table(note_stale=False)
    changed = [pid for pid in s.stale() if pid not in before]
    if changed:
        hand = [pid for pid in changed if pid in {p.id for p in s.draft.parts} and s.draft.part(pid).is_hand_edit]
        msg = f"输入有变化、新标为过期：{'、'.join(changed)}。"
        if hand:
            msg += f"其中 {'、'.join(hand)} 是手工修改的，未被替换。"
        s.say(msg + "可用 regen N 重新生成。", "yellow")
    else:
        s.say("没有新的过期部分。")


@command("diff", "diff N", "比较一个部分的上一版本与当前版本", "diff 2", takes_part=True)
def cmd_diff(s, rest: str) -> None:
    from rich.text import Text

    p = s.part(rest)
    if not p.history:
        s.say(f"{s.name(p)}还没有历史版本。")
        return
    old = p.history[-1]
    lines = list(difflib.unified_diff(
        _split_sentences(old.text), _split_sentences(p.text), lineterm="",
        fromfile=f"上一版本（{origin_label(old.origin)}）", tofile=f"当前版本（{origin_label(p.origin)}）"))
    if not lines:
        s.say("两个版本内容相同。")
        return
    for line in lines:
        style = ("bold" if line.startswith(("---", "+++")) else "cyan" if line.startswith("@@")
                 else "red" if line.startswith("-") else "green" if line.startswith("+") else "")
        s.con.print(Text(printable(line), style=style), soft_wrap=True)


@command("undo", "undo N", "恢复一个部分的上一版本；被撤销的版本也存入历史，再次 undo 可恢复", "undo 2",
         takes_part=True)
def cmd_undo(s, rest: str) -> None:
    p = s.part(rest)
    if not p.history:
        s.say(f"{s.name(p)}没有可恢复的上一版本。")
        return
    new = s.draft.model_copy(deep=True)
    q = new.part(p.id)
    prev = q.history[-1]
    q.replace_text(prev.text, prev.origin, note="撤销前")
    q.findings = s.check(p.id, q.text) if s.in_spec(p.id) else []
    s.commit(new)
    s.say(f"已恢复{s.name(q)}的上一版本（{origin_label(prev.origin)}）；撤销的文本已存入历史，"
          f"再次 undo 可恢复。", "green")
    _print_findings(s, s.draft.part(p.id))


HISTORY_SHOWN = 30  # versions ``history N`` lists; ``history N all`` lists every one


@command("history", "history N [all]", f"列出一个部分的历史版本（最近 {HISTORY_SHOWN} 个；加 all 列出全部）",
         "history 2", takes_part=True)
def cmd_history(s, rest: str) -> None:
    from rich.table import Table

    key, more = split_first(rest)
    if more and more.strip().lower() not in ("all", "全部"):
        raise UsageError(f"看不懂“{more}”")
    p = s.part(key)
    first = 0 if more else max(0, len(p.history) - HISTORY_SHOWN)
    t = Table(title=f"{s.name(p)}的版本")
    for col, kw in (("版本", {"justify": "right"}), ("来源", {}), ("存入历史", {}), ("说明", {}),
                    ("字数", {"justify": "right"})):
        t.add_column(col, **kw)
    for i, v in enumerate(p.history[first:], first + 1):
        t.add_row(str(i), origin_label(v.origin), printable(_local_time(v.at)), printable(v.note), str(len(v.text)))
    t.add_row("当前", origin_label(p.origin), "", "", str(len(p.text)), style="bold")
    if first:
        s.say(f"（更早的 {first} 个版本未列出；history {key} all 列出全部）", "dim")
    s.con.print(t)
    if p.history:
        s.say(f"diff {key} 比较版本 {len(p.history)} 与当前版本；undo {key} 恢复版本 {len(p.history)}。", "dim")


def _local_time(iso: str) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%m-%d %H:%M:%S")
    except ValueError:
        return iso


@command("export", "export md|txt|json|docx [-o 文件]", "导出草稿（不写 -o 则写在草稿旁）",
         "export docx -o 自查报告.docx")
def cmd_export(s, rest: str) -> None:
    try:
        words = shlex.split(rest)
    except ValueError:
        raise UsageError("引号不成对") from None
    fmt, output = (words[0].lower() if words else ""), None
    if fmt not in FORMATS:
        raise UsageError(f"请写导出格式：{'、'.join(FORMATS)}")
    rest_words = words[1:]
    if rest_words:
        if len(rest_words) != 2 or rest_words[0] not in ("-o", "--output"):
            raise UsageError(f"看不懂“{' '.join(rest_words)}”")
        output = Path(rest_words[1])
    if output is None:
        stem = s.draft_path.name.removesuffix(".json").removesuffix(".draft")
        output = s.draft_path.with_name(f"{stem}.{fmt}")
    if output.resolve() in (s.draft_path.resolve(), s.spec_path.resolve()):
        output = output.with_name(f"{output.stem}.export{output.suffix}")
    if not output.parent.is_dir():
        raise UsageError(f"目录不存在：{output.parent}")
    if fmt == "docx":
        write_docx(s.draft, output)
    else:
        write_text(output, render(s.draft, fmt))
    s.say(f"已导出到 {output}", "green")


@command("quit", "quit", "退出会话（修改都已随时保存）", "quit", aliases=("exit", "q", "退出"))
def cmd_quit(s, rest: str) -> bool:
    if s.unsaved:
        s.commit(s.draft)
    if s.unsaved:
        s.warn(f"草稿未能保存到 {s.draft_path}；请处理上面的问题后再输入 quit。")
        return False
    s.say(f"草稿已保存在 {s.draft_path}。再见。")
    return True
