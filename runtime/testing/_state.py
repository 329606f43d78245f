"""The mutable state one emulator shares between the test's thread and the server's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._config import DEFAULT_API_KEY, DEFAULT_DEPLOYMENTS
from ._faults import FaultSet
from ._stats import Stats
from ._store import Store
from ._validate import TokenValidator

__all__ = ["EmulatorState"]


@dataclass(slots=True)
class EmulatorState:
    api_key: str = DEFAULT_API_KEY
    deployments: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_DEPLOYMENTS))
    """Deployment name -> model name; may be changed while the server runs."""
    token_validator: TokenValidator | None = None
    """Accepts `Authorization: Bearer <token>` when it returns True."""
    faults: FaultSet = field(default_factory=FaultSet)
    stats: Stats = field(default_factory=Stats)
    store: Store = field(default_factory=Store)
    """Files, batches, jobs, assistants, ...: what stateful operations create."""

    @classmethod
    def build(
        cls,
        *,
        api_key: str = DEFAULT_API_KEY,
        deployments: Mapping[str, str] | None = None,
        token_validator: TokenValidator | None = None,
    ) -> EmulatorState:
        return cls(
            api_key=api_key,
            deployments=dict(DEFAULT_DEPLOYMENTS if deployments is None else deployments),
            token_validator=token_validator,
        )
