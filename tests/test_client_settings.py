"""Client settings: URLs, environment fallbacks, and clear errors before any request."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from azgate import AsyncClient, BadRequestError, Client, ConfigurationError, UnsupportedByApiVersionError
from azgate.testing import Emulator
from helpers import make_client, resolve

USER = [{"role": "user", "content": "Hi"}]


def test_resource_name_builds_the_azure_url(no_env: None) -> None:
    client = Client(api_key="k", resource_name="my-resource", api_version="2024-10-21")
    assert client.base_url == "https://my-resource.openai.azure.com/openai"
    assert client.api_version == "2024-10-21"


def test_v1_base_url(no_env: None) -> None:
    client = Client(api_key="k", resource_name="my-resource", api_version="v1")
    assert client.base_url == "https://my-resource.openai.azure.com/openai/v1"


def test_environment_fallbacks(monkeypatch: pytest.MonkeyPatch, no_env: None) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "env-key")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://env-res.openai.azure.com/")
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-06-01")
    client = Client()
    assert client.base_url == "https://env-res.openai.azure.com/openai" and client.api_version == "2024-06-01"


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        ({"resource_name": "https://x.openai.azure.com"}, ["resource_name", "azure_endpoint"]),
        ({"resource_name": "r", "api_version": None}, ["api_version"]),
        ({"api_version": "2024-10-21"}, ["resource_name"]),
        ({"resource_name": "r", "api_key": None}, ["api_key"]),
        ({"resource_name": "r", "azure_ad_token": "t"}, ["api_key", "azure_ad_token"]),
        ({"resource_name": "r", "max_retries": -1}, ["max_retries"]),
        ({"resource_name": "r", "timeout": "10"}, ["timeout"]),
        ({"resource_name": "r", "provider": "azure"}, ["provider"]),
        ({"resource_name": "r", "azure_endpoint": "not a url"}, ["azure_endpoint"]),
        ({"azure_endpoint": "http://my-resource.openai.azure.com"}, ["azure_endpoint", "https"]),
    ],
)
def test_bad_settings_name_the_field(no_env: None, settings: dict[str, Any], names: list[str]) -> None:
    full = {"api_key": "secret-key-value", "api_version": "2024-10-21", **settings}
    full = {k: v for k, v in full.items() if v is not None}
    with pytest.raises(ConfigurationError) as info:
        Client(**full)
    message = str(info.value)
    assert all(name in message for name in names), message
    assert "secret-key-value" not in message


def test_secrets_never_show(no_env: None, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client(api_key="sk-very-secret", resource_name="r", api_version="2024-10-21")
    copy = client.with_options(max_retries=5)
    texts = [repr(client), str(client), repr(copy), repr(copy._options), repr(copy._options.settings), caplog.text]
    assert not any("sk-very-secret" in t for t in texts)


async def test_missing_deployment_is_an_error_before_any_request(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator)
    with pytest.raises(ConfigurationError, match="deployment_id"):
        await resolve(client.chat.completions.create(messages=USER))
    assert emulator.stats.count() == 0
    await resolve(client.close())


async def test_operation_the_version_lacks_is_an_error_before_any_request(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_version="2024-02-01")
    with pytest.raises(UnsupportedByApiVersionError) as info:
        await resolve(client.audio.speech.create(model="tts", input="hi", voice="alloy"))
    message = str(info.value)
    assert "audio.speech.create" in message and "2024-02-01" in message and "2024-02-15-preview" in message
    assert emulator.stats.count() == 0
    await resolve(client.close())


async def test_parameter_the_version_lacks_is_an_error_and_extra_body_sends_it(
    flavour: str, emulator: Emulator
) -> None:
    client = make_client(flavour, emulator, api_version="2023-05-15")
    with pytest.raises(UnsupportedByApiVersionError, match=r"'tools'.*2023-12-01-preview"):
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER, tools=[]))
    assert emulator.stats.count() == 0
    # extra_body bypasses the check: the field goes on the wire, and the service decides.
    with pytest.raises(BadRequestError, match="tools"):
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER, extra_body={"tools": []}))
    (request,) = emulator.stats.requests
    assert json.loads(request.body)["tools"] == []
    await resolve(client.close())


async def test_with_options_shares_the_connection_pool(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator)
    copy = client.with_options(max_retries=0, api_version="2024-06-01")
    assert copy._http is client._http and copy.api_version == "2024-06-01"
    reply = await resolve(copy.chat.completions.create(model="gpt-4", messages=USER))
    assert reply.choices
    await resolve(copy.close())  # a copy does not close the shared pool
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
    assert reply.choices
    await resolve(client.close())


async def test_with_options_replaces_the_credential(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_key="wrong")
    fixed = client.with_options(api_key=emulator.api_key)
    assert (await resolve(fixed.chat.completions.create(model="gpt-4", messages=USER))).choices
    await resolve(client.close())


async def test_static_ad_token_with_bearer_prefix_is_sent_once(emulator: Emulator) -> None:
    seen: list[str] = []
    emulator.token_validator = lambda token: seen.append(token) is None and token == "good-token"
    try:
        client = AsyncClient(
            azure_ad_token="Bearer good-token", azure_endpoint=emulator.endpoint, api_version="2024-10-21"
        )
        reply = await client.chat.completions.create(model="gpt-4", messages=USER)
        assert reply.choices and seen == ["good-token"]
        await client.close()
    finally:
        emulator.token_validator = None


def test_default_headers_are_sent(emulator: Emulator) -> None:
    client = Client(
        api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version="2024-10-21",
        default_headers={"x-team": "search"},
    )  # fmt: skip
    client.chat.completions.create(model="gpt-4", messages=USER, extra_headers={"x-call": "1"})
    (request,) = emulator.stats.requests
    assert request.headers["x-team"] == "search" and request.headers["x-call"] == "1"
    client.close()


async def test_query_parameter_the_version_lacks_is_an_error(client: Any, emulator: Emulator) -> None:
    # files.list takes limit/after only from 2025-03-01-preview on; the client uses 2024-10-21.
    with pytest.raises(UnsupportedByApiVersionError, match=r"'limit' of files.list"):
        await resolve(client.files.list(limit=2))
    assert emulator.stats.count() == 0
