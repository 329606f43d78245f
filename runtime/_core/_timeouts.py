"""Timeouts: what they bound, and the checks that keep bad values from reaching httpx.

`timeout` (an httpx-style timeout) bounds each step of one attempt: connecting (5 s by
default), each write, each read (600 s by default: a long completion takes minutes), and
waiting for a pooled connection. A read timeout bounds the wait for *each* piece of the
body, so a server that trickles a byte a second never trips it.

`total_timeout` bounds the whole call: every attempt, the waits between retries, and
reading the body (for a stream, every event up to the end). It is off by default; set it
on the client, with `with_options(total_timeout=...)`, or per call with
`timeout=azgate.Timeout(30, total=120)`. When it runs out the call raises APITimeoutError.
"""

from __future__ import annotations

import math
from typing import Any

import httpx

from ..exceptions import ConfigurationError
from ._types import NotGiven

__all__ = ["DEFAULT_TIMEOUT", "MAX_TIMEOUT_SECONDS", "Timeout", "check_seconds", "check_timeout", "total_of"]

MAX_TIMEOUT_SECONDS = 7 * 24 * 3600.0
"""Longer than any call should take; larger values overflow the OS's timers."""


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
"""Long reads: a large completion can take minutes to produce."""


def check_seconds(field: str, value: object) -> float | None:
    """A number of seconds in (0, MAX_TIMEOUT_SECONDS], or None (no limit)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(
            f"{field} must be a number of seconds, an httpx.Timeout or None; got {type(value).__name__}."
        )
    if not (math.isfinite(value) and 0 < value <= MAX_TIMEOUT_SECONDS):
        raise ConfigurationError(
            f"{field} must be more than 0 and at most {MAX_TIMEOUT_SECONDS:.0f} seconds; got {value!r}. "
            "Use None for no limit."
        )
    return float(value)


def check_timeout(value: object, field: str = "timeout") -> httpx.Timeout:
    """The httpx.Timeout for a `timeout=` value, with every part range-checked."""
    if isinstance(value, httpx.Timeout):
        for step in ("connect", "read", "write", "pool"):
            check_seconds(f"{field}.{step}", getattr(value, step))
        return value
    return httpx.Timeout(check_seconds(field, value))


def total_of(value: object) -> float | None | NotGiven:
    """The `total` a `timeout=` value carries, or NotGiven when it says nothing about it."""
    if isinstance(value, Timeout) and value.total is not None:
        return value.total
    return NotGiven()
