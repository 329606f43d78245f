"""Contract tests: azgate and openai-python's AzureOpenAI, call for call, against the
emulator in every response profile (current, legacy, gateway), sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import openai
import pytest
from azgate.testing import Emulator
from helpers import make_client, resolve

CONTRACT_VERSION = "2025-04-01-preview"
"""Has every operation these tests call (chat, embeddings, images, audio, files, batches)."""


@pytest.fixture(params=["current", "legacy", "gateway"])
def profile(request: pytest.FixtureRequest, emulator: Emulator) -> str:
    emulator.profile = request.param  # the reset fixture restores "current" afterwards
    return str(request.param)


@pytest.fixture
async def ours(flavour: str, emulator: Emulator, profile: str) -> AsyncIterator[Any]:
    del profile  # requested so the emulator's profile is set first
    client = make_client(flavour, emulator, api_version=CONTRACT_VERSION)
    yield client
    await resolve(client.close())


@pytest.fixture
async def theirs(flavour: str, emulator: Emulator, profile: str) -> AsyncIterator[Any]:
    del profile
    settings: dict[str, Any] = {
        "azure_endpoint": emulator.endpoint,
        "api_key": emulator.api_key,
        "api_version": CONTRACT_VERSION,
        "max_retries": 0,
    }
    if flavour == "sync":
        client: Any = openai.AzureOpenAI(**settings)
        yield client
        client.close()
    else:
        client = openai.AsyncAzureOpenAI(**settings)
        yield client
        await client.close()
