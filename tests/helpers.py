"""Helpers for tests that run one body in both flavours (sync and async)."""

from __future__ import annotations

import inspect
from typing import Any

from azgate import AsyncClient, Client
from azgate.testing import Emulator

API_VERSION = "2024-10-21"


def make_client(flavour: str, emulator: Emulator, **settings: Any) -> Client | AsyncClient:
    settings = {
        "api_key": emulator.api_key,
        "azure_endpoint": emulator.endpoint,
        "api_version": API_VERSION,
        **settings,
    }
    return Client(**settings) if flavour == "sync" else AsyncClient(**settings)


async def resolve(value: Any) -> Any:
    """The result of a client call, whichever flavour made it."""
    return await value if inspect.isawaitable(value) else value


async def collect(stream: Any) -> list[Any]:
    if hasattr(stream, "__aiter__"):
        return [item async for item in stream]
    return list(stream)
