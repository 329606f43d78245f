"""Fixtures for the emulator's own tests.

The emulator serves the generated operation table when azgate.generated._operations
imports, else the hand-built stand-in in emulator_support.py; the tests pass with both.
Once the generated table is always there, `azure_openai_emulator_operations` can go (the
plugin's default, None, means "generated"). The plugin's fixtures come from the pytest11
entry point in pyproject.toml (installed with the package).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

import httpx
import pytest
from azgate._core._operation import OperationSpec
from azgate.testing import Emulator
from emulator_support import hand_built_operations, operations_under_test


@pytest.fixture(scope="session")
def azure_openai_emulator_operations() -> Mapping[str, OperationSpec] | None:
    # Swap point: the generated table when it imports, else the hand-built stand-in.
    # EMULATOR_TABLE=hand-built forces the stand-in (to test the emulator in isolation).
    if os.environ.get("EMULATOR_TABLE") == "hand-built":
        return hand_built_operations()
    return operations_under_test()


@pytest.fixture
def emulator(azure_openai_emulator_reset: Emulator) -> Emulator:
    return azure_openai_emulator_reset


@pytest.fixture
def http(emulator: Emulator) -> Iterator[httpx.Client]:
    """A plain httpx client of the emulator, with its api-key."""
    with httpx.Client(base_url=emulator.endpoint, headers={"api-key": emulator.api_key}, timeout=10) as client:
        yield client
