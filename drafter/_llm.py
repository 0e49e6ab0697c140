"""The model writer: one chat completion against any OpenAI-compatible endpoint.

:class:`OpenAIWriter` sends a list of chat messages and returns a :class:`Completion`,
or raises one error of the ``ModelError`` family (see :mod:`drafter._errors`):

==========================================  ======================  =============
fault                                       error                   retried
==========================================  ======================  =============
429, 5xx, timeout, dropped connection       ModelUnavailable        yes, bounded
401 / 403                                   ModelAuthError          never
other 4xx (400, 404, 422, …)                ModelRequestError       never
finish_reason "length"                      TruncatedReply          never
finish_reason "content_filter"              ReplyRejected           never
no text                                     EmptyReply              never
==========================================  ======================  =============

Retries: at most ``max_attempts`` HTTP attempts (the first one included) and at most
``max_retry_seconds`` from the first attempt. Between attempts the writer waits what
the server asks for in ``Retry-After`` / ``retry-after-ms`` (seconds or an HTTP date,
capped by the time left in the budget), else exponential backoff with jitter.
A reply that is rejected (truncated, empty) is not retried here: the caller decides,
and finds the partial reply on the exception's ``completion`` attribute.

The API key never appears in a message, a repr or a log line: messages name the model
and the base URL (with any user:password part removed), and text the server sends back
is scrubbed of the key before it is quoted.

``openai`` is imported lazily, on the first request, so commands that never call a
model (``drafter check``) do not pay for importing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import math
import os
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AsyncGenerator, Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

from ._errors import (
    EmptyReply,
    ModelAuthError,
    ModelError,
    ModelRequestError,
    ModelUnavailable,
    ReplyRejected,
    TruncatedReply,
)

if TYPE_CHECKING:
    from tenacity import RetryCallState

__all__ = [
    "Completion",
    "ModelConfig",
    "OpenAIWriter",
    "RetryNotice",
    "resolve_model_config",
]

ENV_MODEL = "DRAFTER_MODEL"
ENV_BASE_URL = "OPENAI_BASE_URL"
ENV_API_KEY = "OPENAI_API_KEY"

#: Sent when no key is configured: keyless local servers (Ollama, vLLM, llama.cpp)
#: accept anything, and the SDK refuses to start without some key.
PLACEHOLDER_KEY = "sk-no-key-required"


@dataclass(frozen=True)
class ModelConfig:
    """Which endpoint and model to call. ``repr`` never shows the key."""

    model: str
    base_url: str | None = None
    api_key: str | None = None

    def __repr__(self) -> str:
        key = "None" if self.api_key is None else "'***'"
        url = None if self.base_url is None else _safe_url(self.base_url)
        return f"ModelConfig(model={self.model!r}, base_url={url!r}, api_key={key})"

    __str__ = __repr__

    @property
    def endpoint(self) -> str:
        """The base URL as it may be shown to a user (no credentials)."""
        return _safe_url(self.base_url) if self.base_url else "OpenAI 默认端点"


def resolve_model_config(
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    env: Mapping[str, str] = os.environ,
) -> ModelConfig | None:
    """The model configuration from explicit arguments, then the environment.

    Explicit (non-empty) arguments win over ``DRAFTER_MODEL``, ``OPENAI_BASE_URL`` and
    ``OPENAI_API_KEY``. Returns None when no model name is configured anywhere: drafter
    then writes with its offline composer.
    """

    def pick(value: str | None, var: str) -> str | None:
        for candidate in (value, env.get(var)):
            if candidate is not None and candidate.strip():
                return candidate.strip()
        return None

    name = pick(model, ENV_MODEL)
    if name is None:
        return None
    return ModelConfig(model=name, base_url=pick(base_url, ENV_BASE_URL), api_key=pick(api_key, ENV_API_KEY))


@dataclass(frozen=True)
class Completion:
    """One accepted reply: its text, the model that wrote it, and how many HTTP attempts it took."""

    text: str
    model: str
    finish_reason: str | None
    attempts: int


@dataclass(frozen=True)
class RetryNotice:
    """Given to ``on_retry`` before the writer sleeps and tries again.

    ``attempt`` is the attempt that failed (1-based), ``reason`` a short Chinese
    description (e.g. "限流（HTTP 429）"), ``wait`` the seconds about to be slept.
    When a stream broke midway, text already passed to ``on_delta`` belongs to the
    failed attempt: the next attempt starts over.
    """

    attempt: int
    reason: str
    wait: float


Wait = Callable[["RetryCallState"], float]


class _Transient(Exception):
    """Internal wrapper: a fault worth retrying, with a Chinese reason and Retry-After."""

    def __init__(self, reason: str, retry_after: float | None, cause: BaseException):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.cause = cause


class OpenAIWriter:
    """Writes with a chat-completions endpoint through the ``openai`` SDK.

    ``wait`` replaces the backoff used when the server sends no ``Retry-After``
    (any tenacity wait strategy, or a callable of the retry state returning seconds);
    tests pass e.g. ``wait_fixed(0.01)``.
    """

    def __init__(
        self,
        config: ModelConfig,
        *,
        timeout: float = 60.0,
        max_attempts: int = 4,
        max_retry_seconds: float = 90.0,
        temperature: float | None = 0.3,
        max_tokens: int | None = None,
        wait: Wait | None = None,
    ):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.config = config
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.max_retry_seconds = max_retry_seconds
        self.temperature = temperature
        self.max_tokens = max_tokens
        self._wait = wait
        self._client: Any = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._closer: AsyncGenerator[None, None] | None = None

    @property
    def name(self) -> str:
        return self.config.model

    def __repr__(self) -> str:
        return f"OpenAIWriter(model={self.config.model!r}, base_url={self.config.endpoint!r})"

    # -- client --
    async def _ensure_client(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._client is not None and self._client_loop is not loop:
            # Made in an event loop that has ended without closing it: unusable here.
            self._client = self._closer = None
        if self._client is None:
            import openai  # lazy: `drafter check` never imports the SDK

            client = openai.AsyncOpenAI(
                base_url=self.config.base_url,
                api_key=self.config.api_key or PLACEHOLDER_KEY,
                max_retries=0,
                timeout=self.timeout,
            )
            # The client lives as long as its event loop: ``asyncio.run`` finalizes
            # pending async generators before it closes the loop, and this one closes
            # the client then. So a sync wrapper that calls ``asyncio.run`` per request
            # leaks no connections even when it never calls ``aclose()``.
            closer = self._close_with_loop(client)
            await closer.__anext__()
            self._client, self._client_loop, self._closer = client, loop, closer
        return self._client

    async def _close_with_loop(self, client: Any) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            if self._client is client:
                self._client = self._client_loop = self._closer = None
            with contextlib.suppress(Exception):
                await client.close()

    async def aclose(self) -> None:
        """Close the HTTP connections (the writer can still be used afterwards)."""
        closer = self._closer
        if closer is not None and self._client_loop is asyncio.get_running_loop():
            await closer.aclose()
        self._client = self._client_loop = self._closer = None

    async def __aenter__(self) -> "OpenAIWriter":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- the call --
    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        on_delta: Callable[[str], None] | None = None,
        on_retry: Callable[[RetryNotice], None] | None = None,
    ) -> Completion:
        """One completion of ``messages`` (never mutated).

        With ``on_delta`` the reply is streamed and each text delta is passed to it as
        it arrives; the returned :class:`Completion` holds the whole text.
        """
        from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, stop_after_delay

        payload = [dict(m) for m in messages]
        attempts = 0
        started = time.monotonic()

        def before_sleep(rs: "RetryCallState") -> None:
            if on_retry is not None and rs.outcome is not None:
                exc = rs.outcome.exception()
                reason = exc.reason if isinstance(exc, _Transient) else type(exc).__name__
                on_retry(RetryNotice(attempt=rs.attempt_number, reason=reason, wait=rs.upcoming_sleep))

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Transient),
            stop=stop_after_attempt(self.max_attempts) | stop_after_delay(self.max_retry_seconds),
            wait=self._wait_strategy(),
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    reply = await self._attempt(payload, on_delta)
        except _Transient as exc:
            elapsed = time.monotonic() - started
            err = ModelUnavailable(
                f"模型端点暂时不可用：共尝试 {attempts} 次、历时 {elapsed:.1f} 秒仍失败，"
                f"最后一次为{exc.reason}（模型 {self.config.model}，端点 {self.config.endpoint}）。"
                "请稍后重试，或不配置模型、改用离线撰写。"
            )
            err.attempts = attempts  # type: ignore[attr-defined]
            raise err from (exc.cause if _safe_to_chain(exc.cause) else None)
        return self._accept(reply, attempts)

    async def _attempt(self, messages: list[dict[str, str]], on_delta: Callable[[str], None] | None) -> tuple[str, str, str | None]:
        """One HTTP attempt: (text, model, finish_reason). Transient faults → _Transient."""
        client = await self._ensure_client()
        kwargs: dict[str, Any] = {"model": self.config.model, "messages": messages}
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        if self.max_tokens is not None:
            kwargs["max_tokens"] = self.max_tokens
        try:
            if on_delta is None:
                resp = await client.chat.completions.create(**kwargs)
                if not resp.choices:
                    return "", resp.model or self.config.model, None
                choice = resp.choices[0]
                return choice.message.content or "", resp.model or self.config.model, choice.finish_reason
            parts: list[str] = []
            model = self.config.model
            finish: str | None = None
            stream = await client.chat.completions.create(stream=True, **kwargs)
            try:
                async for chunk in stream:
                    model = getattr(chunk, "model", None) or model
                    for choice in chunk.choices or []:
                        piece = choice.delta.content if choice.delta is not None else None
                        if piece:
                            parts.append(piece)
                            on_delta(piece)
                        if choice.finish_reason:
                            finish = choice.finish_reason
            finally:
                with contextlib.suppress(Exception):
                    await stream.close()  # never leave a half-read response on the pool
            return "".join(parts), model, finish
        except Exception as exc:  # noqa: BLE001 - classified below, re-raised as drafter errors
            err = self._classify(exc)
            if err is exc:
                raise  # not the SDK's: e.g. the caller's on_delta raised
            if isinstance(err, _Transient):
                raise err from exc
            # A server's error text may quote (part of) the key: never chain it.
            raise err from (exc if _safe_to_chain(exc) else None)

    # -- errors --
    def _classify(self, exc: BaseException) -> BaseException:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return _Transient(f"请求超时（超过 {self.timeout:g} 秒）", None, exc)
        if isinstance(exc, openai.APIConnectionError) or _is_transport_error(exc):
            return _Transient("连接失败或连接被中断", None, exc)
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            retry_after = _retry_after(getattr(exc, "response", None))
            if status == 429:
                return _Transient("限流（HTTP 429）", retry_after, exc)
            if status >= 500:
                return _Transient(f"服务端错误（HTTP {status}）", retry_after, exc)
            if status in (401, 403):
                hint = "未设置 OPENAI_API_KEY" if not self.config.api_key else "请检查 OPENAI_API_KEY 是否正确"
                err: ModelError = ModelAuthError(
                    f"模型端点拒绝了身份验证（HTTP {status}）：{hint}，并确认该密钥有权使用模型 "
                    f"{self.config.model}（端点 {self.config.endpoint}）。"
                )
            else:
                detail = self._server_message(exc)
                err = ModelRequestError(
                    f"模型端点拒绝了请求（HTTP {status}）{('：' + detail) if detail else ''}。"
                    f"请检查模型名 {self.config.model!r} 与端点地址 {self.config.endpoint} 是否正确"
                    "（OpenAI 兼容端点通常以 /v1 结尾）。"
                )
            err.status_code = status  # type: ignore[attr-defined]
            err.attempts = 1  # type: ignore[attr-defined]
            return err
        if isinstance(exc, openai.OpenAIError):
            return ModelRequestError(
                f"调用模型失败：{self._scrub(str(exc))[:200]}（模型 {self.config.model}，端点 {self.config.endpoint}）。"
            )
        return exc

    def _server_message(self, exc: Any) -> str:
        body = getattr(exc, "body", None)
        msg: Any = None
        if isinstance(body, dict):
            inner = body.get("error", body)
            msg = inner.get("message") if isinstance(inner, dict) else inner
        if not msg:
            msg = getattr(exc, "message", "") or ""
        text = " ".join(str(msg).split())
        return self._scrub(text)[:200]

    def _scrub(self, text: str) -> str:
        key = self.config.api_key
        if key:
            text = text.replace(key, "***")
        # OpenAI echoes a partly masked key ("sk-abc***xyz"): drop any key-looking token.
        return re.sub(r"\b(sk|key)-[A-Za-z0-9_*\-]{4,}", "***", text)

    # -- accepting a reply --
    def _accept(self, reply: tuple[str, str, str | None], attempts: int) -> Completion:
        raw, model, finish = reply
        completion = Completion(text=clean_reply(raw), model=model, finish_reason=finish, attempts=attempts)
        err: ReplyRejected | None = None
        if finish == "length":
            err = TruncatedReply(
                f"模型回复因长度上限被截断（finish_reason=length，已得 {len(completion.text)} 字）："
                "可调大 max_tokens，或将该部分的事实拆分后重新生成。"
            )
        elif finish == "content_filter":
            err = ReplyRejected(f"模型回复被端点的内容过滤拦截（模型 {model}）：该部分未能生成，可改用离线撰写或人工撰写。")
        elif not completion.text.strip():
            err = EmptyReply(f"模型返回了空回复（模型 {model}，第 {attempts} 次尝试）。")
        if err is not None:
            err.completion = completion  # type: ignore[attr-defined]
            err.attempts = attempts  # type: ignore[attr-defined]
            raise err
        return completion

    # -- waiting --
    def _wait_strategy(self) -> Wait:
        from tenacity import wait_random_exponential

        fallback: Wait = self._wait or wait_random_exponential(multiplier=0.5, max=20)
        budget = self.max_retry_seconds

        def wait(rs: "RetryCallState") -> float:
            exc = rs.outcome.exception() if rs.outcome is not None else None
            remaining = max(0.0, budget - (rs.seconds_since_start or 0.0))
            hinted = exc.retry_after if isinstance(exc, _Transient) else None
            seconds = hinted if hinted is not None else float(fallback(rs))
            return max(0.0, min(seconds, remaining))

        return wait


def clean_reply(text: str) -> str:
    """The reply without a leading ``<think>…</think>`` block or a surrounding code fence."""
    out = text.strip()
    out = re.sub(r"\A<think>.*?</think>\s*", "", out, flags=re.S)
    m = re.fullmatch(r"```[^\n`]*\n(.*?)\n?```", out, flags=re.S)
    if m:
        out = m.group(1).strip()
    return out


def _retry_after(response: Any) -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, ``retry-after`` (seconds or HTTP date)."""
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            value = float(ms) / 1000.0
            if math.isfinite(value) and value >= 0:
                return value
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        value = float(raw)
        return value if math.isfinite(value) and value >= 0 else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _safe_to_chain(exc: BaseException) -> bool:
    """Whether ``exc`` may be kept as ``__cause__``: not when it carries the server's text."""
    return getattr(exc, "status_code", None) is None and getattr(exc, "body", None) is None


def _is_transport_error(exc: BaseException) -> bool:
    """An httpx/httpx2 transport error that escaped the SDK (older SDKs, mid-stream)."""
    return any(
        cls.__name__ == "TransportError" and cls.__module__.split(".")[0].startswith("httpx")
        for cls in type(exc).__mro__
    )


def _safe_url(url: str) -> str:
    """``url`` without user:password and without a query string (tokens hide there)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<无效地址>"
    if ":" in host:
        host = f"[{host}]"
    if port:
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
