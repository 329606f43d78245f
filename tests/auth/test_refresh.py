"""The token cache against real azure-identity: expiry, concurrency, revocation, failures."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from auth_support import chat, close, make
from azgate import AuthenticationError, TokenAcquisitionError
from azgate.testing import Emulator, IdentityEmulator

CONCURRENCY = 50
LIFETIME = 3  # seconds; azure-identity rounds expires_on down to whole seconds


def wait_until_expired(idp: IdentityEmulator) -> None:
    """Until the API refuses every token issued so far (the client's view expires no later)."""
    deadline = time.monotonic() + LIFETIME + 2
    while any(idp.validate(token) for token in idp.tokens) and time.monotonic() < deadline:
        time.sleep(0.05)


async def test_a_token_expiring_mid_run_is_replaced(
    flavour: str, api: Emulator, idp: IdentityEmulator, entra: dict[str, Any]
) -> None:
    idp.expires_in = LIFETIME
    client = make(flavour, api, **entra)
    try:
        await chat(client)
        wait_until_expired(idp)  # the API would now refuse the token
        await chat(client)
    finally:
        await close(client)
    assert idp.token_requests == 2
    assert api.stats.count() == 2  # no 401 on the way: the client refreshed before sending


async def test_concurrent_calls_make_one_token_request(
    flavour: str, api: Emulator, idp: IdentityEmulator, entra: dict[str, Any]
) -> None:
    idp.expires_in = LIFETIME
    client = make(flavour, api, **entra)

    async def wave() -> list[str]:
        if flavour == "async":
            return list(await asyncio.gather(*(chat(client) for _ in range(CONCURRENCY))))
        barrier = threading.Barrier(CONCURRENCY)
        results: list[str] = []

        def call() -> None:
            barrier.wait()
            results.append(asyncio.run(chat(client)))

        threads = [threading.Thread(target=call) for _ in range(CONCURRENCY)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    try:
        assert await wave() == ["You said: hi"] * CONCURRENCY  # a cold cache
        assert idp.token_requests == 1
        wait_until_expired(idp)
        assert await wave() == ["You said: hi"] * CONCURRENCY  # an expired token
        assert idp.token_requests == 2
    finally:
        await close(client)


@pytest.mark.parametrize("mode", ["entra", "managed"])
async def test_a_401_after_revocation_is_recovered_by_one_refresh(
    flavour: str,
    api: Emulator,
    idp: IdentityEmulator,
    entra: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
) -> None:
    if mode == "managed":
        for name, value in idp.managed_identity_env().items():
            monkeypatch.setenv(name, value)
        settings: dict[str, Any] = {"azure_auth_mode": "managed"}
    else:
        settings = entra
    client = make(flavour, api, **settings)
    try:
        await chat(client)
        idp.revoke_all()
        # Azure answers the revoked token with a claims challenge; the client drops its token,
        # asks azure-identity again with the claims (which skips azure-identity's cache), retries once.
        assert await chat(client) == "You said: hi"
        await chat(client)
    finally:
        await close(client)
    assert idp.token_requests == 2
    assert [r.status for r in api.stats.requests] == [200, 401, 200, 200]
    if mode == "entra":
        assert idp.requests[1].claims


async def test_a_401_without_challenge_asks_a_provider_again(
    flavour: str, api: Emulator, idp: IdentityEmulator
) -> None:
    from auth_support import SCOPE, sync_secret_credential

    tokens = ["revoked-elsewhere"]
    credential = sync_secret_credential(idp)

    def provider() -> str:
        return tokens.pop(0) if tokens else credential.get_token(SCOPE).token

    client = make(flavour, api, azure_ad_token_provider=provider)
    try:
        assert await chat(client) == "You said: hi"
    finally:
        await close(client)
        credential.close()
    assert [r.status for r in api.stats.requests] == [401, 200]


async def test_a_second_401_is_raised(flavour: str, api: Emulator, idp: IdentityEmulator) -> None:
    client = make(flavour, api, azure_ad_token_provider=lambda: "never-valid")
    try:
        with pytest.raises(AuthenticationError) as caught:
            await chat(client)
    finally:
        await close(client)
    assert not isinstance(caught.value, TokenAcquisitionError)
    assert [r.status for r in api.stats.requests] == [401, 401]  # one retry only


@pytest.mark.parametrize("mode", ["entra", "managed", "workload"])
async def test_a_failing_token_endpoint_names_the_credential(
    flavour: str,
    api: Emulator,
    idp: IdentityEmulator,
    entra: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
    mode: str,
) -> None:
    expected = {"entra": "ClientSecretCredential", "managed": "ManagedIdentityCredential",
                "workload": "WorkloadIdentityCredential"}[mode]  # fmt: skip
    settings: dict[str, Any] = entra
    if mode == "managed":
        for name, value in idp.managed_identity_env().items():
            monkeypatch.setenv(name, value)
        settings = {"azure_auth_mode": "managed"}
    elif mode == "workload":
        for name, value in idp.workload_identity_env(str(tmp_path / "token")).items():
            monkeypatch.setenv(name, value)
        settings = {"azure_auth_mode": "workload"}
    idp.fail(400, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
    client = make(flavour, api, **settings)
    try:
        with pytest.raises(AuthenticationError) as caught:
            await chat(client)
    finally:
        await close(client)
    error = caught.value
    assert isinstance(error, TokenAcquisitionError)
    assert error.credential == expected
    assert str(error).startswith(f"{expected} could not get a token for https://cognitiveservices.azure.com/.default")
    assert "7000215" in str(error)
    assert idp.client_secret not in str(error) and idp.client_secret not in repr(error)
    assert api.stats.count() == 0  # nothing was sent to the API


async def test_a_wrong_client_secret_is_a_token_error(
    flavour: str, api: Emulator, idp: IdentityEmulator, entra: dict[str, Any]
) -> None:
    wrong = "wrong-secret-value-1234"
    client = make(flavour, api, **{**entra, "azure_entra_client_secret": wrong})
    try:
        with pytest.raises(TokenAcquisitionError, match=r"ClientSecretCredential.*AADSTS7000215") as caught:
            await chat(client)
    finally:
        await close(client)
    assert wrong not in str(caught.value)
    # MSAL does not hand azure-identity the HTTP response: the error names the credential instead.
    assert caught.value.status_code == 401
    assert str(caught.value.request.url) == "urn:azgate:credential:ClientSecretCredential"


async def test_recovers_once_the_token_endpoint_does(
    flavour: str, api: Emulator, idp: IdentityEmulator, entra: dict[str, Any]
) -> None:
    # A 401, not a 400: MSAL replays an identical request's HTTP 400 answer for 60 s.
    idp.fail(401, times=1)
    client = make(flavour, api, **entra)
    try:
        with pytest.raises(TokenAcquisitionError):
            await chat(client)
        assert await chat(client) == "You said: hi"  # no cached failure
    finally:
        await close(client)
    assert idp.token_requests == 2
