"""The mutable state one emulator shares between the test's thread and the server's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._config import DEFAULT_API_KEY, DEFAULT_DEPLOYMENTS
from ._faults import FaultSet
from ._profiles import ProfileName, check_profile
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
    profile: ProfileName = "current"
    """How replies are shaped: "current", "legacy" or "gateway" (see _profiles)."""
    body_timeout: float = 30.0
    """Seconds a request may take to send its body before the connection is closed."""

    @classmethod
    def build(
        cls,
        *,
        api_key: str = DEFAULT_API_KEY,
        deployments: Mapping[str, str] | None = None,
        token_validator: TokenValidator | None = None,
        profile: str = "current",
        body_timeout: float = 30.0,
    ) -> EmulatorState:
        if isinstance(body_timeout, bool) or not isinstance(body_timeout, (int, float)) or not 0 < body_timeout <= 3600:
            raise ValueError(f"body_timeout must be a number of seconds from 0 to 3600, got {body_timeout!r}")
        return cls(
            api_key=api_key,
            deployments=dict(DEFAULT_DEPLOYMENTS if deployments is None else deployments),
            token_validator=token_validator,
            profile=check_profile(profile),
            body_timeout=float(body_timeout),
        )
