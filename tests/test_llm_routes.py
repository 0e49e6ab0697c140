"""Where a request really goes: proxies from the environment, redirects, and the
guard at the point where a request leaves. No traffic leaves loopback: non-loopback
endpoints are reached only through a RecordingProxy on 127.0.0.1, which forwards
nothing."""

from __future__ import annotations

import asyncio

import pytest
from tenacity import wait_fixed

from drafter._errors import ConfidentialityError, ModelRequestError, ModelUnavailable
from drafter._llm import Completion, ModelConfig, OpenAIWriter
from drafter.testing import FakeOpenAIServer, RecordingProxy, Reply

MESSAGES = [{"role": "system", "content": "你是公文写作助手。"}, {"role": "user", "content": "写一段工作总结。"}]
SECRET_MESSAGES = [MESSAGES[0], {"role": "user", "content": "本件密级机密★5年，联系人13800138000"}]
PROXY_VARS = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


def writer_for(base_url: str, **kw) -> OpenAIWriter:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("wait", wait_fixed(0.01))
    kw.setdefault("max_attempts", 1)
    return OpenAIWriter(ModelConfig(model="fake-model", base_url=base_url, api_key="sk-route-test-key"), **kw)


def run(writer: OpenAIWriter, messages=MESSAGES, **kw) -> Completion:
    async def go() -> Completion:
        try:
            return await writer.complete(messages, **kw)
        finally:
            await writer.aclose()

    return asyncio.run(go())


@pytest.fixture
def proxy(monkeypatch):
    """Every proxy variable points at a proxy that records and forwards nothing."""
    with RecordingProxy() as p:
        for var in PROXY_VARS:
            monkeypatch.setenv(var, p.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        yield p


# -- proxies ----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_endpoint_is_reached_directly_whatever_the_proxy_settings(proxy, fake_server, host):
    fake_server.script(Reply("本机模型的回复"))
    base_url = fake_server.base_url.replace("127.0.0.1", host)
    out = run(writer_for(base_url), SECRET_MESSAGES)  # loopback: the guard lets it through
    assert out.text == "本机模型的回复"
    assert len(fake_server.requests) == 1
    assert proxy.attempts == []  # the prompt never went to the proxy


def test_a_remote_endpoint_uses_the_proxy_from_the_environment(proxy):
    with pytest.raises(ModelUnavailable):
        run(writer_for("http://api.example.invalid/v1"))  # clean: may be sent
    assert proxy.attempts == ["POST http://api.example.invalid/v1/chat/completions"]
    assert b"\\u5199\\u4e00\\u6bb5" in proxy.bodies[0] or "写一段".encode() in proxy.bodies[0]


@pytest.mark.parametrize("base_url", ["http://api.example.invalid/v1", "https://api.example.invalid/v1",
                                      "http://192.168.1.10:8000/v1", None])
def test_a_remote_endpoint_gets_nothing_confidential(proxy, base_url):
    writer = OpenAIWriter(ModelConfig(model="fake-model", base_url=base_url, api_key="k"), timeout=2, max_attempts=1)
    with pytest.raises(ConfidentialityError) as info:
        run(writer, SECRET_MESSAGES)
    assert proxy.attempts == []
    assert {h.kind for h in info.value.hits} == {"密级标志", "手机号"}
    assert "messages[1]（user）" in str(info.value) and "13800138000" not in str(info.value)


def test_an_approved_remote_endpoint_may_receive_it(proxy):
    with pytest.raises(ModelUnavailable):  # sent (to the recording proxy, which refuses)
        run(writer_for("http://api.example.invalid/v1", allow_confidential=True), SECRET_MESSAGES)
    assert len(proxy.attempts) == 1


# -- redirects ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["http://localhost:{port}/v1/chat/completions",
                                    "http://127.0.0.1:{port}/v1/chat/completions"])
def test_a_redirect_to_another_host_is_never_followed(fake_server, target):
    with FakeOpenAIServer(default_text="不该到这里") as other:
        location = target.format(port=other.port)
        fake_server.script(Reply.redirect(location, 307), Reply("不会被取走"))
        writer = writer_for(fake_server.base_url, max_attempts=3)
        with pytest.raises(ModelRequestError) as info:
            run(writer, SECRET_MESSAGES)
        assert other.requests == []  # the prompt was not re-posted there
        assert len(fake_server.requests) == 1
        msg = str(info.value)
        assert "重定向" in msg and location in msg
        # The endpoint is stopped: a second call sends nothing anywhere.
        with pytest.raises(ModelRequestError) as again:
            run(writer)
        assert again.value.skipped and len(fake_server.requests) == 1 and other.requests == []


@pytest.mark.parametrize("status", [301, 302, 303, 308])
def test_no_redirect_status_leads_elsewhere(fake_server, status):
    with FakeOpenAIServer(default_text="不该到这里") as other:
        fake_server.script(Reply.redirect(f"{other.base_url}/chat/completions", status))
        with pytest.raises(ModelRequestError):
            run(writer_for(fake_server.base_url))
        assert other.requests == []


def test_a_redirect_within_the_same_endpoint_is_followed(fake_server):
    fake_server.script(Reply.redirect("/chat/completions", 307), Reply("跟随同一端点内的重定向"))
    out = run(writer_for(fake_server.base_url))
    assert out.text == "跟随同一端点内的重定向"
    assert len(fake_server.requests) == 2  # the POST was repeated on the same server


def test_the_recording_proxy_records_tunnels_too():
    with RecordingProxy() as p:
        import socket

        with socket.create_connection(("127.0.0.1", int(p.url.rsplit(":", 1)[1])), timeout=2) as s:
            s.sendall(b"CONNECT api.example.invalid:443 HTTP/1.1\r\nHost: api.example.invalid:443\r\n\r\n")
            assert s.recv(100).startswith(b"HTTP/1.1 502")
        assert p.attempts == ["CONNECT api.example.invalid:443"]
