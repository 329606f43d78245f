"""Fixtures for the emulator's own tests.

Until codegen writes azgate.generated._operations, the emulator serves the small
hand-built table in emulator_support.py. To switch to the generated table, delete
`azure_openai_emulator_operations` here (the plugin's default, None, means "generated").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import httpx
import pytest
from emulator_support import hand_built_operations

from azgate._operation import OperationSpec
from azgate.testing import Emulator

# The plugin's fixtures, imported so these tests run whether or not the pytest11 entry
# point is installed (a conftest's definitions win over the plugin's).
from azgate.testing.pytest_plugin import (  # noqa: F401
    azure_openai_emulator,
    azure_openai_emulator_reset,
)


@pytest.fixture(scope="session")
def azure_openai_emulator_operations() -> Mapping[str, OperationSpec] | None:
    # Swap point: return None here (or delete this fixture) to serve the generated table.
    import os
    return None if os.environ.get("EMULATOR_GENERATED") else hand_built_operations()


@pytest.fixture
def emulator(azure_openai_emulator_reset: Emulator) -> Emulator:
    return azure_openai_emulator_reset


@pytest.fixture
def client(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=emulator.endpoint, headers={"api-key": emulator.api_key}, timeout=10
    ) as http:
        yield http
