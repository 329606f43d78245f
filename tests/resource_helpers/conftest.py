"""Fixtures for the helper methods of the generated resources (parse, stream,
upload_file_chunked): azgate and openai-python's AzureOpenAI against the emulator, and
a server of the tests' own for answers the emulator never gives."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
import pytest
from answering_server import AnsweringServer
from azgate import AsyncClient, Client
from azgate.testing import Emulator
from helper_support import API_VERSION
from helpers import make_client, resolve


@pytest.fixture
async def ours(flavour: str, emulator: Emulator) -> AsyncIterator[Any]:
    client = make_client(flavour, emulator, api_version=API_VERSION, max_retries=0)
    yield client
    await resolve(client.close())


@pytest.fixture
async def theirs(flavour: str, emulator: Emulator) -> AsyncIterator[Any]:
    settings: dict[str, Any] = {
        "azure_endpoint": emulator.endpoint,
        "api_key": emulator.api_key,
        "api_version": API_VERSION,
        "max_retries": 0,
    }
    client: Any = openai.AzureOpenAI(**settings) if flavour == "sync" else openai.AsyncAzureOpenAI(**settings)
    yield client
    await resolve(client.close())


@pytest.fixture
def server() -> Iterator[AnsweringServer]:
    s = AnsweringServer()
    yield s
    s.close()


@pytest.fixture
async def served(flavour: str, server: AnsweringServer) -> AsyncIterator[Any]:
    """An azgate client of the tests' own server."""
    settings = {"api_key": "k", "azure_endpoint": server.url, "api_version": API_VERSION, "max_retries": 0}
    client = Client(**settings) if flavour == "sync" else AsyncClient(**settings)
    yield client
    await resolve(client.close())


@pytest.fixture
async def their_served(flavour: str, server: AnsweringServer) -> AsyncIterator[Any]:
    """openai-python's AzureOpenAI, of the tests' own server."""
    settings: dict[str, Any] = {
        "api_key": "k",
        "azure_endpoint": server.url,
        "api_version": API_VERSION,
        "max_retries": 0,
    }
    client: Any = openai.AzureOpenAI(**settings) if flavour == "sync" else openai.AsyncAzureOpenAI(**settings)
    yield client
    await resolve(client.close())
