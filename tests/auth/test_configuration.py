"""Every mixing / missing-field mistake is a ConfigurationError naming the fields, raised
when the client is built; `with_options` replaces or keeps a whole auth configuration."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from auth_support import chat, close, make, sync_secret_credential
from azgate import AsyncClient, Client, ConfigurationError
from azgate.testing import Emulator, IdentityEmulator

ENDPOINT = {"azure_endpoint": "https://example.openai.azure.com", "api_version": "2024-10-21"}
SECRET = "a-client-secret-value"
ENTRA = {
    "azure_auth_mode": "entra",
    "azure_entra_tenant_id": "contoso.onmicrosoft.com",
    "azure_entra_client_id": "app-id",
    "azure_entra_client_secret": SECRET,
}


class FakeCredential:
    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        raise AssertionError("no token is requested while building a client")


@pytest.fixture(params=[Client, AsyncClient], ids=["sync", "async"])
def client_class(request: pytest.FixtureRequest, idp: IdentityEmulator) -> Any:
    return request.param


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"api_key": "k", **ENTRA}, ["api_key=", "azure_auth_mode="]),
        ({"azure_ad_token": "t", "credential": FakeCredential()}, ["azure_ad_token=", "credential="]),
        ({"azure_ad_token_provider": lambda: "t", "credential": FakeCredential()},
         ["azure_ad_token_provider=", "credential="]),
        ({"api_key": "k", "azure_ad_token": "t"}, ["api_key=", "azure_ad_token="]),
        ({"credential": FakeCredential(), "azure_auth_mode": "managed"}, ["credential=", "azure_auth_mode="]),
    ],
    ids=["api_key+mode", "token+credential", "provider+credential", "api_key+token", "credential+mode"],
)  # fmt: skip
def test_two_ways_to_authenticate(client_class: Any, settings: dict[str, Any], named: list[str]) -> None:
    with pytest.raises(ConfigurationError, match="Pass one way to authenticate") as caught:
        client_class(**ENDPOINT, **settings)
    for name in named:
        assert name in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"api_key": "k", "azure_entra_client_secret": SECRET}, "azure_entra_client_secret is used only with azure_auth_mode='entra'"),
        ({"api_key": "k", "azure_entra_tenant_id": "t"}, "azure_entra_tenant_id is used only with azure_auth_mode='entra'"),
        ({**ENTRA, "azure_managed_client_id": "x"}, "azure_managed_client_id is used only with azure_auth_mode='managed'"),
        ({"azure_auth_mode": "managed", "azure_authority_host": "https://login.microsoftonline.us"},
         "azure_authority_host is used only with azure_auth_mode='entra' or azure_auth_mode='workload'"),
        ({"azure_auth_mode": "managed", "azure_workload_client_id": "x"}, "azure_workload_client_id is used only"),
        ({"azure_ad_token_provider": lambda: "t", "azure_entra_scope": "s"}, "azure_entra_scope is used only with"),
        ({"azure_entra_client_id": "x"}, "no azure_auth_mode is set"),
    ],
    ids=["secret+key", "tenant+key", "managed-id+entra", "authority+managed", "workload-id+managed", "scope+provider",
         "entra-field-alone"],
)  # fmt: skip
def test_a_setting_the_chosen_way_ignores(client_class: Any, settings: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named.replace("(", r"\(")) as caught:
        client_class(**ENDPOINT, **settings)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        (["azure_entra_tenant_id"], "azure_entra_tenant_id"),
        (["azure_entra_client_id"], "azure_entra_client_id"),
        (["azure_entra_client_secret"], "azure_entra_client_secret"),
        (["azure_entra_tenant_id", "azure_entra_client_secret"], "azure_entra_tenant_id, azure_entra_client_secret"),
    ],
)
def test_entra_needs_tenant_client_and_secret(client_class: Any, missing: list[str], named: str) -> None:
    settings = {k: v for k, v in ENTRA.items() if k not in missing}
    with pytest.raises(ConfigurationError, match=f"azure_auth_mode='entra' needs {named}\\.") as caught:
        client_class(**ENDPOINT, **settings)
    assert SECRET not in str(caught.value)


def test_workload_needs_its_environment(client_class: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError) as caught:
        client_class(**ENDPOINT, azure_auth_mode="workload")
    assert str(caught.value) == (
        "azure_auth_mode='workload' needs AZURE_TENANT_ID (environment), AZURE_FEDERATED_TOKEN_FILE (environment), "
        "azure_workload_client_id (or AZURE_CLIENT_ID)."
    )


@pytest.mark.parametrize("mode", ["Entra", "msi", "", 1])
def test_unknown_mode(client_class: Any, mode: Any) -> None:
    with pytest.raises(ConfigurationError, match="azure_auth_mode must be one of 'entra', 'managed', 'workload'"):
        client_class(**ENDPOINT, azure_auth_mode=mode)


@pytest.mark.parametrize("host", ["http://login.example", "https://", "ftp://x"])
def test_authority_host_must_be_https(client_class: Any, host: str) -> None:
    with pytest.raises(ConfigurationError, match="azure_authority_host must be an https:// URL"):
        client_class(**ENDPOINT, **ENTRA, azure_authority_host=host)


def test_a_malformed_tenant_is_a_configuration_error(client_class: Any) -> None:
    with pytest.raises(ConfigurationError, match=r"azure_auth_mode='entra': .*tenant") as caught:
        client_class(**ENDPOINT, **{**ENTRA, "azure_entra_tenant_id": "not a tenant!"})
    assert SECRET not in str(caught.value)


def test_not_a_credential(client_class: Any) -> None:
    with pytest.raises(ConfigurationError, match="credential must be an azure-core TokenCredential"):
        client_class(**ENDPOINT, credential="a string")


def test_provider_must_be_callable(client_class: Any) -> None:
    with pytest.raises(ConfigurationError, match="azure_ad_token_provider must be callable"):
        client_class(**ENDPOINT, azure_ad_token_provider="token")


def test_openai_provider_takes_no_azure_auth(client_class: Any) -> None:
    with pytest.raises(
        ConfigurationError, match="provider='openai' authenticates with api_key= only; drop azure_auth_mode"
    ):
        client_class(provider="openai", api_key="sk", azure_auth_mode="managed")


def test_missing_azure_identity(client_class: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "azure.identity", None)  # makes the import fail
    with pytest.raises(ConfigurationError, match=r'pip install "azgate\[identity\]"'):
        client_class(**ENDPOINT, azure_auth_mode="managed")


def test_azure_identity_is_imported_only_when_used() -> None:
    code = (
        "import sys, azgate\n"
        "azgate.Client(api_key='k', azure_endpoint='https://x.openai.azure.com', api_version='2024-10-21')\n"
        "azgate.AsyncClient(azure_ad_token_provider=lambda: 't', azure_endpoint='https://x.openai.azure.com',"
        " api_version='2024-10-21')\n"
        "print(sorted(m for m in sys.modules if m.startswith(('azure', 'msal'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- with_options, sharing and closing ------------------------------------------------


async def test_with_options_shares_the_token_cache(
    flavour: str, api: Emulator, idp: IdentityEmulator, entra: dict[str, Any]
) -> None:
    client = make(flavour, api, **entra)
    try:
        await chat(client)
        copy = client.with_options(max_retries=1)
        assert copy._options.auth is client._options.auth
        await chat(copy)
        assert idp.token_requests == 1
        await close(copy)  # the copy does not own the credential: the original keeps working
        await chat(client)
    finally:
        await close(client)
    assert idp.token_requests == 1


async def test_with_options_replaces_the_whole_auth(
    flavour: str, api: Emulator, idp: IdentityEmulator, entra: dict[str, Any]
) -> None:
    client = make(flavour, api, **entra)
    try:
        copy = client.with_options(api_key=api.api_key)  # no "api_key with azure_auth_mode" error
        assert type(copy._options.auth).__name__ == "ApiKeyAuth"
        assert await chat(copy) == "You said: hi"
        rotated = client.with_options(azure_entra_client_secret="rotated")  # refines: mode kept
        assert rotated._options.auth is not client._options.auth
        assert rotated._options.settings["azure_auth_mode"] == "entra"
        await close(rotated)
    finally:
        await close(client)
    assert idp.token_requests == 0


async def test_clients_sharing_a_credential_share_its_tokens(
    flavour: str, api: Emulator, idp: IdentityEmulator
) -> None:
    credential = sync_secret_credential(idp)
    first, second = make(flavour, api, credential=credential), make(flavour, api, credential=credential)
    try:
        await chat(first)
        await chat(second)
    finally:
        await close(first)
        await close(second)
        credential.close()
    assert idp.token_requests == 1


class ClosableCredential:
    def __init__(self) -> None:
        self.closed = False

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        raise AssertionError("unused")

    def close(self) -> None:
        self.closed = True


async def test_close_closes_only_the_credentials_the_client_created(
    flavour: str, api: Emulator, idp: IdentityEmulator, entra: dict[str, Any]
) -> None:
    users = ClosableCredential()
    client = make(flavour, api, credential=users)
    await close(client)
    assert not users.closed

    owned = make(flavour, api, **entra)
    credential = owned._options.auth._credential  # type: ignore[union-attr]
    closed: list[bool] = []
    original = credential.close
    credential.close = lambda: (closed.append(True), original())
    await close(owned)
    assert closed == [True]
