"""pytest fixtures for the emulator (registered as a pytest11 entry point).

This module lives outside `azgate.testing` on purpose: pytest imports every installed
plugin at startup, and `azgate.testing` refuses to import without the `testing` extra.
`azgate.testing.pytest_plugin` re-exports these fixtures for `pytest_plugins = [...]`.

- `azure_openai_emulator` (session): one started `Emulator` for the whole run;
- `azure_openai_emulator_reset` (function): the same emulator, with faults and request
  stats cleared before and after the test;
- `azure_openai_emulator_operations` (session): the operation table it serves; None
  means the generated table. Override it in a conftest.py to serve another table.

Imports of the emulator (starlette, uvicorn) happen inside the fixtures, so merely
having azgate installed never slows down or breaks an unrelated pytest run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ._core._operation import OperationSpec
    from .testing import Emulator

__all__ = [
    "azure_openai_emulator",
    "azure_openai_emulator_operations",
    "azure_openai_emulator_reset",
]


@pytest.fixture(scope="session")
def azure_openai_emulator_operations() -> Mapping[str, OperationSpec] | None:
    return None


@pytest.fixture(scope="session")
def azure_openai_emulator(
    azure_openai_emulator_operations: Mapping[str, OperationSpec] | None,
) -> Iterator[Emulator]:
    from .testing import Emulator

    with Emulator(operations=azure_openai_emulator_operations) as emulator:
        yield emulator


@pytest.fixture
def azure_openai_emulator_reset(azure_openai_emulator: Emulator) -> Iterator[Emulator]:
    azure_openai_emulator.reset()
    yield azure_openai_emulator
    azure_openai_emulator.reset()
