"""#7.5 and #13: every keyword is known or refused with a suggestion; openai-python's
AzureOpenAI names mean what they mean there (checked against openai-python itself on a
recording server). #7.6: errors a user can act on."""

from __future__ import annotations

import inspect
import json
import pydoc
from typing import Any

import httpx
import openai
import pytest
from azgate import (
    APIResponseValidationError,
    AsyncClient,
    Client,
    ClientClosedError,
    ConfigurationError,
    InternalServerError,
    NotFoundError,
)
from azgate._core._settings import SETTING_NAMES
from azgate.testing import Emulator
from helpers import make_client, resolve
from hostile import HostileServer, Received, response

USER = [{"role": "user", "content": "Hi"}]
COMPLETION = json.dumps(
    {"id": "c", "object": "chat.completion", "created": 0, "model": "gpt-4", "choices": []}
).encode()
FILES = json.dumps({"object": "list", "data": []}).encode()


def _build(flavour: str, **settings: Any) -> Client | AsyncClient:
    return Client(**settings) if flavour == "sync" else AsyncClient(**settings)


# -- #7.5 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("api_vesion", "api_version"), ("timout", "timeout"), ("deployment", "deployment_id"),
     ("resource", "resource_name"), ("max_retry", "max_retries"), ("http_clinet", "http_client")],
)  # fmt: skip
def test_an_unknown_keyword_names_the_closest_one(flavour: str, typo: str, meant: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        _build(flavour, api_key="k", resource_name="r", api_version="2024-10-21", **{typo: 1})
    assert typo in str(info.value) and f"{meant}=" in str(info.value)
    client = _build(flavour, api_key="k", resource_name="r", api_version="2024-10-21")
    with pytest.raises(ConfigurationError, match=meant):
        client.with_options(**{typo: 1})
    with pytest.raises(ConfigurationError, match=meant):  # None is a value like any other
        _build(flavour, api_key="k", resource_name="r", api_version="2024-10-21", **{typo: None})


def test_an_http_client_azgate_cannot_send_with_is_refused_at_build(flavour: str) -> None:
    # The other flavour's client would fail on the first request; the mistake is named when
    # the client is built (httpx2 clients: test_httpx2_client.py).
    wrong, right = (httpx.AsyncClient(), httpx.Client()) if flavour == "sync" else (httpx.Client(), httpx.AsyncClient())
    settings: dict[str, Any] = {"api_key": "k", "resource_name": "r", "api_version": "2024-10-21"}
    expected = type(right).__name__
    with pytest.raises(ConfigurationError, match=rf"http_client must be an httpx\.{expected} or an httpx2\.{expected} \(got httpx\."):
        _build(flavour, http_client=wrong, **settings)
    client = _build(flavour, http_client=right, **settings)
    with pytest.raises(ConfigurationError, match="http_client must be"):
        client.with_options(http_client=object())  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["websocket_base_url", "webhook_secret", "_strict_response_validation"])
