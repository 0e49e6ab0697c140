"""``drafter draft SPEC --save D`` replaces D only when nothing is lost: not while a
session holds D, not over hand edits (or a file that is not a draft) without
--force, and the replaced texts stay in each part's history."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from drafter import load_draft
from drafter.app._lock import SessionLock, lock_path_for
from drafter.testing import Reply
from helpers import SMALL_SPEC, cli
from test_session import model_handler

HAND = "手工改写的一段正文，全年开展法治宣传活动86场次。"


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    p = tmp_path / "report.yaml"
    shutil.copy(SMALL_SPEC, p)
    return p


@pytest.fixture
def saved(spec: Path) -> Path:
    d = spec.with_name("report.draft.json")
    assert cli("draft", spec, "--save", d).returncode == 0
    return d


def hand_edit(path: Path, number: int = 1, text: str = HAND) -> str:
    """Edit a section in a session, as a user does; its id."""
    r = cli("session", path, input=f"edit {number}\n{text}\n.\nquit\n")
    assert r.returncode == 0, r.stdout
    part = load_draft(path).part(number)
    assert part.origin == "hand" and part.text == text
    return part.id


def test_refused_while_a_session_holds_the_draft(spec, saved):
    before = saved.read_bytes()
    with SessionLock(saved):
        r = cli("draft", spec, "--save", saved)
    assert r.returncode == 2 and "已在另一个会话中打开" in r.stderr
    assert saved.read_bytes() == before


def test_refused_through_a_symlink_to_a_draft_a_session_holds(spec, saved, tmp_path):
    alias = tmp_path / "alias.draft.json"
    alias.symlink_to(saved)
    with SessionLock(saved):
        r = cli("draft", spec, "--save", alias)
    assert r.returncode == 2 and "已在另一个会话中打开" in r.stderr


def test_hand_edits_are_not_replaced_without_force(spec, saved, fake_server):
    pid = hand_edit(saved)
    before = saved.read_bytes()
    fake_server.handler = model_handler(spec, [])
    r = cli("draft", spec, "--save", saved, "-m", "fake-model", "--base-url", fake_server.base_url)
    assert r.returncode == 2, r.stderr
    assert pid in r.stderr and "--force" in r.stderr and "regen" in r.stderr
    assert saved.read_bytes() == before
    assert fake_server.requests == []  # refused before a single model call
    assert not lock_path_for(saved).exists()


def test_force_replaces_and_keeps_the_hand_text_in_history(spec, saved):
    pid = hand_edit(saved)
    r = cli("draft", spec, "--save", saved, "--force")
    assert r.returncode == 0, r.stderr
    part = load_draft(saved).part(pid)
    assert part.origin == "composer"
    assert [v.text for v in part.history if v.origin == "hand"] == [HAND]
    r = cli("session", saved, input=f"undo {pid}\nquit\n")  # and it comes back
    assert load_draft(saved).part(pid).text == HAND


def test_only_other_parts_does_not_touch_the_hand_edit(spec, saved):
    pid = hand_edit(saved, 1)
    other = load_draft(saved).part(2).id
    r = cli("draft", spec, "--save", saved, "--only", other)
    assert r.returncode == 0, r.stderr
    draft = load_draft(saved)
    assert draft.part(pid).text == HAND  # kept as it was
    assert [p.id for p in draft.parts] == ["opening", pid, other, draft.part(3).id, "closing"]


def test_redraft_without_hand_edits_keeps_the_old_texts_in_history(spec, saved):
    text = spec.read_text(encoding="utf-8").replace("主题活动86场次", "主题活动87场次", 1)
    spec.write_text(text, encoding="utf-8")
    old = {p.id: p.text for p in load_draft(saved).parts}
    assert cli("draft", spec, "--save", saved).returncode == 0
    new = load_draft(saved)
    changed = [p for p in new.parts if p.text != old[p.id]]
    assert changed
    for p in changed:
        assert p.history[-1].text == old[p.id]
    for p in new.parts:
        if p.text == old[p.id]:
            assert p.history == []  # unchanged text adds nothing


@pytest.mark.parametrize("content", ["not a draft at all\n", '{"some": "json"}', ""])
def test_a_file_that_is_not_a_draft_is_not_overwritten(spec, tmp_path, content):
    target = tmp_path / "notes.json"
    target.write_text(content, encoding="utf-8")
    r = cli("draft", spec, "--save", target)
    assert r.returncode == 2 and "不是可读的草稿文件" in r.stderr and "--force" in r.stderr
    assert target.read_text(encoding="utf-8") == content
    assert cli("draft", spec, "--save", target, "--force").returncode == 0
    assert load_draft(target).parts


def test_model_failure_without_save_keeps_the_written_parts(spec, fake_server, tmp_path):
    """Without --save, the sections a model wrote before another failed are kept in a
    recovery draft file the message names, in the current folder."""
    base = model_handler(spec, [])

    def handler(body):
        user = [m for m in body["messages"] if m["role"] == "user"][-1]["content"]
        if "第2部分" in user:
            return Reply(status=400)
        return base(body)
    fake_server.handler = handler
    r = cli("draft", spec, "-m", "fake-model", "--base-url", fake_server.base_url, "--max-revisions", "0",
            cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    kept = Path(re.search(r"(/\S+?\.draft\.json)", r.stderr).group(1))
    assert kept.parent == tmp_path
    try:
        draft = load_draft(kept)
        assert sum(p.origin == "model:fake-model" for p in draft.parts) == 2
        assert json.loads(kept.read_text(encoding="utf-8"))["spec_path"] == str(spec.resolve())
    finally:
        kept.unlink(missing_ok=True)
