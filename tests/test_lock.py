"""The session lock: a lock file plus a kernel lock (flock) on it, one per real draft
file whatever alias names it. A killed owner's lock is free at once (the kernel
drops it), even when its pid now belongs to another process; a live owner's lock is
refused, whatever its file says."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from drafter._errors import SessionLocked
from drafter.app._lock import SessionLock, boot_id, lock_path_for
from helpers import ROOT, SMALL_SPEC, cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock and POSIX signals")

HOLDER = """\
import sys, time
from drafter.app._lock import SessionLock
with SessionLock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    spec = tmp_path / "report.yaml"
    shutil.copy(SMALL_SPEC, spec)
    d = tmp_path / "report.draft.json"
    assert cli("draft", spec, "--save", d).returncode == 0
    return d


@pytest.fixture
def holder(draft):
    """A separate process holding the draft's lock; yields it (running)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(draft)], stdout=subprocess.PIPE, env=env)
    try:
        assert proc.stdout.readline().strip() == b"locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def lock_file(draft: Path, pid: int) -> Path:
    path = lock_path_for(draft)
    path.write_text(json.dumps({"pid": pid, "hostname": socket.gethostname(), "boot": boot_id(), "token": "x",
                                "started": "2024-01-01T00:00:00+00:00"}), encoding="utf-8")
    return path


def test_the_kernel_lock_is_held_while_the_session_lock_is(draft):
    import fcntl

    with SessionLock(draft):
        with open(lock_path_for(draft), "rb") as f, pytest.raises(BlockingIOError):
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert not lock_path_for(draft).exists()


def test_lock_left_with_a_reused_pid_is_taken_over(draft):
    """The killed session's pid now runs something else (here: this test process).
    The pid check alone refused such a lock forever; the free kernel lock shows
    that no session holds it."""
    lock_file(draft, os.getpid())
    with SessionLock(draft) as lock:
        assert lock.took_over and lock.took_over["pid"] == os.getpid()
    r = cli("session", draft, input="quit\n")
    assert r.returncode == 0 and "已接管" not in r.stdout


def test_live_owner_is_refused_whatever_its_file_says(draft, holder):
    """A live session's lock file rewritten with a dead pid (or one from a pid namespace
    we cannot see) is still refused: the kernel lock is held."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock_file(draft, dead.pid)
    with pytest.raises(SessionLocked):
        SessionLock(draft).acquire()
    r = cli("session", draft, input="quit\n")
    assert r.returncode == 2 and "已在另一个会话中打开" in r.stderr


def test_sigkilled_owner_frees_the_lock_at_once(draft, holder):
    with pytest.raises(SessionLocked):
        SessionLock(draft).acquire()
    holder.kill()
    holder.wait()
    assert lock_path_for(draft).exists()  # the killed process could not clean up
    with SessionLock(draft) as lock:
        assert lock.took_over is not None and lock.took_over["pid"] == holder.pid


def test_a_second_session_through_a_symlink_is_refused(draft, tmp_path):
    alias = tmp_path / "alias.draft.json"
    alias.symlink_to(draft)
    linked_dir = tmp_path / "linked"
    linked_dir.symlink_to(tmp_path, target_is_directory=True)
    assert lock_path_for(alias) == lock_path_for(draft) == lock_path_for(linked_dir / draft.name)
    with SessionLock(draft):
        for path in (alias, linked_dir / draft.name):
            r = cli("session", path, input="quit\n")
            assert r.returncode == 2 and "已在另一个会话中打开" in r.stderr
            r = cli("regen", path, "1")
            assert r.returncode == 2 and "已在另一个会话中打开" in r.stderr
    assert cli("session", alias, input="quit\n").returncode == 0
    assert alias.is_symlink()


def test_a_session_through_a_symlink_cleans_the_real_folder(draft, tmp_path):
    """Saves through an alias write their temporary files beside the real file: that is
    where a killed save's leftovers are, and where the session removes them."""
    import time

    other = tmp_path / "elsewhere"
    other.mkdir()
    alias = other / "alias.draft.json"
    alias.symlink_to(draft)
    old = draft.with_name(f".{draft.name}.abc123.tmp")
    old.write_text("{", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert cli("session", alias, input="quit\n").returncode == 0
    assert not old.exists()
    assert alias.is_symlink() and sorted(p.name for p in other.iterdir()) == ["alias.draft.json"]
