"""Cooldown over real HTTP: a throttled or failing region is skipped, never the last one."""

from __future__ import annotations

import logging

import pytest
from azgate.exceptions import RateLimitError
from azgate.testing import Emulator
from routing_support import azure_target, calls, chat, close, routed, within_one_minute


def fallback(*targets: dict[str, object]) -> dict[str, object]:
    return {"strategy": {"mode": "fallback"}, "targets": list(targets)}


async def test_429_with_retry_after_cools_a_region_down(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("rate_limit", times=None, retry_after_ms=30_000)
    client = routed(flavour, fallback(azure_target(east, name="eastus"), azure_target(west, name="westus")))
    first = await chat(client)
    assert first._route.tried == ("eastus: 429",)
    for _ in range(3):
        reply = await chat(client)
        assert reply._route.target == "westus" and reply._route.tried == ()
    assert calls(east) == 1  # skipped while it cools down
    # A copy made for other per-call settings shares what the original learnt.
    copy = client.with_options(metadata={"team": "a"})
    assert (await chat(copy))._route.tried == () and calls(east) == 1
    await close(client)


async def test_repeated_failures_cool_a_region_down(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("server_error", times=None, status=500)
    client = routed(flavour, fallback(azure_target(east), azure_target(west)))
    within_one_minute()  # a minute's end between the failures would restart their count
    for _ in range(8):
        assert (await chat(client))._route.target == "targets[1]"
    # Three failures in a minute are allowed; the fourth cools east down for 5 s.
    assert calls(east) == 4 and calls(west) == 8
    await close(client)


async def test_the_last_healthy_target_is_never_cooled_down(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("rate_limit", times=None, retry_after_ms=30_000)
    west.faults.add("rate_limit", times=None, retry_after_ms=30_000)
    client = routed(flavour, fallback(azure_target(east), azure_target(west, retry={"attempts": 0})))
    for _ in range(3):
        with pytest.raises(RateLimitError):
            await chat(client)
    # east cooled down after its first 429; west, the last healthy one, is still asked every time.
    assert calls(east) == 1 and calls(west) == 3
    await close(client)


async def test_a_single_target_is_never_skipped(flavour: str, regions: dict[str, Emulator]) -> None:
    east = regions["eastus"]
    east.faults.add("server_error", times=6, status=503)
    client = routed(flavour, {**azure_target(east), "retry": {"attempts": 0}})
    for _ in range(6):
        with pytest.raises(Exception):  # noqa: B017 - InternalServerError each time
            await chat(client)
    assert (await chat(client))._route.target == "config" and calls(east) == 7
    await close(client)


async def test_routing_decisions_are_logged_at_debug_without_secrets(
    flavour: str, regions: dict[str, Emulator], caplog: pytest.LogCaptureFixture
) -> None:
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("rate_limit", times=None, retry_after_ms=30_000)
    secret = east.api_key
    client = routed(flavour, fallback(azure_target(east, name="eastus"), azure_target(west, name="westus")))
    with caplog.at_level(logging.DEBUG, logger="azgate.routing"):
        await chat(client)
        await chat(client)
    messages = [r.getMessage() for r in caplog.records if r.name == "azgate.routing"]
    assert any("cools down" in m and "eastus" in m for m in messages), messages
    assert any("falls back from eastus (429) to westus" in m for m in messages), messages
    assert any("skips eastus" in m for m in messages), messages
    assert all(secret not in m for m in messages)
    await close(client)
