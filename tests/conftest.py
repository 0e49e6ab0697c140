from __future__ import annotations

from collections.abc import Iterator

import pytest

from drafter.testing import FakeOpenAIServer


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAIServer]:
    """A scripted OpenAI-compatible server on 127.0.0.1, stopped after the test."""
    with FakeOpenAIServer() as srv:
        yield srv
