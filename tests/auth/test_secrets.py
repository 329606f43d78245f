"""No secret (client secret, federated assertion, identity header, api key, issued tokens) in
DEBUG logs of azgate, azure.identity, azure.core, msal, httpx, in reprs or exception texts."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from auth_support import chat, close, make
from azgate import AzgateError, ConfigurationError
from azgate.testing import Emulator, IdentityEmulator

LOGGERS = ("", "azgate", "azure", "azure.identity", "azure.core", "msal", "httpx", "httpcore", "urllib3")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


async def test_nothing_secret_is_logged_or_shown(
    flavour: str,
    api: Emulator,
    idp: IdentityEmulator,
    entra: dict[str, Any],
    debug_logs: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    shown: list[str] = []
    for name, value in {**idp.managed_identity_env(), **idp.workload_identity_env(str(tmp_path / "t"))}.items():
        monkeypatch.setenv(name, value)
    for settings in (entra, {"azure_auth_mode": "managed"}, {"azure_auth_mode": "workload"}):
        client = make(flavour, api, **settings)
        try:
            await chat(client)
            idp.revoke_all()  # a 401 with a challenge, then a refresh
            await chat(client)
            copy = client.with_options(max_retries=0)
            shown += [repr(client), str(client), repr(copy), repr(client._options), repr(client._options.settings)]
        finally:
            await close(client)
    wrong = make(flavour, api, **{**entra, "azure_entra_client_secret": "the-wrong-secret"})
    try:
        with pytest.raises(AzgateError) as caught:
            await chat(wrong)
        shown += [str(caught.value), repr(caught.value), repr(caught.value.__cause__)]
    finally:
        await close(wrong)
    with pytest.raises(ConfigurationError) as config_error:
        make(flavour, api, api_key="an-api-key-value", **entra)
    shown.append(str(config_error.value))

    assert debug_logs.records, "DEBUG logging was captured"
    assert any(r.name.startswith("azure.identity") for r in debug_logs.records)
    text = "\n".join([debug_logs.text, *shown, *(r.getMessage() for r in debug_logs.records)])
    secrets = [idp.client_secret, idp.federated_token, idp.identity_header, "the-wrong-secret", "an-api-key-value"]
    secrets += list(idp.tokens)
    assert len(idp.tokens) >= 6
    for secret in secrets:
        assert secret not in text
