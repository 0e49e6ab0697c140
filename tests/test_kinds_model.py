"""The model path for every new kind, over HTTP to FakeOpenAIServer on 127.0.0.1:
draft, a revise round, regenerate, status, the session, Word export.

Replies are chosen from the request: which section the prompt is about (its heading
line), and whether it is a first draft, a revision or a regeneration. A good reply
is the offline composer's text for that section (every figure backed).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from drafter import Drafter, load_draft, load_spec
from drafter._composer import compose_section
from drafter.app.cli import build_parser
from drafter.app._session import run_session
from drafter.testing import Reply
from helpers import ROOT, cli

EXAMPLES = {"work_summary": ROOT / "examples" / "work-summary-2024.yaml",
            "debriefing": ROOT / "examples" / "debriefing-2024.yaml",
            "work_plan": ROOT / "examples" / "work-plan-2025.yaml"}
TEAM = ROOT / "tests" / "corpus" / "kinds" / "debriefing-team.yaml"
SYSTEM_SAYS = {"work_summary": "文种为年度工作总结", "debriefing": "文种为述职报告", "work_plan": "文种为工作要点"}
INVENTED = "另新增项目999个。"


class Model:
    """A scripted model: the composer's text per section, after ``bad`` replies for
    the sections named in ``first_bad`` (one each)."""

    def __init__(self, spec_path: Path, first_bad: tuple[str, ...] = ()):
        self.spec_path = spec_path
        self.bad = set(first_bad)
        self.seen: dict[str, list[dict]] = defaultdict(list)

    def section_of(self, spec, body) -> str:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        head = user.split("全文各部分标题", 1)[0].split("当前正文", 1)[0]
        frame = spec.frame()
        for n, s in enumerate(spec.sections, 1):
            if frame.heading_line(n, spec.heading_of(s)) in head:
                return s.id
        raise AssertionError(f"no section in:\n{head}")

    def __call__(self, body):
        spec = load_spec(self.spec_path)  # the current input, so reload + regen match
        sid = self.section_of(spec, body)
        self.seen[sid].append(body)
        good = compose_section(spec, spec.section(sid))
        if sid in self.bad:
            self.bad.discard(sid)
            return Reply(good + INVENTED)
        return Reply(good)


def model_args(server) -> list[str]:
    return ["-m", "fake-model", "--base-url", server.base_url, "--timeout", "5"]


@pytest.mark.parametrize("path", [*EXAMPLES.values(), TEAM], ids=["work_summary", "debriefing", "work_plan", "team"])
def test_model_drafts_revises_and_regenerates_every_kind(path, fake_server):
    spec = load_spec(path)
    first = spec.sections[0].id
    model = Model(path, first_bad=(first,))
    fake_server.handler = model
    drafter = Drafter(model="fake-model", base_url=fake_server.base_url, api_key="sk-test", timeout=5.0,
                      max_attempts=2)
    draft = drafter.draft(spec)
    assert [p.id for p in draft.parts] == spec.part_ids()
    for s in spec.sections:
        part = draft.part(s.id)
        assert part.origin == "model:fake-model" and part.error_count == 0 and not part.flagged
        assert part.text == compose_section(spec, s)
        assert part.heading == spec.heading_of(s)
    # the invented figure was sent back with the kind's revise prompt, once
    assert [a.purpose for a in draft.part(first).attempts] == ["draft", "revise"]
    assert any(f.code == "N001" for f in draft.part(first).attempts[0].findings)
    revise = model.seen[first][1]["messages"]
    assert [m["role"] for m in revise] == ["system", "user", "assistant", "user"] and "999个" in revise[3]["content"]
    system = revise[0]["content"]
    assert SYSTEM_SAYS[spec.kind] in system and spec.title in system
    if spec.kind == "debriefing":
        assert ("“本人”“我”" if spec.person else "“我们”“班子”") in system
    # every prompt names the section's heading line as the frame writes it, and the
    # numbered sub-points as they must stand
    for s in spec.sections:
        n = spec.sections.index(s) + 1
        user = model.seen[s.id][0]["messages"][1]["content"]
        assert spec.frame().heading_line(n, spec.heading_of(s)) in user
        for k, p in enumerate(s.points, 1):
            assert f"{spec.frame().point_ordinal(k)}{p.heading}。" in user
    # opening and closing are the composer's, never the model's
    assert draft.part("opening").origin == "composer"
    # regenerate one section: only it changes
    second = spec.sections[1].id
    again = drafter.regenerate(draft, second, spec=spec, instruction="压缩到200字以内")
    assert "修改要求（来自使用者）：压缩到200字以内" in model.seen[second][-1]["messages"][1]["content"]
    assert "当前正文" in model.seen[second][-1]["messages"][1]["content"]
    for p in draft.parts:
        if p.id != second:
            assert again.part(p.id) == p
    assert [a.purpose for a in again.part(second).attempts] == ["draft", "regenerate"]


@pytest.mark.parametrize("kind", list(EXAMPLES))
def test_cli_over_http_draft_status_regen_export(kind, fake_server, tmp_path):
    spec_path = tmp_path / "spec.yaml"
    shutil.copy(EXAMPLES[kind], spec_path)
    spec = load_spec(spec_path)
    fake_server.handler = Model(spec_path)
    d = tmp_path / "d.json"
    r = cli("draft", spec_path, "--save", d, "-f", "txt", *model_args(fake_server), env={"OPENAI_API_KEY": "sk-x"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == spec.title
    saved = load_draft(d)
    assert {p.origin for p in saved.sections} == {"model:fake-model"} and saved.frame == spec.frame()
    status = cli("status", d)
    assert status.returncode == 0 and "所有部分都是最新的" in status.stdout
    # a changed fact: that section alone is stale, and regen --stale redraws it alone
    fact = spec.sections[-1].facts[-1]
    text = fact if isinstance(fact, str) else fact.text
    spec_path.write_text(spec_path.read_text(encoding="utf-8").replace(text, text + "，并建立长效机制", 1),
                         encoding="utf-8")
    status = cli("status", d)
    assert re.search(rf"过期部分：{re.escape(spec.sections[-1].id)}（", status.stdout), status.stdout
    before = load_draft(d)
    r = cli("regen", d, "--stale", *model_args(fake_server), env={"OPENAI_API_KEY": "sk-x"})
    assert r.returncode == 0, r.stderr
    after = load_draft(d)
    assert "并建立长效机制" in after.part(spec.sections[-1].id).text
    assert [p for p in after.parts if p.id != spec.sections[-1].id] == \
        [p for p in before.parts if p.id != spec.sections[-1].id]
    out = tmp_path / "d.docx"
    assert cli("export", d, "-f", "docx", "-o", out).returncode == 0
    import docx

    texts = [p.text for p in docx.Document(str(out)).paragraphs if p.text]
    assert texts[0] == spec.title and any("并建立长效机制" in t for t in texts)
    assert cli("export", d, "-f", "txt").stdout.count("\n" + spec.frame().heading_line(1, spec.heading_of(spec.sections[0]))) == 1


@pytest.mark.parametrize("path", [*EXAMPLES.values(), TEAM], ids=["work_summary", "debriefing", "work_plan", "team"])
def test_session_with_a_model_for_every_kind(path, fake_server, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    spec_path = tmp_path / "report.yaml"
    shutil.copy(path, spec_path)
    spec = load_spec(spec_path)
    model = Model(spec_path)
    fake_server.handler = model
    lines = iter(["list", "show 2", "check 2", "regen 2 突出重点", "show closing",
                  f"export docx -o {tmp_path / 'out.docx'}", "export txt", "quit"])

    class Stdin:
        def readline(self):
            return next(lines, "") + "\n"

    args = build_parser().parse_args(["session", str(spec_path), *model_args(fake_server), "--max-revisions", "0"])
    rc = run_session(args, stdin=Stdin())
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "Traceback" not in out
    draft = load_draft(spec_path.with_name("report.draft.json"))
    assert [p.id for p in draft.parts] == spec.part_ids()
    assert draft.part(2).origin == "model:fake-model"
    assert "突出重点" in model.seen[spec.sections[1].id][-1]["messages"][1]["content"]
    frame = spec.frame()
    line2 = frame.heading_line(2, spec.heading_of(spec.sections[1]))
    assert line2 in out                               # show 2: the part as it stands
    if frame.closing:
        assert frame.ordinal(1, frame.closing_number(len(spec.sections))) + frame.closing[0] in out
    txt = spec_path.with_name("report.txt").read_text(encoding="utf-8")
    assert txt.splitlines()[0] == spec.title and line2 in txt
    assert (tmp_path / "out.docx").stat().st_size > 0
