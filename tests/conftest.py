from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from drafter.testing import FakeOpenAIServer

# Rich wraps tables and rules at the terminal width (80 columns when there is none):
# a long temporary path would wrap differently from run to run. Tests read lines.
os.environ.setdefault("COLUMNS", "200")


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAIServer]:
    """A scripted OpenAI-compatible server on 127.0.0.1, stopped after the test."""
    with FakeOpenAIServer() as srv:
        yield srv


# ---------------------------------------------------------------- no traffic beyond loopback
# A fixture for every test that must prove nothing was sent: each socket connect made
# while the test runs is recorded by an audit hook (installed once; hooks cannot be
# removed).

_CONNECTS: list[Any] = []
_WATCH = threading.Event()


def _audit(event: str, args: tuple) -> None:
    if event == "socket.connect" and _WATCH.is_set():
        _CONNECTS.append(args[1])


_HOOKED = False


@pytest.fixture
def no_connect():
    """Records every socket connect made while the test runs (an audit hook)."""
    global _HOOKED
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED = True
    _CONNECTS.clear()
    _WATCH.set()
    try:
        yield _CONNECTS
    finally:
        _WATCH.clear()
