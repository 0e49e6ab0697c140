"""A piece of work done in a forked child while the command goes on with another.

``check`` against a large input (a 10,000-row ledger) grounds the text's figures while
a child checks its words and shape, and a large ledger's rows become facts half here,
half in a child: two cores, each a tenth of a second of a one-second check. Only the
command line asks for it (a library must not fork a caller's process, which may run
threads); only where fork is the platform's own way (Linux) and a second processor is
free. The result never depends on the child: whatever it cannot give back (it failed,
was killed, sent nothing readable) is computed here instead.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except OSError:
        return False


class Forked(Generic[T]):
    """``work()`` started in a child (when :func:`can_fork`); :meth:`result` gives its
    value, ``encode``\\d in the child and ``decode``\\d here (models travel as plain
    data: pickling them costs more than the work)."""

    def __init__(self, work: Callable[[], T], encode: Callable[[T], object] = lambda v: v,
                 decode: Callable[[object], T] = lambda v: v):  # type: ignore[assignment, return-value]
        self._work, self._decode = work, decode
        self._pid: int | None = None
        self._read = -1
        if not can_fork():
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns, never flushes what the parent buffered
            os.close(read)
            try:
                data = pickle.dumps(("ok", encode(work())), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - the parent does the work itself
                data = pickle.dumps(("failed", None))
            try:
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            finally:
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        if self._pid is not None:
            try:
                with os.fdopen(self._read, "rb") as f:
                    data = f.read()
                status, value = pickle.loads(data)
                if status == "ok":
                    return self._decode(value)
            except Exception:  # noqa: BLE001 - nothing readable came back
                pass
            finally:
                self._reap()
        return self._work()

    def cancel(self) -> None:
        """Stop the child (the command failed before it needed the result)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.close(self._read)
            except OSError:
                pass
            self._reap()

    def _reap(self) -> None:
        pid, self._pid = self._pid, None
        if pid is not None:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
