"""Where outputs go: -o, --save and export write regular files atomically, write
through to devices and pipes (never replacing them), follow symlinks (never
replacing the link), send -o - to stdout, refuse bad targets before any work, and
never lose what was drafted when an output cannot be written."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from drafter import load_draft
from helpers import ROOT, SMALL_SPEC, cli
from test_session import model_handler

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX devices, FIFOs and symlinks")


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    p = tmp_path / "report.yaml"
    shutil.copy(SMALL_SPEC, p)
    return p


def refused(r, *needles: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "内部错误" not in r.stderr, r.stderr
    for n in needles:
        assert n in r.stderr, r.stderr


def model(srv) -> list[str]:
    return ["-m", "fake-model", "--base-url", srv.base_url, "--max-revisions", "0", "--timeout", "5"]


# ------------------------------------------------------------------ devices and pipes
def test_output_to_dev_null_leaves_it_a_device(spec, tmp_path):
    """As root, a rename over /dev/null would replace the device with a regular file."""
    saved = tmp_path / "report.draft.json"
    for args in (["draft", spec, "-o", "/dev/null"], ["draft", spec, "--save", saved, "-f", "docx", "-o", "/dev/null"],
                 ["draft", spec, "--save", "/dev/null"], ["export", saved, "-o", "/dev/null"],
                 ["export", saved, "-f", "docx", "-o", "/dev/null"], ["schema", "-o", "/dev/null"]):
        r = cli(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode), args
    assert not Path("/dev/null.lock").exists()
    r = cli("session", spec, "--draft", saved, input="export md -o /dev/null\nquit\n")
    assert r.returncode == 0 and "已导出到 /dev/null" in r.stdout, r.stdout
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_to_a_fifo_is_written_through(spec, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = cli("draft", spec, "-f", "txt", "-o", fifo)
    reader.join(10)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO
    assert got and got[0].decode("utf-8").startswith("2023年")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fifo", "report.yaml"]  # no temp file left


# ------------------------------------------------------------------ stdout
@pytest.mark.parametrize("fmt", ["md", "txt", "json"])
def test_dash_means_stdout(spec, tmp_path, fmt):
    r = cli("draft", spec, "-f", fmt, "-o", "-", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "2023年" in r.stdout
    assert not (tmp_path / "-").exists()


def test_docx_to_stdout_when_it_is_not_a_terminal(spec, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for key in ("DRAFTER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        env.pop(key, None)
    res = subprocess.run([sys.executable, "-m", "drafter", "draft", str(spec), "-f", "docx", "-o", "-"],
                         capture_output=True, env=env, cwd=tmp_path, timeout=60)
    assert res.returncode == 0, res.stderr.decode()
    with zipfile.ZipFile(io.BytesIO(res.stdout)) as z:
        assert "word/document.xml" in z.namelist()
        assert "2023年" in z.read("word/document.xml").decode("utf-8")
    assert not (tmp_path / "-").exists()


class _Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


def test_docx_to_a_terminal_is_refused(spec, tmp_path, monkeypatch):
    from drafter.app.cli import main

    terminal = _Terminal(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(sys, "stderr", err)
    saved = tmp_path / "d.json"
    assert main(["draft", str(spec), "-f", "docx", "-o", "-", "--save", str(saved)]) == 2
    assert main(["export", str(SMALL_SPEC), "-f", "docx", "-o", "-"]) == 2
    terminal.flush()
    assert terminal.buffer.getvalue() == b""  # no binary on the terminal
    assert "终端" in err.getvalue() and "Traceback" not in err.getvalue()
    assert not saved.exists()  # refused before drafting


# ------------------------------------------------------------------ symlinks
def test_saving_through_a_symlink_updates_the_target(spec, tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "report.draft.json"
    link = tmp_path / "link.draft.json"
    link.symlink_to(real)
    out_real = real_dir / "report.md"
    out_link = tmp_path / "report.md"
    out_link.symlink_to(out_real)
    r = cli("draft", spec, "--save", link, "-o", out_link)
    assert r.returncode == 0, r.stderr
    for lnk, target in ((link, real), (out_link, out_real)):
        assert lnk.is_symlink() and os.readlink(lnk) == str(target)
        assert target.is_file() and target.stat().st_size > 0
    assert load_draft(real).parts
    r = cli("regen", link, "1")
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and load_draft(real).parts


# ------------------------------------------------------------------ bad targets, refused first
def test_missing_output_folder_is_refused_before_any_model_call(spec, tmp_path, fake_server):
    fake_server.handler = model_handler(spec, [])
    for opt in ("-o", "--save"):
        r = cli("draft", spec, *model(fake_server), opt, tmp_path / "nope" / "out.md")
        refused(r, "nope", "目录不存在")
    assert fake_server.requests == []


def test_output_under_a_file_is_refused(spec, tmp_path):
    refused(cli("draft", spec, "-o", spec / "out.md"), "不是目录")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_folder_where_no_file_can_be_made(spec, tmp_path):
    """/proc refuses new files even to root (whose access checks always pass): the write
    fails, with a clear message, and an offline draft leaves no recovery file behind."""
    refused(cli("draft", spec, "-o", "/proc/drafter-test.md", cwd=tmp_path), "无法写入 /proc/drafter-test.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.yaml"]


def test_output_that_is_a_folder_is_refused(spec, tmp_path):
    refused(cli("draft", spec, "-o", tmp_path), "目录")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root may write into a read-only folder; the check cannot be seen as root")
def test_read_only_output_folder_is_refused(spec, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        refused(cli("draft", spec, "-o", ro / "out.md"), "没有写入权限")
        refused(cli("draft", spec, "--save", ro / "d.json"), "没有写入权限")
    finally:
        ro.chmod(0o755)


@pytest.mark.parametrize("opt", ["-o", "--save"])
def test_output_over_the_spec_itself_is_refused(spec, opt):
    before = spec.read_bytes()
    refused(cli("draft", spec, opt, spec), "输入文件")
    assert spec.read_bytes() == before


@pytest.mark.parametrize("options", [["--max-revisions", "-1"], ["--timeout", "nan"], ["--timeout", "0"],
                                     ["--timeout", "-5"], ["--timeout", "inf"], ["--concurrency", "0"]])
def test_bad_numeric_options_are_refused_before_anything(spec, tmp_path, fake_server, options):
    fake_server.handler = model_handler(spec, [])
    before = sorted(p.name for p in tmp_path.iterdir())
    for command in (["draft", spec, "--save", tmp_path / "d.json"], ["session", spec]):
        r = cli(*command, "-m", "fake-model", "--base-url", fake_server.base_url, *options, input="quit\n")
        refused(r, options[0])
    assert fake_server.requests == []
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# ------------------------------------------------------------------ nothing drafted is lost
def test_failed_output_after_a_model_draft_keeps_the_draft(spec, tmp_path, fake_server):
    """The folder of -o disappears while the model drafts: the drafted text is saved to
    a recovery draft file that the message names, and it exports."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    base = model_handler(spec, [])

    def handler(body):
        shutil.rmtree(out_dir, ignore_errors=True)
        return base(body)
    fake_server.handler = handler
    r = cli("draft", spec, *model(fake_server), "-o", out_dir / "report.md", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "无法写入" in r.stderr and "没有丢失" in r.stderr
    recovered = Path(re.search(r"(/\S+?\.draft\.json)", r.stderr).group(1))
    assert recovered.parent == tmp_path  # in the current folder, where the user looks
    try:
        draft = load_draft(recovered)
        assert [p.origin for p in draft.sections] == ["model:fake-model"] * 3
        again = cli("export", recovered)
        assert again.returncode == 0 and draft.sections[0].text in again.stdout
    finally:
        recovered.unlink(missing_ok=True)


def test_failed_output_with_save_points_to_the_saved_draft(spec, tmp_path, fake_server):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    base = model_handler(spec, [])

    def handler(body):
        shutil.rmtree(out_dir, ignore_errors=True)
        return base(body)
    fake_server.handler = handler
    saved = tmp_path / "d.json"
    r = cli("draft", spec, *model(fake_server), "--save", saved, "-o", out_dir / "report.md")
    assert r.returncode == 2
    assert str(saved) in r.stderr and "drafter export" in r.stderr
    assert len(load_draft(saved).sections) == 3


def test_json_output_is_the_draft_and_reloads(spec, tmp_path):
    out = tmp_path / "draft.json"
    assert cli("draft", spec, "-f", "json", "-o", out).returncode == 0
    assert load_draft(out).parts and json.loads(out.read_text(encoding="utf-8"))["format_version"] == 1
