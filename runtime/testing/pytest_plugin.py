"""The emulator's pytest fixtures, for `pytest_plugins = ["azgate.testing.pytest_plugin"]`.

They are registered automatically (a pytest11 entry point, `azgate._pytest_plugin`).
"""

from __future__ import annotations

from .._pytest_plugin import azure_openai_emulator, azure_openai_emulator_operations, azure_openai_emulator_reset

__all__ = ["azure_openai_emulator", "azure_openai_emulator_operations", "azure_openai_emulator_reset"]
