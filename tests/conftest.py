"""Fixtures shared by the tests: the emulator (from azgate.testing's pytest plugin)
and a client of it in both flavours, so one test body covers sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from azgate.testing import Emulator
from helpers import make_client, resolve


@pytest.fixture
def emulator(azure_openai_emulator_reset: Emulator) -> Emulator:
    return azure_openai_emulator_reset


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def client(flavour: str, emulator: Emulator) -> AsyncIterator[Any]:
    c = make_client(flavour, emulator)
    yield c
    await resolve(c.close())


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_ENDPOINT",
        "OPENAI_API_VERSION",
        "AZURE_OPENAI_AD_TOKEN",
        "OPENAI_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    yield
