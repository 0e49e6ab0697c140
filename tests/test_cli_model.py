"""The CLI over HTTP: the CLI's entry function (in process, ``tests.helpers.cli``)
against FakeOpenAIServer on 127.0.0.1, with a real key in the environment that the
server requires and that must never show up in a file or on a terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from drafter._spec import Report
from drafter.testing import FakeOpenAIServer, Reply
from drafter.testing import RecordingProxy
from helpers import cli as cli_in_process
from test_pipeline_model import INVENTED, Script, spec_data

SECRET = "sk-e2e-Qx7vTq2-DO-NOT-LEAK-4f9c1b"


@pytest.fixture
def srv():
    with FakeOpenAIServer(require_key=SECRET) as server:  # proves the key was sent
        yield server


def write_spec(path: Path, data: dict) -> Report:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Report.model_validate(data)


def cli(tmp_path: Path, *args: str, env: dict | None = None):
    res = cli_in_process(*args, cwd=tmp_path, env={"OPENAI_API_KEY": SECRET, "COLUMNS": "200", **(env or {})})
    for stream in (res.stdout, res.stderr):
        assert SECRET not in stream
        assert "Traceback" not in stream
    return res


def model_args(srv: FakeOpenAIServer) -> list[str]:
    return ["-m", "fake-model", "--base-url", srv.base_url, "--timeout", "5"]


def parts_of(path: Path) -> dict[str, dict]:
    raw = path.read_text(encoding="utf-8")
    assert SECRET not in raw
    return {p["id"]: p for p in json.loads(raw)["parts"]}


def stale_ids(stdout: str) -> list[str]:
    m = re.search(r"过期部分：([^（\n]+)（", stdout)
    return m.group(1).split("、") if m else []


def test_draft_status_regen_export_over_http(srv, tmp_path):
    data = spec_data(3)
    spec = write_spec(tmp_path / "spec.yaml", data)
    script = Script(spec)
    srv.handler = script

    res = cli(tmp_path, "draft", "spec.yaml", *model_args(srv), "--save", "d.json")
    assert res.returncode == 0, res.stderr
    assert "草稿已保存到 d.json" in res.stderr
    assert res.stdout.startswith("# 2021年目标任务考核完成情况自查报告")
    assert "一、坚持以治安巡防为牵引，推动社会治安大提升。" + script.good["patrol"] in res.stdout
    assert len(srv.requests) == 3
    before = parts_of(tmp_path / "d.json")
    assert {p["origin"] for p in before.values()} == {"composer", "model:fake-model"}
    assert before["mediation"]["text"] == script.good["mediation"]

    # The user corrects one figure of one section.
    data["sections"][1]["facts"][0] = "全年排查矛盾纠纷2320件，调解成功2247件"
    spec2 = write_spec(tmp_path / "spec.yaml", data)

    res = cli(tmp_path, "status", "d.json")
    assert res.returncode == 0, res.stderr
    assert stale_ids(res.stdout) == ["mediation"]

    srv.reset()
    script2 = Script(spec2)
    srv.handler = script2
    res = cli(tmp_path, "regen", "d.json", "--stale", *model_args(srv))
    assert res.returncode == 0, res.stderr
    assert len(srv.requests) == 1 and script2.count("mediation") == 1
    assert "已重新生成“mediation”" in res.stderr
    after = parts_of(tmp_path / "d.json")
    assert list(after) == list(before)
    for pid in before:
        if pid != "mediation":
            assert json.dumps(after[pid], ensure_ascii=False) == json.dumps(before[pid], ensure_ascii=False), pid
    med = after["mediation"]
    assert "2320件" in med["text"] and med["text"] == script2.good["mediation"]
    assert before["mediation"]["text"] in [v["text"] for v in med["history"]]

    res = cli(tmp_path, "status", "d.json")
    assert res.returncode == 0 and stale_ids(res.stdout) == []
    assert "所有部分都是最新的" in res.stdout

    res = cli(tmp_path, "export", "d.json", "--format", "txt")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "2021年目标任务考核完成情况自查报告"
    assert len(lines) == 1 + 5 + 2  # title, opening, three sections, closing; a blank line, the 署名
    assert lines[3] == "二、坚持以矛盾纠纷化解为牵引，推动基层治理大提升。" + script2.good["mediation"]
    assert SECRET not in (tmp_path / "d.json").read_text(encoding="utf-8")


def test_never_fixed_reply_exits_1_and_prints_the_findings(srv, tmp_path):
    spec = write_spec(tmp_path / "spec.yaml", spec_data(2))
    script = Script(spec)
    script.default["patrol"] = script.good["patrol"] + INVENTED
    srv.handler = script

    res = cli(tmp_path, "draft", "spec.yaml", *model_args(srv), "--save", "d.json")
    assert res.returncode == 1
    assert script.count("patrol") == 3  # 1 + the default 2 revisions
    assert "“patrol”经 3 次尝试仍有" in res.stderr and "未被接受" in res.stderr
    assert "N001" in res.stderr and "999" in res.stderr
    assert res.stdout == ""
    saved = parts_of(tmp_path / "d.json")  # nothing is lost
    assert saved["patrol"]["flagged"] and len(saved["patrol"]["attempts"]) == 3
    assert saved["mediation"]["text"] == script.good["mediation"]


def test_truncated_reply_exits_1_with_a_clear_message(srv, tmp_path):
    spec = write_spec(tmp_path / "spec.yaml", spec_data(1))
    script = Script(spec)
    script.default["patrol"] = Reply(script.good["patrol"][:10], finish_reason="length")
    srv.handler = script

    res = cli(tmp_path, "draft", "spec.yaml", *model_args(srv), "--on-rejected", "flag")
    assert res.returncode == 1
    assert "模型调用失败" in res.stderr and "截断" in res.stderr
    assert res.stdout == ""
    assert script.count("patrol") == 1


def test_written_parts_survive_a_model_failure_and_regen_stale_completes(srv, tmp_path):
    spec = write_spec(tmp_path / "spec.yaml", spec_data(2))
    script = Script(spec)
    script.default["patrol"] = Reply(script.good["patrol"][:10], finish_reason="length")
    srv.handler = script

    res = cli(tmp_path, "draft", "spec.yaml", *model_args(srv), "--save", "d.json")
    assert res.returncode == 1 and "--stale" in res.stderr
    saved = parts_of(tmp_path / "d.json")
    assert "patrol" not in saved and saved["mediation"]["text"] == script.good["mediation"]
    assert "patrol" in cli(tmp_path, "status", "d.json").stdout

    script.default.pop("patrol")  # the endpoint behaves again
    res = cli(tmp_path, "regen", "d.json", "--stale", *model_args(srv))
    assert res.returncode == 0, res.stderr
    after = parts_of(tmp_path / "d.json")
    assert list(after) == ["opening", "patrol", "mediation", "closing"]
    assert after["patrol"]["text"] == script.good["patrol"]
    assert after["mediation"] == saved["mediation"]


def test_guard_refuses_a_remote_endpoint_naming_the_field(tmp_path):
    data = spec_data(2)
    data["sections"][1]["facts"].append("严格落实机密文件管理制度")
    write_spec(tmp_path / "spec.yaml", data)

    with RecordingProxy() as proxy:  # anything that tried to leave would end here
        res = cli(tmp_path, "draft", "spec.yaml", "-m", "fake-model", "--base-url", "http://10.255.255.1/v1",
                  "--timeout", "30", env={"HTTP_PROXY": proxy.url, "http_proxy": proxy.url, "ALL_PROXY": proxy.url})
        assert proxy.attempts == []  # refused up front, not after a connect attempt
    assert res.returncode == 2
    assert "sections[1].facts[1]" in res.stderr and "密级标志" in res.stderr
    assert "--allow-confidential" in res.stderr
    assert res.stdout == ""


def test_stream_shows_one_section_as_it_arrives(srv, tmp_path):
    spec = write_spec(tmp_path / "spec.yaml", spec_data(2))
    script = Script(spec)
    srv.handler = script
    res = cli(tmp_path, "draft", "spec.yaml", *model_args(srv), "--only", "patrol", "--stream", "-f", "txt")
    assert res.returncode == 0, res.stderr
    assert script.good["patrol"] in res.stderr          # streamed to stderr as it came
    assert script.good["patrol"] in res.stdout          # and the section itself on stdout
    assert all(r.get("stream") for r in srv.requests) and len(srv.requests) == 1
    res = cli(tmp_path, "draft", "spec.yaml", *model_args(srv), "--stream")
    assert res.returncode == 2 and "--only" in res.stderr


# -- replies that are not what they should be ---------------------------------------------


def test_a_reply_echoing_the_key_never_reaches_the_draft_or_the_output(srv, tmp_path):
    spec = write_spec(tmp_path / "spec.yaml", spec_data(2))
    script = Script(spec)
    script.default["patrol"] = script.good["patrol"] + f"（调试信息：{SECRET}）"
    srv.handler = script
    for extra in ([], ["--only", "patrol", "--stream"]):
        res = cli_in_process("draft", "spec.yaml", *model_args(srv), "--save", "d.json", "--on-rejected", "flag",
                             *extra, cwd=tmp_path, env={"OPENAI_API_KEY": SECRET})
        assert res.returncode in (0, 1), res.stderr
        assert SECRET not in res.stdout + res.stderr
        assert "***" in res.stdout
        saved = parts_of(tmp_path / "d.json")  # asserts the key is nowhere in the file
        assert saved["patrol"]["text"].endswith("（调试信息：***）")


@pytest.mark.parametrize("body, ctype, says", [
    ("<!DOCTYPE html><html><head><title>Welcome</title></head><body>It works</body></html>", "text/html",
     "返回的是 HTML 页面（标题“Welcome”），不是 JSON"),
    ("{not json", "application/json", "不是 JSON"),
    ("", "application/json", "空的响应体"),
])
def test_a_malformed_reply_is_explained_not_an_internal_error(srv, tmp_path, body, ctype, says):
    write_spec(tmp_path / "spec.yaml", spec_data(3))
    srv.handler = lambda request: Reply(body=body, content_type=ctype)
    res = cli_in_process("draft", "spec.yaml", *model_args(srv), "--concurrency", "1", cwd=tmp_path,
                         env={"OPENAI_API_KEY": SECRET})
    assert res.returncode == 1
    assert "内部错误" not in res.stderr and "Traceback" not in res.stderr
    assert says in res.stderr and "端点地址可能有误" in res.stderr and "/v1" in res.stderr
    assert len(srv.requests) == 1  # the other sections were not sent to a wrong URL


def test_flagged_for_left_out_figures_exits_1_and_names_them(srv, tmp_path):
    """--on-rejected flag keeps a section that still leaves out its facts' figures after
    every revision; the command says so and exits 1 (it is not a clean draft)."""
    spec = write_spec(tmp_path / "spec.yaml", spec_data(2))
    script = Script(spec)
    script.default["patrol"] = "按要求完成各项工作，成效明显。"
    srv.handler = script

    res = cli(tmp_path, "draft", "spec.yaml", *model_args(srv), "--on-rejected", "flag", "-o", "d.md")
    assert res.returncode == 1
    assert script.count("patrol") == 3  # sent back twice with the facts named
    assert "“patrol”有遗漏 2 个输入数字" in res.stderr
    assert "1260次" in res.stderr and "486件" in res.stderr
    assert "按要求完成各项工作" in (tmp_path / "d.md").read_text(encoding="utf-8")  # kept, as asked
