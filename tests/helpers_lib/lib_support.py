"""Support for the tests of azgate's helper modules (batch, fine-tuning)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from azgate.testing import Emulator


def one_state_per_look(emulator: Emulator, also: Callable[[Any], None] | None = None) -> Callable[[Any], None]:
    """A progress callback that moves the batch (or job) on by exactly one state per look,
    so a test sees every state whatever the machine's speed."""
    emulator.store.tick = 3600.0

    def look(obj: Any) -> None:
        if also is not None:
            also(obj)
        emulator.store.fast_forward(obj.id)

    return look
