"""What every call to one model endpoint shares: the stop after a failure no retry can
fix, and one backoff on rate limits (HTTP 429).

Sections are drafted concurrently through one writer (and ``regen --stale`` or a
session sends one call after another through it). Without shared state a refused key
cost one request per section, and constant 429s cost ``max_attempts`` requests per
section. With :class:`EndpointState`:

- After an endpoint-wide failure (a refused key, a malformed reply, a wrong path or
  model, a refused redirect) every later call fails at once without sending anything:
  :meth:`EndpointState.check` raises a copy of that error marked ``skipped``. The stop
  lasts as long as the writer: its key and URL cannot change under it.
- A 429 closes one gate for every call until the wait is over (the server's
  Retry-After, else the backoff). While rate limited, one request at a time probes the
  endpoint; 429s to requests sent before the gate closed do not count again. When the
  rounds of 429 reach ``max_rounds``, or the wait asked for is longer than what is left
  of ``budget`` seconds since the first 429, the call gives up and every call fails fast
  for a cooldown (the wait asked for, at least ``budget``). So under constant 429 one run
  sends at most ``concurrency + max_rounds - 1`` requests, however many sections it has.

State is plain data and survives successive event loops (a sync wrapper runs each call
under its own ``asyncio.run``); the probe lock is made afresh for each loop.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Callable

from ._errors import ModelError

__all__ = ["EndpointState", "RateLimitSpent", "Ticket"]


class RateLimitSpent(Exception):
    """Internal: the shared 429 budget is spent. ``wait`` is what the server asked for
    (or the backoff), ``left`` the seconds left of the budget, ``rounds`` the 429 rounds."""

    def __init__(self, rounds: int, wait: float, left: float):
        super().__init__(rounds, wait, left)
        self.rounds, self.wait, self.left = rounds, wait, left


@dataclass
class Ticket:
    """Leave to send one request: the gate's epoch when it was given, and the probe
    lock when the request probes a rate-limited endpoint."""

    epoch: int
    lock: asyncio.Lock | None = None


class EndpointState:
    def __init__(self, *, max_rounds: int, budget: float, clock: Callable[[], float] = time.monotonic):
        self.max_rounds = max_rounds
        self.budget = budget
        self.clock = clock
        self._stop: ModelError | None = None
        self._stop_until: float | None = None  # None: for good
        self._blocked_until = 0.0
        self._epoch = 0
        self._rounds = 0
        self._since: float | None = None
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None

    # -- the stop --
    def check(self) -> None:
        """Raise a ``skipped`` copy of the error that stopped the endpoint, if any."""
        stop = self._stop
        if stop is None:
            return
        if self._stop_until is not None and self.clock() >= self._stop_until:
            self._stop = self._stop_until = self._since = None
            self._rounds = 0
            return
        copy = type(stop)(f"未发送请求：此前对同一端点的请求已失败，已停止继续发送。{stop}",
                          status_code=stop.status_code, skipped=True)
        raise copy

    def stop(self, err: ModelError, *, seconds: float | None = None) -> None:
        """Stop every further request: for good, or for ``seconds``."""
        if self._stop is not None and self._stop_until is None:
            return  # already stopped for good
        self._stop = err
        self._stop_until = None if seconds is None else self.clock() + seconds

    # -- the gate --
    def _probe_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def before_request(self) -> Ticket:
        """Wait until a request may be sent; raise if the endpoint is stopped."""
        while True:
            self.check()
            now = self.clock()
            if now < self._blocked_until:
                await asyncio.sleep(self._blocked_until - now)
                continue
            if self._rounds == 0:
                return Ticket(self._epoch)
            lock = self._probe_lock()
            await lock.acquire()
            if self._stop is not None or self.clock() < self._blocked_until or self._rounds == 0:
                lock.release()
                continue
            return Ticket(self._epoch, lock)

    def release(self, ticket: Ticket) -> None:
        """The request is over (whatever its outcome); idempotent."""
        lock, ticket.lock = ticket.lock, None
        if lock is not None and lock.locked():
            lock.release()

    def answered(self, ticket: Ticket) -> None:
        """The endpoint answered with something other than 429: not rate limited."""
        self._rounds = 0
        self._since = None
        self.release(ticket)

    def rate_limited(self, ticket: Ticket, retry_after: float | None, backoff: Callable[[int], float]) -> float:
        """A 429 to the request of ``ticket``. Returns the seconds the gate stays shut,
        or raises :class:`RateLimitSpent` when the shared budget is spent."""
        try:
            now = self.clock()
            if ticket.epoch != self._epoch:  # a request of a wave already counted
                return max(0.0, self._blocked_until - now)
            self._epoch += 1
            self._rounds += 1
            if self._since is None:
                self._since = now
            wait = retry_after if retry_after is not None else max(0.0, float(backoff(self._rounds)))
            left = max(0.0, self.budget - (now - self._since))
            if self._rounds >= self.max_rounds or wait > left:
                raise RateLimitSpent(self._rounds, wait, left)
            self._blocked_until = now + wait
            return wait
        finally:
            self.release(ticket)
