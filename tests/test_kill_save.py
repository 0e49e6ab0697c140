"""Killing drafter at any moment leaves the old or the new draft file, never a broken one.

A child process saves a large draft in a tight loop (the session's own save) and is
SIGKILLed at random moments, 20 times; then a real session is killed in the middle
of its commands a few times. Every time the draft file still loads, and the next
session takes over the lock the killed one left.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.app.cli import build_parser
from drafter import Draft, Part, load_draft, save_draft
from drafter.app._lock import lock_path_for
from drafter.app._session import run_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "work-area-2023-small.yaml"

SAVE_LOOP = """\
import sys
from drafter import load_draft
from drafter import save_draft as save

path = sys.argv[1]
draft = load_draft(path)
base = draft.parts[0].text
print("ready", flush=True)
i = 0
while True:
    i += 1
    draft.parts[0].text = f"第{i}次保存。" + base
    save(draft, path)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    env.pop("EDITOR", None)
    return env


def big_draft() -> Draft:
    text = "全年排查矛盾纠纷1426件，调解成功1389件，调解成功率97.4%。" * 60
    parts = [Part(id=f"s{i}", text=text, origin="composer", input_digest="0" * 16, prompt_digest="0" * 16)
             for i in range(150)]
    return Draft(kind="self_inspection", title="2023年目标任务考核完成情况自查报告", parts=parts)


def test_sigkill_while_saving_never_breaks_the_draft(tmp_path):
    path = tmp_path / "big.draft.json"
    original = big_draft()
    save_draft(original, path)
    assert path.stat().st_size > 500_000
    rng = random.Random(20231)
    versions = set()
    for _ in range(20):
        child = subprocess.Popen([sys.executable, "-c", SAVE_LOOP, str(path)], stdout=subprocess.PIPE,
                                 env=_env(), cwd=tmp_path)
        try:
            assert child.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.0, 0.15))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
            child.stdout.close()
        draft = load_draft(path)  # never raises: old file or new file
        first = draft.parts[0].text
        assert first.endswith(original.parts[0].text)
        assert [p.text for p in draft.parts[1:]] == [p.text for p in original.parts[1:]]
        versions.add(first.split("次保存", 1)[0])
    assert len(versions) > 1  # the kills did land after some saves


def test_sigkill_during_a_session_keeps_the_draft_and_frees_the_lock(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    spec = tmp_path / "report.yaml"
    shutil.copy(EXAMPLE, spec)
    draft_path = tmp_path / "report.draft.json"
    args = build_parser().parse_args(["session", str(spec)])
    # a section with a history, so that each "undo 1" changes and saves the draft
    assert run_session(args, stdin=io.StringIO("edit 1\n全年开展法治宣传活动86场次。\n.\nquit\n")) == 0
    texts = {p.text for p in (lambda d: [d.part(1), *d.part(1).history])(load_draft(draft_path))}
    script = tmp_path / "commands.txt"
    script.write_text("undo 1\n" * 400 + "quit\n", encoding="utf-8")
    rng = random.Random(7)
    for i in range(3):
        out_path = tmp_path / f"out{i}.txt"
        with open(script, "rb") as stdin, open(out_path, "wb") as out:
            child = subprocess.Popen([sys.executable, "-m", "drafter", "session", str(spec)], stdin=stdin, stdout=out,
                                     stderr=subprocess.STDOUT, env=_env())
        try:
            deadline = time.monotonic() + 20
            while "drafter> undo 1" not in out_path.read_text(encoding="utf-8", errors="replace"):
                assert child.poll() is None and time.monotonic() < deadline, out_path.read_text(errors="replace")
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.2))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        output = out_path.read_text(encoding="utf-8", errors="replace")
        assert lock_path_for(draft_path).exists()  # a killed session cannot clean up
        if i:
            assert "已接管" in output  # the lock of the session killed before
        draft = load_draft(draft_path)
        assert draft.part(1).text in texts and len(draft.parts) == 5
    capsys.readouterr()
    assert run_session(args, stdin=io.StringIO("list\nquit\n")) == 0
    assert "已接管" in capsys.readouterr().out
    assert not lock_path_for(draft_path).exists()
