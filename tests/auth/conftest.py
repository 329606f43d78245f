"""Fixtures for the auth tests: a local Entra ID / managed identity (HTTPS, test CA) whose
tokens the session's API emulator accepts, and an environment without stray Azure settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from azgate.testing import Emulator, IdentityEmulator

ENVIRONMENT = (
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_VERSION",
    "OPENAI_API_KEY",
    "AZURE_AUTHORITY_HOST",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_KUBERNETES_TOKEN_PROXY",
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "IDENTITY_SERVER_THUMBPRINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    "IMDS_ENDPOINT",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)


@pytest.fixture(scope="session")
def identity_server() -> Iterator[IdentityEmulator]:
    with IdentityEmulator() as idp:
        yield idp


@pytest.fixture
def idp(identity_server: IdentityEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[IdentityEmulator]:
    """The identity emulator, reset, with its CA trusted by azure-identity (requests)."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", identity_server.ca_bundle)
    identity_server.reset()
    yield identity_server
    identity_server.reset()


@pytest.fixture
def api(emulator: Emulator, idp: IdentityEmulator) -> Iterator[Emulator]:
    """The API emulator, accepting the bearer tokens `idp` issued (and its api key)."""
    previous = emulator.token_validator
    emulator.token_validator = idp.validate
    yield emulator
    emulator.token_validator = previous


@pytest.fixture
def entra(idp: IdentityEmulator) -> dict[str, Any]:
    """Settings of the Entra service-principal mode against `idp`."""
    return {
        "azure_auth_mode": "entra",
        "azure_authority_host": idp.authority_host,
        "azure_entra_tenant_id": idp.tenant_id,
        "azure_entra_client_id": idp.client_id,
        "azure_entra_client_secret": idp.client_secret,
    }
