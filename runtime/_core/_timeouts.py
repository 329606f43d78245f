"""Timeouts: what they bound, and the checks that keep bad values from reaching the pool.

`timeout` (an httpx-style timeout) bounds each step of one attempt: connecting (5 s by
default), each write, each read (600 s by default: a long completion takes minutes), and
waiting for a pooled connection. A read timeout bounds the wait for *each* piece of the
body, so a server that trickles a byte a second never trips it.

`total_timeout` bounds the whole call: every attempt, the waits between retries, and
reading the body (for a stream, every event up to the end). It is off by default; set it
on the client, with `with_options(total_timeout=...)`, or per call with
`timeout=azgate.Timeout(30, total=120)`. When it runs out the call raises APITimeoutError.

A client keeps its timeouts as `Steps`, which need no httpx: an httpx.Timeout (or
azgate.Timeout, `_timeout_class.py`) given is read into them, and handed back as given.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from ..exceptions import ConfigurationError
from ._wire import is_httpx

__all__ = ["DEFAULT_STEPS", "MAX_TIMEOUT_SECONDS", "Steps", "check_seconds", "check_timeout"]

MAX_TIMEOUT_SECONDS = 7 * 24 * 3600.0
"""Longer than any call should take; larger values overflow the OS's timers."""

_STEPS = ("connect", "read", "write", "pool")


class Steps(NamedTuple):
    """The bound on each step of an attempt, and on the whole call (`total`), in seconds;
    None for no bound. `given` is the value they were read from, as the caller gave it."""

    connect: float | None
    read: float | None
    write: float | None
    pool: float | None
    total: float | None = None
    given: object = None

    def as_dict(self) -> dict[str, float | None]:
        """The `timeout` request extension httpcore reads."""
        return {"connect": self.connect, "read": self.read, "write": self.write, "pool": self.pool}

    def as_given(self) -> Any:
        """What `client.timeout` shows: the httpx.Timeout given, or one of these values."""
        if self.given is not None:
            return self.given
        import httpx

        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


DEFAULT_STEPS = Steps(connect=5.0, read=600.0, write=600.0, pool=600.0)
"""Long reads: a large completion can take minutes to produce (httpx.Timeout(600, connect=5))."""


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


def check_timeout(value: object, field: str = "timeout") -> Steps:
    """The Steps of a `timeout=` value (seconds, None, or an httpx.Timeout), every part
    range-checked."""
    if is_httpx(value, "Timeout"):
        connect, read, write, pool = (check_seconds(f"{field}.{step}", getattr(value, step)) for step in _STEPS)
        return Steps(connect, read, write, pool, total=getattr(value, "total", None), given=value)
    seconds = check_seconds(field, value)
    return Steps(seconds, seconds, seconds, seconds)
