"""The command line, run in-process with click's CliRunner against the session's emulator
(over real HTTP on loopback); `test_cli_process.py` runs the installed console script."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from azgate.testing import Emulator

API_VERSION = "2024-10-21"
ENV_NAMES = (
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_DEPLOYMENT",
    "OPENAI_API_VERSION",
    "OPENAI_API_KEY",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def azure_env(clean_env: None, emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """The environment a user of the emulator exports: endpoint, key, api-version."""
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", emulator.endpoint)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", emulator.api_key)
    monkeypatch.setenv("OPENAI_API_VERSION", API_VERSION)
    return emulator
