"""Fixtures for the telemetry tests: a fresh recorder per test, and two emulated Azure
regions plus an OpenAI stand-in for the routed calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from azgate.testing import Emulator
from telemetry_support import DEPLOYMENTS, OPENAI_KEY, Recorder


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    recording = Recorder()
    yield recording
    recording.shutdown()


@pytest.fixture(scope="session")
def _sites() -> Iterator[dict[str, Emulator]]:
    sites = {name: Emulator(deployments=DEPLOYMENTS).start() for name in ("east", "west")}
    sites["openai"] = Emulator(deployments=DEPLOYMENTS, token_validator=lambda token: token == OPENAI_KEY).start()
    yield sites
    for site in sites.values():
        site.stop()


@pytest.fixture
def sites(_sites: dict[str, Emulator]) -> Iterator[dict[str, Emulator]]:
    for site in _sites.values():
        site.reset()
    yield _sites
    for site in _sites.values():
        site.reset()
