"""#10.3, #10.7: keys, URLs and timeouts are checked when the client is built, and
refused with a ConfigurationError that names the field and never quotes a secret."""

from __future__ import annotations

import math
import pickle
from typing import Any

import pytest
from azgate import AsyncClient, Client, ConfigurationError, NotFoundError, TokenAcquisitionError
from azgate.testing import Emulator
from helpers import make_client, resolve

USER = [{"role": "user", "content": "Hi"}]
SECRET = "sk-secret-0123456789abcdef"


def _build(flavour: str, **settings: Any) -> Client | AsyncClient:
    full = {"api_version": "2024-10-21", "resource_name": "my-resource", **settings}
    full = {k: v for k, v in full.items() if v is not None}
    return Client(**full) if flavour == "sync" else AsyncClient(**full)


def _refused(flavour: str, *names: str, **settings: Any) -> str:
    with pytest.raises(ConfigurationError) as info:
        _build(flavour, **settings)
    message = str(info.value)
    assert all(name in message for name in names), message
    return message


# -- keys and tokens (#10.3) -------------------------------------------------------


async def test_a_key_with_a_trailing_newline_is_stripped_and_works(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator, api_key=f"  {emulator.api_key}\n")
    reply = await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
    assert reply.choices
    assert emulator.stats.requests[-1].headers["api-key"] == emulator.api_key
    await resolve(client.close())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("api_key", ""),
        ("api_key", "   \n"),
        ("api_key", f"{SECRET}é"),
        ("api_key", f"{SECRET[:8]}\n{SECRET[8:]}"),
        ("api_key", f"{SECRET}\x00"),
        ("api_key", f"{SECRET}\x7f"),
        ("azure_ad_token", f"Bearer {SECRET}\r\nx-injected: 1"),
        ("azure_ad_token", f"{SECRET}ü"),
    ],
)
def test_keys_that_cannot_be_sent_are_refused_without_quoting_them(flavour: str, field: str, value: str) -> None:
    message = _refused(flavour, field, **{field: value})
    assert SECRET[:8] not in message and SECRET not in message


def test_a_bad_key_in_the_environment_names_the_variable(
    flavour: str, monkeypatch: pytest.MonkeyPatch, no_env: None
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", f"{SECRET}\u00e9")
    message = _refused(flavour, "AZURE_OPENAI_API_KEY")
    assert SECRET not in message


async def test_a_token_provider_returning_an_unsendable_token(flavour: str, emulator: Emulator) -> None:
    def provider() -> str:
        return f"{SECRET}\n" + "x"

    settings = {"azure_endpoint": emulator.endpoint, "api_version": "2024-10-21", "azure_ad_token_provider": provider}
    client = Client(**settings) if flavour == "sync" else AsyncClient(**settings)
    with pytest.raises(TokenAcquisitionError) as info:
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER))
    assert SECRET not in str(info.value)
    assert emulator.stats.count() == 0
    await resolve(client.close())


# -- URLs (#10.7) --------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    ["http://127.evil.example", "http://127.0.0.1.evil.example", "http://localhost.evil.example", "http://10.0.0.1"],
)
def test_plain_http_only_to_loopback(flavour: str, endpoint: str) -> None:
    _refused(flavour, "azure_endpoint", "https", azure_endpoint=endpoint, resource_name=None, api_key=SECRET)


@pytest.mark.parametrize("endpoint", ["http://127.0.0.9:1", "http://localhost:1", "http://[::1]:1"])
def test_loopback_over_plain_http_is_fine(flavour: str, endpoint: str) -> None:
    client = _build(flavour, azure_endpoint=endpoint, resource_name=None, api_key=SECRET)
    assert client.base_url == endpoint + "/openai"


def test_provider_openai_checks_its_base_url(flavour: str) -> None:
    _refused(flavour, "base_url", "https", provider="openai", base_url="http://api.evil.example/v1",
             api_key=SECRET, resource_name=None, api_version=None)  # fmt: skip
    client = _build(flavour, provider="openai", base_url="http://127.0.0.1:9/v1", api_key=SECRET,
                    resource_name=None, api_version=None)  # fmt: skip
    assert client.base_url == "http://127.0.0.1:9/v1"


