"""What a failed attempt means for routing: pure decisions about retrying, falling back
and cooling a target down.

Every failure is read as an HTTP status, so that `on_status_codes` can name it:

    the service's error status        as it answered (429, 503, 404, ...)
    a timeout (request_timeout too)   408
    no answer (refused, reset, DNS),  503
      or a stream that broke before its first chunk
    a 2xx whose body is malformed     502

**Whose failure is it?** Fallback (when `on_status_codes` is not given) and cooldown act
only on failures that another target may not have: 408, 429, every 5xx, 401 and 403
(each target has its own credentials and access), and an error whose Azure code says the
deployment is the problem (`DeploymentNotFound`, `OperationNotSupported`). The rest is the
caller's own mistake and fails the same everywhere, so it is raised at once: 400 (a bad
request, and also a content-filter refusal, which must not be routed around), 404 for a
missing file or batch, 409, 413, 415, 422.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .._core._retry import MAX_RETRY_AFTER_SECONDS, retry_delay, server_retry_after
from .._core._wire import is_httpx
from ..exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    IncompleteStreamError,
)

__all__ = [
    "DEFAULT_RETRY_STATUSES",
    "Failure",
    "RetryPolicy",
    "classify",
]

TIMEOUT_STATUS = 408
NO_ANSWER_STATUS = 503
MALFORMED_STATUS = 502

DEFAULT_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Retried when a `retry` gives no `on_status_codes` (Portkey's list, plus 408)."""

_TARGET_STATUSES = frozenset({401, 403, 408, 429})
_TARGET_CODES = frozenset({"DeploymentNotFound", "OperationNotSupported"})


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed attempt, read once."""

    error: APIError
    status: int
    retry_after: float | None
    """Seconds the service asked us to wait (retry-after-ms, x-ms-retry-after-ms, retry-after)."""
    target_fault: bool
    """True when another target may not fail the same way (see the module docstring)."""


def classify(error: APIError) -> Failure:
    if isinstance(error, APIStatusError):
        status = error.status_code
        headers: Mapping[str, str] = error.response.headers
        code = getattr(error, "code", None)
        fault = status in _TARGET_STATUSES or status >= 500 or code in _TARGET_CODES
        return Failure(error, status, server_retry_after(headers), fault)
    if isinstance(error, APITimeoutError) or is_httpx(error.__cause__, "TimeoutException"):
        return Failure(error, TIMEOUT_STATUS, None, True)
    if isinstance(error, (APIConnectionError, IncompleteStreamError)):
        return Failure(error, NO_ANSWER_STATUS, None, True)
    if isinstance(error, APIResponseValidationError):
        return Failure(error, MALFORMED_STATUS, None, True)
    return Failure(error, 500, None, True)  # an error event at the start of a stream


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """A target's own retries, run before a fallback moves on.

    `attempts` counts retries after the first try (Portkey's meaning). Waits are the
    service's retry-after when `use_retry_after_header` is set and it gave one (above
    MAX_RETRY_AFTER_SECONDS the target is given up instead), else capped exponential backoff
    with jitter.
    """

    attempts: int
    on_status_codes: frozenset[int] = DEFAULT_RETRY_STATUSES
    use_retry_after_header: bool = True

    def delay(self, retries_taken: int, failure: Failure) -> float | None:
        """Seconds to wait before retrying this target, or None to stop trying it."""
        if retries_taken >= self.attempts or failure.status not in self.on_status_codes:
            return None
        if self.use_retry_after_header and failure.retry_after is not None:
            return failure.retry_after if failure.retry_after <= MAX_RETRY_AFTER_SECONDS else None
        return retry_delay(retries_taken, None)
