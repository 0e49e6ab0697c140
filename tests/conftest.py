from __future__ import annotations

from collections.abc import Iterator

import os

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
