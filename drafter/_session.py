"""The interactive session: ``drafter session SPEC_OR_DRAFT``.

One draft file (``NAME.draft.json`` beside ``NAME.yaml``, or ``--draft``) is held by
one session at a time (:mod:`drafter._lock`). On start the missing parts are drafted
and a table of parts is shown; then commands are read — with prompt_toolkit when
stdin is a terminal, line by line from stdin otherwise (scripts, tests).

Commands live in one table (:data:`COMMANDS`: name → handler, usage, help, example).
Every command works on a copy of the draft and commits it with :meth:`Session.commit`,
which saves atomically before the prompt returns; Ctrl-C cancels the running command
and leaves the draft as it was. A hand edit is never replaced without a y/N answer.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ._draft import Attempt, Draft, Part, digest, load_draft, part_inputs, save_draft, save_text
from ._errors import DraftRejected, DrafterError, InputError, ModelError
from ._export import FORMATS, paragraphs, render, write_docx
from ._session_input import COMMANDS, LineInput, PromptInput, command, find_command, suggest_command
from ._view import origin_label, render_finding, status_table

PROMPT = "drafter> "
_PART_ALIASES = {"开头": "opening", "开头段": "opening", "结尾": "closing", "结尾段": "closing"}


class UsageError(Exception):
    """A command typed wrongly; the message (Chinese) is shown as it is."""


# ------------------------------------------------------------------ saving
@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold Ctrl-C while a commit runs, so memory and file move together."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is None:
        yield
        return
    got: list[int] = []
    old = signal.signal(signal.SIGINT, lambda sig, frame: got.append(sig))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def save(draft: Draft, path: str | Path) -> None:
    """The session's save: atomic (temp file, fsync, rename) and not cut by Ctrl-C."""
    with _sigint_deferred():
        save_draft(draft, path)


# ------------------------------------------------------------------ locating files
def default_draft_path(spec_path: Path) -> Path:
    return spec_path.with_name(spec_path.stem + ".draft.json")


def _is_draft_file(path: Path) -> bool:
    if path.name.endswith(".draft.json"):
        return True
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "parts" in data and "format_version" in data


def locate(target: str, draft_opt: str | None) -> tuple[Path | None, Path]:
    """(spec path or None when the target is a draft, draft path)."""
    t = Path(target)
    if not t.exists():
        raise InputError(f"文件不存在：{t}", path=str(t))
    if t.is_dir():
        raise InputError(f"{t} 是一个目录；请给出输入文件（.yaml）或草稿文件（.draft.json）", path=str(t))
    if _is_draft_file(t):
        if draft_opt and Path(draft_opt).resolve() != t.resolve():
            raise InputError(f"{t} 已是草稿文件，不能再用 --draft 指定另一个草稿")
        return None, t
    return t, Path(draft_opt) if draft_opt else default_draft_path(t)


