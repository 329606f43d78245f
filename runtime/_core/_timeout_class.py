"""`azgate.Timeout`: httpx.Timeout plus `total` (loaded on first use of the name)."""

from __future__ import annotations

from typing import Any

import httpx

from ._timeouts import check_seconds

__all__ = ["DEFAULT_TIMEOUT", "Timeout"]


class Timeout(httpx.Timeout):
    """httpx.Timeout plus `total`, the bound on the whole call (retries included).

    `Timeout(30, total=120)`: 30 s for each connect, read and write; at most 120 s in all.
    Accepted wherever `timeout=` is, on the client and per call.
    """

    def __init__(self, timeout: Any = 600.0, *, total: float | None = None, **steps: Any) -> None:
        super().__init__(timeout, **steps)
        self.total = check_seconds("total", total)

    def __eq__(self, other: Any) -> bool:
        return super().__eq__(other) and getattr(other, "total", None) == self.total

    def __hash__(self) -> int:
        return hash((self.connect, self.read, self.write, self.pool, self.total))

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", total={self.total})"


DEFAULT_TIMEOUT = httpx.Timeout(timeout=600.0, connect=5.0)
"""The timeout a client has unless given one (see _timeouts.DEFAULT_STEPS)."""
