"""The interactive session: ``drafter session SPEC_OR_DRAFT``.

One draft file (``NAME.draft.json`` beside ``NAME.yaml``, or ``--draft``) is held by
one session at a time (:mod:`._lock`). On start the missing parts are drafted
and a table of parts is shown; then commands are read — with prompt_toolkit when
stdin is a terminal, line by line from stdin otherwise (scripts, tests).

This module holds the session's state and loop; the commands are in
:mod:`._session_commands`. Every command works on a copy of the draft and commits it
with :meth:`Session.commit`, which saves atomically before the prompt returns; Ctrl-C
cancels the running command and leaves the draft as it was.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import sys
from pathlib import Path

from .._draft import Draft, Part
from .._errors import DrafterError, InputError
from ..export import part_texts, save_draft, sigint_deferred
from ..reading import load_draft, load_spec, read_bytes
from ._session_commands import UsageError, cmd_quit, execute
from ._session_input import LineInput, PromptInput
from ._view import origin_label, printable, status_table
from ._workspace import build_drafter, default_draft_path, recorded_spec_path, spec_path_as_recorded, with_part

PROMPT = "drafter> "
_PART_ALIASES = {"开头": "opening", "开头段": "opening", "结尾": "closing", "结尾段": "closing"}


# ------------------------------------------------------------------ locating files
def _is_draft_file(path: Path) -> bool:
    if path.name.endswith(".draft.json"):
        return True
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(read_bytes(path, "文件"))
    except (InputError, ValueError):
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
    """Delete temporary files that a killed save left beside the draft (beside the real
    file, when the draft path is a symlink: saves write there)."""
    import glob
    import time

    draft_path = Path(os.path.realpath(draft_path))
    cutoff = time.time() - older_than
    for p in draft_path.parent.glob(f".{glob.escape(draft_path.name)}.*.tmp"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass


# ------------------------------------------------------------------ the session
class Session:
    def __init__(self, drafter, spec, spec_path: Path, draft: Draft, draft_path: Path, console):
        from .._evidence import Evidence

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

    # -- output helpers (the console reads no markup; control characters made visible)
    def say(self, message: str, style: str | None = None) -> None:
        from rich.text import Text

        self.con.print(Text(printable(message), style=style or ""), soft_wrap=True)

    def warn(self, message: str) -> None:
        self.say(message, "bold red")

    # -- state
    def commit(self, new: Draft) -> None:
        """Make ``new`` the draft and save it atomically before returning."""
        new.spec_path = spec_path_as_recorded(self.spec_path, self.draft_path)
        with sigint_deferred():
            self.draft = new
            try:
                save_draft(new, self.draft_path)
                self.unsaved = False
            except InputError as e:
                self.unsaved = True
                self.warn(f"保存失败：{e}。修改仍在本会话中，下一次修改或 quit 时会再次保存。")

    def replace_spec(self, spec) -> None:
        """Judge the draft against a newly read spec from now on."""
        from .._evidence import Evidence

        self.spec, self.evidence = spec, Evidence.of(spec)
        self._prompt_digest = self.drafter.prompt_digest(spec.kind)

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
        return part_texts(self.draft)[part.id]

    def writer_label(self) -> str:
        return origin_label(self.drafter.writer.origin) if self.drafter.writer.origin != "composer" else "离线撰稿器"

    # -- drafting missing parts, each saved as soon as it is written
    def draft_missing(self) -> None:
        """Draft the parts the draft lacks; each is saved as soon as it is written."""
        have = {p.id for p in self.draft.parts}
        missing = [pid for pid in self.spec.part_ids() if pid not in have]
        if not missing:
            return
        self.say(f"正在起草 {len(missing)} 个部分（{self.writer_label()}）……", "dim")
        failures: dict[str, str] = {}

        def arrived(pid: str, result: Part | DrafterError) -> None:
            if isinstance(result, Part):
                self.commit(with_part(self.draft, self.spec, result))
            else:
                failures[pid] = str(result)

        try:
            asyncio.run(self.drafter.adraft(self.spec, only=missing, on_part=arrived))
        except DrafterError:
            pass  # every failure arrived above, with its part
        except KeyboardInterrupt:
            self.say("已取消起草；已写好的部分都已保存，其余部分可用 regen ID 起草。", "yellow")
        for message in dict.fromkeys(failures.values()):
            ids = "、".join(pid for pid, m in failures.items() if m == message)
            self.warn(f"起草失败（{ids}）：{message}")

    # -- the loop
    def show_table(self, *, note_stale: bool = True) -> None:
        stale = self.stale()
        self.con.print(status_table(self.draft, stale))
        if stale and note_stale:
            self.say(f"过期：{'、'.join(stale)}（输入已改变；regen N 重新生成）", "yellow")

    def execute(self, line: str) -> bool:
        """Run one command line; True when the session should end."""
        return execute(self, line)

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


# ------------------------------------------------------------------ entry point
def _console():
    from rich.console import Console

    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 110
    # Nothing a user's file holds is read as markup or emoji codes (see _view).
    return Console(highlight=False, soft_wrap=False, width=width, markup=False, emoji=False)


def open_session(args, console) -> Session:
    spec_arg, draft_path = locate(args.target, getattr(args, "draft", None))
    # In a session a section still in error is kept (flagged) and shown, never thrown away.
    drafter = build_drafter(args, on_rejected="composer" if args.on_rejected == "composer" else "flag")
    if draft_path.exists():
        draft = load_draft(draft_path)
        if spec_arg is None:
            if not draft.spec_path:
                raise InputError(f"草稿文件 {draft_path} 没有记录输入文件；请用 drafter session 输入文件 --draft "
                                 f"{draft_path} 打开")
            spec_arg = recorded_spec_path(draft, draft_path)
    elif spec_arg is None:
        raise InputError(f"草稿文件不存在：{draft_path}")
    else:
        draft = None
    spec = load_spec(spec_arg)
    if draft is None:
        draft = Draft(kind=spec.kind, title=spec.title or "", parts=[])
        draft.take_fixed_fields(spec)
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
                      style="dim")
        s = open_session(args, con)
        remove_leftovers(s.draft_path)
        echo = lambda text: con.print(printable(text), style="dim", soft_wrap=True)  # noqa: E731
        s.io = PromptInput(s) if interactive else LineInput(stdin, echo)
        s.say(f"drafter 交互式会话 · 草稿 {s.draft_path} · 输入 {s.spec_path} · 撰稿：{s.writer_label()}", "bold")
        s.draft_missing()
        s.show_table()
        s.say("输入 help 查看命令，quit 退出。", "dim")
        return s.loop()
