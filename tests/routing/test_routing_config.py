"""The config is checked whole before any request: each mistake names its place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from azgate._routing._attach import read_config
from azgate._routing._failures import DEFAULT_RETRY_STATUSES
from azgate.exceptions import ConfigurationError

AZURE = {"provider": "azure-openai", "api_key": "k-123", "resource_name": "eastus", "api_version": "2024-10-21"}


def fails(config: Any, *fragments: str) -> str:
    with pytest.raises(ConfigurationError) as info:
        read_config(config, {})
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.mark.parametrize(
    ("config", "fragments"),
    [
        ({"strategy": {"mode": "loadbalanse"}, "targets": [AZURE, AZURE]}, ["strategy.mode", "'loadbalance'"]),
        ({"strategy": {"mode": "fallback"}, "targets": []}, ["at targets", "empty"]),
        (
            {"strategy": {"mode": "loadbalance"}, "targets": [AZURE, {**AZURE, "weight": -1}]},
            ["targets[1].weight", ">= 0", "-1"],
        ),
        (
            {"strategy": {"mode": "loadbalance"}, "targets": [{**AZURE, "weight": 0}, {**AZURE, "weight": 0}]},
            ["at targets", "every weight is 0"],
        ),
        (
            {"strategy": {"mode": "fallback"}, "targets": [AZURE, {**AZURE, "resource_nme": "x"}]},
            ["targets[1].resource_nme", "'resource_name'"],
        ),
        (
            {"strategy": {"mode": "fallback", "on_status_code": [429]}, "targets": [AZURE]},
            ["strategy.on_status_code", "'on_status_codes'"],
        ),
        (
            {"strategy": {"mode": "fallback", "on_status_codes": [429, 99]}, "targets": [AZURE]},
            ["on_status_codes[1]", "99"],
        ),
        ({"retry": {"attempts": -1}, **AZURE}, ["retry.attempts"]),
        ({"retry": {"atempts": 2}, **AZURE}, ["retry.atempts", "'attempts'"]),
        ({"request_timeout": 0, **AZURE}, ["request_timeout", "milliseconds"]),
        ({"cache": {"mode": "semantic"}, **AZURE}, ["cache.mode", "simple"]),
        ({"targets": [AZURE, AZURE]}, ["at strategy", "need a strategy"]),
        ({"strategy": {"mode": "fallback"}}, ["strategy", "needs targets"]),
        ({"virtual_key": "vk-1"}, ["virtual_key", "api_key"]),
        (
            {
                "strategy": {"mode": "fallback"},
                "targets": [{"strategy": {"mode": "loadbalance"}, "targets": [AZURE, {**AZURE, "weight": "x"}]}],
            },
            ["targets[0].targets[1].weight"],
        ),
        (
            {"strategy": {"mode": "fallback"}, "targets": [AZURE, {**AZURE, "state": "memory"}]},
            ["targets[1].state", "top"],
        ),
        ({"state": "postgres://x", **AZURE}, ["at state"]),
        ({"strategy": {"mode": "fallback"}, "targets": "eastus"}, ["at targets", "list"]),
        ({"strategy": {"mode": "single"}, "targets": [{**AZURE, "api_key": 12}]}, ["targets[0].api_key", "int"]),
    ],
)
def test_mistakes_name_their_place(config: dict[str, Any], fragments: list[str]) -> None:
    fails(config, "Invalid routing config at", *fragments)


def test_conditional_needs_named_targets() -> None:
    config = {
        "strategy": {
            "mode": "conditional",
            "conditions": [{"query": {"metadata.plan": {"$eq": "paid"}}, "then": "big"}],
            "default": "small",
        },
        "targets": [{**AZURE, "name": "big"}, {**AZURE, "name": "smal"}],
    }
    fails(config, "strategy.default", "'small'", "big, smal")
    config["targets"] = [{**AZURE, "name": "big"}, {**AZURE, "name": "big"}]
    fails(config, "targets[1].name", "also the name of targets[0]")


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"metadata.plan": {"$equals": "paid"}}, "unknown operator '$equals' (did you mean $eq?)"),
        ({"plan": "paid"}, "fields are metadata.<key>, params.<key> or url.pathname"),
        ({"$or": {"metadata.plan": "paid"}}, "$or takes a non-empty list"),
        ({"params.temperature": {"$gt": "warm"}}, "$gt takes a number"),
        ({"metadata.plan": {"$in": "paid"}}, "$in takes a list"),
        ({}, "non-empty object"),
    ],
)
def test_query_mistakes(query: dict[str, Any], fragment: str) -> None:
    config = {
        "strategy": {"mode": "conditional", "conditions": [{"query": query, "then": "a"}]},
        "targets": [{**AZURE, "name": "a"}],
    }
    fails(config, "strategy.conditions[0].query", fragment)


def test_secrets_never_in_errors_or_reprs() -> None:
    secret = "sk-super-secret-value"
    message = fails(
        {"strategy": {"mode": "fallback"}, "targets": [{**AZURE, "api_key": secret, "wieght": 1}]}, "wieght"
    )
    assert secret not in message
    config = read_config({"strategy": {"mode": "fallback"}, "targets": [{**AZURE, "api_key": secret}]}, {})
    assert secret not in repr(config) and secret not in repr(config.targets[0])


def test_inheritance_and_defaults() -> None:
    config = read_config(
        {
            "api_version": "2024-06-01",
            "retry": {"attempts": 3},
            "override_params": {"temperature": 0},
            "strategy": {"mode": "fallback"},
            "targets": [
                {"resource_name": "eastus", "request_timeout": 2500},
                {
                    "resource_name": "westus",
                    "retry": {"attempts": 1, "on_status_codes": [503]},
                    "override_params": {"model": "m"},
                },
                {"provider": "openai", "custom_host": "http://127.0.0.1:9/v1"},
            ],
        },
        {"api_key": "client-key", "max_retries": 5},
    )
    east, west, openai = config.targets
    assert east.settings["api_version"] == "2024-06-01" and east.settings["max_retries"] == 5
    assert east.settings["api_key"].reveal() == "client-key"  # the client's own settings are defaults too
    assert east.request_timeout == 2.5 and west.request_timeout is None
    assert east.retry is not None and east.retry.attempts == 3 and east.retry.on_status_codes == DEFAULT_RETRY_STATUSES
    assert west.retry is not None and west.retry.attempts == 1 and west.retry.on_status_codes == {503}
    assert west.override_params == {"temperature": 0, "model": "m"}
    assert openai.settings["base_url"] == "http://127.0.0.1:9/v1"
    assert [t.path for t in config.targets] == ["targets[0]", "targets[1]", "targets[2]"]
    assert east.identity != west.identity  # distinct services, distinct cooldowns


def test_identity_is_stable_and_secret_free() -> None:
    one = read_config({"strategy": {"mode": "fallback"}, "targets": [{**AZURE, "api_key": "a"}]}, {})
    two = read_config({"strategy": {"mode": "fallback"}, "targets": [{**AZURE, "api_key": "b"}]}, {})
    # The same service under two keys is one target for cooldowns and the cache.
    assert one.targets[0].identity == two.targets[0].identity


def test_config_sources(tmp_path: Path) -> None:
    data = {"strategy": {"mode": "fallback"}, "targets": [AZURE, {**AZURE, "resource_name": "westus"}]}
    as_json = read_config(json.dumps(data), {})
    path = tmp_path / "routes.json"
    path.write_text(json.dumps(data))
    from_file = read_config(path, {})
    yaml_path = tmp_path / "routes.yaml"
    yaml_path.write_text(
        "strategy:\n  mode: fallback\ntargets:\n"
        + "".join(
            f"  - {{provider: azure-openai, api_key: k, resource_name: {r}, api_version: '2024-10-21'}}\n"
            for r in ("eastus", "westus")
        )
    )
    from_yaml = read_config(str(yaml_path), {})
    for config in (as_json, from_file, from_yaml):
        assert [t.settings["resource_name"] for t in config.targets] == ["eastus", "westus"]
    fails(str(tmp_path / "missing.json"), "no file at")
    fails('{"strategy": ', "not valid JSON", "line 1")
    (tmp_path / "bad.yaml").write_text("targets: [\n")
    fails(tmp_path / "bad.yaml", "not valid YAML")
    fails(42, "config must be a dict")


@pytest.mark.usefixtures("no_env")
async def test_clients_refuse_a_bad_config_before_any_request(flavour: str) -> None:
    from azgate import AsyncClient, Client
    from routing_support import close, resolve

    cls = Client if flavour == "sync" else AsyncClient
    targets: list[dict[str, Any]] = [AZURE, {"provider": "openai", "override_params": {"model": "gpt-4o"}}]
    with pytest.raises(ConfigurationError, match=r"at targets\[1\]: provider='openai' needs api_key="):
        cls().with_options(config={"strategy": {"mode": "fallback"}, "targets": targets})
    with pytest.raises(ConfigurationError, match=r"at targets\[0\]: .*api_version"):
        cls(config={"strategy": {"mode": "fallback"}, "targets": [{**AZURE, "api_version": None}]})
    with pytest.raises(ConfigurationError, match="metadata must be a mapping"):
        cls(config=AZURE, metadata=["plan"])  # type: ignore[arg-type]
    routed = cls(config={"strategy": {"mode": "loadbalance"}, "targets": [{**AZURE, "name": "east"}, AZURE]})
    assert repr(routed) == (
        f"{cls.__name__}(strategy='loadbalance', targets=[east='https://eastus.openai.azure.com/openai',"
        " targets[1]='https://eastus.openai.azure.com/openai'])"
    )
    assert "k-123" not in repr(routed.with_options(timeout=5))
    await close(routed)
    nothing = cls()  # builds (it may get targets later), but has nothing to call
    with pytest.raises(ConfigurationError, match="nothing to call"):
        await resolve(nothing.models.list())
    await close(nothing)
