"""OpenAIWriter against a real local HTTP server, through the real openai client."""

from __future__ import annotations

import asyncio
import email.utils
import json
import subprocess
import sys
import time
import traceback
import urllib.request

import pytest
from tenacity import wait_fixed

from drafter._errors import (
    EmptyReply,
    ModelAuthError,
    ModelRequestError,
    ModelUnavailable,
    ReplyRejected,
    TruncatedReply,
)
from drafter._llm import (
    Completion,
    ModelConfig,
    OpenAIWriter,
    RetryNotice,
    _retry_after,
    clean_reply,
    resolve_model_config,
)
from drafter.testing import FakeOpenAIServer, Reply

KEY = "sk-secret-DO-NOT-LEAK-123"
MESSAGES = [
    {"role": "system", "content": "你是公文写作助手。"},
    {"role": "user", "content": "写一段工作总结。"},
]


def make_writer(srv: FakeOpenAIServer, *, api_key: str | None = KEY, **kw) -> OpenAIWriter:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("wait", wait_fixed(0.01))
    return OpenAIWriter(ModelConfig(model="fake-model", base_url=srv.base_url, api_key=api_key), **kw)


def run(writer: OpenAIWriter, messages=MESSAGES, **kw) -> Completion:
    async def go() -> Completion:
        try:
            return await writer.complete(messages, **kw)
        finally:
            await writer.aclose()

    return asyncio.run(go())


def assert_no_key(exc: BaseException) -> None:
    assert KEY not in str(exc)
    assert KEY not in repr(exc)
    assert KEY not in "".join(traceback.format_exception(exc))


# -- success --------------------------------------------------------------------


def test_plain_completion(fake_server):
    fake_server.script(Reply("全年新发刑事案件312起，同比下降8.2%。"))
    writer = make_writer(fake_server)
    out = run(writer)
    assert out == Completion(text="全年新发刑事案件312起，同比下降8.2%。", model="fake-model", finish_reason="stop", attempts=1)
    [body] = fake_server.requests
    assert body["model"] == "fake-model"
    assert body["messages"] == MESSAGES
    assert body["temperature"] == 0.3
    assert "max_tokens" not in body and "stream" not in body


def test_options_reach_the_request_and_messages_are_not_mutated(fake_server):
    fake_server.script(Reply("好"))
    messages = [dict(m) for m in MESSAGES]
    snapshot = json.dumps(messages, ensure_ascii=False)
    run(make_writer(fake_server, temperature=None, max_tokens=512), messages)
    [body] = fake_server.requests
    assert "temperature" not in body
    assert body["max_tokens"] == 512
    assert json.dumps(messages, ensure_ascii=False) == snapshot


