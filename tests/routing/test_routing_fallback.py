"""Fallback over real HTTP: one region 429s, one 503s, one hangs, OpenAI takes over."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from azgate.exceptions import BadRequestError, IncompleteStreamError, InternalServerError, RateLimitError
from azgate.testing import Emulator
from routing_support import (
    OPENAI_KEY,
    Silent,
    azure_target,
    calls,
    chat,
    close,
    collect,
    openai_target,
    resolve,
    routed,
)


async def test_fallback_order_moves_past_a_throttled_and_a_failing_region(
    flavour: str, regions: dict[str, Emulator]
) -> None:
    east, west, central = regions["eastus"], regions["westus"], regions["centralus"]
    east.faults.add("rate_limit", times=None, retry_after_ms=20)
    west.faults.add("server_error", times=None, status=503)
    client = routed(
        flavour,
        {
            "strategy": {"mode": "fallback"},
            "targets": [azure_target(east, name="eastus"), azure_target(west, name="westus"), azure_target(central)],
        },
    )
    reply = await chat(client)
    assert reply.choices[0].message.content
    route = reply._route
    assert (route.target, route.path, route.attempts) == ("targets[2]", "targets[2]", 3)
    assert route.tried == ("eastus: 429", "westus: 503")
    # Without a `retry`, a target with another after it is tried once: the next target is the retry.
    assert (calls(east), calls(west), calls(central)) == (1, 1, 1)
    await close(client)


async def test_fallback_to_openai_over_http(flavour: str, regions: dict[str, Emulator]) -> None:
    east, openai = regions["eastus"], regions["openai"]
    east.faults.add("server_error", times=1, status=503)
    client = routed(
        flavour,
        {
            "strategy": {"mode": "fallback"},
            "targets": [azure_target(east), openai_target(openai, override_params={"model": "gpt-4o"})],
        },
    )
    reply = await chat(client)
    assert reply._route.provider == "openai" and reply._route.target == "targets[1]"
    sent = openai.stats.requests[-1]
    assert sent.path == "/openai/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {OPENAI_KEY}" and "api-key" not in sent.headers
    assert json.loads(sent.body)["model"] == "gpt-4o"  # override_params, not the call's "gpt-4"
    # The next call goes to the first region again: one 503 is no cooldown.
    again = await chat(client)
    assert again._route.target == "targets[0]" and calls(east) == 2
    await close(client)


async def test_the_callers_own_mistake_is_not_routed_around(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("status", times=1, status=400, code="content_filter")
    client = routed(flavour, {"strategy": {"mode": "fallback"}, "targets": [azure_target(east), azure_target(west)]})
    with pytest.raises(BadRequestError) as info:
        await chat(client)
    assert info.value._route.target == "targets[0]" and info.value._route.attempts == 1
    assert calls(west) == 0
    await close(client)


async def test_on_status_codes_decide_what_falls_back(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    config = {
        "strategy": {"mode": "fallback", "on_status_codes": [429]},
        "targets": [azure_target(east), azure_target(west)],
    }
    client = routed(flavour, config)
    east.faults.add("server_error", times=1, status=503)
    with pytest.raises(InternalServerError):
        await chat(client)
    assert calls(west) == 0
    east.faults.add("rate_limit", times=1, retry_after_ms=10)
    reply = await chat(client)
    assert reply._route.target == "targets[1]" and calls(west) == 1
    await close(client)


async def test_a_hung_region_times_out_as_408_and_falls_back(
    flavour: str, regions: dict[str, Emulator], silent: Silent
) -> None:
    west = regions["westus"]
    hung = {"provider": "azure-openai", "api_key": "k", "azure_endpoint": silent.endpoint, "api_version": "2024-10-21"}
    client = routed(
        flavour,
        {
            "strategy": {"mode": "fallback", "on_status_codes": [408]},
            "targets": [{**hung, "name": "hung", "request_timeout": 300}, azure_target(west, name="westus")],
        },
    )
    reply = await chat(client)
    assert reply._route.target == "westus" and reply._route.tried == ("hung: 408",)
    await close(client)


async def test_every_target_failing_raises_the_last_error_with_the_whole_route(
    flavour: str, regions: dict[str, Emulator]
) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("server_error", times=None, status=500)
    west.faults.add("rate_limit", times=None, retry_after_ms=10)
    client = routed(flavour, {"strategy": {"mode": "fallback"}, "targets": [azure_target(east), azure_target(west)]})
    with pytest.raises(RateLimitError) as info:
        await chat(client)
    route = info.value._route
    assert route.target == "targets[1]" and route.tried[0] == "targets[0]: 500"
    # The last target keeps the client's max_retries (2): three attempts there.
    assert route.attempts == 4 and calls(west) == 3
    await close(client)


async def test_retry_after_is_obeyed_before_the_retry(flavour: str, regions: dict[str, Emulator]) -> None:
    east = regions["eastus"]
    east.faults.add("rate_limit", times=1, retry_after_ms=400)
    client = routed(flavour, {**azure_target(east), "retry": {"attempts": 2, "on_status_codes": [429]}})
    started = time.monotonic()
    reply = await chat(client)
    waited = time.monotonic() - started
    assert reply._route.attempts == 2 and reply._route.tried == ("config: 429",)
    assert waited >= 0.4  # the service asked for 400 ms; a lower bound only, never an upper one
    await close(client)


async def test_a_targets_retries_run_before_fallback_moves_on(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("server_error", times=None, status=502)
    client = routed(
        flavour,
        {
            "strategy": {"mode": "fallback"},
            "targets": [
                azure_target(east, retry={"attempts": 2, "on_status_codes": [502], "use_retry_after_header": False}),
                azure_target(west),
            ],
        },
    )
    reply = await chat(client)
    assert reply._route.target == "targets[1]" and reply._route.attempts == 4
    assert calls(east) == 3 and calls(west) == 1
    await close(client)


async def test_a_stream_falls_back_before_its_first_chunk(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("server_error", times=1, status=503)  # fails before the stream starts
    east.faults.add("cut_stream", times=1, after_chunks=0)  # starts, then ends before any chunk
    client = routed(flavour, {"strategy": {"mode": "fallback"}, "targets": [azure_target(east), azure_target(west)]})
    for _ in range(2):
        stream = await chat(client, stream=True)
        assert stream._route.target == "targets[1]"
        chunks = await collect(stream)
        assert chunks and chunks[0].choices  # the whole answer, from westus
        assert stream.metadata_events[0].choices == []  # Azure's filter-results chunk, kept aside
    assert calls(west) == 2
    await close(client)


async def test_a_stream_never_falls_back_after_its_first_chunk(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("cut_stream", times=1, after_chunks=3)  # the filter chunk, then two content chunks
    client = routed(flavour, {"strategy": {"mode": "fallback"}, "targets": [azure_target(east), azure_target(west)]})
    stream = await chat(client, stream=True)
    seen: list[Any] = []
    with pytest.raises(IncompleteStreamError):
        if hasattr(stream, "__aiter__"):
            async for chunk in stream:
                seen.append(chunk)
        else:
            for chunk in stream:
                seen.append(chunk)
    assert len(seen) == 2 and calls(west) == 0
    await close(client)


async def test_a_copy_with_other_settings_keeps_the_routes(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    client = routed(flavour, {"strategy": {"mode": "fallback"}, "targets": [azure_target(east), azure_target(west)]})
    east.faults.add("server_error", times=1, status=503)
    copy = client.with_options(timeout=30, max_retries=1)
    reply = await resolve(copy.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "x"}]))
    assert reply._route.target == "targets[1]"
    await close(copy)
    assert (await chat(client))._route.target == "targets[0]"  # closing a copy leaves the original working
    await close(client)


async def test_one_region_429s_one_503s_one_hangs_and_openai_answers(
    flavour: str, regions: dict[str, Emulator], silent: Silent
) -> None:
    east, west, openai = regions["eastus"], regions["westus"], regions["openai"]
    east.faults.add("rate_limit", times=None, retry_after_ms=50)
    west.faults.add("server_error", times=None, status=503)
    hung = {"provider": "azure-openai", "api_key": "k", "azure_endpoint": silent.endpoint, "api_version": "2024-10-21"}
    client = routed(
        flavour,
        {
            "strategy": {"mode": "fallback"},
            "targets": [
                azure_target(east, name="eastus"),
                azure_target(west, name="westus"),
                {**hung, "name": "centralus", "request_timeout": 250},
                openai_target(openai, name="openai", override_params={"model": "gpt-4o"}),
            ],
        },
    )
    stream = await chat(client, stream=True)
    assert [c for c in await collect(stream) if c.choices]  # a whole answer, from OpenAI
    route = stream._route
    assert route.target == "openai" and route.tried == ("eastus: 429", "westus: 503", "centralus: 408")
    await close(client)
