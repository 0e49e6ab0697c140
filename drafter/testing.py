"""Test doubles that are part of drafter's public API.

:class:`FakeOpenAIServer` is a real OpenAI-compatible HTTP server on 127.0.0.1 with
scripted replies and injected faults. Point any OpenAI-compatible client (drafter's
own writer, the ``openai`` SDK, ``curl``) at :attr:`FakeOpenAIServer.base_url` and
test your code without a network or a key::

    from drafter.testing import FakeOpenAIServer, Reply

    with FakeOpenAIServer() as srv:
        srv.script(
            Reply(status=429, headers={"Retry-After": "0.2"}),   # rate limited once
            Reply("一、坚持以……为牵引，推动……"),                   # then a section
        )
        ...  # call drafter with base_url=srv.base_url, model="fake-model"
        assert len(srv.requests) == 2

Replies are taken from the script queue in order; once it is empty,
:attr:`FakeOpenAIServer.handler` decides per request (it receives the request's JSON
body and returns a :class:`Reply` or a plain string). The default handler answers
with ``default_text`` if one was given, else with an HTTP 400 error saying the script
ran out, so a test that sends more requests than it scripted fails loudly instead of
being answered with made-up text.

Faults a :class:`Reply` can script: any status with headers (429 + Retry-After,
5xx, 401), delays, dropped connections, streams that dribble (``chunk_delay``) or break
midway (``drop_after``), truncation (``finish_reason="length"``), redirects
(:meth:`Reply.redirect`) and malformed bodies (``body=``, :meth:`Reply.json`).

:class:`RecordingProxy` is an HTTP proxy on 127.0.0.1 that forwards nothing and
records every attempt to use it: set it as ``HTTP(S)_PROXY`` to prove that a request
to a non-loopback endpoint was refused before it was sent, with no traffic leaving
the machine even if it was not.

The servers only ever listen on 127.0.0.1, answer each connection in a daemon
thread, and :meth:`FakeOpenAIServer.stop` returns promptly even while clients hold
keep-alive connections open or a scripted delay is running.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Union

__all__ = ["FakeOpenAIServer", "FunctionWriter", "RecordingProxy", "Reply"]


@dataclass
class Reply:
    """One scripted answer of :class:`FakeOpenAIServer`.

    - ``text``: the assistant message content (for ``status == 200``).
    - ``status``: HTTP status; anything but 200 is sent as an OpenAI-shaped error body.
    - ``headers``: extra response headers, e.g. ``{"Retry-After": "0.3"}``.
    - ``delay``: seconds to wait before answering (added to the server's ``latency``),
      e.g. to provoke a client timeout.
    - ``finish_reason``: ``"stop"``, ``"length"``, ``"content_filter"`` …
    - ``drop``: close the connection without sending any response.
    - ``error``: the error message for non-200 statuses (a default names the status).
    - ``chunks``: for streamed requests, the exact text deltas to send; by default
      ``text`` is cut into pieces of ``chunk_size`` characters.
    - ``chunk_delay``: seconds between streamed chunks.
    - ``drop_after``: for streamed requests, close the connection after this many
      text chunks (a stream that breaks midway).
    - ``model``: the model name to report; by default the one the request asked for.
    - ``body``: send exactly this body (bytes, or text sent as UTF-8) with ``status``
      and ``content_type`` instead of a completion or an error — for malformed replies
      (an HTML page, ``{not json``, an empty body, invalid UTF-8, wrong JSON shapes),
      streamed requests included.
    - ``content_type``: the Content-Type sent with ``body`` (default
      ``application/json; charset=utf-8``).

    :meth:`Reply.redirect` builds a redirect, :meth:`Reply.json` a 200 reply whose
    JSON body you write yourself.
    """

    text: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    finish_reason: str | None = "stop"
    drop: bool = False
    error: str | None = None
    chunks: list[str] | None = None
    chunk_size: int = 4
    chunk_delay: float = 0.0
    drop_after: int | None = None
    model: str | None = None
    body: bytes | str | None = None
    content_type: str | None = None

    @classmethod
    def redirect(cls, location: str, status: int = 307) -> "Reply":
        """A redirect to ``location`` (an absolute URL, or a path on this server)."""
        return cls(status=status, headers={"Location": location}, body=b"")

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> "Reply":
        """``payload`` as the JSON body, whatever its shape (``[]``, a message that is
        null, content that is a number …)."""
        return cls(status=status, body=json.dumps(payload, ensure_ascii=False))

    def stream_pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        size = max(1, self.chunk_size)
        return [self.text[i : i + size] for i in range(0, len(self.text), size)]


Handler = Callable[[dict[str, Any]], Union[Reply, str]]

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_api_key",
    403: "permission_denied",
    404: "not_found_error",
    422: "invalid_request_error",
    429: "rate_limit_exceeded",
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    # socketserver's default backlog of 5 drops SYNs when 7+ sections connect at once
    # (the client then retries a second later, which would look like drafter's slowness).
    request_queue_size = 128

    def __init__(self, owner: Any, handler: type[BaseHTTPRequestHandler]):
        self.owner = owner
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], OSError):
            return  # a client that hung up (reset, timed out): routine, not worth a traceback
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the openai SDK expects
    server: _Server

    # -- connection bookkeeping so stop() can close idle keep-alive sockets --
    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
        # algorithm and delayed ACKs add ~40 ms to every reply on a reused connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.sockets_lock:
            self.server.open_sockets.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            with self.server.sockets_lock:
                self.server.open_sockets.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # tests stay quiet

    # -- routes --
    def do_GET(self) -> None:
        owner = self.server.owner
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "drafter-testing"} for m in owner.models]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_error(404, f"no route GET {self.path}")

    def do_POST(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self._send_error(404, f"no route POST {self.path}")
            return
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._send_error(400, f"request body is not JSON: {exc}")
            return
        owner._record(body)
        try:
            if owner.require_key is not None:
                auth = self.headers.get("Authorization", "")
                if auth != f"Bearer {owner.require_key}":
                    self._send_error(401, "Incorrect API key provided.")
                    return
            reply = owner._next_reply(body)
            if not owner._pause(owner.latency + max(0.0, reply.delay)):
                self._drop()
                return
            if reply.drop:
                self._drop()
                return
            if reply.body is not None:
                self._send_raw(reply)
                return
            if reply.status != 200:
                self._send_error(reply.status, reply.error, reply.headers)
                return
            model = reply.model or str(body.get("model") or owner.models[0])
            if body.get("stream"):
                self._send_stream(reply, model, body)
            else:
                self._send_completion(reply, model)
        finally:
            owner._answered()

    # -- writers --
    def _send_completion(self, reply: Reply, model: str) -> None:
        payload = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.text},
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": 1,
                "completion_tokens": max(1, len(reply.text)),
                "total_tokens": 1 + max(1, len(reply.text)),
            },
        }
        self._send_json(200, payload, reply.headers)

    def _send_stream(self, reply: Reply, model: str, body: dict[str, Any]) -> None:
        owner = self.server.owner
        cid = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())

        def chunk(delta: dict[str, Any], finish: str | None) -> bytes:
            obj = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            }
            return b"data: " + json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n\n"

        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.end_headers()
            self._write_chunk(chunk({"role": "assistant", "content": ""}, None))
            for i, piece in enumerate(reply.stream_pieces()):
                if reply.drop_after is not None and i >= reply.drop_after:
                    self._drop()
                    return
                if reply.chunk_delay and not owner._pause(reply.chunk_delay):
                    self._drop()
                    return
                self._write_chunk(chunk({"content": piece}, None))
            self._write_chunk(chunk({}, reply.finish_reason))
            if (body.get("stream_options") or {}).get("include_usage"):
                usage = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                         "choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                self._write_chunk(b"data: " + json.dumps(usage).encode() + b"\n\n")
            self._write_chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode("ascii") + data + b"\r\n")
        self.wfile.flush()

    def _send_error(self, status: int, message: str | None, headers: dict[str, str] | None = None) -> None:
        err = {
            "error": {
                "message": message or f"FakeOpenAIServer: scripted HTTP {status}",
                "type": _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error"),
                "param": None,
                "code": _ERROR_TYPES.get(status) if status in (401, 429) else None,
            }
        }
        self._send_json(status, err, headers)

    def _send_json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client went away (e.g. it timed out first)
            self.close_connection = True

    def _send_raw(self, reply: Reply) -> None:
        data = reply.body.encode("utf-8") if isinstance(reply.body, str) else (reply.body or b"")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type or "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _LoopbackServer:
    """The lifecycle both test servers share: a threading HTTP server on 127.0.0.1
    (port chosen by the system) served from a daemon thread; a context manager."""

    _handler: type[BaseHTTPRequestHandler] = BaseHTTPRequestHandler

    def __init__(self) -> None:
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self):
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _Server(self, self._handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()  # wakes handlers waiting in a scripted delay
        httpd.shutdown()
        with httpd.sockets_lock:
            conns = list(httpd.open_sockets)
        for conn in conns:  # unblock handlers parked on idle keep-alive connections
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=2.0)
        self._httpd = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return int(self._httpd.server_address[1])


class FakeOpenAIServer(_LoopbackServer):
    """A scripted OpenAI-compatible chat-completions server on 127.0.0.1.

    Use as a context manager or call :meth:`start` and :meth:`stop`.

    - :meth:`script` queues :class:`Reply` objects (or strings), consumed in order.
    - :attr:`handler` answers when the queue is empty: ``handler(request_json) -> Reply | str``.
    - :attr:`requests` is a snapshot of every request body received (JSON), in order;
      :attr:`request_times` holds their ``time.monotonic()`` arrival times;
      :attr:`max_in_flight` the most requests that were being answered at once (a
      client that gave up on a slow reply, or drafts in parallel, shows here).
    - :attr:`latency` is a base delay in seconds added to every answer (benchmarks).
    - ``require_key``: when set, requests without ``Authorization: Bearer <key>`` get 401.
    """

    _handler = _RequestHandler

    def __init__(
        self,
        *,
        default_text: str | None = None,
        models: tuple[str, ...] | list[str] = ("fake-model",),
        latency: float = 0.0,
        require_key: str | None = None,
    ):
        self.default_text = default_text
        self.models = tuple(models) or ("fake-model",)
        self.latency = latency
        self.require_key = require_key
        self.handler: Handler = self._default_handler
        self._queue: deque[Reply] = deque()
        self._requests: list[dict[str, Any]] = []
        self._times: list[float] = []
        self._in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        super().__init__()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting --
    def script(self, *replies: Reply | str) -> "FakeOpenAIServer":
        """Queue replies, consumed in order by the next requests."""
        with self._lock:
            for r in replies:
                self._queue.append(Reply(r) if isinstance(r, str) else r)
        return self

    @property
    def pending(self) -> int:
        """How many scripted replies are still queued."""
        with self._lock:
            return len(self._queue)

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request body received so far (a snapshot)."""
        with self._lock:
            return list(self._requests)

    @property
    def request_times(self) -> list[float]:
        """Arrival time (``time.monotonic()``) of every request, parallel to :attr:`requests`."""
        with self._lock:
            return list(self._times)

    def reset(self) -> None:
        """Forget recorded requests and queued replies."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            self._times.clear()
            self.max_in_flight = self._in_flight

    # -- internals (called from handler threads) --
    def _record(self, body: dict[str, Any]) -> None:
        with self._lock:
            self._requests.append(body)
            self._times.append(time.monotonic())
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _answered(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            queued = self._queue.popleft() if self._queue else None
        if queued is not None:
            return queued
        try:
            out = self.handler(body)
        except Exception as exc:  # a broken handler must not hang the client
            return Reply(status=500, error=f"FakeOpenAIServer handler raised {type(exc).__name__}: {exc}")
        return Reply(out) if isinstance(out, str) else out

    def _default_handler(self, body: dict[str, Any]) -> Reply:
        if self.default_text is not None:
            return Reply(self.default_text)
        n = len(self.requests)
        return Reply(status=400, error=f"FakeOpenAIServer: the script ran out (request #{n} has no scripted reply)")

    def _pause(self, seconds: float) -> bool:
        """Sleep, but wake at stop(). False when the server is stopping."""
        if seconds > 0:
            return not self._stopping.wait(seconds)
        return not self._stopping.is_set()

    def __repr__(self) -> str:
        state = f"base_url={self.base_url!r}" if self._httpd is not None else "stopped"
        return f"FakeOpenAIServer({state}, pending={self.pending}, requests={len(self.requests)})"


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _refuse(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length and self.command != "CONNECT" else b""
        owner: RecordingProxy = self.server.owner
        owner._record(self.command, self.path, body)
        if owner.upstream is not None and self.command != "CONNECT":
            self._relay(owner.upstream, body)
            return
        data = b"drafter.testing.RecordingProxy: recorded, not forwarded"
        self.close_connection = True
        try:
            self.send_response(502)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            pass

    def _relay(self, upstream: "FakeOpenAIServer", body: bytes) -> None:
        """Answer as ``upstream`` would: the request goes to it, on loopback, whatever
        host the client asked for."""
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(self.path)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn = http.client.HTTPConnection("127.0.0.1", upstream.port, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "proxy-connection")}
            conn.request(self.command, path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self.close_connection = True
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "content-length", "connection"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        finally:
            conn.close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_CONNECT = _refuse


class RecordingProxy(_LoopbackServer):
    """An HTTP proxy on 127.0.0.1 that forwards nothing: it records every attempt to
    use it and answers 502. Point ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` at
    :attr:`url` while a test uses a non-loopback base URL, and anything that tries to
    leave ends here, on loopback, where the test can see it::

        with RecordingProxy() as proxy:
            monkeypatch.setenv("HTTPS_PROXY", proxy.url)
            ...  # call drafter with base_url="https://api.example.com/v1"
            assert proxy.attempts == []       # refused before any request

    :attr:`attempts` lists ``"METHOD target"`` strings in order, e.g.
    ``"POST http://api.example.com/v1/chat/completions"`` or
    ``"CONNECT api.example.com:443"``; :attr:`bodies` the request bodies (empty for
    CONNECT, whose tunnel is never opened).

    With ``upstream=`` a :class:`FakeOpenAIServer`, plain-HTTP requests are recorded
    and then answered by that server (still on loopback): a stand-in for a remote
    endpoint that really answers, e.g. to test what the second request of a revision
    carries. CONNECT tunnels (https) are never opened.
    """

    _handler = _ProxyHandler

    def __init__(self, *, upstream: "FakeOpenAIServer | None" = None) -> None:
        self.upstream = upstream
        self._attempts: list[str] = []
        self._bodies: list[bytes] = []
        self._lock = threading.Lock()
        super().__init__()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def attempts(self) -> list[str]:
        """Every request the proxy received, as ``"METHOD target"`` (a snapshot)."""
        with self._lock:
            return list(self._attempts)

    @property
    def bodies(self) -> list[bytes]:
        with self._lock:
            return list(self._bodies)

    def _record(self, method: str, target: str, body: bytes) -> None:
        with self._lock:
            self._attempts.append(f"{method} {target}")
            self._bodies.append(body)


class FunctionWriter:
    """A writer whose text comes from a function of the :class:`drafter.Job` — for
    testing code that calls drafter without any HTTP at all.

        writer = FunctionWriter(lambda job: "……正文……")
        Drafter(writer=writer).draft(spec)

    ``fn`` may be a plain or an async function. ``jobs`` records every job received.
    """

    can_revise = True
    sends_data = False  # no HTTP at all: the confidentiality guard has nothing to stop

    def __init__(self, fn, *, name: str = "function"):
        self.fn = fn
        self.name = name
        self.jobs: list = []

    @property
    def origin(self) -> str:
        return f"model:{self.name}"

    async def write(self, job) -> str:
        import inspect

        self.jobs.append(job)
        out = self.fn(job)
        if inspect.isawaitable(out):
            out = await out
        return str(out)
