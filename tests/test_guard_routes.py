"""The confidentiality guard on every route that sends something: the spec, a
regeneration's instruction and current text (a hand edit included), revision findings
and the model's previous draft — through the Python API, the CLI (in process) and the
session. Non-loopback endpoints are only ever reached through a RecordingProxy on
127.0.0.1 that forwards nothing, and an audit hook records every socket connect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from drafter import load_draft, save_draft
from drafter._errors import ConfidentialityError
from drafter._pipeline import Drafter
from drafter._writers import ComposerWriter
from drafter.testing import FakeOpenAIServer, RecordingProxy
from helpers import cli
from test_pipeline_model import INVENTED, Script, make_spec, spec_data

REMOTE = "http://api.example.invalid/v1"
MOBILE = "13800138000"
INSTRUCTION = f"本件密级机密★5年，联系人{MOBILE}"
PROXY_VARS = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


@pytest.fixture
def proxy(monkeypatch):
    with RecordingProxy() as p:
        for var in PROXY_VARS:
            monkeypatch.setenv(var, p.url)
        yield p


def proxy_env(p: RecordingProxy) -> dict[str, str]:
    return {var: p.url for var in PROXY_VARS}


def remote_drafter(**kw) -> Drafter:
    return Drafter(model="fake-model", base_url=REMOTE, api_key="sk-test-key", timeout=2, max_attempts=1, **kw)


def assert_nothing_shown(text: str) -> None:
    assert MOBILE not in text and "0013" not in text


# -- the Python API -------------------------------------------------------------


def test_an_instruction_is_scanned(proxy, no_connect):
    spec = make_spec(2)
    draft = Drafter(writer=ComposerWriter()).draft(spec)
    no_connect.clear()
    with pytest.raises(ConfidentialityError) as info:
        remote_drafter().regenerate(draft, "mediation", spec=spec, instruction=INSTRUCTION)
    assert [(h.path, h.kind) for h in info.value.hits] == [("修改要求", "密级标志"), ("修改要求", "手机号")]
    assert_nothing_shown(str(info.value))
    assert proxy.attempts == [] and no_connect == []


@pytest.mark.parametrize("edit", ["另：该文件系机密件。", "联系电话138 0013 8000。", "机\u200b密材料已归档。"])
def test_a_hand_edited_part_is_scanned(proxy, no_connect, edit):
    spec = make_spec(2)
    draft = Drafter(writer=ComposerWriter()).draft(spec)
    part = draft.part("patrol")
    part.replace_text(part.text + edit, "hand", note="手工修改")
    no_connect.clear()
    with pytest.raises(ConfidentialityError) as info:
        remote_drafter().regenerate(draft, "patrol", spec=spec, force=True)
    assert [h.path for h in info.value.hits] == ["当前正文（patrol）"]
    assert proxy.attempts == [] and no_connect == []


def test_a_clean_instruction_to_a_clean_part_may_go(proxy):
    spec = make_spec(2)
    draft = Drafter(writer=ComposerWriter()).draft(spec)
    with pytest.raises(Exception):  # sent, then refused by the recording proxy (502)
        remote_drafter().regenerate(draft, "mediation", spec=spec, instruction="压缩到300字以内")
    assert len(proxy.attempts) == 1


def test_revision_findings_and_the_previous_draft_are_scanned(monkeypatch):
    """A remote endpoint that answers (a proxy relaying to the fake server): its first
    draft carries a marking and an invented figure; the revision request would send the
    marking back, so it is refused before it leaves."""
    spec = make_spec(1)
    with FakeOpenAIServer() as srv, RecordingProxy(upstream=srv) as p:
        script = Script(spec)
        script.queue("patrol", script.good["patrol"] + INVENTED + "此件属机密。")
        srv.handler = script
        for var, value in proxy_env(p).items():
            monkeypatch.setenv(var, value)
        with pytest.raises(ConfidentialityError) as info:
            remote_drafter().draft(spec)
        assert p.attempts == [f"POST {REMOTE}/chat/completions"] and len(srv.requests) == 1  # the first draft only
    assert "messages[2]（assistant）" in [h.path for h in info.value.hits]
    assert {part.id for part in info.value.draft.parts} == {"opening", "closing"}


def test_approval_lets_a_regeneration_through(proxy):
    spec = make_spec(2)
    draft = Drafter(writer=ComposerWriter()).draft(spec)
    with pytest.raises(Exception):
        remote_drafter(allow_confidential=True).regenerate(draft, "mediation", spec=spec, instruction=INSTRUCTION)
    assert len(proxy.attempts) == 1


# -- the CLI, in process ---------------------------------------------------------


def write_spec(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def offline_draft(tmp_path):
    write_spec(tmp_path / "spec.yaml", spec_data(2))
    res = cli("draft", "spec.yaml", "--save", "spec.draft.json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    return tmp_path


@pytest.mark.parametrize("remote", [REMOTE, "https://api.example.invalid/v1", "http://10.1.2.3:8000/v1"])
def test_cli_regen_with_a_confidential_instruction_is_refused(offline_draft, no_connect, remote):
    with RecordingProxy() as p:
        before = (offline_draft / "spec.draft.json").read_text(encoding="utf-8")
        no_connect.clear()
        res = cli("regen", "spec.draft.json", "1", "-m", "fake-model", "--base-url", remote,
                  "--instruction", INSTRUCTION, cwd=offline_draft, env=proxy_env(p))
        assert res.returncode == 2, res.stderr
        assert "修改要求：密级标志" in res.stderr and "修改要求：手机号" in res.stderr
        assert "--allow-confidential" in res.stderr and "Traceback" not in res.stderr
        assert_nothing_shown(res.stderr + res.stdout)
        assert p.attempts == [] and no_connect == []
        assert (offline_draft / "spec.draft.json").read_text(encoding="utf-8") == before  # untouched


def test_cli_regen_of_a_hand_edit_holding_a_marking_is_refused(offline_draft, proxy, no_connect):
    path = offline_draft / "spec.draft.json"
    draft = load_draft(path)
    part = draft.part("mediation")
    part.replace_text(part.text + "（本段内容涉及机-密事项）", "hand", note="手工修改")
    save_draft(draft, path)
    no_connect.clear()
    res = cli("regen", "spec.draft.json", "mediation", "--force", "-m", "fake-model", "--base-url", REMOTE,
              cwd=offline_draft, env=proxy_env(proxy))
    assert res.returncode == 2, res.stderr
    assert "当前正文（mediation）：密级标志" in res.stderr
    assert proxy.attempts == [] and no_connect == []


def test_session_regen_with_a_confidential_request_is_refused(offline_draft, proxy, no_connect):
    no_connect.clear()
    res = cli("session", "spec.yaml", "-m", "fake-model", "--base-url", REMOTE, cwd=offline_draft,
              env={**proxy_env(proxy), "COLUMNS": "200"}, input=f"regen 1 {INSTRUCTION}\nquit\n")
    out = res.stdout + res.stderr
    assert "修改要求：密级标志" in out and "修改要求：手机号" in out
    assert_nothing_shown(out.replace(f"regen 1 {INSTRUCTION}", ""))  # beyond the echo of the user's line
    assert proxy.attempts == [] and no_connect == []
    saved = json.loads((offline_draft / "spec.draft.json").read_text(encoding="utf-8"))
    assert all(p["origin"] == "composer" for p in saved["parts"])  # nothing was replaced


def test_cli_with_proxy_variables_drafts_through_loopback_directly(tmp_path, proxy):
    data = spec_data(2)
    data["sections"][0]["facts"].append("严格落实机密文件管理制度")  # loopback: allowed
    write_spec(tmp_path / "spec.yaml", data)
    with FakeOpenAIServer() as srv:
        from drafter._spec import Report

        srv.handler = Script(Report.model_validate(data))
        res = cli("draft", "spec.yaml", "-m", "fake-model", "--base-url", srv.base_url, "--on-rejected", "flag",
                  cwd=tmp_path, env=proxy_env(proxy))
        assert res.returncode in (0, 1), res.stderr
        assert len(srv.requests) == 2
    assert proxy.attempts == []