def remove_leftovers(draft_path: Path, older_than: float = 60.0) -> None:
    """Delete temporary files that a killed save left beside the draft."""
    import glob
    import time

    cutoff = time.time() - older_than
    for p in draft_path.parent.glob(f".{glob.escape(draft_path.name)}.*.tmp"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass


def _split_first(text: str) -> tuple[str, str]:
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


# ------------------------------------------------------------------ the session
class Session:
    def __init__(self, drafter, spec, spec_path: Path, draft: Draft, draft_path: Path, console):
        from ._evidence import Evidence

        self.drafter = drafter
        self.spec = spec
        self.spec_path = spec_path
        self.evidence = Evidence.of(spec)
        self.draft = draft
        self.draft_path = draft_path
        self.con = console
        self.io = None
        self.unsaved = False
        self._prompt_digest = drafter.prompt_digest(spec.kind)

    # -- output helpers (Text objects: user text is never read as markup)
    def say(self, message: str, style: str | None = None) -> None:
        from rich.text import Text

        self.con.print(Text(message, style=style or ""), soft_wrap=True)

    def warn(self, message: str) -> None:
        self.say(message, "bold red")

    # -- state
    def commit(self, new: Draft) -> None:
        """Make ``new`` the draft and save it atomically before returning."""
        from ._commands import _relative_spec

        new.spec_path = _relative_spec(str(self.spec_path), str(self.draft_path))
        with _sigint_deferred():
            self.draft = new
            try:
                save(new, self.draft_path)
                self.unsaved = False
            except OSError as e:
                self.unsaved = True
                self.warn(f"保存失败：{e.strerror or e}。修改仍在本会话中，下一次修改或 quit 时会再次保存。")

    def stale(self) -> list[str]:
        spec_ids = {s.id for s in self.spec.sections} | {"opening", "closing"}
        gone = [p.id for p in self.draft.parts if p.id not in spec_ids]
        return self.draft.stale(self.spec, self._prompt_digest) + gone

    def in_spec(self, part_id: str) -> bool:
        return part_id in ("opening", "closing") or any(s.id == part_id for s in self.spec.sections)

    def check(self, part_id: str, text: str):
        return self.drafter.check_part(self.spec, self.evidence, part_id, text)

    def part(self, key: str) -> Part:
        key = key.strip()
        if not key:
            raise UsageError("请指明部分：序号（如 2）或 id")
        key = _PART_ALIASES.get(key, key)
        try:
            return self.draft.part(key)
        except KeyError:
            pass
        n = len(self.draft.sections)
        ids = [p.id for p in self.draft.parts]
        close = difflib.get_close_matches(key, ids, n=1, cutoff=0.5)
        hint = f"你是想指“{close[0]}”吗？" if close else ""
        raise UsageError(f"没有部分“{key}”。{hint}可用序号 1–{n}，或 id：{'、'.join(ids)}")

    def name(self, part: Part) -> str:
        n = self.draft.number_of(part)
        if n is not None:
            return f"第{n}部分（{part.id}）"
        return "开头段" if part.role == "opening" else "结尾段" if part.role == "closing" else f"“{part.id}”"

    def full_text(self, part: Part) -> str:
        """The part as it stands in the report (findings' offsets refer to it)."""
        return dict(zip([p.id for p in self.draft.parts], paragraphs(self.draft)))[part.id]

    def writer_label(self) -> str:
        return origin_label(self.drafter.writer.origin) if self.drafter.writer.origin != "composer" else "离线撰稿器"

    # -- drafting missing parts, each saved as soon as it is written
    def draft_missing(self) -> None:
        order = ["opening"] + [s.id for s in self.spec.sections] + ["closing"]
        have = {p.id for p in self.draft.parts}
        missing = [pid for pid in order if pid not in have]
        if not missing:
            return
        self.say(f"正在起草 {len(missing)} 个部分（{self.writer_label()}）……", "dim")
        failures: dict[str, str] = {}

        async def one(pid: str, sem: asyncio.Semaphore) -> None:
            async with sem:
                try:
                    part = (await self.drafter.adraft(self.spec, only=[pid])).parts[0]
                except DraftRejected as e:
                    part = e.draft.parts[0]
                except DrafterError as e:
                    failures[pid] = str(e)
                    return
            self.commit(self.ordered(self.draft.model_copy(deep=True), part))

        async def run() -> None:
            sem = asyncio.Semaphore(self.drafter.concurrency)
            await asyncio.gather(*(one(pid, sem) for pid in missing))

        try:
            asyncio.run(run())
        except KeyboardInterrupt:
            self.say("已取消起草；已写好的部分都已保存，其余部分可用 regen ID 起草。", "yellow")
        for message in dict.fromkeys(failures.values()):
            ids = "、".join(pid for pid, m in failures.items() if m == message)
            self.warn(f"起草失败（{ids}）：{message}")

    def ordered(self, draft: Draft, part: Part | None = None) -> Draft:
        """``draft`` (with ``part`` added or replaced), parts in the spec's order;
        parts the spec no longer has stay, before the closing."""
        parts = {p.id: p for p in draft.parts}
        if part is not None:
            parts[part.id] = part
        spec_ids = [s.id for s in self.spec.sections]
        order = ["opening", *spec_ids, *[i for i in parts if i not in spec_ids and i not in ("opening", "closing")],
                 "closing"]
        draft.parts = [parts[i] for i in order if i in parts]
        return draft

    # -- the loop
    def show_table(self, *, note_stale: bool = True) -> None:
        stale = self.stale()
        self.con.print(status_table(self.draft, stale))
        if stale and note_stale:
            self.say(f"过期：{'、'.join(stale)}（输入已改变；regen N 重新生成）", "yellow")

    def execute(self, line: str) -> bool:
        """Run one command line; True when the session should end."""
        line = line.strip()
        if not line:
            return False
        word, rest = _split_first(line)
        cmd = find_command(word)
        if cmd is None:
            close = suggest_command(word)
            hint = f"你是想输入 {close} 吗？" if close else ""
            self.warn(f"没有“{word}”这个命令。{hint}输入 help 查看全部命令。")
            return False
        try:
            return bool(cmd.handler(self, rest.strip()))
        except UsageError as e:
            self.warn(f"{e}（用法：{cmd.usage}，例：{cmd.example}）")
        except ModelError as e:
            self.warn(f"模型调用失败，草稿未改变：{e}")
        except DrafterError as e:
            self.warn(e.render() if isinstance(e, InputError) else str(e))
        except (KeyboardInterrupt, EOFError):
            raise
        except Exception as e:  # a user never sees a traceback
            self.warn(f"命令 {cmd.name} 出错：{type(e).__name__}: {e}。草稿未改变。")
        return False

    def loop(self) -> int:
        while True:
            try:
                line = self.io.read(PROMPT)
            except KeyboardInterrupt:
                continue
            except EOFError:  # Ctrl-D or the end of a script
                cmd_quit(self, "")
                return 1 if self.unsaved else 0
            try:
                if self.execute(line):
                    return 0
            except KeyboardInterrupt:
                self.say("已取消，草稿未改变。", "yellow")


# ------------------------------------------------------------------ commands
@command("help", "help [命令]", "列出全部命令，或查看一条命令", "help regen", aliases=("?", "帮助"))
def cmd_help(s: Session, rest: str) -> None:
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
def cmd_list(s: Session, rest: str) -> None:
    s.show_table()


@command("show", "show N", "显示一个部分的全文，问题处高亮，并列出检查意见", "show 2", takes_part=True)
def cmd_show(s: Session, rest: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    p = s.part(rest)
    full = s.full_text(p)
    body = Text(full)
    for f in p.findings:
        if 0 <= f.start < f.end <= len(full):
            body.stylize("reverse bold red" if f.severity == "error" else "reverse yellow", f.start, f.end)
    title = f"{s.name(p)} · {origin_label(p.origin)} · {len(p.text)} 字"
    s.con.print(Panel(body, title=Text(title), title_align="left"))
    _print_findings(s, p, full)
    if p.id in s.stale():
        s.say("该部分的输入已改变（过期）。" + ("它是手工修改的，不会被自动替换。" if p.is_hand_edit else ""), "yellow")


def _print_findings(s: Session, p: Part, full: str | None = None) -> None:
    full = s.full_text(p) if full is None else full
    for f in p.findings:
        s.con.print(render_finding(full, f))
    if p.findings:
        s.say(f"共 {p.error_count} 处错误、{p.warning_count} 处提醒。", "bold")
    else:
        s.say("未发现问题。", "green")


@command("check", "check [N]", "重新检查一个部分（不写则检查全部）", "check 2", takes_part=True)
def cmd_check(s: Session, rest: str) -> None:
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
def cmd_regen(s: Session, rest: str) -> None:
    key, instruction = _split_first(rest)
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
def cmd_edit(s: Session, rest: str) -> None:
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


def _edit_text(s: Session, p: Part) -> str | None:
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
def cmd_reload(s: Session, rest: str) -> None:
    from ._evidence import Evidence
    from ._load import load_spec

    before = set(s.stale())
    spec = load_spec(s.spec_path)  # a bad spec raises here; the session keeps the old one
    if spec.kind != s.draft.kind:
        raise InputError(f"输入文件的文种已改为 {spec.kind}，与草稿（{s.draft.kind}）不符")
    s.spec, s.evidence = spec, Evidence.of(spec)
    s._prompt_digest = s.drafter.prompt_digest(spec.kind)
    new = s.draft.model_copy(deep=True)
    new.title = spec.title or new.title
    for p in new.parts:  # findings against the new input; texts stay as they are
        if s.in_spec(p.id):
            p.findings = s.check(p.id, p.text)
    s.commit(s.ordered(new))
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
def cmd_diff(s: Session, rest: str) -> None:
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
        s.con.print(Text(line, style=style), soft_wrap=True)


@command("undo", "undo N", "恢复一个部分的上一版本；被撤销的版本也存入历史，再次 undo 可恢复", "undo 2",
         takes_part=True)
def cmd_undo(s: Session, rest: str) -> None:
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


@command("history", "history N", "列出一个部分的历史版本", "history 2", takes_part=True)
def cmd_history(s: Session, rest: str) -> None:
    from rich.table import Table

    p = s.part(rest)
    t = Table(title=f"{s.name(p)}的版本")
    for col, kw in (("版本", {"justify": "right"}), ("来源", {}), ("存入历史", {}), ("说明", {}),
                    ("字数", {"justify": "right"})):
        t.add_column(col, **kw)
    for i, v in enumerate(p.history, 1):
        t.add_row(str(i), origin_label(v.origin), _local_time(v.at), v.note, str(len(v.text)))
    t.add_row("当前", origin_label(p.origin), "", "", str(len(p.text)), style="bold")
    s.con.print(t)
    if p.history:
        s.say(f"diff {rest} 比较版本 {len(p.history)} 与当前版本；undo {rest} 恢复版本 {len(p.history)}。", "dim")


def _local_time(iso: str) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%m-%d %H:%M:%S")
    except ValueError:
        return iso


@command("export", "export md|txt|json|docx [-o 文件]", "导出草稿（不写 -o 则写在草稿旁）",
         "export docx -o 自查报告.docx")
def cmd_export(s: Session, rest: str) -> None:
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
        tmp = output.with_name(f".{output.name}.tmp")
        try:
            write_docx(s.draft, tmp)
            os.replace(tmp, output)
        finally:
            tmp.unlink(missing_ok=True)
    else:
        save_text(output, render(s.draft, fmt))
    s.say(f"已导出到 {output}", "green")


@command("quit", "quit", "退出会话（修改都已随时保存）", "quit", aliases=("exit", "q", "退出"))
def cmd_quit(s: Session, rest: str) -> bool:
    if s.unsaved:
        s.commit(s.draft)
    if s.unsaved:
        s.warn(f"草稿未能保存到 {s.draft_path}；请处理上面的问题后再输入 quit。")
        return False
    s.say(f"草稿已保存在 {s.draft_path}。再见。")
    return True


# ------------------------------------------------------------------ entry point
def _console():
    from rich.console import Console

    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 110
    return Console(highlight=False, soft_wrap=False, width=width)


def open_session(args, console) -> Session:
    from ._commands import _drafter
    from ._load import load_spec

    spec_arg, draft_path = locate(args.target, getattr(args, "draft", None))
    # In a session a section still in error is kept (flagged) and shown, never thrown away.
    drafter = _drafter(args, on_rejected="composer" if args.on_rejected == "composer" else "flag")
    if draft_path.exists():
        draft = load_draft(draft_path)
        if spec_arg is None:
            if not draft.spec_path:
                raise InputError(f"草稿文件 {draft_path} 没有记录输入文件；请用 drafter session 输入文件 --draft "
                                 f"{draft_path} 打开")
            spec_arg = Path(draft.spec_path)
            if not spec_arg.is_absolute():
                spec_arg = draft_path.resolve().parent / spec_arg
    elif spec_arg is None:
        raise InputError(f"草稿文件不存在：{draft_path}")
    else:
        draft = None
    spec = load_spec(spec_arg)
    if draft is None:
        draft = Draft(kind=spec.kind, title=spec.title or "", parts=[])
    elif draft.kind != spec.kind:
        raise InputError(f"草稿 {draft_path} 的文种（{draft.kind}）与输入 {spec_arg}（{spec.kind}）不符")
    return Session(drafter, spec, Path(spec_arg), draft, draft_path, console)


def run_session(args, *, stdin=None, interactive: bool | None = None) -> int:
    """Run a session until quit or end of input. ``stdin`` (a text stream) and
    ``interactive`` (use prompt_toolkit) default to what sys.stdin is."""
    from ._lock import SessionLock

    stdin = sys.stdin if stdin is None else stdin
    if interactive is None:
        interactive = stdin is sys.stdin and stdin.isatty()
    con = _console()
    _, draft_path = locate(args.target, getattr(args, "draft", None))
    with SessionLock(draft_path) as lock:
        if lock.took_over is not None:
            con.print(f"（上次会话（进程 {lock.took_over.get('pid', '?')}）未正常退出，已接管它留下的锁。）",
                      style="dim", markup=False)
        s = open_session(args, con)
        remove_leftovers(s.draft_path)
        echo = lambda text: con.print(text, markup=False, style="dim", soft_wrap=True)  # noqa: E731
        s.io = PromptInput(s) if interactive else LineInput(stdin, echo)
        s.say(f"drafter 交互式会话 · 草稿 {s.draft_path} · 输入 {s.spec_path} · 撰稿：{s.writer_label()}", "bold")
        s.draft_missing()
        s.show_table()
        s.say("输入 help 查看命令，quit 退出。", "dim")
        return s.loop()