def test_openai_python_names_azgate_does_not_take_say_so(flavour: str, name: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{name} is an openai-python setting"):
        _build(flavour, api_key="k", resource_name="r", api_version="2024-10-21", **{name: "x"})


async def test_a_client_with_nothing_configured_can_be_built_and_says_what_to_pass(
    flavour: str, no_env: None, emulator: Emulator
) -> None:
    client = _build(flavour)
    assert "nothing to call" in repr(client)
    with pytest.raises(ConfigurationError) as info:
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
    assert "api_version" in str(info.value) and "config" in str(info.value)
    configured = client.with_options(api_key=emulator.api_key, azure_endpoint=emulator.endpoint,
                                     api_version="2024-10-21")  # fmt: skip
    assert (await resolve(configured.chat.completions.create(model="gpt-4", messages=USER))).choices
    await resolve(configured.close())  # the copy of a client with nothing to call has a pool of its own
    await resolve(client.close())


def test_partial_settings_still_fail_at_build(flavour: str, no_env: None) -> None:
    with pytest.raises(ConfigurationError, match="api_version"):
        _build(flavour, api_key="k", resource_name="r")


def test_config_is_accepted_and_kept(flavour: str, no_env: None) -> None:
    config = {"strategy": {"mode": "fallback"}, "targets": [{"provider": "openai", "api_key": "sk-x"}]}
    client = _build(flavour).with_options(config=config)
    assert client._options.config == config


def test_help_lists_every_setting(flavour: str) -> None:
    cls = Client if flavour == "sync" else AsyncClient
    parameters = inspect.signature(cls).parameters
    assert set(parameters) == SETTING_NAMES | {"http_client"}
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    assert all(f"{name}:" in text for name in SETTING_NAMES)


# -- #13 ----------------------------------------------------------------------------------


def _record(request: Received) -> bytes:
    return response(200, FILES if "/files" in request.path else COMPLETION)


def _paths_and_headers(make: Any) -> list[tuple[str, str, dict[str, str]]]:
    with HostileServer(_record) as server:
        client = make(server.url)
        client.chat.completions.create(model="the-model", messages=USER)
        client.files.list()
        client.close()
    keep = ("openai-organization", "openai-project", "api-key", "x-extra")
    return [(r.method, r.path, {k: v for k, v in r.headers.items() if k in keep}) for r in server.received]


@pytest.mark.parametrize(
    "settings",
    [
        {"azure_deployment": "fixed"},
        {},
        {"organization": "org-1", "project": "proj-1"},
        {"default_query": {"x-extra": "1"}},
        {"default_headers": {"x-extra": "h"}},
    ],
)
def test_azure_openai_names_mean_what_they_mean_in_openai_python(settings: dict[str, Any], no_env: None) -> None:
    common = {"api_key": "key-1", "api_version": "2024-10-21", "max_retries": 0, **settings}
    theirs = _paths_and_headers(lambda url: openai.AzureOpenAI(azure_endpoint=url, **common))
    ours = _paths_and_headers(lambda url: Client(azure_endpoint=url, **common))
    assert ours == theirs


@pytest.mark.parametrize("base", ["/openai", "/openai/deployments/fixed"])
def test_base_url_means_what_it_means_in_openai_python(base: str, no_env: None) -> None:
    common = {"api_key": "key-1", "api_version": "2024-10-21", "max_retries": 0}
    theirs = _paths_and_headers(lambda url: openai.AzureOpenAI(base_url=url + base, **common))
    ours = _paths_and_headers(lambda url: Client(base_url=url + base, **common))
    assert next(p[:2] for p in ours) == next(p[:2] for p in theirs)  # the chat call
    assert ours[0][1].startswith("/openai/deployments/" + ("fixed" if "fixed" in base else "the-model"))


def test_azure_deployment_and_deployment_id_are_one_setting(flavour: str) -> None:
    with pytest.raises(ConfigurationError, match="deployment_id"):
        _build(flavour, api_key="k", resource_name="r", api_version="v1", deployment_id="a", azure_deployment="b")
    client = _build(flavour, api_key="k", resource_name="r", api_version="2024-10-21", azure_deployment="a")
    assert client.with_options(deployment_id="b")._options.deployment_id == "b"


def test_token_provider_aliases_are_exported() -> None:
    from azgate import AsyncAzureADTokenProvider, AzureADTokenProvider
    from openai.lib.azure import AsyncAzureADTokenProvider as Theirs
    from openai.lib.azure import AzureADTokenProvider as TheirsSync

    assert str(AzureADTokenProvider) == str(TheirsSync)
    assert str(AsyncAzureADTokenProvider) == str(Theirs)


# -- #7.6 ---------------------------------------------------------------------------------


async def test_deployment_not_found_names_the_deployment_and_version(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator)
    with pytest.raises(NotFoundError) as info:
        await resolve(client.chat.completions.create(model="no-such-deployment", messages=USER))
    message = str(info.value)
    assert "'no-such-deployment'" in message and "2024-10-21" in message and info.value.code == "DeploymentNotFound"
    assert emulator.api_key not in message
    await resolve(client.close())


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (response(500, b'{"detail": "upstream exploded"}'), 'not Azure\'s error shape: {"detail":"upstream exploded"}'),
        (response(500, b"Bad gateway, sorry", "text/plain"), "500 with a text/plain body: Bad gateway, sorry"),
        (response(500, b"<html><h1>502</h1></html>", "text/html"), "text/html body: <html>"),
        (response(500, b"", None), "500 with an empty body"),
        (response(500, b"{}"), "500 with an empty body"),
        (response(500, b"[1, 2]"), "not Azure's error shape: [1,2]"),
    ],
)
async def test_error_bodies_not_in_azures_shape_are_reported_as_they_are(
    flavour: str, answer: bytes, says: str
) -> None:
    with HostileServer(lambda r: answer) as server:
        client = make_client(flavour, server, max_retries=0)  # type: ignore[arg-type]
        with pytest.raises(InternalServerError) as info:
            await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
        await resolve(client.close())
    assert says in str(info.value)


async def test_a_call_on_a_closed_client(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator)
    copy = client.with_options(max_retries=0)
    await resolve(client.close())
    for closed in (client, copy):
        with pytest.raises(ClientClosedError):
            await resolve(closed.chat.completions.create(model="gpt-4", messages=USER))
    assert emulator.stats.count() == 0


async def test_a_closed_http_client(flavour: str, emulator: Emulator) -> None:
    http: Any = httpx.Client() if flavour == "sync" else httpx.AsyncClient()
    client = make_client(flavour, emulator, http_client=http)
    await resolve(http.close() if flavour == "sync" else http.aclose())
    with pytest.raises(ClientClosedError, match="http_client"):
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER))


async def test_a_stream_answered_with_json_names_the_content_type(flavour: str) -> None:
    with HostileServer(lambda r: response(200, COMPLETION)) as server:
        client = make_client(flavour, server, max_retries=0)  # type: ignore[arg-type]
        with pytest.raises(APIResponseValidationError) as info:
            await resolve(client.chat.completions.create(model="gpt-4", messages=USER, stream=True))
        await resolve(client.close())
    assert "text/event-stream" in str(info.value) and "application/json" in str(info.value)
