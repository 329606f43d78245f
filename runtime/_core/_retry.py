"""Retry decisions: pure functions of the attempt number and the response headers.

The sync and async clients only loop and sleep; every decision is made here.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from typing import Mapping

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "MAX_RETRY_AFTER_SECONDS",
    "is_retryable_status",
    "next_delay",
    "retry_delay",
]

DEFAULT_MAX_RETRIES = 2
INITIAL_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8.0
MAX_RETRY_AFTER_SECONDS = 60.0
"""A server that asks us to wait longer than this gets its error raised instead: a
minute-long sleep inside a call looks like a hang."""

_RETRYABLE_STATUSES = frozenset({408, 429})


def is_retryable_status(status: int, headers: Mapping[str, str]) -> bool:
    """Whether an error status is worth another attempt (408, 429, 5xx).

    An explicit `x-should-retry` from the service overrides the status rule.
    """
    hint = headers.get("x-should-retry")
    if hint == "true":
        return True
    if hint == "false":
        return False
    return status in _RETRYABLE_STATUSES or status >= 500


def server_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait: retry-after-ms, else retry-after (seconds or
    an HTTP date); None when it said nothing usable ("nan", "inf", "-1" and text are
    ignored, so a broken header never turns retries off)."""
    value = headers.get("retry-after-ms") or headers.get("x-ms-retry-after-ms")
    if value and (ms := _finite(value)) is not None:
        return ms / 1000.0
    value = headers.get("retry-after")
    if value:
        seconds = _finite(value)
        if seconds is not None:
            return seconds
        try:
            wait = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, OverflowError, IndexError):
            return None
        return max(wait, 0.0)
    return None


def _finite(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def retry_delay(retries_taken: int, headers: Mapping[str, str] | None) -> float | None:
    """How long to sleep before the next attempt; None means "do not retry" (the server
    asked for a wait above MAX_RETRY_AFTER_SECONDS)."""
    if headers is not None:
        asked = server_retry_after(headers)
        if asked is not None:
            return asked if asked <= MAX_RETRY_AFTER_SECONDS else None
    # Capped exponential backoff with jitter, so clients that failed together spread out.
    backoff = min(INITIAL_BACKOFF_SECONDS * 2.0**retries_taken, MAX_BACKOFF_SECONDS)
    return backoff * (1.0 - 0.25 * random.random())


def next_delay(
    retries_taken: int, max_retries: int, status: int | None, headers: Mapping[str, str] | None
) -> float | None:
    """Seconds to wait before retrying a failed attempt, or None to give up now.

    `status` is None when no response came back (connection error, timeout), which is
    always worth a retry while attempts remain.
    """
    if retries_taken >= max_retries:
        return None
    if status is not None and not is_retryable_status(status, headers or {}):
        return None
    return retry_delay(retries_taken, headers)
