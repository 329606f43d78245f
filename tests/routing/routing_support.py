"""Helpers for the routing tests: targets for the emulated regions, routed clients of
either flavour, and the call every test makes."""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass
from typing import Any

from azgate import AsyncClient, Client
from azgate.testing import Emulator

API_VERSION = "2024-10-21"
OPENAI_KEY = "sk-openai-emulated"
DEPLOYMENTS = {
    "gpt-4": "gpt-4",
    "gpt-4o": "gpt-4o",
    "gpt-4-deployment": "gpt-4",
    "text-embedding-ada-002": "text-embedding-ada-002",
}
MESSAGES = [{"role": "user", "content": "Hi"}]


def azure_target(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    """A config target for one emulated region."""
    return {
        "provider": "azure-openai",
        "api_key": emulator.api_key,
        "azure_endpoint": emulator.endpoint,
        "api_version": API_VERSION,
        **extra,
    }


def openai_target(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    """A provider="openai" target served by the emulator's OpenAI-style /v1 paths."""
    return {"provider": "openai", "api_key": OPENAI_KEY, "base_url": emulator.endpoint + "/openai/v1", **extra}


def routed(flavour: str, config: Any, **settings: Any) -> Any:
    """A client with nothing but a config, as the seed builds one (the first client is
    dropped: the copy owns its connection pool)."""
    cls = Client if flavour == "sync" else AsyncClient
    return cls(**settings).with_options(config=config)


async def resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def chat(client: Any, **params: Any) -> Any:
    return await resolve(client.chat.completions.create(model="gpt-4", messages=MESSAGES, **params))


async def collect(stream: Any) -> list[Any]:
    if hasattr(stream, "__aiter__"):
        return [item async for item in stream]
    return list(stream)


async def close(client: Any) -> None:
    await resolve(client.close())


def within_one_minute(seconds: float = 5.0) -> None:
    """Start a test that counts failures per minute (the router's windows are wall-clock
    minutes, as LiteLLM's are) far enough from a minute's end that its calls share one."""
    left = 60.0 - time.time() % 60.0
    if left < seconds:
        time.sleep(left + 0.05)


def calls(emulator: Emulator) -> int:
    """Chat requests an emulator answered, whatever the answer."""
    return emulator.stats.count("ChatCompletions_Create")


@dataclass
class Silent:
    """Accepts connections, reads what comes, never answers: a hung region."""

    endpoint: str
    connections: int = 0
