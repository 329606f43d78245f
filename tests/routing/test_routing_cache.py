"""The response cache in memory, in a SQLite file and in a real Redis; Redis shared by two
processes for both the cache and the cooldowns."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from azgate.testing import Emulator
from routing_support import azure_target, calls, chat, close, collect, resolve, routed


@pytest.fixture(params=["memory", "sqlite", "redis"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "memory":
        return "memory"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'routing.db'}"
    url: str = request.getfixturevalue("redis_url")
    _flush(url)
    return url


def _flush(url: str) -> None:
    import redis

    with redis.Redis.from_url(url) as r:
        r.flushdb()


def cached(regions: dict[str, Emulator], state: str, **cache: Any) -> dict[str, Any]:
    return {
        "state": state,
        "cache": {"mode": "simple", "max_age": 60, **cache},
        "strategy": {"mode": "fallback"},
        "targets": [azure_target(regions["eastus"], name="eastus"), azure_target(regions["westus"], name="westus")],
    }


async def test_a_repeated_request_is_answered_from_the_cache(
    flavour: str, regions: dict[str, Emulator], state: str
) -> None:
    east = regions["eastus"]
    client = routed(flavour, cached(regions, state))
    first = await chat(client, temperature=0)
    assert first._route.cache == "MISS" and first._route.attempts == 1
    second = await resolve(
        client.chat.completions.create(messages=[{"content": "Hi", "role": "user"}], temperature=0, model="gpt-4")
    )
    assert second._route.cache == "HIT" and second._route.target == "eastus" and second._route.attempts == 0
    assert second.choices[0].message.content == first.choices[0].message.content and second.id == first.id
    assert calls(east) == 1
    # Another question, another entry; a stream is never cached.
    assert (await chat(client, temperature=1))._route.cache == "MISS"
    await collect(await chat(client, temperature=0, stream=True))
    assert calls(east) == 3
    # A forced refresh asks the service and stores the new answer.
    refreshed = await chat(client.with_options(cache_force_refresh=True), temperature=0)
    assert refreshed._route.cache == "REFRESH" and calls(east) == 4
    assert (await chat(client, temperature=0)).id == refreshed.id
    await close(client)


async def test_sqlite_cache_survives_a_restart(flavour: str, regions: dict[str, Emulator], tmp_path: Path) -> None:
    state = f"sqlite:///{tmp_path / 'restart.db'}"
    client = routed(flavour, cached(regions, state))
    first = await chat(client)
    await close(client)
    again = routed(flavour, cached(regions, state))
    reply = await chat(again)
    assert reply._route.cache == "HIT" and reply.id == first.id and calls(regions["eastus"]) == 1
    await close(again)


async def test_cache_keys_hold_no_secret(regions: dict[str, Emulator], tmp_path: Path) -> None:
    state = f"sqlite:///{tmp_path / 'keys.db'}"
    client = routed("sync", cached(regions, state))
    await chat(client)
    await close(client)
    raw = (tmp_path / "keys.db").read_bytes()
    assert regions["eastus"].api_key.encode() not in raw


async def test_an_unreachable_state_backend_is_a_miss_not_a_failure(
    flavour: str, regions: dict[str, Emulator], caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket closes
    client = routed(flavour, cached(regions, f"redis://127.0.0.1:{port}/0"))
    with caplog.at_level(logging.WARNING, logger="azgate.routing"):
        for _ in range(2):
            assert (await chat(client))._route.cache == "MISS"
    assert calls(regions["eastus"]) == 2
    assert any("going on without it" in r.getMessage() for r in caplog.records)
    await close(client)


SCRIPT = """
import json, sys
from azgate import Client

config, question = json.loads(sys.argv[1]), sys.argv[2]
with Client(config=config) as client:
    reply = client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": question}])
route = reply._route
print(json.dumps({"target": route.target, "cache": route.cache, "tried": list(route.tried)}))
"""


def in_another_process(config: dict[str, Any], question: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(config), question], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_two_processes_share_the_cache_and_cooldowns_in_redis(regions: dict[str, Emulator], redis_url: str) -> None:
    _flush(redis_url)
    east, west = regions["eastus"], regions["westus"]
    east.faults.add("rate_limit", times=None, retry_after_ms=30_000)
    config = cached(regions, redis_url)
    first = in_another_process(config, "A")
    assert first == {"target": "westus", "cache": "MISS", "tried": ["eastus: 429"]}
    # A second process: the answer to "A" comes from Redis, and it skips the region the
    # first one saw throttling without asking it.
    assert in_another_process(config, "A") == {"target": "westus", "cache": "HIT", "tried": []}
    assert in_another_process(config, "B") == {"target": "westus", "cache": "MISS", "tried": []}
    assert calls(east) == 1 and calls(west) == 2


async def test_a_cache_on_one_target_covers_that_target_only(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    client = routed(
        flavour,
        {
            "strategy": {"mode": "fallback"},
            "targets": [
                azure_target(east, name="eastus", cache={"mode": "simple", "max_age": 60}),
                azure_target(west, name="westus"),
            ],
        },
    )
    assert (await chat(client))._route.cache == "MISS"
    hit = await chat(client)
    assert hit._route.cache == "HIT" and hit._route.target == "eastus" and calls(east) == 1
    east.faults.add("server_error", times=2, status=503)
    # A new question: east fails, west answers, and west has no cache of its own.
    for _ in range(2):
        reply = await chat(client, temperature=0.5)
        assert reply._route.target == "westus"
    assert calls(west) == 2
    await close(client)
