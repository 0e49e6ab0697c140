"""The model writer: one chat completion against any OpenAI-compatible endpoint.

:class:`OpenAIWriter` sends a list of chat messages and returns a :class:`Completion`,
or raises one error of the ``ModelError`` family (see :mod:`drafter._errors`):

==========================================  ======================  ==============
fault                                       error                   retried
==========================================  ======================  ==============
429                                         ModelUnavailable        yes, shared
5xx, timeout, dropped connection            ModelUnavailable        yes, bounded
401 / 403                                   ModelAuthError          never; stops
404                                         ModelRequestError       never; stops
other 4xx (400, 422, …)                     ModelRequestError       never
redirect to another host                    ModelRequestError       never; stops
200 that is not a completion (HTML, …)      MalformedReply          never; stops
finish_reason "length"                      TruncatedReply          never
finish_reason "content_filter"              ReplyRejected           never
no text                                     EmptyReply              never
==========================================  ======================  ==============

"stops": every later call through the same writer fails at once without sending
(concurrent sections included); see :mod:`drafter._throttle`, which also shares one
backoff across calls on 429.

Retries: at most ``max_attempts`` HTTP attempts a call (the first one included) and
at most ``max_retry_seconds`` from the first attempt. Between attempts the writer
waits what the server asks for in ``Retry-After`` / ``retry-after-ms`` (seconds or an
HTTP date), else exponential backoff with jitter; when the server asks for longer
than the budget has left, the writer gives up at once instead of sleeping it away.
A reply that is rejected (truncated, empty) is not retried here: the caller decides,
and finds the partial reply on the exception's ``completion`` attribute.

``timeout`` bounds each attempt as a whole: connecting, sending and receiving the
entire reply, a stream included (not each read: a stream dribbling a character at a
time cannot outlast it).

Routes (see :mod:`drafter._guard`): before anything is sent, the whole request is
scanned by the confidentiality guard. A loopback endpoint is reached directly — the
environment's proxy settings are ignored for it — and redirects are followed only
within the same scheme, host and port.

The API key never appears in a message, a repr, a log line, a draft or the text given
to ``on_delta``: messages name the model and the base URL (with any user:password part
removed), text the server sends back is scrubbed of the key before it is quoted, and a
reply that echoes the key has it replaced by ``***`` (in streamed text too, even when
the key is split across chunks).

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
from urllib.parse import urlsplit

from ._errors import (
    EmptyReply,
    InputError,
    MalformedReply,
    ModelAuthError,
    ModelError,
    ModelRequestError,
    ModelUnavailable,
    ReplyRejected,
    TruncatedReply,
)
from ._guard import guard, guard_messages, is_loopback, safe_url
from ._replies import Malformed, parse_chunk, parse_completion, sse_data
from ._throttle import EndpointState, RateLimitSpent, Ticket

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

#: Where the SDK sends requests when no base URL is configured (named here so that the
#: URL the guard judges is the URL the client calls).
DEFAULT_BASE_URL = "https://api.openai.com/v1"

#: Keys shorter than this are not secrets worth scrubbing from replies (and scrubbing
#: them would mangle text: a key "x" would erase the masked figures of a document).
_MIN_SCRUBBED_KEY = 4

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
        url = None if self.base_url is None else safe_url(self.base_url)
        return f"ModelConfig(model={self.model!r}, base_url={url!r}, api_key={key})"

    __str__ = __repr__

    @property
    def endpoint(self) -> str:
        """The base URL as it may be shown to a user (no credentials)."""
        return safe_url(self.base_url) if self.base_url else "OpenAI 默认端点"


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

_REDIRECTS = (301, 302, 303, 307, 308)


class _Transient(Exception):
    """Internal wrapper: a fault worth retrying, with a Chinese reason and Retry-After."""

    def __init__(self, reason: str, retry_after: float | None, cause: BaseException | None,
                 status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.cause = cause
        self.status = status


class _RedirectRefused(Exception):
    """Internal: the endpoint redirected a request to another origin; not followed."""

    def __init__(self, target: str):
        super().__init__(target)
        self.target = target


class _KeyScrubber:
    """Removes the API key from text that arrives piece by piece.

    Whatever could still turn out to be the start of the key is held back until the
    next piece (or :meth:`flush`) shows it is not, so the key never passes whole even
    when it is split across chunks.
    """

    def __init__(self, key: str | None):
        self.key = key if key and len(key) >= _MIN_SCRUBBED_KEY else None
        self.pending = ""

    def scrub(self, text: str) -> str:
        return text.replace(self.key, "***") if self.key else text

    def feed(self, piece: str) -> str:
        if not self.key:
            return piece
        text = (self.pending + piece).replace(self.key, "***")
        hold = 0
        for n in range(min(len(self.key) - 1, len(text)), 0, -1):
            if self.key.startswith(text[-n:]):
                hold = n
                break
        self.pending = text[len(text) - hold:] if hold else ""
        return text[: len(text) - hold]

    def flush(self) -> str:
        out, self.pending = self.pending, ""
        return out


class _Counter:
    attempts = 0


def _origin(scheme: str, host: str, port: int | None) -> tuple[str, str, int | None]:
    scheme = scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    return scheme, host.lower().rstrip("."), port if port is not None else default


class OpenAIWriter:
    """Writes with a chat-completions endpoint through the ``openai`` SDK.

    ``wait`` replaces the backoff used when the server sends no ``Retry-After``
    (any tenacity wait strategy, or a callable of the retry state returning seconds);
    tests pass e.g. ``wait_fixed(0.01)``. ``timeout`` (seconds, finite and positive)
    bounds each attempt as a whole. ``allow_confidential`` approves this endpoint for
    material the confidentiality guard would otherwise refuse to send.
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
        allow_confidential: bool = False,
    ):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) \
                or timeout <= 0:
            raise InputError(f"超时时间必须是大于 0 的有限秒数（收到 {timeout!r}）")
        self.config = config
        self.timeout = float(timeout)
        self.max_attempts = max_attempts
        self.max_retry_seconds = max_retry_seconds
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.allow_confidential = allow_confidential
        self._wait = wait
        self._state = EndpointState(max_rounds=max_attempts, budget=max_retry_seconds)
        self._client: Any = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._closer: AsyncGenerator[None, None] | None = None

    @property
    def name(self) -> str:
        return self.config.model

    @property
    def base_url(self) -> str:
        """The URL requests go to (the SDK's default when none is configured)."""
        return self.config.base_url or DEFAULT_BASE_URL

    def __repr__(self) -> str:
        return f"OpenAIWriter(model={self.config.model!r}, base_url={self.config.endpoint!r})"

    # -- the guard --
    def guard(self, report: Any = None, fields: Mapping[str, str | None] | None = None) -> None:
        """Raise :class:`~drafter.ConfidentialityError` if ``report`` or the named
        ``fields`` may not be sent to this endpoint (see :mod:`drafter._guard`)."""
        guard(report, self.base_url, approved=self.allow_confidential, fields=fields)

    # -- client --
    async def _ensure_client(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._client is not None and self._client_loop is not loop:
            # Made in an event loop that has ended without closing it: unusable here.
            self._client = self._closer = None
        if self._client is None:
            import openai  # lazy: `drafter check` never imports the SDK

            # A loopback endpoint is reached directly: a proxy from the environment
            # would carry the prompt off the machine the guard let it stay on.
            http_client = openai.DefaultAsyncHttpxClient(
                trust_env=not is_loopback(self.base_url),
                follow_redirects=True,
                event_hooks={"request": [self._same_origin_only]},
            )
            client = openai.AsyncOpenAI(
                base_url=self.base_url,
                api_key=self.config.api_key or PLACEHOLDER_KEY,
                max_retries=0,
                timeout=self.timeout,
                http_client=http_client,
            )
            # The client lives as long as its event loop: ``asyncio.run`` finalizes
            # pending async generators before it closes the loop, and this one closes
            # the client then. So a sync wrapper that calls ``asyncio.run`` per request
            # leaks no connections even when it never calls ``aclose()``.
            closer = self._close_with_loop(client)
            await closer.__anext__()
            self._client, self._client_loop, self._closer = client, loop, closer
        return self._client

    async def _same_origin_only(self, request: Any) -> None:
        """Request hook: a redirect is followed only to the base URL's own origin."""
        url = request.url
        base = urlsplit(self.base_url if "://" in self.base_url else "http://" + self.base_url)
        try:
            allowed = _origin(base.scheme, base.hostname or "", base.port)
        except ValueError:
            return
        if _origin(url.scheme, url.host, url.port) != allowed:
            raise _RedirectRefused(safe_url(str(url)))

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
        it arrives; the returned :class:`Completion` holds the whole text. Raises
        :class:`~drafter.ConfidentialityError` before any connection when the request
        may not go to this endpoint.
        """
        from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, stop_after_delay

        payload = [dict(m) for m in messages]
        guard_messages(payload, self.base_url, approved=self.allow_confidential)
        self._state.check()
        count = _Counter()
        started = time.monotonic()

        def before_sleep(rs: "RetryCallState") -> None:
            if on_retry is not None and rs.outcome is not None:
                exc = rs.outcome.exception()
                reason = exc.reason if isinstance(exc, _Transient) else type(exc).__name__
                on_retry(RetryNotice(attempt=count.attempts, reason=reason, wait=rs.upcoming_sleep))

        def hint_beyond_budget(rs: "RetryCallState") -> bool:
            return self._hint_beyond_budget(rs.outcome.exception() if rs.outcome else None, started) is not None

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Transient),
            stop=stop_after_attempt(self.max_attempts) | stop_after_delay(self.max_retry_seconds) | hint_beyond_budget,
            wait=self._wait_strategy(),
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    reply = await self._send(payload, on_delta, on_retry, count)
        except _Transient as exc:
            elapsed = time.monotonic() - started
            beyond = self._hint_beyond_budget(exc, started)
            if beyond is not None:
                asked, left = beyond
                message = (f"模型端点暂时不可用：{exc.reason}，要求 {asked:g} 秒后再试，超过了剩余的重试时限"
                           f"（{left:.0f} 秒），未再等待（已尝试 {count.attempts} 次）")
            else:
                message = (f"模型端点暂时不可用：共尝试 {count.attempts} 次、历时 {elapsed:.1f} 秒仍失败，"
                           f"最后一次为{exc.reason}")
            err = ModelUnavailable(
                f"{message}（模型 {self.config.model}，端点 {self.config.endpoint}）。请稍后重试，或不配置模型、改用离线撰写。",
                status_code=exc.status, attempts=count.attempts)
            raise err from (exc.cause if exc.cause is not None and _safe_to_chain(exc.cause) else None)
        except ModelError as err:
            if not err.skipped:
                err.attempts = count.attempts
            if _stops_endpoint(err):
                self._state.stop(err)
            raise
        return self._accept(reply, count.attempts)

    def _hint_beyond_budget(self, exc: BaseException | None, started: float) -> tuple[float, float] | None:
        """(asked, left) when a 5xx asked to wait longer than this call's budget has left."""
        if not isinstance(exc, _Transient) or exc.retry_after is None:
            return None
        left = max(0.0, self.max_retry_seconds - (time.monotonic() - started))
        return (exc.retry_after, left) if exc.retry_after > left else None

    async def _send(self, payload: list[dict[str, str]], on_delta: Callable[[str], None] | None,
                    on_retry: Callable[[RetryNotice], None] | None, count: _Counter) -> tuple[str, str, str | None]:
        """One attempt as the per-call retries see it: 429s are waited out here, behind
        the gate every call to this endpoint shares."""
        while True:
            ticket: Ticket = await self._state.before_request()
            count.attempts += 1
            try:
                reply = await self._attempt(payload, on_delta)
            except _Transient as exc:
                if exc.status != 429:
                    self._state.release(ticket)
                    raise
                try:
                    wait = self._state.rate_limited(ticket, exc.retry_after, self._backoff)
                except RateLimitSpent as spent:
                    raise self._rate_limit_spent(spent, exc, count) from None
                if on_retry is not None:
                    on_retry(RetryNotice(attempt=count.attempts, reason=exc.reason, wait=wait))
                continue
            except BaseException as exc:
                if isinstance(exc, ModelError):
                    self._state.answered(ticket)
                else:
                    self._state.release(ticket)
                raise
            self._state.answered(ticket)
            return reply

    def _rate_limit_spent(self, spent: RateLimitSpent, exc: _Transient, count: _Counter) -> ModelUnavailable:
        if spent.wait > spent.left:
            why = (f"模型端点限流（HTTP 429），要求 {spent.wait:g} 秒后再试，超过了剩余的重试时限（{spent.left:.0f} 秒），"
                   f"未再等待（本次已尝试 {count.attempts} 次）")
        else:
            why = f"模型端点持续限流（HTTP 429）：共尝试 {count.attempts} 次仍被限流（各部分共 {spent.rounds} 轮）"
        err = ModelUnavailable(
            f"{why}（模型 {self.config.model}，端点 {self.config.endpoint}）。已停止向该端点发送其余请求；"
            "请稍后重试，或不配置模型、改用离线撰写。", status_code=429, attempts=count.attempts)
        self._state.stop(err, seconds=max(spent.wait, self.max_retry_seconds))
        return err

    def _backoff(self, rounds: int) -> float:
        """The fallback wait before probing again after ``rounds`` rounds of 429."""
        from tenacity import RetryCallState

        rs = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
        rs.attempt_number = rounds
        return float(self._fallback_wait()(rs))

    async def _attempt(self, messages: list[dict[str, str]],
                       on_delta: Callable[[str], None] | None) -> tuple[str, str, str | None]:
        """One HTTP attempt, bounded as a whole by ``timeout``."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._exchange(messages, on_delta)
        except TimeoutError:
            raise _Transient(f"请求超时（{self.timeout:g} 秒内未完成）", None, None) from None

    async def _exchange(self, messages: list[dict[str, str]],
                        on_delta: Callable[[str], None] | None) -> tuple[str, str, str | None]:
        """One HTTP exchange: (text, model, finish_reason), the key scrubbed from all of
        it. Transient faults → _Transient; the rest → ModelError."""
        client = await self._ensure_client()
        kwargs: dict[str, Any] = {"model": self.config.model, "messages": messages}
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        if self.max_tokens is not None:
            kwargs["max_tokens"] = self.max_tokens
        scrubber = _KeyScrubber(self.config.api_key)
        status, content_type = 200, ""
        try:
            if on_delta is None:
                raw = await client.chat.completions.with_raw_response.create(**kwargs)
                http = raw.http_response
                status, content_type = http.status_code, http.headers.get("content-type", "")
                reply = parse_completion(http.content, content_type)
                return scrubber.scrub(reply.text), scrubber.scrub(reply.model or self.config.model), reply.finish_reason
            raw = await client.chat.completions.with_raw_response.create(stream=True, **kwargs)
            http = raw.http_response
            status, content_type = http.status_code, http.headers.get("content-type", "")
            try:
                return await self._read_stream(http, content_type, on_delta, scrubber)
            finally:
                with contextlib.suppress(Exception):
                    await http.aclose()  # never leave a half-read response on the pool
        except Malformed as exc:
            raise self._malformed(exc, status, content_type) from None
        except Exception as exc:  # noqa: BLE001 - classified below, re-raised as drafter errors
            err = self._classify(exc)
            if err is exc:
                raise  # not the SDK's: e.g. the caller's on_delta raised
            if isinstance(err, _Transient):
                raise err from exc
            # A server's error text may quote (part of) the key: never chain it.
            raise err from (exc if _safe_to_chain(exc) else None)

    async def _read_stream(self, http: Any, content_type: str, on_delta: Callable[[str], None],
                           scrubber: _KeyScrubber) -> tuple[str, str, str | None]:
        model, finish = self.config.model, None
        if "event-stream" not in content_type.lower():
            # The server ignored stream=true: take the whole reply if it is one.
            reply = parse_completion(await http.aread(), content_type)
            text = scrubber.scrub(reply.text)
            if text:
                on_delta(text)
            return text, scrubber.scrub(reply.model or model), reply.finish_reason
        parts: list[str] = []
        async for data in sse_data(http.aiter_bytes()):
            pieces, chunk_model, chunk_finish = parse_chunk(data)
            model = chunk_model or model
            finish = chunk_finish or finish
            for piece in pieces:
                safe = scrubber.feed(piece)
                parts.append(piece)
                if safe:
                    on_delta(safe)
        rest = scrubber.flush()
        if rest:
            on_delta(rest)
        return scrubber.scrub("".join(parts)), scrubber.scrub(model), finish

    # -- errors --
    def _malformed(self, exc: Malformed, status: int, content_type: str) -> MalformedReply:
        ctype = content_type.split(";")[0].strip() or "未注明"
        return MalformedReply(
            f"模型端点的回复不是可用的对话补全：{self._scrub(exc.what)}（HTTP {status}，Content-Type {ctype}；"
            f"模型 {self.config.model}，端点 {self.config.endpoint}）。端点地址可能有误：OpenAI 兼容端点通常以 /v1 结尾"
            "（例如 http://localhost:11434/v1），请检查 --base-url 或 OPENAI_BASE_URL。",
            status_code=status)

    def _classify(self, exc: BaseException) -> BaseException:
        import openai

        refused = exc if isinstance(exc, _RedirectRefused) else exc.__cause__
        if isinstance(refused, _RedirectRefused):
            return ModelRequestError(
                f"模型端点把请求重定向到了另一个地址 {refused.target}，drafter 不跟随跨主机的重定向"
                f"（以免把提示词转发到别处）。如确认该地址可信，请直接把它设为端点地址"
                f"（模型 {self.config.model}，端点 {self.config.endpoint}）。", status_code=307)
        if isinstance(exc, openai.APITimeoutError):
            return _Transient(f"请求超时（{self.timeout:g} 秒内未完成）", None, exc)
        if isinstance(exc, openai.APIConnectionError) or _is_transport_error(exc):
            return _Transient("连接失败或连接被中断", None, exc)
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            retry_after = _retry_after(getattr(exc, "response", None))
            if status == 429:
                return _Transient("限流（HTTP 429）", retry_after, exc, status)
            if status >= 500:
                return _Transient(f"服务端错误（HTTP {status}）", retry_after, exc, status)
            if status in (401, 403):
                hint = "未设置 OPENAI_API_KEY" if not self.config.api_key else "请检查 OPENAI_API_KEY 是否正确"
                return ModelAuthError(
                    f"模型端点拒绝了身份验证（HTTP {status}）：{hint}，并确认该密钥有权使用模型 "
                    f"{self.config.model}（端点 {self.config.endpoint}）。", status_code=status)
            detail = self._server_message(exc)
            return ModelRequestError(
                f"模型端点拒绝了请求（HTTP {status}）{('：' + detail) if detail else ''}。"
                f"请检查模型名 {self.config.model!r} 与端点地址 {self.config.endpoint} 是否正确"
                "（OpenAI 兼容端点通常以 /v1 结尾）。", status_code=status)
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
        if finish == "length":
            raise TruncatedReply(
                f"模型回复因长度上限被截断（finish_reason=length，已得 {len(completion.text)} 字）："
                "可调大 max_tokens，或将该部分的事实拆分后重新生成。", completion=completion, attempts=attempts)
        if finish == "content_filter":
            raise ReplyRejected(f"模型回复被端点的内容过滤拦截（模型 {model}）：该部分未能生成，可改用离线撰写或人工撰写。",
                                completion=completion, attempts=attempts)
        if not completion.text.strip():
            raise EmptyReply(f"模型返回了空回复（模型 {model}，第 {attempts} 次尝试）。",
                             completion=completion, attempts=attempts)
        return completion

    # -- waiting --
    def _fallback_wait(self) -> Wait:
        from tenacity import wait_random_exponential

        return self._wait or wait_random_exponential(multiplier=0.5, max=20)

    def _wait_strategy(self) -> Wait:
        fallback = self._fallback_wait()
        budget = self.max_retry_seconds

        def wait(rs: "RetryCallState") -> float:
            exc = rs.outcome.exception() if rs.outcome is not None else None
            remaining = max(0.0, budget - (rs.seconds_since_start or 0.0))
            hinted = exc.retry_after if isinstance(exc, _Transient) else None
            seconds = hinted if hinted is not None else float(fallback(rs))
            return max(0.0, min(seconds, remaining))

        return wait


def _stops_endpoint(err: ModelError) -> bool:
    """Whether no later request to the same endpoint can succeed: a refused key, a reply
    that is not an API's, a wrong path or model (404), a refused redirect."""
    if isinstance(err, (ModelAuthError, MalformedReply)):
        return True
    return isinstance(err, ModelRequestError) and err.status_code in (404, *_REDIRECTS)


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
