"""Every way to authenticate completes a chat call, sync and async, with the real
azure-identity against the local token endpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from auth_support import SCOPE, async_secret_credential, chat, close, make, sync_secret_credential
from azgate import ConfigurationError
from azgate.testing import Emulator, IdentityEmulator

USER_ASSIGNED = "22222222-2222-2222-2222-22222222a55d"


async def test_entra_service_principal(
    flavour: str, api: Emulator, idp: IdentityEmulator, entra: dict[str, Any]
) -> None:
    client = make(flavour, api, **entra)
    try:
        assert await chat(client) == "You said: hi"
        assert await chat(client) == "You said: hi"
    finally:
        await close(client)
    [request] = idp.requests  # the second call used the cached token
    assert (request.kind, request.client_id, request.audience) == (
        "client_secret",
        idp.client_id,
        "https://cognitiveservices.azure.com",
    )


@pytest.mark.parametrize("client_id", [None, USER_ASSIGNED], ids=["system-assigned", "user-assigned"])
@pytest.mark.parametrize(
    "scope", [None, "https://cognitiveservices.azure.com", SCOPE], ids=["default", "resource", "scope"]
)
async def test_managed_identity(
    flavour: str,
    api: Emulator,
    idp: IdentityEmulator,
    monkeypatch: pytest.MonkeyPatch,
    client_id: str | None,
    scope: str | None,
) -> None:
    for name, value in idp.managed_identity_env().items():
        monkeypatch.setenv(name, value)
    client = make(flavour, api, azure_auth_mode="managed", azure_managed_client_id=client_id, azure_entra_scope=scope)
    try:
        assert await chat(client) == "You said: hi"
    finally:
        await close(client)
    [request] = idp.requests
    assert request.kind == "managed_identity"
    assert request.client_id == (client_id or "system-assigned")
    assert request.audience == "https://cognitiveservices.azure.com"


@pytest.mark.parametrize("from_keyword", [False, True], ids=["AZURE_CLIENT_ID", "azure_workload_client_id"])
async def test_workload_identity(
    flavour: str,
    api: Emulator,
    idp: IdentityEmulator,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    from_keyword: bool,
) -> None:
    env = idp.workload_identity_env(str(tmp_path / "token"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings: dict[str, Any] = {"azure_auth_mode": "workload"}
    if from_keyword:
        monkeypatch.delenv("AZURE_CLIENT_ID")
        settings["azure_workload_client_id"] = idp.client_id
    client = make(flavour, api, **settings)
    try:
        assert await chat(client) == "You said: hi"
    finally:
        await close(client)
    [request] = idp.requests
    assert (request.kind, request.client_id) == ("client_assertion", idp.client_id)


async def test_any_sync_credential(flavour: str, api: Emulator, idp: IdentityEmulator) -> None:
    credential = sync_secret_credential(idp)
    client = make(flavour, api, credential=credential)
    try:
        assert await chat(client) == "You said: hi"
        assert await chat(client) == "You said: hi"
    finally:
        await close(client)
        credential.close()  # the user's credential: the client does not close it
    assert idp.token_requests == 1


async def test_default_azure_credential(
    flavour: str, api: Emulator, idp: IdentityEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from azure.identity import DefaultAzureCredential

    for name, value in {
        "AZURE_AUTHORITY_HOST": idp.authority_host,
        "AZURE_TENANT_ID": idp.tenant_id,
        "AZURE_CLIENT_ID": idp.client_id,
        "AZURE_CLIENT_SECRET": idp.client_secret,
    }.items():
        monkeypatch.setenv(name, value)
    credential = DefaultAzureCredential(disable_instance_discovery=True)
    client = make(flavour, api, credential=credential)
    try:
        assert await chat(client) == "You said: hi"
    finally:
        await close(client)
        credential.close()
    assert idp.token_requests == 1


async def test_async_credential_with_async_client(api: Emulator, idp: IdentityEmulator) -> None:
    credential = async_secret_credential(idp)
    async with credential:
        client = make("async", api, credential=credential)
        try:
            assert await chat(client) == "You said: hi"
            assert await chat(client) == "You said: hi"
        finally:
            await close(client)
    assert idp.token_requests == 1


def test_async_credential_with_sync_client_is_a_configuration_error(api: Emulator, idp: IdentityEmulator) -> None:
    credential = async_secret_credential(idp)
    with pytest.raises(ConfigurationError, match=r"async credential .*ClientSecretCredential.*AsyncClient"):
        make("sync", api, credential=credential)


async def test_token_provider(flavour: str, api: Emulator, idp: IdentityEmulator) -> None:
    from azure.identity import get_bearer_token_provider

    credential = sync_secret_credential(idp)
    client = make(flavour, api, azure_ad_token_provider=get_bearer_token_provider(credential, SCOPE))
    try:
        assert await chat(client) == "You said: hi"
        assert await chat(client) == "You said: hi"
    finally:
        await close(client)
        credential.close()
    assert idp.token_requests == 1  # azure-identity caches behind the provider


async def test_async_token_provider(api: Emulator, idp: IdentityEmulator) -> None:
    from azure.identity.aio import get_bearer_token_provider

    async with async_secret_credential(idp) as credential:
        client = make("async", api, azure_ad_token_provider=get_bearer_token_provider(credential, SCOPE))
        try:
            assert await chat(client) == "You said: hi"
        finally:
            await close(client)
    assert idp.token_requests == 1


def test_async_token_provider_with_sync_client_is_a_configuration_error(api: Emulator) -> None:
    async def provider() -> str:
        return "token"

    with pytest.raises(ConfigurationError, match="async function"):
        make("sync", api, azure_ad_token_provider=provider)


async def test_plain_callable_provider_and_bearer_prefix(flavour: str, api: Emulator, idp: IdentityEmulator) -> None:
    credential = sync_secret_credential(idp)
    calls = []

    def provider() -> str:
        calls.append(1)
        return "Bearer " + credential.get_token(SCOPE).token

    client = make(flavour, api, azure_ad_token_provider=provider)
    try:
        assert await chat(client) == "You said: hi"
    finally:
        await close(client)
        credential.close()
    assert calls == [1]


async def test_unissued_token_is_refused(flavour: str, api: Emulator, idp: IdentityEmulator) -> None:
    from azgate import AuthenticationError

    client = make(flavour, api, azure_ad_token="not-issued-by-the-emulator")
    try:
        with pytest.raises(AuthenticationError) as caught:
            await chat(client)
    finally:
        await close(client)
    assert caught.value.status_code == 401
    assert "audience is incorrect" in str(caught.value)
