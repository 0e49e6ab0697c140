"""The interactive session, driven end to end with scripted input.

Most tests run the session in-process with a scripted stdin (the session reads
commands line by line when stdin is not a terminal); one drives prompt_toolkit
through a pipe input; a few run ``python -m drafter session`` as a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.app.cli import build_parser, main
from drafter import load_draft
from drafter._errors import SessionLocked
from drafter import load_spec
from drafter.app._lock import SessionLock, lock_path_for
from drafter.app._session import run_session
from drafter.app._session_commands import COMMANDS
from drafter._writers import compose
from drafter.testing import Reply

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "work-area-2023-small.yaml"

# A scripted $EDITOR: takes the next (old, new) pair from a JSON queue file and
# applies it to the file it is given.
EDITOR_PY = """\
import json, pathlib, sys
queue_path, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
queue = json.loads(queue_path.read_text(encoding="utf-8"))
old, new = queue.pop(0)
queue_path.write_text(json.dumps(queue), encoding="utf-8")
text = target.read_text(encoding="utf-8")
if old not in text:
    sys.exit(3)
target.write_text(text.replace(old, new), encoding="utf-8")
"""


class Script:
    """A stdin for the session: strings are lines; callables run when reached
    (to change files between commands, or to look at the draft file)."""

    def __init__(self, *steps):
        self.steps = list(steps)

    def readline(self) -> str:
        while self.steps:
            step = self.steps.pop(0)
            if callable(step):
                step()
                continue
            return step + "\n"
        return ""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    p = tmp_path / "report.yaml"
    shutil.copy(EXAMPLE, p)
    return p


@pytest.fixture
def editor(tmp_path: Path, monkeypatch):
    """Set $EDITOR to the scripted editor; returns a function queueing edits."""
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_PY, encoding="utf-8")
    queue = tmp_path / "edits.json"
    queue.write_text("[]", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {shlex.quote(str(queue))}")

    def add(old: str, new: str) -> None:
        q = json.loads(queue.read_text(encoding="utf-8"))
        queue.write_text(json.dumps([*q, [old, new]]), encoding="utf-8")
    return add


def session(capsys, *argv: str, script=(), **kw) -> tuple[int, str]:
    args = build_parser().parse_args(["session", *argv])
    steps = script if isinstance(script, Script) else Script(*script)
    rc = run_session(args, stdin=steps, **kw)
    return rc, capsys.readouterr().out


def edit_spec(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def draft_path(spec: Path) -> Path:
    return spec.with_name("report.draft.json")


# ------------------------------------------------------------------ offline, end to end
def test_offline_session_end_to_end(spec, editor, capsys, tmp_path):
    dp = draft_path(spec)
    snapshots = {}
    editor("1426件", "1500件")

    def change_spec():
        edit_spec(spec, "全年排查矛盾纠纷1426件", "全年排查矛盾纠纷1500件")
        edit_spec(spec, "{label: 排查矛盾纠纷, value: 1426, unit: 件}", "{label: 排查矛盾纠纷, value: 1500, unit: 件}")

    rc, out = session(capsys, str(spec), script=Script(
        lambda: snapshots.setdefault("start", load_draft(dp)),
        "show 2",
        "edit 2",
        lambda: snapshots.setdefault("edited", load_draft(dp)),
        "diff 2",
        change_spec,
        "reload",
        "regen 2",
        "y",
        lambda: snapshots.setdefault("regenerated", load_draft(dp)),
        "undo 2",
        "history 2",
        f"export md -o {tmp_path / 'out.md'}",
        "quit",
    ))
    assert rc == 0, out
    start, edited, regenerated = snapshots["start"], snapshots["edited"], snapshots["regenerated"]
    # 1. drafted on start, beside the spec, and shown as a table
    assert [p.id for p in start.parts] == ["opening", "law-publicity", "dispute-resolution", "legal-services",
                                           "closing"]
    assert all(p.origin == "composer" for p in start.parts)
    assert "离线撰稿" in out and "dispute-resolution" in out
    # edit: a hand edit, validated at once (1500 is not in the input yet), old text in history
    p2 = edited.part(2)
    assert p2.origin == "hand" and "1500件" in p2.text
    assert p2.history[-1].text == start.part(2).text
    assert any(f.severity == "error" and "1500" in f.excerpt for f in p2.findings)
    assert "手工修改" in out
    # reload: the hand edit is marked stale, not replaced
    after_reload = out.split("drafter> reload", 1)[1].split("drafter> regen 2", 1)[0]
    assert "过期" in after_reload and "dispute-resolution" in after_reload and "未被替换" in after_reload
    # regen of a hand edit asks first; the answer "y" replaces it, keeping the hand text in history
    assert "是手工修改的内容" in out and "(y/N)" in out
    r2 = regenerated.part(2)
    assert r2.origin == "composer" and "1500件" in r2.text and r2.error_count == 0
    assert r2.history[-1].text == p2.text
    # other parts never changed
    for draft in (edited, regenerated):
        for pid in ("opening", "law-publicity", "legal-services", "closing"):
            assert draft.part(pid).text == start.part(pid).text
    # undo brings the hand edit back; the undone text is kept
    final = load_draft(dp)
    f2 = final.part(2)
    assert f2.text == p2.text and f2.origin == "hand"
    assert [v.text for v in f2.history] == [start.part(2).text, p2.text, r2.text]
    assert f2.error_count == 0  # now backed by the changed input
    diff = out.split("drafter> diff 2", 1)[1].split("drafter> ", 1)[0]  # after the edit
    assert re.search(r"^-.*排查矛盾纠纷1426件", diff, re.M) and re.search(r"^\+.*排查矛盾纠纷1500件", diff, re.M)
    assert "上一版本（离线撰稿）" in diff and "当前版本（手工修改）" in diff
    assert "撤销前" in out  # history lists the undone version
    assert "1500件" in (tmp_path / "out.md").read_text(encoding="utf-8")
    assert final.spec_path == "report.yaml"
    assert not lock_path_for(dp).exists()
    assert "Traceback" not in out


def test_hand_edit_is_never_overwritten_silently(spec, editor, capsys):
    dp = draft_path(spec)
    editor("。", "，切实做到有案必调。")
    seen = {}
    rc, out = session(capsys, str(spec), script=Script(
        "edit 1",
        lambda: seen.setdefault("edited", load_draft(dp).part(1)),
        "regen 1",
        "n",              # refuse: the hand edit stays
        "regen 2",        # another section: the hand edit is untouched
        lambda: edit_spec(spec, "开展“宪法宣传周”", "开展“宪法宣传周”“国家安全日”"),
        "reload",         # its input changed: marked stale, not replaced
        "show 1",
        "quit",
    ))
    assert rc == 0, out
    edited = seen["edited"]
    final = load_draft(dp).part(1)
    assert final.origin == "hand" and final.text == edited.text
    assert [v.text for v in final.history] == [v.text for v in edited.history]
    assert "已保留手工修改" in out
    assert "该部分的输入已改变（过期）" in out and "不会被自动替换" in out


def test_commands_by_id_and_mistakes_get_chinese_help(spec, capsys):
    rc, out = session(capsys, str(spec), script=[
        "show law-publicity", "shwo 1", "regn 2", "show 9", "show law-publicty", "show", "diff", "frobnicate",
        "export pdf", "/list", "check 开头", "help regen", "show\u30002", "",
    ])
    assert rc == 0
    assert "没有“shwo”这个命令。你是想输入 show 吗？" in out
    assert "你是想输入 regen 吗？" in out
    assert "没有部分“9”" in out and "可用序号 1–3" in out
    assert "你是想指“law-publicity”吗？" in out
    assert "请指明部分" in out and "例：show 2" in out
    assert "没有“frobnicate”这个命令。输入 help" in out
    assert "请写导出格式" in out
    assert "regen N [修改要求]" in out
    assert "╭─ 第2部分（dispute-resolution）" in out  # "show　2" typed with a full-width space
    assert "Traceback" not in out


def test_help_lists_every_command_with_an_example(spec, capsys):
    rc, out = session(capsys, str(spec), script=["help", "/help", "quit"])
    assert rc == 0
    names = {"list", "show", "check", "regen", "edit", "reload", "diff", "undo", "history", "export", "quit", "help"}
    assert names <= set(COMMANDS)
    for c in COMMANDS.values():
        assert out.count(c.example) >= 2, c.name
        assert re.search(r"[\u4e00-\u9fff]", c.help)


def test_end_of_input_leaves_a_consistent_file(spec, capsys):
    rc, out = session(capsys, str(spec), script=["list"])  # no quit: Ctrl-D / end of input
    assert rc == 0
    draft = load_draft(draft_path(spec))
    assert len(draft.parts) == 5
    assert not lock_path_for(draft_path(spec)).exists()
    # opening the draft itself resumes it, drafting nothing
    rc, out = session(capsys, str(draft_path(spec)), script=["quit"])
    assert rc == 0 and "正在起草" not in out
    assert load_draft(draft_path(spec)).parts == draft.parts


def test_new_section_in_spec_is_drafted_on_start_and_reload(spec, capsys):
    session(capsys, str(spec), script=["quit"])
    extra = """
  - id: team-building
    topic: 队伍建设
    aim: 队伍素质大提升
    facts:
      - 全年组织业务培训12期
