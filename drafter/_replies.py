"""What a 200 reply from a chat-completions endpoint must look like.

A completion is a JSON object whose ``choices[0].message.content`` is text (or null,
with a finish reason such as content_filter); a streamed reply is Server-Sent Events
whose data are chunk objects with ``choices[i].delta.content`` text, ended by
``[DONE]``. The SDK's own parsing accepts almost anything (an HTML page comes back as a
str, ``content: 123`` as a number), which used to end in an internal error; here every
other shape raises :class:`Malformed` with a Chinese description of what came back
("返回的是 HTML 页面（标题“…”），不是 JSON"), which the writer turns into
:class:`~drafter._errors.MalformedReply`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, AsyncIterator

__all__ = ["Malformed", "Reply", "parse_chunk", "parse_completion", "sse_data"]

_EXCERPT = 40


class Malformed(Exception):
    """A reply that is not a chat completion. ``what`` says what came back (Chinese)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class Reply:
    """The parts of a completion drafter uses."""

    text: str
    model: str | None
    finish_reason: str | None


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list):
        return "数组"
    return "对象"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Malformed("返回的内容不是 UTF-8 文本") from None


def _load(body: bytes, content_type: str | None) -> Any:
    if not body.strip():
        raise Malformed("返回了空的响应体")
    text = _decode(body)
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")) or "html" in (content_type or "").lower():
        m = re.search(r"<title[^>]*>(.*?)</title>", text, flags=re.S | re.I)
        title = f"（标题“{_short(m.group(1))}”）" if m and m.group(1).strip() else ""
        raise Malformed(f"返回的是 HTML 页面{title}，不是 JSON")
    try:
        return json.loads(text)
    except ValueError:
        raise Malformed(f"返回的内容不是 JSON（开头为“{_short(text)}”）") from None


def _text_of(content: Any, where: str) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(p, dict) and isinstance(p.get("text", ""), str) for p in content):
        return "".join(p.get("text", "") for p in content)  # content given as parts
    raise Malformed(f"{where} 是{_type_name(content)}（{_short(json.dumps(content, ensure_ascii=False))}），不是文本")


def _choices(obj: Any) -> list[Any]:
    if not isinstance(obj, dict):
        raise Malformed(f"返回的 JSON 是{_type_name(obj)}，不是对象")
    if "error" in obj and "choices" not in obj:
        err = obj["error"]
        msg = err.get("message") if isinstance(err, dict) else err
        raise Malformed(f"返回的是错误信息而不是回复（“{_short(str(msg))}”）")
    choices = obj.get("choices")
    if not isinstance(choices, list):
        keys = "、".join(list(map(str, obj))[:8]) or "无"
        raise Malformed(f"返回的 JSON 中没有 choices 列表（其中的键：{keys}）")
    return choices


def _model(obj: dict) -> str | None:
    model = obj.get("model")
    return model if isinstance(model, str) and model else None


def _finish(choice: dict) -> str | None:
    finish = choice.get("finish_reason")
    return finish if isinstance(finish, str) and finish else None


def parse_completion(body: bytes, content_type: str | None) -> Reply:
    """The completion in a (non-streamed) 200 body, or :class:`Malformed`. No choices
    at all gives empty text (the writer then reports an empty reply)."""
    obj = _load(body, content_type)
    choices = _choices(obj)
    if not choices:
        return Reply("", _model(obj), None)
    choice = choices[0]
    if not isinstance(choice, dict):
        raise Malformed(f"choices[0] 是{_type_name(choice)}，不是对象")
    if "message" not in choice:
        raise Malformed("choices[0] 中没有 message")
    message = choice["message"]
    if message is None:
        raise Malformed("choices[0].message 为 null，没有回复内容")
    if not isinstance(message, dict):
        raise Malformed(f"choices[0].message 是{_type_name(message)}，不是对象")
    text = _text_of(message.get("content"), "choices[0].message.content")
    return Reply(text, _model(obj), _finish(choice))


def parse_chunk(data: str) -> tuple[list[str], str | None, str | None]:
    """(text pieces, model, finish reason) of one streamed chunk, or :class:`Malformed`."""
    try:
        obj = json.loads(data)
    except ValueError:
        raise Malformed(f"流式回复中有一段不是 JSON（“{_short(data)}”）") from None
    pieces: list[str] = []
    finish: str | None = None
    for i, choice in enumerate(_choices(obj)):
        if not isinstance(choice, dict):
            raise Malformed(f"流式回复的 choices[{i}] 是{_type_name(choice)}，不是对象")
        delta = choice.get("delta")
        if delta is not None and not isinstance(delta, dict):
            raise Malformed(f"流式回复的 choices[{i}].delta 是{_type_name(delta)}，不是对象")
        piece = _text_of((delta or {}).get("content"), f"流式回复的 choices[{i}].delta.content")
        if piece:
            pieces.append(piece)
        finish = _finish(choice) or finish
    return pieces, _model(obj), finish


async def sse_data(chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    """The data of each Server-Sent Event in a byte stream, up to ``[DONE]``.

    Lines are decoded strictly as UTF-8 (:class:`Malformed` otherwise); ``data:``
    lines of one event are joined with newlines; comments and other fields are skipped.
    """
    buffer = b""
    data: list[str] = []

    def line_of(raw: bytes) -> str:
        try:
            return raw.rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("流式回复的内容不是 UTF-8 文本") from None

    async for chunk in chunks:
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for raw in lines:
            line = line_of(raw)
            if line == "":
                if data:
                    event, data = "\n".join(data), []
                    if event.strip() == "[DONE]":
                        return
                    yield event
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
    if buffer.strip():
        line = line_of(buffer)
        if line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        event = "\n".join(data)
        if event.strip() != "[DONE]":
            yield event