@pytest.mark.parametrize("name", ["evil?", "evil#", "evil/x", "a.b", "evil@x", "-x", "x" * 64, "my resource"])
def test_resource_name_is_a_dns_label(flavour: str, name: str) -> None:
    _refused(flavour, "resource_name", resource_name=name, api_key=SECRET)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://x.openai.azure.com/?a=1",
        "https://x.openai.azure.com/#frag",
        "https://x.openai.azure.com/?",
        "https://x.openai.azure.com:notaport",
        "ftp://x.openai.azure.com",
    ],
)
def test_endpoints_that_would_lose_their_meaning_are_refused(flavour: str, endpoint: str) -> None:
    _refused(flavour, "azure_endpoint", azure_endpoint=endpoint, resource_name=None, api_key=SECRET)


def test_credentials_in_an_endpoint_are_refused_and_never_shown(flavour: str) -> None:
    message = _refused(
        flavour, "azure_endpoint", azure_endpoint="https://user:hunter2pass@x.openai.azure.com",
        resource_name=None, api_key=SECRET,
    )  # fmt: skip
    assert "hunter2pass" not in message


@pytest.mark.parametrize("timeout", [-1, 0, math.nan, math.inf, -math.inf, 1e300, "5", True])
def test_timeouts_are_range_checked(flavour: str, timeout: object) -> None:
    _refused(flavour, "timeout", timeout=timeout, api_key=SECRET)


@pytest.mark.parametrize("total", [-1, 0, math.nan, math.inf, "5"])
def test_total_timeout_is_range_checked(flavour: str, total: object) -> None:
    _refused(flavour, "total_timeout", total_timeout=total, api_key=SECRET)


def test_httpx_timeout_parts_are_range_checked(flavour: str) -> None:
    import httpx

    _refused(flavour, "timeout.read", timeout=httpx.Timeout(5, read=-1), api_key=SECRET)


async def test_per_call_timeouts_are_checked_before_sending(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator)
    for timeout in ["5", -1, math.nan, math.inf]:
        with pytest.raises(ConfigurationError, match="timeout"):
            await resolve(client.chat.completions.create(model="gpt-4", messages=USER, timeout=timeout))  # type: ignore[arg-type]
    assert emulator.stats.count() == 0
    await resolve(client.close())


@pytest.mark.parametrize(
    ("headers", "shown"),
    [({1: "x"}, "header name"), ({"bad name": "x"}, "header name"), ({"x-h": f"{SECRET}\n"}, "x-h"),
     ({"x-h": "é"}, "x-h"), ({"x-h": 5}, "x-h")],
)  # fmt: skip
async def test_headers_are_checked_at_build_and_per_call(
    flavour: str, emulator: Emulator, headers: dict[Any, Any], shown: str
) -> None:
    message = _refused(flavour, "default_headers", shown, default_headers=headers, api_key=SECRET)
    assert SECRET not in message
    client = make_client(flavour, emulator)
    with pytest.raises(ConfigurationError, match="extra_headers") as info:
        await resolve(client.chat.completions.create(model="gpt-4", messages=USER, extra_headers=headers))
    assert SECRET not in str(info.value)
    assert emulator.stats.count() == 0
    await resolve(client.close())


# -- what errors show and carry ------------------------------------------------------


async def test_errors_show_no_key_in_request_headers_nor_in_pickles(flavour: str, emulator: Emulator) -> None:
    client = make_client(flavour, emulator)
    with pytest.raises(NotFoundError) as info:
        await resolve(client.chat.completions.create(model="no-such-deployment", messages=USER))
    error = info.value
    key = emulator.api_key
    assert key not in repr(error.request.headers) and key not in repr(error.response.request.headers)
    assert key not in str(dict(error.request.headers))
    data = pickle.dumps(error)
    assert key.encode() not in data
    copy = pickle.loads(data)
    assert type(copy) is NotFoundError and copy.status_code == 404 and str(copy) == str(error)
    assert copy.request.headers["api-key"] == "[secure]"
    await resolve(client.close())


def test_repr_of_a_client_shows_no_secret(flavour: str) -> None:
    client = _build(flavour, api_key=SECRET, default_headers={"x-custom": "v"})
    assert SECRET not in repr(client) and SECRET not in repr(client._options)
