"""Load balancing, conditional routing, nesting and override_params over real HTTP."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import pytest
from azgate import AsyncClient, Client
from azgate.exceptions import ConfigurationError
from azgate.testing import Emulator
from routing_support import MESSAGES, azure_target, calls, chat, close, resolve, routed


def test_loadbalance_weights_hold_over_1000_calls(regions: dict[str, Emulator]) -> None:
    east, west, central, spare = regions["eastus"], regions["westus"], regions["centralus"], regions["openai"]
    weights = {"eastus": 0.7, "westus": 0.2, "centralus": 0.1}
    client = Client(
        config={
            "strategy": {"mode": "loadbalance"},
            "targets": [
                azure_target(east, name="eastus", weight=0.7),
                azure_target(west, name="westus", weight=0.2),
                azure_target(central, name="centralus", weight=0.1),
                azure_target(spare, name="off", weight=0),  # weight 0: never called, still configured
            ],
        }
    )
    served = Counter(
        client.chat.completions.create(model="gpt-4", messages=MESSAGES)._route.target for _ in range(1000)
    )
    client.close()
    assert served["off"] == 0 and calls(spare) == 0
    for name, weight in weights.items():
        spread = 6 * math.sqrt(1000 * weight * (1 - weight))  # six standard deviations
        assert abs(served[name] - 1000 * weight) < spread, served
    assert (calls(east), calls(west), calls(central)) == (served["eastus"], served["westus"], served["centralus"])


async def test_loadbalance_in_both_flavours_reaches_every_target(flavour: str, regions: dict[str, Emulator]) -> None:
    targets = [azure_target(regions[name], name=name) for name in ("eastus", "westus", "centralus")]
    client = routed(flavour, {"strategy": {"mode": "loadbalance"}, "targets": targets})
    served = {(await chat(client))._route.target for _ in range(60)}
    assert served == {"eastus", "westus", "centralus"}
    await close(client)


async def test_nested_strategies(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west, central = regions["eastus"], regions["westus"], regions["centralus"]
    east.faults.add("rate_limit", times=None, retry_after_ms=10)
    west.faults.add("server_error", times=None, status=503)
    client = routed(
        flavour,
        {
            "strategy": {"mode": "fallback"},
            "targets": [
                {
                    "strategy": {"mode": "loadbalance"},
                    "targets": [azure_target(east, name="eastus"), azure_target(west, name="westus")],
                },
                azure_target(central, name="centralus"),
            ],
        },
    )
    for _ in range(4):
        reply = await chat(client)
        route = reply._route
        assert route.target == "centralus" and route.attempts == 2
        assert route.tried[0] in ("eastus: 429", "westus: 503")
    assert calls(central) == 4
    await close(client)


def conditional_config(regions: dict[str, Emulator]) -> dict[str, Any]:
    return {
        "strategy": {
            "mode": "conditional",
            "conditions": [
                {"query": {"metadata.user_plan": {"$eq": "paid"}}, "then": "finetuned"},
                {
                    "query": {"$or": [{"params.temperature": {"$gt": 0.7}}, {"params.model": {"$in": ["creative"]}}]},
                    "then": "creative",
                },
            ],
            "default": "base",
        },
        "targets": [
            azure_target(regions["eastus"], name="finetuned", override_params={"model": "gpt-4o"}),
            azure_target(regions["westus"], name="creative"),
            azure_target(regions["centralus"], name="base"),
        ],
    }


async def test_conditional_routing_on_metadata_and_params(flavour: str, regions: dict[str, Emulator]) -> None:
    client = routed(flavour, conditional_config(regions))
    assert (await chat(client))._route.target == "base"
    assert (await chat(client, temperature=0.9))._route.target == "creative"
    paid = client.with_options(metadata={"user_plan": "paid"})
    reply = await chat(paid, temperature=0.9)  # the first matching condition wins
    assert reply._route.target == "finetuned"
    assert json.loads(regions["eastus"].stats.requests[-1].body)["model"] == "gpt-4o"
    assert "user_plan" not in regions["eastus"].stats.requests[-1].body.decode()  # metadata is never sent
    free = paid.with_options(metadata={"user_plan": "free"})
    assert (await chat(free))._route.target == "base"
    await close(client)


async def test_conditional_without_a_match_or_default_says_so(flavour: str, regions: dict[str, Emulator]) -> None:
    config = conditional_config(regions)
    del config["strategy"]["default"]
    client = routed(flavour, config)
    with pytest.raises(ConfigurationError, match="no default"):
        await chat(client)
    assert sum(calls(regions[name]) for name in ("eastus", "westus", "centralus")) == 0
    await close(client)


async def test_override_params_are_merged_into_the_body(flavour: str, regions: dict[str, Emulator]) -> None:
    east = regions["eastus"]
    client = routed(
        flavour,
        {
            "override_params": {"temperature": 0.1, "max_tokens": 5},
            "strategy": {"mode": "single"},
            "targets": [azure_target(east, override_params={"max_tokens": 7, "user": "router"})],
        },
    )
    await chat(client, temperature=1.5, seed=3)
    body = json.loads(east.stats.requests[-1].body)
    assert (body["temperature"], body["max_tokens"], body["user"], body["seed"]) == (0.1, 7, "router", 3)
    await close(client)


async def test_top_level_settings_are_every_targets_defaults(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    # api_key and api_version come from the client, the endpoints from the config.
    client = (Client if flavour == "sync" else AsyncClient)(
        api_key=east.api_key,
        api_version="2024-06-01",
        config={
            "strategy": {"mode": "fallback"},
            "targets": [
                {"azure_endpoint": east.endpoint},
                {"azure_endpoint": west.endpoint, "deployment_id": "gpt-4o"},
            ],
        },
    )
    east.faults.add("server_error", times=1, status=500)
    await chat(client)
    sent = west.stats.requests[-1]
    assert sent.path == "/openai/deployments/gpt-4o/chat/completions" and "api-version=2024-06-01" in sent.query
    await close(client)


async def test_quota_aware_loadbalance_prefers_the_region_with_headroom(
    flavour: str, regions: dict[str, Emulator]
) -> None:
    east, west = regions["eastus"], regions["westus"]
    # Use up most of east's per-minute token quota (the emulator counts 4 bytes a token).
    drain = Client(api_key=east.api_key, azure_endpoint=east.endpoint, api_version="2024-10-21")
    drain.embeddings.create(model="text-embedding-ada-002", input="x" * 3_800_000)
    drain.close()
    client = routed(
        flavour,
        {
            "strategy": {"mode": "loadbalance", "quota_aware": True},
            "targets": [azure_target(east, name="eastus"), azure_target(west, name="westus")],
        },
    )
    served = Counter([(await chat(client))._route.target for _ in range(200)])
    # Plain weights would give east half; with under 5 % of its quota left it gets a sliver.
    assert served["eastus"] < 40, served
    await close(client)


async def test_stored_objects_stay_with_the_first_target(flavour: str, regions: dict[str, Emulator]) -> None:
    east, west = regions["eastus"], regions["westus"]
    client = routed(flavour, {"strategy": {"mode": "loadbalance"}, "targets": [azure_target(east), azure_target(west)]})
    for _ in range(6):
        page = await resolve(client.models.list())
        assert page.data
    assert west.stats.count() == 0 and east.stats.count() == 6
    await close(client)


def test_one_routed_client_serves_many_threads(regions: dict[str, Emulator]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    east, west = regions["eastus"], regions["westus"]
    east.faults.add("server_error", times=20, status=503)
    client = Client(
        config={
            "strategy": {"mode": "fallback"},
            "targets": [
                {
                    "strategy": {"mode": "loadbalance"},
                    "targets": [azure_target(east), azure_target(regions["centralus"])],
                },
                azure_target(west),
            ],
        }
    )
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda _: client.chat.completions.create(model="gpt-4", messages=MESSAGES), range(120)))
    client.close()
    assert all(r.choices[0].message.content for r in replies)
    assert sum(r._route.attempts for r in replies) == 120 + sum(len(r._route.tried) for r in replies)


async def test_one_routed_async_client_serves_many_tasks(regions: dict[str, Emulator]) -> None:
    import asyncio

    from azgate import AsyncClient

    east, west = regions["eastus"], regions["westus"]
    east.faults.add("rate_limit", times=10, retry_after_ms=20)
    client = AsyncClient(config={"strategy": {"mode": "fallback"}, "targets": [azure_target(east), azure_target(west)]})
    replies = await asyncio.gather(
        *(client.chat.completions.create(model="gpt-4", messages=MESSAGES) for _ in range(60))
    )
    await client.close()
    assert len(replies) == 60 and all(r.choices[0].message.content for r in replies)