def test_keyless_local_server_works(fake_server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fake_server.script(Reply("离线端点也能用"))
    assert run(make_writer(fake_server, api_key=None)).text == "离线端点也能用"


def test_key_is_sent_as_bearer():
    with FakeOpenAIServer(require_key=KEY) as srv:
        srv.script(Reply("ok"))
        assert run(make_writer(srv)).text == "ok"


def test_code_fence_and_think_block_are_stripped(fake_server):
    fake_server.script(Reply("```markdown\n一、坚持以党建为引领\n正文。\n```"), Reply("<think>先想一想</think>\n正文"))
    writer = make_writer(fake_server)
    assert run(writer).text == "一、坚持以党建为引领\n正文。"
    assert run(writer).text == "正文"


def test_clean_reply_leaves_inner_fences_alone():
    text = "前言\n```\n代码\n```\n后记"
    assert clean_reply(text) == text


def test_writer_survives_successive_event_loops(fake_server):
    fake_server.script(Reply("一"), Reply("二"))
    writer = make_writer(fake_server)
    assert asyncio.run(writer.complete(MESSAGES)).text == "一"
    assert asyncio.run(writer.complete(MESSAGES)).text == "二"  # the first loop is closed by now


# -- retried faults -------------------------------------------------------------


def test_429_honours_retry_after(fake_server):
    fake_server.script(Reply(status=429, headers={"Retry-After": "0.3"}), Reply("限流之后"))
    notices: list[RetryNotice] = []
    # The fallback backoff is zero: any wait observed comes from Retry-After.
    out = run(make_writer(fake_server, wait=wait_fixed(0)), on_retry=notices.append)
    assert out.text == "限流之后" and out.attempts == 2
    assert len(fake_server.requests) == 2
    t1, t2 = fake_server.request_times
    assert t2 - t1 >= 0.3
    [notice] = notices
    assert notice.attempt == 1 and notice.wait == pytest.approx(0.3) and "429" in notice.reason


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_beyond_the_budget_fails_fast(fake_server, status):
    """Retry-After longer than the budget left: give up at once, never sleep it away."""
    fake_server.script(*[Reply(status=status, headers={"Retry-After": "3600"}) for _ in range(3)])
    notices: list[RetryNotice] = []
    writer = make_writer(fake_server, max_retry_seconds=90, max_attempts=5)
    with pytest.raises(ModelUnavailable) as info:
        run(writer, on_retry=notices.append)
    assert len(fake_server.requests) == 1 and notices == []  # no second request, no sleep
    msg = str(info.value)
    assert str(status) in msg and "3600 秒" in msg and "重试时限" in msg and "未再等待" in msg
    assert info.value.attempts == 1 and info.value.status_code == status


def test_retry_after_header_forms():
    class R:
        def __init__(self, **h):
            self.headers = {k.lower(): v for k, v in h.items()}

    assert _retry_after(R(**{"Retry-After": "2"})) == 2.0
    assert _retry_after(R(**{"retry-after-ms": "250"})) == 0.25
    future = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= _retry_after(R(**{"Retry-After": future})) <= 10
    assert _retry_after(R(**{"Retry-After": "soon"})) is None
    assert _retry_after(R()) is None
    assert _retry_after(None) is None


def test_500_twice_then_success(fake_server):
    fake_server.script(Reply(status=500), Reply(status=502), Reply("第三次成功"))
    out = run(make_writer(fake_server))
    assert out.text == "第三次成功" and out.attempts == 3
    assert len(fake_server.requests) == 3


def test_timeout_then_success(fake_server):
    fake_server.script(Reply("太迟了", delay=1.5), Reply("及时"))
    out = run(make_writer(fake_server, timeout=0.3))
    assert out.text == "及时" and out.attempts == 2
    assert len(fake_server.requests) == 2
    assert fake_server.max_in_flight == 2  # the retry came while the slow reply was still pending


def test_dropped_connection_then_success(fake_server):
    fake_server.script(Reply(drop=True), Reply("重连成功"))
    out = run(make_writer(fake_server))
    assert out.text == "重连成功" and out.attempts == 2
    assert len(fake_server.requests) == 2


def test_persistent_503_gives_up_after_max_attempts(fake_server):
    fake_server.handler = lambda body: Reply(status=503, error="overloaded")
    with pytest.raises(ModelUnavailable) as info:
        run(make_writer(fake_server, max_attempts=3))
    assert len(fake_server.requests) == 3
    msg = str(info.value)
    assert "3 次" in msg and "503" in msg and "fake-model" in msg
    assert info.value.attempts == 3
    assert_no_key(info.value)


def test_default_backoff_is_exponential_with_jitter_and_bounded(fake_server):
    # No wait override: the real default strategy, kept short by a tiny time budget.
    fake_server.handler = lambda body: Reply(status=500)
    writer = OpenAIWriter(
        ModelConfig(model="fake-model", base_url=fake_server.base_url, api_key=KEY),
        max_attempts=10,
        max_retry_seconds=0.5,
    )
    with pytest.raises(ModelUnavailable):
        run(writer)
    assert 2 <= len(fake_server.requests) < 10  # the time budget, not the attempts, ended it


# -- faults that are never retried ---------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_auth_error_is_immediate_and_never_shows_the_key(fake_server, status):
    fake_server.script(Reply(status=status, error=f"Incorrect API key provided: {KEY}"))
    writer = make_writer(fake_server)
    with pytest.raises(ModelAuthError) as info:
        run(writer)
    assert len(fake_server.requests) == 1
    assert "OPENAI_API_KEY" in str(info.value)
    assert info.value.status_code == status
    assert_no_key(info.value)
    assert KEY not in repr(writer) and KEY not in repr(writer.config) and KEY not in str(writer.config)


@pytest.mark.parametrize("status", [400, 404, 422])
def test_request_error_is_immediate_and_names_model_and_url(fake_server, status):
    fake_server.script(Reply(status=status, error=f"model 'fake-model' does not exist (key {KEY})"))
    with pytest.raises(ModelRequestError) as info:
        run(make_writer(fake_server))
    assert len(fake_server.requests) == 1
    msg = str(info.value)
    assert f"HTTP {status}" in msg and "fake-model" in msg and fake_server.base_url in msg
    assert "does not exist" in msg  # the server's reason is quoted, scrubbed of the key
    assert_no_key(info.value)


def test_truncated_reply_is_not_retried_and_keeps_the_partial_text(fake_server):
    fake_server.script(Reply("一、坚持以", finish_reason="length"))
    with pytest.raises(TruncatedReply) as info:
        run(make_writer(fake_server))
    assert len(fake_server.requests) == 1
    assert info.value.completion.text == "一、坚持以"
    assert "截断" in str(info.value)


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_reply_is_not_retried(fake_server, text):
    fake_server.script(Reply(text))
    with pytest.raises(EmptyReply):
        run(make_writer(fake_server))
    assert len(fake_server.requests) == 1


def test_content_filter_is_rejected(fake_server):
    fake_server.script(Reply("", finish_reason="content_filter"))
    with pytest.raises(ReplyRejected) as info:
        run(make_writer(fake_server))
    assert type(info.value) is ReplyRejected


# -- streaming -------------------------------------------------------------------


def test_streaming_delivers_deltas_in_order(fake_server):
    chunks = ["一、坚持以", "政法队伍教育整顿", "为牵引，", "推动作风素能大提升"]
    fake_server.script(Reply(chunks=chunks))
    seen: list[str] = []
    out = run(make_writer(fake_server), on_delta=seen.append)
    assert seen == chunks
    assert out.text == "".join(chunks) and out.finish_reason == "stop" and out.attempts == 1
    assert fake_server.requests[0]["stream"] is True


def test_streaming_truncation_is_reported(fake_server):
    fake_server.script(Reply("半句话", finish_reason="length"))
    seen: list[str] = []
    with pytest.raises(TruncatedReply) as info:
        run(make_writer(fake_server), on_delta=seen.append)
    assert "".join(seen) == "半句话" == info.value.completion.text


def test_stream_broken_midway_is_retried_from_scratch(fake_server):
    fake_server.script(Reply("甲乙丙丁戊己", chunk_size=1, drop_after=2), Reply("完整的回复", chunk_size=2))
    seen: list[str] = []
    notices: list[RetryNotice] = []
    out = run(make_writer(fake_server), on_delta=seen.append, on_retry=notices.append)
    assert out.text == "完整的回复" and out.attempts == 2
    assert "".join(seen) == "甲乙" + "完整的回复"  # deltas of the failed attempt came first
    assert len(notices) == 1


def test_streaming_errors_are_classified_like_plain_ones(fake_server):
    fake_server.script(Reply(status=429, headers={"Retry-After": "0.05"}), Reply("好"))
    assert run(make_writer(fake_server), on_delta=lambda s: None).attempts == 2
    fake_server.script(Reply(status=401))
    with pytest.raises(ModelAuthError):
        run(make_writer(fake_server), on_delta=lambda s: None)


# -- configuration ---------------------------------------------------------------


def test_resolve_model_config_precedence():
    env = {"DRAFTER_MODEL": "env-model", "OPENAI_BASE_URL": "http://env/v1", "OPENAI_API_KEY": "env-key"}
    assert resolve_model_config(env=env) == ModelConfig("env-model", "http://env/v1", "env-key")
    assert resolve_model_config("m", "http://x/v1", "k", env=env) == ModelConfig("m", "http://x/v1", "k")
    assert resolve_model_config(model="m", env=env) == ModelConfig("m", "http://env/v1", "env-key")
    assert resolve_model_config(env={}) is None
    assert resolve_model_config(base_url="http://x/v1", api_key="k", env={}) is None
    assert resolve_model_config(model="  ", env={"DRAFTER_MODEL": ""}) is None
    assert resolve_model_config(model="", env=env).model == "env-model"
    assert resolve_model_config(model="m", env={}) == ModelConfig("m", None, None)


def test_config_and_writer_repr_hide_the_key():
    cfg = ModelConfig(model="deepseek-chat", base_url="https://user:pw@api.example.com/v1?token=t", api_key=KEY)
    writer = OpenAIWriter(cfg)
    for text in (repr(cfg), str(cfg), repr(writer)):
        assert KEY not in text and "pw" not in text and "token" not in text
    assert "***" in repr(cfg)
    assert writer.name == "deepseek-chat"


def test_importing_the_writer_does_not_import_openai():
    code = "import sys, drafter._llm, drafter._guard, drafter.testing; print('openai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- the fake server itself ------------------------------------------------------


def test_fake_server_models_and_exhausted_script(fake_server):
    with urllib.request.urlopen(fake_server.base_url + "/models", timeout=2) as resp:
        data = json.load(resp)
    assert data["data"][0]["id"] == "fake-model"
    with pytest.raises(ModelRequestError) as info:
        run(make_writer(fake_server))
    assert "script ran out" in str(info.value)


def test_fake_server_handler_and_default_text():
    with FakeOpenAIServer(default_text="默认回复") as srv:
        assert run(make_writer(srv)).text == "默认回复"
        srv.handler = lambda body: "回声：" + body["messages"][-1]["content"]
        assert run(make_writer(srv)).text == "回声：写一段工作总结。"
        assert len(srv.requests) == 2


def test_fake_server_stops_promptly_with_open_connections():
    srv = FakeOpenAIServer().start()
    base_url = srv.base_url
    srv.script(Reply("快"), Reply("慢", delay=30))

    async def go():
        import openai

        client = openai.AsyncOpenAI(base_url=base_url, api_key="x", max_retries=0, timeout=60)
        await client.chat.completions.create(model="m", messages=MESSAGES)  # leaves a keep-alive connection
        slow = asyncio.create_task(client.chat.completions.create(model="m", messages=MESSAGES))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await asyncio.to_thread(srv.stop)
        stopped_in = time.monotonic() - started
        with pytest.raises(openai.APIConnectionError):
            await slow  # the in-flight request is cut, not answered after 30 s
        await client.close()
        return stopped_in

    assert asyncio.run(go()) < 1.5


def test_an_error_in_on_delta_propagates_unretried(fake_server):
    fake_server.script(Reply("一二三四五六七八", chunk_size=2))

    def boom(piece: str) -> None:
        raise RuntimeError("display failed")

    with pytest.raises(RuntimeError, match="display failed"):
        run(make_writer(fake_server), on_delta=boom)
    assert len(fake_server.requests) == 1
