"""What comes back from the endpoint: malformed 200 replies, replies that echo the
key, and streams that dribble — through the real openai client against
FakeOpenAIServer on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import math

import pytest
from tenacity import wait_fixed

from drafter._errors import InputError, MalformedReply, ModelUnavailable, TruncatedReply
from drafter._llm import Completion, ModelConfig, OpenAIWriter
from drafter._pipeline import Drafter
from drafter.testing import FakeOpenAIServer, Reply

KEY = "sk-echo-Zq81-DO-NOT-LEAK-77c2"
MESSAGES = [{"role": "system", "content": "你是公文写作助手。"}, {"role": "user", "content": "写一段工作总结。"}]
HTML = ("<!DOCTYPE html>\n<html><head><title>Ollama</title></head>"
        "<body><p>Ollama is running</p></body></html>")


def make_writer(srv: FakeOpenAIServer, **kw) -> OpenAIWriter:
    kw.setdefault("timeout", 2.0)
    kw.setdefault("wait", wait_fixed(0.01))
    return OpenAIWriter(ModelConfig(model="fake-model", base_url=srv.base_url, api_key=KEY), **kw)


def run(writer: OpenAIWriter, **kw) -> Completion:
    async def go() -> Completion:
        try:
            return await writer.complete(MESSAGES, **kw)
        finally:
            await writer.aclose()

    return asyncio.run(go())


def completion_body(message) -> dict:
    return {"id": "x", "object": "chat.completion", "created": 0, "model": "fake-model",
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]}


# -- malformed 200 replies ------------------------------------------------------

MALFORMED = [
    pytest.param(Reply(body=HTML, content_type="text/html; charset=utf-8"), "返回的是 HTML 页面（标题“Ollama”），不是 JSON",
                 id="html-page"),
    pytest.param(Reply(body=HTML), "HTML 页面", id="html-labelled-json"),
    pytest.param(Reply(body="{not json"), "不是 JSON（开头为“{not json”）", id="not-json"),
    pytest.param(Reply(body=b""), "空的响应体", id="empty-body"),
    pytest.param(Reply(body=b'{"choices": [{"message": {"content": "\xff\xfe\xfa"}}]}'), "不是 UTF-8", id="bad-utf8"),
    pytest.param(Reply.json([{"message": "hi"}]), "JSON 是数组，不是对象", id="json-array"),
    pytest.param(Reply.json(completion_body({"role": "assistant", "content": 123})),
                 "choices[0].message.content 是数字（123），不是文本", id="content-123"),
    pytest.param(Reply.json(completion_body(None)), "choices[0].message 为 null", id="message-null"),
    pytest.param(Reply.json({"object": "list", "data": []}), "没有 choices 列表（其中的键：object、data）", id="no-choices"),
    pytest.param(Reply.json({"error": {"message": f"upstream failed for {KEY}"}}), "错误信息而不是回复", id="error-in-200"),
]


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
@pytest.mark.parametrize("reply, says", MALFORMED)
def test_a_malformed_200_reply_says_what_came_back(fake_server, reply, says, stream):
    fake_server.script(reply)
    writer = make_writer(fake_server, max_attempts=3)
    with pytest.raises(MalformedReply) as info:
        run(writer, **({"on_delta": lambda s: None} if stream else {}))
    msg = str(info.value)
    assert says in msg
    assert "端点地址可能有误" in msg and "/v1" in msg and fake_server.base_url in msg
    assert KEY not in msg and info.value.__cause__ is None
    assert len(fake_server.requests) == 1  # not transient: never retried
    assert info.value.status_code == 200 and info.value.attempts == 1


@pytest.mark.parametrize(
    "body, says",
    [
        ("data: {not json\n\n", "流式回复中有一段不是 JSON"),
        ('data: {"choices": [{"delta": {"content": 123}}]}\n\n', "delta.content 是数字"),
        ('data: {"choices": [{"delta": {"content": "好"}}]}\n\ndata: [1, 2]\n\n', "JSON 是数组"),
        (b'data: {"choices": [{"delta": {"content": "\xff"}}]}\n\n', "不是 UTF-8"),
    ],
)
def test_a_malformed_stream_says_what_came_back(fake_server, body, says):
    fake_server.script(Reply(body=body, content_type="text/event-stream"))
    with pytest.raises(MalformedReply) as info:
        run(make_writer(fake_server), on_delta=lambda s: None)
    assert says in str(info.value) and "/v1" in str(info.value)
    assert len(fake_server.requests) == 1


def test_a_server_that_ignores_stream_true_is_still_understood(fake_server):
    fake_server.script(Reply.json(completion_body({"role": "assistant", "content": "整段回复"})))
    seen: list[str] = []
    out = run(make_writer(fake_server), on_delta=seen.append)
    assert out.text == "整段回复" and seen == ["整段回复"]


def test_content_as_parts_is_read_as_text(fake_server):
    fake_server.script(Reply.json(completion_body({"role": "assistant",
                                                   "content": [{"type": "text", "text": "一、"}, {"type": "text", "text": "正文"}]})))
    assert run(make_writer(fake_server)).text == "一、正文"


def test_a_malformed_reply_stops_later_calls_without_sending(fake_server):
    fake_server.script(Reply(body=HTML, content_type="text/html"))
    writer = make_writer(fake_server)
    with pytest.raises(MalformedReply):
        run(writer)
    fake_server.script(Reply("不会被取走"))
    with pytest.raises(MalformedReply) as info:
        run(writer)
    assert info.value.skipped and info.value.attempts == 0
    assert len(fake_server.requests) == 1 and fake_server.pending == 1


def test_a_malformed_reply_through_drafter_is_not_an_internal_error(fake_server):
    from test_pipeline_model import make_spec

    spec = make_spec(5)
    fake_server.handler = lambda body: Reply(body=HTML, content_type="text/html")
    d = Drafter(model="fake-model", base_url=fake_server.base_url, api_key=KEY, concurrency=1)
    with pytest.raises(MalformedReply) as info:
        d.draft(spec)
    assert not info.value.skipped  # the error the user sees is the one that happened
    assert len(fake_server.requests) == 1  # the four other sections were never sent
    assert {p.id for p in info.value.draft.parts} == {"opening", "closing"}


# -- the key echoed back ---------------------------------------------------------


def test_a_reply_echoing_the_key_is_scrubbed(fake_server):
    fake_server.script(Reply(f"全年排查矛盾纠纷2316件。密钥是{KEY}，再说一遍：{KEY}。", model=KEY))
    out = run(make_writer(fake_server))
    assert KEY not in out.text and KEY not in out.model
    assert out.text == "全年排查矛盾纠纷2316件。密钥是***，再说一遍：***。"


@pytest.mark.parametrize("cuts", [(3,), (1, 2, 3), tuple(range(1, len(KEY))), (10, 20)])
def test_a_streamed_echo_split_across_chunks_never_reaches_on_delta(fake_server, cuts):
    text = f"正文{KEY}结束"
    edges = [0, *(2 + c for c in cuts), len(text)]
    chunks = [text[a:b] for a, b in zip(edges, edges[1:])]
    fake_server.script(Reply(chunks=chunks))
    seen: list[str] = []
    out = run(make_writer(fake_server), on_delta=seen.append)
    assert "".join(seen) == out.text == "正文***结束"
    assert all(KEY not in piece for piece in seen)
    for n in range(6, len(KEY) + 1):  # no run of pieces rebuilds more than a short prefix
        assert KEY[:n] not in "".join(seen)


def test_a_truncated_echo_keeps_no_key_in_the_partial_text(fake_server):
    fake_server.script(Reply(f"一、坚持以{KEY}", finish_reason="length", chunk_size=3))
    seen: list[str] = []
    with pytest.raises(TruncatedReply) as info:
        run(make_writer(fake_server), on_delta=seen.append)
    assert KEY not in info.value.completion.text and KEY not in "".join(seen)


def test_a_short_placeholder_key_does_not_mangle_the_text(fake_server):
    fake_server.script(Reply("全年新发刑事案件xx起，同比下降x.x%。"))
    writer = OpenAIWriter(ModelConfig(model="fake-model", base_url=fake_server.base_url, api_key="x"))
    assert run(writer).text == "全年新发刑事案件xx起，同比下降x.x%。"


# -- the timeout bounds the whole call ---------------------------------------------


def test_timeout_bounds_a_dribbling_stream(fake_server):
    """Each chunk arrives well within the timeout, but the whole stream would not."""
    text = "甲" * 200
    fake_server.script(Reply(text, chunk_size=1, chunk_delay=0.02))  # 4 s in all
    seen: list[str] = []
    with pytest.raises(ModelUnavailable) as info:
        run(make_writer(fake_server, timeout=0.3, max_attempts=1), on_delta=seen.append)
    assert "超时" in str(info.value) and "0.3 秒" in str(info.value)
    assert len("".join(seen)) < len(text)  # cut midway, not read to the end
    assert len(fake_server.requests) == 1


def test_timeout_bounds_a_slow_plain_reply(fake_server):
    fake_server.script(Reply("迟到", delay=3), Reply("及时"))
    out = run(make_writer(fake_server, timeout=0.3, max_attempts=2))
    assert out.text == "及时" and out.attempts == 2


@pytest.mark.parametrize("bad", [0, -5, math.nan, math.inf, -math.inf])
def test_odd_timeouts_are_refused(bad):
    config = ModelConfig(model="m", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(InputError) as info:
        OpenAIWriter(config, timeout=bad)
    assert "超时时间" in str(info.value)
    with pytest.raises(InputError):
        Drafter(model="m", base_url="http://127.0.0.1:9/v1", timeout=bad)


def test_the_fake_server_sends_raw_bodies_as_given(fake_server):
    import urllib.request

    fake_server.script(Reply(body=b"\x00\xffraw", content_type="application/octet-stream", status=201))
    req = urllib.request.Request(fake_server.base_url + "/chat/completions", data=json.dumps({}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=2) as resp:
        assert resp.status == 201 and resp.read() == b"\x00\xffraw"
        assert resp.headers["Content-Type"] == "application/octet-stream"