"""
    text = spec.read_text(encoding="utf-8").replace("\nclosing:", extra + "\nclosing:", 1)
    rc, out = session(capsys, str(spec), script=Script(
        lambda: spec.write_text(text, encoding="utf-8"), "reload", "show team-building", "quit"))
    assert rc == 0, out
    draft = load_draft(draft_path(spec))
    assert [p.id for p in draft.parts][-2:] == ["team-building", "closing"]
    assert "12期" in draft.part("team-building").text


def test_bad_spec_on_reload_keeps_the_session(spec, capsys):
    rc, out = session(capsys, str(spec), script=Script(
        lambda: spec.write_text("kind: self_inspection\norgan: [\n", encoding="utf-8"), "reload", "list", "quit"))
    assert rc == 0
    assert "YAML 格式错误" in out and "Traceback" not in out
    assert out.count("law-publicity") >= 2  # the table still shows after the failed reload


def test_inline_editor_without_editor_env(spec, capsys, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    rc, out = session(capsys, str(spec), script=["edit 3", "全年办理法律援助案件315件。", ".", "quit"])
    assert rc == 0
    p = load_draft(draft_path(spec)).part(3)
    assert p.text == "全年办理法律援助案件315件。" and p.origin == "hand"


def test_prompt_toolkit_session_with_pipe_input(spec, capsys, monkeypatch):
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    monkeypatch.delenv("EDITOR", raising=False)
    args = build_parser().parse_args(["session", str(spec)])
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        # edit 1 in the inline multi-line editor: append a sentence, finish with Esc+Enter;
        # then regen 1 asks (it is a hand edit) and is refused; Ctrl-C at the prompt is harmless.
        inp.send_text("list\r" "edit 1\r" "另外开展送法进校园活动。" "\x1b\r" "regen 1\r" "n\r" "\x03" "quit\r")
        rc = run_session(args, interactive=True)
    out = capsys.readouterr().out
    assert rc == 0
    p = load_draft(draft_path(spec)).part(1)
    assert p.origin == "hand" and p.text.endswith("另外开展送法进校园活动。")
    assert "已保留手工修改" in out
    assert out.count("law-publicity") >= 2  # the table again, for "list"


def test_completion_of_commands_and_parts(spec, capsys):
    from drafter.app._session import open_session
    from drafter.app._session_input import completions

    session(capsys, str(spec), script=["quit"])
    s = open_session(build_parser().parse_args(["session", str(spec)]), None)

    def complete(text):
        return [value for value, _, _ in completions(s, text)]
    assert complete("lis") == ["list"]
    assert complete("/sh") == ["show"]
    assert complete("show ")[:3] == ["1", "2", "3"]
    assert complete("regen dis") == ["dispute-resolution"]
    assert complete("export d") == ["docx"]
    assert complete("show 1 ") == []


def test_leftover_temp_files_of_a_killed_save_are_removed(spec, capsys):
    session(capsys, str(spec), script=["quit"])
    old = spec.with_name(".report.draft.json.abc123.tmp")
    fresh = spec.with_name(".report.draft.json.def456.tmp")
    old.write_text("{", encoding="utf-8")
    fresh.write_text("{", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    session(capsys, str(spec), script=["quit"])
    assert not old.exists() and fresh.exists()  # a fresh one may belong to a running save


# ------------------------------------------------------------------ with a model
def model_handler(spec_path: Path, seen: list[str]):
    def handler(body):
        user = [m for m in body["messages"] if m["role"] == "user"][-1]["content"]
        report = load_spec(spec_path)  # the current input, so reload + regen match
        n = int(re.search(r"第(\d+)部分", user).group(1))
        seen.append(user)
        return Reply(compose(report, report.sections[n - 1].id))
    return handler


def test_session_with_model(spec, editor, capsys, fake_server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    seen: list[str] = []
    fake_server.handler = model_handler(spec, seen)
    editor("1850余人", "1850余名")
    model = ["--model", "fake-model", "--base-url", fake_server.base_url, "--max-revisions", "0"]
    rc, out = session(capsys, str(spec), *model, script=[
        "list", "edit 1", "regen 1 压缩到200字以内", "y", "regen 3 突出法律援助", "undo 1", "export txt", "quit"])
    assert rc == 0, out
    assert "模型 fake-model" in out
    draft = load_draft(draft_path(spec))
    assert draft.part(2).origin == "model:fake-model"
    assert len(fake_server.requests) == 3 + 2  # three sections drafted, two regenerated
    assert "修改要求（来自使用者）：压缩到200字以内" in seen[3]
    assert "突出法律援助" in seen[4]
    p1 = draft.part(1)
    assert p1.origin == "hand" and "1850余名" in p1.text   # undo restored the hand edit
    assert spec.with_name("report.txt").exists()


def test_model_failure_on_start_keeps_what_was_drafted(spec, capsys, fake_server):
    calls = []

    def handler(body):
        calls.append(1)
        return Reply(status=401, error="bad key")
    fake_server.handler = handler
    model = ["--model", "fake-model", "--base-url", fake_server.base_url]
    rc, out = session(capsys, str(spec), *model, script=["list", "quit"])
    assert rc == 0
    assert "起草失败" in out and "Traceback" not in out
    draft = load_draft(draft_path(spec))
    assert [p.id for p in draft.parts] == ["opening", "closing"]  # the composer's fixed parts


# ------------------------------------------------------------------ one session per draft
def test_second_session_is_refused(spec, capsys):
    session(capsys, str(spec), script=["quit"])
    with SessionLock(draft_path(spec)):
        with pytest.raises(SessionLocked, match="已在另一个会话中打开"):
            session(capsys, str(spec), script=["quit"])
        assert main(["session", str(spec)]) == 2
        assert "已在另一个会话中打开" in capsys.readouterr().err
    assert session(capsys, str(spec), script=["quit"])[0] == 0


def test_stale_lock_from_a_killed_session_is_taken_over(spec, capsys):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = lock_path_for(draft_path(spec))
    lock.write_text(json.dumps({"pid": dead.pid, "hostname": socket.gethostname(), "token": "x"}), encoding="utf-8")
    rc, out = session(capsys, str(spec), script=["quit"])
    assert rc == 0 and "已接管" in out
    assert not lock.exists()


def test_lock_of_another_host_is_refused(spec, capsys):
    lock = lock_path_for(draft_path(spec))
    lock.write_text(json.dumps({"pid": 1, "hostname": "other-host.example", "token": "x"}), encoding="utf-8")
    with pytest.raises(SessionLocked, match="other-host.example"):
        session(capsys, str(spec), script=["quit"])
    assert lock.exists()  # not ours to remove


# ------------------------------------------------------------------ the real command
def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    env.pop("EDITOR", None)
    return env


def test_cli_subprocess_and_concurrent_session(spec):
    first = subprocess.Popen([sys.executable, "-m", "drafter", "session", str(spec)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=spec.parent)
    try:
        lock = lock_path_for(draft_path(spec))
        deadline = time.monotonic() + 20
        while not draft_path(spec).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lock.exists()
        second = subprocess.run([sys.executable, "-m", "drafter", "session", str(spec)], input=b"quit\n",
                                capture_output=True, env=_env(), timeout=30)
        assert second.returncode == 2
        err = second.stderr.decode()
        assert "已在另一个会话中打开" in err and str(first.pid) in err and "Traceback" not in err
        out, err = first.communicate(b"show 1\nexport json\nquit\n", timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err.decode()
    assert "drafter> show 1" in out.decode() and "再见" in out.decode()
    assert json.loads(spec.with_name("report.json").read_text(encoding="utf-8"))["parts"]
    assert not lock.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_cancels_the_running_command_not_the_session(spec, fake_server):
    slow = []
    base = model_handler(spec, [])

    def handler(body):
        if slow:
            return Reply("不应被采用的文本。", delay=20)
        return base(body)
    fake_server.handler = handler
    cmd = [sys.executable, "-m", "drafter", "session", str(spec), "--model", "fake-model",
           "--base-url", fake_server.base_url, "--max-revisions", "0"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    try:
        deadline = time.monotonic() + 20
        while not draft_path(spec).exists() or len(load_draft(draft_path(spec)).parts) < 5:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        before = load_draft(draft_path(spec)).part(1)
        slow.append(1)
        proc.stdin.write(b"regen 1\n")
        proc.stdin.flush()
        while len(fake_server.requests) < 4:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(b"list\nquit\n", timeout=20)
        except subprocess.TimeoutExpired:  # say what the session was doing
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"no exit 20 s after Ctrl-C\n{out.decode()[-2000:]}\n{err.decode()[-2000:]}") from None
    finally:
        if proc.poll() is None:
            proc.kill()
    out = out.decode()
    assert proc.returncode == 0, err.decode()
    assert "已取消，草稿未改变" in out
    assert "drafter> list" in out.split("已取消", 1)[1]
    after = load_draft(draft_path(spec)).part(1)
    assert after.text == before.text and after.origin == "model:fake-model"
