"""The helpers go through create(), so a routed client's fallback serves them too."""

from __future__ import annotations

from typing import Any

from azgate import AsyncClient, Client
from azgate.testing import Emulator
from helper_support import API_VERSION, run_stream
from helpers import resolve
from pydantic import BaseModel

MESSAGES = [{"role": "user", "content": "plan"}]


class Plan(BaseModel):
    steps: list[str]


async def test_parse_and_stream_fall_back_to_the_next_target(flavour: str, emulator: Emulator) -> None:
    target = {"provider": "azure-openai", "api_key": emulator.api_key, "azure_endpoint": emulator.endpoint}
    config = {
        "strategy": {"mode": "fallback"},
        "targets": [
            {**target, "api_key": "wrong-key", "api_version": API_VERSION},  # 401: the next target is tried
            {**target, "api_version": API_VERSION},
        ],
    }
    client: Any = (Client if flavour == "sync" else AsyncClient)().with_options(config=config)
    try:
        parsed = await resolve(client.chat.completions.parse(model="gpt-4o", messages=MESSAGES, response_format=Plan))
        assert isinstance(parsed.choices[0].message.parsed, Plan)
        manager = client.chat.completions.stream(model="gpt-4o", messages=MESSAGES, response_format=Plan)
        _, final = await run_stream(manager, "get_final_completion")
        assert isinstance(final.choices[0].message.parsed, Plan)
        statuses = [r.status for r in emulator.stats.requests]
        assert statuses == [401, 200, 401, 200]
    finally:
        await resolve(client.close())
