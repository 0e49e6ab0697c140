"""Draft files a user (or anyone) may hand drafter: crafted part ids, newer format
versions, unknown kinds, markup and control characters in the text. A bad draft is
refused with a Chinese message naming the field (exit 2); good drafts with odd text
are shown literally, never interpreted."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from helpers import SMALL_SPEC, cli


@pytest.fixture
def drafted(tmp_path: Path) -> Path:
    """A real draft file of the small example, beside its spec."""
    spec = tmp_path / "report.yaml"
    shutil.copy(SMALL_SPEC, spec)
    path = tmp_path / "report.draft.json"
    r = cli("draft", spec, "--save", path)
    assert r.returncode == 0, r.stderr
    return path


def rewrite(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def refused(r, *needles: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "内部错误" not in r.stderr, r.stderr
    for n in needles:
        assert n in r.stderr, r.stderr


def all_commands(path: Path) -> list[list]:
    return [["status", path], ["export", path], ["regen", path, "1"], ["session", path]]


# ------------------------------------------------------------------ part ids
@pytest.mark.parametrize("bad_id", ["../../x", "/abs/path", "[/x]", "", "a b", "Law", "x/y", "..", "."])
def test_crafted_part_id_is_refused_everywhere(drafted, bad_id):
    rewrite(drafted, lambda d: d["parts"][1].update(id=bad_id))
    before = sorted(p.name for p in drafted.parent.iterdir())
    for args in all_commands(drafted):
        refused(cli(*args, input="quit\n"), "report.draft.json", "parts[1].id")
    assert sorted(p.name for p in drafted.parent.iterdir()) == before


def test_edit_of_a_crafted_id_cannot_write_outside(drafted, tmp_path, monkeypatch):
    """The session's edit used the part id as a file name: "../../x" escaped the folder."""
    import tempfile

    monkeypatch.setenv("EDITOR", f"{sys.executable} -c pass")
    temp_root = tmp_path / "t" / "u"  # edit's temporary folder is made in here
    temp_root.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    outside = tmp_path / "t" / "x.txt"  # where "<temp folder>/../../x.txt" lands
    rewrite(drafted, lambda d: d["parts"][1].update(id="../../x"))
    r = cli("session", drafted, input="edit ../../x\nquit\n")
    assert not outside.exists()
    assert r.returncode == 2


def test_repeated_part_id_is_refused(drafted):
    rewrite(drafted, lambda d: d["parts"][2].update(id=d["parts"][1]["id"]))
    for args in all_commands(drafted):
        refused(cli(*args, input="quit\n"), "重复")


@pytest.mark.parametrize("change", [
    lambda d: d["parts"][0].update(role="section"),        # opening as a section
    lambda d: d["parts"][1].update(role="closing"),        # a section as the closing
])
def test_role_must_fit_the_id(drafted, change):
    rewrite(drafted, change)
    refused(cli("status", drafted), "role")


# ------------------------------------------------------------------ version and kind
def test_newer_format_version_is_refused_naming_it(drafted):
    rewrite(drafted, lambda d: d.update(format_version=999))
    for args in all_commands(drafted):
        refused(cli(*args, input="quit\n"), "999", "升级")


@pytest.mark.parametrize("version", [0, -1])
def test_impossible_format_version_is_refused(drafted, version):
    rewrite(drafted, lambda d: d.update(format_version=version))
    refused(cli("status", drafted), "format_version")


def test_unknown_kind_is_refused(drafted):
    rewrite(drafted, lambda d: d.update(kind="love_letter"))
    for args in all_commands(drafted):
        refused(cli(*args, input="quit\n"), "love_letter", "文种")


def test_known_kinds_come_from_the_spec():
    """The draft accepts exactly the kinds a spec can have, not a list of its own."""
    from drafter._draft import Draft
    from drafter._spec import DOCUMENT_KINDS

    for kind in DOCUMENT_KINDS:
        assert Draft(kind=kind, title="t", parts=[]).kind == kind


# ------------------------------------------------------------------ broken files, in Chinese
@pytest.mark.parametrize("text", ["", "{", "[1, 2]", '{"kind": "self_inspection"}', "{\"parts\": [}",
                                  '{"format_version": "' + "1" * 5000 + '"}', "[" * 5000 + "]" * 5000])
def test_broken_draft_file_gets_a_chinese_message(tmp_path, text):
    p = tmp_path / "broken.draft.json"
    p.write_text(text, encoding="utf-8")
    r = cli("status", p)
    refused(r, "broken.draft.json", "草稿")
    for english in ("Invalid JSON", "Input should", "Field required", "EOF", "exceeded"):
        assert english not in r.stderr, r.stderr


# ------------------------------------------------------------------ markup and escapes are text
MARKUP = "[/x][bold red]假[/] :warning: [link=http://e.x]点[/link]"


def test_markup_in_a_draft_is_shown_literally(drafted):
    def change(d):
        d["title"] = "标题" + MARKUP
        d["parts"][1]["heading"] = "小标题" + MARKUP
        d["parts"][1]["origin"] = "model:" + MARKUP
        d["parts"][1]["text"] = "正文" + MARKUP + "。"
    rewrite(drafted, change)
    r = cli("status", drafted)
    assert r.returncode == 0, r.stderr
    assert "[/x]" in r.stdout and ":warning:" in r.stdout and "⚠" not in r.stdout
    r = cli("session", drafted, input="list\nshow 1\nhistory 1\ncheck 1\nquit\n")
    assert r.returncode == 0, r.stderr
    assert "命令" not in r.stdout or "出错" not in r.stdout
    assert r.stdout.count("[/x]") >= 3 and "⚠" not in r.stdout


def test_escape_sequences_in_a_draft_do_not_reach_the_terminal(drafted):
    rewrite(drafted, lambda d: d["parts"][1].update(text="正文\x1b]0;pwned\x07\x1b[2J。", heading="小\x1b[31m标题"))
    for args, stdin in ((["status", drafted], ""), (["session", drafted], "show 1\nlist\nquit\n")):
        r = cli(*args, input=stdin)
        assert r.returncode == 0, r.stderr
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout
