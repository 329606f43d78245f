"""Routed calls through with_raw_response and with_streaming_response, and list pages."""

from __future__ import annotations

from azgate.testing import Emulator
from routing_support import MESSAGES, azure_target, calls, close, collect, resolve, routed


def fallback(regions: dict[str, Emulator]) -> dict[str, object]:
    return {
        "strategy": {"mode": "fallback"},
        "targets": [azure_target(regions["eastus"], name="eastus"), azure_target(regions["westus"], name="westus")],
    }


async def test_raw_responses_say_which_target_answered(flavour: str, regions: dict[str, Emulator]) -> None:
    regions["eastus"].faults.add("server_error", times=1, status=503)
    client = routed(flavour, fallback(regions))
    raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=MESSAGES))
    assert raw.status_code == 200 and raw.headers["x-ratelimit-remaining-requests"]
    assert raw._route.target == "westus" and raw._route.tried == ("eastus: 503",)
    completion = raw.parse()
    assert completion.choices[0].message.content and completion._route == raw._route
    await close(client)


async def test_a_raw_stream_falls_back_before_its_first_chunk(flavour: str, regions: dict[str, Emulator]) -> None:
    regions["eastus"].faults.add("cut_stream", times=1, after_chunks=0)
    client = routed(flavour, fallback(regions))
    raw = await resolve(client.chat.completions.with_raw_response.create(model="gpt-4", messages=MESSAGES, stream=True))
    assert raw._route.target == "westus"
    assert await collect(raw.parse())
    await close(client)


async def test_streaming_responses_are_routed(flavour: str, regions: dict[str, Emulator]) -> None:
    regions["eastus"].faults.add("rate_limit", times=1, retry_after_ms=10)
    client = routed(flavour, fallback(regions))
    manager = client.chat.completions.with_streaming_response.create(model="gpt-4", messages=MESSAGES)
    if flavour == "sync":
        with manager as response:
            assert response._route.target == "westus"
            completion = response.parse()
    else:
        async with manager as response:
            assert response._route.target == "westus"
            completion = await response.parse()
    assert completion.choices[0].message.content
    await close(client)


async def test_list_pages_come_from_the_first_target_with_its_retries(
    flavour: str, regions: dict[str, Emulator]
) -> None:
    east, west = regions["eastus"], regions["westus"]
    client = routed(flavour, {"strategy": {"mode": "loadbalance"}, "targets": [azure_target(east), azure_target(west)]})
    east.faults.add("server_error", times=1, status=503, operation="files.list")
    for _ in range(3):
        await resolve(client.files.create(file=("a.jsonl", b'{"a": 1}\n'), purpose="batch"))
    names = (
        [f.filename async for f in client.files.list()]
        if flavour == "async"
        else [f.filename for f in client.files.list()]
    )
    assert names.count("a.jsonl") == 3  # every upload went to eastus, and the list found them there
    assert west.stats.count() == 0 and calls(west) == 0
    await close(client)
